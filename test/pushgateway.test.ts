/**
 * CI cannot be scraped: it pushes its results to a Pushgateway, which Prometheus scrapes keeping
 * the pushed job and grouping labels. Staging and production run one; local does not.
 */
import { CI_GROUPING_LABELS, CI_METRICS, CI_SOURCE } from '../metrics/ci';
import { METRICS } from '../metrics';
import { PROFILES } from '../stacks/environments';
import { alter, find, ofKind, synth, synthProfile } from './support/synth';

describe('the Pushgateway CI pushes to', () => {
  it.each(['staging', 'production'] as const)(
    '%s runs one Pushgateway, scraped with honor_labels so pushed job, repository and branch labels are kept',
    (env) => {
      const { objects, stack } = synth(env);
      const d = find(objects, 'Deployment', 'pushgateway');
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      const c = d.spec.template.spec.containers[0];
      expect(c.image).toMatch(/^quay\.io\/prometheus\/pushgateway:v\d+\.\d+\.\d+$/);
      expect(c.args).toEqual(expect.arrayContaining(['--persistence.file=/data/pushgateway.db']));
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.readinessProbe.httpGet.path).toBe('/-/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/-/healthy');
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      const job = stack.prometheus.jobs.find((j) => j.name === 'pushgateway');
      expect(job?.honorLabels).toBe(true);
      expect(find(objects, 'Service', 'pushgateway').spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 9091 })]);
    },
  );

  it('local has none: CI does not push to a laptop cluster', () => {
    expect(ofKind(synth('local').objects, 'Deployment').map((d) => d.metadata.name)).not.toContain('pushgateway');
  });

  it('a profile can leave it out', () => {
    const profile = alter(PROFILES.staging, (p) => delete p.pushgateway);
    expect(synthProfile(profile).stack.pushgateway).toBeUndefined();
  });

  it('every CI metric is a gauge of the last run, keyed by repository and branch, in the catalog under its own source', () => {
    for (const m of CI_METRICS) {
      expect([m.name, m.type, m.labels.slice(0, 2)]).toEqual([m.name, 'gauge', [...CI_GROUPING_LABELS]]);
      expect(METRICS.lookup(m.name)?.source).toBe(CI_SOURCE);
    }
  });
});
