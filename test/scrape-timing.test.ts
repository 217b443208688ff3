/**
 * Rules and dashboards held to the intervals of the environment that runs them: every range
 * window spans four scrapes (Prometheus 3 windows are left-open), every staleness alert reads the
 * sample's own timestamp and holds two scrapes, every alert's for spans one evaluation and one
 * sample of what it reads. Checked at synth for every environment.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALERT_GROUPS } from '../alerts';
import { SLOS } from '../alerts/slos';
import { DASHBOARDS } from '../dashboards';
import { defineDashboard, q, timeSeries } from '../lib/dashboards';
import { ConfigError } from '../lib/core/errors';
import { ageUses, rangeUses } from '../lib/rules/promql-timing';
import { IMAGES } from '../lib/core/images';
import {
  LEFT_OPEN_RANGE_SOURCE,
  ScrapeTiming,
  checkAlertHolds,
  checkQueryWindows,
  checkRuleWindows,
  checkScrapeTiming,
  checkStalenessAlerts,
  stalenessAlerts,
  timedDashboardQueries,
} from '../lib/rules/scrape-timing';
import { SLO_RECORDS, sloRuleGroups } from '../lib/rules/slo';
import { AlertRule, RecordingRule, RuleGroup } from '../lib/rules/types';
import { METRICS } from '../metrics';
import { PROFILES } from '../stacks/environments';
import { synthesize } from '../stacks/main';
import { ENVIRONMENTS, synth } from './support/synth';

const timing = (scrapeInterval: string, jobs: ScrapeTiming['jobs'] = [], environment = 'staging'): ScrapeTiming => ({
  environment,
  scrapeInterval,
  evaluationInterval: scrapeInterval,
  jobs,
  catalog: METRICS,
});
const recording = (expr: string, record = 'job:http_requests:rate1m'): RuleGroup => ({
  name: 'windows',
  source: 'alerts/windows.ts',
  rules: [{ record, expr } as RecordingRule],
});
const stale: AlertRule = {
  alert: 'MarketDataStale',
  severity: 'warning',
  expr: 'min by (venue) (timestamp(grekko_market_data_last_update_timestamp_seconds) - grekko_market_data_last_update_timestamp_seconds) > 5',
  for: '1m',
  summary: 'stale',
  description: 'stale market data',
  runbook: 'docs/runbooks/exchange-integrations.md',
};
const alerting = (a: AlertRule): RuleGroup => ({ name: 'feeds', source: 'alerts/trading.ts', rules: [a] });

function configError(f: () => void): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no ConfigError thrown');
}

describe('every environment as synthesized', () => {
  it.each(ENVIRONMENTS)('%s: every rule and dashboard query passes, checked against its real scrape jobs', (env) => {
    const { stack } = synth(env);
    const t: ScrapeTiming = { environment: env, ...stack.prometheus.timing, catalog: METRICS };
    expect(t.jobs.find((j) => j.name === 'elasticsearch')?.interval).toBe('30s');
    expect(() => checkScrapeTiming(ALERT_GROUPS, DASHBOARDS, t)).not.toThrow();
  });

  it('checks something: the rules have windows, the staleness alerts are found, the dashboards have queries', () => {
    expect(ALERT_GROUPS.flatMap((g) => g.rules.flatMap((r) => rangeUses(r.expr))).length).toBeGreaterThan(100);
    expect(
      stalenessAlerts(ALERT_GROUPS)
        .map((a) => a.rule.alert)
        .sort(),
    ).toEqual(['BackupStale', 'MarketDataStale']);
    expect(timedDashboardQueries(DASHBOARDS).filter((x) => /\$__rate_interval/.test(x.expr)).length).toBeGreaterThan(50);
  });
});

describe('range windows span at least four scrape intervals', () => {
  it('rests on the left-open windows of the Prometheus release the stack runs, read from its source', () => {
    // Moving the image to another release means reading promql/engine.go (matrixIterSlice) at the new tag again.
    expect(`${LEFT_OPEN_RANGE_SOURCE.repository}@${LEFT_OPEN_RANGE_SOURCE.tag}`).toBe(`${IMAGES.prometheus.repository}@${IMAGES.prometheus.tag}`);
  });

  it('rejects rate(x[1m]) at 30 s scrapes, naming the rule, its file, the window, the interval and the smallest window', () => {
    const e = configError(() => checkRuleWindows([recording('sum(rate(http_requests_total[1m]))')], timing('30s')));
    expect(e.message).toBe(
      'recording rule "job:http_requests:rate1m" (alerts/windows.ts): range window is "1m"; in staging it spans fewer than 4 intervals of its samples of http_requests_total ' +
        '(the scrape interval of staging is 30s): Prometheus 3 range windows are left-open, so [1m] holds 2 samples at most and a missed scrape leaves 1; use a window of at least 2m',
    );
    expect(() => checkRuleWindows([recording('sum(rate(http_requests_total[1m]))')], timing('15s'))).not.toThrow();
    expect(() => checkRuleWindows([recording('sum(rate(http_requests_total[2m]))')], timing('30s'))).not.toThrow();
  });

  it('uses the interval of the job a selector names, and of the job named after the metric source when it names none', () => {
    const jobs = [{ name: 'elasticsearch', interval: '30s' }, { name: 'node-exporter' }];
    const named = configError(() =>
      checkRuleWindows([recording('rate(elasticsearch_indices_indexing_index_total{job="elasticsearch"}[1m])')], timing('15s', jobs, 'production')),
    );
    expect(named.message).toMatch(/\(job "elasticsearch" scrapes every 30s in production\).*use a window of at least 2m$/);
    const bySource = configError(() =>
      checkRuleWindows([recording('rate(elasticsearch_indices_indexing_index_total[1m])')], timing('15s', jobs, 'production')),
    );
    expect(bySource.message).toMatch(/job "elasticsearch" scrapes every 30s/);
    expect(() => checkRuleWindows([recording('rate(node_cpu_seconds_total[1m])')], timing('15s', jobs, 'production'))).not.toThrow();
    // A job scraping faster than the rest is held to its own interval.
    const fast = [{ name: 'blackbox-synthetic', interval: '10s' }];
    expect(() => checkRuleWindows([recording('max_over_time(probe_success{job="blackbox-synthetic"}[40s])')], timing('30s', fast))).not.toThrow();
    expect(
      configError(() => checkRuleWindows([recording('max_over_time(probe_success{job=~"blackbox-synthetic|order-service"}[40s])')], timing('30s', fast)))
        .message,
    ).toMatch(/the scrape interval of staging is 30s.*at least 2m$/);
  });

  it('holds windows over recorded series to the evaluation interval, and subqueries to their step', () => {
    const groups: RuleGroup[] = [
      { name: 'base', source: 'alerts/base.ts', interval: '1m', rules: [{ record: 'job:errors:ratio', expr: 'sum(rate(http_requests_total[5m]))' }] },
      recording('avg_over_time(job:errors:ratio[3m])', 'job:errors:ratio_avg3m'),
    ];
    expect(configError(() => checkRuleWindows(groups, timing('15s'))).message).toMatch(
      /range window is "3m".*\(rule group "base" records it every 1m\).*at least 4m$/,
    );
    expect(configError(() => checkRuleWindows([recording('max_over_time(sum(up)[1m:30s])')], timing('15s'))).message).toMatch(
      /intervals of its subquery steps \(the subquery steps every 30s\).*at least 2m$/,
    );
    expect(() => checkRuleWindows([recording('max_over_time(sum(up)[2m:30s])')], timing('15s'))).not.toThrow();
  });

  it('rejects the order execution SLI as it was (rate over 1m) in local and staging, and accepts it as generated now', () => {
    const spec = SLOS.find((s) => s.name === 'order-execution-latency')!;
    const [recordings] = sloRuleGroups(spec);
    const bad = recordings.rules.find((r) => (r as RecordingRule).record === SLO_RECORDS.badMinute) as RecordingRule;
    expect(bad.expr).toBe(
      '(sum(irate(grekko_order_execution_duration_seconds_sum{namespace="grekko", job="order-service"}[2m])) / sum(irate(grekko_order_execution_duration_seconds_count{namespace="grekko", job="order-service"}[2m]))) > bool 0.05',
    );
    const old = {
      ...recordings,
      rules: recordings.rules.map((r) => (r === bad ? { ...bad, expr: bad.expr.replace(/irate\(/g, 'rate(').replace(/\[2m\]/g, '[1m]') } : r)),
    };
    for (const env of ['local', 'staging'] as const) {
      const p = PROFILES[env];
      const e = configError(() => checkRuleWindows([old], timing(p.scrapeInterval, [], env)));
      expect(e.message).toMatch(
        new RegExp(
          `^recording rule "slo:sli_bad_minute:bool" \\(alerts/slos\\.ts\\): range window is "1m"; in ${env} .*scrape interval of ${env} is 30s.*at least 2m$`,
        ),
      );
    }
    expect(() => checkRuleWindows([old], timing(PROFILES.production.scrapeInterval, [], 'production'))).not.toThrow();
    for (const env of ENVIRONMENTS) expect(() => checkRuleWindows([recordings], timing(PROFILES[env].scrapeInterval, [], env))).not.toThrow();
  });

  it("rejects $__rate_interval over a job scraped less often than the datasource's step, and accepts it with the job's interval as minimum step", () => {
    const jobs = [{ name: 'elasticsearch', interval: '30s' }];
    const panel = (minStep?: string) =>
      defineDashboard({
        uid: 'es-test',
        title: 'ES',
        folder: 'Platform',
        tags: ['test'],
        source: 'dashboards/es-test.ts',
        description: 'test',
        rows: [
          {
            title: 'r',
            panels: [
              timeSeries({
                w: 24,
                h: 8,
                title: 'Indexing',
                unit: 'short',
                queries: [{ ...q('sum(rate(elasticsearch_indices_indexing_index_total[$__rate_interval]))'), ...(minStep ? { minStep } : {}) }],
              }),
            ],
          },
        ],
      });
    const e = configError(() => checkQueryWindows(timedDashboardQueries([panel()]), [], timing('15s', jobs, 'production')));
    expect(e.message).toMatch(
      /^dashboard "es-test" \(dashboards\/es-test\.ts\), panel "Indexing" query A: range window is "\$__rate_interval \(1m at its smallest, with a minimum step of 15s\)"; in production .*job "elasticsearch" scrapes every 30s.*give the query a minimum step of 30s/,
    );
    expect(() => checkQueryWindows(timedDashboardQueries([panel('30s')]), [], timing('15s', jobs, 'production'))).not.toThrow();
  });

  it("gives the Elasticsearch dashboard's rate queries the elasticsearch job's 30 s as their minimum step", () => {
    const logging = timedDashboardQueries(DASHBOARDS.filter((d) => d.source === 'dashboards/logging.ts')).filter((x) => /rate\(elasticsearch_/.test(x.expr));
    expect(logging.length).toBe(5);
    for (const x of logging)
      expect([x.where, x.minStep]).toEqual([x.where, synth('production').stack.prometheus.timing.jobs.find((j) => j.name === 'elasticsearch')!.interval]);
  });
});

describe('staleness alerts read the sample timestamp and hold two scrape intervals', () => {
  it('rejects time() - last_update, naming the alert, its file and the fix', () => {
    const old = { ...stale, expr: 'time() - max by (venue) (grekko_market_data_last_update_timestamp_seconds) > 5' };
    const e = configError(() => checkStalenessAlerts([alerting(old)], timing('15s')));
    expect(e.message).toBe(
      'alert "MarketDataStale" (alerts/trading.ts): expr is "time() - max by (venue) (grekko_market_data_last_update_timestamp_seconds)"; time() - grekko_market_data_last_update_timestamp_seconds ' +
        "grows by a whole scrape interval between scrapes and saw-tooths across the threshold on a healthy feed; compare against the sample's own timestamp: " +
        'timestamp(grekko_market_data_last_update_timestamp_seconds) - grekko_market_data_last_update_timestamp_seconds',
    );
  });

  it('rejects a hold shorter than two scrape intervals of the environment, naming the value and the fix', () => {
    expect(() => checkStalenessAlerts([alerting(stale)], timing('30s'))).not.toThrow();
    const e = configError(() => checkStalenessAlerts([alerting({ ...stale, for: '45s' })], timing('30s', [], 'local')));
    expect(e.message).toBe(
      'alert "MarketDataStale" (alerts/trading.ts): for is "45s"; in local a staleness alert must hold for at least 2 scrape intervals (the scrape interval of local is 30s), ' +
        'so that one late update seen by one scrape does not fire it; set for to 1m or more',
    );
    expect(configError(() => checkStalenessAlerts([alerting({ ...stale, for: undefined })], timing('15s'))).message).toMatch(
      /for is missing; .*set for to 30s or more$/,
    );
  });

  it('leaves ages that are not staleness alone: a certificate expiry counts down, time() minus a non-timestamp is no age', () => {
    expect(ageUses('probe_ssl_earliest_cert_expiry - time() < 86400')).toEqual([]);
    const certs = alerting({ ...stale, alert: 'CertExpiring', expr: 'probe_ssl_earliest_cert_expiry - time() < 86400', for: undefined });
    expect(() => checkStalenessAlerts([certs], timing('15s'))).not.toThrow();
  });
});

describe("an alert's for spans at least one evaluation interval and one sample interval of what it reads", () => {
  const down: AlertRule = {
    ...stale,
    alert: 'ElasticsearchClusterRed',
    expr: 'max by (es_cluster) (elasticsearch_cluster_health_status{color="red"}) == 1',
    for: '5m',
  };
  const evaluated = (evaluationInterval: string, jobs: ScrapeTiming['jobs'] = []): ScrapeTiming => ({
    environment: 'production',
    scrapeInterval: '15s',
    evaluationInterval,
    jobs,
    catalog: METRICS,
  });
  const group = (rules: AlertRule[], interval?: string): RuleGroup => ({
    name: 'logging',
    source: 'alerts/logging.ts',
    ...(interval ? { interval } : {}),
    rules,
  });

  it('rejects an evaluation interval of 10m under an alert that holds 5m, naming the alert, its file, the interval and the fix', () => {
    const e = configError(() => checkAlertHolds([group([down])], evaluated('10m')));
    expect(e.message).toBe(
      'alert "ElasticsearchClusterRed" (alerts/logging.ts): for is "5m"; rules are evaluated every 10m in production (the profile\'s evaluationInterval), longer than it must hold: ' +
        'Prometheus sees it pending only at evaluations, so it fires after 10m, not 5m; set evaluationInterval in the production profile to 5m or less, or for to 10m or more',
    );
    expect(() => checkAlertHolds([group([down])], evaluated('5m'))).not.toThrow();
  });

  it("rejects a rule group's own interval longer than its alerts' for, and names the shortest hold so that one fix serves every alert", () => {
    const quick = { ...down, alert: 'ElasticsearchClusterYellow', for: '2m' };
    const e = configError(() => checkAlertHolds([group([down, quick], '10m')], evaluated('15s')));
    expect(e.message).toBe(
      'alert "ElasticsearchClusterYellow" (alerts/logging.ts): for is "2m"; its rule group "logging" is evaluated every 10m (the group\'s interval), longer than it must hold ' +
        '(1 other alert holds for less than that too: ElasticsearchClusterRed): Prometheus sees it pending only at evaluations, so it fires after 10m, not 2m; ' +
        'set the interval of rule group "logging" to 2m or less, or for to 10m or more',
    );
  });

  it('leaves alerts without a for alone: they fire on the first evaluation that sees the condition, as written', () => {
    expect(() =>
      checkAlertHolds(
        [
          group([
            { ...down, for: undefined },
            { ...down, alert: 'Zero', for: '0s' },
          ]),
        ],
        evaluated('10m'),
      ),
    ).not.toThrow();
  });

  it('rejects a for shorter than one scrape of the job the alert reads: one bad scrape would fire it', () => {
    const jobs = [{ name: 'elasticsearch', interval: '30s' }];
    const e = configError(() => checkAlertHolds([group([{ ...down, for: '20s' }])], evaluated('15s', jobs)));
    expect(e.message).toBe(
      'alert "ElasticsearchClusterRed" (alerts/logging.ts): for is "20s"; in production it reads elasticsearch_cluster_health_status, sampled every 30s (job "elasticsearch" scrapes every 30s in production): ' +
        'a for shorter than one sample interval is held by a single sample, so one bad scrape fires the alert as if it had no for; set for to 30s or more, or leave it out to fire on the first bad sample',
    );
    expect(() => checkAlertHolds([group([{ ...down, for: '30s' }])], evaluated('15s', jobs))).not.toThrow();
    // A recorded series changes once per evaluation of its group.
    const recorded: RuleGroup = {
      name: 'base',
      source: 'alerts/base.ts',
      interval: '1m',
      rules: [{ record: 'job:errors:ratio', expr: 'sum(rate(http_requests_total[5m]))' }],
    };
    const onRecorded = { ...down, alert: 'ErrorsHigh', expr: 'job:errors:ratio > 0.1', for: '30s' };
    expect(configError(() => checkAlertHolds([recorded, group([onRecorded])], evaluated('15s'))).message).toMatch(
      /reads job:errors:ratio, sampled every 1m \(rule group "base" records it every 1m\).*set for to 1m or more/,
    );
  });

  it('holds every shipped alert in every environment, paging ones for three scrapes of what they read', () => {
    for (const env of ENVIRONMENTS)
      expect(() =>
        checkAlertHolds(ALERT_GROUPS, { environment: env, ...synth(env).stack.prometheus.timing, catalog: METRICS, failedScrapesToPage: 3 }),
      ).not.toThrow();
  });

  describe('a paging alert holds as many scrape intervals as failed scrapes it takes to page', () => {
    const pgDown: AlertRule = { ...down, alert: 'PostgresDown', severity: 'critical', expr: 'pg_up == 0', for: '15s' };
    const fast = group([pgDown], '5s');

    it('pages after three failed scrapes at 5s with for 15s, and refuses for 15s at 10s scrapes, naming the job, its interval and the fix', () => {
      const at = (interval: string): ScrapeTiming => ({ ...evaluated('15s', [{ name: 'postgres-exporter', interval }]), failedScrapesToPage: 3 });
      expect(() => checkAlertHolds([fast], at('5s'))).not.toThrow();
      expect(configError(() => checkAlertHolds([fast], at('10s'))).message).toBe(
        'alert "PostgresDown" (alerts/logging.ts): for is "15s"; it pages, and in production it reads pg_up, sampled every 10s (job "postgres-exporter" scrapes every 10s in production): ' +
          'held for less than 3 intervals, 2 failed scrapes in a row can page; set for to 30s or more, or scrape the job more often',
      );
    });

    it('leaves warnings alone: a failed scrape or two may warn', () => {
      const warn = group([{ ...pgDown, severity: 'warning' }], '5s');
      expect(() => checkAlertHolds([warn], { ...evaluated('15s', [{ name: 'postgres-exporter', interval: '10s' }]), failedScrapesToPage: 3 })).not.toThrow();
    });

    it('reads the jobs of `up` from the recorded series it is joined with on job: every core service at its own interval', () => {
      const expected: RuleGroup = {
        name: 'availability',
        source: 'alerts/availability.ts',
        interval: '5s',
        rules: [
          { record: 'service:up:expected', expr: 'vector(1)', labels: { job: 'order-service' } },
          { record: 'service:up:expected', expr: 'vector(1)', labels: { job: 'risk-service' } },
          { ...pgDown, alert: 'TradingServiceDown', expr: 'service:up:expected unless on (namespace, job) (up{namespace="grekko"} == 1)' },
        ],
      };
      const jobs = (risk: string) => [
        { name: 'order-service', interval: '5s' },
        { name: 'risk-service', interval: risk },
      ];
      expect(() => checkAlertHolds([expected], { ...evaluated('15s', jobs('5s')), failedScrapesToPage: 3 })).not.toThrow();
      expect(configError(() => checkAlertHolds([expected], { ...evaluated('15s', jobs('15s')), failedScrapesToPage: 3 })).message).toMatch(
        /^alert "TradingServiceDown" \(alerts\/availability\.ts\): for is "15s"; it pages, and in production it reads up, sampled every 15s .*set for to 45s or more/,
      );
    });
  });
});

describe('synth with an evaluation interval longer than the alerts hold', () => {
  it("fails on production's evaluationInterval of 10m, naming the alert with the shortest for and its file, and leaves dist/ as it was", () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    fs.writeFileSync(path.join(dist, 'marker'), 'previous output');
    expect(() => synthesize(dist, [PROFILES.local, { ...PROFILES.production, evaluationInterval: '10m' }])).toThrow(
      /^alert "MarketDataStale" \(alerts\/trading\.ts\): for is "1m"; rules are evaluated every 10m in production \(the profile's evaluationInterval\), longer than it must hold \(\d+ other alerts hold for less than that too: .*\).*set evaluationInterval in the production profile to 1m or less, or for to 10m or more$/,
    );
    expect(fs.readdirSync(dist)).toEqual(['marker']);
  });
});

describe('synth with a staleness alert on time()', () => {
  it('fails naming the alert and its file, and leaves dist/ as it was', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    fs.writeFileSync(path.join(dist, 'marker'), 'previous output');
    jest.isolateModules(() => {
      jest.doMock('../alerts/trading', () => {
        const real = jest.requireActual('../alerts/trading');
        const old = 'time() - max by (namespace, job, service, venue) (grekko_market_data_last_update_timestamp_seconds) > 5';
        const broken = {
          ...real.integrations,
          rules: real.integrations.rules.map((r: AlertRule) => (r.alert === 'MarketDataStale' ? { ...r, expr: old } : r)),
        };
        return { ...real, integrations: broken, groups: [real.orders, broken, real.agents] };
      });
      const { synthesize } = require('../stacks/main');
      const { PROFILES: profiles } = require('../stacks/environments');
      expect(() => synthesize(dist, [profiles.production])).toThrow(/^alert "MarketDataStale" \(alerts\/trading\.ts\): expr is "time\(\) - max by/);
    });
    expect(fs.readdirSync(dist)).toEqual(['marker']);
  });
});
