/**
 * Jaeger's own metrics (outside the collector framework): the Elasticsearch bulk writer of the
 * jaeger_storage extension. Read from github.com/jaegertracing/jaeger at v2.19.0.
 *
 * The name is built in four steps: the extension starts every storage metric factory at namespace
 * `jaeger`; the trace backend adds namespace `storage` with tags `name` (the backend's name in
 * jaeger_storage) and `role` (`tracestore`); the Elasticsearch client adds `bulk_index`; the
 * write-metrics struct names the counters `attempts`, `inserts`, `errors`. Jaeger's OTel factory
 * joins scopes with `.` and turns `.` and `-` into `_`. Whether `_total` follows is the collector
 * telemetry's business: see opentelemetry-collector.ts (it does not, with the stack's config).
 */
import { SourceFixture } from './types';

const REPO = 'jaegertracing/jaeger';
const TAG = 'v2.19.0';
const WRITE_METRICS = 'internal/storage/v1/api/spanstore/spanstoremetrics/write_metrics.go';
const BULK = ['name', 'role'];

export const JAEGER_SOURCE: SourceFixture = {
  component: 'jaeger',
  catalogSources: ['jaeger'],
  repository: REPO,
  tag: TAG,
  pin: { kind: 'image', image: 'jaeger', imageTag: '2.19.0' },
  naming: [
    {
      repository: REPO,
      tag: TAG,
      path: 'cmd/jaeger/internal/extension/jaegerstorage/extension.go',
      says: 'Start(): telset.Metrics = otelmetrics.NewFactory(MeterProvider).Namespace({Name: "jaeger"})',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'cmd/internal/storageconfig/factory.go',
      says: 'CreateTraceStorageFactory: Namespace({Name: "storage", Tags: {"name": <backend name>, "role": "tracestore"}}) before es.NewFactory',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'internal/storage/elasticsearch/config/config.go',
      says: 'NewClient: bulkCallback{sm: spanstoremetrics.NewWriter(metricsFactory, "bulk_index")}; invoke() records LatencyErr when the client returns an error, LatencyOk otherwise, then adds len(requests) to Attempts, len(requests) minus len(response.Failed()) to Inserts and len(response.Failed()) to Errors, failed being 0 when there is no response',
    },
    {
      repository: REPO,
      tag: TAG,
      path: WRITE_METRICS,
      says: 'WriteMetrics{Attempts `metric:"attempts"`, Inserts `metric:"inserts"`, Errors `metric:"errors"` (Counters), LatencyOk/LatencyErr (Timers)}; NewWriter namespaces the factory with the table name and no tags',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'internal/metrics/otelmetrics/factory.go',
      says: 'scopes joined with "."; names normalised by replacing " ", ".", "-" with "_"; Counter() is an OTel Int64Counter and Timer() a Float64Histogram with unit "s", both carrying the merged namespace tags as attributes',
    },
  ],
  metrics: [
    { name: 'jaeger_storage_bulk_index_attempts', type: 'counter', labels: BULK, file: WRITE_METRICS },
    { name: 'jaeger_storage_bulk_index_inserts', type: 'counter', labels: BULK, file: WRITE_METRICS },
    { name: 'jaeger_storage_bulk_index_errors', type: 'counter', labels: BULK, file: WRITE_METRICS },
    // A Timer is an OTel Float64Histogram of unit "s"; the stack's telemetry adds no _seconds suffix.
    { name: 'jaeger_storage_bulk_index_latency_err', type: 'histogram', labels: BULK, file: WRITE_METRICS },
  ],
};
