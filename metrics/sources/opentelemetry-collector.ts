/**
 * The collector framework's internal telemetry inside Jaeger (the `otelcol_*` families), read from
 * github.com/open-telemetry/opentelemetry-collector at v0.153.0: the version jaeger v2.19.0's
 * go.mod requires (`go.opentelemetry.io/collector/service v0.153.0`).
 *
 * Names carry no `_total` and no unit suffix. The stack configures a Prometheus pull reader
 * (host and port only); the collector fills the unset `without_units`, `without_type_suffix` and
 * `without_scope_info` with true (a fix of v0.152.0), and otelconf turns both suffix flags into the
 * exporter's NoTranslation strategy, which adds no suffix. The series are served by promhttp
 * without OpenMetrics, so Prometheus keeps the names as exposed. test/catalog-sources.test.ts
 * checks that the generated Jaeger configuration leaves those flags unset.
 */
import { SourceFixture } from './types';

const REPO = 'open-telemetry/opentelemetry-collector';
const TAG = 'v0.153.0';
const RECEIVER = 'receiver/receiverhelper/internal/metadata/generated_telemetry.go';
const EXPORTER = 'exporter/exporterhelper/internal/metadata/generated_telemetry.go';
const SERVICE = 'service/internal/metadata/generated_telemetry.go';

export const OTEL_COLLECTOR_SOURCE: SourceFixture = {
  component: 'opentelemetry-collector',
  catalogSources: ['jaeger'],
  repository: REPO,
  tag: TAG,
  pin: {
    kind: 'embedded',
    image: 'jaeger',
    imageTag: '2.19.0',
    imageSource: {
      repository: 'jaegertracing/jaeger',
      tag: 'v2.19.0',
      path: 'go.mod',
      says: 'go.opentelemetry.io/collector/service v0.153.0, go.opentelemetry.io/otel/exporters/prometheus v0.66.0, go.opentelemetry.io/contrib/otelconf v0.23.0',
    },
  },
  naming: [
    {
      repository: REPO,
      tag: TAG,
      path: 'service/telemetry/otelconftelemetry/internal/migration/v0.3.0.go',
      says: 'MetricsConfigV030.Unmarshal applies applyPrometheusDefaults to every configured pull Prometheus reader: WithoutScopeInfo, WithoutUnits, WithoutTypeSuffix default to true',
    },
    { repository: REPO, tag: TAG, path: 'service/telemetry/otelconftelemetry/factory.go', says: 'the implicit default reader has the same three flags true' },
    {
      repository: 'jaegertracing/jaeger',
      tag: 'v2.19.0',
      path: 'cmd/jaeger/internal/telemetry.go',
      says: "WrapFactory keeps otelconftelemetry's CreateMeterProvider; only the tracer provider is replaced",
    },
    {
      repository: 'open-telemetry/opentelemetry-go-contrib',
      tag: 'otelconf/v0.23.0',
      path: 'otelconf/v0.3.0/metric.go',
      says: 'prometheusReaderOpts: without_type_suffix and without_units both true select otlptranslator.NoTranslation; the /metrics handler is promhttp.HandlerFor(reg, HandlerOpts{Registry: reg}), OpenMetrics not enabled',
    },
    {
      repository: 'open-telemetry/opentelemetry-go',
      tag: 'exporters/prometheus/v0.66.0',
      path: 'exporters/prometheus/config.go',
      says: 'newConfig: a strategy that does not add suffixes forces withoutCounterSuffixes and withoutUnits',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'receiver/receiverhelper/internal/obsmetrics.go',
      says: 'receiver metrics carry "receiver" and "transport" (receiverhelper/obsreport.go)',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'exporter/exporterhelper/internal/queue/obs_queue.go',
      says: 'queue size and capacity carry "exporter" and "data_type"; enqueue failures carry "exporter"',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'exporter/exporterhelper/internal/obs_report_sender.go',
      says: 'sent and send-failed counters carry "exporter" (plus error.type/error.permanent on failures at detailed level)',
    },
  ],
  metrics: [
    { name: 'otelcol_receiver_accepted_spans', type: 'counter', labels: ['receiver', 'transport'], file: RECEIVER },
    { name: 'otelcol_receiver_refused_spans', type: 'counter', labels: ['receiver', 'transport'], file: RECEIVER },
    { name: 'otelcol_exporter_sent_spans', type: 'counter', labels: ['exporter'], file: EXPORTER },
    { name: 'otelcol_exporter_send_failed_spans', type: 'counter', labels: ['exporter'], file: EXPORTER },
    { name: 'otelcol_exporter_enqueue_failed_spans', type: 'counter', labels: ['exporter'], file: EXPORTER },
    { name: 'otelcol_exporter_queue_size', type: 'gauge', labels: ['exporter', 'data_type'], file: EXPORTER },
    { name: 'otelcol_exporter_queue_capacity', type: 'gauge', labels: ['exporter', 'data_type'], file: EXPORTER },
    { name: 'otelcol_process_memory_rss', type: 'gauge', labels: [], file: SERVICE },
    { name: 'otelcol_process_cpu_seconds', type: 'counter', labels: [], file: SERVICE },
  ],
};
