/**
 * The files Jaeger reads, as plain functions of their inputs: the configuration of each role
 * (all-in-one, collector, query) and the sampling strategies document served to the SDKs.
 */
import { stringify } from 'yaml';
import type { IElasticsearchEndpoint } from '../elasticsearch/endpoint';
import { ES_CREDENTIALS_DIR, elasticsearchCa, JAEGER_PORTS, JaegerRole, SAMPLING_DIR, receivesSpans, servesQueries } from './layout';
import { JAEGER_DEFAULTS, TraceSampling, TraceStorage } from './profile';

/** The one storage backend every process names, in its exporter and in its query extension. */
const STORE = 'traces';
/** Exporter queue: requests of at most `BATCH_MAX` spans each. */
const QUEUE_SIZE = 200;
const BATCH_MAX = 2048;

/** What the configuration of one Jaeger process follows from. */
export interface JaegerConfigInput {
  readonly role: JaegerRole;
  /** The process's `service.name` in its own telemetry: the name of its workload. */
  readonly name: string;
  readonly storage: TraceStorage;
  /** Where spans go with Elasticsearch storage (its URL, and the Secret of its CA when it has one). */
  readonly elasticsearch?: Pick<IElasticsearchEndpoint, 'url' | 'caSecretName' | 'caKey'>;
}

/** The configuration file of one Jaeger process. */
export function jaegerConfig(input: JaegerConfigInput): Record<string, unknown> {
  const { role } = input;
  const receives = receivesSpans(role);
  const serves = servesQueries(role);
  const any = (port: number) => `0.0.0.0:${port}`;

  const extensions: Record<string, unknown> = {
    healthcheckv2: { use_v2: true, http: { endpoint: any(JAEGER_PORTS.health), status: { enabled: true, path: '/status' } } },
    jaeger_storage: { backends: { [STORE]: storageBackend(input) } },
  };
  if (receives) {
    extensions.remote_sampling = {
      file: { path: `${SAMPLING_DIR}/strategies.json`, reload_interval: '1m' },
      http: { endpoint: any(JAEGER_PORTS.samplingHttp) },
      grpc: { endpoint: any(JAEGER_PORTS.samplingGrpc) },
    };
  }
  if (serves) {
    extensions.jaeger_query = {
      storage: { traces: STORE },
      http: { endpoint: any(JAEGER_PORTS.queryHttp) },
      grpc: { endpoint: any(JAEGER_PORTS.queryGrpc) },
    };
  }

  const config: Record<string, unknown> = {
    service: {
      extensions: Object.keys(extensions),
      pipelines: {
        traces: receives
          ? { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['jaeger_storage_exporter'] }
          : // The query process receives nothing; the collector framework still wants a pipeline.
            { receivers: ['nop'], exporters: ['nop'] },
      },
      telemetry: {
        resource: { 'service.name': input.name },
        metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_PORTS.metrics } } } }] },
        logs: { level: 'info', encoding: 'json' },
      },
    },
    extensions,
  };
  if (receives) {
    config.receivers = { otlp: { protocols: { grpc: { endpoint: any(JAEGER_PORTS.otlpGrpc) }, http: { endpoint: any(JAEGER_PORTS.otlpHttp) } } } };
    config.processors = {
      // Refuses spans (the SDKs retry) before the process runs out of memory.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
      batch: { send_batch_size: 1024, send_batch_max_size: BATCH_MAX, timeout: '1s' },
    };
    config.exporters = {
      jaeger_storage_exporter: {
        trace_storage: STORE,
        queue: { sizer: 'requests', queue_size: QUEUE_SIZE, num_consumers: 4 },
        retry_on_failure: { enabled: true, initial_interval: '1s', max_interval: '30s', max_elapsed_time: '5m' },
      },
    };
  } else {
    config.receivers = { nop: {} };
    config.exporters = { nop: {} };
  }
  return config;
}

/** The `jaeger_storage` backend a process writes spans to or reads them from. */
function storageBackend(input: JaegerConfigInput): Record<string, unknown> {
  const st = input.storage;
  if (st.kind === 'memory') return { memory: { max_traces: st.maxTraces } };
  const es = input.elasticsearch;
  if (!es) throw new Error(`jaeger ${input.role} "${input.name}": storage is "elasticsearch" but no Elasticsearch is given; pass the one spans are kept in`);
  const ca = elasticsearchCa(es);
  const index = { date_layout: '2006-01-02', rollover_frequency: 'day', shards: st.shards, replicas: st.replicas };
  return {
    elasticsearch: {
      server_urls: [es.url],
      auth: { basic: { username: '${env:ES_USERNAME}', password_file: `${ES_CREDENTIALS_DIR}/password` } },
      ...(ca ? { tls: { insecure: false, ca_file: ca.file } } : {}),
      indices: { index_prefix: st.indexPrefix, spans: index, services: index, dependencies: index, sampling: index },
      // Only the collector installs index templates; the query user may not.
      create_mappings: input.role === 'collector',
      // Queries never look further back than the indices that still exist.
      max_span_age: `${st.retentionDays * 24}h`,
    },
  };
}

/**
 * Jaeger's YAML: every string value double-quoted, because Go's YAML decoder turns a plain
 * `2006-01-02` (the index date layout) into a timestamp.
 */
export function jaegerYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}

/** Jaeger's sampling strategies file: a default and per-service (and per-operation) overrides. */
export function samplingStrategies(s: TraceSampling): Record<string, unknown> {
  const probabilistic = (p: number) => ({ type: 'probabilistic', param: p });
  return {
    default_strategy: probabilistic(s.defaultProbability),
    service_strategies: (s.services ?? JAEGER_DEFAULTS.sampling.services).map((o) => {
      const operations = o.operations ?? JAEGER_DEFAULTS.sampling.operations;
      return {
        service: o.service,
        ...probabilistic(o.probability),
        ...(operations.length ? { operation_strategies: operations.map((op) => ({ operation: op.operation, ...probabilistic(op.probability) })) } : {}),
      };
    }),
  };
}
