/**
 * Grekko's dashboards: the strategy's four (Executive, Operations, Development, Trading) and one
 * per component. `grekkoDashboards()` checks them against the metrics catalog (metrics/) and the
 * series recorded by the rule groups Prometheus loads (alerts/), and returns them ready to
 * provision; synth calls it, so a bad query stops synth.
 */
import { DashboardDefinition, GrafanaDashboard, TraceMetricsQuery, provisionDashboards } from '../lib/dashboards';
import type { MetricsCatalog } from '../lib/metrics/types';
import { RuleGroup, isAlert } from '../lib/rules/types';
import { ALERT_GROUPS } from '../alerts';
import { METRICS } from '../metrics';
import { alertmanager } from './alertmanager';
import { development } from './development';
import { executive } from './executive';
import { influxdb } from './influxdb';
import { jaeger } from './jaeger';
import { kafka } from './kafka';
import { kubernetes } from './kubernetes';
import { logging } from './logging';
import { operations } from './operations';
import { postgresql } from './postgresql';
import { prometheus } from './prometheus';
import { redis } from './redis';
import { thanos } from './thanos';
import { trading } from './trading';

export { UIDS as DASHBOARD_UIDS } from './common';

export const DASHBOARDS: readonly DashboardDefinition[] = [
  executive,
  operations,
  development,
  trading,
  kubernetes,
  postgresql,
  redis,
  influxdb,
  kafka,
  logging,
  jaeger,
  prometheus,
  alertmanager,
  thanos,
];

/**
 * The metrics Grafana offers for a span's service when a trace is opened (the Jaeger datasource's
 * trace-to-metrics links). Grafana replaces `$__tags` with `job="<service.name>"`: a span's service
 * is the `job` of the service's metrics (metrics/trading.ts).
 */
export const TRACE_METRICS_QUERIES: readonly TraceMetricsQuery[] = [
  { name: 'Request rate', query: 'sum by (job) (rate(http_requests_total{$__tags}[5m]))' },
  { name: 'P95 latency', query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$__tags}[5m])))' },
];

export interface GrekkoDashboardOptions {
  /** @default DASHBOARDS */
  readonly dashboards?: readonly DashboardDefinition[];
  /** The metrics catalog queries are checked against. @default METRICS.all (metrics/) */
  readonly catalog?: MetricsCatalog;
  /** Rule groups whose recorded series dashboards may use. @default ALERT_GROUPS, the groups Prometheus loads */
  readonly recordingRules?: readonly RuleGroup[];
}

/** Checks the dashboards and returns them for `MonitoringStack`'s `dashboards` prop. */
export function grekkoDashboards(opts: GrekkoDashboardOptions = {}): GrafanaDashboard[] {
  const groups = opts.recordingRules ?? ALERT_GROUPS;
  return provisionDashboards(opts.dashboards ?? DASHBOARDS, {
    catalog: opts.catalog ?? METRICS.all,
    recordingRules: groups,
    alertNames: groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert)),
    catalogSource: opts.catalog ? 'the metrics catalog' : 'the metrics catalog (metrics/)',
  });
}
