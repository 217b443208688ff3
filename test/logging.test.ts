import { parse } from 'yaml';
import { IMAGES } from '../lib/core/images';
import { LOG_FIELDS, LOG_STREAM } from '../lib/components/logging/log-fields';
import { fluentdBufferHours } from '../lib/components/fluentd/profile';
import { parseQuantity } from '../lib/core/units';
import { PROFILES } from '../stacks/environments';
import { findDirectives, parseFluentdConfig } from './support/fluentd-config';
import { ENVIRONMENTS, find, ofKind, podTemplates, synth } from './support/synth';

const esConfig = (env: (typeof ENVIRONMENTS)[number]) => parse(find(synth(env).objects, 'ConfigMap', 'elasticsearch-config').data['elasticsearch.yml']);
const setupFiles = (env: (typeof ENVIRONMENTS)[number]) => synth(env).stack.logging.elasticsearch.setupFiles();
const fluentConf = (env: (typeof ENVIRONMENTS)[number]) => parseFluentdConfig(find(synth(env).objects, 'ConfigMap', 'fluentd-config').data['fluent.conf']);
const heapMi = (sts: any) => Number(/-Xmx(\d+)m/.exec(sts.spec.template.spec.containers[0].env.find((e: any) => e.name === 'ES_JAVA_OPTS').value)![1]);

describe('the logging pipeline in every environment', () => {
  describe.each(ENVIRONMENTS)('%s', (env) => {
    const { objects, stack } = synth(env);
    const sts = find(objects, 'StatefulSet', 'elasticsearch');
    const es = sts.spec.template.spec.containers[0];

    it('gives Elasticsearch a heap of at most half its memory limit, in a Guaranteed-memory pod', () => {
      const limitMi = (parseQuantity(es.resources.limits.memory) as number) / 1024 ** 2;
      expect(heapMi(sts)).toBeLessThanOrEqual(limitMi / 2);
      expect(heapMi(sts)).toBeGreaterThanOrEqual(limitMi / 4);
      expect(es.resources.requests.memory).toBe(es.resources.limits.memory);
    });

    it('runs Kibana at the same version as Elasticsearch, as kibana_system, never as elastic', () => {
      expect(IMAGES.kibana.tag).toBe(IMAGES.elasticsearch.tag);
      const kibana = find(objects, 'Deployment', 'kibana');
      const versions = [sts, kibana].map((o) => o.spec.template.spec.containers[0].image.split(':').pop());
      expect(versions[0]).toBe(versions[1]);
      const yml = parse(find(objects, 'ConfigMap', 'kibana-config').data['kibana.yml']);
      expect(yml['elasticsearch.username']).toBe('kibana_system');
      expect(JSON.stringify(yml)).not.toMatch(/password|encryptionKey/i);
      const secrets = kibana.spec.template.spec.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName);
      expect(secrets).not.toContain('elasticsearch-elastic');
      expect(secrets).toEqual(expect.arrayContaining(['kibana-encryption-keys', 'elasticsearch-kibana-system']));
    });

    it('starts Elasticsearch nodes in parallel behind a headless Service that publishes not-ready addresses', () => {
      expect(sts.spec.podManagementPolicy).toBe('Parallel');
      expect(sts.spec.serviceName).toBe('elasticsearch-headless');
      const headless = find(objects, 'Service', 'elasticsearch-headless');
      expect(headless.spec.clusterIP).toBe('None');
      expect(headless.spec.publishNotReadyAddresses).toBe(true);
    });

    it('keeps security on: the elastic password from a Secret into the keystore, transport TLS always', () => {
      const c = esConfig(env);
      expect(c['xpack.security.enabled']).toBe(true);
      expect(c['xpack.security.transport.ssl']).toMatchObject({ enabled: true, certificate: 'certs/tls.crt', key: 'certs/tls.key' });
      const init = sts.spec.template.spec.initContainers.find((i: any) => i.name === 'config');
      expect(init.command.join(' ')).toContain('elasticsearch-keystore add --force --stdin bootstrap.password < /mnt/elastic/password');
      for (const c2 of [...sts.spec.template.spec.initContainers, ...sts.spec.template.spec.containers]) {
        for (const e of c2.env ?? []) expect(e.name).not.toMatch(/PASSWORD/);
      }
    });

    it("deletes logs after the profile's retention through a lifecycle policy on the log data stream", () => {
      const days = PROFILES[env].logging.elasticsearch.retentionDays;
      const policy = JSON.parse(setupFiles(env)['ilm-logs-kubernetes.json']);
      expect(policy.policy.phases.delete).toEqual({ min_age: `${days}d`, actions: { delete: {} } });
      expect(policy.policy.phases.hot.actions.rollover.max_age).toBe('1d');
      const template = JSON.parse(setupFiles(env)['template-logs-kubernetes.json']);
      expect(template.index_patterns).toEqual([LOG_STREAM.indexPattern]);
      expect(template.template.settings['index.lifecycle.name']).toBe('logs-kubernetes');
      expect(template.template.settings['index.number_of_replicas']).toBe(Math.min(1, PROFILES[env].logging.elasticsearch.nodes - 1));
    });

    it('creates a least-privilege user per client, from a Secret each, in the setup Job', () => {
      const files = setupFiles(env);
      const role = (n: string) => JSON.parse(files[`role-${n}.json`]);
      expect(role('fluentd')).toMatchObject({
        cluster: ['monitor'],
        indices: [{ names: [LOG_STREAM.dataStream], privileges: ['create_doc', 'auto_configure'] }],
      });
      expect(role('grafana').indices).toEqual([{ names: [LOG_STREAM.indexPattern], privileges: ['read', 'view_index_metadata'] }]);
      expect(role('elasticsearch-exporter')).toMatchObject({ cluster: ['monitor'], indices: [{ names: ['*'], privileges: ['monitor'] }] });
      expect(role('kibana-setup')).toMatchObject({ cluster: [], indices: [] });
      expect(files['setup.sh']).toContain(`put_user elasticsearch-user-kibana-setup '["kibana-setup","kibana_admin"]'`);
      expect(files['setup.sh']).toContain('set_builtin_password kibana_system elasticsearch-kibana-system/password');
      const job = ofKind(objects, 'Job').find((j: any) => j.metadata.name.startsWith('elasticsearch-setup-'));
      expect(job.metadata.name).toMatch(/^elasticsearch-setup-[0-9a-f]{16}$/);
      const mounted = job.spec.template.spec.volumes
        .find((v: any) => v.name === 'secrets')
        .projected.sources.map((s: any) => s.secret.name)
        .sort();
      const jaeger =
        env === 'local' ? [] : ['elasticsearch-user-jaeger-collector', 'elasticsearch-user-jaeger-index-cleaner', 'elasticsearch-user-jaeger-query'];
      expect(mounted).toEqual([
        'elasticsearch-elastic',
        'elasticsearch-kibana-system',
        'elasticsearch-user-elasticsearch-exporter',
        'elasticsearch-user-fluentd',
        'elasticsearch-user-grafana',
        ...jaeger,
        'elasticsearch-user-kibana-setup',
      ]);
      const jaegerClients = env === 'local' ? [] : ['jaeger-collector', 'jaeger-query', 'jaeger-index-cleaner'];
      expect(stack.logging.elasticsearch.registeredClients.map((c) => c.name)).toEqual([
        'fluentd',
        'kibana-setup',
        'elasticsearch-exporter',
        'grafana',
        ...jaegerClients,
      ]);
    });

    it('tails container logs with the CRI parser, skipping its own, and buffers to a file on the node that blocks rather than drops', () => {
      const conf = fluentConf(env);
      const tail = findDirectives(conf, 'source').find((s) => s.params['@type'] === 'tail')!;
      expect(tail.params.path).toBe('/var/log/containers/*.log');
      expect(tail.params.exclude_path).toBe('["/var/log/containers/fluentd-*_monitoring_fluentd-*.log"]');
      expect(tail.params.pos_file).toBe('/var/lib/fluentd/containers.log.pos');
      expect(findDirectives(tail, 'parse')[0].params['@type']).toBe('cri');
      const out = findDirectives(conf, 'match').find((m) => m.params['@type'] === 'elasticsearch')!;
      expect(out.params.index_name).toBe(LOG_STREAM.dataStream);
      expect(out.params.write_operation).toBe('create');
      expect(out.params.verify_es_version_at_startup).toBe('false');
      const buffer = findDirectives(out, 'buffer')[0].params;
      expect(buffer).toMatchObject({
        '@type': 'file',
        path: '/var/lib/fluentd/buffer/elasticsearch',
        total_limit_size: `${PROFILES[env].logging.fluentd.buffer.totalLimitGi}g`,
        overflow_action: 'block',
        retry_forever: 'true',
        retry_type: 'exponential_backoff',
      });
      const ds = find(objects, 'DaemonSet', 'fluentd').spec.template.spec;
      expect(ds.volumes).toContainEqual({ name: 'state', hostPath: { path: '/var/lib/fluentd-monitoring', type: 'DirectoryOrCreate' } });
      expect(ds.volumes).toContainEqual({ name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } });
      expect(ds.containers[0].volumeMounts).toContainEqual({ name: 'varlog', mountPath: '/var/log', readOnly: true });
      expect(ds.containers[0].securityContext).toMatchObject({
        capabilities: { drop: ['ALL'] },
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(ds.tolerations).toEqual([{ operator: 'Exists' }]);
    });

    it('gives Fluentd read-only access to pods and namespaces only', () => {
      expect(find(objects, 'ClusterRole', 'monitoring-fluentd').rules).toEqual([
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      ]);
    });

    it('names every log field as LOG_FIELDS says, in Fluentd, the index mapping and Grafana', () => {
      const record = findDirectives(fluentConf(env), 'filter').find((f) => f.params['@type'] === 'record_transformer')!;
      const written = Object.keys(findDirectives(record, 'record')[0].params).sort();
      const documented = Object.values(LOG_FIELDS).filter((f) => f !== '@timestamp' && f !== 'message');
      expect(written).toEqual([...documented].sort());
      const mappings = JSON.parse(setupFiles(env)['template-logs-kubernetes.json']).template.mappings;
      const mapped = (p: string) =>
        p.split('.').reduce((node: any, part, i, all) => (i === all.length - 1 ? node?.[part] : node?.[part]?.properties), mappings.properties);
      for (const f of Object.values(LOG_FIELDS)) expect([f, mapped(f)?.type]).toEqual([f, expect.stringMatching(/^(keyword|date_nanos|match_only_text)$/)]);
      expect(mapped(LOG_FIELDS.traceId).type).toBe('keyword');
      const ds = parse(find(objects, 'ConfigMap', 'grafana-provisioning').data['datasources.yaml']).datasources.find((d: any) => d.type === 'elasticsearch');
      expect(ds.jsonData).toMatchObject({ index: LOG_STREAM.indexPattern, timeField: '@timestamp', logMessageField: 'message', logLevelField: 'log.level' });
      expect(ds.basicAuthUser).toBe('$__file{/etc/grafana/secrets/datasources/elasticsearch-user-grafana/username}');
      expect(ds.secureJsonData.basicAuthPassword).toBe('$__file{/etc/grafana/secrets/datasources/elasticsearch-user-grafana/password}');
    });

    it("scrapes Fluentd and the elasticsearch_exporter, renaming the exporter's cluster label", () => {
      const jobs = parse(find(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).scrape_configs;
      const fluentd = jobs.find((j: any) => j.job_name === 'fluentd');
      expect(fluentd.relabel_configs[0]).toEqual({
        source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
        regex: 'fluentd;metrics',
        action: 'keep',
      });
      const exporter = jobs.find((j: any) => j.job_name === 'elasticsearch');
      expect(exporter.relabel_configs[0].regex).toBe('elasticsearch-exporter;metrics');
      expect(exporter.metric_relabel_configs).toEqual([
        { source_labels: ['cluster'], regex: '(.+)', target_label: 'es_cluster' },
        { action: 'labeldrop', regex: 'cluster' },
      ]);
      expect(find(objects, 'Service', 'fluentd').spec.ports).toEqual([{ name: 'metrics', port: 24231, targetPort: 24231 }]);
    });

    it('keeps every credential of the pipeline in files: no secret in an argument or a variable', () => {
      for (const { owner, spec } of podTemplates(objects)) {
        if (!/elasticsearch|kibana|fluentd/.test(owner.metadata.name)) continue;
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          for (const e of c.env ?? []) expect([owner.metadata.name, e.name, e.valueFrom?.secretKeyRef]).toEqual([owner.metadata.name, e.name, undefined]);
          expect(JSON.stringify([c.args ?? [], c.command ?? []])).not.toMatch(/:\/\/[^/@\s"]+:[^/@\s"]+@/);
        }
      }
    });
  });
});

describe('local (Phase 1) logging', () => {
  const { objects } = synth('local');
  it('is one Elasticsearch node with single-node discovery, no PVC, no privileged container, mmap off and plain HTTP', () => {
    const c = esConfig('local');
    expect(find(objects, 'StatefulSet', 'elasticsearch').spec.replicas).toBe(1);
    expect(c['discovery.type']).toBe('single-node');
    expect(c['cluster.initial_master_nodes']).toBeUndefined();
    expect(c['node.store.allow_mmap']).toBe(false);
    expect(c['xpack.security.http.ssl']).toEqual({ enabled: false });
    const spec = find(objects, 'StatefulSet', 'elasticsearch').spec;
    expect(spec.volumeClaimTemplates).toBeUndefined();
    expect(spec.template.spec.initContainers.map((i: any) => i.name)).toEqual(['config']);
    expect(ofKind(objects, 'PodDisruptionBudget').filter((p: any) => /elasticsearch|kibana/.test(p.metadata.name))).toEqual([]);
  });
  it('keeps 3 days of logs', () => {
    expect(JSON.parse(setupFiles('local')['ilm-logs-kubernetes.json']).policy.phases.delete.min_age).toBe('3d');
  });
});

describe.each(['staging', 'production'] as const)('%s logging', (env) => {
  const { objects } = synth(env);
  const sts = find(objects, 'StatefulSet', 'elasticsearch');

  it('runs three master-and-data nodes that discover each other through the headless Service and bootstrap once', () => {
    const c = esConfig(env);
    expect(sts.spec.replicas).toBe(3);
    expect(c['node.roles']).toEqual(expect.arrayContaining(['master', 'data']));
    expect(c['discovery.type']).toBeUndefined();
    expect(c['discovery.seed_hosts']).toEqual(['elasticsearch-headless.monitoring.svc']);
    expect(c['cluster.initial_master_nodes']).toEqual(['elasticsearch-0', 'elasticsearch-1', 'elasticsearch-2']);
  });

  it('gives each node its own volume, spreads nodes over hosts and allows one down at a time', () => {
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(`${(PROFILES[env].logging.elasticsearch.storage as any).sizeGi}Gi`);
    expect(sts.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 });
    expect(find(objects, 'PodDisruptionBudget', 'elasticsearch').spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('sets vm.max_map_count in a privileged init container, the only privileged container', () => {
    const init = sts.spec.template.spec.initContainers[0];
    expect(init).toMatchObject({
      name: 'max-map-count',
      command: ['sysctl', '-w', 'vm.max_map_count=262144'],
      securityContext: { privileged: true, runAsUser: 0 },
    });
    const privileged = podTemplates(objects).flatMap(({ owner, spec }) =>
      [...(spec.initContainers ?? []), ...spec.containers]
        .filter((c: any) => c.securityContext?.privileged)
        .map((c: any) => `${owner.metadata.name}/${c.name}`),
    );
    expect(privileged).toEqual(['elasticsearch/max-map-count']);
  });

  it('serves HTTP over TLS, and every client verifies it with the CA Secret', () => {
    expect(esConfig(env)['xpack.security.http.ssl']).toMatchObject({ enabled: true });
    const kibana = parse(find(objects, 'ConfigMap', 'kibana-config').data['kibana.yml']);
    expect(kibana['elasticsearch.hosts']).toEqual(['https://elasticsearch.monitoring.svc:9200']);
    expect(kibana['elasticsearch.ssl.verificationMode']).toBe('full');
    const out = findDirectives(fluentConf(env), 'match').find((m) => m.params['@type'] === 'elasticsearch')!;
    expect(out.params).toMatchObject({
      hosts: 'https://elasticsearch.monitoring.svc:9200',
      ca_file: '/var/run/secrets/elasticsearch-ca/ca.crt',
      ssl_verify: 'true',
    });
    expect(find(objects, 'Deployment', 'elasticsearch-exporter').spec.template.spec.containers[0].args).toContain(
      '--es.ca=/var/run/secrets/elasticsearch-ca/ca.crt',
    );
  });
});

describe('production (Phase 3) logging', () => {
  const { objects } = synth('production');
  it('keeps 30 days of logs', () => {
    expect(JSON.parse(setupFiles('production')['ilm-logs-kubernetes.json']).policy.phases.delete.min_age).toBe('30d');
  });
  it('runs two Kibana replicas on distinct nodes sharing their encryption keys, with a PDB', () => {
    const k = find(objects, 'Deployment', 'kibana');
    expect(k.spec.replicas).toBe(2);
    expect(k.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(k.spec.template.spec.volumes).toContainEqual({ name: 'keys', secret: { secretName: 'kibana-encryption-keys', defaultMode: 0o440 } });
    expect(k.spec.template.spec.initContainers[0].command.join(' ')).toContain('xpack.encryptedSavedObjects.encryptionKey < /mnt/keys/saved-objects-key');
    expect(find(objects, 'PodDisruptionBudget', 'kibana').spec.maxUnavailable).toBe(1);
  });
  it("holds at least 8 hours of a node's logs at 1 MB/s while Elasticsearch is down", () => {
    const hours = fluentdBufferHours(PROFILES.production.logging.fluentd, 1_000_000);
    expect(hours).toBeGreaterThanOrEqual(8);
    expect(hours).toBeCloseTo((32 * 1024 ** 3) / 1e6 / 3600, 6);
  });
});
