import { RuleTestSuite } from '../lib/rules/testing';

const collector = (pod: string) => `job="jaeger-collector", namespace="monitoring", pod="${pod}"`;
const query = (pod: string) => `job="jaeger-query", namespace="monitoring", pod="${pod}"`;
const jobLabels = { namespace: 'monitoring', job: 'jaeger-collector' };
/** Spans accepted and refused per minute by one collector. */
const receiver = (accepted: number, refused: number) => ({
  [`otelcol_receiver_accepted_spans_total{${collector('c-0')}, receiver="otlp", transport="grpc"}`]: `0+${accepted}x40`,
  [`otelcol_receiver_refused_spans_total{${collector('c-0')}, receiver="otlp", transport="grpc"}`]: `0+${refused}x40`,
});
/** Bulk index attempts and errors per minute. */
const bulk = (attempts: number, errors: number) => ({
  [`jaeger_bulk_index_attempts_total{${collector('c-0')}}`]: `0+${attempts}x40`,
  [`jaeger_bulk_index_errors_total{${collector('c-0')}}`]: `0+${errors}x40`,
});
const queue = (size: number) => ({
  [`otelcol_exporter_queue_size{${collector('c-0')}, exporter="jaeger_storage_exporter", data_type="traces"}`]: `${size}x30`,
  [`otelcol_exporter_queue_capacity{${collector('c-0')}, exporter="jaeger_storage_exporter", data_type="traces"}`]: '1000x30',
});

export const suite: RuleTestSuite = {
  source: 'alerts/tracing.ts',
  tests: [
    {
      name: 'one of two collectors and one query instance up: nothing is down',
      series: { [`up{${collector('c-0')}}`]: '0x15', [`up{${collector('c-1')}}`]: '1x15', [`up{${query('q-0')}}`]: '1x15' },
      alerts: [
        { at: '15m', alert: 'JaegerCollectorDown', fires: [] },
        { at: '15m', alert: 'JaegerQueryDown', fires: [] },
      ],
    },
    {
      name: 'no collector up for 5 minutes warns; no query instance for 10 minutes warns',
      series: { [`up{${collector('c-0')}}`]: '1 1 0x15', [`up{${query('q-0')}}`]: '1 1 0x15' },
      alerts: [
        { at: '5m', alert: 'JaegerCollectorDown', fires: [] },
        { at: '9m', alert: 'JaegerCollectorDown', fires: [{ labels: {} }] },
        { at: '9m', alert: 'JaegerQueryDown', fires: [] },
        { at: '14m', alert: 'JaegerQueryDown', fires: [{ labels: {} }] },
      ],
    },
    {
      name: 'the single process of memory-storage environments counts as collector and query',
      series: { 'up{job="jaeger", namespace="monitoring", pod="j-0"}': '1x15' },
      alerts: [
        { at: '15m', alert: 'JaegerCollectorDown', fires: [] },
        { at: '15m', alert: 'JaegerQueryDown', fires: [] },
      ],
    },
    {
      name: '0.5% of spans refused stays quiet',
      series: receiver(995, 5),
      alerts: [{ at: '30m', alert: 'JaegerSpansRefused', fires: [] }],
    },
    {
      name: '2% of spans refused for 10 minutes warns',
      series: receiver(980, 20),
      alerts: [{ at: '30m', alert: 'JaegerSpansRefused', fires: [{ labels: jobLabels, value: 0.02 }] }],
    },
    {
      name: 'spans the exporter gives up on warn; a clean exporter stays quiet',
      series: {
        [`otelcol_exporter_send_failed_spans_total{${collector('c-0')}, exporter="jaeger_storage_exporter"}`]: '0x5 0+10x30',
        [`otelcol_exporter_enqueue_failed_spans_total{${collector('c-0')}, exporter="jaeger_storage_exporter"}`]: '0x35',
      },
      alerts: [
        { at: '4m', alert: 'JaegerSpansDropped', fires: [] },
        { at: '20m', alert: 'JaegerSpansDropped', fires: [{ labels: jobLabels }] },
      ],
    },
    {
      name: 'a storage queue 75% full stays quiet',
      series: queue(750),
      alerts: [{ at: '25m', alert: 'JaegerExporterQueueNearFull', fires: [] }],
    },
    {
      name: 'a storage queue 90% full for 10 minutes warns',
      series: queue(900),
      alerts: [{ at: '25m', alert: 'JaegerExporterQueueNearFull', fires: [{ labels: { ...jobLabels, pod: 'c-0' }, value: 0.9 }] }],
    },
    {
      name: '0.5% of documents failing in Elasticsearch stays quiet',
      series: bulk(1000, 5),
      alerts: [{ at: '30m', alert: 'JaegerStorageWriteFailures', fires: [] }],
    },
    {
      name: '2% of documents failing in Elasticsearch for 10 minutes warns',
      series: bulk(1000, 20),
      alerts: [{ at: '30m', alert: 'JaegerStorageWriteFailures', fires: [{ labels: jobLabels, value: 0.02 }] }],
    },
  ],
};
