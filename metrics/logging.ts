/**
 * The metrics the logging alerts and dashboards read: those of the elasticsearch_exporter and of
 * Fluentd's Prometheus plugin. The exporter's names are checked against the real exporter in
 * test/logging-alerts.test.ts; Fluentd's against fluent-plugin-prometheus 2.2.1, the version the
 * Fluentd image bundles (metrics/sources/fluentd.ts, test/catalog-sources.test.ts). The exporter's
 * entries are also held to its source at the pinned v1.9.0 (metrics/sources/elasticsearch-exporter.ts).
 * The exporter's `cluster` label (the Elasticsearch cluster name) is renamed `es_cluster` at scrape
 * time so that it does not hide the stack's external `cluster` label.
 */
import { MetricDefinition } from '../lib/metrics/types';

const NODE = ['es_cluster', 'name', 'host', 'es_master_node', 'es_data_node', 'es_ingest_node', 'es_client_node'];
const OUTPUT = ['plugin_id', 'type'];

export const LOGGING_METRICS: readonly MetricDefinition[] = [
  // elasticsearch_exporter: cluster
  {
    name: 'elasticsearch_cluster_health_status',
    type: 'gauge',
    unit: '1',
    help: "1 for the cluster's current health colour, 0 for the two others; no series while the exporter cannot read the cluster health.",
    labels: ['es_cluster', 'color'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_cluster_health_number_of_nodes',
    type: 'gauge',
    unit: '1',
    help: 'Nodes in the cluster.',
    labels: ['es_cluster'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_cluster_health_unassigned_shards',
    type: 'gauge',
    unit: '1',
    help: 'Shards assigned to no node.',
    labels: ['es_cluster'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_cluster_health_relocating_shards',
    type: 'gauge',
    unit: '1',
    help: 'Shards moving between nodes.',
    labels: ['es_cluster'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_cluster_health_initializing_shards',
    type: 'gauge',
    unit: '1',
    help: 'Shards being initialised.',
    labels: ['es_cluster'],
    source: 'elasticsearch-exporter',
  },
  // elasticsearch_exporter: per node
  {
    name: 'elasticsearch_filesystem_data_available_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'Space left to Elasticsearch on a data path.',
    labels: [...NODE, 'mount', 'path'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_filesystem_data_size_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'Size of a data path.',
    labels: [...NODE, 'mount', 'path'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_jvm_memory_used_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'JVM memory in use, by area (heap, non-heap).',
    labels: [...NODE, 'area'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_jvm_memory_max_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'JVM memory limit, by area.',
    labels: [...NODE, 'area'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_jvm_gc_collection_seconds_sum',
    type: 'counter',
    unit: 'seconds',
    help: 'Time spent in garbage collection, by collector (young, old).',
    labels: [...NODE, 'gc'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_indices_indexing_index_total',
    type: 'counter',
    unit: 'documents',
    help: 'Documents indexed on a node.',
    labels: NODE,
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_indices_search_query_total',
    type: 'counter',
    unit: 'queries',
    help: 'Search queries run on a node.',
    labels: NODE,
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_indices_search_query_time_seconds',
    type: 'counter',
    unit: 'seconds',
    help: 'Time spent running search queries on a node.',
    labels: NODE,
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_indices_store_size_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: 'Size of the indices stored on a node.',
    labels: NODE,
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_breakers_tripped',
    type: 'counter',
    unit: '1',
    help: 'Times a circuit breaker refused a request to protect the heap.',
    labels: [...NODE, 'breaker'],
    source: 'elasticsearch-exporter',
  },
  {
    name: 'elasticsearch_thread_pool_rejected_count',
    type: 'counter',
    unit: '1',
    help: 'Tasks a thread pool rejected (write rejections mean indexing back-pressure).',
    labels: [...NODE, 'type'],
    source: 'elasticsearch-exporter',
  },
  // Fluentd: prometheus_output_monitor. With its default gauge_all true, the plugin exposes every
  // value as a gauge, even those that only grow while the process lives (retries, errors, records):
  // rate() and increase() work on those, and restart from 0 when Fluentd restarts.
  {
    name: 'fluentd_output_status_buffer_available_space_ratio',
    type: 'gauge',
    unit: 'percent',
    help: "Free share of an output's buffer, 0 to 100; at 0 Fluentd stops reading.",
    labels: OUTPUT,
    source: 'fluentd',
  },
  {
    name: 'fluentd_output_status_buffer_total_bytes',
    type: 'gauge',
    unit: 'bytes',
    help: "Bytes in an output's buffer (staged and queued).",
    labels: OUTPUT,
    source: 'fluentd',
  },
  { name: 'fluentd_output_status_buffer_queue_length', type: 'gauge', unit: '1', help: 'Chunks waiting to be sent.', labels: OUTPUT, source: 'fluentd' },
  {
    name: 'fluentd_output_status_retry_count',
    type: 'gauge',
    unit: '1',
    help: 'Retries of failed flushes since Fluentd started (only grows while it runs).',
    labels: OUTPUT,
    source: 'fluentd',
  },
  {
    name: 'fluentd_output_status_num_errors',
    type: 'gauge',
    unit: '1',
    help: 'Failed flushes since Fluentd started (only grows while it runs).',
    labels: OUTPUT,
    source: 'fluentd',
  },
  { name: 'fluentd_output_status_retry_wait', type: 'gauge', unit: 'seconds', help: 'Current wait before the next retry.', labels: OUTPUT, source: 'fluentd' },
  {
    name: 'fluentd_output_status_emit_records',
    type: 'gauge',
    unit: '1',
    help: 'Records handed to an output since Fluentd started (only grows while it runs).',
    labels: OUTPUT,
    source: 'fluentd',
  },
  // Fluentd: the counter defined in the generated fluent.conf
  {
    name: 'fluentd_input_status_num_records_total',
    type: 'counter',
    unit: '1',
    help: 'Container log records read on the node since start.',
    labels: [],
    source: 'fluentd',
  },
];
