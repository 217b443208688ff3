/**
 * What Grekko's dashboards share: folders, uids (for links and alerts), the RED series of the services.
 * The ids they share with the rest of the content (tag, namespace, services, datasources) are in
 * metrics/system.ts.
 */
import { RedSeries } from '../lib/dashboards';
import { ERROR_RATE_STEPS, LATENCY_P95_STEPS } from '../alerts/thresholds';

export const FOLDERS = {
  /** The strategy's four dashboards. */
  grekko: 'Grekko',
  /** One dashboard per component the trading system depends on. */
  platform: 'Platform',
} as const;

/** Uids are stable: alerts link to them (`dashboard_url`), and so do other dashboards. */
export const UIDS = {
  executive: 'grekko-executive',
  operations: 'grekko-operations',
  development: 'grekko-development',
  trading: 'grekko-trading',
  kubernetes: 'platform-kubernetes',
  postgresql: 'platform-postgresql',
  redis: 'platform-redis',
  influxdb: 'platform-influxdb',
  kafka: 'platform-kafka',
  logging: 'platform-logging',
  jaeger: 'platform-jaeger',
  prometheus: 'platform-prometheus',
  alertmanager: 'platform-alertmanager',
  thanos: 'thanos',
} as const;

/** RED series of the services selected by the namespace and service variables, recorded in alerts/services.ts. */
export const SERVICE_RED: RedSeries = {
  requests: 'service:http_requests:rate5m',
  errorRatio: 'service:http_request_errors:ratio_rate5m',
  durationBuckets: 'service_le:http_request_duration_seconds_bucket:rate5m',
  selector: 'namespace=~"$namespace", job=~"$service"',
  // The warnings' thresholds (alerts/thresholds.ts): HighErrorRate and HighLatencyP95.
  errorThresholds: ERROR_RATE_STEPS,
  latencyThresholds: LATENCY_P95_STEPS,
};
