/**
 * Alerts on the logging pipeline: the log store's health, disk and heap, and whether every node's
 * logs reach it. The pipeline delays logs rather than dropping them, so most of these warn early
 * while there is time; a red cluster, an unreachable store, a disk past the high watermark and a
 * nearly full node buffer page, because logs (the audit trail) are about to be lost or unsearchable.
 * Metrics: metrics/logging.ts (plus `up`, and kube-state-metrics' `kube_node_info`).
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { percent } from '../lib/core/units';
import {
  ELASTICSEARCH_DISK_FLOOD_STAGE,
  ELASTICSEARCH_DISK_HIGH_WATERMARK,
  ELASTICSEARCH_DISK_LOW_WATERMARK,
  ELASTICSEARCH_HEAP,
  FLUENTD_BUFFER_FREE_CRITICAL_PERCENT,
  FLUENTD_BUFFER_FREE_WARNING_PERCENT,
} from './thresholds';

const SOURCE = moduleSource(__filename);

const ES_DASHBOARD_HINT = 'Kibana: Stack Management → Index Management; or GET _cluster/health, _cat/shards?v&h=index,shard,prirep,state,unassigned.reason';

export const logging: RuleGroup = {
  name: 'logging',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'ElasticsearchClusterRed',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.logging,
      expr: 'max by (es_cluster) (elasticsearch_cluster_health_status{color="red"}) == 1',
      for: '5m',
      labels: { service: 'elasticsearch' },
      summary: 'Elasticsearch cluster {{ $labels.es_cluster }} is red',
      description: `At least one primary shard is unassigned: part of the logs cannot be searched, and writes to it fail (Fluentd buffers them). ${ES_DASHBOARD_HINT}`,
      runbook: 'docs/runbooks/elasticsearch-cluster-red.md',
    },
    {
      alert: 'ElasticsearchClusterYellow',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: 'max by (es_cluster) (elasticsearch_cluster_health_status{color="yellow"}) == 1',
      // A rolling restart turns the cluster yellow for minutes; longer means a replica cannot be placed.
      for: '30m',
      labels: { service: 'elasticsearch' },
      summary: 'Elasticsearch cluster {{ $labels.es_cluster }} has been yellow for 30 minutes',
      description: 'Replica shards are unassigned: the logs have a single copy, and losing one more node loses data.',
      runbook: 'docs/runbooks/elasticsearch-cluster-yellow.md',
    },
    {
      alert: 'ElasticsearchUnreachable',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.logging,
      // The exporter (v1.9.0) has no gauge of its own for this: when _cluster/health fails or does
      // not answer 200, it sends no cluster health series at all, while its own scrape succeeds.
      expr: 'max by (job) (up{job="elasticsearch"}) == 1 unless on (job) count by (job) (elasticsearch_cluster_health_status)',
      for: '10m',
      labels: { service: 'elasticsearch' },
      summary: 'Elasticsearch does not answer its health check',
      description:
        'The exporter answers its scrapes but gets no cluster health from Elasticsearch: logs cannot be searched and pile up in the Fluentd buffers on every node.',
      runbook: 'docs/runbooks/elasticsearch-unreachable.md',
    },
    {
      alert: 'ElasticsearchExporterDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: 'absent(up{job="elasticsearch"} == 1)',
      for: '15m',
      labels: { service: 'elasticsearch' },
      summary: 'No elasticsearch_exporter is scraped',
      description: 'Elasticsearch health, disk and heap are not watched: the other Elasticsearch alerts cannot fire.',
      runbook: 'docs/runbooks/elasticsearch-unreachable.md',
    },
    // Disk and heap are kept per Elasticsearch node (`name`), never per exporter target: the
    // exporter's pod, address and Kubernetes node are not where the problem is, and a new exporter
    // pod must not restart an alert's wait.
    {
      alert: 'ElasticsearchDiskAboveLowWatermark',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: `max by (es_cluster, name, path) (1 - elasticsearch_filesystem_data_available_bytes / elasticsearch_filesystem_data_size_bytes) > ${ELASTICSEARCH_DISK_LOW_WATERMARK}`,
      for: '30m',
      labels: { service: 'elasticsearch' },
      summary: 'Elasticsearch node {{ $labels.name }} disk is {{ $value | humanizePercentage }} full',
      description: `Above the ${percent(ELASTICSEARCH_DISK_LOW_WATERMARK)} low watermark no new shard goes to this node; at ${percent(ELASTICSEARCH_DISK_HIGH_WATERMARK)} shards move away, at ${percent(ELASTICSEARCH_DISK_FLOOD_STAGE)} indices become read-only and logs stop being stored.`,
      runbook: 'docs/runbooks/elasticsearch-disk-watermark.md',
    },
    {
      alert: 'ElasticsearchDiskAboveHighWatermark',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.logging,
      expr: `max by (es_cluster, name, path) (1 - elasticsearch_filesystem_data_available_bytes / elasticsearch_filesystem_data_size_bytes) > ${ELASTICSEARCH_DISK_HIGH_WATERMARK}`,
      for: '5m',
      labels: { service: 'elasticsearch' },
      summary: 'Elasticsearch node {{ $labels.name }} disk is {{ $value | humanizePercentage }} full',
      description: `Past the ${percent(ELASTICSEARCH_DISK_HIGH_WATERMARK)} high watermark shards are moved off this node; at ${percent(ELASTICSEARCH_DISK_FLOOD_STAGE)} (flood stage) every index on it becomes read-only and new logs are refused.`,
      runbook: 'docs/runbooks/elasticsearch-disk-watermark.md',
    },
    {
      alert: 'ElasticsearchJvmHeapPressure',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: `max by (es_cluster, name) (elasticsearch_jvm_memory_used_bytes{area="heap"} / elasticsearch_jvm_memory_max_bytes{area="heap"}) > ${ELASTICSEARCH_HEAP}`,
      for: '15m',
      labels: { service: 'elasticsearch' },
      summary: 'Elasticsearch node {{ $labels.name }} heap is {{ $value | humanizePercentage }} used',
      description: `Sustained heap use above ${percent(ELASTICSEARCH_HEAP)} means long garbage collections, circuit breakers refusing searches and bulk writes, and eventually an out-of-memory restart.`,
      runbook: 'docs/runbooks/elasticsearch-jvm-heap.md',
    },
    {
      alert: 'FluentdBufferFilling',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: `min by (node, plugin_id) (fluentd_output_status_buffer_available_space_ratio) < ${FLUENTD_BUFFER_FREE_WARNING_PERCENT}`,
      for: '10m',
      labels: { service: 'fluentd' },
      summary: `Fluentd buffer on {{ $labels.node }} is more than ${FLUENTD_BUFFER_FREE_WARNING_PERCENT === 50 ? 'half' : `${100 - FLUENTD_BUFFER_FREE_WARNING_PERCENT}%`} full`,
      description: 'Logs are not reaching Elasticsearch as fast as they are written; they wait on the node. {{ $value }}% of the buffer is free.',
      runbook: 'docs/runbooks/fluentd-buffer.md',
    },
    {
      alert: 'FluentdBufferNearlyFull',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.logging,
      expr: `min by (node, plugin_id) (fluentd_output_status_buffer_available_space_ratio) < ${FLUENTD_BUFFER_FREE_CRITICAL_PERCENT}`,
      for: '5m',
      labels: { service: 'fluentd' },
      summary: 'Fluentd buffer on {{ $labels.node }} is {{ $value }}% free',
      description: 'When the buffer is full Fluentd stops reading; lines that the kubelet rotates away before it resumes are lost.',
      runbook: 'docs/runbooks/fluentd-buffer.md',
    },
    {
      alert: 'FluentdOutputRetrying',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      // Fluentd retries at least once a minute (retry_max_interval, 60s by default): a 5-minute
      // window sees every retry and ends 5 minutes after the last one. A longer window stays true
      // so long after a short burst that the burst, long over, would complete the 15 minutes.
      expr: 'sum by (node, plugin_id) (increase(fluentd_output_status_retry_count[5m])) > 0',
      for: '15m',
      labels: { service: 'fluentd' },
      summary: 'Fluentd on {{ $labels.node }} keeps retrying sends to Elasticsearch',
      description: 'Sends have been failing and retried without a break of 5 minutes for over 10 minutes; logs are delayed and the buffer grows.',
      runbook: 'docs/runbooks/fluentd-output-failing.md',
    },
    {
      alert: 'FluentdOutputErrors',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: 'sum by (node, plugin_id) (increase(fluentd_output_status_num_errors[5m])) > 0',
      for: '15m',
      labels: { service: 'fluentd' },
      summary: 'Fluentd on {{ $labels.node }} fails to send to Elasticsearch',
      description:
        '{{ $value }} failed flushes in the last 5 minutes, and flushes have kept failing for over 10 minutes: Elasticsearch refuses or cannot be reached (credentials, certificate, read-only index, rejections).',
      runbook: 'docs/runbooks/fluentd-output-failing.md',
    },
    {
      alert: 'FluentdNotRunningOnNode',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: 'count by (node) (kube_node_info) unless on (node) count by (node) (up{job="fluentd"} == 1)',
      for: '15m',
      labels: { service: 'fluentd' },
      summary: 'No Fluentd collects logs on node {{ $labels.node }}',
      description: 'The node has no running, scraped Fluentd pod: its container logs are not collected and are lost once rotated.',
      runbook: 'docs/runbooks/fluentd-node-logs.md',
    },
    {
      alert: 'FluentdNoLogsFromNode',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.logging,
      expr: 'sum by (node) (rate(fluentd_input_status_num_records_total[30m])) == 0',
      for: '30m',
      labels: { service: 'fluentd' },
      summary: 'No log line read on node {{ $labels.node }} for an hour',
      description: 'Fluentd runs but reads nothing: the log path, the read positions or the container runtime changed.',
      runbook: 'docs/runbooks/fluentd-node-logs.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([logging]);
