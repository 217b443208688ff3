/** Every source fixture: the catalog entries of programs that cannot run here, as their source says. */
import { APISERVER_SOURCE } from './apiserver';
import { CADVISOR_SOURCE } from './cadvisor';
import { ELASTICSEARCH_EXPORTER_SOURCE } from './elasticsearch-exporter';
import { FLUENTD_SOURCE } from './fluentd';
import { GO_GRPC_MIDDLEWARE_SOURCE } from './go-grpc-middleware';
import { INFLUXDB_SOURCE } from './influxdb';
import { JAEGER_SOURCE } from './jaeger';
import { KAFKA_EXPORTER_SOURCE } from './kafka-exporter';
import { KUBELET_SOURCE } from './kubelet';
import { KUBE_STATE_METRICS_SOURCE } from './kube-state-metrics';
import { OTEL_COLLECTOR_SOURCE } from './opentelemetry-collector';
import { THANOS_SOURCE } from './thanos';
import { THANOS_OBJSTORE_SOURCE } from './thanos-objstore';
import { SourceFixture } from './types';

export { KSM_STORE_RESOURCES } from './kube-state-metrics';
export { KUBERNETES_MINOR, KUBERNETES_PATCH } from './kubernetes';
export * from './types';

export const SOURCE_FIXTURES: readonly SourceFixture[] = [
  JAEGER_SOURCE,
  OTEL_COLLECTOR_SOURCE,
  FLUENTD_SOURCE,
  KUBE_STATE_METRICS_SOURCE,
  CADVISOR_SOURCE,
  KUBELET_SOURCE,
  APISERVER_SOURCE,
  KAFKA_EXPORTER_SOURCE,
  INFLUXDB_SOURCE,
  ELASTICSEARCH_EXPORTER_SOURCE,
  THANOS_SOURCE,
  THANOS_OBJSTORE_SOURCE,
  GO_GRPC_MIDDLEWARE_SOURCE,
];
