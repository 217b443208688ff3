/**
 * `npm run bench:alert-latency`: how long a page takes with the production profile's own
 * intervals and Grekko's real alerts, on the production topology of the end-to-end suite (two
 * Prometheus replicas, three meshed Alertmanager peers, test/e2e/faults.test.ts). First it checks
 * that one failed scrape, and then two in a row, of a core service raise no critical alert at all
 * (SLO burn rates included) on either replica and page nobody. Then, over several trials, it stops
 * a dependency or a service and times the page's arrival at on-call. Each trial starts from a quiet
 * Prometheus (a trial that stays stuck names what is still active) and a fresh mesh. Prints every
 * trial, the median and the maximum beside the physical floor: the alert's `for:`, the scrape and
 * evaluation intervals and the critical group wait.
 *
 *   BENCH_TRIALS=6   number of trials (default 6), cycling through Redis, PostgreSQL and a core service
 *                    (the next one each time: the order service, the risk service, ...)
 */
import { ALERT_GROUPS } from '../alerts';
import { parseDuration } from '../lib/core/units';
import { isAlert } from '../lib/rules/types';
import { CORE_SERVICES } from '../metrics/system';
import { PROFILES } from '../stacks/environments';
import { HOST_ALERTS } from '../test/e2e/harness/host-alerts';
import { Pipeline } from '../test/e2e/harness/pipeline';
import { sleep, waitFor } from '../test/e2e/harness/processes';
import { ALL_E2E_TOOLS, E2E_APT_PACKAGES } from '../test/e2e/harness/tools';

interface Trial {
  readonly what: string;
  readonly alert: string;
  /** The scrape job whose interval detects the fault. */
  readonly job: string;
  readonly stop: (p: Pipeline) => Promise<void>;
  readonly start: (p: Pipeline) => Promise<void>;
}

/** A core service stopped: each such trial stops the next one, so that no service's SLO carries one trial's outage into the next. */
const serviceTrial = (name: string): Trial => ({
  what: `stop ${name}`,
  alert: 'TradingServiceDown',
  job: name,
  stop: (p) => p.services.get(name)!.stop(),
  start: async (p) => void (await p.services.get(name)!.start(p.services.get(name)!.port)),
});

/** Trial `i`: Redis, PostgreSQL and a core service in turn. */
function trialAt(i: number): Trial {
  if (i % 3 === 0) return { what: 'stop Redis', alert: 'RedisDown', job: 'redis-exporter', stop: (p) => p.stopRedis(), start: (p) => p.startRedis() };
  if (i % 3 === 1)
    return { what: 'stop PostgreSQL', alert: 'PostgresDown', job: 'postgres-exporter', stop: (p) => p.stopPostgres(), start: (p) => p.startPostgres() };
  return serviceTrial(CORE_SERVICES[Math.floor(i / 3) % CORE_SERVICES.length]);
}

/** What a page may take from a core service, PostgreSQL or Redis stopping to on-call. */
const GOAL = { medianMs: 45_000, maxMs: 60_000 };
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (d: string | undefined) => (d ? (parseDuration(d) ?? 0) : 0);

/**
 * The physical floor of a page. The alert holds for its `for:` from the first evaluation that sees
 * the fault, rounded up to whole evaluations of its group; then the critical group waits. Before
 * that, detection takes up to one scrape interval of the job (as the running Prometheus reports
 * its targets) and up to one evaluation interval of the alert's group; on average half of each.
 */
async function floorOf(p: Pipeline, t: Trial, groupWaitMs: number): Promise<{ best: number; typical: number; worst: number; scrape: string }> {
  const group = ALERT_GROUPS.find((g) => g.rules.some((r) => isAlert(r) && r.alert === t.alert))!;
  const rule = group.rules.filter(isAlert).find((r) => r.alert === t.alert)!;
  const evaluation = ms(group.interval ?? p.prometheusConfig.global.evaluation_interval);
  const res = await fetch(`http://127.0.0.1:${p.prometheusPort(0)}/api/v1/targets?state=active`);
  const targets = ((await res.json()) as { data: { activeTargets: Array<{ labels: Record<string, string>; scrapeInterval: string }> } }).data.activeTargets;
  const scrapeText = targets.find((x) => x.labels.job === t.job)?.scrapeInterval ?? p.prometheusConfig.global.scrape_interval;
  const scrape = ms(scrapeText);
  const best = Math.ceil(ms(rule.for) / evaluation) * evaluation + groupWaitMs;
  return { best, typical: best + (scrape + evaluation) / 2, worst: best + scrape + evaluation, scrape: scrapeText };
}

/** Critical alerts firing in the last `window` on any replica. */
async function criticalAlerts(p: Pipeline, window: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < p.prometheusReplicas; i++) {
    const r = await p.queryReplica(i, `max_over_time(ALERTS{severity="critical",alertstate="firing"}[${window}])`);
    out.push(...r.map((x) => `${x.metric.alertname} on replica ${i}`));
  }
  return out;
}
const log = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<number> {
  const missing = ALL_E2E_TOOLS.filter((t) => !t.path);
  if (missing.length) {
    log(`missing ${missing.map((t) => t.name).join(', ')}: apt-get update && apt-get install -y ${E2E_APT_PACKAGES}`);
    return 2;
  }
  const trials = Number(process.env.BENCH_TRIALS ?? 6);
  const profile = PROFILES.production;
  const p = new Pipeline({ profile, timing: 'profile', topology: 'profile' });
  const stopAll = () => void p.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  try {
    await p.start();
    type AmRoute = { matchers?: string[]; routes?: AmRoute[]; group_wait?: string };
    const child = (r: AmRoute, m: string) => r.routes?.find((c) => c.matchers?.includes(m));
    const critical = child(child(p.alertmanagerConfig.route, 'team="trading"')!, 'severity="critical"')!;
    log(
      `production topology: ${p.prometheusReplicas} Prometheus replicas, ${p.alertmanagerPeers} Alertmanager peers; intervals: scrape ${p.prometheusConfig.global.scrape_interval}, evaluation ${p.prometheusConfig.global.evaluation_interval}, critical group_wait ${critical.group_wait}; the generated rules, unchanged`,
    );
    await p.waitTargetsUp(['postgres-exporter', 'redis-exporter', 'order-service', 'blackbox-health'], 120_000);
    await p.waitMesh();
    const pager = profile.alerting.teams.trading.critical[0];

    // One failed scrape, then two in a row (on each replica: both scrape the same service), must
    // raise no critical alert at all, SLO burn rates included, on this Prometheus of a few minutes.
    const order = p.services.get('order-service')!;
    let noisy = false;
    for (const [n, what] of [
      [1, 'one failed scrape'],
      [2, 'two failed scrapes in a row'],
    ] as const) {
      const before = Date.now();
      order.failNextScrapes(n * p.prometheusReplicas);
      await waitFor(
        `${what} of the order service`,
        async () => ((await p.query('min_over_time(up{job="order-service"}[1m]) == 0')).length ? true : undefined),
        60_000,
        1000,
      );
      await sleep(90_000);
      const raised = await criticalAlerts(p, '2m');
      const pages = p.webhook.notifications.filter((x) => x.receiver === pager && x.at >= before);
      noisy ||= raised.length > 0 || pages.length > 0;
      log(
        `${what} of the order service: ${raised.length || pages.length ? `PAGED (wrong): ${raised.join(', ')}; ${pages.length} pages` : 'no critical alert, no page (right)'}`,
      );
    }

    const latencies: number[] = [];
    const floors: Array<Awaited<ReturnType<typeof floorOf>>> = [];
    for (let i = 0; i < trials; i++) {
      const t = trialAt(i);
      // A fresh Alertmanager and a quiet Prometheus: every trial is a new incident.
      // Info alerts never page (restarting Alertmanager raises MonitoringConfigurationReloaded for
      // 10 minutes), and the host's own alerts say nothing about the pipeline.
      let active: string[] = [];
      await waitFor(
        'no critical or warning alert (Watchdog, info and host alerts aside)',
        async () => {
          active = (await p.prometheusAlerts())
            .filter((a) => a.labels.alertname !== 'Watchdog' && a.labels.severity !== 'info' && !HOST_ALERTS.has(a.labels.alertname))
            .map((a) => `${a.labels.alertname} ${a.state}`);
          return active.length ? undefined : true;
        },
        420_000,
        1000,
      ).catch((err) => {
        throw new Error(`${err instanceof Error ? err.message : String(err)}: still active ${active.join(', ')}`);
      });
      await p.restartAlertmanager();
      await sleep(5_000 + Math.random() * 10_000); // land anywhere in the scrape and evaluation cycle
      const stoppedAt = Date.now();
      await t.stop(p);
      const page = await waitFor(
        `${t.alert} to page`,
        () => p.webhook.find(t.alert, 'firing', stoppedAt).find((n) => n.receiver === pager && n.alert.labels.job === t.job),
        300_000,
        200,
      );
      latencies.push(page.at - stoppedAt);
      const floor = await floorOf(p, t, ms(critical.group_wait));
      floors.push(floor);
      log(
        `trial ${i + 1}: ${t.what} -> ${t.alert} at ${page.receiver} after ${seconds(page.at - stoppedAt)} from ${page.externalURL} (job ${t.job} scraped every ${floor.scrape}; floor ${seconds(floor.best)} to ${seconds(floor.worst)}, typically ${seconds(floor.typical)})`,
      );
      await t.start(p);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    log(
      `time from stop to page over ${latencies.length} trials: median ${seconds(median)}, maximum ${seconds(sorted[sorted.length - 1])}, minimum ${seconds(sorted[0])}`,
    );
    if (floors.length) {
      log(
        `physical floor over these trials: at best ${seconds(Math.min(...floors.map((f) => f.best)))}, typically ${seconds(floors.reduce((a, f) => a + f.typical, 0) / floors.length)}, at worst ${seconds(Math.max(...floors.map((f) => f.worst)))}`,
      );
    }
    const met = latencies.length > 0 && median <= GOAL.medianMs && sorted[sorted.length - 1] <= GOAL.maxMs;
    log(
      `goal (median at most ${seconds(GOAL.medianMs)}, maximum at most ${seconds(GOAL.maxMs)}, no page from one or two failed scrapes): ${met && !noisy ? 'met' : 'MISSED'}`,
    );
    return noisy || !met ? 1 : 0;
  } finally {
    await p.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
