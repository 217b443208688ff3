import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { BURN_RATE_WINDOWS, SLI, SLOSpec, burnRateFactor, sloRuleGroups, validateSLO, validateSLOs } from '../lib/rules/slo';
import { renderRuleGroup } from '../lib/rules/render';
import { RuleGroup, isAlert } from '../lib/rules/types';
import { SLOTestSeries, burnSeries, outageSeries } from '../lib/rules/slo-testing';
import { describeWithTools, promtool, run } from './support/tools';

const base = { service: 'api', objective: 99.9, description: 'Requests succeed.', runbook: 'docs/runbooks/slo-burn.md', source: 'test/slo.test.ts' };

/** The groups as a Prometheus rule file; annotations are left out, these tests are about when alerts fire. */
function ruleFile(groups: readonly RuleGroup[]): string {
  const rendered = groups.map((g) => renderRuleGroup(g, { runbookBaseUrl: '' })) as Array<{ rules: Array<Record<string, unknown>> }>;
  for (const g of rendered) for (const r of g.rules) delete r.annotations;
  return stringify({ groups: rendered });
}

const HISTORY_MIN = 24 * 60; // a day of good traffic before the scenario

/** Concrete series for each SLI kind of SLIS below. */
const SERIES: Record<string, SLOTestSeries> = {
  ratio: { labels: 'service="api", code="200"', badLabels: 'service="api", code="500"' },
  latency: { labels: 'service="api"' },
  averageLatency: { labels: 'service="api"' },
  freshness: { labels: 'service="api", exchange="coinbase"' },
  availability: { labels: 'job="api", instance="a"' },
};

/** A day of good behaviour, then `minutes` in which a share `f` of events (or minutes) is bad. */
function scenario(kind: string, f: number, minutes: number): Array<{ series: string; values: string }> {
  return Object.entries(burnSeries(SLIS[kind], SERIES[kind], { historyMinutes: HISTORY_MIN, badShare: f, minutes })).map(([series, values]) => ({ series, values }));
}

const SLIS: Record<string, SLI> = {
  ratio: { kind: 'ratio', errors: 'http_requests_total{service="api", code=~"5.."}', total: 'http_requests_total{service="api"}' },
  latency: { kind: 'latency', histogram: 'http_request_duration_seconds', selector: 'service="api"', thresholdSeconds: 0.1 },
  averageLatency: { kind: 'averageLatency', histogram: 'order_execution_duration_seconds', selector: 'service="api"', boundSeconds: 0.05 },
  freshness: { kind: 'freshness', ageMetric: 'market_data_age_seconds', selector: 'service="api"', boundSeconds: 1 },
  availability: { kind: 'availability', metric: 'up', selector: 'job="api"' },
};

interface Expectation {
  readonly at: string;
  readonly firing: readonly string[];
}

function promtoolTest(spec: SLOSpec, series: Array<{ series: string; values: string }>, checks: readonly Expectation[]): { status: number; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-'));
  fs.writeFileSync(path.join(dir, 'rules.yaml'), ruleFile(sloRuleGroups(spec)));
  const groups = sloRuleGroups(spec);
  const alertNames = groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert));
  const tests = {
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series,
        alert_rule_test: checks.flatMap((c) =>
          alertNames
            .filter((a) => !a.endsWith('SLIAbsent'))
            .map((a) => ({
              eval_time: c.at,
              alertname: a,
              exp_alerts: c.firing.includes(a)
                ? [{ exp_labels: { ...groups[1].rules.filter(isAlert).find((r) => r.alert === a)!.labels, severity: groups[1].rules.filter(isAlert).find((r) => r.alert === a)!.severity } }]
                : [],
            })),
        ),
      },
    ],
  };
  fs.writeFileSync(path.join(dir, 'tests.yaml'), stringify(tests, { lineWidth: 0 }));
  const r = run(promtool.path!, ['test', 'rules', 'tests.yaml'], { cwd: dir });
  return { status: r.status, out: r.stdout + r.stderr };
}

const at = (minutesAfterHistory: number) => `${HISTORY_MIN + minutesAfterHistory}m`;

describe('the burn-rate table', () => {
  it('pages at 14.4x and 6x and tickets at 3x and 1x over a 30-day period', () => {
    expect(BURN_RATE_WINDOWS.map((r) => [r.severity, r.long, r.short, burnRateFactor(r, '30d')])).toEqual([
      ['critical', '1h', '5m', 14.4],
      ['critical', '6h', '30m', 6],
      ['warning', '1d', '2h', 3],
      ['warning', '3d', '6h', 1],
    ]);
  });

  it('scales the factors to a 28-day period', () => {
    expect(BURN_RATE_WINDOWS.map((r) => burnRateFactor(r, '28d'))).toEqual([13.44, 5.6, 2.8, 0.933]);
  });
});

describe('what an SLO generates', () => {
  const groups = sloRuleGroups({ ...base, name: 'api-availability', sli: SLIS.ratio });
  const records = groups[0].rules.map((r) => ('record' in r ? r.record : ''));

  it('records the error ratio over every window and the period, the budget left and the burn rate', () => {
    expect(records).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:sli_error:ratio_rate30d',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
    ]);
  });

  it('pages, tickets, and warns when the SLI cannot be measured', () => {
    const alerts = groups[1].rules.filter(isAlert).map((a) => [a.alert, a.severity]);
    expect(alerts).toEqual([
      ['SLOApiAvailabilityErrorBudgetBurnFast', 'critical'],
      ['SLOApiAvailabilityErrorBudgetBurnSlow', 'warning'],
      ['SLOApiAvailabilitySLIAbsent', 'warning'],
    ]);
  });
});

describeWithTools('SLO alerts under promtool', [promtool], () => {
  describe.each(Object.entries(SLIS))('%s SLI at 99.9%%', (kind, sli) => {
    const spec: SLOSpec = { ...base, name: `api-${kind.toLowerCase()}`, sli };
    const [fast, slow] = sloRuleGroups(spec)[1].rules.filter(isAlert).map((a) => a.alert);

    it('a fast burn (20x: 2% bad) pages within the hour the 1h/5m window promises', () => {
      // 52 minutes in: time-based SLIs have had their first bad minute (minute 49) in the 5m window.
      const r = promtoolTest(spec, scenario(kind, 0.02, 70), [
        { at: at(0), firing: [] },
        { at: at(52), firing: [fast] },
      ]);
      expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });

    it('a slow burn (5x: 0.5% bad) opens a ticket within the day and does not page', () => {
      const r = promtoolTest(spec, scenario(kind, 0.005, 16 * 60), [
        { at: at(8 * 60), firing: [slow] },
        { at: at(16 * 60 - 1), firing: [slow] },
      ]);
      expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });

    it('a burn below 1 (0.05% bad) stays quiet', () => {
      const r = promtoolTest(spec, scenario(kind, 0.0005, 16 * 60), [
        { at: at(2 * 60), firing: [] },
        { at: at(16 * 60 - 1), firing: [] },
      ]);
      expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });
  });

  describe('recovery SLI: back within 5 minutes', () => {
    const spec: SLOSpec = { ...base, name: 'api-recovery', sli: { kind: 'recovery', metric: 'up', selector: 'job="api"', boundSeconds: 300 } };
    const [fast, slow] = sloRuleGroups(spec)[1].rules.filter(isAlert).map((a) => a.alert);
    /** A day up, then down for `minutes`, then up again. */
    const outage = (minutes: number, total: number) =>
      Object.entries(outageSeries(spec, { labels: 'job="api", instance="a"' }, HISTORY_MIN, minutes, total)).map(([series, values]) => ({ series, values }));

    it('a restart that is back within 4 minutes does not page', () => {
      expect(promtoolTest(spec, outage(4, 60), [{ at: at(30), firing: [] }])).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });

    it('a service still down after 5 minutes pages (and opens a ticket, which the page inhibits)', () => {
      expect(promtoolTest(spec, outage(20, 60), [{ at: at(4), firing: [] }, { at: at(15), firing: [fast, slow] }])).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });
  });
});

describe('bad SLO specs fail with the SLO named and the fix', () => {
  const spec = (over: Partial<SLOSpec>): SLOSpec => ({ ...base, name: 'api-availability', sli: SLIS.ratio, ...over });
  it.each([
    ['an objective of 100', spec({ objective: 100 }), /slo "api-availability" \(test\/slo\.test\.ts\): objective is 100; use a percentage strictly between 0 and 100/],
    ['an objective of 0', spec({ objective: 0 }), /objective is 0; use a percentage strictly between 0 and 100/],
    ['a period of 36 hours', spec({ period: '36h' }), /period is "36h"; use a whole number of days/],
    ['a latency SLI on a counter', spec({ sli: { kind: 'latency', histogram: 'http_requests_total', thresholdSeconds: 0.1 } }), /sli\.histogram is "http_requests_total"; use a metric of type histogram from the metrics catalog/],
  ])('%s', (_what, s, message) => {
    expect(() => validateSLO(s, new Set(['http_request_duration_seconds']))).toThrow(message);
  });

  it('an SLO name used twice', () => {
    expect(() => validateSLOs([spec({}), spec({ source: 'alerts/other.ts' })])).toThrow(/name is "api-availability"; choose another name: it is already used in test\/slo\.test\.ts/);
  });
});

describe('the same spec as Sloth generates it', () => {
  // Sloth's own integration fixture (an availability SLO of 99.9% over 30 days on a request
  // counter) pages on (5m and 1h over 14.4x) or (30m and 6h over 6x) of the 0.001 budget, tickets
  // on (2h and 1d over 3x) or (6h and 3d over 1x), records the error ratio as
  // sum(rate(errors[w])) / sum(rate(total[w])) for 5m..3d, and the period's ratio as the mean of
  // the 5m ratio over 30 days. These rules must say the same.
  const errors = 'http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}';
  const total = 'http_request_duration_seconds_count{job="myservice"}';
  const [recordings, alerting] = sloRuleGroups({ ...base, name: 'slo1', service: 'svc01', sli: { kind: 'ratio', errors, total } });
  const record = (name: string) => recordings.rules.find((r) => 'record' in r && r.record === name)!.expr;
  /** The (window, factor) pairs an alert's expression compares against the budget. */
  const pairs = (alert: string) =>
    [...alerting.rules.filter(isAlert).find((a) => a.alert === alert)!.expr.matchAll(/ratio_rate(\w+)\{[^}]*\} > \(([\d.]+) \* 0\.001\)/g)].map((m) => `${m[1]}@${m[2]}`).sort();

  it('records the same error ratios over the same windows', () => {
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) {
      expect(record(`slo:sli_error:ratio_rate${w}`)).toBe(`sum(rate(${errors}[${w}])) / sum(rate(${total}[${w}]))`);
    }
    expect(record('slo:sli_error:ratio_rate30d')).toBe(
      'sum_over_time(slo:sli_error:ratio_rate5m{slo="slo1", service="svc01"}[30d]) / count_over_time(slo:sli_error:ratio_rate5m{slo="slo1", service="svc01"}[30d])',
    );
    expect(record('slo:period_error_budget_remaining:ratio')).toBe('1 - slo:period_burn_rate:ratio{slo="slo1", service="svc01"}');
  });

  it('pages and tickets on the same windows and factors', () => {
    expect(pairs('SLOSlo1ErrorBudgetBurnFast')).toEqual(['1h@14.4', '30m@6', '5m@14.4', '6h@6']);
    expect(pairs('SLOSlo1ErrorBudgetBurnSlow')).toEqual(['1d@3', '2h@3', '3d@1', '6h@1']);
  });
});
