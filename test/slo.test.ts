import { BURN_RATE_WINDOWS, SLOSpec, burnRateFactor, sloRuleGroups, validateSLO, validateSLOs } from '../lib/rules/slo';
import { isAlert } from '../lib/rules/types';
import { SLIS, base } from './support/slo-fixtures';

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
      'slo:sli_error:recorded_at:timestamp_seconds',
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

  it('weighs each long window by the share of it seen since the SLI was first recorded, so that a young Prometheus spends no budget it has not observed', () => {
    const labels = 'slo="api-availability", service="api"';
    expect(groups[0].rules.find((r) => 'record' in r && r.record === 'slo:sli_error:recorded_at:timestamp_seconds')!.expr).toBe(
      `timestamp(slo:sli_error:ratio_rate5m{${labels}})`,
    );
    const fast = groups[1].rules.filter(isAlert)[0].expr;
    expect(fast).toContain(
      `slo:sli_error:ratio_rate1h{${labels}} * clamp_max((time() - min_over_time(slo:sli_error:recorded_at:timestamp_seconds{${labels}}[1h5m])) / 3600, 1) > (14.4 * 0.001)`,
    );
    expect(fast).toContain(`and slo:sli_error:ratio_rate5m{${labels}} > (14.4 * 0.001)`);
    expect(groups[1].rules.filter(isAlert)[1].expr).toContain('[3d5m])) / 259200, 1) > (1 * 0.001)');
  });
});

describe('bad SLO specs fail with the SLO named and the fix', () => {
  const spec = (over: Partial<SLOSpec>): SLOSpec => ({ ...base, name: 'api-availability', sli: SLIS.ratio, ...over });
  it.each([
    [
      'an objective of 100',
      spec({ objective: 100 }),
      /slo "api-availability" \(test\/slo\.test\.ts\): objective is 100; use a percentage strictly between 0 and 100/,
    ],
    ['an objective of 0', spec({ objective: 0 }), /objective is 0; use a percentage strictly between 0 and 100/],
    ['a period of 36 hours', spec({ period: '36h' }), /period is "36h"; use a whole number of days/],
    [
      'a latency SLI on a counter',
      spec({ sli: { kind: 'latency', histogram: 'http_requests_total', thresholdSeconds: 0.1 } }),
      /sli\.histogram is "http_requests_total"; use a metric of type histogram from the metrics catalog/,
    ],
  ])('%s', (_what, s, message) => {
    expect(() => validateSLO(s, new Set(['http_request_duration_seconds']))).toThrow(message);
  });

  it('an SLO name used twice', () => {
    expect(() => validateSLOs([spec({}), spec({ source: 'alerts/other.ts' })])).toThrow(
      /name is "api-availability"; choose another name: it is already used in test\/slo\.test\.ts/,
    );
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
    [
      ...alerting.rules
        .filter(isAlert)
        .find((a) => a.alert === alert)!
        .expr.matchAll(/ratio_rate(\w+)\{[^}]*\}(?: \* clamp_max\(.*?, 1\))? > \(([\d.]+) \* 0\.001\)/g),
    ]
      .map((m) => `${m[1]}@${m[2]}`)
      .sort();

  it('records the same error ratios over the same windows', () => {
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) {
      expect(record(`slo:sli_error:ratio_rate${w}`)).toBe(`sum(rate(${errors}[${w}])) / sum(rate(${total}[${w}]))`);
    }
    expect(record('slo:sli_error:ratio_rate30d')).toBe(
      'sum_over_time(slo:sli_error:ratio_rate5m{slo="slo1", service="svc01"}[30d]) / count_over_time(slo:sli_error:ratio_rate5m{slo="slo1", service="svc01"}[30d])',
    );
    expect(record('slo:period_error_budget_remaining:ratio')).toBe('1 - slo:period_burn_rate:ratio{slo="slo1", service="svc01"}');
  });

  it('pages and tickets on the same windows and factors, the long window weighed by the share of it Prometheus has seen', () => {
    expect(pairs('SLOSlo1ErrorBudgetBurnFast')).toEqual(['1h@14.4', '30m@6', '5m@14.4', '6h@6']);
    expect(pairs('SLOSlo1ErrorBudgetBurnSlow')).toEqual(['1d@3', '2h@3', '3d@1', '6h@1']);
  });
});
