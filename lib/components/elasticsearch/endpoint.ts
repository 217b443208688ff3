/**
 * What a client of Elasticsearch (Fluentd, Kibana, Jaeger, Grafana, the exporter) needs to know:
 * where it is, how to trust its certificate, and which Secret holds the credentials of the user
 * created for that client. Implemented by the Elasticsearch construct; clients depend only on this.
 */

/** A least-privilege Elasticsearch user for one client. */
export interface ElasticsearchClient {
  /** Client name, such as `fluentd` or `jaeger`; names the user and its Secret. */
  readonly name: string;
  /** Index patterns the client may touch, such as `logs-*`. */
  readonly indices: readonly string[];
  /** Index privileges on those patterns, such as `create_doc`, `create_index`, `read`. */
  readonly indexPrivileges: readonly string[];
  /** Cluster privileges, such as `monitor`. @default [] */
  readonly clusterPrivileges?: readonly string[];
}

/** Where a client reads its username and password. */
export interface ElasticsearchCredentials {
  readonly secretName: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
}

export interface IElasticsearchEndpoint {
  /** In-cluster URL, such as `https://elasticsearch.monitoring.svc:9200`. */
  readonly url: string;
  /** The Secret holding the CA certificate of the HTTP layer, when it uses TLS. */
  readonly caSecretName?: string;
  /** Key of the CA certificate in `caSecretName`. */
  readonly caKey?: string;
  /** The Elasticsearch version, for clients that must match it (Kibana). */
  readonly version: string;
  /** Registers a client and returns where its credentials live. */
  addClient(client: ElasticsearchClient): ElasticsearchCredentials;
}
