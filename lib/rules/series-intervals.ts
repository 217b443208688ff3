/**
 * The interval at which a series is sampled in one environment: a recorded series at its group's
 * evaluation interval; a scraped one at its job's interval, or the global scrape interval when the
 * job sets none. A selector's jobs are those of its `job` matcher, or else the jobs named after the
 * metric's catalog source (`elasticsearch-exporter` → `elasticsearch`). The checks of
 * lib/rules/scrape-timing.ts measure windows and holds against these intervals.
 */
import { ConfigError } from '../core/errors';
import { formatDuration, parseDuration } from '../core/units';
import { MetricsIndex } from '../metrics/catalog';
import { RuleGroup, isAlert } from './types';

/** How often an environment samples: what the checks measure windows and holds against. */
export interface ScrapeTiming {
  /** The environment, for messages (`staging`). */
  readonly environment: string;
  /** The global scrape interval (`30s`). */
  readonly scrapeInterval: string;
  /** The global rule evaluation interval. */
  readonly evaluationInterval: string;
  /** Every scrape job, with its own interval where it sets one. */
  readonly jobs: ReadonlyArray<{ readonly name: string; readonly interval?: string }>;
  /** The metrics catalog: a metric's source tells which jobs scrape it when a selector names none. */
  readonly catalog: MetricsIndex;
  /**
   * How many failed scrapes in a row may page: a critical alert with a `for` must hold at least
   * this many sample intervals of what it reads, so that fewer failures page nobody. @default 1
   */
  readonly failedScrapesToPage?: number;
}

export interface Interval {
  readonly ms: number;
  /** What sets it, for messages: `job "elasticsearch" scrapes every 30s`. */
  readonly why: string;
}

/** Resolves the interval at which a series is sampled in one environment. */
export class SeriesIntervals {
  private readonly globalMs: number;
  private readonly jobMs = new Map<string, number>();
  private readonly recorded = new Map<string, Interval>();
  /** Per recorded metric, the `job` labels its rules give it; undefined once one rule gives none. */
  private readonly recordedJobs = new Map<string, string[] | undefined>();

  constructor(
    private readonly timing: ScrapeTiming,
    groups: readonly RuleGroup[],
  ) {
    this.globalMs = msOf(timing.scrapeInterval, `environment "${timing.environment}"`, 'scrapeInterval');
    for (const j of timing.jobs) this.jobMs.set(j.name, j.interval ? msOf(j.interval, `scrape job "${j.name}"`, 'interval') : this.globalMs);
    const evalMs = msOf(timing.evaluationInterval, `environment "${timing.environment}"`, 'evaluationInterval');
    for (const g of groups) {
      const ms = g.interval ? msOf(g.interval, `rule group "${g.name}" (${g.source})`, 'interval') : evalMs;
      const why = g.interval
        ? `rule group "${g.name}" records it every ${g.interval}`
        : `rules are evaluated every ${timing.evaluationInterval} in ${timing.environment}`;
      for (const r of g.rules) {
        if (isAlert(r)) continue;
        this.recorded.set(r.record, { ms, why });
        const job = r.labels?.job;
        const known = this.recordedJobs.has(r.record) ? this.recordedJobs.get(r.record) : [];
        this.recordedJobs.set(r.record, known && job !== undefined ? [...known, job] : undefined);
      }
    }
  }

  /**
   * The jobs of a recorded metric whose every rule sets a `job` label (`service:up:expected`, one
   * rule per core service); undefined for any other metric.
   */
  public recordedJobsOf(metric: string): readonly string[] | undefined {
    return this.recordedJobs.get(metric);
  }

  /** The global evaluation interval: the default step of a subquery. */
  public get evaluation(): Interval {
    return {
      ms: msOf(this.timing.evaluationInterval, `environment "${this.timing.environment}"`, 'evaluationInterval'),
      why: `rules are evaluated every ${this.timing.evaluationInterval} in ${this.timing.environment}`,
    };
  }

  /** The global scrape interval. */
  public get scrape(): Interval {
    return { ms: this.globalMs, why: `the scrape interval of ${this.timing.environment} is ${this.timing.scrapeInterval}` };
  }

  /** The longest interval at which a selector of `metric` (limited to `jobs`, when given) may be sampled. */
  public of(metric: string, jobs?: readonly string[]): Interval {
    const rec = this.recorded.get(metric);
    if (rec) return rec;
    const candidates = jobs ?? this.jobsOfSource(metric);
    if (candidates.length === 0) return this.scrape;
    // A job name no scrape job has is set by relabelling (the annotated jobs): the global interval.
    let best: Interval | undefined;
    for (const j of candidates) {
      const ms = this.jobMs.get(j) ?? this.globalMs;
      if (!best || ms > best.ms)
        best =
          this.jobMs.has(j) && ms !== this.globalMs ? { ms, why: `job "${j}" scrapes every ${formatDuration(ms)} in ${this.timing.environment}` } : this.scrape;
    }
    return best as Interval;
  }

  /** Jobs named after the metric's catalog source: the source, or its name without `-exporter`, alone or with a `-suffix`. */
  private jobsOfSource(metric: string): string[] {
    const source = this.timing.catalog.lookup(metric)?.source;
    if (!source) return [];
    const stems = [...new Set([source, source.replace(/-exporter$/, '')])];
    return [...this.jobMs.keys()].filter((j) => stems.some((s) => j === s || j.startsWith(`${s}-`)));
  }
}

/** A positive duration in milliseconds; a ConfigError naming `where` and `field` otherwise. */
export function msOf(text: string, where: string, field: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new ConfigError(where, field, text, 'use a positive Prometheus duration such as "30s"');
  return ms;
}
