/**
 * Grekko's alerting and recording rules, and their unit tests. Every group lives in a file of
 * this folder that reads like a section of the monitoring strategy; the tests of `x.ts` are in
 * `x.tests.ts`. `ruleFiles()` validates the rules against the metrics catalog and the runbooks and
 * renders the files Prometheus loads.
 */
import * as path from 'node:path';
import { grafanaDashboardUrl } from '../lib/dashboards/provisioning';
import { RuleRenderOptions, buildRuleFiles } from '../lib/rules/render';
import { RuleTestSuite } from '../lib/rules/testing';
import type { InhibitRule, RuleFile, RuleGroup } from '../lib/rules/types';
import { METRICS } from '../metrics';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import * as availability from './availability';
import * as availabilityTests from './availability.tests';
import * as services from './services';
import * as servicesTests from './services.tests';
import * as certificates from './certificates';
import * as certificatesTests from './certificates.tests';
import * as datastores from './datastores';
import * as datastoresTests from './datastores.tests';
import * as events from './events';
import * as eventsTests from './events.tests';
import * as logging from './logging';
import * as loggingTests from './logging.tests';
import * as kubernetes from './kubernetes';
import * as kubernetesTests from './kubernetes.tests';
import * as monitoring from './monitoring';
import * as monitoringTests from './monitoring.tests';
import * as recordings from './recordings';
import * as recordingsTests from './recordings.tests';
import * as risk from './risk';
import * as riskTests from './risk.tests';
import * as slos from './slos';
import * as slosTests from './slos.tests';
import * as trading from './trading';
import * as tradingTests from './trading.tests';
import * as tracing from './tracing';
import * as tracingTests from './tracing.tests';
import * as thanos from './thanos';
import * as thanosTests from './thanos.tests';

/** Where runbook links point: this repository's default branch. */
export const RUNBOOK_BASE_URL = 'https://github.com/grekko/grekko-monitoring/blob/main/';

/** How alerts link out: runbooks in this repository, dashboards in the environment's Grafana (its public address, from the profile). */
export function renderOptions(grafanaUrl: string): RuleRenderOptions {
  return { runbookBaseUrl: RUNBOOK_BASE_URL, dashboardBaseUrl: grafanaDashboardUrl(grafanaUrl.replace(/\/+$/, ''), '') };
}

export const REPOSITORY_ROOT = path.resolve(__dirname, '..');

export const ALERT_GROUPS: readonly RuleGroup[] = [
  ...recordings.groups,
  ...availability.groups,
  ...services.groups,
  ...trading.groups,
  ...risk.groups,
  ...datastores.groups,
  ...certificates.groups,
  ...kubernetes.groups,
  ...monitoring.groups,
  ...events.groups,
  ...logging.groups,
  ...tracing.groups,
  ...thanos.groups,
  ...slos.groups,
];

export const RULE_TESTS: readonly RuleTestSuite[] = [
  recordingsTests.suite,
  availabilityTests.suite,
  servicesTests.suite,
  tradingTests.suite,
  riskTests.suite,
  datastoresTests.suite,
  certificatesTests.suite,
  kubernetesTests.suite,
  monitoringTests.suite,
  eventsTests.suite,
  loggingTests.suite,
  tracingTests.suite,
  thanosTests.suite,
  slosTests.suite,
];

const cached = new Map<string, RuleFile[]>();

/**
 * The validated rule files, with `dashboard_url` links into the Grafana at `grafanaUrl`, built once
 * per address. Throws a ConfigError on a bad rule, or on an alert whose dashboard is not provisioned.
 */
export function ruleFiles(grafanaUrl: string): RuleFile[] {
  let files = cached.get(grafanaUrl);
  if (!files) {
    files = buildRuleFiles(ALERT_GROUPS, {
      ...renderOptions(grafanaUrl),
      catalog: METRICS,
      repositoryRoot: REPOSITORY_ROOT,
      dashboardUids: new Set(Object.values(DASHBOARD_UIDS)),
    });
    cached.set(grafanaUrl, files);
  }
  return files;
}

/**
 * While a service is in a scheduled maintenance window, its warnings are expected and muted;
 * critical alerts still page.
 */
export const MAINTENANCE_INHIBITION: InhibitRule = {
  sourceMatchers: ['alertname="ScheduledMaintenance"'],
  targetMatchers: ['severity="warning"', 'service=~".+"'],
  equal: ['namespace', 'service'],
};

/**
 * A core service down is one incident, paged once by TradingServiceDown: while it fires, the
 * pages its outage also raises about the same service (its failing health and synthetic probes, and
 * its SLOs burning) are muted; and after the repair, its SLO pages stay muted for as long as the
 * outage can keep them firing (TradingServiceRecentlyDown, OUTAGE_SLO_PAGE_MUTE of
 * alerts/thresholds.ts). The probes' and SLOs' alerts carry `service` but no `namespace`, so they
 * are compared on `service` alone.
 */
export const SERVICE_DOWN_INHIBITIONS: readonly InhibitRule[] = [
  {
    sourceMatchers: ['alertname="TradingServiceDown"'],
    targetMatchers: ['alertname=~"ServiceHealthCheckFailing|ServiceNotReady|SyntheticCheckFailing"', 'service=~".+"'],
    equal: ['service'],
  },
  { sourceMatchers: ['alertname="TradingServiceDown"'], targetMatchers: ['slo_alert=~"page|ticket"', 'service=~".+"'], equal: ['service'] },
  // After the repair, the outage's failed scrapes are still in the SLO windows: its pages stay muted.
  { sourceMatchers: ['alertname="TradingServiceRecentlyDown"'], targetMatchers: ['slo_alert="page"', 'service=~".+"'], equal: ['service'] },
];
