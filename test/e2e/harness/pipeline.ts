/**
 * The whole alerting pipeline on loopback, built from what synth generates for one environment:
 *
 * - Prometheus runs the generated prometheus.yml with only service discovery swapped: every
 *   `kubernetes_sd_configs` block becomes static target groups carrying the same `__meta_kubernetes_*`
 *   labels Kubernetes discovery would attach, so the generated relabelling (keep rules, job and
 *   dependency labels) runs unchanged. In-cluster addresses are mapped to their loopback stand-ins.
 * - Prometheus loads the generated rule files unchanged: Grekko's real alerts, with their real `for:`
 *   durations.
 * - Alertmanager runs the generated alertmanager.yml (routes, grouping, inhibitions) with each
 *   receiver pointed at a local webhook that records what arrives, under the receiver's name.
 * - PostgreSQL, Redis and their exporters, the blackbox and node exporters are Debian's real
 *   programs; exporters run with the arguments and environment of their generated Deployments.
 * - The trading services are stand-ins (prom-client) the test controls, one per core service of the
 *   metrics contract, each exposing the contract's metrics (metrics/trading.ts) with its labels.
 * - Components Debian does not package (InfluxDB 2.x, Kafka, Elasticsearch, Jaeger) are stand-ins
 *   too: a `/metrics` endpoint behind their generated scrape job (for Kafka and Elasticsearch, their
 *   exporter's), exposing their catalog metrics at healthy values, so that the alerts about their
 *   absence have no reason to fire.
 *
 * With `timing: 'test'` the scrape and evaluation intervals and Alertmanager's group waits are
 * shortened (2 s scrapes, 1 s evaluations and group wait) so a fault is seen in seconds; the rules'
 * own `for:` and range windows are untouched. With `timing: 'profile'` every generated interval
 * stays as it is.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { App } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { EnvironmentProfile } from '../../../lib/profile';
import { MonitoringStack } from '../../../lib/stack';
import { KubeObject } from '../../../lib/synth';
import { STAT_STATEMENTS_FLAG } from '../../../lib/components/exporters/postgres-exporter';
import { IMAGES } from '../../../lib/core/images';
import { parseDuration } from '../../../lib/core/units';
import { buildStack } from '../../../stacks/environments';
import { ProcessGroup, freePort, httpGet, sleep, waitFor, waitHttpOk } from './processes';
import { CORE_SERVICES, METRICS, TRADING_METRICS, TRADING_NAMESPACE } from '../../../metrics';
import { E2E_TOOLS } from './tools';
import { StandInService } from './trading-service';
import { WebhookRecorder } from './webhook';
import { documentedCiPush } from './ci-push';
import { LoopbackPostgres, LoopbackRedis } from './datastores';

export interface PipelineOptions {
  readonly profile: EnvironmentProfile;
  /** 'test': short intervals of the suite's own; 'profile': the generated intervals unchanged. */
  readonly timing: 'test' | 'profile';
  /** Keep the scratch folder (configs, logs) after stopping. @default false */
  readonly keepWorkDir?: boolean;
  /**
   * 'single': one Prometheus and one Alertmanager with clustering off, a fresh notification log on
   * every Alertmanager start. 'profile': as many Prometheus replicas (each with its own `replica`
   * external label and data) and Alertmanager peers (meshed with `--cluster.peer` on loopback,
   * each keeping its data across restarts) as the profile runs. @default 'single'
   */
  readonly topology?: 'single' | 'profile';
}

/** A Service's endpoint as Kubernetes discovery would report it. */
interface FakeEndpoint {
  readonly namespace: string;
  readonly service: string;
  readonly portName: string;
  readonly address: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly pod: string;
}

/** The scrape jobs of the Thanos components (their contract with the content: metrics/thanos.ts). */
const THANOS_JOBS = ['thanos-sidecar', 'thanos-query', 'thanos-store', 'thanos-compact'] as const;
/** The Service and port each Thanos job discovers (lib/components/thanos/thanos.ts scrapeJobs). */
const THANOS_SERVICES: Readonly<Record<(typeof THANOS_JOBS)[number], readonly [string, string]>> = {
  'thanos-sidecar': ['prometheus-headless', 'thanos-http'],
  'thanos-query': ['thanos-query', 'http'],
  'thanos-store': ['thanos-store', 'http'],
  'thanos-compact': ['thanos-compact', 'http'],
};

/** Test-only credentials the generated manifests reference by Secret name and key. */
const PG_MONITOR_PASSWORD = 'pipeline-test-pg-password';
const REDIS_PASSWORD = 'pipeline-test-redis-password';

/**
 * Flags of the pinned exporter images that Debian's older builds refuse, dropped when those run:
 * postgres_exporter 0.11 has no `stat_statements` collector (it came with the collector package,
 * prometheus-community/postgres_exporter v0.17.1 collector/pg_stat_statements.go).
 */
const DEBIAN_LACKS_FLAGS: readonly string[] = [STAT_STATEMENTS_FLAG];

export class Pipeline {
  public readonly stack: MonitoringStack;
  public readonly objects: KubeObject[];
  public readonly workDir: string;
  public readonly procs: ProcessGroup;
  public readonly webhook = new WebhookRecorder();
  /** The stand-in trading services, by service name. */
  public readonly services = new Map<string, StandInService>();
  /**
   * Stand-ins for components with no Debian package, by the Service their scrape job discovers, or
   * by the scrape job itself (`job`) where the job's name is the fixed point (Thanos).
   */
  public readonly components = new Map<string, { svc: StandInService; endpoint: Omit<FakeEndpoint, 'address' | 'pod'>; job?: string }>();
  public readonly ports: Record<string, number> = {};
  /** The derived configuration files, for inspection by tests. */
  public prometheusConfig: any;
  public alertmanagerConfig: any;
  private readonly opts: PipelineOptions;
  private started = false;

  constructor(opts: PipelineOptions) {
    this.opts = opts;
    this.stack = buildStack(opts.profile, new App());
    this.objects = this.stack.toJson() as KubeObject[];
    this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-'));
    fs.chmodSync(this.workDir, 0o755);
    this.procs = new ProcessGroup(path.join(this.workDir, 'logs'));
  }

  private obj(kind: string, name: string): any {
    const o = this.objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`the generated ${this.opts.profile.name} stack has no ${kind} ${name}`);
    return o;
  }

  private dir(...parts: string[]): string {
    const d = path.join(this.workDir, ...parts);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** How many Prometheus replicas run. */
  public get prometheusReplicas(): number {
    return this.opts.topology === 'profile' ? this.opts.profile.prometheus.replicas : 1;
  }

  /** How many Alertmanager peers run. */
  public get alertmanagerPeers(): number {
    return this.opts.topology === 'profile' ? this.opts.profile.alertmanager.replicas : 1;
  }

  /** The value of `--<flag>=` among the arguments of the generated StatefulSet's first container, if set. */
  public generatedFlag(statefulSet: string, flag: string): string | undefined {
    const args: string[] = this.obj('StatefulSet', statefulSet).spec.template.spec.containers[0].args ?? [];
    return args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  }

  /** A duration flag of the generated StatefulSet, or the program's default when it is not set. */
  private durationFlag(statefulSet: string, flag: string, defaultValue: string): number {
    const text = this.generatedFlag(statefulSet, flag) ?? defaultValue;
    const ms = parseDuration(text);
    if (ms === undefined) throw new Error(`--${flag}=${text} of StatefulSet ${statefulSet} is not a duration`);
    return ms;
  }

  /**
   * How long each Alertmanager peer waits per position in the mesh before it notifies, so that
   * the peers before it can: `--cluster.peer-timeout`, 15 s by default (cmd/alertmanager/main.go,
   * v0.25.0 as v0.28.1). Peer `k` of the mesh waits `k` times this.
   */
  public get peerTimeoutMs(): number {
    return this.durationFlag('alertmanager', 'cluster.peer-timeout', '15s');
  }

  /** `--rules.alert.resend-delay` of Prometheus: 1m by default (cmd/prometheus/main.go, v2.42.0 as v3.5.0). */
  public get resendDelayMs(): number {
    return this.durationFlag('prometheus', 'rules.alert.resend-delay', '1m');
  }

  /**
   * `--rules.alert.for-grace-period` of Prometheus: 10m by default (cmd/prometheus/main.go, v2.42.0
   * as v3.5.0). A rule whose `for:` is shorter has no `for` state restored after a restart.
   */
  public get forGracePeriodMs(): number {
    return this.durationFlag('prometheus', 'rules.alert.for-grace-period', '10m');
  }

  /** The web port of Prometheus replica `i` (replica 0 is `ports.prometheus`). */
  public prometheusPort(i: number): number {
    return i === 0 ? this.ports.prometheus : this.ports[`prometheus-${i}`];
  }

  /** The web port of Alertmanager peer `i` (peer 0 is `ports.alertmanager`). */
  public alertmanagerPort(i: number): number {
    return i === 0 ? this.ports.alertmanager : this.ports[`alertmanager-${i}`];
  }

  public async start(): Promise<void> {
    this.started = true;
    for (const k of ['prometheus', 'alertmanager', 'postgres', 'postgresExporter', 'redis', 'redisExporter', 'blackbox', 'nodeExporter', 'pushgateway'])
      this.ports[k] = await freePort();
    for (let i = 1; i < this.prometheusReplicas; i++) this.ports[`prometheus-${i}`] = await freePort();
    for (let i = 0; i < this.alertmanagerPeers; i++) {
      if (i > 0) this.ports[`alertmanager-${i}`] = await freePort();
      this.ports[`alertmanager-cluster-${i}`] = await freePort();
    }
    await this.webhook.start();

    // Stand-in trading services: every core service of the metrics contract and every probed service.
    const names = [...new Set([...CORE_SERVICES, ...(this.opts.profile.dependencies?.services ?? []).map((x) => x.name)])];
    for (const name of names) {
      const metrics = TRADING_METRICS.filter((m) => m.source === 'every trading service' || m.source === name);
      const svc = new StandInService({ name, metrics });
      await svc.start();
      this.services.set(name, svc);
    }
    this.services.get('risk-service')?.gauge('grekko_risk_limit_utilization_ratio').set({ limit: 'max_position_btc' }, 0.6);
    await this.startComponentStandIns();
    await this.startTlsEndpoint();

    await this.startPostgres();
    this.createMonitoringRole();
    await this.startRedis();
    this.startExporter('postgres-exporter', E2E_TOOLS.postgresExporter.path!, this.pgExporterDeployment(), this.ports.postgresExporter);
    this.startExporter('redis-exporter', E2E_TOOLS.redisExporter.path!, this.redisExporterDeployment(), this.ports.redisExporter);
    this.startExporter('blackbox-exporter', E2E_TOOLS.blackboxExporter.path!, 'blackbox-exporter', this.ports.blackbox);
    this.procs.start('node-exporter', E2E_TOOLS.nodeExporter.path!, [
      `--web.listen-address=127.0.0.1:${this.ports.nodeExporter}`,
      '--no-collector.wifi',
      '--no-collector.hwmon',
    ]);
    // Debian's Pushgateway behind the generated Service, holding the CI push as docs/metrics.md shows it.
    if (this.objects.some((o) => o.kind === 'Service' && o.metadata.name === 'pushgateway')) {
      this.procs.start('pushgateway', E2E_TOOLS.pushgateway.path!, [`--web.listen-address=127.0.0.1:${this.ports.pushgateway}`]);
      await waitHttpOk(`http://127.0.0.1:${this.ports.pushgateway}/-/ready`, 30_000);
      const push = documentedCiPush();
      const r = await fetch(`http://127.0.0.1:${this.ports.pushgateway}${push.path}`, { method: 'PUT', body: push.body });
      if (!r.ok) throw new Error(`the documented CI push was refused: ${r.status} ${await r.text()}`);
    }
    for (let i = 0; i < this.alertmanagerPeers; i++) this.startAlertmanager(i);
    for (let i = 0; i < this.prometheusReplicas; i++) this.startPrometheus(i);

    const base = (k: string) => `http://127.0.0.1:${this.ports[k]}`;
    await Promise.all([
      ...Array.from({ length: this.prometheusReplicas }, (_, i) => waitHttpOk(`http://127.0.0.1:${this.prometheusPort(i)}/-/ready`, 60_000)),
      ...Array.from({ length: this.alertmanagerPeers }, (_, i) => waitHttpOk(`http://127.0.0.1:${this.alertmanagerPort(i)}/-/ready`, 30_000)),
      waitHttpOk(`${base('postgresExporter')}/metrics`, 30_000),
      waitHttpOk(`${base('redisExporter')}/metrics`, 30_000),
      waitHttpOk(`${base('blackbox')}/metrics`, 30_000),
      waitHttpOk(`${base('nodeExporter')}/metrics`, 30_000),
    ]);
  }

  /**
   * Healthy stand-ins for what Debian does not package, behind the Services their generated scrape
   * jobs discover: each exposes the catalog metrics of its source, unset except where a label-less
   * value must be healthy (`kafka_brokers`: the profile's broker count; `elasticsearch_cluster_health_status`: a green cluster,
   * whose absence ElasticsearchUnreachable reads as an unreachable Elasticsearch).
   */
  private async startComponentStandIns(): Promise<void> {
    const d = this.opts.profile.dependencies ?? {};
    const ns = this.opts.profile.namespace;
    const generated = (name: string) => this.objects.find((o) => o.kind === 'Service' && o.metadata.name === name) as any;
    const add = async (key: string, source: string, endpoint: Omit<FakeEndpoint, 'address' | 'pod'>) => {
      const svc = new StandInService({ name: key, metrics: METRICS.all.filter((m) => m.source === source) });
      await svc.start();
      this.components.set(key, { svc, endpoint });
      return svc;
    };
    const fromService = (name: string, portName: string) => {
      const svc = generated(name);
      return { namespace: svc.metadata.namespace, service: name, portName, labels: svc.metadata.labels ?? {}, annotations: svc.metadata.annotations ?? {} };
    };
    for (const k of d.kafka ?? []) {
      const svc = await add(`kafka-exporter-${k.name}`, 'kafka-exporter', fromService(`kafka-exporter-${k.name}`, 'metrics'));
      svc.gauge('kafka_brokers').set(k.brokers.length);
    }
    for (const i of d.influxdb ?? []) {
      await add(`influxdb-${i.name}`, 'influxdb', {
        namespace: i.namespace,
        service: i.service,
        portName: i.port ?? 'http',
        labels: { 'app.kubernetes.io/name': 'influxdb' },
        annotations: {},
      });
    }
    if (generated('elasticsearch-exporter')?.metadata.namespace === ns) {
      const svc = await add('elasticsearch-exporter', 'elasticsearch-exporter', fromService('elasticsearch-exporter', 'metrics'));
      const status = svc.gauge('elasticsearch_cluster_health_status');
      for (const color of ['green', 'yellow', 'red']) status.set({ es_cluster: 'logs', color }, color === 'green' ? 1 : 0);
    }
    for (const name of ['jaeger', 'jaeger-collector', 'jaeger-query']) {
      if (generated(name)?.metadata.namespace === ns) await add(name, 'jaeger', fromService(name, 'metrics'));
    }
    // Thanos: one stand-in per scrape job of its components, whatever Services they run behind
    // (derivePrometheusConfig points the job at it when the configuration has it), healthy: each
    // sidecar reaches its Prometheus and has just uploaded a block.
    // Where the profile runs Thanos, each stand-in sits behind the generated Service and port its
    // job discovers, so the job's own relabelling runs; elsewhere the job is found by name.
    for (const job of THANOS_JOBS) {
      const svc = new StandInService({ name: job, metrics: METRICS.all.filter((m) => m.source === 'thanos') });
      await svc.start();
      if (job === 'thanos-sidecar') {
        svc.gauge('thanos_sidecar_prometheus_up').set(1);
        svc.gauge('thanos_objstore_bucket_last_successful_upload_time').set({ bucket: 'thanos' }, Math.floor(Date.now() / 1000));
      }
      const [service, portName] = THANOS_SERVICES[job];
      const real = generated(service)?.spec.ports.some((p: any) => p.name === portName) ? fromService(service, portName) : undefined;
      if (real) this.components.set(job, { svc, endpoint: real });
      else this.components.set(job, { svc, endpoint: { namespace: ns, service: job, portName: 'http', labels: {}, annotations: {} }, job });
    }
  }

  /** Names the exporter Deployments of the profile's first PostgreSQL and Redis targets. */
  private pgExporterDeployment(): string {
    return `postgres-exporter-${this.opts.profile.dependencies!.postgres![0].name}`;
  }
  private redisExporterDeployment(): string {
    return `redis-exporter-${this.opts.profile.dependencies!.redis![0].name}`;
  }

  // ---------------------------------------------------------------- PostgreSQL and Redis

  private postgres?: LoopbackPostgres;
  private redis?: LoopbackRedis;

  public async startPostgres(): Promise<void> {
    this.postgres ??= new LoopbackPostgres(this.procs, this.workDir, this.ports.postgres);
    await this.postgres.start();
  }

  /** Fast shutdown, as when the database is stopped or its pod is killed. */
  public stopPostgres(): Promise<void> {
    return this.postgres?.stop() ?? Promise.resolve();
  }

  private createMonitoringRole(): void {
    const t = this.opts.profile.dependencies!.postgres![0];
    this.postgres!.createMonitoringRole(t.user, PG_MONITOR_PASSWORD, t.database);
  }

  public async startRedis(): Promise<void> {
    this.redis ??= new LoopbackRedis(this.procs, this.workDir, this.ports.redis);
    await this.redis.start(this.opts.profile.dependencies!.redis![0].secretName ? REDIS_PASSWORD : undefined);
  }

  public stopRedis(): Promise<void> {
    return this.redis?.stop() ?? Promise.resolve();
  }

  // ---------------------------------------------------------------- exporters from their Deployments

  /** Secret values by Secret name and key, as the cluster's Secrets would hold them. */
  private secrets(): Record<string, Record<string, string>> {
    const d = this.opts.profile.dependencies!;
    const out: Record<string, Record<string, string>> = {};
    const pg = d.postgres![0];
    out[pg.secretName] = { [pg.passwordKey ?? 'password']: PG_MONITOR_PASSWORD };
    const redis = d.redis![0];
    if (redis.secretName) out[redis.secretName] = { [redis.passwordKey ?? 'password']: REDIS_PASSWORD };
    // Every CA certificate a Secret holds is the pipeline's test CA: the PostgreSQL and Redis
    // exporters load it at start (their loopback servers speak no TLS, see addressMap;
    // test/e2e/exporter-tls.test.ts runs them over TLS), the blackbox TLS probes verify the
    // loopback TLS endpoint against it.
    for (const secret of this.stack.expectedSecrets) {
      for (const key of secret.keys.filter((k) => k.endsWith('.crt'))) out[secret.name] = { ...(out[secret.name] ?? {}), [key]: this.pki().ca };
    }
    return out;
  }

  private pkiFiles?: { ca: string; cert: string; key: string };

  /** A throw-away CA and a certificate for 127.0.0.1 it signs (PEM, valid a year), made once with openssl. */
  private pki(): { ca: string; cert: string; key: string } {
    if (this.pkiFiles) return this.pkiFiles;
    const dir = this.dir('pki');
    const ssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
    };
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '365', '-subj', '/CN=pipeline-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
    fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    ssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '365',
      '-extfile',
      'san.ext',
      '-out',
      'server.crt',
    );
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    this.pkiFiles = { ca: read('ca.crt'), cert: read('server.crt'), key: read('server.key') };
    return this.pkiFiles;
  }

  private tlsEndpoint?: tls.Server;

  /** One loopback TLS server standing in for every endpoint the blackbox TLS probes handshake with. */
  private async startTlsEndpoint(): Promise<void> {
    this.ports.tlsEndpoint = await freePort();
    const { cert, key } = this.pki();
    const server = tls.createServer({ cert, key }, (socket) => socket.end());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(this.ports.tlsEndpoint, '127.0.0.1', resolve));
    this.tlsEndpoint = server;
  }

  /**
   * In-cluster addresses and their loopback stand-ins. TLS to PostgreSQL and Redis is downgraded
   * (the loopback servers have no certificates); everything else is as generated.
   */
  public addressMap(): Array<[string, string]> {
    const ns = this.opts.profile.namespace;
    const d = this.opts.profile.dependencies!;
    const loop = (p: number) => `127.0.0.1:${p}`;
    const map: Array<[string, string]> = [
      [d.postgres![0].host, loop(this.ports.postgres)],
      [d.redis![0].address, loop(this.ports.redis)],
      ['rediss://', 'redis://'],
      ['sslmode=verify-full', 'sslmode=disable'],
      ['sslmode=require', 'sslmode=disable'],
      [`blackbox-exporter.${ns}.svc:9115`, loop(this.ports.blackbox)],
      ['localhost:9090', loop(this.ports.prometheus)],
      // Each peer's address to its own loopback port; with one Alertmanager, every address to it.
      ...this.stack.alertmanager.peerAddresses.map((a, i): [string, string] => [a, loop(this.alertmanagerPort(i < this.alertmanagerPeers ? i : 0))]),
    ];
    for (const s of d.services ?? []) {
      const host = new URL(s.url).host;
      map.push([host, loop(this.services.get(s.name)!.port)]);
    }
    return map;
  }

  private mapAddresses(text: string): string {
    let out = text;
    for (const [from, to] of this.addressMap()) out = out.split(from).join(to);
    return out;
  }

  /** Runs an exporter with its generated Deployment's arguments, environment and mounted files. */
  private startExporter(name: string, binary: string, deployment: string, port: number): void {
    const spec = this.obj('Deployment', deployment).spec.template.spec;
    const c = spec.containers[0];
    const secrets = this.secrets();
    // Mounted volumes become local folders holding the same files.
    const mounts: Array<[string, string]> = [];
    for (const m of c.volumeMounts ?? []) {
      const v = spec.volumes.find((x: any) => x.name === m.name);
      const local = this.dir('mounts', deployment, m.name);
      if (v.secret) {
        const values = secrets[v.secret.secretName] ?? {};
        for (const item of v.secret.items ?? Object.keys(values).map((k) => ({ key: k, path: k }))) {
          if (values[item.key] === undefined) throw new Error(`no test value for Secret ${v.secret.secretName} key ${item.key}`);
          fs.writeFileSync(path.join(local, item.path), values[item.key], { mode: 0o600 });
        }
      }
      mounts.push([m.mountPath, local]);
    }
    const localize = (s: string) => {
      let out = this.mapAddresses(s);
      // Deepest mount first: /etc/x/ca/y lies under the /etc/x mount too.
      for (const [from, to] of [...mounts].sort((a, b) => b[0].length - a[0].length)) out = out.split(from).join(to);
      return out;
    };
    // Configuration files name mounted files too (blackbox.yml its CA files): they follow the same mapping.
    for (const m of c.volumeMounts ?? []) {
      const v = spec.volumes.find((x: any) => x.name === m.name);
      if (!v.configMap) continue;
      const local = mounts.find(([from]) => from === m.mountPath)![1];
      for (const [k, text] of Object.entries(this.obj('ConfigMap', v.configMap.name).data as Record<string, string>))
        fs.writeFileSync(path.join(local, k), localize(text));
    }
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef) {
        const v = secrets[e.valueFrom.secretKeyRef.name]?.[e.valueFrom.secretKeyRef.key];
        if (v === undefined) throw new Error(`no test value for Secret ${e.valueFrom.secretKeyRef.name} key ${e.valueFrom.secretKeyRef.key}`);
        env[e.name] = v;
      } else env[e.name] = localize(e.value ?? '');
    }
    const args = (c.args ?? [])
      .filter((a: string) => !DEBIAN_LACKS_FLAGS.includes(a))
      .map((a: string) =>
        a.startsWith('--web.listen-address=')
          ? `--web.listen-address=127.0.0.1:${port}`
          : localize(a).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_m: string, n: string) => env[n] ?? ''),
      );
    this.procs.start(name, binary, args, { env });
  }

  // ---------------------------------------------------------------- Prometheus and Alertmanager

  /** What Kubernetes discovery would report: the generated Services with a loopback endpoint, and the trading services. */
  private fakeEndpoints(): FakeEndpoint[] {
    const local: Record<string, number> = {
      [this.pgExporterDeployment()]: this.ports.postgresExporter,
      [this.redisExporterDeployment()]: this.ports.redisExporter,
      'blackbox-exporter': this.ports.blackbox,
      'node-exporter': this.ports.nodeExporter,
      pushgateway: this.ports.pushgateway,
    };
    // Every Alertmanager peer and Prometheus replica is a pod behind its Services, as discovery
    // reports the StatefulSet's pods: each is scraped, under its own `pod` label.
    const pods: Record<string, Array<{ pod: string; port: number }>> = {};
    const peers = Array.from({ length: this.alertmanagerPeers }, (_, i) => ({ pod: `alertmanager-${i}`, port: this.alertmanagerPort(i) }));
    const replicas = Array.from({ length: this.prometheusReplicas }, (_, i) => ({ pod: `prometheus-${i}`, port: this.prometheusPort(i) }));
    for (const svc of this.objects.filter((o) => o.kind === 'Service') as any[]) {
      const selected = svc.spec.selector?.['app.kubernetes.io/name'];
      if (selected === 'alertmanager') pods[svc.metadata.name] = peers;
      else if (selected === 'prometheus' && svc.metadata.name === 'prometheus') pods[svc.metadata.name] = replicas;
    }
    const eps: FakeEndpoint[] = [];
    for (const svc of this.objects.filter((o) => o.kind === 'Service') as any[]) {
      const port = local[svc.metadata.name];
      const behind = pods[svc.metadata.name] ?? (port === undefined ? [] : [{ pod: `${svc.metadata.name}-0`, port }]);
      // No pod runs behind the others here: discovery finds no endpoint.
      for (const { pod, port: podPort } of behind) {
        for (const p of svc.spec.ports) {
          eps.push({
            namespace: svc.metadata.namespace,
            service: svc.metadata.name,
            portName: p.name,
            address: `127.0.0.1:${podPort}`,
            labels: svc.metadata.labels ?? {},
            annotations: svc.metadata.annotations ?? {},
            pod,
          });
        }
      }
    }
    for (const { svc, endpoint, job } of this.components.values())
      if (job === undefined) eps.push({ ...endpoint, address: `127.0.0.1:${svc.port}`, pod: `${endpoint.service}-0` });
    // The trading services as the metrics contract asks: annotated for scraping, named by app.kubernetes.io/name.
    for (const [name, svc] of this.services) {
      const probed = this.opts.profile.dependencies?.services?.find((x) => x.name === name);
      eps.push({
        namespace: probed ? new URL(probed.url).hostname.split('.')[1] : TRADING_NAMESPACE,
        service: name,
        portName: 'http',
        address: `127.0.0.1:${svc.port}`,
        labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'grekko' },
        annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(svc.port) },
        pod: `${name}-0`,
      });
    }
    return eps;
  }

  /** The generated prometheus.yml with discovery swapped for static groups and loopback addresses. */
  public derivePrometheusConfig(rulesDir: string, saDir: string): any {
    const generated = parse(this.obj('ConfigMap', 'prometheus-config').data['prometheus.yml']);
    const sanitize = (k: string) => k.replace(/[^a-zA-Z0-9_]/g, '_');
    const eps = this.fakeEndpoints();
    for (const job of generated.scrape_configs) {
      const sd = job.kubernetes_sd_configs;
      if (!sd) continue;
      delete job.kubernetes_sd_configs;
      const groups = [];
      for (const cfg of sd) {
        if (cfg.role !== 'endpointslice' && cfg.role !== 'endpoints') continue; // no pods or nodes on loopback
        for (const e of eps.filter((x) => !cfg.namespaces || cfg.namespaces.names.includes(x.namespace))) {
          const labels: Record<string, string> = {
            __meta_kubernetes_namespace: e.namespace,
            __meta_kubernetes_service_name: e.service,
            __meta_kubernetes_endpointslice_port_name: e.portName,
            __meta_kubernetes_endpoint_port_name: e.portName,
            __meta_kubernetes_pod_name: e.pod,
            __meta_kubernetes_pod_container_name: e.service,
            __meta_kubernetes_pod_node_name: 'loopback',
          };
          for (const [k, v] of Object.entries(e.labels)) labels[`__meta_kubernetes_service_label_${sanitize(k)}`] = v;
          for (const [k, v] of Object.entries(e.annotations)) labels[`__meta_kubernetes_service_annotation_${sanitize(k)}`] = v;
          groups.push({ targets: [e.address], labels });
        }
      }
      job.static_configs = groups;
    }
    // Jobs whose stand-in is found by job name: one target with the labels their discovery would
    // give. A profile that runs no Thanos image gets the jobs as static ones, so that the Thanos
    // rules and panels still run against the stand-ins; one that runs it must generate them.
    const runsThanos = JSON.stringify(this.objects).includes(`${IMAGES.thanos.repository}:`);
    for (const { svc, endpoint, job: name } of this.components.values()) {
      if (name === undefined) continue;
      let job = generated.scrape_configs.find((j: any) => j.job_name === name);
      if (!job && runsThanos) throw new Error(`the profile runs Thanos but the generated configuration has no scrape job "${name}"`);
      if (!job) generated.scrape_configs.push((job = { job_name: name }));
      delete job.kubernetes_sd_configs;
      delete job.relabel_configs;
      const labels = { namespace: endpoint.namespace, service: endpoint.service, pod: `${endpoint.service}-0`, container: endpoint.service };
      job.static_configs = [{ targets: [`127.0.0.1:${svc.port}`], labels }];
    }
    // The TLS probes' targets go to the loopback TLS endpoint, before the datastores' addresses
    // are mapped to their (plain) loopback servers.
    for (const job of generated.scrape_configs.filter((j: any) => j.job_name === 'blackbox-tls')) {
      for (const g of job.static_configs) g.targets = g.targets.map(() => `127.0.0.1:${this.ports.tlsEndpoint}`);
    }
    let config = JSON.parse(this.mapAddresses(JSON.stringify(generated)));
    config.rule_files = [path.join(rulesDir, '*.yaml')];
    config = JSON.parse(JSON.stringify(config).split('/var/run/secrets/kubernetes.io/serviceaccount').join(saDir));
    if (this.opts.timing === 'test') {
      // 2 s: postgres_exporter needs about a second to report a refused connection.
      config.global.scrape_interval = '2s';
      config.global.scrape_timeout = '2s';
      config.global.evaluation_interval = '1s';
      // Per-target intervals set by relabelling (the critical path's, `__scrape_interval__`) stay:
      // the relabelling runs unchanged.
      for (const job of config.scrape_configs) {
        delete job.scrape_interval;
        delete job.scrape_timeout;
      }
    }
    return config;
  }

  /** Starts Prometheus replica `i` (again, after a stop: on the data it kept). */
  public startPrometheus(i = 0): void {
    const rulesDir = this.dir('prometheus', 'rules');
    const saDir = this.dir('prometheus', 'serviceaccount');
    fs.writeFileSync(path.join(saDir, 'token'), 'loopback');
    fs.writeFileSync(path.join(saDir, 'ca.crt'), '');
    // The generated rule files, byte for byte.
    for (const [name, text] of Object.entries(this.obj('ConfigMap', 'prometheus-rules').data ?? {}))
      fs.writeFileSync(path.join(rulesDir, name), text as string);
    this.prometheusConfig = this.derivePrometheusConfig(rulesDir, saDir);
    const file = path.join(this.dir('prometheus'), 'prometheus.yml');
    fs.writeFileSync(file, stringify(this.prometheusConfig, { lineWidth: 0 }));
    this.procs.start(
      this.prometheusName(i),
      E2E_TOOLS.prometheus.path!,
      [
        `--config.file=${file}`,
        `--storage.tsdb.path=${this.dir('prometheus', i === 0 ? 'data' : `data-${i}`)}`,
        `--web.listen-address=127.0.0.1:${this.prometheusPort(i)}`,
        '--web.enable-lifecycle',
        // The HA pair's `replica: ${POD_NAME}` external label (Prometheus 3 expands it by default).
        '--enable-feature=expand-external-labels',
        // The generated StatefulSet's alerting flags, where it sets them.
        ...['rules.alert.resend-delay', 'rules.alert.for-grace-period', 'rules.alert.for-outage-tolerance'].flatMap((f) => {
          const v = this.generatedFlag('prometheus', f);
          return v === undefined ? [] : [`--${f}=${v}`];
        }),
      ],
      { env: { ...process.env, POD_NAME: `prometheus-${i}` } },
    );
  }

  private prometheusName(i: number): string {
    return i === 0 ? 'prometheus' : `prometheus-${i}`;
  }

  private alertmanagerName(i: number): string {
    return i === 0 ? 'alertmanager' : `alertmanager-${i}`;
  }

  /** Stops Prometheus replica `i` (SIGKILL: a crash; SIGTERM: a clean shutdown). */
  public async stopPrometheus(i = 0, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.procs.stop(this.prometheusName(i), signal);
  }

  /** Starts Prometheus replica `i` again on its data and waits until it is ready. */
  public async restartPrometheus(i = 0): Promise<void> {
    this.startPrometheus(i);
    await waitHttpOk(`http://127.0.0.1:${this.prometheusPort(i)}/-/ready`, 60_000);
  }

  /** Stops Alertmanager peer `i` (SIGKILL: a crash; SIGTERM: a clean shutdown). */
  public async stopAlertmanager(i = 0, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.procs.stop(this.alertmanagerName(i), signal);
  }

  /** Starts Alertmanager peer `i` again (on its data, in the 'profile' topology) and waits until it is ready. */
  public async restartAlertmanagerPeer(i: number): Promise<void> {
    this.startAlertmanager(i);
    await waitHttpOk(`http://127.0.0.1:${this.alertmanagerPort(i)}/-/ready`, 30_000);
  }

  /** The generated alertmanager.yml with every receiver sending to the local webhook. */
  public deriveAlertmanagerConfig(): any {
    const config = parse(this.obj('ConfigMap', 'alertmanager-config').data['alertmanager.yml']);
    const defaults: Record<string, boolean> = {
      webhook_configs: true,
      slack_configs: false,
      opsgenie_configs: true,
      pagerduty_configs: true,
      email_configs: false,
    };
    config.receivers = config.receivers.map((r: any) => {
      const kinds = Object.keys(r).filter((k) => k.endsWith('_configs'));
      if (kinds.length === 0) return r; // a null receiver stays null
      const sendResolved = kinds.some((k) => r[k].some((c: any) => c.send_resolved ?? defaults[k] ?? true));
      return { name: r.name, webhook_configs: [{ url: this.webhook.url(r.name), send_resolved: sendResolved, max_alerts: 0 }] };
    });
    if (this.opts.timing === 'test') {
      const shorten = (route: any) => {
        if (route.group_wait !== undefined || route === config.route) route.group_wait = '1s';
        if (route.group_interval !== undefined || route === config.route) route.group_interval = '2s';
        for (const r of route.routes ?? []) shorten(r);
      };
      shorten(config.route);
    }
    return config;
  }

  public startAlertmanager(i = 0): void {
    this.alertmanagerConfig = this.deriveAlertmanagerConfig();
    const dir = this.dir('alertmanager');
    const file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, stringify(this.alertmanagerConfig, { lineWidth: 0 }));
    const port = this.alertmanagerPort(i);
    const common = [`--config.file=${file}`, `--web.listen-address=127.0.0.1:${port}`, `--web.external-url=http://127.0.0.1:${port}`];
    if (this.alertmanagerPeers === 1) {
      // A fresh notification log on every start: each start is a new incident for the benchmark.
      const data = fs.mkdtempSync(path.join(dir, 'data-'));
      this.procs.start(this.alertmanagerName(i), E2E_TOOLS.alertmanager.path!, [...common, `--storage.path=${data}`, '--cluster.listen-address=']);
      return;
    }
    // The mesh: each peer keeps its data (silences, notification log) across restarts and lists the others.
    const cluster = (k: number) => `127.0.0.1:${this.ports[`alertmanager-cluster-${k}`]}`;
    const peers = Array.from({ length: this.alertmanagerPeers }, (_, k) => k).filter((k) => k !== i);
    this.procs.start(this.alertmanagerName(i), E2E_TOOLS.alertmanager.path!, [
      ...common,
      `--storage.path=${this.dir('alertmanager', `data-${i}`)}`,
      `--cluster.listen-address=${cluster(i)}`,
      `--cluster.advertise-address=${cluster(i)}`,
      ...peers.map((k) => `--cluster.peer=${cluster(k)}`),
      // The generated peer timeout, where it sets one: each peer's turn comes that much after the one before.
      ...(this.generatedFlag('alertmanager', 'cluster.peer-timeout') === undefined ? [] : [`--cluster.peer-timeout=${this.peerTimeoutMs / 1000}s`]),
    ]);
  }

  /**
   * A fresh Alertmanager: every peer stopped, its data (notification log, silences) dropped, and
   * started again; with a mesh, until every peer counts them all. Each call starts a new incident.
   */
  public async restartAlertmanager(): Promise<void> {
    for (let i = 0; i < this.alertmanagerPeers; i++) await this.procs.stop(this.alertmanagerName(i));
    if (this.alertmanagerPeers > 1) {
      for (let i = 0; i < this.alertmanagerPeers; i++) fs.rmSync(path.join(this.workDir, 'alertmanager', `data-${i}`), { recursive: true, force: true });
    }
    for (let i = 0; i < this.alertmanagerPeers; i++) this.startAlertmanager(i);
    for (let i = 0; i < this.alertmanagerPeers; i++) await waitHttpOk(`http://127.0.0.1:${this.alertmanagerPort(i)}/-/ready`, 30_000);
    await this.waitMesh();
  }

  /** Waits until every running Alertmanager peer counts all the peers as members of its cluster. */
  public async waitMesh(timeoutMs = 60_000): Promise<void> {
    if (this.alertmanagerPeers === 1) return;
    await waitFor(
      `${this.alertmanagerPeers} Alertmanager peers in one cluster`,
      async () => {
        const counts = await Promise.all(
          Array.from({ length: this.alertmanagerPeers }, async (_, i) => {
            const r = await httpGet(`http://127.0.0.1:${this.alertmanagerPort(i)}/api/v2/status`, 5000);
            return (JSON.parse(r.body) as { cluster: { peers?: unknown[] } }).cluster.peers?.length ?? 0;
          }),
        );
        return counts.every((c) => c === this.alertmanagerPeers) ? true : undefined;
      },
      timeoutMs,
      1000,
    );
  }

  /** An instant PromQL query on Prometheus replica `i`; returns the result vector. */
  public async queryReplica(i: number, promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const r = await httpGet(`http://127.0.0.1:${this.prometheusPort(i)}/api/v1/query?query=${encodeURIComponent(promql)}`, 5000);
    const body = JSON.parse(r.body);
    if (body.status !== 'success') throw new Error(`query ${promql} on replica ${i} failed: ${r.body}`);
    return body.data.result;
  }

  // ---------------------------------------------------------------- queries

  /** An instant PromQL query; returns the result vector. */
  public async query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const r = await httpGet(`http://127.0.0.1:${this.ports.prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`, 5000);
    const body = JSON.parse(r.body);
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${r.body}`);
    return body.data.result;
  }

  /** Waits until every listed job has all its targets up. */
  public async waitTargetsUp(jobs: readonly string[], timeoutMs: number): Promise<void> {
    await waitFor(
      `targets of ${jobs.join(', ')} to be up`,
      async () => {
        const up = await this.query('up');
        const ok = jobs.every((j) => {
          const series = up.filter((s) => s.metric.job === j);
          return series.length > 0 && series.every((s) => s.value[1] === '1');
        });
        return ok ? true : undefined;
      },
      timeoutMs,
      500,
    );
  }

  /** Alerts Prometheus currently holds (pending or firing). */
  public async prometheusAlerts(): Promise<Array<{ labels: Record<string, string>; state: string }>> {
    const r = await httpGet(`http://127.0.0.1:${this.ports.prometheus}/api/v1/alerts`, 5000);
    return JSON.parse(r.body).data.alerts;
  }

  public async stop(): Promise<void> {
    if (!this.started) return;
    for (const s of this.services.values()) await s.stop();
    for (const c of this.components.values()) await c.svc.stop();
    await this.procs.stopAll();
    await new Promise<void>((resolve) => (this.tlsEndpoint ? this.tlsEndpoint.close(() => resolve()) : resolve()));
    await this.webhook.stop();
    await sleep(50);
    if (!this.opts.keepWorkDir) fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}
