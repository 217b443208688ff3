/**
 * kafka_exporter, read from github.com/danielqsj/kafka_exporter at v1.9.0 (kafka_exporter.go):
 * every family is a prometheus.NewDesc under namespace `kafka`, sent as a GaugeValue const metric.
 */
import { SourceFixture } from './types';

const FILE = 'kafka_exporter.go';
const TP = ['topic', 'partition'];

export const KAFKA_EXPORTER_SOURCE: SourceFixture = {
  component: 'kafka-exporter',
  catalogSources: ['kafka-exporter'],
  repository: 'danielqsj/kafka_exporter',
  tag: 'v1.9.0',
  pin: { kind: 'image', image: 'kafkaExporter', imageTag: 'v1.9.0' },
  metrics: [
    { name: 'kafka_brokers', type: 'gauge', labels: [], file: FILE },
    { name: 'kafka_topic_partitions', type: 'gauge', labels: ['topic'], file: FILE },
    { name: 'kafka_topic_partition_current_offset', type: 'gauge', labels: TP, file: FILE },
    { name: 'kafka_topic_partition_leader', type: 'gauge', labels: TP, file: FILE },
    { name: 'kafka_topic_partition_replicas', type: 'gauge', labels: TP, file: FILE },
    { name: 'kafka_topic_partition_in_sync_replica', type: 'gauge', labels: TP, file: FILE },
    { name: 'kafka_topic_partition_under_replicated_partition', type: 'gauge', labels: TP, file: FILE },
    { name: 'kafka_consumergroup_current_offset', type: 'gauge', labels: ['consumergroup', ...TP], file: FILE },
    { name: 'kafka_consumergroup_lag', type: 'gauge', labels: ['consumergroup', ...TP], file: FILE },
    { name: 'kafka_consumergroup_lag_sum', type: 'gauge', labels: ['consumergroup', 'topic'], file: FILE },
    { name: 'kafka_consumergroup_members', type: 'gauge', labels: ['consumergroup'], file: FILE },
  ],
};
