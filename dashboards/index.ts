/**
 * Grekko's dashboards: the strategy's four (Executive, Operations, Development, Trading) and one
 * per component. `grekkoDashboards()` checks them against a metrics catalog and recording rules and
 * returns them ready to provision; synth calls it, so a bad query stops synth.
 */
import type { GrafanaDashboard } from '../lib/components/grafana';
import { DashboardDefinition, provisionDashboards } from '../lib/dashboards';
import type { MetricsCatalog } from '../lib/metrics/types';
import type { RuleGroup } from '../lib/rules/types';
import { alertmanagerDashboard } from './alertmanager';
import { development } from './development';
import { executive } from './executive';
import { influxdb } from './influxdb';
import { jaeger } from './jaeger';
import { kafka } from './kafka';
import { kubernetes } from './kubernetes';
import { logging } from './logging';
import { DASHBOARD_METRICS } from './metrics';
import { operations } from './operations';
import { postgresql } from './postgresql';
import { prometheusDashboard } from './prometheus';
import { DASHBOARD_RECORDING_RULES } from './recording-rules';
import { redis } from './redis';
import { trading } from './trading';

export { DASHBOARD_METRICS } from './metrics';
export { DASHBOARD_RECORDING_RULES } from './recording-rules';
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
  prometheusDashboard,
  alertmanagerDashboard,
];

export interface GrekkoDashboardOptions {
  /** @default DASHBOARDS */
  readonly dashboards?: readonly DashboardDefinition[];
  /** The metrics catalog queries are checked against. @default DASHBOARD_METRICS */
  readonly catalog?: MetricsCatalog;
  /** Recording rules whose series dashboards may use. @default DASHBOARD_RECORDING_RULES */
  readonly recordingRules?: readonly RuleGroup[];
}

/** Checks the dashboards and returns them for `MonitoringStack`'s `dashboards` prop. */
export function grekkoDashboards(opts: GrekkoDashboardOptions = {}): GrafanaDashboard[] {
  return provisionDashboards(opts.dashboards ?? DASHBOARDS, {
    catalog: opts.catalog ?? DASHBOARD_METRICS,
    recordingRules: opts.recordingRules ?? DASHBOARD_RECORDING_RULES,
    catalogSource: opts.catalog ? 'the metrics catalog' : 'the metrics catalog (dashboards/metrics.ts)',
  });
}
