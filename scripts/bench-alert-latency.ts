/**
 * `npm run bench:alert-latency`: how long a page takes with the production profile's own
 * intervals (15 s scrapes and evaluations, 10 s group wait for critical alerts) and Grekko's real
 * alerts (RedisDown and PostgresDown hold for 1 minute, TradingServiceDown for 2), on the same
 * loopback pipeline as the end-to-end suite. Over several trials it stops a dependency or a service
 * and times the page's arrival at the webhook; first it checks that a single failed scrape does
 * not page. Prints every trial, the median and the maximum.
 *
 *   BENCH_TRIALS=6   number of trials (default 6), cycling through Redis, PostgreSQL and the order service
 */
import { PROFILES } from '../stacks/environments';
import { Pipeline } from '../test/e2e/harness/pipeline';
import { sleep, waitFor } from '../test/e2e/harness/processes';
import { ALL_E2E_TOOLS, E2E_APT_PACKAGES } from '../test/e2e/harness/tools';

interface Trial {
  readonly what: string;
  readonly alert: string;
  readonly stop: (p: Pipeline) => Promise<void>;
  readonly start: (p: Pipeline) => Promise<void>;
}

const TRIALS: readonly Trial[] = [
  { what: 'stop Redis', alert: 'RedisDown', stop: (p) => p.stopRedis(), start: (p) => p.startRedis() },
  { what: 'stop PostgreSQL', alert: 'PostgresDown', stop: (p) => p.stopPostgres(), start: (p) => p.startPostgres() },
  {
    what: 'stop the order service',
    alert: 'TradingServiceDown',
    stop: (p) => p.services.get('order-service')!.stop(),
    start: async (p) => void (await p.services.get('order-service')!.start(p.services.get('order-service')!.port)),
  },
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<number> {
  const missing = ALL_E2E_TOOLS.filter((t) => !t.path);
  if (missing.length) {
    log(`missing ${missing.map((t) => t.name).join(', ')}: apt-get update && apt-get install -y ${E2E_APT_PACKAGES}`);
    return 2;
  }
  const trials = Number(process.env.BENCH_TRIALS ?? 6);
  const profile = PROFILES.production;
  const p = new Pipeline({ profile, timing: 'profile' });
  const stopAll = () => void p.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  try {
    await p.start();
    type AmRoute = { matchers?: string[]; routes?: AmRoute[]; group_wait?: string };
    const child = (r: AmRoute, m: string) => r.routes?.find((c) => c.matchers?.includes(m));
    const critical = child(child(p.alertmanagerConfig.route, 'team="trading"')!, 'severity="critical"')!;
    log(
      `production intervals: scrape ${p.prometheusConfig.global.scrape_interval}, evaluation ${p.prometheusConfig.global.evaluation_interval}, critical group_wait ${critical.group_wait}; the generated rules, unchanged`,
    );
    await p.waitTargetsUp(['postgres-exporter', 'redis-exporter', 'order-service', 'blackbox-health'], 120_000);
    const pager = profile.alerting.teams.trading.critical[0];

    // A single failed scrape must not page.
    const order = p.services.get('order-service')!;
    const before = Date.now();
    order.failNextScrapes(1);
    await waitFor(
      'the failed scrape',
      async () => ((await p.query('min_over_time(up{job="order-service"}[1m]) == 0')).length ? true : undefined),
      60_000,
      1000,
    );
    await sleep(90_000);
    const firedOnce = (await p.query('max_over_time(ALERTS{alertname="TradingServiceDown",job="order-service",alertstate="firing"}[3m])')).length > 0;
    const pagedOnce = p.webhook.find('TradingServiceDown', 'firing', before).length > 0;
    log(`single failed scrape of the order service: ${firedOnce || pagedOnce ? 'PAGED (wrong)' : 'no page (right)'}`);

    const latencies: number[] = [];
    for (let i = 0; i < trials; i++) {
      const t = TRIALS[i % TRIALS.length];
      // A fresh Alertmanager and a quiet Prometheus: every trial is a new incident.
      // Info alerts never page (restarting Alertmanager raises MonitoringConfigurationReloaded for 10 minutes).
      let active: string[] = [];
      await waitFor(
        'no critical or warning alert (Watchdog and info alerts aside)',
        async () => {
          active = (await p.prometheusAlerts())
            .filter((a) => a.labels.alertname !== 'Watchdog' && a.labels.severity !== 'info')
            .map((a) => `${a.labels.alertname} ${a.state}`);
          return active.length ? undefined : true;
        },
        300_000,
        1000,
      ).catch((err) => {
        throw new Error(`${err instanceof Error ? err.message : String(err)}: still active ${active.join(', ')}`);
      });
      await p.restartAlertmanager();
      await sleep(5_000 + Math.random() * 10_000); // land anywhere in the scrape and evaluation cycle
      const stoppedAt = Date.now();
      await t.stop(p);
      const page = await waitFor(`${t.alert} to page`, () => p.webhook.find(t.alert, 'firing', stoppedAt).find((n) => n.receiver === pager), 300_000, 200);
      latencies.push(page.at - stoppedAt);
      log(`trial ${i + 1}: ${t.what} -> ${t.alert} at ${page.receiver} after ${seconds(page.at - stoppedAt)}`);
      await t.start(p);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    log(
      `time from stop to page over ${latencies.length} trials: median ${seconds(median)}, maximum ${seconds(sorted[sorted.length - 1])}, minimum ${seconds(sorted[0])}`,
    );
    return firedOnce || pagedOnce ? 1 : 0;
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
