/**
 * Input series for promtool tests of SLOs: a stretch of good behaviour followed by a burn in which
 * a given share of events (or of minutes) is bad, written for each SLI kind, so that tests can say
 * "a 20x burn pages within the hour" without hand-writing thousands of samples.
 */
import { METRIC_NAME } from '../metrics/catalog';
import { SLI, SLOSpec } from './slo-spec';

/** Concrete series labels (inside the braces) that match the SLO's selectors. */
export interface SLOTestSeries {
  /** Labels of the series: for `ratio`, those of the good events' series. */
  readonly labels: string;
  /** For `ratio`: labels of the bad events' series (matched by `errors`). */
  readonly badLabels?: string;
}

export interface BurnScenario {
  /** Minutes of good behaviour before the burn. */
  readonly historyMinutes: number;
  /** Share of bad events (or bad minutes) during the burn, 0 to 1. */
  readonly badShare: number;
  /** Minutes the burn lasts. */
  readonly minutes: number;
  /** Events per minute for event-based SLIs. @default 1000 */
  readonly eventsPerMinute?: number;
}

/** Minute `i` of a burn is bad when the running count of bad minutes steps up (bad minutes spread evenly). */
export function isBadMinute(i: number, share: number): boolean {
  return Math.floor((i + 1) * share) > Math.floor(i * share);
}

/** The metric name a selector starts with: METRIC_NAME of lib/metrics/catalog.ts, open at the end. */
const LEADING_METRIC = new RegExp(METRIC_NAME.source.replace(/\$$/, ''));

function metricOf(selector: string): string {
  const m = LEADING_METRIC.exec(selector.trim());
  if (!m) throw new Error(`no metric name in selector ${selector}`);
  return m[0];
}

/** Series in promtool's notation (selector → values, one sample a minute) for a burn scenario. */
export function burnSeries(sli: SLI, series: SLOTestSeries, s: BurnScenario): Record<string, string> {
  const n = s.historyMinutes + s.minutes;
  const perMinute = s.eventsPerMinute ?? 1000;
  const share = (i: number) => (i < s.historyMinutes ? 0 : s.badShare);
  const bad = (i: number) => i >= s.historyMinutes && isBadMinute(i - s.historyMinutes, s.badShare);
  const list = (fn: (i: number) => number) => Array.from({ length: n }, (_, i) => Number(fn(i).toFixed(3))).join(' ');
  const cumulative = (inc: (i: number) => number) => {
    let acc = 0;
    return list((i) => (acc += inc(i)));
  };
  const l = series.labels;
  switch (sli.kind) {
    case 'ratio': {
      const metric = metricOf(sli.total);
      if (!series.badLabels) throw new Error('a ratio SLI needs badLabels for the bad events series');
      return {
        [`${metric}{${l}}`]: cumulative((i) => perMinute * (1 - share(i))),
        [`${metric}{${series.badLabels}}`]: cumulative((i) => perMinute * share(i)),
      };
    }
    case 'latency':
      return {
        [`${sli.histogram}_bucket{${l}, le="${sli.thresholdSeconds}"}`]: cumulative((i) => perMinute * (1 - share(i))),
        [`${sli.histogram}_bucket{${l}, le="+Inf"}`]: cumulative(() => perMinute),
        [`${sli.histogram}_count{${l}}`]: cumulative(() => perMinute),
      };
    case 'averageLatency':
      return {
        [`${sli.histogram}_sum{${l}}`]: cumulative((i) => perMinute * (bad(i) ? sli.boundSeconds * 4 : sli.boundSeconds / 5)),
        [`${sli.histogram}_count{${l}}`]: cumulative(() => perMinute),
      };
    case 'freshness': {
      const age = (i: number) => (bad(i) ? sli.boundSeconds * 5 : sli.boundSeconds / 5);
      if (sli.ageMetric) return { [`${sli.ageMetric}{${l}}`]: list(age) };
      // The sample of minute i is taken at 60*i seconds: the last update was `age` before it.
      return { [`${sli.timestampMetric}{${l}}`]: list((i) => 60 * i - age(i)) };
    }
    case 'availability':
      return { [`${sli.metric}{${l}}`]: list((i) => (bad(i) ? 0 : 1)) };
    case 'recovery':
      throw new Error('recovery SLIs are tested with outageSeries');
  }
}

/** For recovery (and availability) SLIs: up for `historyMinutes`, down for `outageMinutes`, then up until `totalMinutes`. */
export function outageSeries(
  spec: SLOSpec,
  series: SLOTestSeries,
  historyMinutes: number,
  outageMinutes: number,
  totalMinutes: number,
): Record<string, string> {
  const sli = spec.sli;
  if (sli.kind !== 'recovery' && sli.kind !== 'availability') throw new Error(`slo "${spec.name}": outages apply to recovery and availability SLIs`);
  const values = Array.from({ length: historyMinutes + totalMinutes }, (_, i) => (i >= historyMinutes && i < historyMinutes + outageMinutes ? 0 : 1)).join(' ');
  return { [`${sli.metric}{${series.labels}}`]: values };
}
