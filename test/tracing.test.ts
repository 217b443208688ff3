import { CORE_SERVICES } from '../metrics';
import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { Jaeger } from '../lib/components/jaeger/jaeger';
import { JAEGER_PORTS } from '../lib/components/jaeger/layout';
import { EnvironmentProfile, validateProfile } from '../lib/profile';
import { PROFILES } from '../stacks/environments';
import { schemaProblems } from './support/schema';
import { ENVIRONMENTS, alter, buildTestStack, find, ofKind, synth } from './support/synth';

type Env = (typeof ENVIRONMENTS)[number];

const jaegerObjects = (env: Env) => synth(env).objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'jaeger');
const deployments = (env: Env) => ofKind(jaegerObjects(env), 'Deployment');
/** The parsed config.yaml of a Deployment, read from the ConfigMap its pods mount. */
function configOf(env: Env, deployment: any): any {
  const cm = deployment.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name;
  return parse(find(synth(env).objects, 'ConfigMap', cm).data['config.yaml']);
}
/** Every `endpoint` value anywhere in a configuration tree. */
function endpoints(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => endpoints(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'endpoint' && typeof v === 'string') out.push(v);
      else endpoints(v, out);
    }
  }
  return out;
}
const portOf = (endpoint: string) => Number(endpoint.split(':').pop());
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('tracing in every environment', () => {
  describe.each(ENVIRONMENTS)('%s', (env) => {
    const { objects } = synth(env);

    it('generates a Jaeger v2 configuration with OTLP in, the health check, and every listener on 0.0.0.0', () => {
      for (const d of deployments(env)) {
        const cfg = configOf(env, d);
        const eps = endpoints(cfg);
        expect(eps.length).toBeGreaterThan(0);
        for (const e of eps) expect([d.metadata.name, e]).toEqual([d.metadata.name, expect.stringMatching(/^0\.0\.0\.0:\d+$/)]);
        expect(cfg.service.extensions).toContain('healthcheckv2');
        expect(cfg.extensions.healthcheckv2).toMatchObject({ use_v2: true, http: { endpoint: '0.0.0.0:13133', status: { enabled: true, path: '/status' } } });
        expect(cfg.service.telemetry.metrics.readers).toEqual([{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }]);
        for (const ext of cfg.service.extensions) expect(Object.keys(cfg.extensions)).toContain(ext);
        const pipeline = cfg.service.pipelines.traces;
        for (const r of pipeline.receivers) expect(Object.keys(cfg.receivers)).toContain(r);
        for (const x of pipeline.exporters) expect(Object.keys(cfg.exporters)).toContain(x);
        for (const p of pipeline.processors ?? []) expect(Object.keys(cfg.processors)).toContain(p);
      }
      const receiving = deployments(env).filter((d) => configOf(env, d).receivers.otlp);
      expect(receiving).toHaveLength(1);
      const cfg = configOf(env, receiving[0]);
      expect(cfg.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
      expect(cfg.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['jaeger_storage_exporter'] });
      expect(cfg.extensions.remote_sampling.file.path).toBe('/etc/jaeger/sampling/strategies.json');
    });

    it('probes the health-check extension and opens a container port for every listener', () => {
      for (const d of deployments(env)) {
        const c = d.spec.template.spec.containers[0];
        const cfg = configOf(env, d);
        const health = portOf(cfg.extensions.healthcheckv2.http.endpoint);
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) expect(probe.httpGet).toEqual({ path: '/status', port: health });
        const open = c.ports.map((p: any) => p.containerPort).sort();
        const listening = [...endpoints(cfg).map(portOf), cfg.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port].sort();
        expect(open).toEqual(listening);
        expect(c.args).toEqual(['--config=/etc/jaeger/config/config.yaml']);
        expect(c.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/jaeger/config', readOnly: true });
      }
    });

    it('lets trading services send OTLP to the jaeger-collector Service and people read traces at jaeger-query', () => {
      const collector = find(objects, 'Service', 'jaeger-collector');
      const ports = Object.fromEntries(collector.spec.ports.map((p: any) => [p.name, [p.port, p.appProtocol]]));
      expect(ports).toMatchObject({ 'otlp-grpc': [4317, 'grpc'], 'otlp-http': [4318, 'http'], 'sampling-http': [5778, 'http'], metrics: [8888, 'http'] });
      const query = find(objects, 'Service', 'jaeger-query');
      expect(query.spec.ports.find((p: any) => p.name === 'http').port).toBe(16686);
      // Each Service selects exactly the pods that listen on its ports.
      for (const svc of [collector, query]) {
        const pods = deployments(env).filter((d) => selects(svc.spec.selector, d.spec.template.metadata.labels));
        expect([svc.metadata.name, pods.length]).toEqual([svc.metadata.name, 1]);
        const open = pods[0].spec.template.spec.containers[0].ports.map((p: any) => p.containerPort);
        for (const p of svc.spec.ports) expect([svc.metadata.name, p.name, open.includes(p.targetPort)]).toEqual([svc.metadata.name, p.name, true]);
      }
    });

    it('has Prometheus scrape every Jaeger process once, on its metrics port', () => {
      const prom = parse(find(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
      const jobs = prom.scrape_configs.filter((j: any) => /^jaeger/.test(j.job_name));
      expect(jobs.map((j: any) => j.job_name).sort()).toEqual(
        deployments(env)
          .map((d) => d.metadata.name)
          .sort(),
      );
      for (const job of jobs) {
        const [svcName, portName] = job.relabel_configs[0].regex.split(';');
        const svc = find(objects, 'Service', svcName.replace(/\\/g, ''));
        expect(svc.spec.ports.find((p: any) => p.name === portName).port).toBe(JAEGER_PORTS.metrics);
      }
      const metricsPorts = ['jaeger-collector', 'jaeger-query'].flatMap((s) => find(objects, 'Service', s).spec.ports.filter((p: any) => p.name === 'metrics'));
      expect(metricsPorts).toHaveLength(jobs.length);
    });

    it('holds no secret value: no password in the configuration, credentials only as mounted files or Secret references', () => {
      for (const o of jaegerObjects(env) as any[]) {
        const text = JSON.stringify(o);
        expect([o.kind, o.metadata.name, /"password"\s*:|ES_PASSWORD"\s*,\s*"value"/i.test(text)]).toEqual([o.kind, o.metadata.name, false]);
      }
      for (const d of deployments(env)) {
        for (const e of d.spec.template.spec.containers[0].env ?? [])
          expect([e.name, e.value, e.valueFrom?.secretKeyRef !== undefined]).toEqual([e.name, undefined, true]);
      }
    });

    it('runs as a non-root user on a read-only root filesystem, without a service-account token', () => {
      for (const d of [...deployments(env), ...ofKind(jaegerObjects(env), 'CronJob')]) {
        const spec = d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template.spec : d.spec.template.spec;
        expect([d.metadata.name, spec.securityContext.runAsUser, spec.automountServiceAccountToken]).toEqual([d.metadata.name, 10001, false]);
        expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
      }
    });

    it('validates against the Kubernetes schema', () => {
      expect(schemaProblems(jaegerObjects(env))).toEqual([]);
    });

    it('gives Grafana a Jaeger datasource linking spans to their logs and to their service metrics', () => {
      const ds = parse(find(objects, 'ConfigMap', 'grafana-provisioning').data['datasources.yaml']).datasources.find((d: any) => d.uid === 'jaeger');
      expect(ds).toMatchObject({ type: 'jaeger', url: 'http://jaeger-query.monitoring.svc:16686' });
      expect(ds.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: 'logs-kubernetes', customQuery: true, query: 'trace.id:"${__trace.traceId}"' });
      expect(ds.jsonData.tracesToMetrics).toMatchObject({ datasourceUid: 'prometheus', tags: [{ key: 'service.name', value: 'job' }] });
      expect(ds.jsonData.tracesToMetrics.queries.map((q: any) => q.query).join('\n')).toMatch(/http_requests_total\{\$__tags\}/);
    });
  });
});

describe('local (Phase 1) tracing', () => {
  const { objects } = synth('local');

  it('runs one Jaeger process with the memory store, replaced rather than surged, and no clean-up job', () => {
    const [d] = deployments('local');
    expect([d.metadata.name, d.spec.replicas, d.spec.strategy.type]).toEqual(['jaeger', 1, 'Recreate']);
    const cfg = configOf('local', d);
    expect(cfg.extensions.jaeger_storage.backends.traces).toEqual({ memory: { max_traces: 20000 } });
    expect(cfg.service.extensions).toEqual(expect.arrayContaining(['jaeger_storage', 'jaeger_query', 'remote_sampling', 'healthcheckv2']));
    expect(cfg.extensions.jaeger_query).toMatchObject({ http: { endpoint: '0.0.0.0:16686' }, grpc: { endpoint: '0.0.0.0:16685' } });
    expect(ofKind(jaegerObjects('local'), 'CronJob', 'PodDisruptionBudget')).toEqual([]);
  });

  it('samples every trace', () => {
    expect(JSON.parse(find(objects, 'ConfigMap', 'jaeger-sampling').data['strategies.json'])).toEqual({
      default_strategy: { type: 'probabilistic', param: 1 },
      service_strategies: [],
    });
  });

  it('needs no Secret for tracing', () => {
    expect(
      synth('local')
        .stack.expectedSecrets.map((s) => s.name)
        .filter((n) => n.includes('jaeger')),
    ).toEqual([]);
  });
});

describe.each([
  ['staging', 1, 3, { prefix: 'grekko', shards: 1, replicas: 0 }],
  ['production', 2, 7, { prefix: 'grekko', shards: 2, replicas: 1 }],
] as const)('%s tracing on Elasticsearch', (env, replicas, days, index) => {
  const { objects, elasticsearch } = synth(env);
  const collector = find(objects, 'Deployment', 'jaeger-collector');
  const query = find(objects, 'Deployment', 'jaeger-query');

  it(`runs ${replicas} collector(s) and ${replicas} query instance(s)${replicas > 1 ? ', each with a disruption budget' : ''}`, () => {
    expect([collector.spec.replicas, query.spec.replicas]).toEqual([replicas, replicas]);
    expect(
      ofKind(jaegerObjects(env), 'PodDisruptionBudget')
        .map((p: any) => [p.metadata.name, p.spec.maxUnavailable])
        .sort(),
    ).toEqual(
      replicas > 1
        ? [
            ['jaeger-collector', 1],
            ['jaeger-query', 1],
          ]
        : [],
    );
    // Disruption budgets select exactly their own workload's pods.
    for (const pdb of ofKind(jaegerObjects(env), 'PodDisruptionBudget')) {
      const matched = deployments(env).filter((d) => selects(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels));
      expect(matched.map((d) => d.metadata.name)).toEqual([pdb.metadata.name]);
    }
  });

  it('quotes the index date layout, so Jaeger reads a string rather than a date', () => {
    const text = find(objects, 'ConfigMap', 'jaeger-collector-config').data['config.yaml'];
    expect(text).toContain('date_layout: "2006-01-02"');
    expect(text).not.toMatch(/date_layout: 2006/);
  });

  it(`stores spans in daily "${index.prefix}" indices with ${index.shards} shard(s) and ${index.replicas} replica(s), credentials and CA from Secrets`, () => {
    for (const d of [collector, query]) {
      const es = configOf(env, d).extensions.jaeger_storage.backends.traces.elasticsearch;
      expect(es.server_urls).toEqual([elasticsearch.url]);
      expect(es.indices.index_prefix).toBe(index.prefix);
      for (const kind of ['spans', 'services', 'dependencies', 'sampling']) {
        expect(es.indices[kind]).toEqual({ date_layout: '2006-01-02', rollover_frequency: 'day', shards: index.shards, replicas: index.replicas });
      }
      expect(es.auth.basic).toEqual({ username: '${env:ES_USERNAME}', password_file: '/etc/jaeger/elasticsearch/password' });
      expect(es.tls).toEqual({ insecure: false, ca_file: '/etc/jaeger/elasticsearch-ca/ca.crt' });
      expect(es.max_span_age).toBe(`${days * 24}h`);
      const spec = d.spec.template.spec;
      const user = `elasticsearch-user-${d.metadata.name}`;
      expect(spec.containers[0].env).toEqual([{ name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: user, key: 'username' } } }]);
      expect(spec.volumes).toContainEqual({
        name: 'es-credentials',
        secret: { secretName: user, defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] },
      });
      expect(spec.volumes).toContainEqual({
        name: 'es-ca',
        secret: { secretName: 'elasticsearch-ca', defaultMode: 0o444, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
    }
    // Only the collector installs index templates.
    expect(configOf(env, collector).extensions.jaeger_storage.backends.traces.elasticsearch.create_mappings).toBe(true);
    expect(configOf(env, query).extensions.jaeger_storage.backends.traces.elasticsearch.create_mappings).toBe(false);
  });

  it('asks Elasticsearch for a least-privilege user per role: collectors write, query reads, the cleaner deletes old indices', () => {
    const byName = Object.fromEntries(elasticsearch.registeredClients.filter((c) => c.name.startsWith('jaeger-')).map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['jaeger-collector', 'jaeger-index-cleaner', 'jaeger-query']);
    for (const c of Object.values(byName)) expect(c.indices).toEqual([`${index.prefix}-jaeger-*`]);
    expect(byName['jaeger-collector'].indexPrivileges).not.toContain('delete_index');
    expect(byName['jaeger-collector'].indexPrivileges).not.toContain('read');
    expect(byName['jaeger-query'].indexPrivileges).toEqual(['read', 'view_index_metadata']);
    expect(byName['jaeger-index-cleaner'].indexPrivileges).toContain('delete_index');
    expect(byName['jaeger-index-cleaner'].indexPrivileges).not.toContain('index');
    for (const c of Object.values(byName)) expect(c.clusterPrivileges ?? []).not.toContain('all');
  });

  it(`deletes indices older than ${days} days every day, reading its credentials from files`, () => {
    const cron = find(objects, 'CronJob', 'jaeger-index-cleaner');
    expect(cron.spec).toMatchObject({ schedule: '15 0 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const job = cron.spec.jobTemplate.spec;
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
    const c = job.template.spec.containers[0];
    const script: string = c.args[0];
    expect(script).toMatch(
      new RegExp(`exec /go/bin/es-index-cleaner-linux --index-prefix=${index.prefix} .* ${days} ${elasticsearch.url.replace(/\./g, '\\.')}$`),
    );
    expect(script).toContain('ES_PASSWORD="$(cat /etc/jaeger/elasticsearch/password)"');
    expect(c.env).toBeUndefined();
    expect(job.template.spec.volumes[0].secret.secretName).toBe('elasticsearch-user-jaeger-index-cleaner');
  });

  it('rolls out collectors one extra pod at a time, never below the wanted count', () => {
    expect(collector.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });
});

describe('production tracing samples', () => {
  const strategies = JSON.parse(find(synth('production').objects, 'ConfigMap', 'jaeger-sampling').data['strategies.json']);

  it('one trace in ten by default, every order execution and risk decision, one market-data trace in a hundred', () => {
    expect(strategies.default_strategy).toEqual({ type: 'probabilistic', param: 0.1 });
    const of = (s: string) => strategies.service_strategies.find((x: any) => x.service === s);
    expect(of('order-service')).toEqual({ service: 'order-service', type: 'probabilistic', param: 1 });
    expect(of('risk-service').param).toBe(1);
    expect(of('market-data-service').param).toBe(0.01);
  });

  it('every override is keyed by the service.name a service of the contract reports, so none is silently ignored', () => {
    for (const s of strategies.service_strategies) expect([s.service, CORE_SERVICES.includes(s.service)]).toEqual([s.service, true]);
  });

  it('an override naming no service of the contract fails synth with the nearest name', () => {
    const wrong = alter(PROFILES.production, (p) => (p.jaeger.sampling.services[0].service = 'order-execution'));
    expect(() => buildTestStack(wrong)).toThrow(
      /^profile "production": jaeger\.sampling\.services\[0\]\.service is "order-execution"; no service of the monitored system reports that service\.name; use one of order-service, /,
    );
    const typo = alter(PROFILES.production, (p) => (p.jaeger.sampling.services[0].service = 'order-servce'));
    expect(() => buildTestStack(typo)).toThrow(/services\[0\]\.service is "order-servce"; did you mean "order-service"\? /);
  });

  it('rolls the collectors when the sampling strategies change', () => {
    const changed = alter(PROFILES.production, (p) => (p.jaeger.sampling.defaultProbability = 0.2));
    const other = buildTestStack(changed).stack.toJson();
    const sum = (objs: any[]) =>
      objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'jaeger-collector').spec.template.metadata.annotations['checksum/config'];
    expect(sum(other)).not.toBe(sum(synth('production').objects));
  });
});

describe('bad tracing input fails synth with a message naming the field and the fix', () => {
  const cases: Array<[string, EnvironmentProfile, RegExp]> = [
    [
      'a sampling probability above 1',
      alter(PROFILES.production, (p) => (p.jaeger.sampling.defaultProbability = 1.5)),
      /^profile "production": jaeger\.sampling\.defaultProbability is 1\.5; use a probability from 0 \(keep no traces\) to 1/,
    ],
    [
      'a negative per-service probability',
      alter(PROFILES.production, (p) => (p.jaeger.sampling.services[0].probability = -0.1)),
      /^profile "production": jaeger\.sampling\.services\[0\]\.probability is -0\.1; use a probability from 0/,
    ],
    [
      'a retention of 0 days',
      alter(PROFILES.staging, (p) => (p.jaeger.storage.retentionDays = 0)),
      /^profile "staging": jaeger\.storage\.retentionDays is 0; keep traces for a whole number of days of 1 or more/,
    ],
    [
      'two overrides for one service',
      alter(PROFILES.production, (p) => p.jaeger.sampling.services.push({ service: 'order-service', probability: 0.5 })),
      /services\[3\]\.service is "order-service"; give each service one override/,
    ],
    [
      'an index prefix Elasticsearch refuses',
      alter(PROFILES.staging, (p) => (p.jaeger.storage.indexPrefix = 'Grekko_')),
      /jaeger\.storage\.indexPrefix is "Grekko_"; use lowercase letters/,
    ],
    [
      'collectors with memory storage',
      alter(PROFILES.local, (p) => (p.jaeger.collector = (PROFILES.production.jaeger as any).collector)),
      /jaeger\.collector is "collector"; leave it out with memory storage/,
    ],
    ['an unknown storage kind', alter(PROFILES.local, (p) => (p.jaeger.storage.kind = 'cassandra')), /jaeger\.storage\.kind is "cassandra"; use "memory"/],
    [
      'a clean-up schedule that is not cron',
      alter(PROFILES.staging, (p) => (p.jaeger.storage.cleanupSchedule = 'daily')),
      /jaeger\.storage\.cleanupSchedule is "daily"; use a five-field cron schedule/,
    ],
  ];

  it.each(cases)('%s', (_what, profile, message) => {
    expect(() => validateProfile(profile)).toThrow(message);
  });

  it('a staging profile asking for Elasticsearch storage where no Elasticsearch is given', () => {
    const chart = new Chart(new App(), 'no-elasticsearch');
    expect(() => new Jaeger(chart, 'jaeger', { ctx: synth('staging').stack.context, profile: PROFILES.staging.jaeger, where: 'profile "staging"' })).toThrow(
      /^profile "staging": jaeger\.storage\.kind is "elasticsearch"; this stack has no Elasticsearch to store spans in: enable Elasticsearch in the profile, or use \{ kind: "memory", maxTraces \} storage$/,
    );
  });

  it('accepts the shipped profiles', () => {
    for (const p of Object.values(PROFILES)) expect(() => validateProfile(p)).not.toThrow();
  });
});

describe('one click from metrics to traces', () => {
  it('links latency exemplars in the Prometheus datasource to the Jaeger datasource by trace id', () => {
    const ds = parse(find(synth('production').objects, 'ConfigMap', 'grafana-provisioning').data['datasources.yaml']).datasources;
    expect(ds.find((d: any) => d.uid === 'prometheus').jsonData.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'jaeger' }]);
    expect(ds.map((d: any) => d.uid)).toContain('jaeger');
    const args: string[] = find(synth('production').objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
    expect(args).toContain('--enable-feature=exemplar-storage');
  });

  it.each([
    ['grekko-development', '${service}'],
    ['grekko-trading', 'order-service'],
  ])('the %s dashboard links to the traces of %s in Explore', (uid, service) => {
    const cm = find(synth('local').objects, 'ConfigMap', `grafana-dashboard-${uid}`);
    const model = JSON.parse(Object.values(cm.data as Record<string, string>)[0]);
    const link = model.links.find((l: any) => String(l.url).startsWith('/explore?'));
    const panes = JSON.parse(decodeURIComponent(new URL(`http://grafana${link.url}`).searchParams.get('panes')!));
    expect(panes.traces.datasource).toBe('jaeger');
    expect(panes.traces.queries[0]).toMatchObject({ queryType: 'search', service });
  });
});
