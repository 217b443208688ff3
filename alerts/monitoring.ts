/**
 * The monitoring stack watching itself: rule evaluation, scrapes, notifications, configuration
 * reloads, the Alertmanager cluster and Prometheus's storage, plus the Watchdog, an alert that
 * always fires so that a dead-man's switch outside the cluster notices when alerting stops.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { percent } from '../lib/core/units';
import { NOTIFICATION_FAILURE_WINDOW, NOTIFICATION_FAILURES, SCRAPE_TARGETS_DOWN } from './thresholds';

const SOURCE = moduleSource(__filename);

export const watchdog: RuleGroup = {
  name: 'watchdog',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'Watchdog',
      // Routed by name to the dead-man's switch before any severity route; info so that it never pages by itself.
      severity: 'info',
      expr: 'vector(1)',
      summary: 'The alerting pipeline is working',
      description:
        "This alert always fires. Alertmanager sends it to a dead-man's switch every few minutes; when the notifications stop, Prometheus, Alertmanager or the path between them is broken and the switch pages on-call.",
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
  ],
};

export const prometheus: RuleGroup = {
  name: 'monitoring-stack',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'PrometheusRuleEvaluationFailures',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: 'sum by (namespace, job, pod, rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0',
      for: '5m',
      summary: 'Rules of {{ $labels.rule_group }} fail to evaluate',
      description: 'Prometheus {{ $labels.pod }} has failed to evaluate rules of group {{ $labels.rule_group }} for 5 minutes: alerts in it may not fire.',
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'PrometheusRuleEvaluationsMissed',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: 'sum by (namespace, job, pod, rule_group) (increase(prometheus_rule_group_iterations_missed_total[10m])) > 0',
      for: '15m',
      summary: 'Prometheus {{ $labels.pod }} skips evaluations of {{ $labels.rule_group }}',
      description:
        'For 15 minutes Prometheus {{ $labels.pod }} has skipped evaluations of group {{ $labels.rule_group }} because the previous one was still running: its alerts, risk and order alerts among them, fire late or not at all.',
      runbook: 'docs/runbooks/monitoring-stack.md#rule-evaluations-missed',
    },
    {
      alert: 'PrometheusScrapeTargetsDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: `count by (namespace, job) (up == 0) / count by (namespace, job) (up) > ${SCRAPE_TARGETS_DOWN}`,
      for: '10m',
      summary: '{{ $value | humanizePercentage }} of the {{ $labels.job }} targets cannot be scraped',
      description: `More than ${percent(SCRAPE_TARGETS_DOWN)} of the targets of job {{ $labels.job }} in {{ $labels.namespace }} have failed their scrapes for 10 minutes; their metrics and alerts are blind.`,
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'PrometheusNotificationsFailing',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: `
  sum by (namespace, job, pod, alertmanager) (rate(prometheus_notifications_errors_total[5m]))
/
  sum by (namespace, job, pod, alertmanager) (rate(prometheus_notifications_sent_total[5m]))
> ${NOTIFICATION_FAILURES}`,
      for: '15m',
      summary: 'Prometheus fails to send {{ $value | humanizePercentage }} of alerts to {{ $labels.alertmanager }}',
      description: `Prometheus {{ $labels.pod }} has failed to deliver more than ${percent(NOTIFICATION_FAILURES)} of its alerts to {{ $labels.alertmanager }} for 15 minutes.`,
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'PrometheusNotConnectedToAlertmanagers',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: 'max by (namespace, job, pod) (max_over_time(prometheus_notifications_alertmanagers_discovered[5m])) < 1',
      for: '10m',
      summary: 'Prometheus {{ $labels.pod }} has no Alertmanager to send to',
      description: 'Prometheus {{ $labels.pod }} has known no Alertmanager for 10 minutes: no alert leaves it.',
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'PrometheusConfigReloadFailed',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: 'max by (namespace, job, pod) (max_over_time(prometheus_config_last_reload_successful[5m])) == 0',
      for: '10m',
      summary: 'Prometheus {{ $labels.pod }} could not load its configuration',
      description: 'The last configuration reload of Prometheus {{ $labels.pod }} failed; it runs on the previous configuration and rules.',
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'PrometheusWALCorruption',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: 'sum by (namespace, job, pod) (increase(prometheus_tsdb_wal_corruptions_total[10m])) > 0',
      summary: 'Prometheus {{ $labels.pod }} found a corrupt write-ahead log',
      description: 'Prometheus {{ $labels.pod }} found corruption in its write-ahead log; recent samples may be lost.',
      runbook: 'docs/runbooks/prometheus-wal-corruption.md',
    },
    {
      alert: 'PrometheusTSDBFailing',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.prometheus,
      expr: `
  sum by (namespace, job, pod) (increase(prometheus_tsdb_compactions_failed_total[3h])) > 0
or
  sum by (namespace, job, pod) (increase(prometheus_tsdb_head_truncations_failed_total[3h])) > 0
or
  sum by (namespace, job, pod) (increase(prometheus_tsdb_reloads_failures_total[3h])) > 0`,
      summary: 'Prometheus {{ $labels.pod }} cannot compact or reload its storage',
      description:
        'Prometheus {{ $labels.pod }} failed to compact, truncate or reload TSDB blocks in the last 3 hours: a sign of corrupt blocks or a full disk, and of data about to be lost.',
      runbook: 'docs/runbooks/prometheus-tsdb-failing.md',
    },
  ],
};

export const alertmanager: RuleGroup = {
  name: 'alertmanager',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'AlertmanagerNotificationsFailing',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.alertmanager,
      expr: `
  sum by (namespace, job, pod, integration) (rate(alertmanager_notifications_failed_total[${NOTIFICATION_FAILURE_WINDOW}]))
/
  sum by (namespace, job, pod, integration) (rate(alertmanager_notifications_total[${NOTIFICATION_FAILURE_WINDOW}]))
> ${NOTIFICATION_FAILURES}`,
      for: '5m',
      summary: 'Alertmanager fails {{ $value | humanizePercentage }} of {{ $labels.integration }} notifications',
      description: `Alertmanager {{ $labels.pod }} has failed to deliver more than ${percent(NOTIFICATION_FAILURES)} of its {{ $labels.integration }} notifications over the last ${NOTIFICATION_FAILURE_WINDOW} for 5 minutes: people are not being told.`,
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'AlertmanagerConfigReloadFailed',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.alertmanager,
      expr: 'max by (namespace, job, pod) (max_over_time(alertmanager_config_last_reload_successful[5m])) == 0',
      for: '10m',
      summary: 'Alertmanager {{ $labels.pod }} could not load its configuration',
      description: 'The last configuration reload of Alertmanager {{ $labels.pod }} failed; it routes with the previous configuration.',
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
    {
      alert: 'AlertmanagerClusterDegraded',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.alertmanager,
      expr: `
  max by (namespace, job, pod) (max_over_time(alertmanager_cluster_members[5m]))
< on (namespace, job) group_left ()
  count by (namespace, job) (max by (namespace, job, pod) (max_over_time(alertmanager_cluster_members[5m])))`,
      for: '15m',
      summary: 'Alertmanager {{ $labels.pod }} sees only {{ $value }} cluster members',
      description:
        'Alertmanager {{ $labels.pod }} has seen fewer peers than are running for 15 minutes: notifications may be duplicated and silences not shared.',
      runbook: 'docs/runbooks/monitoring-stack.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([watchdog, prometheus, alertmanager]);
