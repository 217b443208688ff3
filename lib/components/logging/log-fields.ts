/**
 * The shape of every log document the pipeline stores: field names, where the logs live in
 * Elasticsearch, and how they are mapped. Fluentd writes these fields, the index template maps
 * them, Kibana's data view and Grafana's Elasticsearch datasource read them, and the tracing
 * components link a trace to its logs through `traceId`. Names follow the Elastic Common Schema
 * (ECS), so Kibana's log views and ECS-aware tools understand them as they are.
 */

export const LOG_FIELDS = {
  /** When the line was written, from the container runtime's log (CRI) timestamp. */
  timestamp: '@timestamp',
  /** The log line itself (partial CRI lines joined). */
  message: 'message',
  /** `stdout` or `stderr`. */
  stream: 'log.stream',
  /** Severity when the line carries one (`level=warn`, `"level":"error"`), lower-cased. */
  level: 'log.level',
  /** Kubernetes namespace of the pod. */
  namespace: 'kubernetes.namespace',
  /** Pod name. */
  pod: 'kubernetes.pod.name',
  /** Container name within the pod. */
  container: 'kubernetes.container.name',
  /** Node the pod ran on. */
  node: 'kubernetes.node.name',
  /** The pod's `app.kubernetes.io/name` label (or `app`), to filter by application. */
  app: 'kubernetes.labels.app',
  /**
   * W3C trace id (32 lower-case hex digits) when the line carries one, as `trace_id`, `traceId`,
   * `trace.id` or `traceID` in JSON or key=value form. Tracing links a span to its logs with
   * `trace.id:"<id>"`.
   */
  traceId: 'trace.id',
  /** W3C span id (16 lower-case hex digits), found the same way. */
  spanId: 'span.id',
} as const;

export type LogField = keyof typeof LOG_FIELDS;

/** Where container logs are stored: one data stream, rolled over and expired by a lifecycle policy. */
export const LOG_STREAM = {
  /** The data stream Fluentd appends to. */
  dataStream: 'logs-kubernetes-containers',
  /** What readers (Kibana data view, Grafana datasource, retention) match. */
  indexPattern: 'logs-kubernetes-*',
  /** Name of the index template and of the lifecycle policy. */
  templateName: 'logs-kubernetes',
  /** Id of the Kibana data view and of the Grafana datasource. */
  dataViewId: 'logs-kubernetes',
} as const;

type Mapping = { [field: string]: unknown };

/** Elasticsearch mappings of the log fields: identifiers are keywords, the message is full text. */
export function logFieldMappings(): Record<string, unknown> {
  const keyword = { type: 'keyword', ignore_above: 1024 };
  const nested = (path: string, leaf: unknown, into: Mapping): void => {
    const parts = path.split('.');
    let node = into;
    for (const p of parts.slice(0, -1)) {
      const child = (node[p] ?? { properties: {} }) as { properties: Mapping };
      node[p] = child;
      node = child.properties;
    }
    node[parts[parts.length - 1]] = leaf;
  };
  const properties: Mapping = {};
  nested(LOG_FIELDS.timestamp, { type: 'date_nanos' }, properties);
  nested(LOG_FIELDS.message, { type: 'match_only_text' }, properties);
  for (const f of ['stream', 'level', 'namespace', 'pod', 'container', 'node', 'app', 'traceId', 'spanId'] as const) nested(LOG_FIELDS[f], keyword, properties);
  return {
    // Unknown fields are kept in _source but not indexed: a chatty application cannot explode the mapping.
    dynamic: false,
    properties,
  };
}
