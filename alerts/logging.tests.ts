import { RuleTestSuite, selector as sel } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { percent, tidy } from '../lib/core/units';
import {
  ELASTICSEARCH_DISK_HIGH_WATERMARK,
  ELASTICSEARCH_DISK_LOW_WATERMARK,
  ELASTICSEARCH_HEAP,
  FLUENTD_BUFFER_FREE_CRITICAL_PERCENT,
  FLUENTD_BUFFER_FREE_WARNING_PERCENT,
} from './thresholds';

/**
 * The elasticsearch_exporter as the `elasticsearch` scrape job delivers it: the target's labels,
 * and the exporter's `cluster` label renamed `es_cluster`.
 */
const exporter = {
  job: 'elasticsearch',
  instance: '10.0.2.14:9114',
  namespace: 'monitoring',
  service: 'elasticsearch-exporter',
  pod: 'elasticsearch-exporter-6c9f7d8b5-q2xkz',
  container: 'exporter',
  node: 'node-c',
};
const cluster = { ...exporter, es_cluster: 'production-logs' };
/** An Elasticsearch node as the exporter describes it (`--es.all`): name, address and roles. */
const esNode = (i: number) => ({
  ...cluster,
  name: `elasticsearch-${i}`,
  host: `10.0.4.${20 + i}`,
  es_master_node: 'true',
  es_data_node: 'true',
  es_ingest_node: 'true',
  es_client_node: 'false',
});
const dataPath = { mount: '/usr/share/elasticsearch/data (/dev/sdb)', path: '/usr/share/elasticsearch/data' };

/** The exporter's three colour series; each holds 1 while the cluster is that colour. */
const health = (red: string, yellow: string, green: string) => ({
  [sel('elasticsearch_cluster_health_status', { ...cluster, color: 'red' })]: red,
  [sel('elasticsearch_cluster_health_status', { ...cluster, color: 'yellow' })]: yellow,
  [sel('elasticsearch_cluster_health_status', { ...cluster, color: 'green' })]: green,
});
const DISK_BYTES = 100000000000;
/** A data path of a 100 GB disk with the given bytes available. */
const disk = (i: number, available: number) => ({
  [sel('elasticsearch_filesystem_data_available_bytes', { ...esNode(i), ...dataPath })]: `${available}x40`,
  [sel('elasticsearch_filesystem_data_size_bytes', { ...esNode(i), ...dataPath })]: `${DISK_BYTES}x40`,
});
/** Bytes available on that disk when it is `full` full, and how full the alert sees it. */
const availableAt = (full: number) => Math.round((1 - full) * DISK_BYTES);
const fullness = (full: number) => 1 - availableAt(full) / DISK_BYTES;
const lowUnder = tidy(ELASTICSEARCH_DISK_LOW_WATERMARK - 0.001);
const lowOver = tidy(ELASTICSEARCH_DISK_LOW_WATERMARK + 0.001);
const highUnder = tidy(ELASTICSEARCH_DISK_HIGH_WATERMARK - 0.001);
const highOver = tidy(ELASTICSEARCH_DISK_HIGH_WATERMARK + 0.001);
const HEAP_BYTES = 4000000000;
const heapOver = tidy(ELASTICSEARCH_HEAP + 0.01);
const bufferWarns = FLUENTD_BUFFER_FREE_WARNING_PERCENT - 10;
const bufferPages = FLUENTD_BUFFER_FREE_CRITICAL_PERCENT - 5;
const diskLabels = (i: number) => ({ es_cluster: 'production-logs', name: `elasticsearch-${i}`, path: dataPath.path });
/** The exporter's target after its pod is replaced. */
const rescheduled = { instance: '10.0.2.37:9114', pod: 'elasticsearch-exporter-6c9f7d8b5-w8n2v', node: 'node-a' };
/** A node's heap: `used` of a 4 GB heap, and some non-heap memory, which never counts. */
const heap = (i: number, used: number) => ({
  [sel('elasticsearch_jvm_memory_used_bytes', { ...esNode(i), area: 'heap' })]: `${used}x30`,
  [sel('elasticsearch_jvm_memory_max_bytes', { ...esNode(i), area: 'heap' })]: `${HEAP_BYTES}x30`,
  [sel('elasticsearch_jvm_memory_used_bytes', { ...esNode(i), area: 'non-heap' })]: '250000000x30',
});

/** Fluentd as the `fluentd` scrape job delivers it from the DaemonSet pod on a node. */
const fluentd = (node: string, pod: string, ip: string) => ({
  job: 'fluentd',
  instance: `${ip}:24231`,
  namespace: 'monitoring',
  service: 'fluentd',
  pod,
  container: 'fluentd',
  node,
});
const fluentdA = fluentd('node-a', 'fluentd-x7k2p', '10.0.5.11');
const fluentdB = fluentd('node-b', 'fluentd-m4q8z', '10.0.5.12');
const fluentdC = fluentd('node-c', 'fluentd-t9w3d', '10.0.5.13');
/** The Elasticsearch output of the generated fluent.conf, as prometheus_output_monitor labels it. */
const output = { plugin_id: 'out_elasticsearch', type: 'elasticsearch' };
const outputOn = (node: string) => ({ node, plugin_id: 'out_elasticsearch' });

/** kube-state-metrics' kube_node_info: the job keeps the series' own `node` label (honor_labels). */
const ksm = {
  job: 'kube-state-metrics',
  instance: '10.0.1.7:8080',
  namespace: 'monitoring',
  service: 'kube-state-metrics',
  pod: 'kube-state-metrics-5b7c9d6f8-hx2lq',
  container: 'kube-state-metrics',
};
const nodeInfo = (node: string) =>
  sel('kube_node_info', {
    ...ksm,
    node,
    kernel_version: '6.1.0-18-amd64',
    kubelet_version: 'v1.28.6',
    container_runtime_version: 'containerd://1.7.13',
    os_image: 'Debian GNU/Linux 12 (bookworm)',
  });

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'a red cluster pages after 5 minutes',
      series: health('0 1x15', '0x16', '1 0x15'),
      alerts: [
        { at: '5m', alert: 'ElasticsearchClusterRed', fires: [] },
        { at: '6m', alert: 'ElasticsearchClusterRed', fires: [{ labels: { es_cluster: 'production-logs' } }] },
        // Red is not yellow: the yellow warning stays out of it.
        { at: '6m', alert: 'ElasticsearchClusterYellow', fires: [] },
      ],
    },
    {
      name: 'red for 4 minutes while a primary recovers does not page',
      series: health('0 1x4 0x10', '0x5 1x10', '1 0x15'),
      alerts: [{ at: '10m', alert: 'ElasticsearchClusterRed', fires: [] }],
    },
    {
      name: 'a yellow cluster during a 20-minute rolling restart does not alert; yellow for 30 minutes warns',
      series: health('0x60', '1x20 0x5 1x35', '0x20 1x5 0x35'),
      alerts: [
        { at: '20m', alert: 'ElasticsearchClusterYellow', fires: [] },
        // Yellow again from 27m: 29 minutes at 56m, 30 at 57m.
        { at: '56m', alert: 'ElasticsearchClusterYellow', fires: [] },
        { at: '57m', alert: 'ElasticsearchClusterYellow', fires: [{ labels: { es_cluster: 'production-logs' } }] },
        { at: '58m', alert: 'ElasticsearchClusterYellow', fires: [{ labels: { es_cluster: 'production-logs' } }] },
        { at: '58m', alert: 'ElasticsearchClusterRed', fires: [] },
      ],
    },
    {
      // The exporter sends no health series once _cluster/health fails; the last ones (at 1m) stay
      // visible for Prometheus' 5 minute lookback, so the condition holds from 7m and pages at 17m.
      name: 'Elasticsearch unreachable for 10 minutes pages; a running exporter is no ExporterDown',
      series: {
        ...health('0 0', '0 0', '1 1'),
        [sel('up', exporter)]: '1x30',
      },
      alerts: [
        { at: '16m', alert: 'ElasticsearchUnreachable', fires: [] },
        { at: '17m', alert: 'ElasticsearchUnreachable', fires: [{ labels: { job: 'elasticsearch' } }] },
        { at: '30m', alert: 'ElasticsearchExporterDown', fires: [] },
      ],
    },
    {
      name: 'a reachable Elasticsearch stays quiet, whatever its colour',
      series: { ...health('0x10 1x10', '0x20', '1x10 0x10'), [sel('up', exporter)]: '1x20' },
      alerts: [{ at: '20m', alert: 'ElasticsearchUnreachable', fires: [] }],
    },
    {
      name: 'an exporter failing its scrapes for 15 minutes warns',
      series: { [sel('up', exporter)]: '1 1 0x20' },
      alerts: [
        { at: '16m', alert: 'ElasticsearchExporterDown', fires: [] },
        { at: '17m', alert: 'ElasticsearchExporterDown', fires: [{}] },
        // Without the exporter nothing reports Elasticsearch unreachable: that is why ExporterDown exists.
        { at: '17m', alert: 'ElasticsearchUnreachable', fires: [] },
      ],
    },
    {
      name: 'no elasticsearch target at all warns after 15 minutes',
      series: { [sel('up', fluentdA)]: '1x20' },
      alerts: [
        { at: '14m', alert: 'ElasticsearchExporterDown', fires: [] },
        { at: '15m', alert: 'ElasticsearchExporterDown', fires: [{}] },
      ],
    },
    {
      name: `disks ${percent(lowUnder)} full stay quiet`,
      series: { ...disk(0, availableAt(lowUnder)), ...disk(1, 60000000000) },
      alerts: [
        { at: '35m', alert: 'ElasticsearchDiskAboveLowWatermark', fires: [] },
        { at: '35m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [] },
      ],
    },
    {
      name: `a disk ${percent(lowOver)} full for 30 minutes warns and does not page`,
      series: { ...disk(0, availableAt(lowOver)), ...disk(1, 60000000000) },
      alerts: [
        { at: '29m', alert: 'ElasticsearchDiskAboveLowWatermark', fires: [] },
        { at: '30m', alert: 'ElasticsearchDiskAboveLowWatermark', fires: [{ labels: diskLabels(0), value: fullness(lowOver) }] },
        { at: '30m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [] },
      ],
    },
    {
      name: 'a disk above the low watermark keeps its 30 minutes when the exporter pod is replaced',
      series: {
        [sel('elasticsearch_filesystem_data_available_bytes', { ...esNode(0), ...dataPath })]: '14000000000x15 stale',
        [sel('elasticsearch_filesystem_data_size_bytes', { ...esNode(0), ...dataPath })]: '100000000000x15 stale',
        [sel('elasticsearch_filesystem_data_available_bytes', { ...esNode(0), ...dataPath, ...rescheduled })]: '_x16 14000000000x24',
        [sel('elasticsearch_filesystem_data_size_bytes', { ...esNode(0), ...dataPath, ...rescheduled })]: '_x16 100000000000x24',
      },
      alerts: [{ at: '30m', alert: 'ElasticsearchDiskAboveLowWatermark', fires: [{ labels: diskLabels(0), value: 1 - 14000000000 / 100000000000 }] }],
    },
    {
      name: `a disk ${percent(highUnder)} full stays below the high watermark`,
      series: disk(2, availableAt(highUnder)),
      alerts: [
        { at: '35m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [] },
        { at: '35m', alert: 'ElasticsearchDiskAboveLowWatermark', fires: [{ labels: diskLabels(2), value: fullness(highUnder) }] },
      ],
    },
    {
      name: `a disk ${percent(highOver)} full for 5 minutes pages`,
      series: { ...disk(0, 20000000000), ...disk(2, availableAt(highOver)) },
      alerts: [
        { at: '4m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [] },
        { at: '5m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [{ labels: diskLabels(2), value: fullness(highOver) }] },
      ],
    },
    {
      name: `a heap ${percent(ELASTICSEARCH_HEAP)} used stays quiet`,
      series: { ...heap(0, Math.round(ELASTICSEARCH_HEAP * HEAP_BYTES)), ...heap(1, 2000000000) },
      alerts: [{ at: '20m', alert: 'ElasticsearchJvmHeapPressure', fires: [] }],
    },
    {
      name: `a heap ${percent(heapOver)} used for 15 minutes warns`,
      series: { ...heap(0, 2000000000), ...heap(1, Math.round(heapOver * HEAP_BYTES)) },
      alerts: [
        { at: '14m', alert: 'ElasticsearchJvmHeapPressure', fires: [] },
        {
          at: '15m',
          alert: 'ElasticsearchJvmHeapPressure',
          fires: [{ labels: { es_cluster: 'production-logs', name: 'elasticsearch-1' }, value: Math.round(heapOver * HEAP_BYTES) / HEAP_BYTES }],
        },
      ],
    },
    {
      name: `a buffer at ${bufferWarns}% free warns, at ${bufferPages}% free pages`,
      series: {
        [sel('fluentd_output_status_buffer_available_space_ratio', { ...fluentdA, ...output })]: `100 ${bufferWarns}x20 ${bufferPages}x10`,
        [sel('fluentd_output_status_buffer_available_space_ratio', { ...fluentdB, ...output })]: '100x31',
      },
      alerts: [
        { at: '15m', alert: 'FluentdBufferFilling', fires: [{ labels: outputOn('node-a'), value: bufferWarns }] },
        { at: '15m', alert: 'FluentdBufferNearlyFull', fires: [] },
        // Nearly full from 22m: 4 minutes at 26m, 5 at 27m.
        { at: '26m', alert: 'FluentdBufferNearlyFull', fires: [] },
        { at: '27m', alert: 'FluentdBufferNearlyFull', fires: [{ labels: outputOn('node-a'), value: bufferPages }] },
        { at: '28m', alert: 'FluentdBufferNearlyFull', fires: [{ labels: outputOn('node-a'), value: bufferPages }] },
      ],
    },
    {
      name: `a buffer ${FLUENTD_BUFFER_FREE_WARNING_PERCENT}% free stays quiet; ${FLUENTD_BUFFER_FREE_WARNING_PERCENT - 1}% free for 10 minutes warns`,
      series: {
        [sel('fluentd_output_status_buffer_available_space_ratio', { ...fluentdA, ...output })]: `${FLUENTD_BUFFER_FREE_WARNING_PERCENT}x20`,
        [sel('fluentd_output_status_buffer_available_space_ratio', { ...fluentdB, ...output })]: `${FLUENTD_BUFFER_FREE_WARNING_PERCENT - 1}x20`,
      },
      alerts: [
        { at: '9m', alert: 'FluentdBufferFilling', fires: [] },
        { at: '10m', alert: 'FluentdBufferFilling', fires: [{ labels: outputOn('node-b'), value: FLUENTD_BUFFER_FREE_WARNING_PERCENT - 1 }] },
      ],
    },
    {
      name: `a buffer ${FLUENTD_BUFFER_FREE_CRITICAL_PERCENT}% free does not page; ${FLUENTD_BUFFER_FREE_CRITICAL_PERCENT - 1}% free for 5 minutes pages`,
      series: {
        [sel('fluentd_output_status_buffer_available_space_ratio', { ...fluentdA, ...output })]: `${FLUENTD_BUFFER_FREE_CRITICAL_PERCENT}x20`,
        [sel('fluentd_output_status_buffer_available_space_ratio', { ...fluentdB, ...output })]: `${FLUENTD_BUFFER_FREE_CRITICAL_PERCENT - 1}x20`,
      },
      alerts: [
        { at: '4m', alert: 'FluentdBufferNearlyFull', fires: [] },
        { at: '5m', alert: 'FluentdBufferNearlyFull', fires: [{ labels: outputOn('node-b'), value: FLUENTD_BUFFER_FREE_CRITICAL_PERCENT - 1 }] },
      ],
    },
    {
      name: 'sends retried every minute for 15 minutes warn',
      series: {
        [sel('fluentd_output_status_retry_count', { ...fluentdA, ...output })]: '0+3x30',
        [sel('fluentd_output_status_retry_count', { ...fluentdB, ...output })]: '0x30',
      },
      alerts: [
        { at: '15m', alert: 'FluentdOutputRetrying', fires: [] },
        { at: '16m', alert: 'FluentdOutputRetrying', fires: [{ labels: outputOn('node-a') }] },
      ],
    },
    {
      name: 'the retry warning ends 5 minutes after the last retry',
      series: { [sel('fluentd_output_status_retry_count', { ...fluentdA, ...output })]: '0+3x20 60x20' },
      alerts: [
        { at: '24m', alert: 'FluentdOutputRetrying', fires: [{ labels: outputOn('node-a') }] },
        { at: '25m', alert: 'FluentdOutputRetrying', fires: [] },
      ],
    },
    {
      // Retries from 10m to 17m; sends have worked again for 9 minutes at 26m.
      name: 'a 7-minute burst of retries that is over stays quiet',
      series: { [sel('fluentd_output_status_retry_count', { ...fluentdA, ...output })]: '0x10 1 2 3 4 5 6 7 7x30' },
      alerts: [
        { at: '17m', alert: 'FluentdOutputRetrying', fires: [] },
        { at: '24m', alert: 'FluentdOutputRetrying', fires: [] },
        { at: '26m', alert: 'FluentdOutputRetrying', fires: [] },
      ],
    },
    {
      name: 'flushes failing every minute for 15 minutes warn, with the count of the last 5 minutes',
      series: {
        // Two failed flushes a minute from 6m.
        [sel('fluentd_output_status_num_errors', { ...fluentdA, ...output })]: '0x5 2+2x30',
        [sel('fluentd_output_status_num_errors', { ...fluentdB, ...output })]: '0x35',
      },
      alerts: [
        { at: '20m', alert: 'FluentdOutputErrors', fires: [] },
        { at: '21m', alert: 'FluentdOutputErrors', fires: [{ labels: outputOn('node-a'), value: 10 }] },
      ],
    },
    {
      name: 'a 7-minute spell of failed flushes that is over stays quiet',
      series: { [sel('fluentd_output_status_num_errors', { ...fluentdA, ...output })]: '0x10 1 2 3 4 5 6 7 7x30' },
      alerts: [{ at: '26m', alert: 'FluentdOutputErrors', fires: [] }],
    },
    {
      name: 'no failed flush stays quiet',
      series: { [sel('fluentd_output_status_num_errors', { ...fluentdA, ...output })]: '3x30' },
      alerts: [{ at: '25m', alert: 'FluentdOutputErrors', fires: [] }],
    },
    {
      name: 'a node without a running Fluentd warns; one with it does not',
      series: {
        [nodeInfo('node-a')]: '1x30',
        [nodeInfo('node-b')]: '1x30',
        [sel('up', fluentdA)]: '1x30',
        [sel('up', fluentdB)]: '0x30',
      },
      alerts: [{ at: '20m', alert: 'FluentdNotRunningOnNode', fires: [{ labels: { node: 'node-b' } }] }],
    },
    {
      name: 'a node where no Fluentd pod was ever scheduled warns',
      series: {
        [nodeInfo('node-a')]: '1x30',
        [nodeInfo('node-c')]: '1x30',
        [sel('up', fluentdA)]: '1x30',
      },
      alerts: [
        { at: '14m', alert: 'FluentdNotRunningOnNode', fires: [] },
        { at: '15m', alert: 'FluentdNotRunningOnNode', fires: [{ labels: { node: 'node-c' } }] },
      ],
    },
    {
      name: 'a Fluentd pod down for 14 minutes while it is replaced stays quiet',
      series: {
        [nodeInfo('node-a')]: '1x30',
        [nodeInfo('node-c')]: '1x30',
        [sel('up', fluentdA)]: '1x30',
        [sel('up', fluentdC)]: '1 0x14 1x15',
      },
      alerts: [
        { at: '14m', alert: 'FluentdNotRunningOnNode', fires: [] },
        { at: '15m', alert: 'FluentdNotRunningOnNode', fires: [] },
      ],
    },
    {
      name: 'a node reading no log line for an hour warns',
      series: {
        [sel('fluentd_input_status_num_records_total', fluentdA)]: '0+100x90',
        // The last line is read at 10m.
        [sel('fluentd_input_status_num_records_total', fluentdB)]: '0+100x10 1000x80',
      },
      alerts: [
        { at: '69m', alert: 'FluentdNoLogsFromNode', fires: [] },
        { at: '70m', alert: 'FluentdNoLogsFromNode', fires: [{ labels: { node: 'node-b' } }] },
        { at: '90m', alert: 'FluentdNoLogsFromNode', fires: [{ labels: { node: 'node-b' } }] },
      ],
    },
    {
      name: 'a quiet node reading one line every 10 minutes stays quiet',
      series: { [sel('fluentd_input_status_num_records_total', fluentdA)]: Array.from({ length: 91 }, (_, i) => Math.floor(i / 10)).join(' ') },
      alerts: [{ at: '90m', alert: 'FluentdNoLogsFromNode', fires: [] }],
    },
  ],
};
