/**
 * The MonitoringStack chart: one environment profile in, every object of that environment out.
 * Components are wired to each other through their objects (Prometheus alerts every Alertmanager
 * peer, Grafana reads Prometheus and Alertmanager); content (rule files, dashboards) comes in as
 * data and never reaches into a component.
 */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Alertmanager } from './components/alertmanager/alertmanager';
import { IElasticsearchEndpoint } from './components/elasticsearch/endpoint';
import { DependencyMonitoring } from './components/exporters/dependencies';
import { Grafana, GrafanaDashboard } from './components/grafana/grafana';
import { Jaeger } from './components/jaeger/jaeger';
import { LOG_FIELDS, LOG_STREAM } from './components/logging/log-fields';
import { KubeStateMetrics } from './components/kube-state-metrics/kube-state-metrics';
import { NodeExporter } from './components/node-exporter/node-exporter';
import { Prometheus, RuleFile } from './components/prometheus/prometheus';
import { Pushgateway } from './components/pushgateway/pushgateway';
import { annotatedPodsJob, annotatedServicesJob, apiServerJob, cadvisorJob, kubeletJob, serviceJob } from './components/prometheus/scrape';
import { MANAGED_BY, StackContext } from './core/k8s';
import { LoggingPipeline } from './components/logging/pipeline';
import { NetworkPolicies, declareStackFlows } from './components/network-policies/policies';
import { annotatedScrapeNamespaces } from './components/network-policies/profile';
import { podSecurityExceptions, podSecurityLabels, requiredNamespaceLevel } from './core/pod-security';
import { EnvironmentProfile, validateProfile } from './profile';
import { checkSamplingServices } from './components/jaeger/profile';
import { ConfigError } from './core/errors';
import { ExpectedSecret, expectedSecrets } from './core/secrets';
import { publishEndpoint } from './core/endpoints';

export interface MonitoringStackProps {
  readonly profile: EnvironmentProfile;
  /** `app.kubernetes.io/part-of` of every object. @default 'monitoring' */
  readonly partOf?: string;
  /** Rule files to load into Prometheus. @default - none */
  readonly ruleFiles?: readonly RuleFile[];
  /** Dashboards to provision into Grafana. @default - none */
  readonly dashboards?: readonly GrafanaDashboard[];
  /**
   * The `service.name` of every service of the monitored system that sends traces: trace-sampling
   * overrides must name one of them. @default - any name is accepted
   */
  readonly tracedServices?: readonly string[];
}

/** The Grafana datasource uids and the log field that link traces to logs and metrics. */
export const TRACE_LINKS = {
  logsDatasourceUid: LOG_STREAM.dataViewId,
  traceIdField: LOG_FIELDS.traceId,
  metricsDatasourceUid: 'prometheus',
  tracesDatasourceUid: 'jaeger',
} as const;

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
  /** Default deny in the namespace, then the flows the stack needs. */
  public readonly networkPolicies: NetworkPolicies;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const p = props.profile;
    validateProfile(p);
    if (props.tracedServices) {
      checkSamplingServices(p.jaeger, props.tracedServices, (field, value, fix) => {
        throw new ConfigError(`profile "${p.name}"`, field, value, fix);
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

    this.alertmanager = new Alertmanager(this, 'alertmanager', { ctx, profile: p.alertmanager, routing: p.alerting });
    this.prometheus = new Prometheus(this, 'prometheus', {
      ctx,
      profile: p.prometheus,
      scrapeInterval: p.scrapeInterval,
      evaluationInterval: p.evaluationInterval,
      externalLabels: p.externalLabels,
      alertmanager: this.alertmanager,
    });
    this.grafana = new Grafana(this, 'grafana', { ctx, profile: p.grafana });
    this.nodeExporter = new NodeExporter(this, 'node-exporter', { ctx, profile: p.nodeExporter });
    this.kubeStateMetrics = new KubeStateMetrics(this, 'kube-state-metrics', { ctx, profile: p.kubeStateMetrics });
    const prom = this.prometheus;
    this.grafana.addDatasource({
      name: 'Prometheus',
      uid: 'prometheus',
      type: 'prometheus',
      url: prom.url,
      isDefault: true,
      // Exemplars carrying a trace id link a latency point straight to its trace in Jaeger.
      jsonData: {
        timeInterval: p.scrapeInterval,
        httpMethod: 'POST',
        exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: TRACE_LINKS.tracesDatasourceUid }],
      },
    });
    this.grafana.addDatasource({
      name: 'Alertmanager',
      uid: 'alertmanager',
      type: 'alertmanager',
      url: this.alertmanager.url,
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    });

    this.logging = new LoggingPipeline(this, 'logging', { ctx, profile: p.logging, prometheus: prom, grafana: this.grafana });
    this.elasticsearch = this.logging.elasticsearch;
    this.jaeger = new Jaeger(this, 'jaeger', { ctx, profile: p.jaeger, elasticsearch: this.elasticsearch, where: `profile "${p.name}"` });
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

    prom.addScrapeJob(prom.scrapeJob());
    prom.addScrapeJob(serviceJob({ name: 'alertmanager', namespace: ctx.namespace, service: this.alertmanager.serviceName, port: 'http' }));
    prom.addScrapeJob(serviceJob({ name: 'grafana', namespace: ctx.namespace, service: this.grafana.serviceName, port: 'http' }));
    prom.addScrapeJob(serviceJob({ name: 'node-exporter', namespace: ctx.namespace, service: this.nodeExporter.serviceName, port: 'metrics' }));
    prom.addScrapeJob({
      ...serviceJob({ name: 'kube-state-metrics', namespace: ctx.namespace, service: this.kubeStateMetrics.serviceName, port: 'metrics' }),
      // Its series describe other objects: keep their namespace and pod labels.
      honorLabels: true,
    });
    prom.addScrapeJob(apiServerJob());
    prom.addScrapeJob(kubeletJob());
    prom.addScrapeJob(cadvisorJob());
    // The monitored namespaces only: the ones the NetworkPolicy lets Prometheus reach on any port.
    const annotated = annotatedScrapeNamespaces(p.network);
    if (annotated.length) {
      prom.addScrapeJob(annotatedServicesJob(annotated));
      prom.addScrapeJob(annotatedPodsJob(annotated));
    }
    for (const job of this.jaeger.scrapeJobs()) prom.addScrapeJob(job);
    if (p.pushgateway) {
      this.pushgateway = new Pushgateway(this, 'pushgateway', { ctx, profile: p.pushgateway });
      prom.addScrapeJob(this.pushgateway.scrapeJob());
    }
    if (p.dependencies) this.dependencies = new DependencyMonitoring(this, 'dependencies', { ctx, profile: p.dependencies, prometheus: prom });

    for (const f of props.ruleFiles ?? []) prom.addRuleFile(f);

    this.grafana.addDatasource(
      this.jaeger.grafanaDatasource({
        logs: { datasourceUid: TRACE_LINKS.logsDatasourceUid, traceIdField: TRACE_LINKS.traceIdField },
        metrics: {
          datasourceUid: TRACE_LINKS.metricsDatasourceUid,
          queries: [
            { name: 'Request rate', query: 'sum by (job) (rate(http_requests_total{$__tags}[5m]))' },
            { name: 'P95 latency', query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$__tags}[5m])))' },
          ],
        },
      }),
    );
    for (const d of props.dashboards ?? []) this.grafana.addDashboard(d);

    this.networkPolicies = new NetworkPolicies(this, 'network-policies', { ctx, profile: p.network });
    declareStackFlows(this.networkPolicies, this, p.network);
    // Enforces what the node agents need, warns and audits at "restricted" (lib/core/pod-security.ts).
    for (const [k, v] of Object.entries(podSecurityLabels(requiredNamespaceLevel(podSecurityExceptions(this))))) namespace.metadata.addLabel(k, v);
  }

  /** The Secrets this environment references and expects to exist (never created by the manifests). */
  public get expectedSecrets(): ExpectedSecret[] {
    return expectedSecrets(this);
  }
}
