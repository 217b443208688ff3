/**
 * The MonitoringStack chart: one environment profile in, every object of that environment out.
 * It creates the components and wires them through three small interfaces only: each component
 * offers its scrape jobs (`ScrapeSource`), its Grafana datasources (`DatasourceSource`) and its
 * network flows (`FlowSource`), and the stack hands them to Prometheus, Grafana and the
 * NetworkPolicies. Content (rule files, dashboards, inhibitions, trace-to-metrics queries) comes in
 * as data and never reaches into a component.
 */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Alertmanager } from './components/alertmanager/alertmanager';
import { InhibitRule, RuleFile } from './rules/types';
import { IElasticsearchEndpoint } from './components/elasticsearch/endpoint';
import { DependencyMonitoring } from './components/exporters/dependencies';
import { DatasourceSource } from './components/grafana/datasource';
import { Grafana } from './components/grafana/grafana';
import { GrafanaDashboard, TraceMetricsQuery } from './dashboards/provisioning';
import { JAEGER_DATASOURCE_UID, Jaeger } from './components/jaeger/jaeger';
import { LOG_FIELDS, LOG_STREAM } from './components/logging/log-fields';
import { LoggingPipeline } from './components/logging/pipeline';
import { KubeStateMetrics } from './components/kube-state-metrics/kube-state-metrics';
import { FlowContext, FlowSource, group, outside, tcp } from './components/network-policies/flows';
import { NetworkPolicies } from './components/network-policies/policies';
import { NodeExporter } from './components/node-exporter/node-exporter';
import { ClusterTargets } from './components/prometheus/cluster';
import { PROMETHEUS_DATASOURCE_UID, Prometheus } from './components/prometheus/prometheus';
import { ScrapeSource } from './components/prometheus/scrape';
import { Pushgateway } from './components/pushgateway/pushgateway';
import { Thanos } from './components/thanos/thanos';
import { checkSamplingServices } from './components/jaeger/profile';
import { ConfigError } from './core/errors';
import { publishEndpoint } from './core/endpoints';
import { MANAGED_BY, StackContext } from './core/k8s';
import { podSecurityExceptions, podSecurityLabels, requiredNamespaceLevel } from './core/pod-security';
import { ExpectedSecret, expectedSecrets } from './core/secrets';
import { EnvironmentProfile, validateProfile } from './profile';

export interface MonitoringStackProps {
  readonly profile: EnvironmentProfile;
  /** `app.kubernetes.io/part-of` of every object. @default 'monitoring' */
  readonly partOf?: string;
  /** Rule files to load into Prometheus. @default - none */
  readonly ruleFiles?: readonly RuleFile[];
  /** Dashboards to provision into Grafana. @default - none */
  readonly dashboards?: readonly GrafanaDashboard[];
  /** Inhibitions beside Alertmanager's defaults, such as a maintenance window's. @default - none */
  readonly inhibitRules?: readonly InhibitRule[];
  /** The metrics Grafana offers beside a trace (trace to metrics). @default - no metrics links */
  readonly traceMetricsQueries?: readonly TraceMetricsQuery[];
  /**
   * The `service.name` of every service of the monitored system that sends traces: trace-sampling
   * overrides must name one of them. @default - any name is accepted
   */
  readonly tracedServices?: readonly string[];
}

/** The Grafana datasource uids and the log field that link traces to logs and metrics. */
const TRACE_LINKS = {
  logsDatasourceUid: LOG_STREAM.dataViewId,
  traceIdField: LOG_FIELDS.traceId,
  metricsDatasourceUid: PROMETHEUS_DATASOURCE_UID,
  tracesDatasourceUid: JAEGER_DATASOURCE_UID,
} as const;

/** What a component may offer the stack. */
type Member = Partial<ScrapeSource & DatasourceSource & FlowSource>;

export class MonitoringStack extends Chart {
  public readonly profile: EnvironmentProfile;
  public readonly context: StackContext;
  public readonly prometheus: Prometheus;
  public readonly alertmanager: Alertmanager;
  public readonly grafana: Grafana;
  public readonly nodeExporter: NodeExporter;
  public readonly kubeStateMetrics: KubeStateMetrics;
  public readonly logging: LoggingPipeline;
  /** The log store, also where Jaeger keeps spans in staging and production. */
  public readonly elasticsearch: IElasticsearchEndpoint;
  public readonly jaeger: Jaeger;
  /** Exporters and probes of the monitored system's dependencies. @default - none without `dependencies` */
  public readonly dependencies?: DependencyMonitoring;
  /** Where CI pushes its results. @default - none without `pushgateway` in the profile */
  public readonly pushgateway?: Pushgateway;
  /** Long-term metrics and the deduplicated query view. @default - none without `thanos` in the profile */
  public readonly thanos?: Thanos;
  /** Default deny in the namespace, then the flows the stack needs. */
  public readonly networkPolicies: NetworkPolicies;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const p = props.profile;
    validateProfile(p);
    const where = `profile "${p.name}"`;
    if (props.tracedServices) {
      checkSamplingServices(p.jaeger, props.tracedServices, (field, value, fix) => {
        throw new ConfigError(where, field, value, fix);
      });
    }
    this.profile = p;
    const ctx: StackContext = {
      namespace: p.namespace,
      instance: p.name,
      partOf: props.partOf ?? 'monitoring',
      imageRegistry: p.imageRegistry,
      spread: p.spread,
    };
    this.context = ctx;

    const namespace = new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: p.namespace,
        labels: {
          'app.kubernetes.io/part-of': ctx.partOf,
          'app.kubernetes.io/instance': ctx.instance,
          'app.kubernetes.io/managed-by': MANAGED_BY,
        },
      },
    });

    this.alertmanager = new Alertmanager(this, 'alertmanager', { ctx, profile: p.alertmanager, routing: p.alerting, inhibitRules: props.inhibitRules });
    this.prometheus = new Prometheus(this, 'prometheus', {
      ctx,
      profile: p.prometheus,
      scrapeInterval: p.scrapeInterval,
      evaluationInterval: p.evaluationInterval,
      externalLabels: p.externalLabels,
      alertmanager: this.alertmanager,
      traceDatasourceUid: TRACE_LINKS.tracesDatasourceUid,
      ...(p.thanos ? { sidecar: Thanos.sidecar(ctx, p.thanos) } : {}),
    });
    if (p.thanos) this.thanos = new Thanos(this, 'thanos', { ctx, profile: p.thanos, prometheus: this.prometheus });
    this.grafana = new Grafana(this, 'grafana', { ctx, profile: p.grafana });
    this.nodeExporter = new NodeExporter(this, 'node-exporter', { ctx, profile: p.nodeExporter });
    this.kubeStateMetrics = new KubeStateMetrics(this, 'kube-state-metrics', { ctx, profile: p.kubeStateMetrics });
    this.logging = new LoggingPipeline(this, 'logging', { ctx, profile: p.logging });
    this.elasticsearch = this.logging.elasticsearch;
    const traceMetrics = props.traceMetricsQueries;
    this.jaeger = new Jaeger(this, 'jaeger', {
      ctx,
      profile: p.jaeger,
      elasticsearch: this.elasticsearch,
      where,
      datasource: {
        logs: { datasourceUid: TRACE_LINKS.logsDatasourceUid, traceIdField: TRACE_LINKS.traceIdField },
        ...(traceMetrics ? { metrics: { datasourceUid: TRACE_LINKS.metricsDatasourceUid, queries: traceMetrics } } : {}),
      },
    });
    if (p.pushgateway) this.pushgateway = new Pushgateway(this, 'pushgateway', { ctx, profile: p.pushgateway });
    if (p.dependencies) this.dependencies = new DependencyMonitoring(this, 'dependencies', { ctx, profile: p.dependencies });
    publishEndpoint(this, { name: 'kibana', url: this.logging.kibana.url, description: 'Kibana: log search (sign in with an Elasticsearch user)' });
    publishEndpoint(this, { name: 'jaeger', url: this.jaeger.queryUrl, description: 'Jaeger: trace search UI and API' });
    publishEndpoint(this, {
      name: 'otlp-grpc',
      url: `http://${this.jaeger.otlpGrpcEndpoint}`,
      description: 'OTLP over gRPC (4317): where the trading services send traces',
    });
    publishEndpoint(this, {
      name: 'otlp-http',
      url: this.jaeger.otlpHttpEndpoint,
      description: 'OTLP over HTTP (4318): where the trading services send traces',
    });

    // The order here is the order of the scrape jobs in prometheus.yml and of the datasources.
    const members: Member[] = [
      this.logging,
      this.prometheus,
      ...(this.thanos ? [this.thanos] : []),
      this.alertmanager,
      this.grafana,
      this.nodeExporter,
      this.kubeStateMetrics,
      new ClusterTargets(p.network),
      this.jaeger,
      ...(this.pushgateway ? [this.pushgateway] : []),
      ...(this.dependencies ? [this.dependencies] : []),
    ];

    for (const m of members) for (const job of m.scrapeJobs?.() ?? []) this.prometheus.addScrapeJob(job);
    for (const f of props.ruleFiles ?? []) this.prometheus.addRuleFile(f);
    // Grafana lists its datasources in this order, Prometheus (the default) first. With Thanos,
    // that datasource (same uid) reads through Thanos Query; rules and alerts stay on Prometheus.
    const metrics = this.thanos ?? this.prometheus;
    for (const m of [metrics, this.alertmanager, this.logging, this.jaeger]) for (const ds of m.datasources?.() ?? []) this.grafana.addDatasource(ds);
    for (const d of props.dashboards ?? []) this.grafana.addDashboard(d);

    this.networkPolicies = new NetworkPolicies(this, 'network-policies', { ctx, profile: p.network });
    const net: FlowContext = {
      ctx,
      network: p.network,
      where,
      scraper: group(ctx, Prometheus.identity),
      dashboards: group(ctx, Grafana.identity),
      apiServer: outside(
        'the Kubernetes API server',
        p.network.apiServer.cidrs.map((cidr) => ({ cidr })),
      ),
      apiPorts: tcp(...(p.network.apiServer.ports ?? [443, 6443])),
    };
    for (const m of members) for (const f of m.flows?.(net) ?? []) this.networkPolicies.allow(f);
    // Enforces what the node agents need, warns and audits at "restricted" (lib/core/pod-security.ts).
    for (const [k, v] of Object.entries(podSecurityLabels(requiredNamespaceLevel(podSecurityExceptions(this))))) namespace.metadata.addLabel(k, v);
  }

  /** The Secrets this environment references and expects to exist (never created by the manifests). */
  public get expectedSecrets(): ExpectedSecret[] {
    return expectedSecrets(this);
  }
}
