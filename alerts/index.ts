/**
 * Grekko's alerting and recording rules, and their unit tests. Every group lives in a file of
 * this folder that reads like a section of the monitoring strategy; the tests of `x.ts` are in
 * `x.tests.ts`. `ruleFiles()` validates the rules against the metrics catalog and the runbooks and
 * renders the files Prometheus loads.
 */
import * as path from 'node:path';
import type { InhibitRule } from '../lib/components/alertmanager';
import type { RuleFile } from '../lib/components/prometheus';
import { RuleRenderOptions, buildRuleFiles } from '../lib/rules/render';
import { RuleTestSuite } from '../lib/rules/testing';
import { RuleGroup } from '../lib/rules/types';
import { METRICS } from '../metrics';
import * as services from './services';
import * as servicesTests from './services.tests';
import * as datastores from './datastores';
import * as datastoresTests from './datastores.tests';
import * as events from './events';
import { loggingAlerts } from './logging';
import { TRACING_RULES } from './tracing';
import * as eventsTests from './events.tests';
import * as loggingTests from './logging.tests';
import * as tracingTests from './tracing.tests';
import * as kubernetes from './kubernetes';
import * as kubernetesTests from './kubernetes.tests';
import * as monitoring from './monitoring';
import * as monitoringTests from './monitoring.tests';
import * as risk from './risk';
import * as riskTests from './risk.tests';
import * as trading from './trading';
import * as tradingTests from './trading.tests';

/** Where runbook links point: this repository's default branch. */
export const RUNBOOK_BASE_URL = 'https://github.com/grekko/grekko-monitoring/blob/main/';

export const RENDER_OPTIONS: RuleRenderOptions = { runbookBaseUrl: RUNBOOK_BASE_URL };

export const REPOSITORY_ROOT = path.resolve(__dirname, '..');

export const ALERT_GROUPS: readonly RuleGroup[] = [...services.groups, ...trading.groups, ...risk.groups, ...datastores.groups, ...kubernetes.groups, ...monitoring.groups, ...events.groups, loggingAlerts, TRACING_RULES];

export const RULE_TESTS: readonly RuleTestSuite[] = [servicesTests.suite, tradingTests.suite, riskTests.suite, datastoresTests.suite, kubernetesTests.suite, monitoringTests.suite, eventsTests.suite, loggingTests.suite, tracingTests.suite];

let cached: RuleFile[] | undefined;

/** The validated rule files, built once per process. Throws a ConfigError on a bad rule. */
export function ruleFiles(): RuleFile[] {
  cached ??= buildRuleFiles(ALERT_GROUPS, { ...RENDER_OPTIONS, catalog: METRICS, repositoryRoot: REPOSITORY_ROOT });
  return cached;
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
