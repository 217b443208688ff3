import { EnvironmentProfile } from '../lib/profile';
import { everyTeam } from '../lib/components/alertmanager/profile';
import { PRIVATE_RANGES } from '../lib/components/network-policies/profile';
import { TRADING_NAMESPACE } from '../metrics/system';
import { CRITICAL_PATH_SCRAPE_INTERVALS, PROBED_SERVICES, SYNTHETIC_ORDER } from './grekko-dependencies';

/**
 * Phase 2, staging: the full stack with persistence, every alert to one staging channel so that
 * thresholds can be validated against real traffic before production pages anyone.
 */
export const staging: EnvironmentProfile = {
  name: 'staging',
  phase: 2,
  description: 'Phase 2: staging, full stack, alerts validated in one channel',
  namespace: 'monitoring',
  scrapeInterval: '30s',
  evaluationInterval: '30s',
  externalLabels: { cluster: 'grekko-staging', environment: 'staging' },
  spread: 'preferred',
  prometheus: {
    scrapeIntervals: CRITICAL_PATH_SCRAPE_INTERVALS,
    replicas: 1,
    storage: { kind: 'pvc', sizeGi: 50 },
    retention: '7d',
    retentionSizeGi: 40,
    resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  },
  // Thanos as in production, smaller and with shorter retention, so that uploads, compaction,
  // downsampling and Query are rehearsed here. One Prometheus replica: nothing to deduplicate yet.
  thanos: {
    objectStorage: {
      provider: 's3',
      bucket: 'grekko-staging-metrics',
      region: 'eu-central-1',
      endpoint: 's3.eu-central-1.amazonaws.com',
      egress: { cidrs: ['0.0.0.0/0'], except: PRIVATE_RANGES, ports: [443] },
    },
    sidecar: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    query: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    // The index cache (250 MB) and chunk pool need room under load; the volume caches index headers.
    store: {
      replicas: 1,
      resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
      storage: { kind: 'pvc', sizeGi: 10 },
    },
    // A 14-day block at 30 s is 40,320 samples a series, about 52 KB: 5 GB for 100,000 series,
    // twice that while compacting, hence 20 GiB.
    compactor: {
      replicas: 1,
      resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
      storage: { kind: 'pvc', sizeGi: 20 },
      // Raw data at least 40h and 5-minute data at least 10d, or the compactor refuses to start.
      retention: { raw: '7d', fiveMinutes: '30d', oneHour: '90d' },
    },
    // A rough figure: about half of production's (fewer nodes and pods, one replica of most
    // workloads, the same services and exporters): 100k. Check prometheus_tsdb_head_series.
    activeSeries: 100_000,
  },
  alertmanager: {
    replicas: 1,
    storage: { kind: 'pvc', sizeGi: 1 },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  },
  grafana: {
    replicas: 1,
    storage: { kind: 'pvc', sizeGi: 5 },
    database: { kind: 'sqlite' },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  },
  nodeExporter: { resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '250m', memory: '64Mi' } } },
  kubeStateMetrics: { replicas: 1, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } } },
  // CI pushes test, coverage and pipeline results here (metrics/ci.ts).
  pushgateway: { resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } },
  logging: {
    // Three master-and-data nodes, as in production but smaller, so that failover is rehearsed here.
    elasticsearch: {
      nodes: 3,
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      storage: { kind: 'pvc', sizeGi: 50 },
      retentionDays: 7,
      httpTls: true,
      maxMapCount: 'init-container',
    },
    kibana: { replicas: 1, resources: { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1', memory: '1536Mi' } } },
    fluentd: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      buffer: { totalLimitGi: 8 },
    },
    elasticsearchExporter: { resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } } },
  },
  alerting: {
    receivers: [
      { kind: 'slack', name: 'staging-channel', channel: '#grekko-staging-alerts', secretKey: 'slack-staging-webhook-url' },
      // Staging has no dead-man's-switch service; the Watchdog stays visible in the UI only.
      { kind: 'null', name: 'staging-null' },
    ],
    // Phase 2 validates the thresholds: every team's alerts, of every severity, in one channel.
    teams: everyTeam({ critical: ['staging-channel'], warning: ['staging-channel'], info: ['staging-channel'] }),
    watchdog: 'staging-null',
  },
  // Collector and query on Elasticsearch; staging traffic is small, so every trace is kept.
  jaeger: {
    // One copy of each shard: staging's Elasticsearch may be a single node.
    storage: { kind: 'elasticsearch', indexPrefix: 'grekko', shards: 1, replicas: 0, retentionDays: 3 },
    sampling: { defaultProbability: 1 },
    collector: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
    query: { replicas: 1, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    indexCleaner: { resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
  },
  // The cluster's node subnet holds the nodes and the API server endpoints; people reach the UIs
  // through the ingress controller; notifications go to Slack over HTTPS.
  network: {
    monitoredNamespaces: [TRADING_NAMESPACE],
    uiClients: [{ namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }],
    apiServer: { cidrs: ['10.10.0.0/16'] },
    nodeCidrs: ['10.10.0.0/16'],
  },
  dependencies: {
    postgres: [
      {
        name: 'trading-db',
        host: `postgres.${TRADING_NAMESPACE}.svc:5432`,
        database: 'grekko',
        user: 'grekko_monitor',
        secretName: 'postgres-exporter',
        statStatements: true,
        sslMode: 'require',
      },
    ],
    redis: [{ name: 'cache', address: `redis.${TRADING_NAMESPACE}.svc:6379`, secretName: 'redis-exporter' }],
    kafka: [{ name: 'events', brokers: [`kafka-0.kafka-headless.${TRADING_NAMESPACE}.svc:9092`] }],
    influxdb: [{ name: 'timeseries', namespace: TRADING_NAMESPACE, service: 'influxdb', port: 'http' }],
    services: PROBED_SERVICES,
    synthetic: [SYNTHETIC_ORDER],
  },
};
