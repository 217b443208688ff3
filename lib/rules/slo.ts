/**
 * Service level objectives as code. From one SLO spec this generates, in the manner of Sloth and
 * Pyrra: recording rules for the SLI error ratio over every alerting window and the whole period,
 * the error budget remaining and the current burn rate; multi-window, multi-burn-rate alerts (page
 * and ticket); and an alert when the SLI's metrics are absent.
 *
 * Alert windows and the share of the budget each one guards live in one table, BURN_RATE_WINDOWS
 * (lib/rules/slo-spec.ts, with the spec, the record names and the checks of a spec);
 * burn-rate factors are derived from it for the SLO's period (14.4, 6, 3 and 1 for 30 days).
 */
import { formatDuration, parseDuration } from '../core/units';
import { BURN_RATE_WINDOWS, DAY_MS, SLI, SLIScope, SLI_WINDOWS, SLOSpec, SLO_RECORDS, burnRateFactor, errorRatioRecord } from './slo-spec';
import { AlertRule, RecordingRule, RuleGroup } from './types';

export type { BurnRateWindow, SLI, SLIScope, SLOSpec } from './slo-spec';
export { BURN_RATE_WINDOWS, SLI_WINDOWS, SLO_RECORDS, burnRateFactor, errorRatioRecord, validateSLO, validateSLOs } from './slo-spec';

const sel = (s: string | undefined) => (s ? `{${s}}` : '');
const secondsLiteral = (n: number) => String(n);
/** An instant vector kept to the SLI's scope, when it has one (always inside a function's parentheses, so it needs none of its own). */
const scoped = (expr: string, within: SLIScope | undefined) => (within ? `${expr} and on (${within.on.join(', ')}) ${within.series}` : expr);

/** The error ratio over one window, from the raw metrics (or the bad-minute series). */
function errorRatioExpr(sli: SLI, window: string, labels: string): string {
  switch (sli.kind) {
    case 'ratio':
      return `sum(rate(${sli.errors}[${window}])) / sum(rate(${sli.total}[${window}]))`;
    case 'latency': {
      const le = `le="${secondsLiteral(sli.thresholdSeconds)}"`;
      const bucketSel = sli.selector ? `${sli.selector}, ${le}` : le;
      const bucket = scoped(`rate(${sli.histogram}_bucket{${bucketSel}}[${window}])`, sli.within);
      const count = scoped(`rate(${sli.histogram}_count${sel(sli.selector)}[${window}])`, sli.within);
      return `1 - (sum(${bucket}) / sum(${count}))`;
    }
    case 'availability':
      return `1 - avg(avg_over_time(${sli.metric}{${sli.selector}}[${window}]))`;
    case 'averageLatency':
    case 'freshness':
    case 'recovery':
      return `avg_over_time(${SLO_RECORDS.badMinute}{${labels}}[${window}])`;
  }
}

/**
 * How far back an average-latency SLI looks for its last two scrapes. The SLI is the average
 * latency of the orders completed between the two latest scrapes of the histogram (`irate` of
 * `_sum` over `irate` of `_count`), judged at every evaluation, so each scrape interval is judged
 * once and the budget counts the share of time whose average exceeds the bound.
 *
 * It was `rate(...[1m])`, which fails twice under Prometheus 3: range windows are left-open, so
 * at a 30 s scrape interval (local, staging) `[1m]` holds two samples and one missed scrape leaves
 * one, from which `rate` returns nothing and the minute goes unmeasured; and overlapping
 * one-minute windows judged every 15 s (production) count one slow minute in about one and a half
 * minutes of evaluations. A longer `rate` window (`[2m]`) would cure the first and double the
 * second: every evaluation whose window touches a slow minute enough turns bad. A subquery
 * (`rate(x[1m:15s])`) only re-reads the same raw samples through the lookback, which adds no
 * information. `irate` over two minutes needs only the last two samples in them: four scrapes at
 * 30 s (eight at 15 s), so a missed scrape still leaves three, and a longer gap is measured as
 * one interval. lib/rules/scrape-timing.ts checks every window against each environment's
 * intervals at synth.
 */
export const AVERAGE_LATENCY_LOOKBACK = '2m';

/** For time-based SLIs: 1 when the current minute is bad, 0 when it is good. */
function badMinuteExpr(sli: SLI): string | undefined {
  switch (sli.kind) {
    case 'averageLatency': {
      const w = AVERAGE_LATENCY_LOOKBACK;
      return `(sum(irate(${sli.histogram}_sum${sel(sli.selector)}[${w}])) / sum(irate(${sli.histogram}_count${sel(sli.selector)}[${w}]))) > bool ${secondsLiteral(sli.boundSeconds)}`;
    }
    case 'freshness':
      return sli.ageMetric
        ? `max(${sli.ageMetric}${sel(sli.selector)}) > bool ${secondsLiteral(sli.boundSeconds)}`
        : `max(timestamp(${sli.timestampMetric}${sel(sli.selector)}) - ${sli.timestampMetric}${sel(sli.selector)}) > bool ${secondsLiteral(sli.boundSeconds)}`;
    case 'recovery':
      // Bad while some job has had no instance up for the whole bound: not back within it.
      return `max(max by (job) (${scoped(`max_over_time(${sli.metric}{${sli.selector}}[${formatDuration(sli.boundSeconds * 1000)}])`, sli.within)}) == bool 0)`;
    default:
      return undefined;
  }
}

/** The `label="value"` matchers of a selector, as labels. */
function equalityMatchers(selector: string | undefined): Record<string, string> {
  return Object.fromEntries([...(selector ?? '').matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** The series whose absence means the SLI cannot be measured. */
function presenceSelector(sli: SLI): string {
  switch (sli.kind) {
    case 'ratio':
      return sli.total;
    case 'latency':
      return scoped(`${sli.histogram}_count${sel(sli.selector)}`, sli.within);
    case 'averageLatency':
      return `${sli.histogram}_count${sel(sli.selector)}`;
    case 'freshness':
      return `${sli.ageMetric ?? sli.timestampMetric}${sel(sli.selector)}`;
    case 'availability':
      return `${sli.metric}{${sli.selector}}`;
    case 'recovery':
      return scoped(`${sli.metric}{${sli.selector}}`, sli.within);
  }
}

/**
 * The share of the window `long` that Prometheus has seen the SLI for, from 0 to 1: the time since
 * the oldest 5-minute error ratio recorded within it (a little more than the window, so that a full
 * history counts as 1), over the window.
 *
 * An error ratio is the share of bad events among those its window holds. On a Prometheus that
 * started minutes ago, or for an SLI whose series appeared minutes ago, the 1h window holds only
 * those minutes, and one failed scrape at 15 s is already more than the 1.44% at which a 99.9% SLO
 * pages. The long window's ratio is therefore weighed by the share of it that was seen: the time not
 * seen spends no budget. That is the budget the row asks about (a share of the period's budget spent
 * within the window); an outage still pages as soon as it has spent it, and once the window is full
 * the check is the usual one.
 */
export function observedShare(long: string, labels: string): string {
  const longMs = parseDuration(long) as number;
  const lookBack = formatDuration(longMs + 5 * 60_000);
  return `clamp_max((time() - min_over_time(${SLO_RECORDS.recordedAt}{${labels}}[${lookBack}])) / ${secondsLiteral(longMs / 1000)}, 1)`;
}

function alertName(spec: SLOSpec, suffix: string): string {
  const camel = spec.name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `SLO${camel}${suffix}`;
}

/** The rule groups of one SLO: recordings, then alerts. */
export function sloRuleGroups(spec: SLOSpec): RuleGroup[] {
  const period = spec.period ?? '30d';
  const objective = spec.objective / 100;
  const budget = Math.round((1 - objective) * 1e9) / 1e9;
  const ids = { slo: spec.name, service: spec.service };
  const labels = `slo="${spec.name}", service="${spec.service}"`;
  const sli = spec.sli;

  const periodRatio = errorRatioRecord(period);
  const recordings: RecordingRule[] = [];
  const bad = badMinuteExpr(sli);
  if (bad) recordings.push({ record: SLO_RECORDS.badMinute, expr: bad, labels: ids });
  if (sli.kind === 'recovery') {
    // Per job: when an instance was last up, and how long the job has had none up since (the
    // time to recovery so far, 0 while it is up). Recording the timestamp keeps the day-long look
    // back a plain range query instead of a subquery.
    const target = scoped(`${sli.metric}{${sli.selector}}`, sli.within);
    recordings.push(
      { record: SLO_RECORDS.lastUp, expr: `max by (job) (${scoped(`timestamp(${sli.metric}{${sli.selector}} == 1)`, sli.within)})`, labels: ids },
      {
        record: SLO_RECORDS.downtime,
        expr: `(time() - max by (job) (max_over_time(${SLO_RECORDS.lastUp}{${labels}}[1d]))) * on (job) (max by (job) (${target}) == bool 0)`,
        labels: ids,
      },
    );
  }
  for (const w of SLI_WINDOWS) recordings.push({ record: errorRatioRecord(w), expr: errorRatioExpr(sli, w, labels), labels: ids });
  recordings.push({ record: SLO_RECORDS.recordedAt, expr: `timestamp(${errorRatioRecord(SLI_WINDOWS[0])}{${labels}})`, labels: ids });
  recordings.push(
    { record: SLO_RECORDS.objective, expr: `vector(${objective})`, labels: ids },
    { record: SLO_RECORDS.errorBudget, expr: `vector(${budget})`, labels: ids },
    { record: SLO_RECORDS.timePeriodDays, expr: `vector(${(parseDuration(period) as number) / DAY_MS})`, labels: ids },
    {
      record: periodRatio,
      expr: `sum_over_time(${errorRatioRecord('5m')}{${labels}}[${period}]) / count_over_time(${errorRatioRecord('5m')}{${labels}}[${period}])`,
      labels: ids,
    },
    { record: SLO_RECORDS.currentBurnRate, expr: `${errorRatioRecord('5m')}{${labels}} / ${budget}`, labels: ids },
    { record: SLO_RECORDS.periodBurnRate, expr: `${periodRatio}{${labels}} / ${budget}`, labels: ids },
    { record: SLO_RECORDS.budgetRemaining, expr: `1 - ${SLO_RECORDS.periodBurnRate}{${labels}}`, labels: ids },
  );

  const alerts: AlertRule[] = [];
  for (const severity of ['critical', 'warning'] as const) {
    const rows = BURN_RATE_WINDOWS.filter((r) => r.severity === severity);
    const expr = rows
      .map((r) => {
        const f = burnRateFactor(r, period);
        return `(${errorRatioRecord(r.long)}{${labels}} * ${observedShare(r.long, labels)} > (${f} * ${budget}) and ${errorRatioRecord(r.short)}{${labels}} > (${f} * ${budget}))`;
      })
      .join('\nor\n');
    const windows = rows.map((r) => `${burnRateFactor(r, period)}x over ${r.long} and ${r.short}`).join(', or ');
    alerts.push({
      alert: alertName(spec, severity === 'critical' ? 'ErrorBudgetBurnFast' : 'ErrorBudgetBurnSlow'),
      severity,
      expr,
      labels: { ...ids, ...(severity === 'critical' ? { slo_alert: 'page' } : { slo_alert: 'ticket' }) },
      summary: `${spec.service}: ${spec.name} is burning its error budget ${severity === 'critical' ? 'fast' : 'steadily'}`,
      description:
        `${spec.description} Objective ${spec.objective}% over ${period}. The error budget is burning at ${windows}. At this pace ` +
        `${severity === 'critical' ? 'the budget runs out within days: act now' : 'the budget will not last the period: plan a fix'}.`,
      runbook: spec.runbook,
      ...(spec.dashboard ? { dashboard: spec.dashboard } : {}),
    });
  }
  alerts.push({
    alert: alertName(spec, 'SLIAbsent'),
    severity: 'warning',
    expr: `absent(${presenceSelector(sli)})`,
    for: '10m',
    // absent() of a selector takes its equality matchers as labels; of a scoped one it has none.
    labels: { ...('within' in sli && sli.within ? equalityMatchers(sli.selector) : {}), ...ids },
    summary: `${spec.service}: the metrics of SLO ${spec.name} are missing`,
    description: `No series match ${presenceSelector(sli)} for 10 minutes, so the SLO "${spec.name}" cannot be measured and its burn-rate alerts cannot fire.`,
    runbook: spec.runbook,
    ...(spec.dashboard ? { dashboard: spec.dashboard } : {}),
  });

  return [
    { name: `slo-${spec.name}-recordings`, source: spec.source, rules: recordings },
    { name: `slo-${spec.name}-alerts`, source: spec.source, rules: alerts },
  ];
}

const scopeWords = (within: SLIScope | undefined) => (within ? ` (of the ${within.on.join(' and ')} in \`${within.series}\`)` : '');

/** How an SLI measures, in words, for reviewers. */
export function describeSLI(sli: SLI): string {
  switch (sli.kind) {
    case 'ratio':
      return `bad events \`${sli.errors}\` over all \`${sli.total}\``;
    case 'latency':
      return `requests of \`${sli.histogram}\`${scopeWords(sli.within)} slower than ${sli.thresholdSeconds * 1000} ms`;
    case 'averageLatency':
      return `time in which the average of \`${sli.histogram}\` between two scrapes exceeds ${sli.boundSeconds * 1000} ms`;
    case 'freshness':
      return `minutes in which \`${sli.ageMetric ?? sli.timestampMetric}\` is older than ${sli.boundSeconds} s`;
    case 'availability':
      return `failed \`${sli.metric}\` of \`${sli.selector}\``;
    case 'recovery':
      return `minutes in which a job of \`${sli.metric}{${sli.selector}}\`${scopeWords(sli.within)} has been down longer than ${formatDuration(sli.boundSeconds * 1000)}`;
  }
}

/**
 * A Markdown section listing each SLO: objective, period, what counts as bad, the error budget in
 * time, the rules generated, and where to read the budget that remains.
 */
export function renderSLOMarkdown(specs: readonly SLOSpec[]): string {
  const lines = [
    '## Service level objectives',
    '',
    'Generated by `lib/rules/slo.ts` from `alerts/slos.ts`. Each SLO pages when its error budget burns',
    `fast (${BURN_RATE_WINDOWS.filter((r) => r.severity === 'critical')
      .map((r) => `${burnRateFactor(r, '30d')}x over ${r.long} and ${r.short}`)
      .join(', or ')}),`,
    `opens a ticket when it burns steadily (${BURN_RATE_WINDOWS.filter((r) => r.severity === 'warning')
      .map((r) => `${burnRateFactor(r, '30d')}x over ${r.long} and ${r.short}`)
      .join(', or ')}),`,
    "factors for a 30-day period, and warns when its SLI metrics are absent. Each long window's error",
    'ratio is weighed by the share of the window Prometheus has seen the SLI for',
    '(`slo:sli_error:recorded_at:timestamp_seconds`): on a Prometheus that started minutes ago a',
    'failed scrape or two spend no budget the window has not seen, while an outage pages as soon as',
    'it has spent the budget the row asks about. The budget left is',
    '`slo:period_error_budget_remaining:ratio{slo="<name>"}` (1 = untouched, 0 = spent), the burn rate',
    '`slo:current_burn_rate:ratio{slo="<name>"}`; the Executive dashboard shows both.',
    '',
    '| SLO | service | objective | period | bad means | budget | rules | alerts |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of specs) {
    const period = s.period ?? '30d';
    const groups = sloRuleGroups(s);
    const rules = groups.reduce((n, g) => n + g.rules.length, 0);
    const alerts = groups.flatMap((g) => g.rules.filter((r): r is AlertRule => 'alert' in r));
    const budgetMs = (parseDuration(period) as number) * (1 - s.objective / 100);
    const timeBased = ['averageLatency', 'freshness', 'availability', 'recovery'].includes(s.sli.kind);
    const budget = timeBased
      ? `${formatDuration(Math.round(budgetMs / 1000) * 1000)} per ${period}`
      : `${Math.round((100 - s.objective) * 1000) / 1000}% of requests`;
    lines.push(
      `| \`${s.name}\` | ${s.service} | ${s.objective}% | ${period} | ${describeSLI(s.sli).replace(/\|/g, '&#124;')} | ${budget} | ${rules} | ${alerts.map((a) => `${a.alert} (${a.severity})`).join('<br>')} |`,
    );
  }
  return lines.join('\n') + '\n';
}
