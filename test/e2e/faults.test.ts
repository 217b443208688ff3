/**
 * Faults on the production topology, on real programs: two Prometheus replicas (Debian's 2.42)
 * with their `replica` external labels and three Alertmanager peers (Debian's 0.25) meshed with
 * `--cluster.peer` on loopback, running the generated production configuration and rules with only
 * discovery and receivers swapped, at the production intervals. Every receiver is a local webhook
 * that records what arrives, from which peer and when. One topology serves the whole file; each
 * test injects one fault into a service of its own, so that one incident never leans on another.
 */
import { PROFILES } from '../../stacks/environments';
import { describeWithTools } from '../support/tools';
import { Pipeline } from './harness/pipeline';
import { sleep, waitFor } from './harness/processes';
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
      order.failNextScrapes(2); // one failed scrape for each replica
      await sleep(60 * SECOND);
      order.failNextScrapes(4); // two in a row for each replica
      await sleep(90 * SECOND);
      const failed = await Promise.all(
        [0, 1].map(async (i) => Number((await p.queryReplica(i, 'sum_over_time((1 - up{job="order-service"})[5m:15s])'))[0]?.value[1] ?? 0)),
      );
      log(`failed scrapes of order-service seen by the replicas: ${failed.join(' and ')}`);
      expect(Math.max(...failed)).toBeGreaterThan(0);
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
    'a critical service stops: the pair sends twice, the mesh pages on-call exactly once, and once resolved after the repair',
    async () => {
      const svc = p.services.get('order-service')!;
      const port = svc.port;
      const stoppedAt = Date.now();
      await svc.stop();
      const page = await waitFor(
        'TradingServiceDown to page',
        async () => notificationsOf(p, 'TradingServiceDown', 'order-service', 'firing', stoppedAt)[0],
        6 * MINUTE,
        500,
      );
      log(`order-service stopped: page at ${page.receiver} after ${((page.at - stoppedAt) / SECOND).toFixed(1)} s from ${page.externalURL}`);
      await sleep(45 * SECOND); // the other peers' turns have passed
      expect(notificationsOf(p, 'TradingServiceDown', 'order-service', 'firing', stoppedAt)).toHaveLength(1);
      const repairedAt = Date.now();
      await svc.start(port);
      await waitFor(
        'the resolved notification',
        async () => notificationsOf(p, 'TradingServiceDown', 'order-service', 'resolved', repairedAt)[0],
        8 * MINUTE,
        1000,
      );
      await sleep(45 * SECOND);
      const all = p.webhook.notifications.filter(
        (n) =>
          n.receiver === PAGER && n.at >= stoppedAt && n.alerts.some((a) => a.labels.alertname === 'TradingServiceDown' && a.labels.job === 'order-service'),
      );
      log(`order-service incident at ${PAGER}: ${describeNotes(all, stoppedAt)}`);
      expect(all.map((n) => n.status)).toEqual(['firing', 'resolved']);
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
        6 * MINUTE,
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
      await sleep(30 * SECOND); // the alert is pending on both replicas
      await p.stopAlertmanager(0, 'SIGKILL');
      const page = await waitFor(
        'TradingServiceDown to page',
        async () => notificationsOf(p, 'TradingServiceDown', 'portfolio-service', 'firing', stoppedAt)[0],
        6 * MINUTE,
        500,
      );
      log(`peer 0 killed, portfolio-service stopped: page after ${((page.at - stoppedAt) / SECOND).toFixed(1)} s from ${page.externalURL}`);
      const rejoinedAt = Date.now();
      await p.restartAlertmanagerPeer(0);
      await sleep(75 * SECOND); // the rejoined peer has had its turn
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
      await sleep(5 * SECOND); // gossiped to the other peers
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
});
