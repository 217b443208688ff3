/**
 * Noteworthy events, never paging. Strategy, "Info Alerts": deployments, configuration changes,
 * scheduled maintenance and performance threshold changes. They go to the info channel so that
 * whoever looks at a warning can see what changed just before it.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { TRADING_NAMESPACE } from '../metrics/system';

const SOURCE = moduleSource(__filename);

const ns = `namespace="${TRADING_NAMESPACE}"`;

export const events: RuleGroup = {
  name: 'events',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'TradingServiceDeployed',
      severity: 'info',
      dashboard: DASHBOARD_UIDS.development,
      expr: `
  max by (namespace, deployment) (changes(kube_deployment_metadata_generation{${ns}}[10m])) > 0
or
  max by (namespace, statefulset) (changes(kube_statefulset_metadata_generation{${ns}}[10m])) > 0`,
      summary: '{{ $labels.deployment }}{{ $labels.statefulset }} was deployed',
      description:
        'The spec of {{ $labels.namespace }}/{{ $labels.deployment }}{{ $labels.statefulset }} changed in the last 10 minutes: a new version or new settings are rolling out.',
    },
    {
      alert: 'TradingConfigurationChanged',
      severity: 'info',
      expr: `max by (namespace, configmap) (changes(kube_configmap_metadata_resource_version{${ns}}[10m])) > 0`,
      summary: 'ConfigMap {{ $labels.configmap }} changed',
      description: 'The ConfigMap {{ $labels.namespace }}/{{ $labels.configmap }} was edited in the last 10 minutes.',
    },
    {
      alert: 'MonitoringConfigurationReloaded',
      severity: 'info',
      expr: `
  max by (namespace, job) (changes(prometheus_config_last_reload_success_timestamp_seconds[10m])) > 0
or
  max by (namespace, job) (changes(alertmanager_config_last_reload_success_timestamp_seconds[10m])) > 0`,
      summary: '{{ $labels.job }} loaded a new configuration',
      description: '{{ $labels.job }} reloaded its configuration (scrape jobs, rules or routing) in the last 10 minutes.',
    },
    {
      alert: 'ScheduledMaintenance',
      severity: 'info',
      expr: 'max by (namespace, job, service) (grekko_maintenance_mode) == 1',
      summary: '{{ $labels.service }} is in maintenance',
      description: '{{ $labels.service }} is in a scheduled maintenance window; its warnings are muted until it ends.',
    },
    {
      alert: 'NodeCordoned',
      severity: 'info',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: 'max by (node) (kube_node_spec_unschedulable) == 1',
      summary: 'Node {{ $labels.node }} is cordoned',
      description: 'Node {{ $labels.node }} takes no new pods: it is being drained for maintenance or replaced.',
    },
    {
      alert: 'PerformanceThresholdChanged',
      severity: 'info',
      expr: 'max by (namespace, job, service, threshold) (changes(grekko_performance_threshold[10m])) > 0',
      summary: '{{ $labels.service }} threshold {{ $labels.threshold }} changed',
      description: 'The performance threshold "{{ $labels.threshold }}" of {{ $labels.service }} was reconfigured in the last 10 minutes.',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([events]);
