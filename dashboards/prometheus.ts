import { dashboardLink, defineDashboard, q, statPanel, tablePanel, timeSeries, upDownMappings, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';

const SOURCE = moduleSource(__filename);

const p = 'job="prometheus"';

/** Prometheus itself: scraping, rule evaluation, notification delivery, storage, queries. */
export const prometheus = defineDashboard({
  uid: UIDS.prometheus,
  title: 'Platform / Prometheus',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'prometheus', 'meta-monitoring'],
  source: SOURCE,
  description: 'Is monitoring itself healthy: targets scraped, rules evaluated on time, alerts delivered to Alertmanager, storage growth and query latency.',
  linkTag: DASHBOARD_TAG,
  links: [dashboardLink('Alertmanager', UIDS.alertmanager)],
  rows: [
    {
      title: 'Health',
      panels: [
        statPanel({
          w: 6,
          h: 4,
          title: 'Replicas up',
          unit: 'short',
          thresholds: [
            [null, 'red'],
            [1, 'green'],
          ],
          query: q(`sum(up{${p}})`),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Last config reload',
          mappings: upDownMappings('OK', 'FAILED'),
          query: q(`min(prometheus_config_last_reload_successful{${p}})`),
        }),
        statPanel({ w: 6, h: 4, title: 'Targets down', unit: 'short', thresholds: warnAt(1, 5), query: q('count(up == 0) or vector(0)') }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Alertmanagers discovered',
          unit: 'short',
          thresholds: [
            [null, 'red'],
            [1, 'green'],
          ],
          query: q(`min(prometheus_notifications_alertmanagers_discovered{${p}})`),
        }),
      ],
    },
    {
      title: 'Scraping',
      panels: [
        tablePanel({
          w: 12,
          h: 8,
          title: 'Targets down',
          key: 'targets-down-list',
          queries: [q('up == 0')],
          columns: { job: 'Job', instance: 'Target', namespace: 'Namespace' },
          hide: ['__name__', 'Value', 'pod', 'container', 'node', 'service'],
        }),
        timeSeries({ w: 12, h: 8, title: 'Slowest scrapes', unit: 's', queries: [q('topk(5, max by (job) (scrape_duration_seconds))', '{{job}}')] }),
        timeSeries({ w: 12, h: 8, title: 'Active series', unit: 'short', queries: [q(`prometheus_tsdb_head_series{${p}}`, '{{pod}}')] }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Samples ingested per second',
          unit: 'short',
          queries: [q(`sum by (pod) (rate(prometheus_tsdb_head_samples_appended_total{${p}}[$__rate_interval]))`, '{{pod}}')],
        }),
        tablePanel({
          w: 24,
          h: 8,
          title: 'Largest targets (samples per scrape)',
          unit: 'short',
          sortBy: 'Value',
          description: 'Targets exposing the most series: the first place to look when active series or memory grow.',
          queries: [q('topk(10, max by (job, instance) (scrape_samples_scraped))')],
          columns: { job: 'Job', instance: 'Target', Value: 'Samples' },
        }),
      ],
    },
    {
      title: 'Rules and notifications',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Rule group duration against its interval',
          unit: 'percentunit',
          thresholds: warnAt(0.5, 1),
          description: 'Above 100% a group cannot finish before its next evaluation: rules are evaluated late or skipped.',
          queries: [
            q(`max by (rule_group) (prometheus_rule_group_last_duration_seconds{${p}} / prometheus_rule_group_interval_seconds{${p}})`, '{{rule_group}}'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Rule failures and missed evaluations per second',
          unit: 'short',
          queries: [
            q(`sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total{${p}}[$__rate_interval])) > 0`, '{{rule_group}} failed'),
            q(`sum by (rule_group) (rate(prometheus_rule_group_iterations_missed_total{${p}}[$__rate_interval])) > 0`, '{{rule_group}} missed'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Alert notifications',
          unit: 'short',
          queries: [
            q(
              `sum by (pod) (prometheus_notifications_queue_length{${p}}) / sum by (pod) (prometheus_notifications_queue_capacity{${p}})`,
              '{{pod}} queue fill',
            ),
            q(`sum by (alertmanager) (rate(prometheus_notifications_errors_total{${p}}[$__rate_interval]))`, 'errors to {{alertmanager}}'),
            q(`sum(rate(prometheus_notifications_dropped_total{${p}}[$__rate_interval]))`, 'dropped'),
          ],
        }),
      ],
    },
    {
      title: 'Storage and queries',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Storage used',
          unit: 'bytes',
          queries: [q(`prometheus_tsdb_storage_blocks_bytes{${p}}`, '{{pod}} blocks'), q(`prometheus_tsdb_wal_storage_size_bytes{${p}}`, '{{pod}} WAL')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Query latency (p90 by phase)',
          unit: 's',
          queries: [q(`max by (slice) (prometheus_engine_query_duration_seconds{${p}, quantile="0.9"})`, '{{slice}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Memory and compaction failures',
          unit: 'bytes',
          queries: [
            q(`process_resident_memory_bytes{${p}}`, '{{pod}} memory'),
            q(`increase(prometheus_tsdb_compactions_failed_total{${p}}[1h]) > 0`, '{{pod}} failed compactions (1 h)'),
          ],
        }),
      ],
    },
  ],
});
