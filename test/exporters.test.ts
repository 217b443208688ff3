import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROFILES } from '../stacks/environments';
import { CORE_TRADING_SERVICES } from '../stacks/grekko-dependencies';
import { METRICS } from '../metrics';
import { ENVIRONMENTS, alter, find, ofKind, synth, synthProfile } from './support/synth';
import { describeWithTools, findTool, run } from './support/tools';

const promConfig = (env: (typeof ENVIRONMENTS)[number]) => parse(find(synth(env).objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
const job = (env: (typeof ENVIRONMENTS)[number], name: string) => {
  const j = promConfig(env).scrape_configs.find((x: any) => x.job_name === name);
  if (!j) throw new Error(`no scrape job ${name} in ${env}`);
  return j;
};
const container = (env: (typeof ENVIRONMENTS)[number], deployment: string) =>
  find(synth(env).objects, 'Deployment', deployment).spec.template.spec.containers[0];

describe.each(ENVIRONMENTS)("%s watches the trading system's dependencies", (env) => {
  it('scrapes PostgreSQL, Redis and Kafka through their exporters and InfluxDB directly', () => {
    const jobs = promConfig(env).scrape_configs.map((j: any) => j.job_name);
    expect(jobs).toEqual(
      expect.arrayContaining([
        'postgres-exporter',
        'redis-exporter',
        'kafka-exporter',
        'influxdb-timeseries',
        'blackbox-exporter',
        'blackbox-health',
        'blackbox-readiness',
        'blackbox-synthetic',
      ]),
    );
    expect(job(env, 'postgres-exporter').relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_name', '__meta_kubernetes_endpointslice_port_name'],
      regex: 'postgres-exporter;metrics',
      action: 'keep',
    });
    expect(job(env, 'influxdb-timeseries')).toMatchObject({
      metrics_path: '/metrics',
      kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: ['grekko'] } }],
    });
  });

  it('probes the health and readiness of every core trading service through the blackbox exporter', () => {
    for (const [name, path] of [
      ['blackbox-health', '/health'],
      ['blackbox-readiness', '/ready'],
    ] as const) {
      const j = job(env, name);
      expect(j.metrics_path).toBe('/probe');
      expect(j.static_configs.map((g: any) => g.labels.service).sort()).toEqual([...CORE_TRADING_SERVICES].sort());
      for (const g of j.static_configs) {
        expect(g.targets).toEqual([`http://${g.labels.service}.grekko.svc:8080${path}`]);
        expect(g.labels.__param_module).toBe('http_2xx');
      }
      // The multi-target pattern: the URL is the target parameter and the instance, the scrape goes to the exporter.
      expect(j.relabel_configs).toEqual([
        { source_labels: ['__address__'], target_label: '__param_target' },
        { source_labels: ['__param_target'], target_label: 'instance' },
        { target_label: '__address__', replacement: 'blackbox-exporter.monitoring.svc:9115' },
      ]);
    }
  });

  it('runs a dry-run synthetic order every 30 seconds that must come back accepted', () => {
    const j = job(env, 'blackbox-synthetic');
    expect(j.scrape_interval).toBe('30s');
    expect(j.static_configs).toEqual([
      {
        targets: ['http://order-service.grekko.svc:8080/api/v1/orders/synthetic'],
        labels: { __param_module: 'synthetic_order-roundtrip', service: 'order-service', check: 'order-roundtrip', probe: 'synthetic' },
      },
    ]);
    const bb = parse(find(synth(env).objects, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml']);
    const m = bb.modules['synthetic_order-roundtrip'];
    expect(m.http.method).toBe('POST');
    expect(m.http.headers['X-Dry-Run']).toBe('true');
    expect(JSON.parse(m.http.body)).toMatchObject({ dry_run: true });
    expect(m.http.valid_status_codes).toEqual([200]);
    expect(new RegExp(m.http.fail_if_body_not_matches_regexp[0]).test('{"status": "accepted", "dry_run": true}')).toBe(true);
    expect(new RegExp(m.http.fail_if_body_not_matches_regexp[0]).test('{"status": "rejected", "dry_run": true}')).toBe(false);
  });

  it('reads the PostgreSQL password from a mounted Secret file and logs in as a monitoring role', () => {
    const c = container(env, 'postgres-exporter-trading-db');
    const envs = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
    expect(envs.DATA_SOURCE_USER).toBe('grekko_monitor');
    expect(envs.DATA_SOURCE_PASS_FILE).toBe('/etc/postgres-exporter/secret/password');
    expect(envs.DATA_SOURCE_URI).toMatch(/^postgres(-primary)?\.grekko\.svc:5432\/grekko\?sslmode=/);
    expect(Object.keys(envs)).not.toContain('DATA_SOURCE_NAME');
    const vol = find(synth(env).objects, 'Deployment', 'postgres-exporter-trading-db').spec.template.spec.volumes[0];
    expect(vol.secret).toEqual({ secretName: 'postgres-exporter', defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] });
  });

  it('labels every exporter with the dependency it watches, which becomes the dependency label of its series', () => {
    for (const d of ofKind(synth(env).objects, 'Deployment').filter((o: any) => /-exporter-/.test(o.metadata.name))) {
      expect(d.spec.selector.matchLabels['monitoring/dependency']).toBe(d.metadata.labels['monitoring/dependency']);
    }
    expect(job(env, 'redis-exporter').relabel_configs).toContainEqual({
      source_labels: ['__meta_kubernetes_service_label_monitoring_dependency'],
      regex: '(.+)',
      target_label: 'dependency',
    });
  });
});

describe.each(ENVIRONMENTS)('every exporter of %s, the elasticsearch_exporter included', (env) => {
  const { objects } = synth(env);
  const exporters = ofKind(objects, 'Deployment').filter((d: any) => /-exporter(-|$)/.test(d.metadata.name));

  it('runs one replica without an API token, leaves a lost node within 30 s and serves metrics on a Service port named metrics', () => {
    expect(exporters.map((d: any) => d.metadata.name)).toContain('elasticsearch-exporter');
    for (const d of exporters) {
      const pod = d.spec.template.spec;
      expect(d.spec.replicas).toBe(1);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(d.metadata.name);
      expect(pod.tolerations.map((t: any) => [t.key, t.tolerationSeconds])).toEqual([
        ['node.kubernetes.io/not-ready', 30],
        ['node.kubernetes.io/unreachable', 30],
      ]);
      expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(pod.containers[0].readinessProbe.httpGet).toBeDefined();
      const service = find(objects, 'Service', d.metadata.name);
      expect(service.spec.ports.map((p: any) => p.name)).toEqual(['metrics']);
      expect(service.spec.selector).toEqual(d.spec.selector.matchLabels);
    }
  });
});

describe('credentials per environment', () => {
  it('local Redis needs no password; staging and production read it from a Secret reference', () => {
    expect(container('local', 'redis-exporter-cache').env).toBeUndefined();
    for (const env of ['staging', 'production'] as const) {
      expect(container(env, 'redis-exporter-cache').env).toEqual([
        { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-exporter', key: 'password' } } },
      ]);
    }
    expect(container('production', 'redis-exporter-cache').args).toContain('--redis.addr=rediss://redis.grekko.svc:6379');
  });

  it('production reaches Kafka over TLS with SCRAM, the password read from a Secret reference in the environment, never on the command line', () => {
    const c = container('production', 'kafka-exporter-events');
    expect(c.args).toEqual(
      expect.arrayContaining(['--tls.enabled', '--tls.ca-file=/etc/kafka-exporter/ca/ca.crt', '--sasl.enabled', '--sasl.mechanism=scram-sha512']),
    );
    // The password stays off the command line (ps, /proc/<pid>/cmdline): no argument names or expands it.
    expect(c.args.filter((a: string) => /sasl\.password|\$\(/.test(a))).toEqual([]);
    expect(c.args.filter((a: string) => a.startsWith('--kafka.server='))).toHaveLength(3);
    expect(c.env).toEqual([{ name: 'SASL_USER_PASSWORD', valueFrom: { secretKeyRef: { name: 'kafka-exporter', key: 'password' } } }]);
  });

  it('staging and production export per-statement time (the collector postgres_exporter registers disabled); local, whose server lacks the extension, does not', () => {
    expect(container('local', 'postgres-exporter-trading-db').args).not.toContain('--collector.stat_statements');
    for (const env of ['staging', 'production'] as const) expect(container(env, 'postgres-exporter-trading-db').args).toContain('--collector.stat_statements');
  });

  it('production watches the certificate of every dependency it reaches over TLS: Redis and each Kafka broker, verified against their CAs', () => {
    const { objects } = synth('production');
    const prom = parse(find(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
    const job = prom.scrape_configs.find((j: any) => j.job_name === 'blackbox-tls');
    const targets = job.static_configs.map((g: any) => [g.targets[0], g.labels.dependency, g.labels.__param_module]);
    expect(targets).toEqual([
      ['redis.grekko.svc:6379', 'cache', 'tls_cache_ca'],
      ...[0, 1, 2].map((i) => [`kafka-${i}.kafka-headless.grekko.svc:9093`, 'events', 'tls_kafka_exporter_ca']),
    ]);
    const modules = parse(find(objects, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml']).modules;
    expect(modules.tls_cache_ca).toEqual({
      prober: 'tcp',
      timeout: '5s',
      tcp: { preferred_ip_protocol: 'ip4', tls: true, tls_config: { ca_file: '/etc/blackbox-exporter/ca/cache-ca/ca.crt' } },
    });
    const mounts = find(objects, 'Deployment', 'blackbox-exporter').spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/etc/blackbox-exporter/ca/cache-ca', '/etc/blackbox-exporter/ca/kafka-exporter-ca']));
  });

  it('local, with no TLS dependency, probes no certificate', () => {
    const prom = parse(find(synth('local').objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
    expect(prom.scrape_configs.map((j: any) => j.job_name)).not.toContain('blackbox-tls');
  });

  it('production verifies the PostgreSQL server certificate', () => {
    expect(container('production', 'postgres-exporter-trading-db').env.find((e: any) => e.name === 'DATA_SOURCE_URI').value).toMatch(
      /sslmode=verify-full&sslrootcert=\/etc\/postgres-exporter\/ca\/ca\.crt$/,
    );
  });
});

describe('the exporter metrics in the catalog', () => {
  it('lists the metrics of every exporter this stack deploys, each with a type, unit and help', () => {
    const sources = new Set(METRICS.all.map((m) => m.source));
    for (const s of ['postgres-exporter', 'redis-exporter', 'kafka-exporter', 'blackbox-exporter', 'influxdb']) expect([s, sources.has(s)]).toEqual([s, true]);
    for (const m of METRICS.all) expect([m.name, m.unit.length > 0, m.help.length > 0]).toEqual([m.name, true, true]);
  });
});

const blackbox = findTool('prometheus-blackbox-exporter', 'prometheus-blackbox-exporter');
describeWithTools('the generated blackbox.yml passes blackbox_exporter --config.check', [blackbox], () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bbcheck-'));
    const file = path.join(dir, 'blackbox.yml');
    fs.writeFileSync(file, find(synth(env).objects, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml']);
    const r = run(blackbox.path!, ['--config.check', `--config.file=${file}`]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringMatching(/[Cc]onfig file is ok/) });
  });
});

describe('bad dependency settings fail synth with the field and the fix', () => {
  it.each([
    [
      'the PostgreSQL superuser',
      alter(PROFILES.staging, (p) => (p.dependencies.postgres[0].user = 'postgres')),
      /^profile "staging": dependencies\.postgres\[0\]\.user is "postgres"; use a role with pg_monitor/,
    ],
    [
      'a database address with a scheme',
      alter(PROFILES.local, (p) => (p.dependencies.redis[0].address = 'redis://redis.grekko.svc:6379')),
      /dependencies\.redis\[0\]\.address is "redis:\/\/redis\.grekko\.svc:6379"; use "host:port"/,
    ],
    [
      'a credential header in a synthetic check',
      alter(PROFILES.production, (p) => (p.dependencies.synthetic[0].headers = { Authorization: 'Bearer x' })),
      /dependencies\.synthetic\[0\]\.headers\.Authorization .*keep credentials out of synthetic checks/,
    ],
    [
      'a synthetic check of an unprobed service',
      alter(PROFILES.production, (p) => (p.dependencies.synthetic[0].service = 'billing')),
      /dependencies\.synthetic\[0\]\.service is "billing"; name one of the probed services: order-service/,
    ],
    [
      'SASL/PLAIN without TLS',
      alter(PROFILES.production, (p) => {
        p.dependencies.kafka[0].sasl.mechanism = 'plain';
        delete p.dependencies.kafka[0].tls;
      }),
      /dependencies\.kafka\[0\]\.sasl\.mechanism is "plain"; enable tls too/,
    ],
    [
      'two Redis targets with one name',
      alter(PROFILES.staging, (p) => p.dependencies.redis.push({ ...p.dependencies.redis[0] })),
      /dependencies\.redis\[1\]\.name is "cache"; give every redis target a distinct name/,
    ],
    [
      'verify-full with no CA to verify against',
      alter(PROFILES.production, (p) => delete p.dependencies.postgres[0].caSecretName),
      /dependencies\.postgres\[0\]\.caSecretName is missing; name the Secret holding the CA certificate of the server .*verify-full checks/,
    ],
    [
      'a CA with sslmode disable',
      alter(PROFILES.local, (p) => (p.dependencies.postgres[0].caSecretName = 'trading-db-ca')),
      /dependencies\.postgres\[0\]\.caSecretName is "trading-db-ca"; drop it, or use sslMode "verify-full"/,
    ],
    [
      'TLS to an in-cluster Redis with no CA',
      alter(PROFILES.production, (p) => delete p.dependencies.redis[0].caSecretName),
      /dependencies\.redis\[0\]\.caSecretName is missing; name the Secret holding the CA certificate of redis\.grekko\.svc:6379 .*no public CA signs an in-cluster name/,
    ],
    [
      'a Redis CA without TLS',
      alter(PROFILES.staging, (p) => (p.dependencies.redis[0].caSecretName = 'cache-ca')),
      /dependencies\.redis\[0\]\.caSecretName is "cache-ca"; set tls: true too/,
    ],
    [
      'an invalid body pattern',
      alter(PROFILES.local, (p) => (p.dependencies.synthetic[0].expectBody = '("unclosed')),
      /dependencies\.synthetic\[0\]\.expectBody is .*use a valid regular expression/,
    ],
  ])('%s', (_what, profile, message) => {
    expect(() => synthProfile(profile)).toThrow(message);
  });
});
