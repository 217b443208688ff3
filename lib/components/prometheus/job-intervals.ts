/**
 * Scrape intervals of their own for some jobs (`prometheus.scrapeIntervals` of a profile), keyed by
 * the `job` label the targets carry:
 *
 * - A key that names a scrape job sets that job's `scrape_interval` (and a `scrape_timeout` no
 *   longer than it).
 * - Any other key is a `job` label set by relabelling, as the annotation-driven jobs do
 *   (`job="order-service"` from the Service's `app.kubernetes.io/name`). Those jobs gain two
 *   relabelling steps after the one that sets `job`: targets whose `job` is the key get
 *   `__scrape_interval__` and `__scrape_timeout__`. Prometheus reads both labels per target after
 *   relabelling and refuses a target whose timeout exceeds its interval (prometheus/prometheus
 *   v3.5.0 and v2.42.0, scrape/target.go, `PopulateLabels`).
 *
 * The rule checks (lib/rules/series-intervals.ts) see both kinds through {@link jobIntervalTiming}.
 */
import { ConfigError } from '../../core/errors';
import { parseDuration } from '../../core/units';
import { Relabel, ScrapeJob } from './scrape';

/** A scrape timeout of 10 s, or the interval when it is shorter. */
export function scrapeTimeout(interval: string): string {
  const ms = parseDuration(interval) ?? 10_000;
  return ms >= 10_000 ? '10s' : interval;
}

/** True when the job sets the `job` label of its targets by relabelling. */
const relabelsJob = (j: ScrapeJob) => (j.relabelings ?? []).some((r) => r.targetLabel === 'job');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Checks the keys and values of `prometheus.scrapeIntervals` against the jobs the stack adds. */
export function checkJobIntervals(jobs: readonly ScrapeJob[], intervals: Readonly<Record<string, string>>): void {
  const relabelling = jobs.filter(relabelsJob).map((j) => j.name);
  for (const [key, interval] of Object.entries(intervals)) {
    const ms = parseDuration(interval);
    if (ms === undefined || ms <= 0) {
      throw new ConfigError('profile prometheus.scrapeIntervals', key, interval, 'use a positive Prometheus duration such as "5s"');
    }
    if (!/^[a-zA-Z_][a-zA-Z0-9_:.-]*$/.test(key)) {
      throw new ConfigError('profile prometheus.scrapeIntervals', 'key', key, 'use a scrape job name or the `job` label of annotated targets');
    }
    if (!jobs.some((j) => j.name === key) && relabelling.length === 0) {
      throw new ConfigError(
        'profile prometheus.scrapeIntervals',
        'key',
        key,
        `no scrape job is named "${key}" and none sets the job label by relabelling; use one of ${jobs.map((j) => j.name).join(', ')}`,
      );
    }
  }
}

/** The jobs with the profile's own intervals applied (see the file comment). */
export function withJobIntervals(jobs: readonly ScrapeJob[], intervals: Readonly<Record<string, string>>): ScrapeJob[] {
  const named = new Set(jobs.map((j) => j.name));
  // Label keys grouped by interval: one pair of relabelling steps per interval.
  const byInterval = new Map<string, string[]>();
  for (const [key, interval] of Object.entries(intervals)) {
    if (named.has(key)) continue;
    byInterval.set(interval, [...(byInterval.get(interval) ?? []), key]);
  }
  const labelSteps: Relabel[] = [...byInterval.entries()].flatMap(([interval, keys]) => {
    const regex = keys.map(escape).join('|');
    return [
      { sourceLabels: ['job'], regex, targetLabel: '__scrape_interval__', replacement: interval },
      { sourceLabels: ['job'], regex, targetLabel: '__scrape_timeout__', replacement: scrapeTimeout(interval) },
    ];
  });
  return jobs.map((j) => {
    const own = intervals[j.name];
    if (own !== undefined) return { ...j, interval: own, timeout: scrapeTimeout(own) };
    if (labelSteps.length && relabelsJob(j)) return { ...j, relabelings: [...(j.relabelings ?? []), ...labelSteps] };
    return j;
  });
}

/** Each job's interval where it sets one, then each relabelled `job` label with its own interval. */
export function jobIntervalTiming(
  jobs: readonly ScrapeJob[],
  intervals: Readonly<Record<string, string>>,
): ReadonlyArray<{ readonly name: string; readonly interval?: string }> {
  const named = new Set(jobs.map((j) => j.name));
  return [
    ...withJobIntervals(jobs, intervals).map((j) => ({ name: j.name, ...(j.interval ? { interval: j.interval } : {}) })),
    ...Object.entries(intervals)
      .filter(([key]) => !named.has(key))
      .map(([name, interval]) => ({ name, interval })),
  ];
}
