/**
 * Fluentd's metrics: those of fluent-plugin-prometheus, read from
 * github.com/fluent/fluent-plugin-prometheus at v2.2.1, the version the Fluentd image bundles.
 *
 * prometheus_output_monitor labels every family with `plugin_id` and `type` (plus `<labels>` of
 * its own, none in the stack's config) and, with its default `gauge_all true`, registers every
 * value as a gauge. `fluentd_input_status_num_records_total` is a `<metric>` of the stack's own
 * fluent.conf (lib/components/fluentd/fluentd.ts): the prometheus filter makes a counter of it, with no
 * labels since the config gives none.
 */
import { SourceFixture } from './types';

const MONITOR = 'lib/fluent/plugin/in_prometheus_output_monitor.rb';
const OUTPUT = ['plugin_id', 'type'];

export const FLUENTD_SOURCE: SourceFixture = {
  component: 'fluentd',
  catalogSources: ['fluentd'],
  repository: 'fluent/fluent-plugin-prometheus',
  tag: 'v2.2.1',
  pin: {
    kind: 'embedded',
    image: 'fluentd',
    imageTag: 'v1.19.0-debian-elasticsearch8-1.1',
    imageSource: {
      repository: 'fluent/fluentd-kubernetes-daemonset',
      tag: 'v1.19.0-1.1',
      path: 'docker-image/v1.19/debian-elasticsearch8/Gemfile.lock',
      says: 'fluent-plugin-prometheus (2.2.1), fluentd (1.19.0), fluent-plugin-elasticsearch (5.4.4)',
    },
  },
  naming: [
    {
      repository: 'fluent/fluent-plugin-prometheus',
      tag: 'v2.2.1',
      path: MONITOR,
      says: 'config_param :gauge_all, default true; get_gauge / get_gauge_or_counter register labels @base_labels.keys + [:plugin_id, :type]',
    },
    {
      repository: 'fluent/fluent-plugin-prometheus',
      tag: 'v2.2.1',
      path: 'lib/fluent/plugin/prometheus.rb',
      says: 'parse_metrics_elements: a <metric> of type counter becomes a Counter',
    },
  ],
  metrics: [
    { name: 'fluentd_output_status_buffer_available_space_ratio', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_output_status_buffer_total_bytes', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_output_status_buffer_queue_length', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_output_status_retry_count', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_output_status_num_errors', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_output_status_retry_wait', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_output_status_emit_records', type: 'gauge', labels: OUTPUT, file: MONITOR },
    { name: 'fluentd_input_status_num_records_total', type: 'counter', labels: [], file: 'lib/fluent/plugin/filter_prometheus.rb' },
  ],
};
