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
import { Construct } from 'constructs';
import { ConfigError } from '../../core/errors';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext } from '../../core/k8s';
import { IElasticsearchEndpoint } from '../elasticsearch/endpoint';
import { GrafanaDatasource } from '../grafana/datasource';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { jaegerConfig, jaegerYaml, samplingStrategies } from './config';
import { addIndexCleaner } from './index-cleaner';
import { jaegerFlows } from './flows';
import { JAEGER_PORTS, JaegerRole } from './layout';
import { Flow, FlowContext } from '../network-policies/flows';
import { JaegerProfile, isDistributed } from './profile';
import { Workload, addSamplingConfigMap, addServiceAccount, addServices, addWorkload } from './workloads';

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
  /** The links of the Grafana datasource it offers (`datasources()`). @default - no links */
  readonly datasource?: JaegerDatasourceOptions;
}

/** The uid of the Jaeger datasource in Grafana. */
export const JAEGER_DATASOURCE_UID = 'jaeger';

/** The Grafana side of traces: where "logs for this span" and "metrics for this service" lead. */
export interface JaegerDatasourceOptions {
  /** @default JAEGER_DATASOURCE_UID */
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
          identity: Jaeger.identity('collector'),
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
          identity: Jaeger.identity('query'),
          name: 'jaeger-query',
          replicas: profile.query.replicas,
          resources: profile.query.resources,
          credentials: es.addClient({ name: 'jaeger-query', indices, indexPrivileges: ['read', 'view_index_metadata'], clusterPrivileges: ['monitor'] }),
        },
      ];
    } else {
      this.workloads = [{ role: 'all-in-one', identity: Jaeger.identity('all-in-one'), name: 'jaeger', replicas: 1, resources: profile.allInOne.resources }];
    }

    const ident0 = this.workloads[0].identity;
    addServiceAccount(this, ctx, ident0);
    const samplingJson = JSON.stringify(samplingStrategies(profile.sampling), null, 2);
    addSamplingConfigMap(this, ctx, ident0, samplingJson);

    for (const w of this.workloads) {
      addWorkload(this, { ctx, workload: w, elasticsearch: props.elasticsearch, samplingJson, configYaml: () => jaegerYaml(this.renderConfig(w.role)) });
    }
    addServices(this, ctx, this.workloads, { collector: this.collectorServiceName, query: this.queryServiceName });

    this.hasIndexCleaner = isDistributed(profile);
    if (isDistributed(profile)) addIndexCleaner(this, ctx, profile, props.elasticsearch!);
  }

  /** The Prometheus jobs that scrape every Jaeger process once (job `jaeger`, or `jaeger-collector` and `jaeger-query`). */
  public scrapeJobs(): ScrapeJob[] {
    const ns = this.props.ctx.namespace;
    return this.workloads.map((w) =>
      serviceJob({ name: w.name, namespace: ns, service: w.role === 'query' ? this.queryServiceName : this.collectorServiceName, port: 'metrics' }),
    );
  }

  /** Grafana's Jaeger datasource, with the links of the `datasource` prop. */
  public datasources(): GrafanaDatasource[] {
    return [this.grafanaDatasource(this.props.datasource)];
  }

  public flows(net: FlowContext): Flow[] {
    const es = this.props.elasticsearch;
    return jaegerFlows(
      {
        workloads: this.workloads,
        indexCleaner: this.hasIndexCleaner ? Jaeger.identity('collector') : undefined,
        elasticsearchPort: es ? Number(new URL(es.url).port) : undefined,
      },
      net,
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
    return { name: opts.name ?? 'Jaeger', uid: opts.uid ?? JAEGER_DATASOURCE_UID, type: 'jaeger', url: this.queryUrl, jsonData };
  }

  /** The configuration file of one role. */
  public renderConfig(role: JaegerRole): Record<string, unknown> {
    const w = this.workloads.find((x) => x.role === role);
    if (!w) throw new Error(`this Jaeger has no ${role} (it runs ${this.workloads.map((x) => x.role).join(', ')})`);
    return jaegerConfig({ role, name: w.name, storage: this.props.profile.storage, elasticsearch: this.props.elasticsearch });
  }

  /** The sampling strategies served to the SDKs. */
  public get samplingStrategies(): Record<string, unknown> {
    return samplingStrategies(this.props.profile.sampling);
  }
}
