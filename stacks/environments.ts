/**
 * The environments this repository deploys, and the one function that turns a profile into the
 * chart both `cdk8s synth` and the Pulumi program use.
 */
import { App } from 'cdk8s';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentProfile } from '../lib/profile';
import { MonitoringStack } from '../lib/stack';
import { grafanaPublicUrl } from '../lib/components/grafana/grafana';
import { ConfigError } from '../lib/core/errors';
import type { GrafanaDashboard } from '../lib/dashboards/provisioning';
import type { RuleFile } from '../lib/rules/types';
import { ALERT_GROUPS, MAINTENANCE_INHIBITION, SERVICE_DOWN_INHIBITIONS, ruleFiles } from '../alerts';
import { FAILED_SCRAPES_TO_PAGE } from '../alerts/thresholds';
import { DASHBOARDS, TRACE_METRICS_QUERIES, grekkoDashboards } from '../dashboards';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { CORE_SERVICES, METRICS } from '../metrics';
import { checkScrapeTiming } from '../lib/rules/scrape-timing';
import { local } from './local';
import { production } from './production';
import { staging } from './staging';

export const PROFILES: Readonly<Record<EnvironmentName, EnvironmentProfile>> = { local, staging, production };

export const PART_OF = 'grekko-monitoring';

/** The profile of a named environment; a clear error for any other name. */
export function profileFor(name: string): EnvironmentProfile {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError('environment selection', 'environment', name, `use one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  return PROFILES[name as EnvironmentName];
}

/** The rule file (alerts/thanos.ts, rendered) and the dashboard that watch Thanos. */
export const THANOS_CONTENT = { ruleFile: 'thanos.yaml', dashboardUid: DASHBOARD_UIDS.thanos } as const;

/**
 * The rule files and dashboards an environment loads: all of them, except that an environment
 * without Thanos leaves out the Thanos alerts (they would fire for jobs that do not exist there)
 * and the Thanos dashboard (every panel empty). Matched by file name and uid.
 */
export function contentFor(
  profile: Pick<EnvironmentProfile, 'thanos'>,
  content: { readonly ruleFiles: readonly RuleFile[]; readonly dashboards: readonly GrafanaDashboard[] },
  thanos: { readonly ruleFile: string; readonly dashboardUid: string } = THANOS_CONTENT,
): { ruleFiles: RuleFile[]; dashboards: GrafanaDashboard[] } {
  if (profile.thanos) return { ruleFiles: [...content.ruleFiles], dashboards: [...content.dashboards] };
  return {
    ruleFiles: content.ruleFiles.filter((f) => f.fileName !== thanos.ruleFile),
    dashboards: content.dashboards.filter((d) => d.uid !== thanos.dashboardUid),
  };
}

/** Builds the chart of one environment in memory (no files written). */
export function buildStack(profile: EnvironmentProfile, app: App = new App()): MonitoringStack {
  const content = contentFor(profile, { ruleFiles: ruleFiles(grafanaPublicUrl(profile.namespace, profile.grafana)), dashboards: grekkoDashboards() });
  const stack = new MonitoringStack(app, profile.name, {
    profile,
    partOf: PART_OF,
    ruleFiles: content.ruleFiles,
    dashboards: content.dashboards,
    inhibitRules: [MAINTENANCE_INHIBITION, ...SERVICE_DOWN_INHIBITIONS],
    traceMetricsQueries: TRACE_METRICS_QUERIES,
    tracedServices: CORE_SERVICES,
  });
  // Rule and dashboard windows, and staleness alerts, against this environment's scrape intervals.
  checkScrapeTiming(ALERT_GROUPS, DASHBOARDS, {
    environment: profile.name,
    ...stack.prometheus.timing,
    catalog: METRICS,
    failedScrapesToPage: FAILED_SCRAPES_TO_PAGE,
  });
  return stack;
}
