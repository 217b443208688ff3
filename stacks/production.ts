import { EnvironmentProfile } from '../lib/profile';
import { PRIVATE_RANGES } from '../lib/components/network-policies/profile';
import { TRADING_NAMESPACE, TRADING_SERVICES } from '../metrics/system';
import { CRITICAL_PATH_SCRAPE_INTERVALS, PROBED_SERVICES, SYNTHETIC_ORDER } from './grekko-dependencies';

/**
 * Phase 3, production: an HA Prometheus pair, a three-peer Alertmanager mesh, two Grafana
 * replicas on an external PostgreSQL, every replicated workload spread over distinct nodes.
 * Critical alerts page on-call 24/7 through Opsgenie, warnings go to the owning team's chat
 * channel, infos to a quiet channel, and the Watchdog pings an Opsgenie heartbeat that pages when it stops.
 */
/**
 * The host names the ingress controller serves the UIs under. Notifications link there (an
 * alert's source in Prometheus, its silence in Alertmanager, its dashboard in Grafana), so that
 * on-call can follow them from outside the cluster; set them to the ingress of your cluster.
 */
const UI_DOMAIN = 'monitoring.grekko.io';

export const production: EnvironmentProfile = {
  name: 'production',
  phase: 3,
  description: 'Phase 3: production, highly available, 24/7 paging',
  namespace: 'monitoring',
  scrapeInterval: '15s',
  evaluationInterval: '15s',
  externalLabels: { cluster: 'grekko-production', environment: 'production' },
  spread: 'required',
  prometheus: {
    scrapeIntervals: CRITICAL_PATH_SCRAPE_INTERVALS,
    replicas: 2,
    externalUrl: `https://prometheus.${UI_DOMAIN}`,
    storage: { kind: 'pvc', sizeGi: 200 },
    retention: '30d',
    retentionSizeGi: 180,
    resources: { requests: { cpu: '1', memory: '6Gi' }, limits: { cpu: '4', memory: '12Gi' } },
  },
  // Thanos: each replica's sidecar uploads its 2-hour blocks to S3, Query merges the pair
  // (deduplicated on `replica`) with the bucket, so Grafana sees one history of three years.
  thanos: {
    objectStorage: {
      provider: 's3',
      bucket: 'grekko-production-metrics',
      region: 'eu-central-1',
      endpoint: 's3.eu-central-1.amazonaws.com',
      // S3's addresses are public and change: any public address on 443, no private range.
      egress: { cidrs: ['0.0.0.0/0'], except: PRIVATE_RANGES, ports: [443] },
    },
    // Mostly idle: a gRPC proxy to the local TSDB and one upload every two hours.
    sidecar: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
    // Two, spread over nodes, under a disruption budget: Grafana's only way to the metrics.
    // Memory follows the largest query result it merges, so the limit leaves room for long ranges.
    query: { replicas: 2, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
    // In memory: a 250 MB index cache and a chunk pool of up to 2 GB under load (Thanos's defaults),
    // hence the 4 GiB limit. The volume caches index headers only (tens of MB per block).
    store: {
      replicas: 2,
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      storage: { kind: 'pvc', sizeGi: 20 },
    },
    // The largest job is a 14-day block of one replica: at 15 s, 14 d is 80,640 samples a series,
    // about 105 KB at 1.3 bytes a sample, so 21 GB for 200,000 series; sources and result both sit
    // on the volume while it works, hence 100 GiB.
    compactor: {
      replicas: 1,
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      storage: { kind: 'pvc', sizeGi: 100 },
      retention: { raw: '30d', fiveMinutes: '365d', oneHour: '1095d' },
    },
    // A rough figure per replica: node-exporter about 1,000 series on each of some 20 nodes (20k),
    // kubelet and cAdvisor about 150 per pod over some 300 pods (45k), kube-state-metrics about
    // 30k, the eight core trading services about 3,000 each with their latency histograms (24k),
    // the dependency exporters, Elasticsearch, Jaeger and the stack itself some 50k: about
    // 170k, rounded up to 200k. Check it against prometheus_tsdb_head_series once deployed.
    activeSeries: 200_000,
  },
  alertmanager: {
    replicas: 3,
    externalUrl: `https://alertmanager.${UI_DOMAIN}`,
    storage: { kind: 'pvc', sizeGi: 2 },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  },
  grafana: {
    replicas: 2,
    externalUrl: `https://grafana.${UI_DOMAIN}`,
    storage: { kind: 'emptyDir', sizeLimitGi: 2 },
    database: {
      kind: 'postgres',
      host: 'grafana-db.monitoring-db.svc:5432',
      database: 'grafana',
      user: 'grafana',
      secretName: 'grafana-database',
      sslMode: 'require',
    },
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
  },
  nodeExporter: { resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } },
  kubeStateMetrics: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  // CI pushes test, coverage and pipeline results here (metrics/ci.ts).
  pushgateway: { resources: { requests: { cpu: '20m', memory: '48Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
  logging: {
    // Three master-and-data nodes on distinct nodes, TLS on both layers, 30 days of logs. Memory
    // request = limit (no eviction under pressure); the heap is half of it, the rest file cache.
    elasticsearch: {
      nodes: 3,
      resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      heapMi: 4096,
      storage: { kind: 'pvc', sizeGi: 500 },
      retentionDays: 30,
      httpTls: true,
      maxMapCount: 'init-container',
    },
    kibana: { replicas: 2, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } },
    fluentd: {
      resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      // 32 GiB on each node's disk: about 9.5 hours of logs at 1 MB/s while Elasticsearch is away.
      buffer: { totalLimitGi: 32, flushThreads: 4 },
    },
    elasticsearchExporter: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } } },
  },
  // Each team's alerts reach its own channel; critical ones page on-call too, whoever owns them.
  // Infos, the strategy's noteworthy events, go to one quiet channel for everybody.
  alerting: {
    receivers: [
      { kind: 'opsgenie', name: 'oncall-pager', secretKey: 'opsgenie-api-key', priority: 'P1' },
      { kind: 'slack', name: 'devops-chat', channel: '#grekko-devops-alerts', secretKey: 'slack-devops-webhook-url' },
      { kind: 'slack', name: 'trading-alerts-chat', channel: '#grekko-alerts', secretKey: 'slack-alerts-webhook-url' },
      { kind: 'slack', name: 'risk-chat', channel: '#grekko-risk-alerts', secretKey: 'slack-risk-webhook-url' },
      { kind: 'slack', name: 'trading-info-chat', channel: '#grekko-alerts-info', secretKey: 'slack-info-webhook-url', sendResolved: false },
      {
        kind: 'webhook',
        name: 'deadmans-switch',
        url: 'https://api.opsgenie.com/v2/heartbeats/grekko-production-watchdog/ping',
        sendResolved: false,
        authorization: { type: 'GenieKey', secretKey: 'opsgenie-api-key' },
      },
    ],
    teams: {
      devops: { critical: ['oncall-pager', 'devops-chat'], warning: ['devops-chat'], info: ['trading-info-chat'] },
      trading: { critical: ['oncall-pager', 'trading-alerts-chat'], warning: ['trading-alerts-chat'], info: ['trading-info-chat'] },
      risk: { critical: ['oncall-pager', 'risk-chat'], warning: ['risk-chat'], info: ['trading-info-chat'] },
    },
    watchdog: 'deadmans-switch',
    // Sunday night, when the markets are quietest, DevOps patches the agent coordinator and the
    // authentication service; their warnings while it lasts are expected. Critical alerts still page.
    maintenance: [
      {
        name: 'sunday-patching',
        services: [TRADING_SERVICES.agents, TRADING_SERVICES.auth],
        weekdays: ['sunday'],
        times: [{ start: '02:00', end: '04:00' }],
        location: 'UTC',
      },
    ],
    groupWait: '30s',
    // A page waits 5 s for the alerts firing with it: the down alerts already hold three scrapes.
    criticalGroupWait: '5s',
    groupInterval: '5m',
    criticalRepeatInterval: '1h',
    repeatInterval: '12h',
  },
  // Two collectors and two query instances on Elasticsearch. One trace in ten is kept, except
  // for order execution and risk decisions, which are always kept, and the chatty market-data
  // feed, of which one in a hundred is enough.
  jaeger: {
    storage: { kind: 'elasticsearch', indexPrefix: 'grekko', shards: 2, replicas: 1, retentionDays: 7 },
    sampling: {
      defaultProbability: 0.1,
      services: [
        { service: TRADING_SERVICES.orders, probability: 1 },
        { service: TRADING_SERVICES.risk, probability: 1 },
        { service: TRADING_SERVICES.marketData, probability: 0.01 },
      ],
    },
    collector: { replicas: 2, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } },
    query: { replicas: 2, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    indexCleaner: { resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
  },
  // The control plane's endpoints and the node subnet of the production cluster; the UIs only
  // through the ingress controller; notifications to Opsgenie and Slack over HTTPS, nowhere private.
  network: {
    monitoredNamespaces: [TRADING_NAMESPACE],
    uiClients: [{ namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }],
    apiServer: { cidrs: ['10.0.0.0/24'], ports: [443, 6443] },
    nodeCidrs: ['10.0.16.0/20'],
    receiverEgress: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'], ports: [443] },
  },
  dependencies: {
    postgres: [
      {
        name: 'trading-db',
        host: `postgres-primary.${TRADING_NAMESPACE}.svc:5432`,
        database: 'grekko',
        user: 'grekko_monitor',
        secretName: 'postgres-exporter',
        statStatements: true,
        sslMode: 'verify-full',
        caSecretName: 'trading-db-ca',
      },
    ],
    redis: [{ name: 'cache', address: `redis.${TRADING_NAMESPACE}.svc:6379`, tls: true, caSecretName: 'cache-ca', secretName: 'redis-exporter' }],
    kafka: [
      {
        name: 'events',
        brokers: [0, 1, 2].map((i) => `kafka-${i}.kafka-headless.${TRADING_NAMESPACE}.svc:9093`),
        tls: { caSecretName: 'kafka-exporter-ca' },
        sasl: { mechanism: 'scram-sha512', user: 'monitoring', secretName: 'kafka-exporter' },
      },
    ],
    influxdb: [{ name: 'timeseries', namespace: TRADING_NAMESPACE, service: 'influxdb', port: 'http' }],
    services: PROBED_SERVICES,
    synthetic: [SYNTHETIC_ORDER],
    exporterResources: { requests: { cpu: '20m', memory: '48Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
  },
};
