/**
 * Every container image the stack runs, pinned to a tag, in one place. Bump a version here and
 * nowhere else; the `app.kubernetes.io/version` label follows the tag.
 */
export interface ImageRef {
  /** Registry host, such as `quay.io`. */
  readonly registry: string;
  /** Repository path within the registry. */
  readonly repository: string;
  /** A fixed release tag, never `latest`. */
  readonly tag: string;
}

export const IMAGES = {
  prometheus: { registry: 'quay.io', repository: 'prometheus/prometheus', tag: 'v3.5.0' },
  alertmanager: { registry: 'quay.io', repository: 'prometheus/alertmanager', tag: 'v0.28.1' },
  grafana: { registry: 'docker.io', repository: 'grafana/grafana', tag: '12.4.5' },
  nodeExporter: { registry: 'quay.io', repository: 'prometheus/node-exporter', tag: 'v1.9.1' },
  kubeStateMetrics: { registry: 'registry.k8s.io', repository: 'kube-state-metrics/kube-state-metrics', tag: 'v2.16.0' },
  // Elasticsearch and Kibana must carry the same version (checked at synth). 8.19 is the last 8.x
  // minor, supported long-term, and the version the Fluentd image's Elasticsearch 8 client speaks.
  elasticsearch: { registry: 'docker.elastic.co', repository: 'elasticsearch/elasticsearch', tag: '8.19.15' },
  kibana: { registry: 'docker.elastic.co', repository: 'kibana/kibana', tag: '8.19.15' },
  fluentd: { registry: 'docker.io', repository: 'fluent/fluentd-kubernetes-daemonset', tag: 'v1.19.0-debian-elasticsearch8-1.1' },
  elasticsearchExporter: { registry: 'quay.io', repository: 'prometheuscommunity/elasticsearch-exporter', tag: 'v1.9.0' },
  // Jaeger v2 (OpenTelemetry-collector based) and its index clean-up tool ship with one version.
  jaeger: { registry: 'docker.io', repository: 'jaegertracing/jaeger', tag: '2.19.0' },
  jaegerEsIndexCleaner: { registry: 'docker.io', repository: 'jaegertracing/jaeger-es-index-cleaner', tag: '2.19.0' },
  postgresExporter: { registry: 'quay.io', repository: 'prometheuscommunity/postgres-exporter', tag: 'v0.17.1' },
  redisExporter: { registry: 'docker.io', repository: 'oliver006/redis_exporter', tag: 'v1.74.0' },
  kafkaExporter: { registry: 'docker.io', repository: 'danielqsj/kafka-exporter', tag: 'v1.9.0' },
  blackboxExporter: { registry: 'quay.io', repository: 'prometheus/blackbox-exporter', tag: 'v0.27.0' },
  pushgateway: { registry: 'quay.io', repository: 'prometheus/pushgateway', tag: 'v1.11.1' },
  thanos: { registry: 'quay.io', repository: 'thanos/thanos', tag: 'v0.42.4' },
} as const satisfies Record<string, ImageRef>;

export type ImageName = keyof typeof IMAGES;

/** The full image reference, with the registry host replaced by a mirror when one is given. */
export function imageUri(image: ImageRef, registryOverride?: string): string {
  return `${registryOverride ?? image.registry}/${image.repository}:${image.tag}`;
}
