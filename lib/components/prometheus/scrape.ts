/**
 * Typed Prometheus scrape jobs and the builders for the jobs every Kubernetes cluster needs
 * (API server, kubelet, cAdvisor, annotated services and pods, a component's own Service).
 * Rendered into prometheus.yml by the Prometheus construct.
 */
import { ConfigError } from '../../core/errors';

/** A component whose metrics Prometheus scrapes: the stack adds each job it returns. */
export interface ScrapeSource {
  scrapeJobs(): readonly ScrapeJob[];
}

export type RelabelAction = 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep' | 'hashmod' | 'lowercase' | 'uppercase';

export interface Relabel {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
  readonly action?: RelabelAction;
}

export type KubernetesRole = 'node' | 'pod' | 'service' | 'endpointslice' | 'endpoints' | 'ingress';

/** A group of static targets sharing labels (labels may set `__param_*` URL parameters). */
export interface StaticGroup {
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export type Discovery =
  | { readonly kind: 'static'; readonly targets: readonly string[]; readonly labels?: Readonly<Record<string, string>> }
  /** Several static groups, each with its own labels (probe targets of the multi-target pattern). */
  | { readonly kind: 'staticGroups'; readonly groups: readonly StaticGroup[] }
  | {
      readonly kind: 'kubernetes';
      readonly role: KubernetesRole;
      /** Limit discovery to these namespaces. @default - all namespaces */
      readonly namespaces?: readonly string[];
    };

export interface ScrapeJob {
  /** `job_name`, and the `job` label of every series the job scrapes. */
  readonly name: string;
  readonly discovery: Discovery;
  /** @default - the global scrape interval */
  readonly interval?: string;
  /** @default - the global scrape timeout */
  readonly timeout?: string;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** CA file and server name for https targets. @default - no TLS settings */
  readonly tls?: { readonly caFile?: string; readonly serverName?: string; readonly insecureSkipVerify?: boolean };
  /** A file holding a bearer token sent with each scrape (the pod's service-account token). */
  readonly bearerTokenFile?: string;
  readonly honorLabels?: boolean;
  /** Relabelling of targets before the scrape. */
  readonly relabelings?: readonly Relabel[];
  /** Relabelling of scraped series before storage. */
  readonly metricRelabelings?: readonly Relabel[];
}

/** Where Kubernetes mounts the service-account credentials in a pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function renderRelabel(r: Relabel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.sourceLabels) out.source_labels = [...r.sourceLabels];
  if (r.separator !== undefined) out.separator = r.separator;
  if (r.regex !== undefined) out.regex = r.regex;
  if (r.targetLabel !== undefined) out.target_label = r.targetLabel;
  if (r.replacement !== undefined) out.replacement = r.replacement;
  if (r.action !== undefined) out.action = r.action;
  return out;
}

export function renderScrapeJob(job: ScrapeJob): Record<string, unknown> {
  const out: Record<string, unknown> = { job_name: job.name };
  if (job.interval) out.scrape_interval = job.interval;
  if (job.timeout) out.scrape_timeout = job.timeout;
  if (job.metricsPath) out.metrics_path = job.metricsPath;
  if (job.scheme) out.scheme = job.scheme;
  if (job.honorLabels !== undefined) out.honor_labels = job.honorLabels;
  if (job.tls) {
    out.tls_config = {
      ...(job.tls.caFile ? { ca_file: job.tls.caFile } : {}),
      ...(job.tls.serverName ? { server_name: job.tls.serverName } : {}),
      ...(job.tls.insecureSkipVerify !== undefined ? { insecure_skip_verify: job.tls.insecureSkipVerify } : {}),
    };
  }
  if (job.bearerTokenFile) out.authorization = { type: 'Bearer', credentials_file: job.bearerTokenFile };
  const d = job.discovery;
  if (d.kind === 'static') {
    out.static_configs = [{ targets: [...d.targets], ...(d.labels ? { labels: { ...d.labels } } : {}) }];
  } else if (d.kind === 'staticGroups') {
    out.static_configs = d.groups.map((g) => ({ targets: [...g.targets], ...(g.labels ? { labels: { ...g.labels } } : {}) }));
  } else {
    out.kubernetes_sd_configs = [{ role: d.role, ...(d.namespaces ? { namespaces: { names: [...d.namespaces] } } : {}) }];
  }
  if (job.relabelings?.length) out.relabel_configs = job.relabelings.map(renderRelabel);
  if (job.metricRelabelings?.length) out.metric_relabel_configs = job.metricRelabelings.map(renderRelabel);
  return out;
}

/** namespace, pod, container, node and service labels from endpoint-slice discovery metadata. */
const ENDPOINTSLICE_TARGET_LABELS: readonly Relabel[] = [
  { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
  { sourceLabels: ['__meta_kubernetes_service_name'], targetLabel: 'service' },
  { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
  { sourceLabels: ['__meta_kubernetes_pod_container_name'], targetLabel: 'container' },
  { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
];

const kubeTls = { caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` };
const kubeToken = `${SERVICE_ACCOUNT_DIR}/token`;

/** The Kubernetes API servers, through the `kubernetes` Service in `default`. */
export function apiServerJob(): ScrapeJob {
  return {
    name: 'apiserver',
    discovery: { kind: 'kubernetes', role: 'endpointslice', namespaces: ['default'] },
    scheme: 'https',
    tls: kubeTls,
    bearerTokenFile: kubeToken,
    relabelings: [
      {
        sourceLabels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
        regex: 'kubernetes;https',
        action: 'keep',
      },
    ],
  };
}

/** The kubelet of every node, reached through the API server proxy (no node ports needed). */
function nodeProxyJob(name: string, path: string, metricRelabelings?: readonly Relabel[]): ScrapeJob {
  return {
    name,
    discovery: { kind: 'kubernetes', role: 'node' },
    scheme: 'https',
    tls: kubeTls,
    bearerTokenFile: kubeToken,
    relabelings: [
      { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
      { sourceLabels: ['__meta_kubernetes_node_name'], targetLabel: 'node' },
      { targetLabel: '__address__', replacement: 'kubernetes.default.svc:443' },
      { sourceLabels: ['__meta_kubernetes_node_name'], regex: '(.+)', targetLabel: '__metrics_path__', replacement: `/api/v1/nodes/$1/proxy${path}` },
    ],
    ...(metricRelabelings ? { metricRelabelings } : {}),
  };
}

export function kubeletJob(): ScrapeJob {
  return nodeProxyJob('kubelet', '/metrics');
}

/** Container metrics from cAdvisor in the kubelet; drops per-container series nobody queries. */
export function cadvisorJob(): ScrapeJob {
  return nodeProxyJob('cadvisor', '/metrics/cadvisor', [
    { sourceLabels: ['__name__'], regex: 'container_(tasks_state|memory_failures_total|blkio_device_usage_total)', action: 'drop' },
  ]);
}

/** The shared relabelling of the annotation convention (`prometheus.io/scrape|path|port|scheme`). */
function annotationRelabelings(kind: 'service' | 'pod'): Relabel[] {
  const a = (name: string) => `__meta_kubernetes_${kind}_annotation_prometheus_io_${name}`;
  return [
    { sourceLabels: [a('scrape')], regex: 'true', action: 'keep' },
    { sourceLabels: [a('scheme')], regex: '(https?)', targetLabel: '__scheme__' },
    { sourceLabels: [a('path')], regex: '(.+)', targetLabel: '__metrics_path__' },
    { sourceLabels: ['__address__', a('port')], regex: '(.+?)(?::\\d+)?;(\\d+)', replacement: '$1:$2', targetLabel: '__address__' },
    { action: 'labelmap', regex: `__meta_kubernetes_${kind}_label_app_kubernetes_io_(name|component|version)`, replacement: 'app_kubernetes_io_$1' },
  ];
}

/**
 * The namespaces of an annotation-driven job, never empty: an empty `namespaces.names` means
 * every namespace to Prometheus, including those its NetworkPolicy does not let it reach.
 */
function explicitNamespaces(job: string, namespaces: readonly string[]): string[] {
  if (namespaces.length === 0) {
    throw new ConfigError(
      `scrape job "${job}"`,
      'namespaces',
      '[]',
      'list the namespaces whose annotated targets Prometheus may reach (network.monitoredNamespaces), or leave the job out',
    );
  }
  return [...namespaces];
}

/**
 * Services annotated `prometheus.io/scrape: "true"` in the given namespaces, one target per ready
 * endpoint. The `job`
 * label is the Service's `app.kubernetes.io/name` label, or its name, so alerts can say
 * `job="order-service"` whatever the Service is called.
 */
export function annotatedServicesJob(namespaces: readonly string[]): ScrapeJob {
  return {
    name: 'kubernetes-service-endpoints',
    discovery: { kind: 'kubernetes', role: 'endpointslice', namespaces: explicitNamespaces('kubernetes-service-endpoints', namespaces) },
    relabelings: [
      ...annotationRelabelings('service'),
      ...ENDPOINTSLICE_TARGET_LABELS,
      { sourceLabels: ['__meta_kubernetes_service_name'], targetLabel: 'job' },
      { sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_name'], regex: '(.+)', targetLabel: 'job' },
    ],
  };
}

/** Pods annotated `prometheus.io/scrape: "true"` in the given namespaces (for workloads without a Service). */
export function annotatedPodsJob(namespaces: readonly string[]): ScrapeJob {
  return {
    name: 'kubernetes-pods',
    discovery: { kind: 'kubernetes', role: 'pod', namespaces: explicitNamespaces('kubernetes-pods', namespaces) },
    relabelings: [
      ...annotationRelabelings('pod'),
      { sourceLabels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Unknown', action: 'drop' },
      { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
      { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      { sourceLabels: ['__meta_kubernetes_pod_container_name'], targetLabel: 'container' },
      { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
      { sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: '(.+)', targetLabel: 'job' },
    ],
  };
}

/** One component's own Service, selected by name and port name; `job` is the given name. */
export function serviceJob(opts: { name: string; namespace: string; service: string; port: string; interval?: string; metricsPath?: string }): ScrapeJob {
  return {
    name: opts.name,
    discovery: { kind: 'kubernetes', role: 'endpointslice', namespaces: [opts.namespace] },
    ...(opts.interval ? { interval: opts.interval } : {}),
    ...(opts.metricsPath ? { metricsPath: opts.metricsPath } : {}),
    relabelings: [
      {
        sourceLabels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
        regex: `${escapeRegex(opts.service)};${escapeRegex(opts.port)}`,
        action: 'keep',
      },
      ...ENDPOINTSLICE_TARGET_LABELS,
    ],
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
