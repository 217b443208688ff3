import { ConfigError } from '../lib/core/errors';
import { checkClient, renderRole, userRoles } from '../lib/components/elasticsearch/client-registry';
import { renderElasticsearchConfig } from '../lib/components/elasticsearch/config';
import {
  DATA_STREAM_DEFAULTS,
  DataStreamSpec,
  checkDataStream,
  renderIndexTemplate,
  renderLifecyclePolicy,
} from '../lib/components/elasticsearch/data-streams';
import { renderSetupFiles, renderSetupScript, setupSecrets } from '../lib/components/elasticsearch/setup';
import { ElasticsearchProfile } from '../lib/components/elasticsearch/profile';
import { PROFILES } from '../stacks/environments';

const logs: DataStreamSpec = {
  name: 'logs-kubernetes',
  indexPatterns: ['logs-kubernetes-*'],
  dataStreams: ['logs-kubernetes-default'],
  retentionDays: 7,
  mappings: { properties: { message: { type: 'match_only_text' } } },
};
const policy = (s: DataStreamSpec) => (renderLifecyclePolicy(s) as any).policy;
const template = (s: DataStreamSpec, nodes: number) => renderIndexTemplate(s, nodes) as any;

describe('the lifecycle policy of a data stream', () => {
  it.each(['local', 'staging', 'production'] as const)("deletes %s's indices after the profile's retentionDays", (env) => {
    const days = PROFILES[env].logging.elasticsearch.retentionDays;
    expect(policy({ ...logs, retentionDays: days }).phases.delete).toEqual({ min_age: `${days}d`, actions: { delete: {} } });
  });

  it('rolls the write index over at the configured primary shard size, and at 25 GB when none is given', () => {
    expect(policy({ ...logs, rolloverShardSizeGi: 10 }).phases.hot.actions.rollover.max_primary_shard_size).toBe('10gb');
    expect(policy(logs).phases.hot.actions.rollover.max_primary_shard_size).toBe(`${DATA_STREAM_DEFAULTS.rolloverShardSizeGi}gb`);
    expect(DATA_STREAM_DEFAULTS.rolloverShardSizeGi).toBe(25);
  });

  it('rolls over at least daily, so that deletion counts in whole days from the rollover', () => {
    expect(policy(logs).phases.hot).toEqual({ min_age: '0ms', actions: { rollover: { max_primary_shard_size: '25gb', max_age: '1d' } } });
    expect(policy({ ...logs, rolloverMaxAge: '12h' }).phases.hot.actions.rollover.max_age).toBe('12h');
  });

  it('records the retention and that the setup Job manages it', () => {
    expect(policy(logs)._meta).toEqual({ managed_by: 'elasticsearch-setup-job', retention_days: 7 });
  });
});

describe('the index template of a data stream', () => {
  it('applies its lifecycle policy to every index of the pattern, as a data stream', () => {
    const t = template(logs, 3);
    expect(t.index_patterns).toEqual(['logs-kubernetes-*']);
    expect(t.data_stream).toEqual({});
    expect(t.template.settings['index.lifecycle.name']).toBe('logs-kubernetes');
    expect(t.template.mappings).toBe(logs.mappings);
  });

  it('keeps one replica on another node, and none on a single node so that it stays green', () => {
    expect(template(logs, 1).template.settings['index.number_of_replicas']).toBe(0);
    expect(template(logs, 3).template.settings['index.number_of_replicas']).toBe(1);
    expect(template(logs, 5).template.settings['index.number_of_replicas']).toBe(1);
  });

  it('overrides the built-in logs-*-* template (priority 100) by default', () => {
    expect(template(logs, 1).priority).toBe(200);
    expect(template(logs, 1).priority).toBeGreaterThan(100);
    expect(template({ ...logs, priority: 300 }, 1).priority).toBe(300);
  });
});

describe('a data stream declaration', () => {
  it('is refused when a data stream falls outside its index patterns', () => {
    expect(() => checkDataStream({ ...logs, dataStreams: ['metrics-app'] }, new Set())).toThrow(
      /dataStreams is "metrics-app"; name a data stream matched by the index patterns logs-kubernetes-\*/,
    );
  });

  it('is refused twice under one name, or with a retention that is not a whole number of days', () => {
    expect(() => checkDataStream(logs, new Set(['logs-kubernetes']))).toThrow(/declare every template once/);
    expect(() => checkDataStream({ ...logs, retentionDays: 0.5 }, new Set())).toThrow(ConfigError);
    expect(() => checkDataStream(logs, new Set())).not.toThrow();
  });

  it('treats dots in a pattern literally', () => {
    expect(() => checkDataStream({ ...logs, indexPatterns: ['logs.k8s-*'], dataStreams: ['logsXk8s-a'] }, new Set())).toThrow(/dataStreams/);
  });
});

describe('a client of Elasticsearch', () => {
  const fluentd = { name: 'fluentd', indices: ['logs-kubernetes-default'], indexPrivileges: ['create_doc'], clusterPrivileges: ['monitor'] };

  it('gets a role with exactly its privileges, and its own role before any built-in one', () => {
    expect(renderRole(fluentd)).toEqual({
      cluster: ['monitor'],
      indices: [{ names: ['logs-kubernetes-default'], privileges: ['create_doc'] }],
      metadata: { managed_by: 'elasticsearch-setup-job' },
    });
    expect(userRoles({ name: 'kibana-setup', indices: [], indexPrivileges: [], builtinRoles: ['kibana_admin'] })).toEqual(['kibana-setup', 'kibana_admin']);
  });

  it('is never granted all, manage or superuser', () => {
    for (const p of ['all', 'manage']) expect(() => checkClient({ ...fluentd, clusterPrivileges: [p] }, new Set())).toThrow(/are refused/);
    expect(() => checkClient({ ...fluentd, builtinRoles: ['superuser'] }, new Set())).toThrow(/are refused/);
  });

  it('must ask for something, and name its index privileges', () => {
    expect(() => checkClient({ name: 'idle', indices: [], indexPrivileges: [] }, new Set())).toThrow(/grant at least one/);
    expect(() => checkClient({ name: 'reader', indices: ['logs-*'], indexPrivileges: [] }, new Set())).toThrow(/name the index privileges/);
    expect(() => checkClient(fluentd, new Set(['fluentd']))).toThrow(/register every client once/);
  });
});

describe('the setup Job', () => {
  const setup = {
    streams: [logs],
    clients: [{ name: 'fluentd', indices: ['logs-*'], indexPrivileges: ['create_doc'] }],
    kibanaSystem: { username: 'kibana_system' as const, secretName: 'elasticsearch-kibana-system', passwordKey: 'password' },
    nodes: 1,
  };

  it('applies the lifecycle policy before the template that names it, and the template before its data streams', () => {
    const lines = renderSetupScript(setup).split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('PUT /_ilm/policy/logs-kubernetes ilm-logs-kubernetes.json')).toBeGreaterThan(-1);
    expect(at('PUT /_ilm/policy/logs-kubernetes')).toBeLessThan(at('PUT /_index_template/logs-kubernetes'));
    expect(at('PUT /_index_template/logs-kubernetes')).toBeLessThan(at('ensure_data_stream logs-kubernetes-default'));
    expect(lines.filter(Boolean).pop()).toBe('echo "setup complete"');
  });

  it('sends one body per policy, template and role, and reads only the Secrets it needs', () => {
    expect(Object.keys(renderSetupFiles(setup))).toEqual(['ilm-logs-kubernetes.json', 'role-fluentd.json', 'setup.sh', 'template-logs-kubernetes.json']);
    expect(setupSecrets('elasticsearch-elastic', setup)).toEqual([
      { name: 'elasticsearch-elastic', keys: ['password'] },
      { name: 'elasticsearch-user-fluentd', keys: ['username', 'password'] },
      { name: 'elasticsearch-kibana-system', keys: ['password'] },
    ]);
    expect(renderSetupScript({ ...setup, kibanaSystem: undefined })).not.toContain('set_builtin_password kibana_system');
  });
});

describe('elasticsearch.yml', () => {
  const profile: ElasticsearchProfile = PROFILES.production.logging.elasticsearch;
  const render = (p: Partial<ElasticsearchProfile>) =>
    renderElasticsearchConfig({
      profile: { ...profile, ...p },
      clusterName: 'production-logs',
      name: 'elasticsearch',
      headlessServiceName: 'elasticsearch-headless',
      namespace: 'monitoring',
    });

  it('bootstraps three nodes once from their names, and never again once the cluster has formed', () => {
    expect(render({ nodes: 3 })['cluster.initial_master_nodes']).toEqual(['elasticsearch-0', 'elasticsearch-1', 'elasticsearch-2']);
    expect(render({ nodes: 3 })['discovery.seed_hosts']).toEqual(['elasticsearch-headless.monitoring.svc']);
    expect(render({ nodes: 3, clusterFormed: true })).not.toHaveProperty(['cluster.initial_master_nodes']);
  });

  it('uses single-node discovery for one node, with no bootstrap list', () => {
    const c = render({ nodes: 1 });
    expect(c['discovery.type']).toBe('single-node');
    expect(c).not.toHaveProperty(['cluster.initial_master_nodes']);
  });

  it('keeps transport TLS on always and HTTP TLS as the profile says', () => {
    expect(render({ httpTls: false })['xpack.security.transport.ssl']).toMatchObject({ enabled: true, verification_mode: 'certificate' });
    expect(render({ httpTls: false })['xpack.security.http.ssl']).toEqual({ enabled: false });
    expect(render({ httpTls: true })['xpack.security.http.ssl']).toMatchObject({ enabled: true, certificate_authorities: ['certs/ca.crt'] });
  });

  it('turns memory-mapped storage off only when the profile trades the kernel setting for it', () => {
    expect(render({ maxMapCount: 'disable-mmap' })['node.store.allow_mmap']).toBe(false);
    expect(render({ maxMapCount: 'init-container' })).not.toHaveProperty(['node.store.allow_mmap']);
  });
});
