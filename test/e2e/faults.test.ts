/**
 * Faults on the production topology, on real programs: two Prometheus replicas (Debian's 2.42)
 * with their `replica` external labels and three Alertmanager peers (Debian's 0.25) meshed with
 * `--cluster.peer` on loopback, running the generated production configuration and rules with only
 * discovery and receivers swapped, at the production intervals. Every receiver is a local webhook
 * that records what arrives, from which peer and when. One topology serves the whole file; each
 * test injects one fault into a service of its own, so that one incident never leans on another.
 */
import { parse } from 'yaml';
import { parseDuration } from '../../lib/core/units';
import { deliveriesFor } from '../../lib/rules/routes';
import { PROFILES } from '../../stacks/environments';
import { describeWithTools } from '../support/tools';
import { Pipeline } from './harness/pipeline';
import { httpGet, sleep, waitFor } from './harness/processes';
import { ALL_E2E_TOOLS } from './harness/tools';
import { Notification } from './harness/webhook';

const profile = PROFILES.production;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const PAGER = profile.alerting.teams.trading.critical[0];
const log = (s: string) => process.stdout.write(`faults: ${s}\n`);

/** Notifications to `receiver` since `since` that carry `alertname` for `job` with `status`. */
function notificationsOf(p: Pipeline, alertname: string, job: string, status: 'firing' | 'resolved', since: number, receiver = PAGER): Notification[] {
  return p.webhook.notifications.filter(
    (n) => n.receiver === receiver && n.at >= since && n.alerts.some((a) => a.labels.alertname === alertname && a.labels.job === job && a.status === status),
  );
}

const describeNotes = (ns: readonly Notification[], since: number) =>
  ns.map((n) => `${n.status} at +${((n.at - since) / SECOND).toFixed(1)} s from ${n.externalURL}`).join('; ');

const ms = (d: string | undefined): number | undefined => (d === undefined ? undefined : parseDuration(d));
const secs = (t: number) => `${(t / SECOND).toFixed(1)} s`;

/** A generated alerting rule, by name, with its `for:` and the evaluation interval of its group. */
function ruleOf(p: Pipeline, alert: string): { labels: Record<string, string>; forMs: number; evaluationMs: number; expr: string } {
  const files = p.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-rules')!.data as Record<string, string>;
  for (const text of Object.values(files)) {
    for (const g of parse(text).groups as any[]) {
      const r = g.rules.find((x: any) => x.alert === alert);
      if (r)
        return {
          labels: r.labels ?? {},
          forMs: ms(r.for) ?? 0,
          evaluationMs: ms(g.interval) ?? ms(p.prometheusConfig.global.evaluation_interval)!,
          expr: r.expr,
        };
    }
  }
  throw new Error(`the generated rules have no alert ${alert}`);
}

/** The scrape interval of a generated job. */
const scrapeMs = (p: Pipeline, job: string): number =>
  ms(p.prometheusConfig.scrape_configs.find((j: any) => j.job_name === job)?.scrape_interval) ?? ms(p.prometheusConfig.global.scrape_interval)!;

interface RouteTiming {
  readonly receiver: string;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
}

/** Where the generated alertmanager.yml sends an alert with `labels`, each route with its timings in milliseconds (lib/rules/routes.ts). */
function routesOf(config: any, labels: Record<string, string>): RouteTiming[] {
  return deliveriesFor(config, labels).map((d) => ({
    receiver: d.receiver,
    groupWaitMs: ms(d.groupWait)!,
    groupIntervalMs: ms(d.groupInterval)!,
    repeatIntervalMs: ms(d.repeatInterval)!,
  }));
}

/** The labels TradingServiceDown carries for `service`, as routing sees them. */
const serviceDownLabels = (p: Pipeline, service: string) => ({
  ...ruleOf(p, 'TradingServiceDown').labels,
  alertname: 'TradingServiceDown',
  namespace: 'grekko',
  job: service,
  service,
});

/** Waits until the replicas' TradingServiceDown for `job` would page: `for:`, evaluations, a scrape and the route's group wait, with room. */
const pageBudget = (p: Pipeline, job: string) => {
  const rule = ruleOf(p, 'TradingServiceDown');
  const route = routesOf(p.alertmanagerConfig, serviceDownLabels(p, job)).find((r) => r.receiver === PAGER)!;
  return rule.forMs + 3 * rule.evaluationMs + 2 * scrapeMs(p, job) + route.groupWaitMs + (p.alertmanagerPeers - 1) * p.peerTimeoutMs + 2 * MINUTE;
};

/** After a notification from one peer: the later peers' turns (position × peer timeout), with room. */
const peersTurns = (p: Pipeline) => (p.alertmanagerPeers - 1) * p.peerTimeoutMs + 5 * SECOND;

/** Firing notifications named `alertname` at `receiver` since `since`. */
const firingAt = (p: Pipeline, receiver: string, alertname: string, since: number) =>
  p.webhook.notifications.filter(
    (n) => n.receiver === receiver && n.at >= since && n.alerts.some((a) => a.labels.alertname === alertname && a.status === 'firing'),
  );

/** One Alertmanager peer's counter, summed over the series that match `integration`. */
async function peerCounter(p: Pipeline, peer: number, metric: string, integration: string): Promise<number> {
  const body = (await httpGet(`http://127.0.0.1:${p.alertmanagerPort(peer)}/metrics`, 5000)).body;
  return body
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) && l.includes(`integration="${integration}"`))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describeWithTools('production alerting under faults (two Prometheus replicas, three meshed Alertmanagers, production intervals)', ALL_E2E_TOOLS, () => {
  const p = new Pipeline({ profile, timing: 'profile', topology: 'profile' });

  beforeAll(async () => {
    await p.start();
    await p.waitTargetsUp(['order-service', 'risk-service', 'portfolio-service', 'postgres-exporter', 'redis-exporter'], 3 * MINUTE);
    await p.waitMesh();
  }, 5 * MINUTE);

  afterAll(async () => {
    await p.stop();
  }, MINUTE);

  it(
    'one failed scrape, and two in a row, of a core service page nobody on a Prometheus that started minutes ago: no critical alert, SLO burn rates included',
    async () => {
      const since = Date.now();
      const order = p.services.get('order-service')!;
      const scrape = scrapeMs(p, 'order-service');
      const evaluation = ms(p.prometheusConfig.global.evaluation_interval)!;
      // Failed scrapes of order-service each replica has recorded since the test began.
      const failedScrapes = () => {
        const window = `${Math.ceil((Date.now() - since) / SECOND)}s`;
        const q = `sum(count_over_time(up{job="order-service"}[${window}]) - sum_over_time(up{job="order-service"}[${window}])) or vector(0)`;
        return Promise.all(Array.from({ length: p.prometheusReplicas }, (_, i) => p.queryReplica(i, q).then((r) => Number(r[0].value[1]))));
      };
      const seen = (n: number) =>
        waitFor(
          `${n} failed scrapes on every replica`,
          async () => ((await failedScrapes()).every((f) => f >= n) ? true : undefined),
          4 * scrape + MINUTE,
          1000,
        );
      order.failNextScrapes(p.prometheusReplicas); // one failed scrape for each replica
      await seen(1);
      await sleep(2 * scrape); // scrapes succeed in between: the next failures are not the same run
      order.failNextScrapes(2 * p.prometheusReplicas); // two in a row for each replica
      await seen(3);
      // Whatever a failed scrape could make fire without a `for:` has been evaluated, sent and grouped.
      const pageRoute = routesOf(p.alertmanagerConfig, serviceDownLabels(p, 'order-service')).find((r) => r.receiver === PAGER)!;
      await sleep(3 * evaluation + pageRoute.groupWaitMs + peersTurns(p));
      const failed = await failedScrapes();
      log(`failed scrapes of order-service seen by the replicas: ${failed.join(' and ')}`);
      expect(Math.min(...failed)).toBeGreaterThanOrEqual(3);
      // TradingServiceDown may turn pending: its `for:` outlasts the failures, and nothing fires.
      const critical = (await Promise.all([0, 1].map((i) => p.queryReplica(i, 'max_over_time(ALERTS{severity="critical",alertstate="firing"}[3m])')))).flatMap(
        (r, i) => r.map((c) => `${c.metric.alertname} on replica ${i}`),
      );
      const pages = p.webhook.notifications.filter((n) => n.receiver === PAGER && n.at >= since);
      log(`critical alerts firing after the failed scrapes: ${critical.join(', ') || 'none'}; pages: ${pages.length}`);
      expect(critical).toEqual([]);
      expect(pages).toEqual([]);
    },
    5 * MINUTE,
  );

  it(
    'a critical service stops: the pair sends twice, the mesh pages on-call exactly once (its probe and SLO pages muted meanwhile), and once resolved after the repair',
    async () => {
      const svc = p.services.get('order-service')!;
      const port = svc.port;
      const stoppedAt = Date.now();
      await svc.stop();
      const page = await waitFor(
        'TradingServiceDown to page',
        async () => notificationsOf(p, 'TradingServiceDown', 'order-service', 'firing', stoppedAt)[0],
        pageBudget(p, 'order-service'),
        500,
      );
      log(`order-service stopped: page at ${page.receiver} after ${((page.at - stoppedAt) / SECOND).toFixed(1)} s from ${page.externalURL}`);
      await sleep(peersTurns(p)); // the other peers' turns have passed
      expect(notificationsOf(p, 'TradingServiceDown', 'order-service', 'firing', stoppedAt)).toHaveLength(1);
      // The outage's other pages about the service (its failing health probe, its SLO burning)
      // fire in Prometheus too, and stay muted at Alertmanager while TradingServiceDown fires.
      const probe = ruleOf(p, 'ServiceHealthCheckFailing');
      const alsoFiring = await waitFor(
        'the health probe and the SLO pages of order-service firing in Prometheus',
        async () => {
          const r = await p.queryReplica(0, 'ALERTS{alertstate="firing", severity="critical", service="order-service"}');
          const names = r.map((x) => x.metric.alertname).sort();
          return names.includes('ServiceHealthCheckFailing') && names.some((n) => n.startsWith('SLO')) ? names : undefined;
        },
        probe.forMs + 3 * probe.evaluationMs + 2 * MINUTE,
        1000,
      );
      await sleep(peersTurns(p));
      const pagesAboutIt = p.webhook.notifications.filter(
        (n) => n.receiver === PAGER && n.at >= stoppedAt && n.alerts.some((a) => a.labels.service === 'order-service' && a.status === 'firing'),
      );
      log(
        `firing in Prometheus about order-service: ${alsoFiring.join(', ')}; pages at ${PAGER} about it: ${pagesAboutIt.map((n) => n.alerts.map((a) => a.labels.alertname).join('+')).join(', ')}`,
      );
      expect(pagesAboutIt.flatMap((n) => n.alerts.map((a) => a.labels.alertname))).toEqual(['TradingServiceDown']);
      const repairedAt = Date.now();
      await svc.start(port);
      // Once TradingServiceDown has resolved, the outage's failed scrapes still hold the SLO's
      // paging rows over their thresholds: TradingServiceRecentlyDown keeps those pages muted.
      const down = ruleOf(p, 'TradingServiceDown');
      const sloPagesAfterRepair = await waitFor(
        'TradingServiceDown to resolve in Prometheus',
        async () => {
          const [firing, slo] = await Promise.all([
            p.queryReplica(0, 'ALERTS{alertname="TradingServiceDown", alertstate="firing", service="order-service"}'),
            p.queryReplica(0, 'ALERTS{alertstate="firing", slo_alert="page", service="order-service"}'),
          ]);
          return firing.length === 0 ? slo.map((x) => x.metric.alertname) : undefined;
        },
        2 * scrapeMs(p, 'order-service') + 2 * down.evaluationMs + MINUTE,
        500,
      );
      log(
        `${secs(Date.now() - repairedAt)} after the repair, TradingServiceDown resolved; SLO pages of order-service still firing: ${sloPagesAfterRepair.join(', ') || 'none'}`,
      );
      expect(sloPagesAfterRepair.length).toBeGreaterThan(0);
      await waitFor(
        'the resolved notification',
        async () => notificationsOf(p, 'TradingServiceDown', 'order-service', 'resolved', repairedAt)[0],
        8 * MINUTE,
        1000,
      );
      // A muted page would have gone out at its group's first flush after TradingServiceDown resolved.
      const pageRoute = routesOf(p.alertmanagerConfig, serviceDownLabels(p, 'order-service')).find((r) => r.receiver === PAGER)!;
      await sleep(Math.max(0, repairedAt + pageRoute.groupWaitMs + pageRoute.groupIntervalMs + peersTurns(p) - Date.now()));
      const all = p.webhook.notifications.filter(
        (n) =>
          n.receiver === PAGER && n.at >= stoppedAt && n.alerts.some((a) => a.labels.alertname === 'TradingServiceDown' && a.labels.job === 'order-service'),
      );
      log(`order-service incident at ${PAGER}: ${describeNotes(all, stoppedAt)}`);
      expect(all.map((n) => n.status)).toEqual(['firing', 'resolved']);
      const anyPageAboutIt = p.webhook.notifications.filter(
        (n) => n.receiver === PAGER && n.at >= stoppedAt && n.alerts.some((a) => a.labels.service === 'order-service'),
      );
      log(
        `every notification at ${PAGER} about order-service: ${anyPageAboutIt.map((n) => `${n.alerts.map((a) => a.labels.alertname).join('+')} ${n.status}`).join(', ')}`,
      );
      expect(anyPageAboutIt.map((n) => n.alerts.map((a) => `${a.labels.alertname} ${n.status}`).join('+'))).toEqual([
        'TradingServiceDown firing',
        'TradingServiceDown resolved',
      ]);
    },
    16 * MINUTE,
  );

  it(
    'one Prometheus replica is killed: the page still arrives, and `replica` never reaches a receiver',
    async () => {
      await p.stopPrometheus(1, 'SIGKILL');
      const svc = p.services.get('risk-service')!;
      const port = svc.port;
      const stoppedAt = Date.now();
      await svc.stop();
      const page = await waitFor(
        'TradingServiceDown to page',
        async () => notificationsOf(p, 'TradingServiceDown', 'risk-service', 'firing', stoppedAt)[0],
        pageBudget(p, 'risk-service'),
        500,
      );
      log(`replica 1 killed, risk-service stopped: page after ${((page.at - stoppedAt) / SECOND).toFixed(1)} s from ${page.externalURL}`);
      const withReplica = p.webhook.notifications.filter((n) => n.alerts.some((a) => 'replica' in a.labels) || 'replica' in n.groupLabels);
      log(`notifications so far: ${p.webhook.notifications.length}, with a replica label: ${withReplica.length}`);
      expect(withReplica).toEqual([]);
      await svc.start(port);
      await p.restartPrometheus(1);
    },
    10 * MINUTE,
  );

  it(
    'one Alertmanager peer is killed during an incident and rejoins: the page arrives once, and nothing is sent twice after the rejoin',
    async () => {
      const svc = p.services.get('portfolio-service')!;
      const port = svc.port;
      const stoppedAt = Date.now();
      await svc.stop();
      await waitFor(
        'TradingServiceDown pending on every replica',
        async () => {
          const q = 'ALERTS{alertname="TradingServiceDown", job="portfolio-service"}';
          const pending = await Promise.all(Array.from({ length: p.prometheusReplicas }, (_, i) => p.queryReplica(i, q)));
          return pending.every((r) => r.length > 0) ? true : undefined;
        },
        4 * scrapeMs(p, 'portfolio-service') + MINUTE,
        500,
      );
      await p.stopAlertmanager(0, 'SIGKILL');
      const page = await waitFor(
        'TradingServiceDown to page',
        async () => notificationsOf(p, 'TradingServiceDown', 'portfolio-service', 'firing', stoppedAt)[0],
        pageBudget(p, 'portfolio-service'),
        500,
      );
      log(`peer 0 killed, portfolio-service stopped: page after ${((page.at - stoppedAt) / SECOND).toFixed(1)} s from ${page.externalURL}`);
      const rejoinedAt = Date.now();
      await p.restartAlertmanagerPeer(0);
      // The rejoined peer has the alert again (Prometheus resends it every resend delay), has
      // waited its group_wait and has had its turn.
      await waitFor(
        'the rejoined peer to hold the alert',
        async () => {
          const r = await httpGet(`http://127.0.0.1:${p.alertmanagerPort(0)}/api/v2/alerts?filter=${encodeURIComponent('job="portfolio-service"')}`, 5000);
          return (JSON.parse(r.body) as unknown[]).length > 0 ? true : undefined;
        },
        p.resendDelayMs + 2 * ms(p.prometheusConfig.global.evaluation_interval)! + MINUTE,
        500,
      );
      const route = routesOf(p.alertmanagerConfig, serviceDownLabels(p, 'portfolio-service')).find((r) => r.receiver === PAGER)!;
      await sleep(route.groupWaitMs + peersTurns(p));
      const pages = notificationsOf(p, 'TradingServiceDown', 'portfolio-service', 'firing', stoppedAt);
      log(`portfolio-service incident at ${PAGER} (peer 0 back at +${((rejoinedAt - stoppedAt) / SECOND).toFixed(1)} s): ${describeNotes(pages, stoppedAt)}`);
      expect(pages).toHaveLength(1);
      await svc.start(port);
    },
    10 * MINUTE,
  );

  it(
    'Alertmanager restarts from its persisted data: a silence created before the restart still holds after it, on every peer',
    async () => {
      const endsAt = new Date(Date.now() + 2 * 3600 * SECOND).toISOString();
      const silence = {
        matchers: [
          { name: 'alertname', value: 'TradingServiceDown', isRegex: false },
          { name: 'job', value: 'execution-gateway-maintenance', isRegex: false },
        ],
        startsAt: new Date().toISOString(),
        endsAt,
        createdBy: 'faults.test.ts',
        comment: 'planned maintenance',
      };
      const created = await fetch(`http://127.0.0.1:${p.alertmanagerPort(1)}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(silence),
      });
      expect(created.status).toBe(200);
      const { silenceID } = (await created.json()) as { silenceID: string };
      await waitFor(
        'the silence gossiped to every peer',
        async () => {
          const states = await Promise.all(
            Array.from(
              { length: p.alertmanagerPeers },
              async (_, i) => (await httpGet(`http://127.0.0.1:${p.alertmanagerPort(i)}/api/v2/silence/${silenceID}`)).status,
            ),
          );
          return states.every((st) => st === 200) ? true : undefined;
        },
        30 * SECOND,
        250,
      );
      for (let i = 0; i < p.alertmanagerPeers; i++) await p.stopAlertmanager(i);
      for (let i = 0; i < p.alertmanagerPeers; i++) await p.restartAlertmanagerPeer(i);
      await p.waitMesh();
      const held = await Promise.all(
        Array.from({ length: p.alertmanagerPeers }, async (_, i) => {
          const r = await fetch(`http://127.0.0.1:${p.alertmanagerPort(i)}/api/v2/silence/${silenceID}`);
          return r.ok ? ((await r.json()) as { status: { state: string } }).status.state : `HTTP ${r.status}`;
        }),
      );
      log(`silence ${silenceID} after every peer restarted: ${held.join(', ')}`);
      expect(held).toEqual(Array.from({ length: p.alertmanagerPeers }, () => 'active'));
    },
    3 * MINUTE,
  );

  it(
    'Prometheus restarts from its persisted data: the series of the minutes before the restart are still queryable',
    async () => {
      const before = Date.now() / 1000;
      const count = async () => Number((await p.query(`count_over_time(up{job="order-service"}[10m] @ ${before.toFixed(0)})`))[0]?.value[1] ?? 0);
      const samplesBefore = await count();
      await p.stopPrometheus(0);
      await p.restartPrometheus(0);
      const samplesAfter = await count();
      const forState = await p.query('count(ALERTS_FOR_STATE) or vector(0)');
      log(
        `order-service up samples up to the restart: ${samplesBefore} before it, ${samplesAfter} after it; ALERTS_FOR_STATE series: ${forState[0]?.value[1]}`,
      );
      expect(samplesBefore).toBeGreaterThan(10);
      expect(samplesAfter).toBe(samplesBefore);
    },
    3 * MINUTE,
  );

  it(
    'the on-call receiver fails (HTTP 5xx, then it hangs): Alertmanager retries, AlertmanagerNotificationsFailing reaches the devops warning channel, and the page arrives once the receiver is back, once',
    async () => {
      // How Alertmanager 0.25 counts and gives up (notify/notify.go, dispatch/dispatch.go and
      // cmd/alertmanager/main.go at v0.25.0; the same in v0.28.1, which production runs):
      // - each flush of an aggregation group runs under a context of max(group_interval, 10 s)
      //   plus the peer's position × --cluster.peer-timeout (the wait for its turn); its retry loop
      //   (RetryStage) retries a 5xx or a broken connection with exponential backoff until that
      //   context ends, and a 4xx not at all;
      // - alertmanager_notifications_total{integration} counts one per notification entering the
      //   retry loop, alertmanager_notifications_failed_total one per notification that leaves it
      //   failed (its context ended, or an unrecoverable answer): a notification retried for a
      //   whole flush counts once, when the flush's deadline passes; every request is counted by
      //   alertmanager_notification_requests_total and _requests_failed_total;
      // - the webhook integration has no timeout of its own in 0.25 (webhook_config `timeout` came
      //   with 0.28, unset by default), nor has the HTTP client of prometheus/common: a hanging
      //   request is abandoned when its flush's context ends. Run here, the first request of a flush
      //   hangs exactly group_interval (300 s with the on-call route's 5m), on every peer: it is sent
      //   once the peer's turn has come, and the deadline is that much later too;
      // - the notification log is consulted once per flush, before the retry loop (DedupStage): a
      //   peer already retrying delivers its own copy when the receiver answers again. Here the hung
      //   requests stay hung after recovery (a black-holed connection), so each peer's flush ends on
      //   its own deadline and the later peers find the first one's entry in the log.
      const service = 'market-data-service';
      const svc = p.services.get(service)!;
      const port = svc.port;
      const routes = routesOf(p.alertmanagerConfig, serviceDownLabels(p, service));
      const oncall = routes.find((r) => r.receiver === PAGER)!;
      const chats = routes.filter((r) => r.receiver !== PAGER).map((r) => r.receiver);
      const failingRule = ruleOf(p, 'AlertmanagerNotificationsFailing');
      const warningChannel = profile.alerting.teams.devops.warning[0];
      const warning = routesOf(p.alertmanagerConfig, { ...failingRule.labels, alertname: 'AlertmanagerNotificationsFailing', namespace: profile.namespace })[0];
      expect(warning.receiver).toBe(warningChannel);
      const flushDeadline = (peer: number) => Math.max(oncall.groupIntervalMs, 10 * SECOND) + peer * p.peerTimeoutMs;
      log(
        `on-call route: group_wait ${secs(oncall.groupWaitMs)}, group_interval ${secs(oncall.groupIntervalMs)}; a flush is abandoned after ${secs(flushDeadline(0))} on peer 0, ${secs(flushDeadline(p.alertmanagerPeers - 1))} on peer ${p.alertmanagerPeers - 1}; chats beside it: ${chats.join(', ')}`,
      );
      // Every peer is scraped by every replica: the failures are counted on each peer.
      const scraped = () =>
        Promise.all(
          Array.from({ length: p.prometheusReplicas }, (_, i) =>
            p.queryReplica(i, 'count(up{job="alertmanager"} == 1) or vector(0)').then((r) => Number(r[0].value[1])),
          ),
        );
      const up = await waitFor(
        'every peer scraped up by every replica',
        async () => {
          const counts = await scraped();
          return counts.every((c) => c === p.alertmanagerPeers) ? counts : undefined;
        },
        3 * scrapeMs(p, 'alertmanager') + 30 * SECOND,
        1000,
      );
      log(`Alertmanager peers scraped up by each replica: ${up.join(', ')}`);

      const since = Date.now();
      p.webhook.fail(PAGER, { status: 503 });
      await svc.stop();
      const chat = await waitFor(
        'the page at the chats, which keep answering',
        () => notificationsOf(p, 'TradingServiceDown', service, 'firing', since, chats[0])[0],
        pageBudget(p, service),
        500,
      );
      log(`${service} stopped, ${PAGER} answering 503: ${chats[0]} got the page after ${secs(chat.at - since)}`);
      const retried = await waitFor(
        'a peer to retry the 503',
        () => {
          const byPeer = new Map<string, number>();
          for (const a of p.webhook.attempts.filter((x) => x.receiver === PAGER && x.at >= since))
            byPeer.set(a.externalURL, (byPeer.get(a.externalURL) ?? 0) + 1);
          return [...byPeer.values()].some((n) => n >= 2) ? byPeer : undefined;
        },
        2 * MINUTE,
        500,
      );
      log(`503 attempts at ${PAGER} by peer: ${[...retried].map(([u, n]) => `${u} ${n}`).join(', ')}`);
      const hangFrom = Date.now();
      p.webhook.fail(PAGER, 'hang');

      // The alert about it: the first failures are counted when the flushes' deadlines pass, then `for:`.
      const failingBudget =
        flushDeadline(p.alertmanagerPeers - 1) +
        failingRule.forMs +
        3 * failingRule.evaluationMs +
        2 * scrapeMs(p, 'alertmanager') +
        warning.groupWaitMs +
        2 * MINUTE;
      let failingError: unknown;
      try {
        const n = await waitFor(
          `AlertmanagerNotificationsFailing at ${warningChannel}`,
          () => firingAt(p, warningChannel, 'AlertmanagerNotificationsFailing', since)[0],
          failingBudget,
          1000,
        );
        log(
          `AlertmanagerNotificationsFailing reached ${warningChannel} ${secs(n.at - hangFrom)} after the receiver began to hang (${n.alerts.map((a) => a.labels.pod).join(', ')})`,
        );
      } catch (err) {
        failingError = err;
      }
      const counters = await Promise.all(
        Array.from({ length: p.alertmanagerPeers }, async (_, i) => {
          const c = (m: string) => peerCounter(p, i, m, 'webhook');
          return `peer ${i}: notifications ${await c('alertmanager_notifications_total')}, failed ${await c('alertmanager_notifications_failed_total')}; requests ${await c('alertmanager_notification_requests_total')}, failed ${await c('alertmanager_notification_requests_failed_total')}`;
        }),
      );
      log(`webhook counters: ${counters.join('; ')}`);
      const groups = [
        ...new Set(p.webhook.attempts.filter((a) => a.receiver === PAGER && a.at >= since && a.answer !== 200).map((a) => a.groupKey.split(':').pop())),
      ];
      log(`groups that failed to reach ${PAGER}: ${groups.join(', ')}`);
      const ratio = await fetch(
        `http://127.0.0.1:${p.prometheusPort(0)}/api/v1/query_range?${new URLSearchParams({
          query: `(${failingRule.expr.trim()}) or on (pod) (0 * sum by (pod) (alertmanager_notifications_total))`,
          start: String((hangFrom - MINUTE) / 1000),
          end: String(Date.now() / 1000),
          step: String(failingRule.evaluationMs / 1000),
        })}`,
      ).then((r) => r.json() as Promise<{ data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } }>);
      // Per pod, at each evaluation step from a minute before the hang: above the threshold (+) or not (.).
      const steps = new Map<string, Set<number>>();
      for (const series of ratio.data.result) {
        const set = steps.get(series.metric.pod) ?? new Set<number>();
        for (const [t, v] of series.values) if (Number(v) > 0) set.add(t);
        steps.set(series.metric.pod, set);
      }
      const grid = ratio.data.result.flatMap((r) => r.values.map(([t]) => t));
      const [from, to] = [Math.min(...grid), Math.max(...grid)];
      for (const [pod, above] of [...steps].sort()) {
        let line = '';
        for (let t = from; t <= to + 1e-6; t += failingRule.evaluationMs / SECOND) line += [...above].some((x) => Math.abs(x - t) < 1e-3) ? '+' : '.';
        log(`failing ratio above its threshold on ${pod} (${failingRule.evaluationMs / SECOND} s steps from 1 min before the hang): ${line}`);
      }

      const recoveredAt = Date.now();
      p.webhook.recover(PAGER);
      const budget = flushDeadline(p.alertmanagerPeers - 1) + 2 * p.alertmanagerPeers * p.peerTimeoutMs + MINUTE;
      const page = await waitFor(
        'the page once the receiver is back',
        () => notificationsOf(p, 'TradingServiceDown', service, 'firing', since)[0],
        budget,
        500,
      );
      log(`${PAGER} back: the page arrived ${secs(page.at - recoveredAt)} later (${secs(page.at - since)} after the stop) from ${page.externalURL}`);
      await sleep(2 * peersTurns(p));
      const pages = notificationsOf(p, 'TradingServiceDown', service, 'firing', since);
      const hung = p.webhook.attempts.filter((a) => a.receiver === PAGER && a.answer === 'hung');
      const held = hung.filter((a) => a.closedAt !== undefined).map((a) => `${secs(a.closedAt! - a.at)} (${a.externalURL})`);
      log(
        `hung requests at ${PAGER}: ${hung.length}, abandoned by Alertmanager after ${held.join(', ') || 'none yet'}; firing pages: ${describeNotes(pages, since)}`,
      );
      expect(pages).toHaveLength(1);
      for (const a of hung.filter((x) => x.closedAt !== undefined))
        expect(a.closedAt! - a.at).toBeLessThanOrEqual(flushDeadline(p.alertmanagerPeers - 1) + 5 * SECOND);
      await svc.start(port);
      if (failingError) throw failingError;
    },
    40 * MINUTE,
  );

  it(
    "all of Prometheus stops: the Watchdog's heartbeat stops reaching the dead-man's switch for longer than its repeat interval plus the alert's validity, and resumes when Prometheus is back",
    async () => {
      // Prometheus sends a firing alert with endsAt = now + 4 × max(--rules.alert.resend-delay,
      // the group's evaluation interval) (rules/alerting.go sendAlerts, at v2.42.0 and at v3.5.0
      // alike: "Allow for two Eval or Alertmanager send failures"), and resends it every resend
      // delay. Alertmanager keeps an alert no one sends any more until that endsAt, then resolves
      // it; the Watchdog's route sends no resolved notification, so the heartbeat just stops.
      const watchdog = ruleOf(p, 'Watchdog');
      const route = routesOf(p.alertmanagerConfig, { ...watchdog.labels, alertname: 'Watchdog' })[0];
      const validityMs = 4 * Math.max(p.resendDelayMs, watchdog.evaluationMs);
      const silenceMs = route.repeatIntervalMs + validityMs;
      const beats = (since: number) => firingAt(p, route.receiver, 'Watchdog', since);
      log(
        `Watchdog route: ${route.receiver}, group_interval ${secs(route.groupIntervalMs)}, repeat_interval ${secs(route.repeatIntervalMs)}; an alert no longer sent is kept ${secs(validityMs)}`,
      );
      const start = Date.now();
      const first = await waitFor(
        'a heartbeat',
        () => beats(start)[0],
        route.repeatIntervalMs + route.groupIntervalMs + 2 * watchdog.evaluationMs + MINUTE,
        500,
      );
      const stoppedAt = Date.now();
      await Promise.all(Array.from({ length: p.prometheusReplicas }, (_, i) => p.stopPrometheus(i)));
      log(
        `heartbeat at ${route.receiver} ${secs(first.at - start)} into the test from ${first.externalURL}; every Prometheus replica stopped ${secs(stoppedAt - first.at)} later`,
      );
      // Silent for longer than the repeat interval plus the validity, counted from the last heartbeat.
      const last = await waitFor(
        `no heartbeat for ${secs(silenceMs)}`,
        () => {
          const latest = Math.max(first.at, ...beats(stoppedAt).map((n) => n.at));
          return Date.now() - latest > silenceMs + watchdog.evaluationMs ? latest : undefined;
        },
        silenceMs + validityMs + route.groupIntervalMs + 2 * MINUTE,
        1000,
      );
      const after = beats(stoppedAt);
      log(
        `heartbeats after the stop: ${after.length} (${describeNotes(after, stoppedAt)}); silent since +${secs(last - stoppedAt)} for ${secs(Date.now() - last)}`,
      );
      expect(last - stoppedAt).toBeLessThanOrEqual(validityMs + route.groupIntervalMs);
      const restartedAt = Date.now();
      await Promise.all(Array.from({ length: p.prometheusReplicas }, (_, i) => p.restartPrometheus(i)));
      const resumed = await waitFor(
        'the heartbeat to resume',
        () => beats(restartedAt)[0],
        2 * watchdog.evaluationMs + route.groupWaitMs + route.groupIntervalMs + (p.alertmanagerPeers - 1) * p.peerTimeoutMs + MINUTE,
        500,
      );
      log(`Prometheus started again: heartbeat ${secs(resumed.at - restartedAt)} later from ${resumed.externalURL}`);
      await p.waitTargetsUp(['order-service', 'risk-service', 'portfolio-service', 'market-data-service', 'coinbase-connector'], 2 * MINUTE);
    },
    30 * MINUTE,
  );

  it(
    'Prometheus restarts during an incident: the page is not sent twice, and once resolved after the repair',
    async () => {
      // What keeps a restart from paging again (rules/manager.go RestoreForState at v2.42.0,
      // rules/group.go at v3.5.0, alike): a restarted Prometheus restores ALERTS_FOR_STATE only for
      // rules whose `for:` is at least --rules.alert.for-grace-period (10m by default); a shorter
      // `for:`, as every critical rule of the production profile has, starts pending again and fires
      // after its full `for:`. Meanwhile Alertmanager keeps the alert until the endsAt the replicas
      // last sent (4 × max(resend delay, evaluation interval) after the last send), so the alert the
      // restarted replicas send again merges into the one it holds, and its notification log, which
      // holds the page until the repeat interval, keeps the mesh from paging again. That holds
      // while the restart plus `for:` stays within that validity; past it the alert would resolve
      // and page anew.
      const service = 'coinbase-connector';
      const svc = p.services.get(service)!;
      const port = svc.port;
      const rule = ruleOf(p, 'TradingServiceDown');
      const validityMs = 4 * Math.max(p.resendDelayMs, rule.evaluationMs);
      const restored = rule.forMs >= p.forGracePeriodMs;
      log(
        `TradingServiceDown for: ${secs(rule.forMs)}, grace period ${secs(p.forGracePeriodMs)}: its for state is ${restored ? '' : 'not '}restored; Alertmanager keeps an alert ${secs(validityMs)}`,
      );
      const stoppedAt = Date.now();
      await svc.stop();
      const page = await waitFor(
        'TradingServiceDown to page',
        () => notificationsOf(p, 'TradingServiceDown', service, 'firing', stoppedAt)[0],
        pageBudget(p, service),
        500,
      );
      log(`${service} stopped: page after ${secs(page.at - stoppedAt)} from ${page.externalURL}`);
      const held = async () => {
        const r = await httpGet(
          `http://127.0.0.1:${p.alertmanagerPort(0)}/api/v2/alerts?${new URLSearchParams([
            ['filter', 'alertname="TradingServiceDown"'],
            ['filter', `job="${service}"`],
          ])}`,
          5000,
        );
        return (JSON.parse(r.body) as Array<{ startsAt: string; status: { state: string } }>).map((a) => `${a.status.state} since ${a.startsAt}`);
      };
      // The rule's state in each replica's memory (a query of ALERTS would also see the samples
      // written before a restart, within the lookback).
      const firingOnEvery = async () => {
        const states = await Promise.all(
          Array.from({ length: p.prometheusReplicas }, async (_, i) => {
            const r = await httpGet(`http://127.0.0.1:${p.prometheusPort(i)}/api/v1/alerts`, 5000);
            const alerts = JSON.parse(r.body).data.alerts as Array<{ labels: Record<string, string>; state: string }>;
            return alerts.some((a) => a.labels.alertname === 'TradingServiceDown' && a.labels.job === service && a.state === 'firing');
          }),
        );
        return states.every(Boolean) ? Date.now() : undefined;
      };
      const budget = rule.forMs + 3 * rule.evaluationMs + 2 * scrapeMs(p, service) + 2 * MINUTE;
      await waitFor('TradingServiceDown firing on every replica', firingOnEvery, budget, 500);
      const before = await held();
      const restartAt = Date.now();
      await Promise.all(Array.from({ length: p.prometheusReplicas }, (_, i) => p.stopPrometheus(i)));
      await Promise.all(Array.from({ length: p.prometheusReplicas }, (_, i) => p.restartPrometheus(i)));
      const refired = await waitFor('TradingServiceDown firing again on every replica', firingOnEvery, budget, 1000);
      const after = await held();
      log(
        `both replicas restarted ${secs(restartAt - page.at)} after the page, firing again ${secs(refired - restartAt)} after the restart; Alertmanager held ${before.join(', ')} before, ${after.join(', ')} after`,
      );
      expect(after).toEqual(before);
      // Not restored, the rule waited its whole `for:` again (one evaluation of slack).
      if (!restored) expect(refired - restartAt).toBeGreaterThanOrEqual(rule.forMs - rule.evaluationMs);
      await sleep(peersTurns(p));
      expect(notificationsOf(p, 'TradingServiceDown', service, 'firing', stoppedAt)).toHaveLength(1);
      const repairedAt = Date.now();
      await svc.start(port);
      const route = routesOf(p.alertmanagerConfig, serviceDownLabels(p, service)).find((r) => r.receiver === PAGER)!;
      await waitFor(
        'the resolved notification',
        () => notificationsOf(p, 'TradingServiceDown', service, 'resolved', repairedAt)[0],
        route.groupIntervalMs + 3 * rule.evaluationMs + 2 * scrapeMs(p, service) + (p.alertmanagerPeers - 1) * p.peerTimeoutMs + MINUTE,
        1000,
      );
      await sleep(peersTurns(p));
      const all = p.webhook.notifications.filter(
        (n) => n.receiver === PAGER && n.at >= stoppedAt && n.alerts.some((a) => a.labels.alertname === 'TradingServiceDown' && a.labels.job === service),
      );
      log(`${service} incident at ${PAGER}: ${describeNotes(all, stoppedAt)}`);
      expect(all.map((n) => n.status)).toEqual(['firing', 'resolved']);
    },
    20 * MINUTE,
  );
});
