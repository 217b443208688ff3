/** elasticsearch.yml of the nodes, a pure function of the profile and of where the nodes live. */
import { ELASTICSEARCH_DEFAULTS, ElasticsearchProfile } from './profile';

export const ELASTICSEARCH_HTTP_PORT = 9200;
/** The port the nodes talk to each other on (always TLS). */
export const ELASTICSEARCH_TRANSPORT_PORT = 9300;
/** Where the image keeps Elasticsearch. */
export const ELASTICSEARCH_HOME = '/usr/share/elasticsearch';

export interface ElasticsearchConfigOptions {
  readonly profile: ElasticsearchProfile;
  readonly clusterName: string;
  /** StatefulSet name: node `i` is `<name>-<i>`. */
  readonly name: string;
  /** Headless Service through which the nodes find each other, and its namespace. */
  readonly headlessServiceName: string;
  readonly namespace: string;
}

/** elasticsearch.yml: security on, transport TLS always, single-node discovery for one node, a one-time bootstrap otherwise. */
export function renderElasticsearchConfig(o: ElasticsearchConfigOptions): Record<string, unknown> {
  const p = o.profile;
  const nodeNames = Array.from({ length: p.nodes }, (_, i) => `${o.name}-${i}`);
  const tls = (on: boolean) =>
    on ? { enabled: true, key: 'certs/tls.key', certificate: 'certs/tls.crt', certificate_authorities: ['certs/ca.crt'] } : { enabled: false };
  return {
    'cluster.name': o.clusterName,
    'node.name': '${POD_NAME}',
    'node.roles': ['master', 'data', 'ingest'],
    'network.host': '0.0.0.0',
    'http.port': ELASTICSEARCH_HTTP_PORT,
    'transport.port': ELASTICSEARCH_TRANSPORT_PORT,
    'path.data': `${ELASTICSEARCH_HOME}/data`,
    'path.logs': `${ELASTICSEARCH_HOME}/logs`,
    ...(p.nodes === 1
      ? { 'discovery.type': 'single-node' }
      : {
          'discovery.seed_hosts': [`${o.headlessServiceName}.${o.namespace}.svc`],
          ...((p.clusterFormed ?? ELASTICSEARCH_DEFAULTS.clusterFormed) ? {} : { 'cluster.initial_master_nodes': nodeNames }),
        }),
    ...(p.maxMapCount === 'disable-mmap' ? { 'node.store.allow_mmap': false } : {}),
    'xpack.security.enabled': true,
    'xpack.security.enrollment.enabled': false,
    'xpack.security.transport.ssl': { ...tls(true), verification_mode: 'certificate' },
    'xpack.security.http.ssl': tls(p.httpTls),
    // A log store needs neither machine learning nor the GeoIP downloader (which calls out to the internet).
    'xpack.ml.enabled': false,
    'ingest.geoip.downloader.enabled': false,
    'action.destructive_requires_name': true,
  };
}
