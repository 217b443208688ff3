/**
 * The metrics catalog held against the real programs. Every program Debian packages here
 * (metrics/real-programs.ts) runs on loopback: Prometheus, a three-peer Alertmanager mesh, the
 * node, PostgreSQL, Redis and blackbox exporters (PostgreSQL and Redis behind them), and the
 * Pushgateway holding a CI push. What each really serves is parsed (`# TYPE` lines, the label
 * names of every series), and every catalog entry of its source must be there with its type and
 * its labels, except what metrics/real-programs.ts lists as newer than Debian's build.
 *
 * The mesh then shows what the AlertmanagerClusterDegraded alert (alerts/monitoring.ts) and the
 * cluster panels read when a peer dies, and when a peer runs cut off from the others.
 */
import { documentedCiPush } from './harness/ci-push';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { renderOptions } from '../../alerts';
import { alertmanager as alertmanagerGroup } from '../../alerts/monitoring';
import { alertmanager as alertmanagerDashboard } from '../../dashboards/alertmanager';
import { dashboardQueries } from '../../lib/dashboards/check';
import { substituteGrafana } from '../../lib/dashboards/promql';
import { renderBlackboxConfig } from '../../lib/components/exporters/blackbox-exporter';
import { IMAGES } from '../../lib/core/images';
import { MetricDefinition } from '../../lib/metrics/types';
import { renderRuleFiles } from '../../lib/rules/render';
import { METRICS } from '../../metrics';
import { CI_SOURCE } from '../../metrics/ci';
import { NOT_PROVEN_HERE, REAL_PROGRAMS, RealProgram, SCRAPE_JOB_LABELS, VERSION_DIFFERENCES } from '../../metrics/real-programs';
import { describeWithTools } from '../support/tools';
import { LoopbackPostgres, LoopbackRedis } from './harness/datastores';
import { ExposedFamily, parseExposition } from './harness/exposition';
import { ProcessGroup, freePort, httpGet, sleep, waitFor, waitHttpOk } from './harness/processes';
import { CATALOG_TOOLS, E2E_TOOLS } from './harness/tools';

const SECOND = 1000;
const PEERS = 3;
const NAMESPACE = 'monitoring';
const PG_USER = 'monitoring';
const PG_PASSWORD = 'catalog-check-password';

const program = (source: string): RealProgram => {
  const p = REAL_PROGRAMS.find((x) => x.source === source);
  if (!p) throw new Error(`metrics/real-programs.ts has no program for source ${source}`);
  return p;
};
const catalogOf = (source: string) => METRICS.all.filter((m) => m.source === source);

/** The exposition type a catalog type must appear as. */
const exposedType = (m: MetricDefinition) => (m.type === 'info' ? 'gauge' : m.type);

/** Families whose names share the metric's first two words, to say what the program has instead. */
function nearby(name: string, families: Map<string, ExposedFamily>): string {
  const stem = name.split('_').slice(0, 2).join('_');
  const near = [...families.keys()].filter((n) => n.startsWith(stem) && n !== name).slice(0, 12);
  return near.length ? `it exposes ${near.join(', ')}` : `it exposes nothing named ${stem}_*`;
}

/**
 * What is wrong between the catalog entries of a source and what the program exposes, one
 * message per finding, naming the metric, the label, what the program exposes, and the fix.
 */
function catalogFindings(source: string, families: Map<string, ExposedFamily>): string[] {
  const p = program(source);
  const who = `${p.debianPackage} (${debianVersion(p.debianPackage)})`;
  const jobLabels = new Set(SCRAPE_JOB_LABELS.filter((x) => x.source === source).flatMap((x) => x.labels));
  const out: string[] = [];
  for (const m of catalogOf(source)) {
    const diff = VERSION_DIFFERENCES.find((d) => d.source === source && d.metric === m.name);
    const f = families.get(m.name);
    if (!f) {
      if (diff && !diff.labels) continue;
      out.push(
        `${m.name}: ${who} does not expose it; ${nearby(m.name, families)}. Fix the name in metrics/ and in every alert and dashboard that reads it, or, if only the pinned ${IMAGES[p.image].repository}:${IMAGES[p.image].tag} has it, list it in metrics/real-programs.ts VERSION_DIFFERENCES with the upstream file`,
      );
      continue;
    }
    if (diff && !diff.labels)
      out.push(
        `${m.name}: listed in VERSION_DIFFERENCES as missing from ${who}, but it exposes it (labels ${[...f.labels].join(', ') || 'none'}): remove the entry and let the check cover it`,
      );
    if (f.type !== exposedType(m)) {
      const fix =
        source === CI_SOURCE
          ? `CI must push a "# TYPE ${m.name} ${exposedType(m)}" line before its samples (the push shown in METRICS_DOC, metrics/index.ts)`
          : 'Fix the type in metrics/';
      out.push(`${m.name}: the catalog says ${m.type}, ${who} exposes it as ${f.type} (its # TYPE line). ${fix}`);
    }
    for (const l of m.labels) {
      if (jobLabels.has(l)) continue;
      const newer = diff?.labels?.includes(l);
      if (!f.labels.has(l) && !newer)
        out.push(
          `${m.name}: label "${l}": ${who} never emits it; its series carry ${[...f.labels].sort().join(', ') || 'no labels'}. Fix the labels in metrics/ and every alert, dashboard and promtool test that uses "${l}"`,
        );
      if (f.labels.has(l) && newer)
        out.push(`${m.name}: label "${l}" is listed in VERSION_DIFFERENCES as missing from ${who}, but it emits it: remove it from the entry`);
    }
  }
  return out;
}

function debianVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'not installed';
}

async function scrape(url: string): Promise<Map<string, ExposedFamily>> {
  const r = await httpGet(url, 10_000);
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${r.body.slice(0, 300)}`);
  return parseExposition(r.body);
}

/** One gauge of a program's /metrics, by exact series (`alertmanager_cluster_members`). */
async function gaugeValue(url: string, series: string): Promise<number | undefined> {
  const r = await httpGet(url, 5000).catch(() => undefined);
  const m = r && new RegExp(`^${series}\\s+(\\S+)$`, 'm').exec(r.body);
  return m ? Number(m[1]) : undefined;
}

/** Sends raw commands to Redis (RESP), resolving once every reply has arrived. */
function redisCommands(port: number, commands: string[][]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      if ((got.match(/\r\n/g) ?? []).length >= commands.length) {
        s.end();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.write(commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join(''));
  });
}

/** The CI push documented in docs/metrics.md (the heredoc of the CI section), as CI runs it. */

const TOOLS = [
  E2E_TOOLS.prometheus,
  E2E_TOOLS.alertmanager,
  E2E_TOOLS.nodeExporter,
  E2E_TOOLS.blackboxExporter,
  E2E_TOOLS.postgresExporter,
  E2E_TOOLS.redisExporter,
  E2E_TOOLS.redisServer,
  E2E_TOOLS.initdb,
  E2E_TOOLS.postgres,
  E2E_TOOLS.psql,
  ...(process.getuid?.() === 0 ? [E2E_TOOLS.setpriv] : []),
  CATALOG_TOOLS.pushgateway,
  CATALOG_TOOLS.elasticsearchExporter,
  CATALOG_TOOLS.openssl,
];

describeWithTools('the metrics catalog holds for the real programs (Debian builds on loopback)', TOOLS, () => {
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let workDir = '';
  let procs!: ProcessGroup;
  const port: Record<string, number> = {};
  const amWeb: number[] = [];
  const amCluster: number[] = [];
  const url = (k: string, p = '/metrics') => `http://127.0.0.1:${port[k]}${p}`;
  const amUrl = (i: number, p = '/metrics') => `http://127.0.0.1:${amWeb[i]}${p}`;
  const pod = (i: number) => `alertmanager-${i}`;
  let tlsServer: https.Server | undefined;
  let ciPush: { path: string; body: string };

  const startAlertmanager = (i: number, opts: { clusterPort: number; peers: number[] }) => {
    const dir = path.join(workDir, `alertmanager-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    const config = path.join(workDir, 'alertmanager.yml');
    procs.start(`alertmanager-${i}`, E2E_TOOLS.alertmanager.path!, [
      `--config.file=${config}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${amWeb[i]}`,
      `--cluster.listen-address=127.0.0.1:${opts.clusterPort}`,
      ...opts.peers.map((p) => `--cluster.peer=127.0.0.1:${p}`),
    ]);
  };

  /** prometheus.yml: itself and the mesh, the rule groups given, alerting to the mesh. */
  const prometheusConfig = (ruleFile: string) => ({
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [ruleFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: amWeb.map((p) => `127.0.0.1:${p}`) }] }] },
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${port.prometheus}`], labels: { namespace: NAMESPACE, pod: 'prometheus-0' } }] },
      { job_name: 'alertmanager', static_configs: amWeb.map((p, i) => ({ targets: [`127.0.0.1:${p}`], labels: { namespace: NAMESPACE, pod: pod(i) } })) },
    ],
  });

  const startPrometheus = (name: string, listen: number) => {
    const dir = path.join(workDir, name);
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const rules = path.join(dir, 'monitoring.yaml');
    const [file] = renderRuleFiles([alertmanagerGroup], renderOptions('https://grafana.example'));
    fs.writeFileSync(rules, stringify(file.content, { lineWidth: 0 }));
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(config, stringify(prometheusConfig(rules), { lineWidth: 0 }));
    procs.start(name, E2E_TOOLS.prometheus.path!, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${listen}`,
    ]);
  };

  const query = async (promPort: number, promql: string) => {
    const r = await httpGet(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(promql)}`, 5000);
    const body = JSON.parse(r.body);
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${r.body}`);
    return body.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
  };

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-real-'));
    fs.chmodSync(workDir, 0o755);
    procs = new ProcessGroup(path.join(workDir, 'logs'));
    for (const k of [
      'prometheus',
      'prometheus2',
      'elasticsearchExporter',
      'noElasticsearch',
      'node',
      'blackbox',
      'postgres',
      'postgresExporter',
      'redis',
      'redisExporter',
      'pushgateway',
      'tls',
    ])
      port[k] = await freePort();
    for (let i = 0; i < PEERS; i++) {
      amWeb.push(await freePort());
      amCluster.push(await freePort());
    }

    procs.start('node-exporter', E2E_TOOLS.nodeExporter.path!, [`--web.listen-address=127.0.0.1:${port.node}`, '--no-collector.wifi', '--no-collector.hwmon']);
    procs.start('pushgateway', CATALOG_TOOLS.pushgateway.path!, [`--web.listen-address=127.0.0.1:${port.pushgateway}`]);
    // Pointed at a port nothing listens on: Debian packages no Elasticsearch.
    procs.start('elasticsearch-exporter', CATALOG_TOOLS.elasticsearchExporter.path!, [
      `--es.uri=http://127.0.0.1:${port.noElasticsearch}`,
      `--web.listen-address=127.0.0.1:${port.elasticsearchExporter}`,
    ]);

    fs.writeFileSync(path.join(workDir, 'alertmanager.yml'), stringify({ route: { receiver: 'null' }, receivers: [{ name: 'null' }] }));
    for (let i = 0; i < PEERS; i++) startAlertmanager(i, { clusterPort: amCluster[i], peers: amCluster.filter((_, j) => j !== i) });

    // A self-signed certificate for 127.0.0.1, so that the https probe has a chain to report on.
    const key = path.join(workDir, 'tls.key');
    const cert = path.join(workDir, 'tls.crt');
    const ssl = spawnSync(
      CATALOG_TOOLS.openssl.path!,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (ssl.status !== 0) throw new Error(`openssl could not make a certificate: ${ssl.stderr}`);
    tlsServer = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => tlsServer!.listen(port.tls, '127.0.0.1', r));

    // The generated health module, plus tcp and https modules of this check's own.
    const blackbox = renderBlackboxConfig([]) as { modules: Record<string, unknown> };
    blackbox.modules.tcp_connect = { prober: 'tcp', timeout: '5s', tcp: { preferred_ip_protocol: 'ip4' } };
    blackbox.modules.https_2xx = { prober: 'http', timeout: '5s', http: { preferred_ip_protocol: 'ip4', tls_config: { ca_file: cert } } };
    fs.writeFileSync(path.join(workDir, 'blackbox.yml'), stringify(blackbox));
    procs.start('blackbox-exporter', E2E_TOOLS.blackboxExporter.path!, [
      `--config.file=${path.join(workDir, 'blackbox.yml')}`,
      `--web.listen-address=127.0.0.1:${port.blackbox}`,
    ]);

    const redis = new LoopbackRedis(procs, workDir, port.redis);
    const pg = new LoopbackPostgres(procs, workDir, port.postgres);
    await Promise.all([
      redis.start().then(async () => {
        await redisCommands(port.redis, [
          ['SET', 'catalog-check', '1'],
          ['GET', 'catalog-check'],
          ['GET', 'absent-key'],
        ]);
        procs.start('redis-exporter', E2E_TOOLS.redisExporter.path!, [
          `--redis.addr=redis://127.0.0.1:${port.redis}`,
          `--web.listen-address=127.0.0.1:${port.redisExporter}`,
        ]);
      }),
      pg.start().then(() => {
        pg.createMonitoringRole(PG_USER, PG_PASSWORD);
        procs.start('postgres-exporter', E2E_TOOLS.postgresExporter.path!, [`--web.listen-address=127.0.0.1:${port.postgresExporter}`], {
          env: { PATH: process.env.PATH, DATA_SOURCE_NAME: `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port.postgres}/postgres?sslmode=disable` },
        });
      }),
    ]);

    startPrometheus('prometheus', port.prometheus);

    await Promise.all([
      waitHttpOk(url('prometheus', '/-/ready'), 30 * SECOND),
      ...amWeb.map((_, i) => waitHttpOk(amUrl(i, '/-/ready'), 30 * SECOND)),
      // It listens only once its first cluster-info call has given up (about 10 s); make sure the
      // answer is its own, not another program's that took the port meanwhile.
      waitFor(
        'the elasticsearch exporter to answer',
        async () => ((await httpGet(url('elasticsearchExporter'))).body.includes('elasticsearch_exporter_build_info') ? true : undefined),
        30 * SECOND,
      ),
      ...['node', 'blackbox', 'postgresExporter', 'redisExporter', 'pushgateway'].map((k) => waitHttpOk(url(k), 30 * SECOND)),
    ]);

    ciPush = documentedCiPush();
    const pushed = await fetch(`${url('pushgateway', '')}${ciPush.path}`, { method: 'PUT', body: ciPush.body });
    if (pushed.status !== 200) throw new Error(`the Pushgateway refused the documented CI push: ${pushed.status} ${await pushed.text()}`);
  }, 60 * SECOND);

  afterAll(async () => {
    if (procs) await procs.stopAll();
    await new Promise<void>((r) => (tlsServer ? tlsServer.close(() => r()) : r()));
    await sleep(50);
    if (workDir && !process.env.E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('names, for every program it lists, a Debian package installed here and a pinned image', () => {
    for (const p of REAL_PROGRAMS) {
      expect([p.source, debianVersion(p.debianPackage)]).not.toEqual([p.source, 'not installed']);
      // The program is the package's own: dpkg lists it among the package's files.
      const files = spawnSync('dpkg-query', ['-L', p.debianPackage], { encoding: 'utf8' }).stdout.split('\n');
      expect([p.source, files.some((f) => f.endsWith(`/bin/${p.command}`))]).toEqual([p.source, true]);
      expect([p.source, IMAGES[p.image]?.tag]).toEqual([p.source, expect.stringMatching(/^v?\d/)]);
      expect([p.source, catalogOf(p.source).length > 0]).toEqual([p.source, true]);
    }
    for (const source of Object.keys(NOT_PROVEN_HERE)) expect(REAL_PROGRAMS.map((p) => p.source)).not.toContain(source);
  });

  it('lists each version difference against a catalog entry, the Debian version installed and the upstream file at the pinned tag', () => {
    for (const d of VERSION_DIFFERENCES) {
      const p = program(d.source);
      const m = catalogOf(d.source).find((x) => x.name === d.metric);
      expect([d.metric, m?.source]).toEqual([d.metric, d.source]);
      for (const l of d.labels ?? []) expect([d.metric, m?.labels]).toEqual([d.metric, expect.arrayContaining([l])]);
      // A new Debian build may have caught up: the entry must then be checked again.
      expect([d.metric, debianVersion(p.debianPackage)]).toEqual([d.metric, d.debianVersion]);
      // A bumped image must have its upstream reference re-read at the new tag.
      expect([d.metric, d.upstream.tag]).toEqual([d.metric, IMAGES[p.image].tag]);
      expect([d.metric, d.upstream.repository]).toEqual([d.metric, expect.stringMatching(/^github\.com\/[\w.-]+\/[\w.-]+$/)]);
      expect([d.metric, d.upstream.file]).toEqual([d.metric, expect.stringMatching(/\S/)]);
      expect([d.metric, d.upstream.since]).toEqual([d.metric, expect.stringMatching(/v\d/)]);
    }
  });

  it("Prometheus's own metrics: every catalog entry of source prometheus, with its type and labels", async () => {
    // The notification counters per Alertmanager exist once the mesh is discovered.
    await waitFor(
      'Prometheus to discover the three Alertmanagers',
      async () => ((await gaugeValue(url('prometheus'), 'prometheus_notifications_alertmanagers_discovered')) === PEERS ? true : undefined),
      20 * SECOND,
    );
    // Rule group metrics exist once the group has been evaluated.
    await waitFor(
      'a rule evaluation',
      async () => ((await httpGet(url('prometheus'))).body.includes('prometheus_rule_group_last_duration_seconds{') ? true : undefined),
      20 * SECOND,
    );
    expect(catalogFindings('prometheus', await scrape(url('prometheus')))).toEqual([]);
  });

  it('the series Prometheus writes for every scrape target: up, scrape_duration_seconds, scrape_samples_scraped', async () => {
    const entries = catalogOf('prometheus (every scrape target)');
    await waitFor('every target scraped', async () => ((await query(port.prometheus, 'up == 1')).length === PEERS + 1 ? true : undefined), 20 * SECOND);
    for (const m of entries) {
      const series = await query(port.prometheus, m.name);
      // One series per target, carrying the target labels and the catalog's labels (none beyond them).
      expect([m.name, series.map((s) => s.metric.job).sort()]).toEqual([m.name, ['alertmanager', 'alertmanager', 'alertmanager', 'prometheus']]);
      for (const s of series) {
        const own = Object.keys(s.metric).filter((l) => !['__name__', 'job', 'instance', 'namespace', 'pod'].includes(l));
        expect([m.name, own]).toEqual([m.name, m.labels]);
      }
    }
    // Prometheus keeps no # TYPE for the series it writes itself; the samples count is the target's own.
    const [samples] = await query(port.prometheus, 'scrape_samples_scraped{job="prometheus"}');
    expect(Number(samples.value[1])).toBeGreaterThan(100);
  });

  it('Alertmanager: every catalog entry of source alertmanager, on each peer of the mesh', async () => {
    for (let i = 0; i < PEERS; i++) expect([pod(i), catalogFindings('alertmanager', await scrape(amUrl(i)))]).toEqual([pod(i), []]);
  });

  it('node-exporter: every catalog entry, with its type and labels', async () => {
    expect(catalogFindings('node-exporter', await scrape(url('node')))).toEqual([]);
  });

  it('postgres_exporter on a real PostgreSQL: every catalog entry, with its type and labels', async () => {
    const families = await waitFor(
      'postgres_exporter to reach PostgreSQL',
      async () => {
        const f = await scrape(url('postgresExporter'));
        return (await gaugeValue(url('postgresExporter'), 'pg_up')) === 1 && f.has('pg_stat_database_xact_commit') ? f : undefined;
      },
      20 * SECOND,
    );
    expect(catalogFindings('postgres-exporter', families)).toEqual([]);
  });

  it('redis_exporter on a real Redis: every catalog entry, with its type and labels', async () => {
    // Per-command series exist for commands Redis has run: the exporter's own INFO, and the SET and GET above.
    await scrape(url('redisExporter'));
    const families = await scrape(url('redisExporter'));
    expect(await gaugeValue(url('redisExporter'), 'redis_up')).toBe(1);
    expect(catalogFindings('redis-exporter', families)).toEqual([]);
  });

  it('blackbox_exporter: every catalog entry, from an http, an https and a tcp probe against loopback', async () => {
    const probes = {
      http: `module=http_2xx&target=${encodeURIComponent(url('pushgateway', '/-/healthy'))}`,
      https: `module=https_2xx&target=${encodeURIComponent(`https://127.0.0.1:${port.tls}/`)}`,
      tcp: `module=tcp_connect&target=127.0.0.1:${port.redis}`,
    };
    const merged = new Map<string, ExposedFamily>();
    for (const [kind, q] of Object.entries(probes)) {
      const r = await httpGet(url('blackbox', `/probe?${q}`), 10_000);
      expect([kind, r.status, /^probe_success 1$/m.test(r.body)]).toEqual([kind, 200, true]);
      for (const f of parseExposition(r.body).values()) {
        const prev = merged.get(f.name);
        if (!prev) merged.set(f.name, { ...f, labels: new Set(f.labels) });
        else for (const l of f.labels) prev.labels.add(l);
      }
    }
    expect(catalogFindings('blackbox-exporter', merged)).toEqual([]);
  });

  it('the Pushgateway: the CI push documented in docs/metrics.md is exposed as the catalog says (gauges, with the grouping key as labels)', async () => {
    const families = await scrape(url('pushgateway'));
    expect(catalogFindings(CI_SOURCE, families)).toEqual([]);
    // The Pushgateway adds the grouping key (job, repository, branch) and an empty instance to every series.
    expect([...families.get('grekko_ci_test_coverage_ratio')!.labels].sort()).toEqual(['branch', 'instance', 'job', 'repository']);
  });

  it('the Elasticsearch exporter stays off the list: without a live Elasticsearch it exposes nothing of the catalog', async () => {
    const families = await scrape(url('elasticsearchExporter'));
    const exposed = catalogOf('elasticsearch-exporter')
      .filter((m) => families.has(m.name))
      .map((m) => m.name);
    // Once Debian's build exposes more here, its entries can be proven: move it to REAL_PROGRAMS.
    // Its elasticsearch_cluster_health_up (gone since v1.7.0) is no catalog entry: the pinned v1.9.0 lacks it.
    expect(families.has('elasticsearch_cluster_health_up')).toBe(true);
    expect({ exposed, log: procs.tail('elasticsearch-exporter', 5) }).toEqual({ exposed: [], log: expect.any(String) });
    expect(NOT_PROVEN_HERE['elasticsearch-exporter']).toMatch(/needs a live cluster/);
  });

  describe('the Alertmanager mesh and AlertmanagerClusterDegraded', () => {
    const degradedExpr = (alertmanagerGroup.rules.find((r) => 'alert' in r && r.alert === 'AlertmanagerClusterDegraded') as { expr: string }).expr;
    const members = (i: number) => gaugeValue(amUrl(i), 'alertmanager_cluster_members');
    const failed = (i: number) => gaugeValue(amUrl(i), 'alertmanager_cluster_failed_peers');
    const byPod = async (promPort: number, promql: string) =>
      Object.fromEntries((await query(promPort, promql)).map((s) => [s.metric.pod, Number(s.value[1])]).sort());
    /** The Cluster row of the Alertmanager dashboard, each panel's query as Grafana would run it, by pod. */
    const clusterPanels = async () => {
      const out: Record<string, Record<string, number>> = {};
      for (const dq of dashboardQueries(alertmanagerDashboard).filter((x) => x.expr.includes('alertmanager_cluster_'))) {
        out[dq.panel] = await byPod(port.prometheus, substituteGrafana(dq.expr).expr);
      }
      return out;
    };
    const ruleState = async (promPort: number) => {
      const r = await httpGet(`http://127.0.0.1:${promPort}/api/v1/rules?type=alert`, 5000);
      return JSON.parse(r.body)
        .data.groups.flatMap((g: any) => g.rules)
        .find((x: any) => x.name === 'AlertmanagerClusterDegraded');
    };

    it('has three members on each peer, none failed, and a Prometheus scraping the mesh sees no degraded cluster', async () => {
      const all = async () => {
        const v = await Promise.all(amWeb.map((_, i) => members(i)));
        return v.every((x) => x === PEERS) ? v : undefined;
      };
      expect(await waitFor('every peer to see the whole mesh', all, 20 * SECOND)).toEqual([3, 3, 3]);
      expect(await Promise.all(amWeb.map((_, i) => failed(i)))).toEqual([0, 0, 0]);
      expect(
        await waitFor(
          'Prometheus to scrape three members on each peer',
          async () => {
            const v = await byPod(port.prometheus, 'alertmanager_cluster_members');
            return Object.values(v).length === PEERS && Object.values(v).every((x) => x === PEERS) ? v : undefined;
          },
          10 * SECOND,
        ),
      ).toEqual({ [pod(0)]: 3, [pod(1)]: 3, [pod(2)]: 3 });
      expect(await query(port.prometheus, degradedExpr)).toEqual([]);
      expect((await ruleState(port.prometheus))?.state).toBe('inactive');
      const each = (v: number) => ({ [pod(0)]: v, [pod(1)]: v, [pod(2)]: v });
      const healthy = {
        'panel "Peers seen by each member"': each(3),
        'panel "Peers unreachable"': each(0),
        'panel "Gossip health score (0 is healthy)"': each(0),
      };
      // The health score may blip above 0 while the peers are still probing each other.
      const panels = await waitFor(
        'the cluster panels to show a healthy mesh',
        async () => {
          const v = await clusterPanels();
          return JSON.stringify(v) === JSON.stringify(healthy) ? v : undefined;
        },
        10 * SECOND,
      ).catch(() => clusterPanels());
      expect(panels).toEqual(healthy);
    });

    it('when a peer dies, the two others count two members and one failed peer, and Prometheus reads it', async () => {
      await procs.stop('alertmanager-2', 'SIGKILL');
      const seen = await waitFor(
        'the survivors to drop the dead peer',
        async () => {
          const v = [await members(0), await members(1), await failed(0), await failed(1)];
          return v.join() === '2,2,1,1' ? v : undefined;
        },
        20 * SECOND,
      );
      expect(seen).toEqual([2, 2, 1, 1]);
      expect(
        await waitFor(
          'Prometheus to read it',
          async () => {
            const v = await byPod(port.prometheus, 'alertmanager_cluster_members');
            return v[pod(0)] === 2 && v[pod(1)] === 2 && v[pod(2)] === undefined ? v : undefined;
          },
          10 * SECOND,
        ),
      ).toEqual({ [pod(0)]: 2, [pod(1)]: 2 });
      expect(await byPod(port.prometheus, 'alertmanager_cluster_failed_peers')).toEqual({ [pod(0)]: 1, [pod(1)]: 1 });
      expect(await byPod(port.prometheus, `up{job="alertmanager"}`)).toEqual({ [pod(0)]: 1, [pod(1)]: 1, [pod(2)]: 0 });
      const panels = await clusterPanels();
      expect(panels['panel "Peers seen by each member"']).toEqual({ [pod(0)]: 2, [pod(1)]: 2 });
      expect(panels['panel "Peers unreachable"']).toEqual({ [pod(0)]: 1, [pod(1)]: 1 });
      // A peer that is gone is no degraded mesh to this alert: its last samples (3 members) stay in
      // the 5-minute window, and once they leave it the dead peer is no longer counted either.
      expect(await query(port.prometheus, degradedExpr)).toEqual([]);
    });

    it('when the peer comes back cut off from the others, every peer sees fewer members than are running and the alert goes pending', async () => {
      // Restarted on a new gossip address (as a rescheduled pod gets a new IP) and reaching no
      // peer: it forms a mesh of one, while the two others keep dialling its old address.
      const isolated = await freePort();
      startAlertmanager(2, { clusterPort: isolated, peers: [] });
      await waitHttpOk(amUrl(2, '/-/ready'), 20 * SECOND);
      expect(await waitFor('the cut-off peer to report', () => members(2), 10 * SECOND)).toBe(1);
      // A Prometheus that starts scraping the split mesh: its 5-minute window holds only the split.
      startPrometheus('prometheus2', port.prometheus2);
      await waitHttpOk(`http://127.0.0.1:${port.prometheus2}/-/ready`, 30 * SECOND);
      const split = await waitFor(
        'the second Prometheus to scrape the three peers',
        async () => {
          const v = await byPod(port.prometheus2, 'alertmanager_cluster_members');
          return Object.keys(v).length === PEERS ? v : undefined;
        },
        15 * SECOND,
      );
      expect(split).toEqual({ [pod(0)]: 2, [pod(1)]: 2, [pod(2)]: 1 });
      expect(await byPod(port.prometheus2, degradedExpr)).toEqual({ [pod(0)]: 2, [pod(1)]: 2, [pod(2)]: 1 });
      const rule = await waitFor(
        'AlertmanagerClusterDegraded to go pending',
        async () => {
          const r = await ruleState(port.prometheus2);
          return r?.state === 'pending' ? r : undefined;
        },
        10 * SECOND,
      );
      expect(rule.alerts.map((a: any) => a.labels.pod).sort()).toEqual([pod(0), pod(1), pod(2)]);
      expect(rule.duration).toBe(15 * 60);
    });
  });
});

describe('reading the text exposition format', () => {
  const text = [
    '# HELP http_request_duration_seconds Latency.',
    '# TYPE http_request_duration_seconds histogram',
    'http_request_duration_seconds_bucket{handler="/a",le="0.1"} 1',
    'http_request_duration_seconds_bucket{handler="/a",le="+Inf"} 2',
    'http_request_duration_seconds_sum{handler="/a"} 0.3',
    'http_request_duration_seconds_count{handler="/a"} 2',
    '# TYPE rpc_seconds summary',
    'rpc_seconds{quantile="0.5"} 0.1',
    'rpc_seconds_count 4',
    '# TYPE jobs_count gauge',
    'jobs_count{queue="a \\"quoted\\", with comma",kind="x"} 3 1700000000000',
    'pushed_without_type{job="ci"} 1',
  ].join('\n');

  it('gives histogram and summary samples to their family, without le and quantile', () => {
    const f = parseExposition(text);
    expect(f.get('http_request_duration_seconds')).toMatchObject({ type: 'histogram', samples: 4 });
    expect([...f.get('http_request_duration_seconds')!.labels]).toEqual(['handler']);
    expect(f.get('rpc_seconds')).toMatchObject({ type: 'summary', samples: 2 });
    expect([...f.get('rpc_seconds')!.labels]).toEqual([]);
    expect(f.has('http_request_duration_seconds_bucket')).toBe(false);
  });

  it('keeps a gauge whose name ends in _count as its own family, reads quoted values with commas, and calls a family without # TYPE untyped', () => {
    const f = parseExposition(text);
    expect(f.get('jobs_count')).toMatchObject({ type: 'gauge', samples: 1 });
    expect([...f.get('jobs_count')!.labels].sort()).toEqual(['kind', 'queue']);
    expect(f.get('pushed_without_type')?.type).toBe('untyped');
  });

  it('refuses a line that is not exposition format', () => {
    expect(() => parseExposition('{job="x"} 1')).toThrow(/not a text exposition sample line/);
  });
});
