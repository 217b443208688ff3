/**
 * What an SLO is: its spec (objective, period, SLI), the multi-window, multi-burn-rate table the
 * alerts follow, the names of the recorded series, and the checks a spec passes before any rule
 * is generated from it (lib/rules/slo.ts).
 */
import { ConfigError } from '../core/errors';
import { parseDuration } from '../core/units';
import { Severity } from './types';

/**
 * The series an SLI counts, restricted to those whose `on` labels match a series of `series`
 * (`x and on (namespace, job) service:up:expected`): a set of jobs named by recorded series
 * instead of a regex that lists them, so the expressions keep their size as the set grows.
 */
export interface SLIScope {
  /** An instant vector selector, such as a recorded series with one sample per member. */
  readonly series: string;
  /** The labels matched, such as `['namespace', 'job']`. */
  readonly on: readonly string[];
}

/** The SLI: how the share of bad events (or bad time) is measured. */
export type SLI =
  /** Bad events over all events, from two counters (`errors` and `total`, series selectors). */
  | { readonly kind: 'ratio'; readonly errors: string; readonly total: string }
  /**
   * Requests slower than a threshold, from a histogram: `histogram` is the family name (without
   * `_bucket`), `selector` the label matchers, `thresholdSeconds` an existing bucket boundary.
   */
  | { readonly kind: 'latency'; readonly histogram: string; readonly selector?: string; readonly within?: SLIScope; readonly thresholdSeconds: number }
  /**
   * Average latency (`sum` over `count`) against a bound: the share of time in which the average
   * between two scrapes exceeds `boundSeconds` (see AVERAGE_LATENCY_LOOKBACK).
   */
  | { readonly kind: 'averageLatency'; readonly histogram: string; readonly selector?: string; readonly boundSeconds: number }
  /**
   * Freshness: the share of minutes in which the oldest data is older than `boundSeconds`. The age
   * is read either from a gauge of the age in seconds (`ageMetric`), or from a gauge holding the
   * Unix time of the last update (`timestampMetric`), taken at scrape time (`timestamp(m) - m`) so
   * that the scrape interval does not count as staleness.
   */
  | { readonly kind: 'freshness'; readonly ageMetric?: string; readonly timestampMetric?: string; readonly selector?: string; readonly boundSeconds: number }
  /** Availability: the share of failed `up` scrapes or `probe_success` probes. */
  | { readonly kind: 'availability'; readonly metric: 'up' | 'probe_success'; readonly selector: string }
  /**
   * Recovery time: the share of minutes in which some job has had no instance up for longer than
   * `boundSeconds` (from `up` or `probe_success`): a service not back within the bound.
   */
  | {
      readonly kind: 'recovery';
      readonly metric: 'up' | 'probe_success';
      readonly selector: string;
      readonly within?: SLIScope;
      readonly boundSeconds: number;
    };

export interface SLOSpec {
  /** Unique name, lowercase with dashes (`api-latency`). */
  readonly name: string;
  /** The service the SLO belongs to; becomes the `service` label. */
  readonly service: string;
  /** Target percentage of good events, strictly between 0 and 100 (`99.9`). */
  readonly objective: number;
  /** The SLO period, a whole number of days. @default '30d' */
  readonly period?: string;
  readonly sli: SLI;
  /** What the SLO promises, in a sentence. */
  readonly description: string;
  /** Runbook path for the burn-rate alerts. */
  readonly runbook: string;
  /** Uid of the dashboard that shows the SLO. @default - none */
  readonly dashboard?: string;
  /** Where the SLO is defined, for error messages (`alerts/slos.ts`). */
  readonly source: string;
}

/** One row of the alerting table: a long and short window and the share of the budget they guard. */
export interface BurnRateWindow {
  readonly severity: Extract<Severity, 'critical' | 'warning'>;
  readonly long: string;
  readonly short: string;
  /** Share of the period's error budget burnt within `long` that the alert reports. */
  readonly budgetConsumed: number;
}

/**
 * The multi-window, multi-burn-rate table (Google SRE workbook, chapter 5). With a 30-day period:
 * page at 14.4x over 1h and 5m (2% of the budget in an hour) or 6x over 6h and 30m (5% in six
 * hours); ticket at 3x over 1d and 2h (10% in a day) or 1x over 3d and 6h (10% in three days).
 */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { severity: 'critical', long: '1h', short: '5m', budgetConsumed: 0.02 },
  { severity: 'critical', long: '6h', short: '30m', budgetConsumed: 0.05 },
  { severity: 'warning', long: '1d', short: '2h', budgetConsumed: 0.1 },
  { severity: 'warning', long: '3d', short: '6h', budgetConsumed: 0.1 },
];

/** Every window an error ratio is recorded for (the period is added per SLO). */
export const SLI_WINDOWS: readonly string[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** The burn rate at which a row of the table alerts, for a period. */
export function burnRateFactor(row: BurnRateWindow, period: string): number {
  const factor = (row.budgetConsumed * (parseDuration(period) as number)) / (parseDuration(row.long) as number);
  return Math.round(factor * 1000) / 1000;
}

/**
 * Record names: `slo:sli_error:ratio_rate5m` and friends. They are Sloth's names, so dashboards
 * and queries written for Sloth's rules read these too; the period's error ratio is
 * `slo:sli_error:ratio_rate30d` (or `..._rate28d`).
 */
export const errorRatioRecord = (window: string) => `slo:sli_error:ratio_rate${window}`;
export const SLO_RECORDS = {
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  timePeriodDays: 'slo:time_period:days',
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  /** Base series of time-based SLIs: 1 in a bad minute, 0 in a good one. */
  badMinute: 'slo:sli_bad_minute:bool',
  /** Unix time each job of a recovery SLO last had an instance up. */
  lastUp: 'slo:last_up:timestamp_seconds',
  /** Seconds each job of a recovery SLO has been down without coming back. */
  downtime: 'slo:time_to_recovery:seconds',
  /**
   * When each 5-minute error ratio was recorded (its evaluation's Unix time): the oldest one in a
   * window tells how much of the window Prometheus has seen, which scales the long-window check
   * of the burn-rate alerts (lib/rules/slo.ts `observedShare`).
   */
  recordedAt: 'slo:sli_error:recorded_at:timestamp_seconds',
} as const;

/** A day in milliseconds: SLO periods are whole days. */
export const DAY_MS = 24 * 3600 * 1000;

export function validateSLO(spec: SLOSpec, histogramNames?: ReadonlySet<string>): void {
  const where = `slo "${spec.name}" (${spec.source})`;
  const fail = (field: string, value: unknown, fix: string): never => {
    throw new ConfigError(where, field, value, fix);
  };
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name ?? '')) fail('name', spec.name, 'use lowercase letters, digits and "-", starting with a letter');
  if (!/^[a-z][a-z0-9-]*$/.test(spec.service ?? '')) fail('service', spec.service, 'name the service in lowercase with dashes');
  if (typeof spec.objective !== 'number' || !(spec.objective > 0 && spec.objective < 100)) {
    fail('objective', spec.objective, 'use a percentage strictly between 0 and 100, such as 99.9');
  }
  const period = spec.period ?? '30d';
  const ms = parseDuration(period);
  if (ms === undefined || ms <= 0 || ms % DAY_MS !== 0) fail('period', period, 'use a whole number of days, such as "30d" or "28d"');
  if (!spec.description) fail('description', spec.description, 'say in a sentence what the SLO promises');
  if (!spec.runbook) fail('runbook', spec.runbook, 'name the runbook (docs/runbooks/...) for its burn-rate alerts');
  const sli = spec.sli;
  const positive = (field: string, n: number) => {
    if (typeof n !== 'number' || !(n > 0) || !Number.isFinite(n)) fail(field, n, 'use a positive number of seconds');
  };
  switch (sli?.kind) {
    case 'ratio':
      if (!sli.errors) fail('sli.errors', sli.errors, 'give the counter selector of bad events');
      if (!sli.total) fail('sli.total', sli.total, 'give the counter selector of all events');
      break;
    case 'latency':
    case 'averageLatency':
      if (!sli.histogram || /_(bucket|sum|count)$/.test(sli.histogram)) {
        fail('sli.histogram', sli.histogram, 'name the histogram family, without _bucket, _sum or _count');
      }
      if (histogramNames && !histogramNames.has(sli.histogram)) {
        fail('sli.histogram', sli.histogram, 'use a metric of type histogram from the metrics catalog');
      }
      if (sli.kind === 'latency') {
        positive('sli.thresholdSeconds', sli.thresholdSeconds);
        checkScope(sli.within, fail);
      } else positive('sli.boundSeconds', sli.boundSeconds);
      break;
    case 'freshness':
      if (!sli.ageMetric === !sli.timestampMetric) {
        fail('sli.ageMetric', sli.ageMetric, 'name exactly one of ageMetric (age in seconds) or timestampMetric (Unix time of the last update)');
      }
      positive('sli.boundSeconds', sli.boundSeconds);
      break;
    case 'availability':
    case 'recovery':
      if (sli.metric !== 'up' && sli.metric !== 'probe_success') fail('sli.metric', sli.metric, 'use "up" or "probe_success"');
      if (!sli.selector) fail('sli.selector', sli.selector, 'select the targets, such as job="order-service"');
      if (sli.kind === 'recovery') {
        positive('sli.boundSeconds', sli.boundSeconds);
        checkScope(sli.within, fail);
      }
      break;
    default:
      fail('sli.kind', (sli as { kind?: unknown } | undefined)?.kind, 'use ratio, latency, averageLatency, freshness, availability or recovery');
  }
}

function checkScope(within: SLIScope | undefined, fail: (field: string, value: unknown, fix: string) => never): void {
  if (within === undefined) return;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/.test(within.series ?? ''))
    fail('sli.within.series', within.series, 'name one series selector, such as service:up:expected');
  if (!within.on?.length || within.on.some((l) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l))) {
    fail('sli.within.on', within.on, 'list the label names to match on, such as ["namespace", "job"]');
  }
}

/** Checks a set of SLOs together: each valid, names unique. */
export function validateSLOs(specs: readonly SLOSpec[], histogramNames?: ReadonlySet<string>): void {
  const seen = new Map<string, SLOSpec>();
  for (const s of specs) {
    validateSLO(s, histogramNames);
    const prev = seen.get(s.name);
    if (prev) throw new ConfigError(`slo "${s.name}" (${s.source})`, 'name', s.name, `choose another name: it is already used in ${prev.source}`);
    seen.set(s.name, s);
  }
}
