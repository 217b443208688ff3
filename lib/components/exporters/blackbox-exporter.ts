/**
 * blackbox_exporter: probes the monitored services from outside, as a user would. Every service
 * gets a health and a readiness probe, and every synthetic check runs one end-to-end transaction
 * (a request with a body, a status and a body pattern it must get back). Prometheus drives the
 * probes with the multi-target pattern: the target URL becomes the `target` parameter and the
 * `instance` label, and the scrape itself goes to the exporter.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext, checksum, toYaml, metadata } from '../../core/k8s';
import { Resources } from '../../core/workload';
import { Relabel, ScrapeJob, StaticGroup } from '../prometheus/scrape';
import { CA_KEY, CaTrust, caTrust } from '../../core/trust';
import { ExporterWorkload } from './common';
import { expectSecret } from '../../core/secrets';
import { DEPENDENCIES_DEFAULTS, ProbedService, SyntheticCheck } from './profile';

/**
 * A TLS endpoint whose certificate is watched: a TCP connection with a TLS handshake, verified
 * against the CA given, which reports `probe_ssl_earliest_cert_expiry` for the chain the server
 * presents. blackbox_exporter exports the `probe_ssl_*` series only for a TLS connection
 * (prometheus/blackbox_exporter v0.27.0: prober/tcp.go registers them under `if module.TCP.TLS`,
 * prober/http.go under `if resp.TLS != nil`), so a plain-HTTP probe never has them.
 */
export interface TlsEndpoint {
  /** The dependency's name: its `dependency` label. */
  readonly name: string;
  /** `host:port` serving TLS from the first byte. */
  readonly address: string;
  /** The Secret holding the CA that signed the server's certificate. @default - the system's trusted CAs */
  readonly caSecretName?: string;
  /** @default 'ca.crt' */
  readonly caKey?: string;
}

export interface BlackboxExporterProps {
  readonly ctx: StackContext;
  readonly services: readonly ProbedService[];
  readonly synthetic: readonly SyntheticCheck[];
  /** Endpoints whose certificates are probed. @default [] */
  readonly tlsEndpoints?: readonly TlsEndpoint[];
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
  /** The endpoints whose certificates are probed. */
  public readonly tlsEndpoints: readonly TlsEndpoint[];
  private readonly props: BlackboxExporterProps;

  constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    super(scope, id);
    this.props = props;
    const ident = BlackboxExporter.identity;
    const tls = props.tlsEndpoints ?? [];
    this.tlsEndpoints = tls;
    const config = toYaml(renderBlackboxConfig(props.synthetic, tls));
    const cas = [...new Map(tls.filter((t) => t.caSecretName).map((t) => [t.caSecretName!, t.caKey ?? CA_KEY])).entries()]
      .sort()
      .map(([secretName, key]) => blackboxCaTrust(secretName, key));
    for (const ca of cas) {
      const { secretName, key } = ca.secret;
      expectSecret(this, {
        name: secretName,
        keys: [key],
        usedBy: 'blackbox-exporter',
        description: `CA certificate the TLS probes verify ${tls
          .filter((t) => t.caSecretName === secretName)
          .map((t) => t.address)
          .join(', ')} against`,
      });
    }
    new k8s.KubeConfigMap(this, 'config', { metadata: metadata(props.ctx, ident, `${ident.name}-config`), data: { 'blackbox.yml': config } });
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx: props.ctx,
      identity: ident,
      port: PORT,
      args: [`--config.file=${CONFIG_DIR}/blackbox.yml`, `--web.listen-address=:${PORT}`],
      volumes: [{ name: 'config', configMap: { name: `${ident.name}-config` } }, ...cas.map((ca) => ca.volume)],
      volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }, ...cas.map((ca) => ca.mount)],
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
        probeJob(
          'blackbox-health',
          this.address,
          services.map((s) => ({
            targets: [url(s.url, s.healthPath ?? DEPENDENCIES_DEFAULTS.services.healthPath)],
            labels: { __param_module: HEALTH_MODULE, service: s.name, probe: 'health' },
          })),
        ),
        probeJob(
          'blackbox-readiness',
          this.address,
          services.map((s) => ({
            targets: [url(s.url, s.readinessPath ?? DEPENDENCIES_DEFAULTS.services.readinessPath)],
            labels: { __param_module: HEALTH_MODULE, service: s.name, probe: 'readiness' },
          })),
        ),
      );
    }
    const tls = this.props.tlsEndpoints ?? [];
    if (tls.length) {
      jobs.push(
        probeJob(
          'blackbox-tls',
          this.address,
          tls.map((t) => ({ targets: [t.address], labels: { __param_module: tlsModule(t), dependency: t.name, probe: 'tls' } })),
        ),
      );
    }
    // Checks with their own interval get a job each, the others share one.
    const byInterval = new Map<string, SyntheticCheck[]>();
    for (const c of synthetic) byInterval.set(c.interval ?? '', [...(byInterval.get(c.interval ?? '') ?? []), c]);
    const groups = [...byInterval.entries()].sort();
    for (const [interval, checks] of groups) {
      const name = groups.length > 1 && interval ? `blackbox-synthetic-${interval}` : 'blackbox-synthetic';
      jobs.push({
        ...probeJob(
          name,
          this.address,
          checks.map((c) => ({ targets: [c.url], labels: { __param_module: syntheticModule(c), service: c.service, check: c.name, probe: 'synthetic' } })),
        ),
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

/** A CA Secret as the exporter mounts it: one volume and directory per Secret. */
function blackboxCaTrust(secretName: string, key?: string): CaTrust {
  return caTrust({ secretName, key }, { volumeName: `ca-${secretName}`, mountPath: `${CONFIG_DIR}/ca/${secretName}` });
}

/** Name of the blackbox module that handshakes with a TLS endpoint: one per CA. */
export function tlsModule(t: TlsEndpoint): string {
  return t.caSecretName ? `tls_${t.caSecretName.replace(/[^A-Za-z0-9]/g, '_')}` : 'tls_system_roots';
}

/** blackbox.yml: the health module, one module per synthetic check and one per TLS CA. */
export function renderBlackboxConfig(synthetic: readonly SyntheticCheck[], tls: readonly TlsEndpoint[] = []): Record<string, unknown> {
  const modules: Record<string, unknown> = {
    [HEALTH_MODULE]: {
      prober: 'http',
      timeout: '5s',
      http: { preferred_ip_protocol: 'ip4', follow_redirects: false, valid_status_codes: [200, 204] },
    },
  };
  for (const c of synthetic) {
    const headers = c.headers ?? DEPENDENCIES_DEFAULTS.synthetic.headers;
    modules[syntheticModule(c)] = {
      prober: 'http',
      timeout: '10s',
      http: {
        method: c.method ?? DEPENDENCIES_DEFAULTS.synthetic.method,
        preferred_ip_protocol: 'ip4',
        follow_redirects: false,
        valid_status_codes: [...(c.expectStatus ?? DEPENDENCIES_DEFAULTS.synthetic.expectStatus)],
        ...(Object.keys(headers).length ? { headers: { ...headers } } : {}),
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.expectBody !== undefined ? { fail_if_body_not_matches_regexp: [c.expectBody] } : {}),
      },
    };
  }
  for (const t of tls) {
    modules[tlsModule(t)] = {
      prober: 'tcp',
      timeout: '5s',
      tcp: {
        preferred_ip_protocol: 'ip4',
        tls: true,
        ...(t.caSecretName ? { tls_config: { ca_file: blackboxCaTrust(t.caSecretName, t.caKey).file } } : {}),
      },
    };
  }
  return { modules };
}
