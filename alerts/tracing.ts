/**
 * Tracing alerts: Jaeger losing spans on the way in (refused), on the way out (dropped, queue
 * full), in storage (Elasticsearch rejecting writes), or not running at all. None of them pages:
 * trading goes on without traces, but the traces of the incident being investigated may be gone,
 * so they are warnings for the working day.
 *
 * Jobs: `jaeger` is the single process of memory-storage environments; `jaeger-collector` and
 * `jaeger-query` are the two roles when spans live in Elasticsearch.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { percent } from '../lib/core/units';
import { SPAN_LOSS, UTILISATION } from './thresholds';

const SOURCE = moduleSource(__filename);

const COLLECTOR = 'job=~"jaeger|jaeger-collector"';
const QUERY = 'job=~"jaeger|jaeger-query"';

export const tracing: RuleGroup = {
  name: 'tracing',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'JaegerCollectorDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.jaeger,
      expr: `absent(up{${COLLECTOR}} == 1)`,
      for: '5m',
      summary: 'No Jaeger collector is up: spans from every service are being lost',
      description:
        'Prometheus has not scraped a healthy Jaeger collector for 5 minutes. The services keep running, but their SDKs drop the spans they cannot export, so traces of this period are missing.',
      runbook: 'docs/runbooks/jaeger-down.md',
    },
    {
      alert: 'JaegerQueryDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.jaeger,
      expr: `absent(up{${QUERY}} == 1)`,
      for: '10m',
      summary: 'No Jaeger query instance is up: the Jaeger UI and Grafana trace links do not work',
      description:
        'Prometheus has not scraped a healthy Jaeger query instance for 10 minutes. Spans are still stored if the collectors are up; nobody can read them.',
      runbook: 'docs/runbooks/jaeger-down.md',
    },
    {
      alert: 'JaegerSpansRefused',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.jaeger,
      expr: [
        `sum by (namespace, job) (rate(otelcol_receiver_refused_spans{${COLLECTOR}}[5m]))`,
        '/',
        `(sum by (namespace, job) (rate(otelcol_receiver_accepted_spans{${COLLECTOR}}[5m])) + sum by (namespace, job) (rate(otelcol_receiver_refused_spans{${COLLECTOR}}[5m])))`,
        `> ${SPAN_LOSS}`,
      ].join('\n'),
      for: '10m',
      summary: '{{ $labels.job }} refuses {{ $value | humanizePercentage }} of incoming spans',
      description: `The collector has refused more than ${percent(SPAN_LOSS)} of the spans sent to it for 10 minutes, usually because its memory limiter is pushing back. SDKs retry and then drop spans, so traces are incomplete.`,
      runbook: 'docs/runbooks/jaeger-spans-refused.md',
    },
    {
      alert: 'JaegerSpansDropped',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.jaeger,
      expr: [
        `sum by (namespace, job) (rate(otelcol_exporter_send_failed_spans{${COLLECTOR}}[5m])) > 0`,
        'or',
        `sum by (namespace, job) (rate(otelcol_exporter_enqueue_failed_spans{${COLLECTOR}}[5m])) > 0`,
      ].join('\n'),
      for: '5m',
      summary: '{{ $labels.job }} is dropping spans it accepted',
      description:
        'For 5 minutes the collector has been throwing away spans it had accepted: the storage exporter gave up after retrying, or its queue was full. Those spans are lost for good.',
      runbook: 'docs/runbooks/jaeger-spans-dropped.md',
    },
    {
      alert: 'JaegerExporterQueueNearFull',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.jaeger,
      expr: `max by (namespace, job, pod) (otelcol_exporter_queue_size{${COLLECTOR}} / otelcol_exporter_queue_capacity{${COLLECTOR}}) > ${UTILISATION}`,
      for: '10m',
      summary: 'The storage queue of {{ $labels.pod }} is {{ $value | humanizePercentage }} full',
      description:
        'Spans are arriving faster than storage takes them, for 10 minutes. When the queue is full the collector drops spans (JaegerSpansDropped follows).',
      runbook: 'docs/runbooks/jaeger-exporter-queue-full.md',
    },
    {
      alert: 'JaegerStorageWriteFailures',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.jaeger,
      // Documents a bulk response marks failed are counted in _errors; a request that fails as a
      // whole (no response) counts its documents as inserts and shows only in latency_err.
      expr: [
        `(sum by (namespace, job) (rate(jaeger_storage_bulk_index_errors{${COLLECTOR}}[5m]))`,
        '/',
        `sum by (namespace, job) (rate(jaeger_storage_bulk_index_attempts{${COLLECTOR}}[5m])) > ${SPAN_LOSS})`,
        'or',
        `sum by (namespace, job) (rate(jaeger_storage_bulk_index_latency_err_count{${COLLECTOR}}[5m])) > 0`,
      ].join('\n'),
      for: '10m',
      summary: 'Elasticsearch is failing the spans {{ $labels.job }} writes',
      description: `For 10 minutes, more than ${percent(SPAN_LOSS)} of the documents Jaeger sends to Elasticsearch have been rejected (indices read-only, mapping errors, write rejections), or whole bulk requests have failed (Elasticsearch unreachable, credentials refused). Those spans are lost.`,
      runbook: 'docs/runbooks/jaeger-storage-write-failures.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([tracing]);
