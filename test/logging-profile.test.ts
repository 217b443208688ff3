import { profileChecks } from '../lib/core/checks';
import { renderFluentdConfig } from '../lib/components/fluentd/fluentd';
import { FLUENTD_DEFAULTS, FluentdProfile, validateFluentdProfile } from '../lib/components/fluentd/profile';
import { ELASTICSEARCH_DEFAULTS, ElasticsearchProfile, elasticsearchHeapMi, validateElasticsearchProfile } from '../lib/components/elasticsearch/profile';
import { renderLifecyclePolicy } from '../lib/components/elasticsearch/data-streams';
import { renderElasticsearchConfig } from '../lib/components/elasticsearch/config';
import { validateLoggingProfile } from '../lib/components/logging/profile';
import { PROFILES } from '../stacks/environments';

const checks = profileChecks('profile "test"');
const fluentd: FluentdProfile = { resources: PROFILES.local.logging.fluentd.resources, buffer: { totalLimitGi: 1 } };
const conf = (f: FluentdProfile) =>
  renderFluentdConfig({
    elasticsearchUrl: 'http://elasticsearch.monitoring.svc:9200',
    dataStream: 'logs-kubernetes-default',
    usernameFile: '/u',
    passwordFile: '/p',
    ownLogs: '/var/log/containers/fluentd-*.log',
    profile: f,
  });
/** A setting of the Elasticsearch output's <buffer> section. */
const line = (text: string, key: string) =>
  text
    .slice(text.indexOf('<buffer>'))
    .split('\n')
    .find((l) => l.trim().startsWith(`${key} `))
    ?.trim();

describe("Fluentd's buffer defaults", () => {
  it('sends 8 MiB chunks every 5 s on 2 threads and waits at most 60 s between retries when the profile says nothing', () => {
    expect(FLUENTD_DEFAULTS.buffer).toEqual({ chunkLimitMi: 8, flushInterval: '5s', retryMaxInterval: '60s', flushThreads: 2 });
    const c = conf(fluentd);
    expect(line(c, 'chunk_limit_size')).toBe('chunk_limit_size 8m');
    expect(line(c, 'flush_interval')).toBe('flush_interval 5s');
    expect(line(c, 'flush_thread_count')).toBe('flush_thread_count 2');
    expect(line(c, 'retry_max_interval')).toBe('retry_max_interval 60s');
  });

  it("follows the profile's values where it gives them", () => {
    const c = conf({ ...fluentd, buffer: { totalLimitGi: 2, chunkLimitMi: 16, flushInterval: '10s', retryMaxInterval: '5m', flushThreads: 4 } });
    expect(
      ['chunk_limit_size 16m', 'flush_interval 10s', 'flush_thread_count 4', 'retry_max_interval 5m', 'total_limit_size 2g'].every((l) => c.includes(l)),
    ).toBe(true);
  });

  it('checks the four-chunk minimum against the default chunk size when none is given', () => {
    const tiny = { ...fluentd, buffer: { totalLimitGi: 0.02 } };
    expect(() => validateFluentdProfile(tiny, checks)).toThrow(/logging\.fluentd\.buffer\.totalLimitGi.*four chunks' worth \(0\.03125 GiB\)/);
    expect(() => validateFluentdProfile({ ...fluentd, buffer: { totalLimitGi: 0.02, chunkLimitMi: 1 } }, checks)).not.toThrow();
  });

  it('keeps the buffer in a directory named after the namespace, so two stacks on one node never share it', () => {
    expect(FLUENTD_DEFAULTS.hostPath('monitoring')).toBe('/var/lib/fluentd-monitoring');
    expect(FLUENTD_DEFAULTS.hostPath('monitoring-staging')).not.toBe(FLUENTD_DEFAULTS.hostPath('monitoring'));
  });
});

describe("Elasticsearch's profile defaults", () => {
  const es: ElasticsearchProfile = PROFILES.local.logging.elasticsearch;

  it('rolls over at 25 GiB primary shards unless the profile says otherwise', () => {
    expect(ELASTICSEARCH_DEFAULTS.rolloverShardSizeGi).toBe(25);
    const spec = { name: 'logs', indexPatterns: ['logs-*'], dataStreams: [], retentionDays: es.retentionDays, mappings: {} };
    expect((renderLifecyclePolicy(spec) as any).policy.phases.hot.actions.rollover.max_primary_shard_size).toBe('25gb');
  });

  it('bootstraps a new multi-node cluster unless the profile says it has formed', () => {
    expect(ELASTICSEARCH_DEFAULTS.clusterFormed).toBe(false);
    const yml = renderElasticsearchConfig({
      profile: { ...es, nodes: 3 },
      clusterName: 'c',
      name: 'elasticsearch',
      headlessServiceName: 'h',
      namespace: 'n',
    });
    expect(yml).toHaveProperty(['cluster.initial_master_nodes'], ['elasticsearch-0', 'elasticsearch-1', 'elasticsearch-2']);
  });

  it('gives the JVM half the memory limit when no heap is set, and refuses more than half', () => {
    expect(elasticsearchHeapMi({ ...es, heapMi: undefined, resources: { ...es.resources, limits: { cpu: '1', memory: '2Gi' } } })).toBe(1024);
    expect(() => validateElasticsearchProfile({ ...es, heapMi: 768 }, checks)).toThrow(/logging\.elasticsearch\.heapMi is 768; use at most 512/);
  });
});

describe('the logging part of a profile', () => {
  it('accepts every environment', () => {
    for (const env of ['local', 'staging', 'production'] as const) expect(() => validateLoggingProfile(PROFILES[env].logging, checks)).not.toThrow();
  });

  it('names the component and field at fault', () => {
    const p = PROFILES.production.logging;
    expect(() => validateLoggingProfile({ ...p, kibana: { ...p.kibana, replicas: 0 } }, checks)).toThrow(/logging\.kibana\.replicas/);
    expect(() => validateLoggingProfile({ ...p, fluentd: { ...p.fluentd, hostPath: 'relative' } }, checks)).toThrow(/logging\.fluentd\.hostPath/);
    expect(() => validateLoggingProfile({ ...p, elasticsearch: { ...p.elasticsearch, nodes: 2 } }, checks)).toThrow(/logging\.elasticsearch\.nodes is 2/);
  });
});
