/**
 * The metrics Jaeger v2 exposes on :8888 that tracing alerts and dashboards use. Jaeger v2 is an
 * OpenTelemetry collector: pipeline metrics carry the `otelcol_` prefix, and the Elasticsearch
 * writer of its jaeger_storage extension adds `jaeger_storage_bulk_index_*` (labels `name`, the
 * backend's name in jaeger_storage, and `role`, `tracestore`).
 *
 * With the stack's telemetry config (a Prometheus reader given host and port only), the collector
 * adds neither `_total` to counters nor unit suffixes (`_bytes`, `_seconds`): names are as the
 * instruments call them. metrics/sources/jaeger.ts and opentelemetry-collector.ts record where
 * upstream says so.
 */
import { MetricDefinition } from '../lib/metrics/types';

const SOURCE = 'jaeger';

export const TRACING_METRICS: readonly MetricDefinition[] = [
  {
    name: 'otelcol_receiver_accepted_spans',
    type: 'counter',
    unit: 'spans',
    help: 'Spans the OTLP receiver accepted into the pipeline.',
    labels: ['receiver', 'transport'],
    source: SOURCE,
  },
  {
    name: 'otelcol_receiver_refused_spans',
    type: 'counter',
    unit: 'spans',
    help: 'Spans the OTLP receiver refused, mostly because the memory limiter pushed back; the SDK retries, then drops them.',
    labels: ['receiver', 'transport'],
    source: SOURCE,
  },
  {
    name: 'otelcol_exporter_sent_spans',
    type: 'counter',
    unit: 'spans',
    help: 'Spans handed to the storage exporter and written.',
    labels: ['exporter'],
    source: SOURCE,
  },
  {
    name: 'otelcol_exporter_send_failed_spans',
    type: 'counter',
    unit: 'spans',
    help: 'Spans the storage exporter gave up on after its retries: lost.',
    labels: ['exporter'],
    source: SOURCE,
  },
  {
    name: 'otelcol_exporter_enqueue_failed_spans',
    type: 'counter',
    unit: 'spans',
    help: 'Spans dropped because the exporter queue was full: lost.',
    labels: ['exporter'],
    source: SOURCE,
  },
  {
    name: 'otelcol_exporter_queue_size',
    type: 'gauge',
    unit: 'requests',
    help: 'Batches waiting in the exporter queue.',
    labels: ['exporter', 'data_type'],
    source: SOURCE,
  },
  {
    name: 'otelcol_exporter_queue_capacity',
    type: 'gauge',
    unit: 'requests',
    help: 'Capacity of the exporter queue.',
    labels: ['exporter', 'data_type'],
    source: SOURCE,
  },
  {
    name: 'otelcol_process_memory_rss',
    type: 'gauge',
    unit: 'bytes',
    help: 'Resident memory of the Jaeger process.',
    labels: [],
    source: SOURCE,
  },
  {
    name: 'otelcol_process_cpu_seconds',
    type: 'counter',
    unit: 'seconds',
    help: 'CPU time used by the Jaeger process.',
    labels: [],
    source: SOURCE,
  },
  {
    name: 'jaeger_storage_bulk_index_attempts',
    type: 'counter',
    unit: 'documents',
    help: 'Span and service documents Jaeger handed to Elasticsearch in bulk requests.',
    labels: ['name', 'role'],
    source: SOURCE,
  },
  {
    name: 'jaeger_storage_bulk_index_inserts',
    type: 'counter',
    unit: 'documents',
    help: 'Documents of bulk requests that Elasticsearch did not mark failed; the documents of a request that failed as a whole count here too.',
    labels: ['name', 'role'],
    source: SOURCE,
  },
  {
    name: 'jaeger_storage_bulk_index_errors',
    type: 'counter',
    unit: 'documents',
    help: 'Documents an Elasticsearch bulk response marked failed: spans lost. A request that fails as a whole is not counted here (see jaeger_storage_bulk_index_latency_err).',
    labels: ['name', 'role'],
    source: SOURCE,
  },
  {
    name: 'jaeger_storage_bulk_index_latency_err',
    type: 'histogram',
    unit: 'seconds',
    help: 'Duration of bulk requests that failed as a whole (the Elasticsearch client returned an error: unreachable, credentials refused); its _count is the number of such requests. Their spans are lost.',
    labels: ['name', 'role'],
    source: SOURCE,
  },
];
