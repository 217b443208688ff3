import { RuleTestSuite } from '../lib/rules/testing';

const es = 'job="elasticsearch", namespace="monitoring", es_cluster="production-logs"';
const node = (n: string) => `${es}, name="${n}", host="10.0.1.${n.slice(-1)}", mount="/usr/share/elasticsearch/data", path="/usr/share/elasticsearch/data"`;
const disk = (n: string, availableGi: number) => ({
  [`elasticsearch_filesystem_data_available_bytes{${node(n)}}`]: `${availableGi * 2 ** 30}x40`,
  [`elasticsearch_filesystem_data_size_bytes{${node(n)}}`]: `${100 * 2 ** 30}x40`,
});
const output = (n: string) => `job="fluentd", namespace="monitoring", node="${n}", plugin_id="out_elasticsearch", type="elasticsearch"`;

export const suite: RuleTestSuite = {
  source: 'alerts/logging.ts',
  tests: [
    {
      name: 'a red cluster pages after 5 minutes; a green one stays quiet',
      series: {
        [`elasticsearch_cluster_health_status{${es}, color="red"}`]: '0 1x15',
        [`elasticsearch_cluster_health_status{${es}, color="green"}`]: '1 0x15',
      },
      alerts: [
        { at: '4m', alert: 'ElasticsearchClusterRed', fires: [] },
        { at: '7m', alert: 'ElasticsearchClusterRed', fires: [{ labels: { es_cluster: 'production-logs' } }] },
      ],
    },
    {
      name: 'yellow through a 20-minute rolling restart stays quiet; 35 minutes of yellow warn',
      series: { [`elasticsearch_cluster_health_status{${es}, color="yellow"}`]: '1x20 0x5 1x35' },
      alerts: [
        { at: '20m', alert: 'ElasticsearchClusterYellow', fires: [] },
        { at: '55m', alert: 'ElasticsearchClusterYellow', fires: [] },
        { at: '58m', alert: 'ElasticsearchClusterYellow', fires: [{ labels: { es_cluster: 'production-logs' } }] },
      ],
    },
    {
      name: 'Elasticsearch unreachable for 10 minutes pages; the running exporter is no ExporterDown',
      series: {
        'elasticsearch_cluster_health_up{job="elasticsearch", pod="elasticsearch-exporter-1"}': '1 0x20',
        'up{job="elasticsearch", pod="elasticsearch-exporter-1"}': '1x20',
      },
      alerts: [
        { at: '8m', alert: 'ElasticsearchUnreachable', fires: [] },
        { at: '12m', alert: 'ElasticsearchUnreachable', fires: [{ labels: { job: 'elasticsearch' } }] },
        { at: '20m', alert: 'ElasticsearchExporterDown', fires: [] },
      ],
    },
    {
      name: 'an exporter that no scrape reaches for 15 minutes warns',
      series: { 'up{job="elasticsearch", pod="elasticsearch-exporter-1"}': '1 0x20' },
      alerts: [
        { at: '10m', alert: 'ElasticsearchExporterDown', fires: [] },
        { at: '18m', alert: 'ElasticsearchExporterDown', fires: [{ labels: {} }] },
      ],
    },
    {
      name: 'a disk 80% full stays quiet; 88% full passes the low watermark; 95% full the high one',
      series: { ...disk('es-0', 20), ...disk('es-1', 12), ...disk('es-2', 5) },
      alerts: [
        {
          at: '35m',
          alert: 'ElasticsearchDiskAboveLowWatermark',
          fires: [
            { labels: { ...labelsOf('es-1') }, value: 0.88 },
            { labels: { ...labelsOf('es-2') }, value: 0.95 },
          ],
        },
        { at: '35m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [{ labels: { ...labelsOf('es-2') }, value: 0.95 }] },
      ],
    },
    {
      name: 'a disk 80% full stays under both watermarks',
      series: disk('es-0', 20),
      alerts: [
        { at: '35m', alert: 'ElasticsearchDiskAboveLowWatermark', fires: [] },
        { at: '35m', alert: 'ElasticsearchDiskAboveHighWatermark', fires: [] },
      ],
    },
    {
      name: 'a heap 90% used for 15 minutes warns; 70% stays quiet',
      series: {
        [`elasticsearch_jvm_memory_used_bytes{${node('es-0')}, area="heap"}`]: '2800x20',
        [`elasticsearch_jvm_memory_max_bytes{${node('es-0')}, area="heap"}`]: '4000x20',
        [`elasticsearch_jvm_memory_used_bytes{${node('es-1')}, area="heap"}`]: '3600x20',
        [`elasticsearch_jvm_memory_max_bytes{${node('es-1')}, area="heap"}`]: '4000x20',
      },
      alerts: [
        { at: '10m', alert: 'ElasticsearchJvmHeapPressure', fires: [] },
        { at: '18m', alert: 'ElasticsearchJvmHeapPressure', fires: [{ labels: { es_cluster: 'production-logs', name: 'es-1' }, value: 0.9 }] },
      ],
    },
    {
      name: 'a buffer 40% free warns and 5% free pages; a buffer 100% free stays quiet',
      series: {
        [`fluentd_output_status_buffer_available_space_ratio{${output('node-a')}}`]: '100 40x20 5x10',
        [`fluentd_output_status_buffer_available_space_ratio{${output('node-b')}}`]: '100x31',
      },
      alerts: [
        { at: '5m', alert: 'FluentdBufferFilling', fires: [] },
        { at: '15m', alert: 'FluentdBufferFilling', fires: [{ labels: { node: 'node-a', plugin_id: 'out_elasticsearch' }, value: 40 }] },
        { at: '15m', alert: 'FluentdBufferNearlyFull', fires: [] },
        { at: '28m', alert: 'FluentdBufferNearlyFull', fires: [{ labels: { node: 'node-a', plugin_id: 'out_elasticsearch' }, value: 5 }] },
      ],
    },
    {
      name: 'an output retrying and failing for 15 minutes warns; a clean output stays quiet',
      series: {
        [`fluentd_output_status_retry_count{${output('node-a')}}`]: '0+2x40',
        [`fluentd_output_status_num_errors{${output('node-a')}}`]: '0+2x40',
        [`fluentd_output_status_retry_count{${output('node-b')}}`]: '0x40',
        [`fluentd_output_status_num_errors{${output('node-b')}}`]: '0x40',
      },
      alerts: [
        { at: '10m', alert: 'FluentdOutputRetrying', fires: [] },
        { at: '30m', alert: 'FluentdOutputRetrying', fires: [{ labels: { node: 'node-a', plugin_id: 'out_elasticsearch' }, value: 20 }] },
        { at: '10m', alert: 'FluentdOutputErrors', fires: [] },
        { at: '30m', alert: 'FluentdOutputErrors', fires: [{ labels: { node: 'node-a', plugin_id: 'out_elasticsearch' }, value: 20 }] },
      ],
    },
    {
      name: 'a node without a running Fluentd warns; a node with one stays quiet',
      series: {
        'kube_node_info{job="kube-state-metrics", node="node-a"}': '1x30',
        'kube_node_info{job="kube-state-metrics", node="node-b"}': '1x30',
        'up{job="fluentd", node="node-a", pod="fluentd-abc"}': '1x30',
        'up{job="fluentd", node="node-b", pod="fluentd-def"}': '0x30',
      },
      alerts: [
        { at: '10m', alert: 'FluentdNotRunningOnNode', fires: [] },
        { at: '20m', alert: 'FluentdNotRunningOnNode', fires: [{ labels: { node: 'node-b' } }] },
      ],
    },
    {
      name: 'a node reading no log line for an hour warns; a node reading logs stays quiet',
      series: {
        'fluentd_input_status_num_records_total{job="fluentd", node="node-a"}': '0+100x90',
        'fluentd_input_status_num_records_total{job="fluentd", node="node-b"}': '0+100x10 1000x80',
      },
      alerts: [
        { at: '45m', alert: 'FluentdNoLogsFromNode', fires: [] },
        { at: '90m', alert: 'FluentdNoLogsFromNode', fires: [{ labels: { node: 'node-b' } }] },
      ],
    },
  ],
};

/** Every label of a node's data-path series: the disk alerts keep them all. */
function labelsOf(n: string): Record<string, string> {
  return { job: 'elasticsearch', namespace: 'monitoring', es_cluster: 'production-logs', name: n, host: `10.0.1.${n.slice(-1)}`, mount: '/usr/share/elasticsearch/data', path: '/usr/share/elasticsearch/data' };
}
