/**
 * Prometheus watches itself: every replica is a target of the `prometheus` job, found through
 * Kubernetes discovery like every other component, so its series carry `namespace` and `pod`.
 * The relabelling is proven by the real Prometheus server (Debian's build, which lacks Kubernetes
 * discovery): the generated job runs with its discovery swapped for static groups carrying the
 * `__meta_kubernetes_*` labels endpoint-slice discovery gives each endpoint of each Service
 * selecting the StatefulSet's pods, and the server's own query API says what was stored. The
 * annotated Services' job runs beside it, for the core services' own scrape interval.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { parsePromQL } from '../lib/rules/promql';
import { isAlert } from '../lib/rules/types';
import { prometheus as prometheusAlerts } from '../alerts/monitoring';
import { prometheus as prometheusDashboard } from '../dashboards/prometheus';
import { dashboardQueries } from '../lib/dashboards/check';
import { find, synth } from './support/synth';
import { describeWithTools, findTool } from './support/tools';
import { PROFILES } from '../stacks/environments';
import { TRADING_SERVICES } from '../metrics/system';

/** A core trading service: production scrapes it at an interval of its own. */
const CORE_SERVICE = TRADING_SERVICES.orders;

const prometheusBinary = findTool('prometheus', 'prometheus');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function query(port: number, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return body.data.result;
}

describe('the prometheus job (every environment)', () => {
  it.each(['local', 'staging', 'production'] as const)('%s: discovers the replicas through their Service in the namespace, not localhost', (env) => {
    const { stack } = synth(env);
    const config = parse(find(synth(env).objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
    const job = config.scrape_configs.find((j: any) => j.job_name === 'prometheus');
    expect(job.static_configs).toBeUndefined();
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: [stack.context.namespace] } }]);
    expect(JSON.stringify(job)).not.toContain('localhost');
  });
});

describeWithTools('the prometheus job, run by the real Prometheus (production, an HA pair)', [prometheusBinary], () => {
  const { stack, objects } = synth('production');
  const ns = stack.context.namespace;
  const sts = find(objects, 'StatefulSet', 'prometheus');
  const generated = parse(find(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
  let proc: ChildProcess | undefined;
  let dir = '';
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prom-self-'));
    const selector = sts.spec.selector.matchLabels as Record<string, string>;
    const services = (objects as any[]).filter((o) => o.kind === 'Service' && Object.entries(o.spec.selector ?? {}).every(([k, v]) => selector[k] === v));
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['prometheus', 'prometheus-headless']);
    // What endpoint-slice discovery reports: one endpoint per replica and Service port, all reaching this test's server.
    const groups = [];
    for (const svc of services) {
      for (const p of svc.spec.ports) {
        for (let i = 0; i < sts.spec.replicas; i++) {
          groups.push({
            targets: [`127.0.0.1:${port}`],
            labels: {
              __meta_kubernetes_namespace: ns,
              __meta_kubernetes_service_name: svc.metadata.name,
              __meta_kubernetes_endpointslice_port_name: p.name,
              __meta_kubernetes_pod_name: `prometheus-${i}`,
              __meta_kubernetes_pod_container_name: 'prometheus',
              __meta_kubernetes_pod_node_name: `node-${i}`,
            },
          });
        }
      }
    }
    const job = { ...generated.scrape_configs.find((j: any) => j.job_name === 'prometheus') };
    delete job.kubernetes_sd_configs;
    job.static_configs = groups;
    // The annotated Services' job, with a core trading service and a Service of no such standing:
    // the profile's scrapeIntervals reach the first by its relabelled `job` label.
    const annotated = { ...generated.scrape_configs.find((j: any) => j.job_name === 'kubernetes-service-endpoints') };
    delete annotated.kubernetes_sd_configs;
    annotated.static_configs = [CORE_SERVICE, 'reporting-batch'].map((name) => ({
      targets: [`127.0.0.1:${port}`],
      labels: {
        __meta_kubernetes_namespace: 'grekko',
        __meta_kubernetes_service_name: name,
        __meta_kubernetes_service_label_app_kubernetes_io_name: name,
        __meta_kubernetes_service_annotation_prometheus_io_scrape: 'true',
        __meta_kubernetes_service_annotation_prometheus_io_port: String(port),
        __meta_kubernetes_endpointslice_port_name: 'http',
        __meta_kubernetes_pod_name: `${name}-0`,
      },
    }));
    const config = { global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' }, scrape_configs: [job, annotated] };
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), stringify(config));
    proc = spawn(
      prometheusBinary.path!,
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    // Wait until both replicas have been scraped at least twice.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const r = await query(port, 'count(count_over_time(up{job="prometheus"}[1m]) >= 2)');
        if (r.length && Number(r[0].value[1]) === 2) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error('Prometheus did not scrape its replicas within 30 s');
      await new Promise((res) => setTimeout(res, 500));
    }
  }, 40_000);

  afterAll(() => {
    if (proc?.pid) proc.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("scrapes a core trading service at the profile's own interval for it, and any other annotated Service at the job's", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=active`);
    const body = (await res.json()) as { data: { activeTargets: Array<{ labels: Record<string, string>; scrapeInterval: string; scrapeTimeout: string }> } };
    const byJob = Object.fromEntries(
      body.data.activeTargets.filter((t) => t.labels.namespace === 'grekko').map((t) => [t.labels.job, [t.scrapeInterval, t.scrapeTimeout]]),
    );
    const own = PROFILES.production.prometheus.scrapeIntervals![CORE_SERVICE];
    expect(byJob).toEqual({ [CORE_SERVICE]: [own, own], 'reporting-batch': ['1s', '1s'] });
  });

  it('scrapes each replica once, named by namespace, service, pod, container and node', async () => {
    const up = await query(port, 'up{job="prometheus"}');
    const labels = up
      .map((s) => ({ namespace: s.metric.namespace, service: s.metric.service, pod: s.metric.pod, container: s.metric.container, node: s.metric.node }))
      .sort((a, b) => a.pod.localeCompare(b.pod));
    expect(labels).toEqual([
      { namespace: ns, service: 'prometheus', pod: 'prometheus-0', container: 'prometheus', node: 'node-0' },
      { namespace: ns, service: 'prometheus', pod: 'prometheus-1', container: 'prometheus', node: 'node-1' },
    ]);
  });

  it('makes the "Replicas up" panel count both replicas of the pair', async () => {
    const panel = dashboardQueries(prometheusDashboard).find((x) => x.panel === 'panel "Replicas up"')!;
    const r = await query(port, panel.expr);
    expect(Number(r[0].value[1])).toBe(sts.spec.replicas);
  });

  it('gives the Prometheus alerts that group by pod a pod and namespace for every replica', async () => {
    const byPod = prometheusAlerts.rules.filter(isAlert).filter((a) => parsePromQL(a.expr).outputLabels?.includes('pod'));
    expect(byPod.length).toBe(7);
    // Each alert's series, as its grouping sees them: one group per replica, every one named.
    for (const a of byPod) {
      for (const m of [...new Set(parsePromQL(a.expr).metrics.map((x) => x.name))]) {
        const series = await query(port, `count by (namespace, job, pod) (${m}{job="prometheus"})`);
        if (series.length === 0) continue; // created on first use (per Alertmanager, per rule group)
        expect([a.alert, m, series.map((s) => `${s.metric.namespace}/${s.metric.pod}`).sort()]).toEqual([
          a.alert,
          m,
          [`${ns}/prometheus-0`, `${ns}/prometheus-1`],
        ]);
      }
    }
    const present = await query(port, 'count by (pod) (prometheus_config_last_reload_successful{job="prometheus"})');
    expect(present.map((s) => s.metric.pod).sort()).toEqual(['prometheus-0', 'prometheus-1']);
  });
});
