import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { percent } from '../lib/core/units';
import { NOTIFICATION_FAILURES, SCRAPE_TARGETS_DOWN } from './thresholds';
import { TRADING_NAMESPACE } from '../metrics/system';

const prom = (pod: string) => `namespace="monitoring", job="prometheus", pod="${pod}", instance="localhost:9090"`;
const promLabels = { namespace: 'monitoring', job: 'prometheus', pod: 'prometheus-0' };
const am = (pod: string) => `namespace="monitoring", job="alertmanager", service="alertmanager", pod="${pod}"`;
const amLabels = (pod: string) => ({ namespace: 'monitoring', job: 'alertmanager', pod });
const targets = (up: number, down: number) => {
  const out: Record<string, string> = {};
  for (let i = 0; i < up + down; i++) out[`up{namespace="${TRADING_NAMESPACE}", job="redis-exporter", instance="10.0.1.${i}:9121"}`] = i < up ? '1x20' : '0x20';
  return out;
};
/** Scrape targets of the job; as many down as the threshold allows, and one more. */
const TARGETS = 10;
const downAllowed = Math.round(SCRAPE_TARGETS_DOWN * TARGETS);
/** Notifications per minute; as many failing as the threshold allows, and twice that. */
const NOTIFICATIONS = 1000;
const failedAllowed = Math.round(NOTIFICATION_FAILURES * NOTIFICATIONS);
const promNotifications = (errorsPerMinute: number) => ({
  [`prometheus_notifications_errors_total{${prom('prometheus-0')}, alertmanager="http://am-0:9093/api/v2/alerts"}`]: `0+${errorsPerMinute}x30`,
  [`prometheus_notifications_sent_total{${prom('prometheus-0')}, alertmanager="http://am-0:9093/api/v2/alerts"}`]: `0+${NOTIFICATIONS}x30`,
});
const amNotifications = (failedPerMinute: number) => ({
  [`alertmanager_notifications_failed_total{${am('alertmanager-0')}, integration="opsgenie", reason="other"}`]: `0+${failedPerMinute}x20`,
  [`alertmanager_notifications_total{${am('alertmanager-0')}, integration="opsgenie"}`]: `0+${NOTIFICATIONS}x20`,
});

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'the Watchdog always fires, with nothing else going on',
      series: {},
      alerts: [{ at: '1m', alert: 'Watchdog', fires: [{}] }],
    },
    {
      name: 'the Watchdog fires from the first evaluation (never quiet while Prometheus evaluates rules)',
      series: {},
      alerts: [{ at: '0m', alert: 'Watchdog', fires: [{}] }],
    },
    {
      name: 'no failed rule evaluation stays quiet',
      series: {
        [`prometheus_rule_evaluation_failures_total{${prom('prometheus-0')}, rule_group="/etc/prometheus/rules/trading.yaml;trading-orders"}`]: '0x20',
      },
      alerts: [{ at: '15m', alert: 'PrometheusRuleEvaluationFailures', fires: [] }],
    },
    {
      name: 'rules failing for 5 minutes warn',
      series: {
        [`prometheus_rule_evaluation_failures_total{${prom('prometheus-0')}, rule_group="/etc/prometheus/rules/trading.yaml;trading-orders"}`]: '0+1x20',
      },
      alerts: [
        {
          at: '15m',
          alert: 'PrometheusRuleEvaluationFailures',
          fires: [{ labels: { ...promLabels, rule_group: '/etc/prometheus/rules/trading.yaml;trading-orders' }, value: 5 }],
        },
      ],
    },
    {
      name: 'a group skipping an evaluation every 5 minutes warns after 15 minutes; a single skipped evaluation stays quiet',
      series: {
        [`prometheus_rule_group_iterations_missed_total{${prom('prometheus-0')}, rule_group="/etc/prometheus/rules/risk.yaml;risk-management"}`]:
          '0 0 1 1 1 1 1 2 2 2 2 2 3 3 3 3 3 4 4 4 4 4 5 5 5 5 5 6 6 6',
        [`prometheus_rule_group_iterations_missed_total{${prom('prometheus-1')}, rule_group="/etc/prometheus/rules/risk.yaml;risk-management"}`]: '0 0 1x28',
      },
      alerts: [
        { at: '14m', alert: 'PrometheusRuleEvaluationsMissed', fires: [] },
        {
          at: '20m',
          alert: 'PrometheusRuleEvaluationsMissed',
          fires: [{ labels: { ...promLabels, rule_group: '/etc/prometheus/rules/risk.yaml;risk-management' } }],
        },
      ],
    },
    {
      name: `${downAllowed} of ${TARGETS} targets down stays quiet`,
      series: targets(TARGETS - downAllowed, downAllowed),
      alerts: [{ at: '15m', alert: 'PrometheusScrapeTargetsDown', fires: [] }],
    },
    {
      name: `${downAllowed + 1} of ${TARGETS} targets down for 10 minutes warn`,
      series: targets(TARGETS - downAllowed - 1, downAllowed + 1),
      alerts: [
        {
          at: '15m',
          alert: 'PrometheusScrapeTargetsDown',
          fires: [{ labels: { namespace: 'grekko', job: 'redis-exporter' }, value: (downAllowed + 1) / TARGETS }],
        },
      ],
    },
    {
      name: `${percent(failedAllowed / NOTIFICATIONS)} of alerts failing to send stays quiet`,
      series: promNotifications(failedAllowed),
      alerts: [{ at: '25m', alert: 'PrometheusNotificationsFailing', fires: [] }],
    },
    {
      name: `${percent((2 * failedAllowed) / NOTIFICATIONS)} of alerts failing to send for 15 minutes warns`,
      series: promNotifications(2 * failedAllowed),
      alerts: [
        {
          at: '25m',
          alert: 'PrometheusNotificationsFailing',
          fires: [{ labels: { ...promLabels, alertmanager: 'http://am-0:9093/api/v2/alerts' }, value: (2 * failedAllowed) / NOTIFICATIONS }],
        },
      ],
    },
    {
      name: 'Prometheus connected to three Alertmanagers stays quiet; to none for 10 minutes warns',
      series: {
        [`prometheus_notifications_alertmanagers_discovered{${prom('prometheus-0')}}`]: '3x30',
        [`prometheus_notifications_alertmanagers_discovered{${prom('prometheus-1')}}`]: '0x30',
      },
      alerts: [{ at: '20m', alert: 'PrometheusNotConnectedToAlertmanagers', fires: [{ labels: { ...promLabels, pod: 'prometheus-1' }, value: 0 }] }],
    },
    {
      name: 'a Prometheus always connected stays quiet',
      series: { [`prometheus_notifications_alertmanagers_discovered{${prom('prometheus-0')}}`]: '1x30' },
      alerts: [{ at: '20m', alert: 'PrometheusNotConnectedToAlertmanagers', fires: [] }],
    },
    {
      name: 'a failed Prometheus reload warns after 10 minutes; a good reload clears it',
      series: { [`prometheus_config_last_reload_successful{${prom('prometheus-0')}}`]: '1 1 0x20 1x10' },
      alerts: [
        { at: '10m', alert: 'PrometheusConfigReloadFailed', fires: [] },
        { at: '18m', alert: 'PrometheusConfigReloadFailed', fires: [{ labels: promLabels, value: 0 }] },
        { at: '30m', alert: 'PrometheusConfigReloadFailed', fires: [] },
      ],
    },
    {
      name: 'a WAL corruption pages; none stays quiet',
      series: { [`prometheus_tsdb_wal_corruptions_total{${prom('prometheus-0')}}`]: '0x10 1x5' },
      alerts: [
        { at: '9m', alert: 'PrometheusWALCorruption', fires: [] },
        { at: '12m', alert: 'PrometheusWALCorruption', fires: [{ labels: promLabels }] },
      ],
    },
    {
      name: 'a failed compaction pages; healthy storage stays quiet',
      series: {
        [`prometheus_tsdb_compactions_failed_total{${prom('prometheus-0')}}`]: '0x60 1x10',
        [`prometheus_tsdb_head_truncations_failed_total{${prom('prometheus-0')}}`]: '0x70',
        [`prometheus_tsdb_reloads_failures_total{${prom('prometheus-0')}}`]: '0x70',
      },
      alerts: [
        { at: '59m', alert: 'PrometheusTSDBFailing', fires: [] },
        { at: '65m', alert: 'PrometheusTSDBFailing', fires: [{ labels: promLabels }] },
      ],
    },
    {
      name: `${percent(failedAllowed / NOTIFICATIONS)} of Opsgenie notifications failing stays quiet`,
      series: amNotifications(failedAllowed),
      alerts: [{ at: '15m', alert: 'AlertmanagerNotificationsFailing', fires: [] }],
    },
    {
      name: `${percent((2 * failedAllowed) / NOTIFICATIONS)} of Opsgenie notifications failing warns`,
      series: amNotifications(2 * failedAllowed),
      alerts: [
        {
          at: '15m',
          alert: 'AlertmanagerNotificationsFailing',
          fires: [{ labels: { ...amLabels('alertmanager-0'), integration: 'opsgenie' }, value: (2 * failedAllowed) / NOTIFICATIONS }],
        },
      ],
    },
    {
      name: 'a failed Alertmanager reload warns after 10 minutes',
      series: { [`alertmanager_config_last_reload_successful{${am('alertmanager-0')}}`]: '1 0x20' },
      alerts: [
        { at: '5m', alert: 'AlertmanagerConfigReloadFailed', fires: [] },
        { at: '18m', alert: 'AlertmanagerConfigReloadFailed', fires: [{ labels: amLabels('alertmanager-0'), value: 0 }] },
      ],
    },
    {
      name: 'three Alertmanagers that all see three members stay quiet',
      series: {
        [`alertmanager_cluster_members{${am('alertmanager-0')}}`]: '3x30',
        [`alertmanager_cluster_members{${am('alertmanager-1')}}`]: '3x30',
        [`alertmanager_cluster_members{${am('alertmanager-2')}}`]: '3x30',
      },
      alerts: [{ at: '25m', alert: 'AlertmanagerClusterDegraded', fires: [] }],
    },
    {
      // What a real mesh reports (test/e2e/catalog-real.test.ts): the peer cut off counts itself
      // alone, and the two others drop it from their count too, so all three see too few.
      name: 'an Alertmanager cut off from its peers warns, on every peer: the cut-off one sees 1, the others 2',
      series: {
        [`alertmanager_cluster_members{${am('alertmanager-0')}}`]: '2x30',
        [`alertmanager_cluster_members{${am('alertmanager-1')}}`]: '2x30',
        [`alertmanager_cluster_members{${am('alertmanager-2')}}`]: '1x30',
      },
      alerts: [
        {
          at: '25m',
          alert: 'AlertmanagerClusterDegraded',
          fires: [
            { labels: amLabels('alertmanager-0'), value: 2 },
            { labels: amLabels('alertmanager-1'), value: 2 },
            { labels: amLabels('alertmanager-2'), value: 1 },
          ],
        },
      ],
    },
    {
      // A dead peer is a scrape target down (PrometheusScrapeTargetsDown), not a split mesh: the
      // survivors count two, and once the dead peer's last samples leave the 5-minute window it is
      // no longer counted among the running ones.
      name: 'a peer that dies leaves the two others agreeing on two members: quiet',
      series: {
        [`alertmanager_cluster_members{${am('alertmanager-0')}}`]: '3x5 2x25',
        [`alertmanager_cluster_members{${am('alertmanager-1')}}`]: '3x5 2x25',
        [`alertmanager_cluster_members{${am('alertmanager-2')}}`]: '3x5 stale',
      },
      alerts: [
        { at: '8m', alert: 'AlertmanagerClusterDegraded', fires: [] },
        { at: '25m', alert: 'AlertmanagerClusterDegraded', fires: [] },
      ],
    },
  ],
};
