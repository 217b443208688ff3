/**
 * Label sets: the labels the series of an expression may carry, and whether they may carry more
 * than the inference can name (an "open" set, against which nothing is rejected).
 */

/** Labels the series of an expression may carry. */
export interface LabelSet {
  readonly names: ReadonlySet<string>;
  /** True when series may carry further labels the inference cannot name. */
  readonly open: boolean;
  /**
   * A selector's set is open only when its series may come from one of these jobs: a selector
   * whose `job` matcher names other jobs only gets the closed set. @default - always as `open` says
   */
  readonly openJobs?: ReadonlySet<string>;
}

/** The labels of a metric's series by name; undefined when the metric is unknown (then anything goes). */
export type SeriesLabels = (metric: string) => LabelSet | undefined;

/** Any labels at all. */
export const OPEN: LabelSet = { names: new Set(), open: true };
/** No labels. */
export const NONE: LabelSet = { names: new Set(), open: false };

export function labelSet(names: Iterable<string>, open = false): LabelSet {
  return { names: new Set(names), open };
}

/** The labels either set may carry. */
export function union(a: LabelSet, b: LabelSet): LabelSet {
  return labelSet([...a.names, ...b.names], a.open || b.open);
}

/** The labels a set names, `__name__` left out, sorted: what a message lists as available. */
export function available(s: LabelSet): string[] {
  return [...s.names].filter((l) => l !== '__name__').sort();
}

/** A lookup over a map of series labels. */
export function seriesLookup(known: ReadonlyMap<string, LabelSet>): SeriesLabels {
  return (metric) => known.get(metric);
}
