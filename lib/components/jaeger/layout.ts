/**
 * What every Jaeger pod shares, whatever its role: the ports it listens on and where its
 * configuration, sampling strategies and Elasticsearch credentials are mounted. The configuration
 * renderers and the workloads both read these, so a path or a port is written once.
 */
import type { CaTrust } from '../../core/trust';
import { elasticsearchCaTrust } from '../elasticsearch/client';
import type { IElasticsearchEndpoint } from '../elasticsearch/endpoint';

export const JAEGER_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  samplingHttp: 5778,
  samplingGrpc: 5779,
  queryHttp: 16686,
  queryGrpc: 16685,
  health: 13133,
  metrics: 8888,
} as const;

/** The roles a Jaeger process plays; the all-in-one process plays both. */
export type JaegerRole = 'all-in-one' | 'collector' | 'query';

/** Whether a process of this role receives spans over OTLP and serves sampling strategies. */
export const receivesSpans = (role: JaegerRole): boolean => role !== 'query';
/** Whether a process of this role serves the UI and the query API. */
export const servesQueries = (role: JaegerRole): boolean => role !== 'collector';

export const CONFIG_DIR = '/etc/jaeger';
export const SAMPLING_DIR = '/etc/jaeger/sampling';
export const ES_CREDENTIALS_DIR = '/etc/jaeger/elasticsearch';
export const ES_CA_DIR = '/etc/jaeger/elasticsearch-ca';

/** The ServiceAccount every Jaeger pod runs as (it holds no token and no permission). */
export const SERVICE_ACCOUNT = 'jaeger';
/** The ConfigMap holding the sampling strategies, mounted by every process that receives spans. */
export const SAMPLING_CONFIGMAP = 'jaeger-sampling';

/** Every Jaeger process that reaches Elasticsearch over TLS trusts its CA at ES_CA_DIR, volume `es-ca`. */
export function elasticsearchCa(es: Pick<IElasticsearchEndpoint, 'caSecretName' | 'caKey'> | undefined): CaTrust | undefined {
  return es ? elasticsearchCaTrust(es, 'es-ca', ES_CA_DIR) : undefined;
}
