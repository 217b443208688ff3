/**
 * Scrape intervals of their own for the paths that page (`prometheus.scrapeIntervals`): a job by
 * name gets its own interval and a timeout no longer than it; a `job` label set by relabelling
 * (a core trading service behind the annotated Services' job) gets `__scrape_interval__` and
 * `__scrape_timeout__` (test/prometheus-self-scrape.test.ts runs it on the real Prometheus).
 */
import { parse } from 'yaml';
import { checkJobIntervals, jobIntervalTiming, withJobIntervals } from '../lib/components/prometheus/job-intervals';
import { annotatedServicesJob, serviceJob } from '../lib/components/prometheus/scrape';
import { CRITICAL_PATH_SCRAPE_INTERVAL } from '../alerts/thresholds';
import { CORE_SERVICES } from '../metrics/system';
import { find, synth } from './support/synth';

const exporter = serviceJob({ name: 'postgres-exporter', namespace: 'monitoring', service: 'postgres-exporter', port: 'metrics' });
const grafana = serviceJob({ name: 'grafana', namespace: 'monitoring', service: 'grafana', port: 'http' });
const annotated = annotatedServicesJob(['grekko']);
const jobs = [exporter, grafana, annotated];

describe('scrape intervals of their own', () => {
  const own = { 'postgres-exporter': '5s', 'order-service': '5s', 'risk-service': '5s' };

  it('gives a job named by a key its interval and a timeout no longer than it, and leaves the others alone', () => {
    const [pg, gf] = withJobIntervals(jobs, own);
    expect([pg.interval, pg.timeout]).toEqual(['5s', '5s']);
    expect(gf).toBe(grafana);
  });

  it('sets the interval and timeout of targets whose relabelled job is a key, after the step that sets job', () => {
    const job = withJobIntervals(jobs, own)[2];
    const steps = job.relabelings!.slice(annotated.relabelings!.length);
    expect(steps).toEqual([
      { sourceLabels: ['job'], regex: 'order-service|risk-service', targetLabel: '__scrape_interval__', replacement: '5s' },
      { sourceLabels: ['job'], regex: 'order-service|risk-service', targetLabel: '__scrape_timeout__', replacement: '5s' },
    ]);
  });

  it('tells the rule checks every interval: the jobs, then the relabelled job labels', () => {
    expect(jobIntervalTiming(jobs, own)).toEqual([
      { name: 'postgres-exporter', interval: '5s' },
      { name: 'grafana' },
      { name: 'kubernetes-service-endpoints' },
      { name: 'order-service', interval: '5s' },
      { name: 'risk-service', interval: '5s' },
    ]);
  });

  it('refuses a value that is not a positive duration, naming the key and the fix', () => {
    expect(() => checkJobIntervals(jobs, { 'order-service': '5 s' })).toThrow(
      'profile prometheus.scrapeIntervals: order-service is "5 s"; use a positive Prometheus duration such as "5s"',
    );
  });

  it('refuses a key when no job has that name and none sets job by relabelling', () => {
    expect(() => checkJobIntervals([exporter, grafana], { 'order-servce': '5s' })).toThrow(
      /^profile prometheus\.scrapeIntervals: key is "order-servce"; no scrape job is named "order-servce" and none sets the job label by relabelling; use one of postgres-exporter, grafana$/,
    );
  });

  it.each(['local', 'staging', 'production'] as const)(
    '%s scrapes every core service and the PostgreSQL and Redis exporters at the critical path interval',
    (env) => {
      const config = parse(find(synth(env).objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
      const byName = (n: string) => config.scrape_configs.find((j: { job_name: string }) => j.job_name === n);
      for (const n of ['postgres-exporter', 'redis-exporter']) expect(byName(n).scrape_interval).toBe(CRITICAL_PATH_SCRAPE_INTERVAL);
      const steps = byName('kubernetes-service-endpoints').relabel_configs.filter((r: { target_label?: string }) => r.target_label === '__scrape_interval__');
      expect(steps).toEqual([
        { source_labels: ['job'], regex: CORE_SERVICES.join('|'), target_label: '__scrape_interval__', replacement: CRITICAL_PATH_SCRAPE_INTERVAL },
      ]);
    },
  );
});
