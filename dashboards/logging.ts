import { defineDashboard, labelVariable, q, statPanel, timeSeries, warnAt, warnBelow } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { percent } from '../lib/core/units';
import {
  ELASTICSEARCH_BREAKER_TRIPS_STEPS,
  ELASTICSEARCH_DISK_FLOOD_STAGE,
  ELASTICSEARCH_DISK_LOW_WATERMARK,
  ELASTICSEARCH_DISK_STEPS,
  ELASTICSEARCH_HEAP_STEPS,
  ELASTICSEARCH_REJECTIONS_STEPS,
  FLUENTD_BUFFER_FREE_STEPS,
} from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

// The exporter's `cluster` label is renamed `es_cluster` at scrape time (lib/components/logging/pipeline.ts).
const c = 'es_cluster=~"$cluster"';

/**
 * The elasticsearch job scrapes every 30 s (lib/components/logging/pipeline.ts), slower than production's 15 s: its
 * rate queries take that as their minimum step, so that `$__rate_interval` spans at least four of
 * its scrapes. The synth check of range windows (lib/rules/scrape-timing.ts) fails if they drift apart.
 */
const ES_SCRAPE_STEP = '30s';
/** A range query over the exporter's counters. */
const esq = (expr: string, legend: string) => ({ ...q(expr, legend), minStep: ES_SCRAPE_STEP });

const HEALTH_COLOURS: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '0': { text: 'RED', color: 'red', index: 0 },
      '1': { text: 'YELLOW', color: 'orange', index: 1 },
      '2': { text: 'GREEN', color: 'green', index: 2 },
    },
  },
];

/** Elasticsearch (elasticsearch_exporter) and Fluentd (fluent-plugin-prometheus): the log pipeline end to end. */
export const logging = defineDashboard({
  uid: UIDS.logging,
  title: 'Platform / Elasticsearch and Fluentd',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'elasticsearch', 'fluentd', 'logging'],
  source: SOURCE,
  description: 'Log collection (Fluentd records in and out, buffers, retries) and storage (Elasticsearch health, shards, heap, disk, indexing and search).',
  linkTag: DASHBOARD_TAG,
  variables: [labelVariable('cluster', 'Cluster', 'elasticsearch_cluster_health_number_of_nodes', 'es_cluster')],
  rows: [
    {
      title: 'Fluentd',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Records read per second',
          unit: 'short',
          queries: [q('sum by (node) (rate(fluentd_input_status_num_records_total[$__rate_interval]))', '{{node}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Records sent per second, per output',
          unit: 'short',
          queries: [q('sum by (plugin_id) (rate(fluentd_output_status_emit_records[$__rate_interval]))', '{{plugin_id}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Buffer space left (lowest node)',
          unit: 'percent',
          min: 0,
          max: 100,
          thresholds: warnBelow(...FLUENTD_BUFFER_FREE_STEPS),
          description: 'At 0 the buffer blocks input (overflow_action block): logs back up on the nodes.',
          queries: [q('min by (plugin_id) (fluentd_output_status_buffer_available_space_ratio)', '{{plugin_id}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Buffered bytes',
          unit: 'bytes',
          queries: [q('sum by (node) (fluentd_output_status_buffer_total_bytes)', '{{node}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Queued chunks',
          unit: 'short',
          queries: [q('sum by (node) (fluentd_output_status_buffer_queue_length)', '{{node}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Retries and errors per second',
          unit: 'short',
          queries: [
            q('sum by (plugin_id) (rate(fluentd_output_status_retry_count[$__rate_interval]))', '{{plugin_id}} retries'),
            q('sum by (plugin_id) (rate(fluentd_output_status_num_errors[$__rate_interval]))', '{{plugin_id}} errors'),
          ],
        }),
      ],
    },
    {
      title: 'Elasticsearch cluster',
      panels: [
        statPanel({
          w: 6,
          h: 4,
          title: 'Cluster health',
          mappings: HEALTH_COLOURS,
          thresholds: [
            [null, 'red'],
            [1, 'orange'],
            [2, 'green'],
          ],
          query: q(`max(elasticsearch_cluster_health_status{${c}, color="green"}) * 2 + max(elasticsearch_cluster_health_status{${c}, color="yellow"})`),
        }),
        statPanel({ w: 6, h: 4, title: 'Nodes', unit: 'short', background: false, query: q(`max(elasticsearch_cluster_health_number_of_nodes{${c}})`) }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Unassigned shards',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q(`max(elasticsearch_cluster_health_unassigned_shards{${c}})`),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Relocating or initializing shards',
          unit: 'short',
          thresholds: warnAt(1, 50),
          query: q(`max(elasticsearch_cluster_health_relocating_shards{${c}}) + max(elasticsearch_cluster_health_initializing_shards{${c}})`),
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'JVM heap used',
          unit: 'percentunit',
          max: 1,
          thresholds: warnAt(...ELASTICSEARCH_HEAP_STEPS),
          queries: [
            q(`max by (name) (elasticsearch_jvm_memory_used_bytes{${c}, area="heap"} / elasticsearch_jvm_memory_max_bytes{${c}, area="heap"})`, '{{name}}'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Disk used on data paths',
          unit: 'percentunit',
          max: 1,
          thresholds: warnAt(...ELASTICSEARCH_DISK_STEPS),
          description: `Elasticsearch stops allocating shards at ${percent(ELASTICSEARCH_DISK_LOW_WATERMARK)} (low watermark) and makes indices read-only at ${percent(ELASTICSEARCH_DISK_FLOOD_STAGE)}.`,
          queries: [q(`max by (name) (1 - elasticsearch_filesystem_data_available_bytes{${c}} / elasticsearch_filesystem_data_size_bytes{${c}})`, '{{name}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Time in garbage collection',
          unit: 'percentunit',
          queries: [esq(`sum by (name, gc) (rate(elasticsearch_jvm_gc_collection_seconds_sum{${c}}[$__rate_interval]))`, '{{name}} {{gc}}')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Circuit breaker trips per second',
          unit: 'short',
          thresholds: warnAt(...ELASTICSEARCH_BREAKER_TRIPS_STEPS),
          description: 'A breaker refuses a request that would exhaust the heap: searches or bulk writes fail.',
          queries: [esq(`sum by (name, breaker) (rate(elasticsearch_breakers_tripped{${c}}[$__rate_interval])) > 0`, '{{name}} {{breaker}}')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Fluentd wait before the next retry',
          unit: 's',
          min: 0,
          description: 'Grows with every failed flush (exponential back-off); logs pile up in the buffer meanwhile.',
          queries: [q('max by (node, plugin_id) (fluentd_output_status_retry_wait)', '{{node}} {{plugin_id}}')],
        }),
      ],
    },
    {
      title: 'Elasticsearch indexing and search',
      panels: [
        timeSeries({
          w: 6,
          h: 8,
          title: 'Documents indexed per second',
          unit: 'short',
          queries: [esq(`sum by (name) (rate(elasticsearch_indices_indexing_index_total{${c}}[$__rate_interval]))`, '{{name}}')],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Search latency',
          unit: 's',
          queries: [
            esq(
              `sum by (name) (rate(elasticsearch_indices_search_query_time_seconds{${c}}[$__rate_interval])) / sum by (name) (rate(elasticsearch_indices_search_query_total{${c}}[$__rate_interval]))`,
              '{{name}}',
            ),
          ],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Rejected thread pool tasks per second',
          unit: 'short',
          thresholds: warnAt(...ELASTICSEARCH_REJECTIONS_STEPS),
          queries: [esq(`sum by (name, type) (rate(elasticsearch_thread_pool_rejected_count{${c}}[$__rate_interval])) > 0`, '{{name}} {{type}}')],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Index size per node',
          unit: 'bytes',
          queries: [q(`sum by (name) (elasticsearch_indices_store_size_bytes{${c}})`, '{{name}}')],
        }),
      ],
    },
  ],
});
