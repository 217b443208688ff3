/**
 * elasticsearch_exporter, read from github.com/prometheus-community/elasticsearch_exporter at v1.9.0.
 * Every family is a prometheus.NewDesc under namespace `elasticsearch` (collector/collector.go),
 * sent as a const metric on each scrape. main.go registers the cluster health and node collectors
 * unconditionally; `--es.all` makes the node collector read every node, not only the one it talks to.
 *
 * The exporter names the Elasticsearch cluster `cluster`. The `elasticsearch` scrape job
 * (lib/components/logging/pipeline.ts) renames it `es_cluster`, so that it does not hide the stack's external `cluster`
 * label: the metrics below list the exporter's own labels, `scrapeRenames` the rename.
 */
import { SourceFixture } from './types';

const HEALTH = 'collector/cluster_health.go';
const NODES = 'collector/nodes.go';
/** nodes.go defaultNodeLabels: the cluster, the node's address, name and four role flags (getRoles). */
const NODE = ['cluster', 'host', 'name', 'es_master_node', 'es_data_node', 'es_ingest_node', 'es_client_node'];

export const ELASTICSEARCH_EXPORTER_SOURCE: SourceFixture = {
  component: 'elasticsearch-exporter',
  catalogSources: ['elasticsearch-exporter'],
  repository: 'prometheus-community/elasticsearch_exporter',
  tag: 'v1.9.0',
  pin: { kind: 'image', image: 'elasticsearchExporter', imageTag: 'v1.9.0' },
  naming: [
    {
      repository: 'prometheus-community/elasticsearch_exporter',
      tag: 'v1.9.0',
      path: 'collector/collector.go',
      says: 'namespace is "elasticsearch"; families are named BuildFQName(namespace, subsystem, name)',
    },
    {
      repository: 'prometheus-community/elasticsearch_exporter',
      tag: 'v1.9.0',
      path: HEALTH,
      says: 'the cluster health gauges carry only `cluster` (defaultClusterHealthLabels), the status gauge `cluster` and `color`, one series per colour (green, yellow, red); when _cluster/health fails or answers other than 200, Collect logs and sends no series at all. The `up`, `total_scrapes` and `json_parse_failures` metrics of older releases are gone (removed in v1.7.0, commit acddc58)',
    },
  ],
  metrics: [
    { name: 'elasticsearch_cluster_health_status', type: 'gauge', labels: ['cluster', 'color'], file: HEALTH },
    { name: 'elasticsearch_cluster_health_number_of_nodes', type: 'gauge', labels: ['cluster'], file: HEALTH },
    { name: 'elasticsearch_cluster_health_unassigned_shards', type: 'gauge', labels: ['cluster'], file: HEALTH },
    { name: 'elasticsearch_cluster_health_relocating_shards', type: 'gauge', labels: ['cluster'], file: HEALTH },
    { name: 'elasticsearch_cluster_health_initializing_shards', type: 'gauge', labels: ['cluster'], file: HEALTH },
    // defaultFilesystemDataLabels: one series per data path.
    { name: 'elasticsearch_filesystem_data_available_bytes', type: 'gauge', labels: [...NODE, 'mount', 'path'], file: NODES },
    { name: 'elasticsearch_filesystem_data_size_bytes', type: 'gauge', labels: [...NODE, 'mount', 'path'], file: NODES },
    // area "heap" and "non-heap" for used_bytes; max_bytes only for "heap".
    { name: 'elasticsearch_jvm_memory_used_bytes', type: 'gauge', labels: [...NODE, 'area'], file: NODES },
    { name: 'elasticsearch_jvm_memory_max_bytes', type: 'gauge', labels: [...NODE, 'area'], file: NODES },
    // A counter of its own (CounterValue), not the _sum of a summary: collection_seconds_count is a separate counter.
    { name: 'elasticsearch_jvm_gc_collection_seconds_sum', type: 'counter', labels: [...NODE, 'gc'], file: NODES },
    { name: 'elasticsearch_indices_indexing_index_total', type: 'counter', labels: NODE, file: NODES },
    { name: 'elasticsearch_indices_search_query_total', type: 'counter', labels: NODE, file: NODES },
    { name: 'elasticsearch_indices_search_query_time_seconds', type: 'counter', labels: NODE, file: NODES },
    { name: 'elasticsearch_indices_store_size_bytes', type: 'gauge', labels: NODE, file: NODES },
    // defaultBreakerLabels, defaultThreadPoolLabels.
    { name: 'elasticsearch_breakers_tripped', type: 'counter', labels: [...NODE, 'breaker'], file: NODES },
    { name: 'elasticsearch_thread_pool_rejected_count', type: 'counter', labels: [...NODE, 'type'], file: NODES },
  ],
  scrapeRenames: {
    job: 'elasticsearch',
    renames: [{ from: 'cluster', to: 'es_cluster' }],
    why: "the Elasticsearch cluster's name would hide the stack's external `cluster` label on alerts; lib/components/logging/pipeline.ts renames it in the job's metric_relabel_configs and drops the original",
  },
};
