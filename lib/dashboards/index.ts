/** Dashboards as code: helpers over @grafana/grafana-foundation-sdk, checks and review renderings. */
import { DashboardCheckOptions, checkDashboards } from './check';
import { DashboardDefinition } from './model';
import type { GrafanaDashboard } from './provisioning';

export * from './annotations';
export * from './check';
export * from './model';
export * from './panels';
export * from './promql';
export * from './provisioning';
export * from './variables';

/** Checks the dashboards (throws a ConfigError on the first problem) and returns them ready for `grafana.addDashboard()`. */
export function provisionDashboards(defs: readonly DashboardDefinition[], opts: DashboardCheckOptions): GrafanaDashboard[] {
  checkDashboards(defs, opts);
  return defs.map((d) => ({ uid: d.uid, folder: d.folder, model: d.model }));
}
