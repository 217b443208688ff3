import { EnvironmentProfile } from '../lib/profile';
import { everyTeam } from '../lib/components/alertmanager/profile';
import { TRADING_NAMESPACE } from '../metrics/system';
import { CRITICAL_PATH_SCRAPE_INTERVALS, PROBED_SERVICES, SYNTHETIC_ORDER } from './grekko-dependencies';

/**
 * Phase 1, local development monitoring: one of everything, nothing persisted, small enough for a
 * laptop cluster (kind, k3d, minikube). Alerts stay visible in the Alertmanager UI and go nowhere.
 */
export const local: EnvironmentProfile = {
  name: 'local',
  phase: 1,
  description: 'Phase 1: local development monitoring on a laptop cluster',
  namespace: 'monitoring',
  scrapeInterval: '30s',
  evaluationInterval: '30s',
  externalLabels: { cluster: 'grekko-local', environment: 'local' },
  spread: 'preferred',
  prometheus: {
    scrapeIntervals: CRITICAL_PATH_SCRAPE_INTERVALS,
    replicas: 1,
    storage: { kind: 'emptyDir', sizeLimitGi: 4 },
    retention: '2d',
    retentionSizeGi: 3,
    resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  },
  alertmanager: {
    replicas: 1,
    storage: { kind: 'emptyDir', sizeLimitGi: 1 },
    resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  },
  grafana: {
    replicas: 1,
    storage: { kind: 'emptyDir', sizeLimitGi: 1 },
    database: { kind: 'sqlite' },
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  },
  nodeExporter: { resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } } },
  kubeStateMetrics: { replicas: 1, resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
  logging: {
    // One small node, no kernel setting to change on a laptop (mmap off), plain HTTP in the cluster.
    elasticsearch: {
      nodes: 1,
      resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      storage: { kind: 'emptyDir', sizeLimitGi: 5 },
      retentionDays: 3,
      httpTls: false,
      maxMapCount: 'disable-mmap',
    },
    kibana: { replicas: 1, resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    fluentd: {
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      buffer: { totalLimitGi: 1 },
    },
    elasticsearchExporter: { resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } },
  },
  alerting: {
    receivers: [{ kind: 'null', name: 'local-null' }],
    teams: everyTeam({ critical: ['local-null'], warning: ['local-null'], info: ['local-null'] }),
    watchdog: 'local-null',
    groupWait: '10s',
    groupInterval: '1m',
  },
  // One Jaeger process keeps traces in memory and samples every trace.
  jaeger: {
    storage: { kind: 'memory', maxTraces: 20000 },
    sampling: { defaultProbability: 1 },
    allInOne: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  },
  // A kind cluster on the default Docker network: the nodes (and the API server, on the control
  // plane node) are in 172.18.0.0/16. UIs are reached with kubectl port-forward.
  network: {
    monitoredNamespaces: [TRADING_NAMESPACE],
    apiServer: { cidrs: ['172.18.0.0/16'] },
    nodeCidrs: ['172.18.0.0/16'],
  },
  dependencies: {
    postgres: [
      {
        name: 'trading-db',
        host: `postgres.${TRADING_NAMESPACE}.svc:5432`,
        database: 'grekko',
        user: 'grekko_monitor',
        secretName: 'postgres-exporter',
        sslMode: 'disable',
      },
    ],
    redis: [{ name: 'cache', address: `redis.${TRADING_NAMESPACE}.svc:6379` }],
    kafka: [{ name: 'events', brokers: [`kafka.${TRADING_NAMESPACE}.svc:9092`] }],
    influxdb: [{ name: 'timeseries', namespace: TRADING_NAMESPACE, service: 'influxdb', port: 'http' }],
    services: PROBED_SERVICES,
    synthetic: [SYNTHETIC_ORDER],
  },
};
