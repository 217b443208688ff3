/**
 * End to end on real programs: the production environment's generated Prometheus configuration
 * and rules, and its generated Alertmanager routing, watching real PostgreSQL and Redis through
 * their real exporters, real blackbox probes and stand-in trading services. Each fault of the table
 * is injected in turn; the expected alert must reach the expected receiver with its severity,
 * labels and runbook, and resolve once the fault is repaired.
 */
import { METRICS } from '../../metrics';
import { PROFILES } from '../../stacks/environments';
import { describeWithTools } from '../support/tools';
import { Pipeline } from './harness/pipeline';
import { waitFor } from './harness/processes';
import { RUNBOOK_BASE, pipelineRuleFile } from './harness/rules';
import { ALL_E2E_TOOLS } from './harness/tools';
import { WebhookAlert } from './harness/webhook';

const profile = PROFILES.production;

/** One fault: how to cause it, how to repair it, and what must reach whom. */
interface FaultCase {
  readonly fault: string;
  readonly inject: (p: Pipeline) => Promise<void> | void;
  readonly repair: (p: Pipeline) => Promise<void> | void;
  readonly alert: string;
  readonly severity: 'critical' | 'warning' | 'info';
  /** The production receiver the alert must reach. */
  readonly receiver: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly runbook: string;
}

const service = (p: Pipeline, name: string) => {
  const s = p.services.get(name);
  if (!s) throw new Error(`no stand-in for ${name}`);
  return s;
};

const FAULTS: readonly FaultCase[] = [
  {
    fault: 'PostgreSQL stops',
    inject: (p) => p.stopPostgres(),
    repair: (p) => p.startPostgres(),
    alert: 'PipelinePostgresDown',
    severity: 'critical',
    receiver: 'oncall-pager',
    labels: { job: 'postgres-exporter', dependency: 'trading-db', namespace: 'monitoring', service: 'postgres-exporter-trading-db' },
    runbook: 'database-down.md',
  },
  {
    fault: 'Redis stops',
    inject: (p) => p.stopRedis(),
    repair: (p) => p.startRedis(),
    alert: 'PipelineRedisDown',
    severity: 'critical',
    receiver: 'oncall-pager',
    labels: { job: 'redis-exporter', dependency: 'cache', namespace: 'monitoring' },
    runbook: 'database-down.md',
  },
  {
    fault: 'the market data service fails its health endpoint',
    inject: (p) => void (service(p, 'market-data-service').healthy = false),
    repair: (p) => void (service(p, 'market-data-service').healthy = true),
    alert: 'PipelineHealthCheckFailing',
    severity: 'critical',
    receiver: 'oncall-pager',
    labels: { job: 'blackbox-health', service: 'market-data-service', probe: 'health' },
    runbook: 'service-down.md',
  },
  {
    fault: 'the order service answers 20% of requests with errors (above 5%)',
    inject: (p) => void (service(p, 'order-service').errorRate = 0.2),
    repair: (p) => void (service(p, 'order-service').errorRate = 0.01),
    alert: 'PipelineHighErrorRate',
    severity: 'warning',
    receiver: 'trading-alerts-chat',
    labels: { service: 'order-service', namespace: 'grekko' },
    runbook: 'high-error-rate.md',
  },
  {
    fault: 'a position breaches its risk limit (120% of the limit)',
    inject: (p) => void service(p, 'risk-service').gauge('grekko_risk_limit_utilization_ratio').set({ limit: 'max_position_btc' }, 1.2),
    repair: (p) => void service(p, 'risk-service').gauge('grekko_risk_limit_utilization_ratio').set({ limit: 'max_position_btc' }, 0.6),
    alert: 'PipelineRiskLimitBreached',
    severity: 'critical',
    receiver: 'oncall-pager',
    labels: { service: 'risk-service', namespace: 'grekko', limit: 'max_position_btc' },
    runbook: 'risk-limit-breach.md',
  },
  {
    fault: 'the synthetic dry-run order comes back rejected',
    inject: (p) => void (service(p, 'order-service').syntheticOrderAccepted = false),
    repair: (p) => void (service(p, 'order-service').syntheticOrderAccepted = true),
    alert: 'PipelineSyntheticOrderFailing',
    severity: 'critical',
    receiver: 'oncall-pager',
    labels: { job: 'blackbox-synthetic', service: 'order-service', check: 'order-roundtrip', probe: 'synthetic' },
    runbook: 'synthetic-order.md',
  },
];

/** Labels every production alert carries: the external labels, without the HA pair's replica. */
const EXTERNAL = { cluster: 'grekko-production', environment: 'production' };

describeWithTools('alerts fire end to end on real Prometheus and Alertmanager (production routing)', ALL_E2E_TOOLS, () => {
  let p: Pipeline;
  const seen: Array<{ fault: string; alert: string; receiver: string; firedAfterMs: number; resolvedAfterMs: number }> = [];

  beforeAll(async () => {
    p = new Pipeline({ profile, timing: 'test', extraRuleFiles: [pipelineRuleFile('5s')], keepWorkDir: process.env.E2E_KEEP === '1' });
    try {
      await p.start();
      await p.waitTargetsUp(
        ['prometheus', 'alertmanager', 'node-exporter', 'postgres-exporter', 'redis-exporter', 'blackbox-exporter', 'blackbox-health', 'blackbox-readiness', 'blackbox-synthetic', 'order-service', 'risk-service', 'market-data-service'],
        60_000,
      );
      await waitFor('PostgreSQL, Redis and every probe to report success', async () => {
        const bad = await p.query('pg_up != 1 or redis_up != 1 or probe_success != 1');
        const good = await p.query('pg_up == 1 or redis_up == 1');
        return bad.length === 0 && good.length === 2 ? true : undefined;
      }, 30_000);
    } catch (err) {
      const logs = ['prometheus', 'alertmanager', 'postgres', 'postgres-exporter', 'redis', 'redis-exporter', 'blackbox-exporter'].map((n) => `--- ${n}\n${p.procs.tail(n, 8)}`).join('\n');
      await p.stop();
      throw new Error(`the pipeline did not start: ${err instanceof Error ? err.message : String(err)}\n${logs}`);
    }
  }, 180_000);

  afterAll(async () => {
    await p?.stop();
    if (seen.length) {
      // eslint-disable-next-line no-console
      console.log(`faults injected and alerts seen:\n${seen.map((s) => `  ${s.fault} -> ${s.alert} at ${s.receiver}: fired after ${(s.firedAfterMs / 1000).toFixed(1)} s, resolved ${(s.resolvedAfterMs / 1000).toFixed(1)} s after repair`).join('\n')}`);
    }
  }, 60_000);

  it('keeps job names and relabelling of the generated configuration: only discovery and addresses differ', () => {
    const generated = p.stack.prometheus.renderConfig() as any;
    const derived = p.prometheusConfig;
    expect(derived.scrape_configs.map((j: any) => j.job_name)).toEqual(generated.scrape_configs.map((j: any) => j.job_name));
    const mapped = (x: unknown) => {
      let s = JSON.stringify(x ?? null);
      for (const [from, to] of p.addressMap()) s = s.split(from).join(to);
      return JSON.parse(s);
    };
    for (const [i, job] of generated.scrape_configs.entries()) {
      expect([job.job_name, derived.scrape_configs[i].relabel_configs ?? null]).toEqual([job.job_name, mapped(job.relabel_configs)]);
      expect([job.job_name, derived.scrape_configs[i].metrics_path]).toEqual([job.job_name, job.metrics_path]);
    }
    expect(derived.global.external_labels).toEqual(generated.global.external_labels);
    expect(derived.alerting.alert_relabel_configs).toEqual(generated.alerting.alert_relabel_configs);
  });

  it('labels the exporters\' series as the generated relabelling says: dependency, namespace, service', async () => {
    const pg = await p.query('pg_up');
    expect(pg.map((s) => s.metric)).toEqual([expect.objectContaining({ job: 'postgres-exporter', dependency: 'trading-db', namespace: 'monitoring', service: 'postgres-exporter-trading-db' })]);
    const http = await p.query('sum by (job, namespace, service) (http_requests_total{job="order-service"})');
    expect(http.map((s) => s.metric)).toEqual([{ job: 'order-service', namespace: 'grekko', service: 'order-service' }]);
  });

  it('finds every PostgreSQL, Redis and probe metric of the exporter catalog in what the real exporters expose', async () => {
    const exposed = new Set((await p.query('count by (__name__) ({__name__=~"pg_.+|redis_.+|probe_.+"})')).map((s) => s.metric.__name__));
    const wanted = METRICS.all.filter((m) => ['postgres-exporter', 'redis-exporter', 'blackbox-exporter'].includes(m.source)).map((m) => m.name);
    expect(wanted.filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('stays quiet while everything is healthy and the error rate is 1%', async () => {
    const alerts = (await p.prometheusAlerts()).filter((a) => a.labels.alertname?.startsWith('Pipeline'));
    expect(alerts).toEqual([]);
  });

  it.each(FAULTS.map((f) => [f.fault, f] as const))('%s', async (_name, f) => {
    const injectedAt = Date.now();
    await f.inject(p);
    const fired = await waitFor(`${f.alert} to reach a receiver`, () => p.webhook.find(f.alert, 'firing', injectedAt)[0], 60_000);
    const a: WebhookAlert = fired.alert;
    expect(fired.receiver).toBe(f.receiver);
    expect(a.labels).toEqual(expect.objectContaining({ alertname: f.alert, severity: f.severity, ...f.labels, ...EXTERNAL }));
    expect(a.labels.replica).toBeUndefined();
    expect(a.annotations.runbook_url).toBe(`${RUNBOOK_BASE}/${f.runbook}`);
    expect(a.annotations.summary).toEqual(expect.any(String));

    const repairedAt = Date.now();
    await f.repair(p);
    const resolved = await waitFor(`${f.alert} to resolve`, () => p.webhook.find(f.alert, 'resolved', repairedAt)[0], 60_000);
    expect(resolved.receiver).toBe(f.receiver);
    expect(resolved.alert.labels).toEqual(a.labels);
    seen.push({ fault: f.fault, alert: f.alert, receiver: fired.receiver, firedAfterMs: fired.at - injectedAt, resolvedAfterMs: resolved.at - repairedAt });
  }, 150_000);

  it('sent no alert that no fault called for', () => {
    const expected = new Set(FAULTS.map((f) => f.alert));
    const unexpected = p.webhook.notifications.flatMap((n) => n.alerts).filter((a) => !expected.has(a.labels.alertname)).map((a) => `${a.labels.alertname} ${JSON.stringify(a.labels)}`);
    expect(unexpected).toEqual([]);
  });
});
