/**
 * The catalog entries of programs that cannot run here (Jaeger, Fluentd's plugin, kube-state-metrics,
 * cAdvisor, the kubelet, the API server, kafka_exporter, InfluxDB, and elasticsearch_exporter, whose
 * Debian build exposes nothing of the catalog without a live Elasticsearch) are held to what their upstream
 * source says at the version the stack runs (metrics/sources/). A renamed metric, a wrong type, a
 * label the program does not give, or a version bump without re-reading the source fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { DASHBOARDS } from '../dashboards';
import { KSM_RESOURCES } from '../lib/components/kube-state-metrics/kube-state-metrics';
import { dashboardQueries, substituteGrafana } from '../lib/dashboards';
import { IMAGES } from '../lib/core/images';
import { MetricDefinition } from '../lib/metrics/types';
import { parsePromQL } from '../lib/rules/promql';
import { METRICS } from '../metrics';
import { KSM_STORE_RESOURCES, KUBERNETES_MINOR, SOURCE_FIXTURES, SourceFixture, SourceMetric } from '../metrics/sources';
import { ENVIRONMENTS, find, synth } from './support/synth';

const covered = new Set(SOURCE_FIXTURES.flatMap((f) => f.catalogSources));
const entries = METRICS.all.filter((m) => covered.has(m.source));
const fileOf = (f: SourceFixture) => `metrics/sources/${f.component}.ts`;

/** The fixture entry for a catalog entry: same name, among the fixtures of its source. */
function traced(m: MetricDefinition): { fixture: SourceFixture; metric: SourceMetric } | undefined {
  for (const fixture of SOURCE_FIXTURES.filter((f) => f.catalogSources.includes(m.source))) {
    const metric = fixture.metrics.find((x) => x.name === m.name);
    if (metric) return { fixture, metric };
  }
  return undefined;
}
/** The labels Prometheus stores for a fixture entry: the program's own, renamed as the fixture's scrape job renames them. */
const storedLabels = (f: SourceFixture, m: SourceMetric): string[] => m.labels.map((l) => f.scrapeRenames?.renames.find((r) => r.from === l)?.to ?? l);
const untracedReason = (m: MetricDefinition) =>
  SOURCE_FIXTURES.filter((f) => f.catalogSources.includes(m.source))
    .flatMap((f) => f.untraced ?? [])
    .find((u) => u.name === m.name)?.reason;

/** The git tag an image tag is built from, for the images whose fixture follows them. */
function upstreamTagOf(image: string, imageTag: string): string {
  // fluentd-kubernetes-daemonset tags its sources v1.19.0-1.1 for the images v1.19.0-<variant>-1.1.
  if (image === 'fluentd') return imageTag.replace(/^(v\d+\.\d+\.\d+)-debian-[a-z0-9]+-/, '$1-');
  return imageTag.startsWith('v') ? imageTag : `v${imageTag}`;
}

describe('source fixtures', () => {
  it('exist one file per component under metrics/sources/, naming repository, tag and a file per metric', () => {
    for (const f of SOURCE_FIXTURES) {
      expect([f.component, fs.existsSync(path.join(REPOSITORY_ROOT, fileOf(f)))]).toEqual([f.component, true]);
      expect(f.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(f.tag).not.toBe('');
      for (const m of f.metrics) expect([m.name, m.file]).toEqual([m.name, expect.stringMatching(/^[\w./-]+\.(go|rb)$/)]);
    }
    expect(SOURCE_FIXTURES.map((f) => f.component).sort()).toEqual(
      [
        'apiserver',
        'cadvisor',
        'elasticsearch-exporter',
        'fluentd',
        'influxdb',
        'jaeger',
        'kafka-exporter',
        'kube-state-metrics',
        'kubelet',
        'opentelemetry-collector',
        'thanos',
        'thanos-objstore',
        'go-grpc-middleware',
      ].sort(),
    );
  });

  it('follow the image tags of lib/core/images.ts: a bump without re-reading the source fails here', () => {
    const problems: string[] = [];
    for (const f of SOURCE_FIXTURES) {
      const p = f.pin;
      if (p.kind === 'image' || p.kind === 'embedded') {
        const pinned = IMAGES[p.image].tag;
        if (pinned !== p.imageTag) {
          const from =
            p.kind === 'image'
              ? `github.com/${f.repository} at tag ${upstreamTagOf(p.image, pinned)}`
              : `github.com/${p.imageSource.repository} at tag ${upstreamTagOf(p.image, pinned)} (${p.imageSource.path}), then github.com/${f.repository} at the version it names`;
          problems.push(`${fileOf(f)} was read for ${p.image} ${p.imageTag}, but lib/core/images.ts pins ${pinned}: refresh ${fileOf(f)} from ${from}`);
        }
        const expected = upstreamTagOf(p.image, p.imageTag);
        if (p.kind === 'image' && f.tag !== expected)
          problems.push(`${fileOf(f)} reads ${f.repository} at ${f.tag}, but image ${p.image}:${p.imageTag} is built from ${expected}`);
        if (p.kind === 'embedded' && p.imageSource.tag !== expected)
          problems.push(
            `${fileOf(f)} takes its version from ${p.imageSource.repository} at ${p.imageSource.tag}, but image ${p.image}:${p.imageTag} is built from ${expected}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('of the kubelet, cAdvisor and the API server follow the Kubernetes version of cdk8s-plus (1.28)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8'));
    const plus = Object.keys(pkg.dependencies)
      .map((d) => /^cdk8s-plus-(\d+)$/.exec(d)?.[1])
      .filter((x): x is string => !!x);
    expect(plus.map((minor) => `1.${minor}`)).toEqual([KUBERNETES_MINOR]);
    const kube = SOURCE_FIXTURES.filter((f) => f.pin.kind === 'kubernetes');
    expect(kube.map((f) => f.component).sort()).toEqual(['apiserver', 'cadvisor', 'kubelet']);
    for (const f of kube) expect([f.component, f.pin.kind === 'kubernetes' && f.pin.minor]).toEqual([f.component, KUBERNETES_MINOR]);
    const apiserver = SOURCE_FIXTURES.find((f) => f.component === 'apiserver')!;
    expect(apiserver.tag.startsWith(`kubernetes-${KUBERNETES_MINOR}.`)).toBe(true);
  });

  it('of InfluxDB, which the stack scrapes but does not run, read a 2.x release', () => {
    const influx = SOURCE_FIXTURES.find((f) => f.component === 'influxdb')!;
    expect(influx.pin).toMatchObject({ kind: 'external', major: '2' });
    expect(influx.tag).toMatch(/^v2\.\d+\.\d+$/);
  });
});

describe('the catalog, held to the source fixtures', () => {
  it('every entry of a fixture-covered source has a fixture entry of the same name and type, with every label it lists', () => {
    const problems: string[] = [];
    for (const m of entries) {
      const t = traced(m);
      if (!t) {
        if (!untracedReason(m))
          problems.push(
            `${m.name} (${m.source}): no fixture entry; read it from upstream source into metrics/sources/, or list it as untraced with the reason`,
          );
        continue;
      }
      if (t.metric.type !== m.type)
        problems.push(`${m.name}: the catalog says ${m.type}, ${t.fixture.repository}@${t.fixture.tag} ${t.metric.file} defines a ${t.metric.type}`);
      const given = new Set([...storedLabels(t.fixture, t.metric), ...(t.metric.untracedLabels?.labels ?? [])]);
      const extra = m.labels.filter((l) => !given.has(l));
      if (extra.length)
        problems.push(`${m.name}: the catalog lists labels ${extra.join(', ')} that ${t.fixture.repository}@${t.fixture.tag} ${t.metric.file} does not give`);
    }
    expect(problems).toEqual([]);
  });

  it('every fixture entry is a catalog entry of that source (no stale fixture)', () => {
    const problems: string[] = [];
    for (const f of SOURCE_FIXTURES) {
      for (const name of [...f.metrics.map((m) => m.name), ...(f.untraced ?? []).map((u) => u.name)]) {
        const def = METRICS.all.find((m) => m.name === name);
        if (!def || !f.catalogSources.includes(def.source)) problems.push(`${fileOf(f)}: ${name} is not a catalog entry of ${f.catalogSources.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('leaves unproven only the kubelet metrics and the labels the kubelet adds to cAdvisor series, which kubernetes/kubernetes at v1.28 would prove', () => {
    const unproven = entries
      .filter((m) => !traced(m))
      .map((m) => m.name)
      .sort();
    expect(unproven).toEqual(['kubelet_running_pods', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes']);
    const untracedLabels = new Set(entries.flatMap((m) => traced(m)?.metric.untracedLabels?.labels.filter((l) => m.labels.includes(l)) ?? []));
    expect([...untracedLabels].sort()).toEqual(['container', 'namespace', 'pod']);
    expect(entries.length - unproven.length).toBeGreaterThanOrEqual(91);
  });

  it("lists the elasticsearch_exporter's families as v1.9.0 names them: cluster health gauges, no elasticsearch_cluster_health_up (gone since v1.7.0)", () => {
    const es = SOURCE_FIXTURES.find((f) => f.component === 'elasticsearch-exporter')!;
    const catalogued = METRICS.all.filter((m) => m.source === 'elasticsearch-exporter');
    expect(catalogued.map((m) => m.name).sort()).toEqual(es.metrics.map((m) => m.name).sort());
    expect(catalogued.length).toBe(16);
    expect(METRICS.lookup('elasticsearch_cluster_health_up')).toBeUndefined();
    // The program's own labels name the cluster `cluster`; Prometheus stores it as `es_cluster`.
    const status = es.metrics.find((m) => m.name === 'elasticsearch_cluster_health_status')!;
    expect([[...status.labels].sort(), storedLabels(es, status).sort()]).toEqual([
      ['cluster', 'color'],
      ['color', 'es_cluster'],
    ]);
    for (const m of catalogued) expect([m.name, m.labels.includes('cluster'), m.labels.includes('es_cluster')]).toEqual([m.name, false, true]);
  });

  it("names Jaeger's Elasticsearch bulk metrics jaeger_storage_bulk_index_* with name and role, as 2.19 exports them", () => {
    const bulk = METRICS.all.filter((m) => m.name.includes('bulk_index'));
    expect(bulk.map((m) => [m.name, m.type, [...m.labels]])).toEqual([
      ['jaeger_storage_bulk_index_attempts', 'counter', ['name', 'role']],
      ['jaeger_storage_bulk_index_errors', 'counter', ['name', 'role']],
      ['jaeger_storage_bulk_index_inserts', 'counter', ['name', 'role']],
      ['jaeger_storage_bulk_index_latency_err', 'histogram', ['name', 'role']],
    ]);
  });
});

describe('Thanos v0.42.4 and the modules it embeds', () => {
  const thanos = METRICS.all.filter((m) => m.source === 'thanos');
  const fixtures = SOURCE_FIXTURES.filter((f) => f.catalogSources.includes('thanos'));

  it('trace every Thanos entry to Thanos itself, objstore at the go.mod pin, or go-grpc-middleware at the go.mod pin', () => {
    expect(fixtures.map((f) => [f.component, f.repository, f.tag])).toEqual([
      ['thanos', 'thanos-io/thanos', 'v0.42.4'],
      ['thanos-objstore', 'thanos-io/objstore', '71d60dfee488'],
      ['go-grpc-middleware', 'grpc-ecosystem/go-grpc-middleware', 'providers/prometheus/v1.0.1'],
    ]);
    const byFixture = (name: string) => fixtures.find((f) => f.metrics.some((m) => m.name === name))?.component;
    for (const m of thanos)
      expect([m.name, byFixture(m.name)]).toEqual([
        m.name,
        m.name.startsWith('grpc_') ? 'go-grpc-middleware' : m.name.startsWith('thanos_objstore_') ? 'thanos-objstore' : 'thanos',
      ]);
  });

  it("name the bucket families thanos_objstore_bucket_* (objstore's names behind Thanos's thanos_ prefix), each with the bucket's name", () => {
    const bucket = thanos.filter((m) => m.name.startsWith('thanos_objstore_bucket_'));
    expect(bucket.length).toBeGreaterThanOrEqual(3);
    for (const m of bucket) expect([m.name, m.labels.includes('bucket')]).toEqual([m.name, true]);
    expect(METRICS.lookup('objstore_bucket_operations_total')).toBeUndefined();
  });

  it('give the gRPC handling-time histograms no grpc_code label, as the provider defines them', () => {
    for (const name of ['grpc_server_handling_seconds', 'grpc_client_handling_seconds'])
      expect([name, [...METRICS.lookup(`${name}_bucket`)!.labels]]).toEqual([name, ['grpc_type', 'grpc_service', 'grpc_method']]);
  });
});

describe('the scrape jobs rename the labels the fixtures say they rename', () => {
  const renaming = SOURCE_FIXTURES.filter((f) => f.scrapeRenames);

  it('the elasticsearch_exporter fixture records the cluster → es_cluster rename of the elasticsearch job', () => {
    expect(renaming.map((f) => [f.component, f.scrapeRenames!.job, f.scrapeRenames!.renames])).toEqual([
      ['elasticsearch-exporter', 'elasticsearch', [{ from: 'cluster', to: 'es_cluster' }]],
    ]);
  });

  it.each(ENVIRONMENTS)("%s: the job copies each `from` label to `to` and drops `from`, so no series keeps the program's name for it", (env) => {
    const jobs: any[] = parse(find(synth(env).objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).scrape_configs;
    for (const f of renaming) {
      const job = jobs.find((j) => j.job_name === f.scrapeRenames!.job);
      expect([f.component, job !== undefined]).toEqual([f.component, true]);
      const rules: any[] = job.metric_relabel_configs ?? [];
      for (const r of f.scrapeRenames!.renames) {
        const copy = rules.findIndex(
          (x) =>
            (x.action ?? 'replace') === 'replace' &&
            x.source_labels?.length === 1 &&
            x.source_labels[0] === r.from &&
            x.target_label === r.to &&
            (x.replacement ?? '$1') === '$1',
        );
        const drop = rules.findIndex(
          (x) => x.action === 'labeldrop' && new RegExp(`^(?:${x.regex})$`).test(r.from) && !new RegExp(`^(?:${x.regex})$`).test(r.to),
        );
        expect([r.from, r.to, copy >= 0, drop > copy]).toEqual([r.from, r.to, true, true]);
      }
    }
  });
});

describe('the generated Jaeger configuration keeps the naming the fixtures record', () => {
  it.each(ENVIRONMENTS)(
    '%s: every Prometheus reader leaves without_units and without_type_suffix to their default (true): no _total, no unit suffix',
    (env) => {
      const configs = synth(env)
        .objects.filter((o) => o.kind === 'ConfigMap' && String(o.metadata?.name).startsWith('jaeger') && (o as any).data?.['config.yaml'])
        .map((o) => parse((o as any).data['config.yaml']));
      expect(configs.length).toBeGreaterThan(0);
      for (const c of configs) {
        const readers = c.service.telemetry.metrics.readers as any[];
        expect(readers.length).toBeGreaterThan(0);
        for (const r of readers) {
          const prom = r.pull?.exporter?.prometheus;
          expect(prom).toBeDefined();
          for (const flag of ['without_units', 'without_type_suffix', 'translation_strategy'])
            expect([flag, prom[flag] === undefined || prom[flag] === true]).toEqual([flag, true]);
        }
      }
    },
  );
});

describe('kube-state-metrics exports every kube_* family the rules and dashboards read', () => {
  const exprs = [
    ...DASHBOARDS.flatMap(dashboardQueries).map((x) => substituteGrafana(x.expr).expr),
    ...ALERT_GROUPS.flatMap((g) => g.rules).map((r) => r.expr),
  ];
  const families = [
    ...new Set(
      exprs
        .flatMap((e) => parsePromQL(e).metrics.map((m) => METRICS.lookup(m.name)))
        .filter((d): d is MetricDefinition => d?.source === 'kube-state-metrics')
        .map((d) => d.name),
    ),
  ].sort();
  const ksm = SOURCE_FIXTURES.find((f) => f.component === 'kube-state-metrics')!;
  /** internal/store/<kind>.go defines the families of the `<kind>s` store (builder.go's availableStores). */
  const resourceOf = (family: string): string => {
    const file = ksm.metrics.find((m) => m.name === family)?.file ?? '';
    const kind = /^internal\/store\/([a-z]+)\.go$/.exec(file)?.[1];
    return kind ? `${kind}s` : `(no store file for ${family})`;
  };

  it('the families come from store files whose resource builder.go defines', () => {
    expect(families).toContain('kube_configmap_metadata_resource_version');
    for (const f of families) expect([f, KSM_STORE_RESOURCES.includes(resourceOf(f))]).toEqual([f, true]);
  });

  it.each(ENVIRONMENTS)('%s: each family belongs to a resource in --resources and on the ClusterRole (list and watch)', (env) => {
    const { objects } = synth(env);
    const args: string[] = find(objects, 'Deployment', 'kube-state-metrics').spec.template.spec.containers[0].args;
    const enabled = new Set(
      args
        .find((a) => a.startsWith('--resources='))!
        .slice('--resources='.length)
        .split(','),
    );
    const role = find(objects, 'ClusterRole', 'monitoring-kube-state-metrics');
    const granted = new Set<string>(role.rules.filter((r: any) => r.verbs.includes('list') && r.verbs.includes('watch')).flatMap((r: any) => r.resources));
    for (const f of families) expect([f, resourceOf(f), enabled.has(resourceOf(f)), granted.has(resourceOf(f))]).toEqual([f, resourceOf(f), true, true]);
  });

  it('reads ConfigMaps with list and watch only, in the core API group', () => {
    expect(KSM_RESOURCES.filter((r) => r.name === 'configmaps')).toEqual([{ name: 'configmaps', apiGroup: '', resource: 'configmaps' }]);
    const role = find(synth('production').objects, 'ClusterRole', 'monitoring-kube-state-metrics');
    const core = role.rules.find((r: any) => r.apiGroups.includes(''));
    expect(core.resources).toContain('configmaps');
    expect(core.verbs).toEqual(['list', 'watch']);
    expect(role.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
  });
});
