/**
 * Writes docs/verification.md: per component and per catalog source, what is proven by the real
 * program here, what by its upstream source at the pinned tag, what by schema only, and which
 * dashboard queries nothing real feeds in the end-to-end pipeline. Generated from the metrics
 * catalog, metrics/real-programs.ts, metrics/sources/ and metrics/verification.ts;
 * `npm run docs:verification` regenerates it and test/docs.test.ts fails when it is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS } from '../alerts';
import { DASHBOARDS } from '../dashboards';
import { dashboardQueries } from '../lib/dashboards/check';
import { IMAGES } from '../lib/core/images';
import { parsePromQL } from '../lib/rules/promql';
import { METRICS } from '../metrics';
import { NOT_PROVEN_HERE, REAL_PROGRAMS, VERSION_DIFFERENCES } from '../metrics/real-programs';
import { SOURCE_FIXTURES } from '../metrics/sources';
import { EMPTY_WHEN_HEALTHY, PIPELINE_STAND_IN_SOURCES, Rung, catalogRung, queryFeed } from '../metrics/verification';

export const VERIFICATION_DOC = path.join(__dirname, '..', 'docs', 'verification.md');

/** What is proven about each component beyond its metrics, and by which rung (the tests named exist; test/docs.test.ts checks). */
export const COMPONENT_PROOFS: ReadonlyArray<{ readonly component: string; readonly real: string; readonly source: string; readonly schema: string }> = [
  {
    component: 'Prometheus',
    real: "promtool check config on the generated prometheus.yml (discovery swapped), promtool test rules on every rule file, rule files read from the kubelet layout (test/config-tools.test.ts, test/alert-rules.test.ts, test/volumes.test.ts); the generated scrape jobs, relabelling, rules and HA labels run on Debian's Prometheus 2.42 (test/e2e/alerts-fire.test.ts, test/prometheus-self-scrape.test.ts)",
    source:
      "left-open range selectors at v3.5.0 (promql/engine.go, lib/rules/scrape-timing.ts); kubernetes_sd_configs shape (Debian's build lacks Kubernetes discovery)",
    schema: 'StatefulSet, RBAC, Service, NetworkPolicy',
  },
  {
    component: 'Alertmanager',
    real: "amtool check-config and amtool config routes test on the generated alertmanager.yml (test/config-tools.test.ts, test/alert-routing.test.ts); routing, grouping and inhibition on Debian's Alertmanager 0.25 (test/e2e/alerts-fire.test.ts); a three-peer mesh and its cluster metrics (test/e2e/catalog-real.test.ts)",
    source:
      '*_file credential fields read at v0.28.1; amtool 0.25 does not open them, so their presence in the Secret mount is checked by test/volumes.test.ts',
    schema: 'StatefulSet, Services, PodDisruptionBudget',
  },
  {
    component: 'Grafana',
    real: 'nothing: Grafana is not packaged for Debian here',
    source:
      'the dashboard file provider walks without following symlinked folders (pkg/services/provisioning/dashboards/file_reader.go), mirrored by test/volumes.test.ts on the kubelet layout; plugin preinstall settings (pkg/setting/setting_plugins.go); both read at stored commits, the v12.4.5 tag being too large to fetch here',
    schema: 'Deployment, provisioning files as ConfigMaps',
  },
  {
    component: 'node-exporter, postgres_exporter, redis_exporter, blackbox_exporter',
    real: "their catalog entries against real /metrics and /probe (test/e2e/catalog-real.test.ts); production's TLS settings against TLS PostgreSQL and Redis with a trusted and a foreign CA, and blackbox's TLS probe (test/e2e/exporter-tls.test.ts); blackbox_exporter --config.check on every generated blackbox.yml (test/exporters.test.ts)",
    source: "flags and metrics newer than Debian's builds, listed with their upstream file in metrics/real-programs.ts",
    schema: 'Deployments',
  },
  {
    component: 'Pushgateway',
    real: "the documented CI push on Debian's Pushgateway, read as the catalog says and scraped by the pipeline's Prometheus (test/e2e/catalog-real.test.ts, test/e2e/queries-real.test.ts)",
    source: '-',
    schema: 'Deployment',
  },
  {
    component: 'kube-state-metrics, cAdvisor, kubelet, API server',
    real: 'nothing: no cluster runs here',
    source:
      'metric families and labels at the pinned versions (metrics/sources/, test/catalog-sources.test.ts); every kube_* family a rule or dashboard reads belongs to a resource in --resources and the ClusterRole',
    schema: 'Deployment, RBAC',
  },
  {
    component: 'Thanos (sidecar, Query, store gateway, compactor)',
    real: 'nothing: no Thanos binary runs here (stand-ins expose its catalog metrics in the pipeline, proving nothing about it); the alerts run in promtool (alerts/thanos.tests.ts)',
    source:
      "every flag of the four subcommands, the objstore.yml keys of S3, GCS and Azure, the $(VAR) substitution of the objstore config, the endpoint.sd-config format, deduplication on by default with a replica label, and Prometheus v3.5.0's block-duration flags, read at v0.42.4 and the objstore and extkingpin commits its go.mod pins (test/support/thanos-source.ts, test/thanos-source.test.ts); metric families at v0.42.4 (metrics/sources/, test/catalog-sources.test.ts); the retention floors the compactor enforces (40h raw, 10d 5-minute: cmd/thanos/compact.go) and the storage estimate's facts (lib/components/thanos/estimate.ts)",
    schema: 'StatefulSets, Deployment, Services, PodDisruptionBudgets, NetworkPolicies',
  },
  {
    component: 'Jaeger, kafka_exporter, elasticsearch_exporter, InfluxDB',
    real: 'nothing (stand-ins expose their catalog metrics in the pipeline, proving nothing about them)',
    source:
      'metric names, types and labels at the pinned tags (metrics/sources/, test/catalog-sources.test.ts); kafka_exporter reads SASL_USER_PASSWORD (kafka_exporter.go at v1.9.0)',
    schema: 'Deployments, ConfigMaps',
  },
  {
    component: 'Fluentd, Elasticsearch, Kibana',
    real: 'the Elasticsearch setup script against a stand-in (test/logging-setup.test.ts); every file their configuration names exists in the kubelet layout of their mounts (test/volumes.test.ts)',
    source: "Fluentd's metrics (fluent-plugin-prometheus, metrics/sources/fluentd.ts)",
    schema: 'StatefulSets, DaemonSet, Jobs',
  },
  {
    component: 'Kubernetes objects',
    real: '-',
    source:
      "the kubelet's atomic writer layout of ConfigMap, Secret and projected volumes (test/support/kubelet-volumes.ts); system-node-critical admission under quota-limited priority classes (lib/core/priority.ts)",
    schema: 'every object against Kubernetes 1.28 and a current release (test/schema.test.ts, test/policy.test.ts)',
  },
];

const RUNGS: readonly Rung[] = ['real program', 'upstream source', 'contract', 'unproven'];
const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderVerificationDoc(): string {
  const out: string[] = [
    '# Verification',
    '',
    '<!-- Generated by `npm run docs:verification` (scripts/verification-doc.ts); do not edit. -->',
    '',
    'Every fact the stack relies on about a program sits on one rung: **proven by the real program**',
    "run on this machine (Debian's builds, older than the pinned images; the differences are listed",
    'with their upstream file), **read from upstream source at the pinned tag** (recorded as a',
    'fixture with its repository, tag and file; bumping an image tag without refreshing its fixture',
    'fails a test), or **schema only** (the Kubernetes OpenAPI: well formed, nothing about behaviour).',
    "The trading services' metrics are a **contract** the services must keep; a stand-in generated",
    'from the catalog keeps the pipeline quiet and proves nothing about the program it replaces.',
    '',
    '## Components',
    '',
    '| component | proven by the real program here | read from upstream source | schema only |',
    '|---|---|---|---|',
  ];
  for (const c of COMPONENT_PROOFS) out.push(`| ${c.component} | ${cell(c.real)} | ${cell(c.source)} | ${cell(c.schema)} |`);

  const bySource = new Map<string, Map<Rung, number>>();
  const totals = new Map<Rung, number>();
  for (const m of METRICS.all) {
    const r = catalogRung(m.name);
    const row = bySource.get(m.source) ?? new Map<Rung, number>();
    row.set(r, (row.get(r) ?? 0) + 1);
    bySource.set(m.source, row);
    totals.set(r, (totals.get(r) ?? 0) + 1);
  }
  const how = (source: string): string => {
    const real = REAL_PROGRAMS.find((p) => p.source === source && !(p.source in NOT_PROVEN_HERE));
    if (real) return `Debian's \`${real.debianPackage}\` for the ${real.image} image ${IMAGES[real.image].tag}`;
    const fixture = SOURCE_FIXTURES.find((f) => f.catalogSources.includes(source));
    if (fixture) return `${fixture.repository} at ${fixture.tag} (metrics/sources/${fixture.component}.ts)`;
    return '-';
  };
  out.push('', '## Catalog entries by rung', '', `${METRICS.all.length} entries: ${RUNGS.map((r) => `${totals.get(r) ?? 0} ${r}`).join(', ')}.`, '');
  out.push(`| source | ${RUNGS.join(' | ')} | proven with |`, `|---|${RUNGS.map(() => '---:').join('|')}|---|`);
  for (const [source, row] of [...bySource.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`| ${cell(source)} | ${RUNGS.map((r) => row.get(r) ?? 0).join(' | ')} | ${cell(how(source))} |`);
  }
  const unproven = METRICS.all.filter((m) => catalogRung(m.name) === 'unproven');
  if (unproven.length) {
    out.push('', 'Unproven entries, and why:', '');
    for (const m of unproven) {
      const f = SOURCE_FIXTURES.find((x) => x.catalogSources.includes(m.source));
      out.push(
        `- \`${m.name}\` (${m.source}): ${f ? `no file of ${f.repository} at ${f.tag} could be read for it` : 'no program or fixture covers its source'}`,
      );
    }
  }
  out.push('', "Catalog entries Debian's builds lack (proven by the upstream file instead):", '');
  for (const d of VERSION_DIFFERENCES)
    out.push(
      `- \`${d.metric}\`${d.labels ? ` labels ${d.labels.map((l) => `\`${l}\``).join(', ')}` : ''}: ${cell(d.difference)} (${d.upstream.repository} ${d.upstream.tag} ${d.upstream.file})`,
    );

  // Queries in the pipeline: what nothing real feeds there, by name.
  const rows: string[] = [];
  const count = { real: 0, 'stand-in': 0, absent: 0 };
  for (const d of DASHBOARDS) {
    for (const q of dashboardQueries(d)) {
      const f = queryFeed(q.expr, PIPELINE_STAND_IN_SOURCES);
      count[f.feed]++;
      if (f.feed !== 'real')
        rows.push(
          `| ${d.uid} | ${cell(q.panel)} ${q.refId} | ${f.feed} | ${f.metrics
            .filter((m) => catalogRung(m) !== 'real program')
            .map((m) => `\`${m}\``)
            .join(', ')} |`,
        );
    }
  }
  let selectors = 0;
  for (const g of ALERT_GROUPS)
    for (const r of g.rules)
      for (const s of new Set(parsePromQL(r.expr).selectors.map((x) => x.text))) if (queryFeed(s, PIPELINE_STAND_IN_SOURCES).feed === 'real') selectors++;
  out.push(
    '',
    '## Queries on the end-to-end pipeline',
    '',
    `test/e2e/queries-real.test.ts runs every dashboard query and every selector of every rule on the pipeline after a healthy minute.`,
    `Of ${count.real + count['stand-in'] + count.absent} dashboard queries, ${count.real} read only metrics of real programs and must return data there`,
    `(as must ${selectors} rule selectors); ${count['stand-in']} read metrics that only stand-ins expose there, and ${count.absent} read metrics nothing exposes`,
    'on loopback (no cluster, no Fluentd). Those, by name:',
    '',
    '| dashboard | panel and query | fed by | metrics not from a real program |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Fed by real programs but empty while healthy here, and why:',
    '',
    ...Object.entries(EMPTY_WHEN_HEALTHY).map(([k, why]) => `- ${cell(k)}: ${why}`),
    '',
  );
  return out.join('\n');
}

if (require.main === module) {
  fs.writeFileSync(VERIFICATION_DOC, renderVerificationDoc());

  console.log(`wrote ${path.relative(process.cwd(), VERIFICATION_DOC)}`);
}
