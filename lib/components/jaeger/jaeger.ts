/**
 * Jaeger v2 (built on the OpenTelemetry collector) with a generated configuration.
 *
 * - Memory storage: one `jaeger` Deployment receives OTLP, keeps spans in memory, serves sampling
 *   strategies and the UI.
 * - Elasticsearch storage: `jaeger-collector` (OTLP in, spans out to Elasticsearch, sampling
 *   strategies) and `jaeger-query` (UI and query API) scale apart, each with a least-privilege
 *   Elasticsearch user, a disruption budget when replicated, and a daily CronJob deletes indices
 *   older than the retention.
 *
 * Either way the same two Services exist: `jaeger-collector` (OTLP gRPC 4317, OTLP HTTP 4318,
 * sampling 5778/5779) for the trading services, and `jaeger-query` (16686) for people and Grafana.
 * Every listener binds 0.0.0.0 explicitly (Jaeger v2 defaults to localhost); probes use the
 * health-check extension on 13133; internal metrics are served on 8888 for Prometheus.
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { ConfigError } from '../../core/errors';
import { IMAGES } from '../../core/images';
import { JAEGER_DEFAULTS, ElasticsearchTraceStorage, JaegerDistributedProfile, JaegerProfile, TraceSampling, isDistributed } from './profile';
import {
  ComponentIdentity,
  StackContext,
  checksum,
  disruptionBudget,
  emptyDir,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
  spreadConstraints,
} from '../../core/k8s';
import { Resources } from '../../core/workload';
import { ElasticsearchCredentials, IElasticsearchEndpoint } from '../elasticsearch/endpoint';
import { GrafanaDatasource } from '../grafana/grafana';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';

export const JAEGER_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  samplingHttp: 5778,
  samplingGrpc: 5779,
  queryHttp: 16686,
  queryGrpc: 16685,
  health: 13133,
  metrics: 8888,
} as const;

/** `app.kubernetes.io/component` of the index cleaner's pods. */
export const JAEGER_INDEX_CLEANER_COMPONENT = 'tracing-index-cleaner';

/** The roles a Jaeger process plays; the all-in-one process plays both. */
export type JaegerRole = 'all-in-one' | 'collector' | 'query';

export interface JaegerProps {
  readonly ctx: StackContext;
  readonly profile: JaegerProfile;
  /**
   * Where spans go when the profile asks for Elasticsearch storage. Jaeger registers a
   * least-privilege user per role with it and reads the credentials from the Secrets it returns.
   * @default - none: only memory storage is possible
   */
  readonly elasticsearch?: IElasticsearchEndpoint;
  /** How errors name the input, such as `profile "staging"`. @default 'jaeger' */
  readonly where?: string;
}

/** The Grafana side of traces: where "logs for this span" and "metrics for this service" lead. */
export interface JaegerDatasourceOptions {
  /** @default 'jaeger' */
  readonly uid?: string;
  /** @default 'Jaeger' */
  readonly name?: string;
  /** Trace to logs: an Elasticsearch logs datasource whose documents carry the trace id. @default - no logs links */
  readonly logs?: { readonly datasourceUid: string; readonly traceIdField: string };
  /**
   * Trace to metrics: a Prometheus datasource and the queries offered for a span's service.
   * `$__tags` becomes `job="<service.name>"`. @default - no metrics links
   */
  readonly metrics?: { readonly datasourceUid: string; readonly queries: readonly { readonly name: string; readonly query: string }[] };
}

const CONFIG_DIR = '/etc/jaeger';
const SAMPLING_DIR = '/etc/jaeger/sampling';
const ES_CREDENTIALS_DIR = '/etc/jaeger/elasticsearch';
const ES_CA_DIR = '/etc/jaeger/elasticsearch-ca';
const STORE = 'traces';
/** The index cleaner's binary in its image (the image's entrypoint). */
const CLEANER_BINARY = '/go/bin/es-index-cleaner-linux';
/** Exporter queue: requests of at most `BATCH_MAX` spans each. */
const QUEUE_SIZE = 200;
const BATCH_MAX = 2048;

export interface Workload {
  readonly role: JaegerRole;
  readonly ident: ComponentIdentity;
  readonly name: string;
  readonly replicas: number;
  readonly resources: Resources;
  readonly credentials?: ElasticsearchCredentials;
}

export class Jaeger extends Construct {
  public static identity(role: JaegerRole): ComponentIdentity {
    return { name: 'jaeger', component: role === 'all-in-one' ? 'tracing' : `tracing-${role}`, image: IMAGES.jaeger };
  }

  /** The Service the trading services send spans to. */
  public readonly collectorServiceName = 'jaeger-collector';
  /** The Service of the UI and query API. */
  public readonly queryServiceName = 'jaeger-query';
  /** `host:port` for OTLP over gRPC. */
  public readonly otlpGrpcEndpoint: string;
  /** Base URL for OTLP over HTTP (the SDK appends `/v1/traces`). */
  public readonly otlpHttpEndpoint: string;
  /** URL of the remote sampling endpoint (`?service=<name>` gives that service's strategy). */
  public readonly samplingUrl: string;
  /** URL of the UI and query API. */
  public readonly queryUrl: string;
  /** The Deployments, by role. */
  public readonly workloads: readonly Workload[];
  /** Whether a CronJob deletes old span indices (Elasticsearch storage). */
  public readonly hasIndexCleaner: boolean;

  private readonly props: JaegerProps;
  private readonly where: string;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    this.props = props;
    const { ctx, profile } = props;
    this.where = props.where ?? 'jaeger';
    const host = (svc: string) => `${svc}.${ctx.namespace}.svc`;
    this.otlpGrpcEndpoint = `${host(this.collectorServiceName)}:${JAEGER_PORTS.otlpGrpc}`;
    this.otlpHttpEndpoint = `http://${host(this.collectorServiceName)}:${JAEGER_PORTS.otlpHttp}`;
    this.samplingUrl = `http://${host(this.collectorServiceName)}:${JAEGER_PORTS.samplingHttp}/sampling`;
    this.queryUrl = `http://${host(this.queryServiceName)}:${JAEGER_PORTS.queryHttp}`;

    if (isDistributed(profile)) {
      const es = props.elasticsearch;
      if (!es) {
        throw new ConfigError(
          this.where,
          'jaeger.storage.kind',
          'elasticsearch',
          'this stack has no Elasticsearch to store spans in: enable Elasticsearch in the profile, or use { kind: "memory", maxTraces } storage',
        );
      }
      const indices = [`${profile.storage.indexPrefix}-jaeger-*`];
      this.workloads = [
        {
          role: 'collector',
          ident: Jaeger.identity('collector'),
          name: 'jaeger-collector',
          replicas: profile.collector.replicas,
          resources: profile.collector.resources,
          // Writes spans and service names; installs its index templates at start.
          credentials: es.addClient({
            name: 'jaeger-collector',
            indices,
            indexPrivileges: ['create_index', 'index', 'view_index_metadata'],
            clusterPrivileges: ['monitor', 'manage_index_templates'],
          }),
        },
        {
          role: 'query',
          ident: Jaeger.identity('query'),
          name: 'jaeger-query',
          replicas: profile.query.replicas,
          resources: profile.query.resources,
          credentials: es.addClient({ name: 'jaeger-query', indices, indexPrivileges: ['read', 'view_index_metadata'], clusterPrivileges: ['monitor'] }),
        },
      ];
    } else {
      this.workloads = [{ role: 'all-in-one', ident: Jaeger.identity('all-in-one'), name: 'jaeger', replicas: 1, resources: profile.allInOne.resources }];
    }

    const ident0 = this.workloads[0].ident;
    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident0, 'jaeger'), automountServiceAccountToken: false });
    const samplingJson = JSON.stringify(samplingStrategies(profile.sampling), null, 2);
    new k8s.KubeConfigMap(this, 'sampling', { metadata: metadata(ctx, ident0, 'jaeger-sampling'), data: { 'strategies.json': samplingJson } });

    for (const w of this.workloads) this.addWorkload(w, samplingJson);

    // The two Services exist in every shape, so clients never change their endpoints.
    const receiver = this.workloads.find((w) => w.role !== 'query')!;
    const server = this.workloads.find((w) => w.role !== 'collector')!;
    const tcp = (name: string, port: number, appProtocol?: string): k8s.ServicePort => ({
      name,
      port,
      targetPort: k8s.IntOrString.fromNumber(port),
      protocol: 'TCP',
      ...(appProtocol ? { appProtocol } : {}),
    });
    new k8s.KubeService(this, 'collector-service', {
      metadata: metadata(ctx, receiver.ident, this.collectorServiceName),
      spec: {
        selector: this.selector(receiver),
        ports: [
          tcp('otlp-grpc', JAEGER_PORTS.otlpGrpc, 'grpc'),
          tcp('otlp-http', JAEGER_PORTS.otlpHttp, 'http'),
          tcp('sampling-http', JAEGER_PORTS.samplingHttp, 'http'),
          tcp('sampling-grpc', JAEGER_PORTS.samplingGrpc, 'grpc'),
          tcp('metrics', JAEGER_PORTS.metrics, 'http'),
        ],
      },
    });
    new k8s.KubeService(this, 'query-service', {
      metadata: metadata(ctx, server.ident, this.queryServiceName),
      spec: {
        selector: this.selector(server),
        ports: [
          tcp('http', JAEGER_PORTS.queryHttp, 'http'),
          tcp('grpc', JAEGER_PORTS.queryGrpc, 'grpc'),
          // The all-in-one process is scraped once, through the collector Service.
          ...(server.role === 'query' ? [tcp('metrics', JAEGER_PORTS.metrics, 'http')] : []),
        ],
      },
    });

    this.hasIndexCleaner = isDistributed(profile);
    if (isDistributed(profile)) this.addIndexCleaner(profile, props.elasticsearch!);
  }

  /** The Prometheus jobs that scrape every Jaeger process once (job `jaeger`, or `jaeger-collector` and `jaeger-query`). */
  public scrapeJobs(): ScrapeJob[] {
    const ns = this.props.ctx.namespace;
    return this.workloads.map((w) =>
      serviceJob({ name: w.name, namespace: ns, service: w.role === 'query' ? this.queryServiceName : this.collectorServiceName, port: 'metrics' }),
    );
  }

  /** A Grafana datasource for these traces, with links to logs and metrics when given. */
  public grafanaDatasource(opts: JaegerDatasourceOptions = {}): GrafanaDatasource {
    const shift = { spanStartTimeShift: '-5m', spanEndTimeShift: '5m' };
    const jsonData: Record<string, unknown> = {
      nodeGraph: { enabled: true },
      traceQuery: { timeShiftEnabled: true, spanStartTimeShift: '-30m', spanEndTimeShift: '30m' },
    };
    if (opts.logs) {
      jsonData.tracesToLogsV2 = {
        datasourceUid: opts.logs.datasourceUid,
        ...shift,
        filterByTraceID: false,
        filterBySpanID: false,
        customQuery: true,
        query: `${opts.logs.traceIdField}:"\${__trace.traceId}"`,
      };
    }
    if (opts.metrics) {
      jsonData.tracesToMetrics = {
        datasourceUid: opts.metrics.datasourceUid,
        ...shift,
        // A span's service.name is the job label of the service's metrics.
        tags: [{ key: 'service.name', value: 'job' }],
        queries: opts.metrics.queries.map((q) => ({ name: q.name, query: q.query })),
      };
    }
    return { name: opts.name ?? 'Jaeger', uid: opts.uid ?? 'jaeger', type: 'jaeger', url: this.queryUrl, jsonData };
  }

  /** The configuration file of one role. */
  public renderConfig(role: JaegerRole): Record<string, unknown> {
    const w = this.workloads.find((x) => x.role === role);
    if (!w) throw new Error(`this Jaeger has no ${role} (it runs ${this.workloads.map((x) => x.role).join(', ')})`);
    const receives = role !== 'query';
    const serves = role !== 'collector';
    const any = (port: number) => `0.0.0.0:${port}`;

    const extensions: Record<string, unknown> = {
      healthcheckv2: { use_v2: true, http: { endpoint: any(JAEGER_PORTS.health), status: { enabled: true, path: '/status' } } },
      jaeger_storage: { backends: { [STORE]: this.storageBackend(w) } },
    };
    if (receives) {
      extensions.remote_sampling = {
        file: { path: `${SAMPLING_DIR}/strategies.json`, reload_interval: '1m' },
        http: { endpoint: any(JAEGER_PORTS.samplingHttp) },
        grpc: { endpoint: any(JAEGER_PORTS.samplingGrpc) },
      };
    }
    if (serves) {
      extensions.jaeger_query = {
        storage: { traces: STORE },
        http: { endpoint: any(JAEGER_PORTS.queryHttp) },
        grpc: { endpoint: any(JAEGER_PORTS.queryGrpc) },
      };
    }

    const config: Record<string, unknown> = {
      service: {
        extensions: Object.keys(extensions),
        pipelines: {
          traces: receives
            ? { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['jaeger_storage_exporter'] }
            : // The query process receives nothing; the collector framework still wants a pipeline.
              { receivers: ['nop'], exporters: ['nop'] },
        },
        telemetry: {
          resource: { 'service.name': w.name },
          metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_PORTS.metrics } } } }] },
          logs: { level: 'info', encoding: 'json' },
        },
      },
      extensions,
    };
    if (receives) {
      config.receivers = { otlp: { protocols: { grpc: { endpoint: any(JAEGER_PORTS.otlpGrpc) }, http: { endpoint: any(JAEGER_PORTS.otlpHttp) } } } };
      config.processors = {
        // Refuses spans (the SDKs retry) before the process runs out of memory.
        memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
        batch: { send_batch_size: 1024, send_batch_max_size: BATCH_MAX, timeout: '1s' },
      };
      config.exporters = {
        jaeger_storage_exporter: {
          trace_storage: STORE,
          queue: { sizer: 'requests', queue_size: QUEUE_SIZE, num_consumers: 4 },
          retry_on_failure: { enabled: true, initial_interval: '1s', max_interval: '30s', max_elapsed_time: '5m' },
        },
      };
    } else {
      config.receivers = { nop: {} };
      config.exporters = { nop: {} };
    }
    return config;
  }

  /** The sampling strategies served to the SDKs. */
  public get samplingStrategies(): Record<string, unknown> {
    return samplingStrategies(this.props.profile.sampling);
  }

  private storageBackend(w: Workload): Record<string, unknown> {
    const { profile } = this.props;
    if (!isDistributed(profile)) return { memory: { max_traces: profile.storage.maxTraces } };
    const st = profile.storage;
    const es = this.props.elasticsearch!;
    const index = { date_layout: '2006-01-02', rollover_frequency: 'day', shards: st.shards, replicas: st.replicas };
    return {
      elasticsearch: {
        server_urls: [es.url],
        auth: { basic: { username: '${env:ES_USERNAME}', password_file: `${ES_CREDENTIALS_DIR}/password` } },
        ...(es.caSecretName ? { tls: { insecure: false, ca_file: `${ES_CA_DIR}/ca.crt` } } : {}),
        indices: { index_prefix: st.indexPrefix, spans: index, services: index, dependencies: index, sampling: index },
        // Only the collector installs index templates; the query user may not.
        create_mappings: w.role === 'collector',
        // Queries never look further back than the indices that still exist.
        max_span_age: `${st.retentionDays * 24}h`,
      },
    };
  }

  private selector(w: Workload): Record<string, string> {
    return { ...selectorLabels(this.props.ctx, w.ident), 'app.kubernetes.io/component': w.ident.component };
  }

  private addWorkload(w: Workload, samplingJson: string): void {
    const { ctx } = this.props;
    const scope = new Construct(this, w.role);
    const selector = this.selector(w);
    const configName = `${w.name}-config`;
    const configText = Lazy.any({ produce: () => jaegerYaml(this.renderConfig(w.role)) }) as unknown as string;
    new k8s.KubeConfigMap(scope, 'config', { metadata: metadata(ctx, w.ident, configName), data: { 'config.yaml': configText } });

    const receives = w.role !== 'query';
    const serves = w.role !== 'collector';
    const ports: k8s.ContainerPort[] = [
      ...(receives
        ? [
            { name: 'otlp-grpc', containerPort: JAEGER_PORTS.otlpGrpc },
            { name: 'otlp-http', containerPort: JAEGER_PORTS.otlpHttp },
            { name: 'sampling-http', containerPort: JAEGER_PORTS.samplingHttp },
            { name: 'sampling-grpc', containerPort: JAEGER_PORTS.samplingGrpc },
          ]
        : []),
      ...(serves
        ? [
            { name: 'http', containerPort: JAEGER_PORTS.queryHttp },
            { name: 'grpc', containerPort: JAEGER_PORTS.queryGrpc },
          ]
        : []),
      { name: 'health', containerPort: JAEGER_PORTS.health },
      { name: 'metrics', containerPort: JAEGER_PORTS.metrics },
    ];

    const c = w.credentials;
    const es = this.props.elasticsearch;
    const volumes: k8s.Volume[] = [
      { name: 'config', configMap: { name: configName } },
      ...(receives ? [{ name: 'sampling', configMap: { name: 'jaeger-sampling' } }] : []),
      emptyDir('tmp'),
      ...(c ? [{ name: 'es-credentials', secret: { secretName: c.secretName, defaultMode: 0o440, items: [{ key: c.passwordKey, path: 'password' }] } }] : []),
      ...(c && es?.caSecretName
        ? [{ name: 'es-ca', secret: { secretName: es.caSecretName, defaultMode: 0o444, items: [{ key: es.caKey ?? 'ca.crt', path: 'ca.crt' }] } }]
        : []),
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'config', mountPath: CONFIG_DIR + '/config', readOnly: true },
      ...(receives ? [{ name: 'sampling', mountPath: SAMPLING_DIR, readOnly: true }] : []),
      { name: 'tmp', mountPath: '/tmp' },
      ...(c ? [{ name: 'es-credentials', mountPath: ES_CREDENTIALS_DIR, readOnly: true }] : []),
      ...(c && es?.caSecretName ? [{ name: 'es-ca', mountPath: ES_CA_DIR, readOnly: true }] : []),
    ];

    new k8s.KubeDeployment(scope, 'deployment', {
      metadata: metadata(ctx, w.ident, w.name),
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: selector },
        // Memory storage lives in one pod: two at once would split the traces between them.
        strategy:
          w.role === 'all-in-one'
            ? { type: 'Recreate' }
            : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: metadata(ctx, w.ident, w.name).labels,
            annotations: {
              'checksum/config': Lazy.any({
                produce: () => checksum(jaegerYaml(this.renderConfig(w.role)), receives ? samplingJson : ''),
              }) as unknown as string,
            },
          },
          spec: {
            serviceAccountName: 'jaeger',
            automountServiceAccountToken: false,
            securityContext: nonRootPod(10001),
            // Lets the collector flush its queue to storage on shutdown.
            terminationGracePeriodSeconds: 60,
            topologySpreadConstraints: spreadConstraints(ctx, selector, w.replicas),
            containers: [
              {
                name: 'jaeger',
                image: image(ctx, w.ident.image),
                imagePullPolicy: 'IfNotPresent',
                args: [`--config=${CONFIG_DIR}/config/config.yaml`],
                env: c ? [{ name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: c.secretName, key: c.usernameKey } } }] : [],
                ports,
                resources: resources(w.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe('/status', JAEGER_PORTS.health, { periodSeconds: 10, failureThreshold: 3 }),
                livenessProbe: httpProbe('/status', JAEGER_PORTS.health, { initialDelaySeconds: 10, periodSeconds: 15, failureThreshold: 6 }),
                // Connecting to Elasticsearch and installing templates can take a while after a restart.
                startupProbe: httpProbe('/status', JAEGER_PORTS.health, { periodSeconds: 5, failureThreshold: 36 }),
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    });
    disruptionBudget(scope, ctx, w.ident, w.name, selector, w.replicas);
  }

  /** Deletes daily indices older than the retention, every day. */
  private addIndexCleaner(profile: JaegerDistributedProfile, es: IElasticsearchEndpoint): void {
    const { ctx } = this.props;
    const st: ElasticsearchTraceStorage = profile.storage;
    const ident: ComponentIdentity = { name: 'jaeger', component: JAEGER_INDEX_CLEANER_COMPONENT, image: IMAGES.jaegerEsIndexCleaner };
    const creds = es.addClient({
      name: 'jaeger-index-cleaner',
      indices: [`${st.indexPrefix}-jaeger-*`],
      indexPrivileges: ['monitor', 'view_index_metadata', 'delete_index'],
      clusterPrivileges: ['monitor'],
    });
    const name = 'jaeger-index-cleaner';
    const flags = [`--index-prefix=${st.indexPrefix}`, ...(es.caSecretName ? ['--es.tls.enabled=true', `--es.tls.ca=${ES_CA_DIR}/ca.crt`] : [])];
    // The cleaner takes credentials from the environment only; the shell reads them from the
    // mounted Secret so that they never appear in the pod spec.
    const script = [
      'set -eu',
      `ES_USERNAME="$(cat ${ES_CREDENTIALS_DIR}/username)"`,
      `ES_PASSWORD="$(cat ${ES_CREDENTIALS_DIR}/password)"`,
      'export ES_USERNAME ES_PASSWORD',
      `exec ${CLEANER_BINARY} ${flags.join(' ')} ${st.retentionDays} ${es.url}`,
    ].join('\n');
    new k8s.KubeCronJob(this, 'index-cleaner', {
      metadata: metadata(ctx, ident, name),
      spec: {
        schedule: st.cleanupSchedule ?? JAEGER_DEFAULTS.storage.cleanupSchedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 3,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 86400,
            template: {
              metadata: { labels: metadata(ctx, ident, name).labels },
              spec: {
                restartPolicy: 'OnFailure',
                serviceAccountName: 'jaeger',
                automountServiceAccountToken: false,
                securityContext: nonRootPod(10001),
                containers: [
                  {
                    name: 'index-cleaner',
                    image: image(ctx, ident.image),
                    imagePullPolicy: 'IfNotPresent',
                    command: ['/bin/sh', '-c'],
                    args: [script],
                    resources: resources(profile.indexCleaner.resources),
                    securityContext: restrictedContainer(),
                    volumeMounts: [
                      { name: 'es-credentials', mountPath: ES_CREDENTIALS_DIR, readOnly: true },
                      ...(es.caSecretName ? [{ name: 'es-ca', mountPath: ES_CA_DIR, readOnly: true }] : []),
                    ],
                  },
                ],
                volumes: [
                  {
                    name: 'es-credentials',
                    secret: {
                      secretName: creds.secretName,
                      defaultMode: 0o440,
                      items: [
                        { key: creds.usernameKey, path: 'username' },
                        { key: creds.passwordKey, path: 'password' },
                      ],
                    },
                  },
                  ...(es.caSecretName
                    ? [{ name: 'es-ca', secret: { secretName: es.caSecretName, defaultMode: 0o444, items: [{ key: es.caKey ?? 'ca.crt', path: 'ca.crt' }] } }]
                    : []),
                ],
              },
            },
          },
        },
      },
    });
  }
}

/**
 * Jaeger's YAML: every string value double-quoted, because Go's YAML decoder turns a plain
 * `2006-01-02` (the index date layout) into a timestamp.
 */
export function jaegerYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}

/** Jaeger's sampling strategies file: a default and per-service (and per-operation) overrides. */
export function samplingStrategies(s: TraceSampling): Record<string, unknown> {
  const probabilistic = (p: number) => ({ type: 'probabilistic', param: p });
  return {
    default_strategy: probabilistic(s.defaultProbability),
    service_strategies: (s.services ?? JAEGER_DEFAULTS.sampling.services).map((o) => {
      const operations = o.operations ?? JAEGER_DEFAULTS.sampling.operations;
      return {
        service: o.service,
        ...probabilistic(o.probability),
        ...(operations.length ? { operation_strategies: operations.map((op) => ({ operation: op.operation, ...probabilistic(op.probability) })) } : {}),
      };
    }),
  };
}
