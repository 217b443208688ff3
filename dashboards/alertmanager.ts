import { dashboardLink, defineDashboard, q, statPanel, tablePanel, timeSeries, upDownMappings, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { NOTIFICATION_FAILURE_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const a = 'job="alertmanager"';

/** Alertmanager itself: alerts held, notifications delivered and failed, mesh health, silences. */
export const alertmanager = defineDashboard({
  uid: UIDS.alertmanager,
  title: 'Platform / Alertmanager',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'alertmanager', 'meta-monitoring'],
  source: SOURCE,
  description: 'What is firing, whether notifications reach their receivers, and whether the Alertmanager peers form one cluster.',
  linkTag: DASHBOARD_TAG,
  links: [dashboardLink('Prometheus', UIDS.prometheus)],
  rows: [
    {
      title: 'Alerts',
      panels: [
        statPanel({ w: 6, h: 4, title: 'Active alerts', unit: 'short', background: false, query: q(`max(alertmanager_alerts{${a}, state="active"})`) }),
        statPanel({ w: 6, h: 4, title: 'Suppressed alerts', unit: 'short', background: false, query: q(`max(alertmanager_alerts{${a}, state="suppressed"})`) }),
        statPanel({ w: 6, h: 4, title: 'Active silences', unit: 'short', background: false, query: q(`max(alertmanager_silences{${a}, state="active"})`) }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Last config reload',
          mappings: upDownMappings('OK', 'FAILED'),
          query: q(`min(alertmanager_config_last_reload_successful{${a}})`),
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Firing alerts by severity',
          sortBy: 'Value',
          queries: [q('count by (alertname, severity) (ALERTS{alertstate="firing"})')],
          columns: { alertname: 'Alert', severity: 'Severity', Value: 'Series' },
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Alerts received per second',
          unit: 'short',
          queries: [
            q(`sum by (status) (rate(alertmanager_alerts_received_total{${a}}[$__rate_interval]))`, '{{status}}'),
            q(`sum(rate(alertmanager_alerts_invalid_total{${a}}[$__rate_interval]))`, 'invalid'),
          ],
        }),
      ],
    },
    {
      title: 'Notifications',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Notifications per second',
          unit: 'short',
          queries: [q(`sum by (integration) (rate(alertmanager_notifications_total{${a}}[$__rate_interval]))`, '{{integration}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Failed notifications',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...NOTIFICATION_FAILURE_STEPS),
          description: 'A receiver failing means pages are not reaching people: check the credential Secret and the receiver URL.',
          queries: [
            q(
              `sum by (integration) (rate(alertmanager_notifications_failed_total{${a}}[$__rate_interval])) / sum by (integration) (rate(alertmanager_notifications_total{${a}}[$__rate_interval]))`,
              '{{integration}}',
            ),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Notification latency (p99)',
          unit: 's',
          queries: [
            q(
              `histogram_quantile(0.99, sum by (integration, le) (rate(alertmanager_notification_latency_seconds_bucket{${a}}[$__rate_interval])))`,
              '{{integration}}',
            ),
          ],
        }),
      ],
    },
    {
      title: 'Cluster',
      panels: [
        timeSeries({
          w: 8,
          h: 7,
          title: 'Peers seen by each member',
          unit: 'short',
          description: 'Every member should see all peers; fewer means a split mesh and duplicate notifications.',
          queries: [q(`alertmanager_cluster_members{${a}}`, '{{pod}}')],
        }),
        timeSeries({
          w: 8,
          h: 7,
          title: 'Peers unreachable',
          unit: 'short',
          thresholds: warnAt(1, 1),
          queries: [q(`alertmanager_cluster_failed_peers{${a}}`, '{{pod}}')],
        }),
        timeSeries({
          w: 8,
          h: 7,
          title: 'Gossip health score (0 is healthy)',
          unit: 'short',
          thresholds: warnAt(1, 5),
          queries: [q(`alertmanager_cluster_health_score{${a}}`, '{{pod}}')],
        }),
      ],
    },
  ],
});
