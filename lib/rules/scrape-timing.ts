/**
 * Checks that hold rules and dashboard queries to the scrape and evaluation intervals of the
 * environment that runs them. Three rules, each failing with a ConfigError that names the rule or
 * query, its file, the bad value, the interval and the smallest value allowed:
 *
 * 1. Every range window spans at least four intervals of the series it reads. Prometheus 3 range
 *    selectors are left-open: a sample exactly at the window's start is left out. In
 *    prometheus/prometheus v3.5.0 (the pinned image), promql/engine.go, `matrixIterSlice` keeps a
 *    sample only when `t > mint`, with `mint = maxt - range` (and drops retained points with
 *    `T <= mint`), so `rate(x[1m])` at 30 s scrapes sees two samples at most, and one missed
 *    scrape leaves a single sample, from which `rate` returns nothing. Four intervals leave three
 *    samples after a missed scrape.
 * 2. Every staleness alert (an age computed from a Unix-time gauge) compares against the sample's
 *    own timestamp (`timestamp(m) - m`), not the evaluation time: `time() - m` grows by a whole
 *    scrape interval between scrapes and saw-tooths past a threshold of a few seconds on a healthy
 *    feed. And it holds (`for`) at least two scrape intervals, so one late update seen by one
 *    scrape does not fire it.
 * 3. Every alert with a `for` holds at least one evaluation interval of its group and one sample
 *    interval of every series it reads, and a paging (critical) one at least
 *    `failedScrapesToPage` sample intervals (see {@link checkAlertHolds}).
 *
 * Which interval applies to a series: a recorded series is written at its group's evaluation
 * interval; a scraped one at its job's interval, or the global scrape interval when the job sets
 * none. A selector's jobs are those of its `job` matcher, or else the jobs named after the
 * metric's catalog source (`elasticsearch-exporter` → `elasticsearch`, `blackbox-exporter` →
 * `blackbox-health`, `blackbox-synthetic`, ...); with no such job, the global interval
 * (lib/rules/series-intervals.ts).
 */
import { ConfigError } from '../core/errors';
import { formatDuration, parseDuration } from '../core/units';
import { dashboardQueries } from '../dashboards/check';
import { DashboardDefinition, dataPanels } from '../dashboards/model';
import { substituteGrafana } from '../dashboards/promql';
import { ageUses, rangeUses, RangeUse, SelectorJobUse, selectorJobUses } from './promql-timing';
import { Interval, ScrapeTiming, SeriesIntervals, msOf } from './series-intervals';
import { AlertRule, RuleGroup, isAlert } from './types';
import { ruleLocation } from './validate';

export type { ScrapeTiming } from './series-intervals';
export { SeriesIntervals } from './series-intervals';

/** A dashboard query to check, and where it sits. */
export interface TimedQuery {
  /** `dashboard "trading" (dashboards/trading.ts), panel "Order rate" query A`. */
  readonly where: string;
  readonly expr: string;
  /** The query's minimum step (Grafana's "Min step"), when it sets one. */
  readonly minStep?: string;
}

/**
 * Where the left-open semantics of range selectors were read: the Prometheus release the stack
 * runs (lib/core/images.ts). A test fails when the image moves on without this being read again.
 */
export const LEFT_OPEN_RANGE_SOURCE = {
  repository: 'prometheus/prometheus',
  tag: 'v3.5.0',
  file: 'promql/engine.go',
  function: 'matrixIterSlice',
  fact: 'a sample is kept when t > mint, mint = maxt - range; retained points with T <= mint are dropped',
} as const;

/** Windows must hold at least this many intervals of the series they read. */
export const MIN_SAMPLES_PER_WINDOW = 4;
/** Staleness alerts must hold for at least this many scrape intervals. */
export const MIN_SCRAPES_HELD = 2;

/**
 * A dashboard query with Grafana's interval macros at their smallest values: `$__interval` is at
 * least the minimum step, and `$__rate_interval` is max($__interval + step, 4 * step), at least
 * four steps, where the step is the query's "Min step" (its `interval`) or else the datasource's
 * `timeInterval` (grafana/grafana, pkg/promlib/models/query.go, `interpolateVariables` and
 * `calculateRateInterval`; read at commit 00aaabde125f, not at the pinned 12.4.5 tag). Other
 * variables and macros are given sample values, as the dashboard checks do.
 */
export function dashboardQueryAtSmallestIntervals(query: string, minStepMs: number): string {
  const step = formatDuration(minStepMs);
  const rate = formatDuration(minStepMs * 4);
  const text = query.replace(/\$\{__rate_interval\}|\$__rate_interval\b/g, rate).replace(/\$\{__interval\}|\$__interval\b(?!_)/g, step);
  return substituteGrafana(text).expr;
}

/** The smallest window allowed over an interval, rounded up to whole seconds. */
function smallestWindow(interval: Interval): string {
  return formatDuration(Math.ceil((interval.ms * MIN_SAMPLES_PER_WINDOW) / 1000) * 1000);
}

function checkWindow(use: RangeUse, intervals: SeriesIntervals, where: string, timing: ScrapeTiming, written: (window: string) => string = (w) => w): void {
  const windowMs = parseDuration(use.window);
  if (windowMs === undefined) return; // not a literal duration: the syntax check reports it
  let interval: Interval;
  let of: string;
  if (use.kind === 'subquery') {
    interval = use.step ? { ms: msOf(use.step, where, 'subquery step'), why: `the subquery steps every ${use.step}` } : intervals.evaluation;
    of = 'subquery steps';
  } else {
    interval = intervals.of(use.metric ?? '', use.jobs);
    of = `samples of ${use.metric || 'the selector'}`;
  }
  if (windowMs >= interval.ms * MIN_SAMPLES_PER_WINDOW) return;
  const held = Math.floor(windowMs / interval.ms);
  throw new ConfigError(
    where,
    'range window',
    written(use.window),
    `in ${timing.environment} it spans fewer than ${MIN_SAMPLES_PER_WINDOW} intervals of its ${of} (${interval.why}): Prometheus 3 range windows are left-open, so [${use.window}] holds ${held} sample${held === 1 ? '' : 's'} at most and a missed scrape leaves ${Math.max(held - 1, 0)}; use a window of at least ${smallestWindow(interval)}${use.kind === 'range' && written(use.window) !== use.window ? ` (on a dashboard: give the query a minimum step of ${formatDuration(interval.ms)}, so that $__rate_interval is at least ${smallestWindow(interval)})` : ''}`,
  );
}

/** Rule 1 over rule groups: every range window of every alert and recording rule. */
export function checkRuleWindows(groups: readonly RuleGroup[], timing: ScrapeTiming): void {
  const intervals = new SeriesIntervals(timing, groups);
  for (const g of groups) for (const r of g.rules) for (const use of rangeUses(r.expr)) checkWindow(use, intervals, ruleLocation(r, g), timing);
}

/** Rule 1 over dashboard queries, with Grafana's interval macros at their smallest values. */
export function checkQueryWindows(queries: readonly TimedQuery[], groups: readonly RuleGroup[], timing: ScrapeTiming): void {
  const intervals = new SeriesIntervals(timing, groups);
  for (const q of queries) {
    // Grafana's Min step falls back to the datasource's timeInterval, set to the scrape interval.
    const minStepMs = q.minStep ? msOf(q.minStep, q.where, 'minimum step') : intervals.scrape.ms;
    const expr = dashboardQueryAtSmallestIntervals(q.expr, minStepMs);
    const rate = formatDuration(minStepMs * 4);
    const written = (w: string) =>
      w === rate && /\$\{?__rate_interval\b/.test(q.expr)
        ? `$__rate_interval (${rate} at its smallest, with a minimum step of ${formatDuration(minStepMs)})`
        : w;
    for (const use of rangeUses(expr)) checkWindow(use, intervals, q.where, timing, written);
  }
}

/** The alerts that compute an age from a Unix-time gauge (`*_timestamp_seconds`). */
export function stalenessAlerts(groups: readonly RuleGroup[]): Array<{ rule: AlertRule; group: RuleGroup }> {
  return groups.flatMap((g) =>
    g.rules
      .filter(isAlert)
      .filter((a) => ageUses(a.expr).some((u) => u.metrics.some(isUnixTime)))
      .map((rule) => ({ rule, group: g })),
  );
}

function isUnixTime(metric: string): boolean {
  return /_timestamp_seconds$/.test(metric);
}

/** Rule 2: staleness alerts compare against the sample's timestamp and hold two scrape intervals. */
export function checkStalenessAlerts(groups: readonly RuleGroup[], timing: ScrapeTiming): void {
  const intervals = new SeriesIntervals(timing, groups);
  for (const { rule, group } of stalenessAlerts(groups)) {
    const at = ruleLocation(rule, group);
    const ages = ageUses(rule.expr).filter((u) => u.metrics.some(isUnixTime));
    for (const u of ages) {
      if (u.reference === 'time') {
        const m = u.metrics.find(isUnixTime)!;
        throw new ConfigError(
          at,
          'expr',
          u.text,
          `time() - ${m} grows by a whole scrape interval between scrapes and saw-tooths across the threshold on a healthy feed; compare against the sample's own timestamp: timestamp(${m}) - ${m}`,
        );
      }
    }
    let longest: Interval = intervals.scrape;
    for (const u of ages)
      for (const m of u.metrics.filter(isUnixTime)) {
        const i = intervals.of(m);
        if (i.ms > longest.ms) longest = i;
      }
    const needMs = longest.ms * MIN_SCRAPES_HELD;
    const forMs = rule.for === undefined ? 0 : (parseDuration(rule.for) ?? 0);
    if (forMs < needMs) {
      throw new ConfigError(
        at,
        'for',
        rule.for,
        `in ${timing.environment} a staleness alert must hold for at least ${MIN_SCRAPES_HELD} scrape intervals (${longest.why}), so that one late update seen by one scrape does not fire it; set for to ${formatDuration(needMs)} or more`,
      );
    }
  }
}

/** The jobs a selector reads: its job matcher's, or those of the recorded series it is joined with on `job`. */
function jobsOf(u: SelectorJobUse, intervals: SeriesIntervals): readonly string[] | undefined {
  return u.jobs ?? (u.joinedWith ? intervals.recordedJobsOf(u.joinedWith) : undefined);
}

/** The selectors of an expression, parsed once for all environments. */
const SELECTORS = new Map<string, ReturnType<typeof selectorJobUses>>();
function selectorsOf(expr: string): ReturnType<typeof selectorJobUses> {
  let uses = SELECTORS.get(expr);
  if (!uses) SELECTORS.set(expr, (uses = selectorJobUses(expr)));
  return uses;
}

/** The interval at which a group's rules are evaluated: its own, or the environment's. */
function groupEvaluation(group: RuleGroup, timing: ScrapeTiming): Interval & { readonly fix: string } {
  if (group.interval) {
    return {
      ms: msOf(group.interval, `rule group "${group.name}" (${group.source})`, 'interval'),
      why: `its rule group "${group.name}" is evaluated every ${group.interval} (the group's interval)`,
      fix: `the interval of rule group "${group.name}"`,
    };
  }
  return {
    ms: msOf(timing.evaluationInterval, `environment "${timing.environment}"`, 'evaluationInterval'),
    why: `rules are evaluated every ${timing.evaluationInterval} in ${timing.environment} (the profile's evaluationInterval)`,
    fix: `evaluationInterval in the ${timing.environment} profile`,
  };
}

/**
 * Rule 3: an alert's `for` is at least the interval its group is evaluated at, and at least one
 * sample interval of every series it reads.
 *
 * - Prometheus sees an alert's condition only at evaluations, so a `for` shorter than the
 *   evaluation interval cannot hold: the alert fires at the first evaluation after the condition
 *   came true plus one whole interval, later than the `for` says (prometheus/prometheus v3.5.0,
 *   rules/alerting.go, `AlertingRule.Eval`: `ActiveAt` is the evaluation time that first saw the
 *   condition, and the alert goes from pending to firing when `ts.Sub(a.ActiveAt) >= r.holdDuration`,
 *   with `ts` moving by the group's interval).
 * - A series only changes at its scrapes (or, recorded, at its group's evaluations). A `for`
 *   shorter than that interval is held by one sample: a single bad scrape fires the alert just as
 *   it would with no `for`, while the rule reads as if it waited. This is refused rather than
 *   warned about: the rule's text and its behaviour disagree, and no alert needs such a `for`
 *   (leave it out to fire on the first bad sample).
 *
 * Alerts without a `for` (or with `0s`) fire on the first evaluation that sees the condition,
 * as written; they are not checked. Throws the first problem, naming how many alerts share it.
 */
export function checkAlertHolds(groups: readonly RuleGroup[], timing: ScrapeTiming): void {
  const intervals = new SeriesIntervals(timing, groups);
  const held = groups
    .flatMap((g) => g.rules.filter(isAlert).map((rule) => ({ rule, group: g, forMs: rule.for === undefined ? 0 : (parseDuration(rule.for) ?? 0) })))
    .filter((a) => a.forMs > 0);

  // The shortest hold first: the interval it asks for serves every other alert of the list too.
  const tooSlow = held.filter((a) => groupEvaluation(a.group, timing).ms > a.forMs).sort((a, b) => a.forMs - b.forMs);
  if (tooSlow.length) {
    const { rule, group, forMs } = tooSlow[0];
    const evaluation = groupEvaluation(group, timing);
    const n = tooSlow.length - 1;
    const others =
      n > 0
        ? ` (${n} other alert${n > 1 ? 's' : ''} hold${n > 1 ? '' : 's'} for less than that too: ${tooSlow
            .slice(1, 4)
            .map((a) => a.rule.alert)
            .join(', ')}${n > 3 ? ', ...' : ''})`
        : '';
    throw new ConfigError(
      ruleLocation(rule, group),
      'for',
      rule.for,
      `${evaluation.why}, longer than it must hold${others}: Prometheus sees it pending only at evaluations, so it fires after ${formatDuration(Math.ceil(forMs / evaluation.ms) * evaluation.ms)}, not ${rule.for}; set ${evaluation.fix} to ${formatDuration(forMs)} or less, or for to ${formatDuration(evaluation.ms)} or more`,
    );
  }

  const pageAfter = timing.failedScrapesToPage ?? 1;
  for (const { rule, group, forMs } of held) {
    let slowest: (Interval & { metric: string }) | undefined;
    for (const u of selectorsOf(rule.expr)) {
      if (u.metric === '') continue;
      const i = intervals.of(u.metric, jobsOf(u, intervals));
      if (!slowest || i.ms > slowest.ms) slowest = { ...i, metric: u.metric };
    }
    if (slowest && rule.severity === 'critical' && pageAfter > 1 && forMs >= slowest.ms && forMs < pageAfter * slowest.ms) {
      throw new ConfigError(
        ruleLocation(rule, group),
        'for',
        rule.for,
        `it pages, and in ${timing.environment} it reads ${slowest.metric}, sampled every ${formatDuration(slowest.ms)} (${slowest.why}): held for less than ${pageAfter} intervals, ${pageAfter - 1} failed scrapes in a row can page; set for to ${formatDuration(pageAfter * slowest.ms)} or more, or scrape the job more often`,
      );
    }
    if (!slowest || forMs >= slowest.ms) continue;
    throw new ConfigError(
      ruleLocation(rule, group),
      'for',
      rule.for,
      `in ${timing.environment} it reads ${slowest.metric}, sampled every ${formatDuration(slowest.ms)} (${slowest.why}): a for shorter than one sample interval is held by a single sample, so one bad scrape fires the alert as if it had no for; set for to ${formatDuration(slowest.ms)} or more, or leave it out to fire on the first bad sample`,
    );
  }
}

/** Every PromQL query of the dashboards, with its minimum step. */
export function timedDashboardQueries(dashboards: readonly DashboardDefinition[]): TimedQuery[] {
  const out: TimedQuery[] = [];
  for (const d of dashboards) {
    const at = `dashboard "${d.uid}" (${d.source})`;
    for (const p of dataPanels(d.model)) {
      for (const t of (p.targets ?? []) as Array<{ expr?: string; refId?: string; interval?: string }>) {
        if (typeof t.expr !== 'string') continue;
        out.push({ where: `${at}, panel "${p.title ?? ''}" query ${t.refId ?? '?'}`, expr: t.expr, ...(t.interval ? { minStep: t.interval } : {}) });
      }
    }
    for (const q of dashboardQueries(d)) if (q.panel.startsWith('variable ')) out.push({ where: `${at}, ${q.panel}`, expr: q.expr });
  }
  return out;
}

/**
 * Every check of this file for one environment: every alert's `for`, the range windows of every
 * rule (alerts, recordings, SLO rules) and dashboard query, and the staleness alerts. Throws the first problem.
 */
export function checkScrapeTiming(groups: readonly RuleGroup[], dashboards: readonly DashboardDefinition[], timing: ScrapeTiming): void {
  // Holds first: an evaluation interval longer than the alerts' `for` is a mistake of the
  // interval, and is named as such rather than as the windows it also makes too short.
  checkAlertHolds(groups, timing);
  checkRuleWindows(groups, timing);
  checkStalenessAlerts(groups, timing);
  checkQueryWindows(timedDashboardQueries(dashboards), groups, timing);
}
