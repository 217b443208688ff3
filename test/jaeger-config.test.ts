import { parse } from 'yaml';
import { jaegerConfig, jaegerYaml, samplingStrategies } from '../lib/components/jaeger/config';
import { JaegerRole } from '../lib/components/jaeger/layout';
import { ElasticsearchTraceStorage, MemoryTraceStorage } from '../lib/components/jaeger/profile';

const ES_STORAGE: ElasticsearchTraceStorage = { kind: 'elasticsearch', indexPrefix: 'acme-traces', shards: 3, replicas: 2, retentionDays: 14 };
const ES = { url: 'https://elasticsearch.observability.svc:9200', caSecretName: 'elasticsearch-ca' };

const onElasticsearch = (role: JaegerRole, es: { url: string; caSecretName?: string } = ES): any =>
  jaegerConfig({ role, name: `jaeger-${role}`, storage: ES_STORAGE, elasticsearch: es });
const backendOf = (cfg: any): any => cfg.extensions.jaeger_storage.backends.traces;

describe('Jaeger configuration with Elasticsearch storage', () => {
  it('has the collector write spans under the index prefix, in daily indices with the configured shards and replicas', () => {
    const es = backendOf(onElasticsearch('collector')).elasticsearch;
    expect(es.server_urls).toEqual([ES.url]);
    expect(es.indices.index_prefix).toBe('acme-traces');
    for (const kind of ['spans', 'services', 'dependencies', 'sampling']) {
      expect([kind, es.indices[kind]]).toEqual([kind, { date_layout: '2006-01-02', rollover_frequency: 'day', shards: 3, replicas: 2 }]);
    }
  });

  it('never searches further back than the retention keeps indices: 14 days are 336 hours', () => {
    expect(backendOf(onElasticsearch('query')).elasticsearch.max_span_age).toBe('336h');
  });

  it('lets only the collector install index templates; the query process reads what the collector writes', () => {
    const collector = onElasticsearch('collector');
    const query = onElasticsearch('query');
    expect(backendOf(collector).elasticsearch.create_mappings).toBe(true);
    expect(backendOf(query).elasticsearch.create_mappings).toBe(false);
    // The same store name on both sides: the one the exporter writes to is the one the UI reads.
    expect(query.extensions.jaeger_query.storage.traces).toBe(collector.exporters.jaeger_storage_exporter.trace_storage);
    expect({ ...backendOf(query).elasticsearch, create_mappings: true }).toEqual(backendOf(collector).elasticsearch);
  });

  it("trusts Elasticsearch's CA from the mounted file when it has one, and asks for no TLS settings when it has none", () => {
    expect(backendOf(onElasticsearch('collector')).elasticsearch.tls).toEqual({ insecure: false, ca_file: '/etc/jaeger/elasticsearch-ca/ca.crt' });
    const plain = backendOf(onElasticsearch('collector', { url: 'http://elasticsearch:9200' })).elasticsearch;
    expect(plain).not.toHaveProperty('tls');
    expect(plain.server_urls).toEqual(['http://elasticsearch:9200']);
  });

  it('refuses to render without the Elasticsearch the spans go to', () => {
    expect(() => jaegerConfig({ role: 'collector', name: 'jaeger-collector', storage: ES_STORAGE })).toThrow(
      /^jaeger collector "jaeger-collector": storage is "elasticsearch" but no Elasticsearch is given/,
    );
  });
});

describe('Jaeger configuration by role', () => {
  it('keeps at most maxTraces traces in the memory of the all-in-one process, which both receives spans and serves the UI', () => {
    const storage: MemoryTraceStorage = { kind: 'memory', maxTraces: 5000 };
    const cfg: any = jaegerConfig({ role: 'all-in-one', name: 'jaeger', storage });
    expect(backendOf(cfg)).toEqual({ memory: { max_traces: 5000 } });
    expect(cfg.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(cfg.extensions.jaeger_query.http.endpoint).toBe('0.0.0.0:16686');
  });

  it('has the query process receive no spans and serve no sampling strategies, though it keeps a pipeline the collector framework wants', () => {
    const cfg = onElasticsearch('query');
    expect(Object.keys(cfg.receivers)).toEqual(['nop']);
    expect(cfg.service.pipelines.traces).toEqual({ receivers: ['nop'], exporters: ['nop'] });
    expect(cfg.service.extensions).not.toContain('remote_sampling');
    expect(cfg.extensions).not.toHaveProperty('remote_sampling');
    expect(cfg).not.toHaveProperty('processors');
  });

  it('has the collector serve sampling strategies from the mounted file and no UI', () => {
    const cfg = onElasticsearch('collector');
    expect(cfg.extensions.remote_sampling).toEqual({
      file: { path: '/etc/jaeger/sampling/strategies.json', reload_interval: '1m' },
      http: { endpoint: '0.0.0.0:5778' },
      grpc: { endpoint: '0.0.0.0:5779' },
    });
    expect(cfg.service.extensions).not.toContain('jaeger_query');
    expect(cfg.extensions).not.toHaveProperty('jaeger_query');
  });

  it('limits memory before batching, so an overloaded collector refuses spans (the SDKs retry) rather than dying', () => {
    const cfg = onElasticsearch('collector');
    expect(cfg.service.pipelines.traces.processors).toEqual(['memory_limiter', 'batch']);
    expect(cfg.processors.memory_limiter.limit_percentage).toBeLessThan(100);
  });

  it("names each process after its workload in its own telemetry, so Jaeger's metrics tell collector from query", () => {
    expect(onElasticsearch('collector').service.telemetry.resource).toEqual({ 'service.name': 'jaeger-collector' });
    expect(onElasticsearch('query').service.telemetry.resource).toEqual({ 'service.name': 'jaeger-query' });
  });
});

describe('sampling strategies', () => {
  const strategies: any = samplingStrategies({
    defaultProbability: 0.1,
    services: [
      { service: 'order-service', probability: 0.5, operations: [{ operation: 'POST /orders', probability: 1 }] },
      { service: 'market-data-service', probability: 0.01 },
    ],
  });
  const of = (service: string) => strategies.service_strategies.find((s: any) => s.service === service);

  it("gives an overridden operation its probability and leaves the service's probability for the rest of its operations", () => {
    expect(of('order-service')).toEqual({
      service: 'order-service',
      type: 'probabilistic',
      param: 0.5,
      operation_strategies: [{ operation: 'POST /orders', type: 'probabilistic', param: 1 }],
    });
  });

  it('leaves the default probability for every service without an override', () => {
    expect(strategies.default_strategy).toEqual({ type: 'probabilistic', param: 0.1 });
    expect(strategies.service_strategies.map((s: any) => s.service)).toEqual(['order-service', 'market-data-service']);
  });

  it('writes no operation list for a service without operation overrides', () => {
    expect(of('market-data-service')).toEqual({ service: 'market-data-service', type: 'probabilistic', param: 0.01 });
  });

  it('samples every service at the default when the profile gives no override', () => {
    expect(samplingStrategies({ defaultProbability: 0.25 })).toEqual({ default_strategy: { type: 'probabilistic', param: 0.25 }, service_strategies: [] });
  });
});

describe("Jaeger's YAML", () => {
  it('quotes every string, so Go reads the date layout as text, and leaves numbers and booleans bare', () => {
    const value = { date_layout: '2006-01-02', shards: 2, create_mappings: false, endpoint: '0.0.0.0:4317' };
    const text = jaegerYaml(value);
    expect(text).toBe('date_layout: "2006-01-02"\nshards: 2\ncreate_mappings: false\nendpoint: "0.0.0.0:4317"\n');
    expect(parse(text)).toEqual(value);
  });

  it('writes the index settings repeated for spans, services, dependencies and sampling in full, not as YAML anchors', () => {
    const cfg = onElasticsearch('collector');
    const text = jaegerYaml(cfg);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual(cfg);
  });
});
