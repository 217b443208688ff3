/**
 * blackbox_exporter: probes the monitored services from outside, as a user would. Every service
 * gets a health and a readiness probe, and every synthetic check runs one end-to-end transaction
 * (a request with a body, a status and a body pattern it must get back). Prometheus drives the
 * probes with the multi-target pattern: the target URL becomes the `target` parameter and the
 * `instance` label, and the scrape itself goes to the exporter.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../images';
import { ComponentIdentity, StackContext, checksum, toYaml } from '../../k8s';
import { metadata } from '../../k8s';
import { Resources } from '../../profile';
import { Relabel, ScrapeJob, StaticGroup } from '../scrape';
import { ExporterWorkload } from './common';
import { ProbedService, SyntheticCheck } from './types';

export interface BlackboxExporterProps {
  readonly ctx: StackContext;
  readonly services: readonly ProbedService[];
  readonly synthetic: readonly SyntheticCheck[];
  readonly resources: Resources;
}

const PORT = 9115;
const CONFIG_DIR = '/etc/blackbox-exporter';
/** The module of plain health and readiness probes: any 2xx within the timeout. */
export const HEALTH_MODULE = 'http_2xx';

export class BlackboxExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'blackbox-exporter', component: 'probes', image: IMAGES.blackboxExporter };
  public readonly workload: ExporterWorkload;
  /** `host:port` Prometheus sends probe requests to. */
  public readonly address: string;
  private readonly props: BlackboxExporterProps;

  constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    super(scope, id);
    this.props = props;
    const ident = BlackboxExporter.identity;
    const config = toYaml(renderBlackboxConfig(props.synthetic));
    new k8s.KubeConfigMap(this, 'config', { metadata: metadata(props.ctx, ident, `${ident.name}-config`), data: { 'blackbox.yml': config } });
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx: props.ctx,
      identity: ident,
      port: PORT,
      args: [`--config.file=${CONFIG_DIR}/blackbox.yml`, `--web.listen-address=:${PORT}`],
      volumes: [{ name: 'config', configMap: { name: `${ident.name}-config` } }],
      volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }],
      resources: props.resources,
      probePath: '/-/healthy',
      podAnnotations: { 'checksum/config': checksum(config) },
    });
    this.address = `${this.workload.serviceName}.${props.ctx.namespace}.svc:${PORT}`;
  }

  /** The probe jobs: `blackbox-health`, `blackbox-readiness` and, with checks, `blackbox-synthetic`. */
  public scrapeJobs(): ScrapeJob[] {
    const { services, synthetic } = this.props;
    const url = (base: string, path: string) => `${base.replace(/\/$/, '')}${path}`;
    const jobs: ScrapeJob[] = [];
    if (services.length) {
      jobs.push(
        probeJob('blackbox-health', this.address, services.map((s) => ({ targets: [url(s.url, s.healthPath ?? '/health')], labels: { __param_module: HEALTH_MODULE, service: s.name, probe: 'health' } }))),
        probeJob('blackbox-readiness', this.address, services.map((s) => ({ targets: [url(s.url, s.readinessPath ?? '/ready')], labels: { __param_module: HEALTH_MODULE, service: s.name, probe: 'readiness' } }))),
      );
    }
    // Checks with their own interval get a job each, the others share one.
    const byInterval = new Map<string, SyntheticCheck[]>();
    for (const c of synthetic) byInterval.set(c.interval ?? '', [...(byInterval.get(c.interval ?? '') ?? []), c]);
    const groups = [...byInterval.entries()].sort();
    for (const [interval, checks] of groups) {
      const name = groups.length > 1 && interval ? `blackbox-synthetic-${interval}` : 'blackbox-synthetic';
      jobs.push({
        ...probeJob(name, this.address, checks.map((c) => ({ targets: [c.url], labels: { __param_module: syntheticModule(c), service: c.service, check: c.name, probe: 'synthetic' } }))),
        ...(interval ? { interval } : {}),
      });
    }
    return jobs;
  }
}

/** Name of the blackbox module that runs a synthetic check. */
export function syntheticModule(c: SyntheticCheck): string {
  return `synthetic_${c.name}`;
}

/** The multi-target pattern: target URL to `target` parameter and `instance`, scrape to the exporter. */
function probeJob(name: string, exporterAddress: string, groups: StaticGroup[]): ScrapeJob {
  const relabelings: Relabel[] = [
    { sourceLabels: ['__address__'], targetLabel: '__param_target' },
    { sourceLabels: ['__param_target'], targetLabel: 'instance' },
    { targetLabel: '__address__', replacement: exporterAddress },
  ];
  return { name, discovery: { kind: 'staticGroups', groups }, metricsPath: '/probe', relabelings };
}

/** blackbox.yml: the health module and one module per synthetic check. */
export function renderBlackboxConfig(synthetic: readonly SyntheticCheck[]): Record<string, unknown> {
  const modules: Record<string, unknown> = {
    [HEALTH_MODULE]: {
      prober: 'http',
      timeout: '5s',
      http: { preferred_ip_protocol: 'ip4', follow_redirects: false, valid_status_codes: [200, 204] },
    },
  };
  for (const c of synthetic) {
    modules[syntheticModule(c)] = {
      prober: 'http',
      timeout: '10s',
      http: {
        method: c.method ?? 'GET',
        preferred_ip_protocol: 'ip4',
        follow_redirects: false,
        valid_status_codes: [...(c.expectStatus ?? [200])],
        ...(c.headers && Object.keys(c.headers).length ? { headers: { ...c.headers } } : {}),
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.expectBody !== undefined ? { fail_if_body_not_matches_regexp: [c.expectBody] } : {}),
      },
    };
  }
  return { modules };
}
