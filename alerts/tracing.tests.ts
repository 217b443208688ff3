import { RuleTestSuite, selector as sel } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { percent } from '../lib/core/units';
import { SPAN_LOSS, UTILISATION } from './thresholds';

/**
 * Jaeger's processes as their scrape jobs deliver them (port 8888): `jaeger-collector` and
 * `jaeger-query` where spans live in Elasticsearch, `jaeger` for the single local process, which
 * is scraped through the collector Service.
 */
const target = (job: string, service: string, pod: string, ip: string, node: string) => ({
  job,
  instance: `${ip}:8888`,
  namespace: 'monitoring',
  service,
  pod,
  container: 'jaeger',
  node,
});
const collectorA = target('jaeger-collector', 'jaeger-collector', 'jaeger-collector-7f6d9c8b4-2xq9m', '10.0.6.21', 'node-a');
const collectorB = target('jaeger-collector', 'jaeger-collector', 'jaeger-collector-7f6d9c8b4-k8r4t', '10.0.6.22', 'node-b');
const query = target('jaeger-query', 'jaeger-query', 'jaeger-query-5c8b7d6f9-w2n7p', '10.0.6.31', 'node-a');
const allInOne = target('jaeger', 'jaeger-collector', 'jaeger-6b9f8c7d5-p4m2x', '10.0.6.11', 'node-a');
const collectorJob = { namespace: 'monitoring', job: 'jaeger-collector' };
const storageExporter = { exporter: 'jaeger_storage_exporter' };

/** Spans per minute the OTLP receiver of one collector accepts and refuses. */
const received = (collector: Record<string, string>, transport: string, acceptedPerMinute: number, refusedPerMinute: number) => ({
  [sel('otelcol_receiver_accepted_spans', { ...collector, receiver: 'otlp', transport })]: `0+${acceptedPerMinute}x30`,
  [sel('otelcol_receiver_refused_spans', { ...collector, receiver: 'otlp', transport })]: `0+${refusedPerMinute}x30`,
});
/** Spans the storage exporter gave up on, and spans its full queue turned away. */
const lost = (sendFailed: string, enqueueFailed: string) => ({
  [sel('otelcol_exporter_send_failed_spans', { ...collectorA, ...storageExporter })]: sendFailed,
  [sel('otelcol_exporter_enqueue_failed_spans', { ...collectorA, ...storageExporter })]: enqueueFailed,
});
/** Batches waiting in a collector's storage queue of 200. */
const QUEUE_CAPACITY = 200;
const queueAt = Math.round(UTILISATION * QUEUE_CAPACITY);
/** Spans or documents per minute over two collectors, and a hundredth of the threshold either side of it. */
const SPANS = 10000;
const lossUnder = Math.round(SPAN_LOSS * SPANS) - 1;
const lossOver = Math.round(SPAN_LOSS * SPANS) + 1;
const queue = (collector: Record<string, string>, size: number) => ({
  [sel('otelcol_exporter_queue_size', { ...collector, ...storageExporter, data_type: 'traces' })]: `${size}x20`,
  [sel('otelcol_exporter_queue_capacity', { ...collector, ...storageExporter, data_type: 'traces' })]: `${QUEUE_CAPACITY}x20`,
});
/** The labels the jaeger_storage extension gives its trace backend's metrics: backend name and role. */
const traceStore = { name: 'traces', role: 'tracestore' };
/** Documents per minute one collector sends to Elasticsearch, and those that fail. */
const writes = (collector: Record<string, string>, attemptsPerMinute: number, errorsPerMinute: number) => ({
  [sel('jaeger_storage_bulk_index_attempts', { ...collector, ...traceStore })]: `0+${attemptsPerMinute}x30`,
  [sel('jaeger_storage_bulk_index_errors', { ...collector, ...traceStore })]: `0+${errorsPerMinute}x30`,
});

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'no collector up for 5 minutes warns',
      series: { [sel('up', collectorA)]: '1 1 0x10', [sel('up', query)]: '1x12' },
      alerts: [
        { at: '6m', alert: 'JaegerCollectorDown', fires: [] },
        { at: '7m', alert: 'JaegerCollectorDown', fires: [{}] },
        { at: '9m', alert: 'JaegerCollectorDown', fires: [{}] },
        { at: '9m', alert: 'JaegerQueryDown', fires: [] },
      ],
    },
    {
      name: 'one collector of two down stays quiet',
      series: { [sel('up', collectorA)]: '0x10', [sel('up', collectorB)]: '1x10' },
      alerts: [{ at: '10m', alert: 'JaegerCollectorDown', fires: [] }],
    },
    {
      name: 'the local single process down warns as collector and as query',
      series: { [sel('up', allInOne)]: '0x15' },
      alerts: [
        { at: '15m', alert: 'JaegerCollectorDown', fires: [{}] },
        { at: '15m', alert: 'JaegerQueryDown', fires: [{}] },
      ],
    },
    {
      name: 'the local single process up counts as collector and as query',
      series: { [sel('up', allInOne)]: '1x15' },
      alerts: [
        { at: '15m', alert: 'JaegerCollectorDown', fires: [] },
        { at: '15m', alert: 'JaegerQueryDown', fires: [] },
      ],
    },
    {
      name: 'the query instance down for 9 minutes stays quiet; 10 minutes warns',
      series: { [sel('up', query)]: '1 0x15', [sel('up', collectorA)]: '1x16' },
      alerts: [
        { at: '10m', alert: 'JaegerQueryDown', fires: [] },
        { at: '11m', alert: 'JaegerQueryDown', fires: [{}] },
        { at: '11m', alert: 'JaegerCollectorDown', fires: [] },
      ],
    },
    {
      name: '2% of spans refused warns',
      series: received(collectorA, 'grpc', 600, 12),
      alerts: [{ at: '25m', alert: 'JaegerSpansRefused', fires: [{ labels: collectorJob, value: 12 / 612 }] }],
    },
    {
      name: '0.5% of spans refused stays quiet',
      series: received(collectorA, 'grpc', 600, 3),
      alerts: [{ at: '25m', alert: 'JaegerSpansRefused', fires: [] }],
    },
    {
      name: `${percent(lossUnder / SPANS)} of spans refused, over two collectors and both transports, stays quiet`,
      series: { ...received(collectorA, 'grpc', SPANS / 2 - 50, 50), ...received(collectorB, 'http', SPANS / 2 - (lossUnder - 50), lossUnder - 50) },
      alerts: [{ at: '25m', alert: 'JaegerSpansRefused', fires: [] }],
    },
    {
      name: `${percent(lossOver / SPANS)} of spans refused, over two collectors and both transports, warns after 10 minutes`,
      series: { ...received(collectorA, 'grpc', SPANS / 2 - (lossOver - 50), lossOver - 50), ...received(collectorB, 'http', SPANS / 2 - 50, 50) },
      alerts: [
        { at: '10m', alert: 'JaegerSpansRefused', fires: [] },
        { at: '25m', alert: 'JaegerSpansRefused', fires: [{ labels: collectorJob, value: lossOver / SPANS }] },
      ],
    },
    {
      name: 'spans the storage exporter gives up on warn',
      series: lost('0+60x20', '0x20'),
      alerts: [{ at: '15m', alert: 'JaegerSpansDropped', fires: [{ labels: collectorJob }] }],
    },
    {
      name: 'spans a full queue turns away warn',
      series: lost('0x20', '0+60x20'),
      alerts: [{ at: '15m', alert: 'JaegerSpansDropped', fires: [{ labels: collectorJob }] }],
    },
    {
      name: 'no span lost stays quiet',
      series: lost('0x20', '0x20'),
      alerts: [{ at: '15m', alert: 'JaegerSpansDropped', fires: [] }],
    },
    {
      name: 'a single lost span does not warn',
      series: lost('0x10 1x10', '0x20'),
      alerts: [
        { at: '13m', alert: 'JaegerSpansDropped', fires: [] },
        { at: '14m', alert: 'JaegerSpansDropped', fires: [] },
        { at: '16m', alert: 'JaegerSpansDropped', fires: [] },
      ],
    },
    {
      name: 'a storage queue 90% full for 10 minutes warns',
      series: queue(collectorA, 180),
      alerts: [
        { at: '5m', alert: 'JaegerExporterQueueNearFull', fires: [] },
        { at: '15m', alert: 'JaegerExporterQueueNearFull', fires: [{ labels: { ...collectorJob, pod: collectorA.pod }, value: 180 / QUEUE_CAPACITY }] },
      ],
    },
    {
      name: 'a storage queue 75% full stays quiet',
      series: queue(collectorA, 150),
      alerts: [{ at: '15m', alert: 'JaegerExporterQueueNearFull', fires: [] }],
    },
    {
      name: `a storage queue ${percent(queueAt / QUEUE_CAPACITY)} full stays quiet; ${percent((queueAt + 2) / QUEUE_CAPACITY)} full warns after 10 minutes`,
      series: { ...queue(collectorA, queueAt), ...queue(collectorB, queueAt + 2) },
      alerts: [
        { at: '9m', alert: 'JaegerExporterQueueNearFull', fires: [] },
        {
          at: '10m',
          alert: 'JaegerExporterQueueNearFull',
          fires: [{ labels: { ...collectorJob, pod: collectorB.pod }, value: (queueAt + 2) / QUEUE_CAPACITY }],
        },
      ],
    },
    {
      name: '2% of documents failing in Elasticsearch warns',
      series: writes(collectorA, 600, 12),
      alerts: [{ at: '25m', alert: 'JaegerStorageWriteFailures', fires: [{ labels: collectorJob, value: 12 / 600 }] }],
    },
    {
      name: 'whole bulk requests failing (no document marked failed) warns after 10 minutes',
      series: {
        ...writes(collectorA, 600, 0),
        [sel('jaeger_storage_bulk_index_latency_err_count', { ...collectorA, ...traceStore })]: '0+2x30',
      },
      alerts: [
        { at: '10m', alert: 'JaegerStorageWriteFailures', fires: [] },
        { at: '25m', alert: 'JaegerStorageWriteFailures', fires: [{ labels: collectorJob }] },
      ],
    },
    {
      name: 'one failed bulk request stays quiet',
      series: {
        ...writes(collectorA, 600, 0),
        [sel('jaeger_storage_bulk_index_latency_err_count', { ...collectorA, ...traceStore })]: '0 0 0 1x27',
      },
      alerts: [
        { at: '6m', alert: 'JaegerStorageWriteFailures', fires: [] },
        { at: '15m', alert: 'JaegerStorageWriteFailures', fires: [] },
      ],
    },
    {
      name: '0.5% of documents failing stays quiet',
      series: writes(collectorA, 600, 3),
      alerts: [{ at: '25m', alert: 'JaegerStorageWriteFailures', fires: [] }],
    },
    {
      name: `${percent(lossUnder / SPANS)} of documents failing, over two collectors, stays quiet`,
      series: { ...writes(collectorA, SPANS / 2, 50), ...writes(collectorB, SPANS / 2, lossUnder - 50) },
      alerts: [{ at: '25m', alert: 'JaegerStorageWriteFailures', fires: [] }],
    },
    {
      name: `${percent(lossOver / SPANS)} of documents failing, over two collectors, warns after 10 minutes`,
      series: { ...writes(collectorA, SPANS / 2, lossOver - 50), ...writes(collectorB, SPANS / 2, 50) },
      alerts: [
        { at: '10m', alert: 'JaegerStorageWriteFailures', fires: [] },
        { at: '25m', alert: 'JaegerStorageWriteFailures', fires: [{ labels: collectorJob, value: lossOver / SPANS }] },
      ],
    },
  ],
};
