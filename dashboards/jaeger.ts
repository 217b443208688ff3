import { defineDashboard, q, statPanel, timeSeries, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { EXPORTER_QUEUE_STEPS, SPAN_LOSS_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

/** Jaeger v2 (OpenTelemetry Collector internal telemetry): spans in, spans stored, queues. */
export const jaeger = defineDashboard({
  uid: UIDS.jaeger,
  title: 'Platform / Jaeger',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'jaeger', 'tracing'],
  source: SOURCE,
  description: 'Whether traces get in (receivers), get stored (exporters to the span store) and whether the queues in between keep up.',
  linkTag: DASHBOARD_TAG,
  rows: [
    {
      title: 'Spans',
      panels: [
        statPanel({
          w: 8,
          h: 4,
          title: 'Spans refused or failed to store',
          unit: 'percentunit',
          thresholds: warnAt(...SPAN_LOSS_STEPS),
          query: q(
            '(sum(rate(otelcol_receiver_refused_spans[5m])) + sum(rate(otelcol_exporter_send_failed_spans[5m]))) / sum(rate(otelcol_receiver_accepted_spans[5m]))',
          ),
        }),
        statPanel({
          w: 8,
          h: 4,
          title: 'Spans received per second',
          unit: 'short',
          background: false,
          sparkline: true,
          query: q('sum(rate(otelcol_receiver_accepted_spans[$__rate_interval]))'),
        }),
        statPanel({
          w: 8,
          h: 4,
          title: 'Fullest exporter queue',
          unit: 'percentunit',
          thresholds: warnAt(...EXPORTER_QUEUE_STEPS),
          query: q('max(otelcol_exporter_queue_size / otelcol_exporter_queue_capacity)'),
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Spans received per second, by receiver',
          unit: 'short',
          queries: [
            q('sum by (receiver, transport) (rate(otelcol_receiver_accepted_spans[$__rate_interval]))', '{{receiver}}/{{transport}} accepted'),
            q('sum by (receiver, transport) (rate(otelcol_receiver_refused_spans[$__rate_interval]))', '{{receiver}}/{{transport}} refused'),
          ],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Spans stored per second, by exporter',
          unit: 'short',
          queries: [
            q('sum by (exporter) (rate(otelcol_exporter_sent_spans[$__rate_interval]))', '{{exporter}} sent'),
            q('sum by (exporter) (rate(otelcol_exporter_send_failed_spans[$__rate_interval]))', '{{exporter}} failed'),
          ],
        }),
      ],
    },
    {
      title: 'Resources',
      panels: [
        timeSeries({
          w: 8,
          h: 7,
          title: 'Exporter queue fill',
          unit: 'percentunit',
          max: 1,
          thresholds: warnAt(...EXPORTER_QUEUE_STEPS),
          queries: [q('otelcol_exporter_queue_size / otelcol_exporter_queue_capacity', '{{pod}} {{exporter}}')],
        }),
        timeSeries({ w: 8, h: 7, title: 'Memory (RSS)', unit: 'bytes', queries: [q('otelcol_process_memory_rss', '{{pod}}')] }),
        timeSeries({ w: 8, h: 7, title: 'CPU', unit: 'cores', queries: [q('rate(otelcol_process_cpu_seconds[$__rate_interval])', '{{pod}}')] }),
        timeSeries({
          w: 24,
          h: 7,
          title: 'Elasticsearch bulk indexing, documents per second',
          unit: 'short',
          description: 'Span documents sent to Elasticsearch, indexed, and rejected (lost spans).',
          queries: [
            q('sum(rate(jaeger_storage_bulk_index_attempts[$__rate_interval]))', 'sent'),
            q('sum(rate(jaeger_storage_bulk_index_inserts[$__rate_interval]))', 'indexed'),
            q('sum(rate(jaeger_storage_bulk_index_errors[$__rate_interval]))', 'rejected'),
          ],
        }),
      ],
    },
  ],
});
