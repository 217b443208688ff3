/**
 * The labels each series carries, as the inference reads them: a catalog metric's own labels, the
 * labels its scrape target adds, `le` and `quantile` on the series that have them, and for a
 * recorded series what its rule's expression keeps plus the rule's static labels. A set is open
 * when its series may carry labels nobody can list (a Kubernetes node-label labelmap, say).
 */
import { familySeries } from '../../metrics/catalog';
import type { MetricsCatalog } from '../../metrics/types';
import type { RuleGroup } from '../types';
import { metricNames } from '../promql';
import { inferLabels } from './inference';
import { LabelSet, OPEN, SeriesLabels, labelSet, seriesLookup } from './sets';

/** Labels scrape jobs attach to the series of their targets (lib/components/prometheus/scrape.ts and the exporters' jobs). */
export const DEFAULT_TARGET_LABELS: readonly string[] = [
  // Prometheus itself: job from job_name (or the relabelling), instance from __address__.
  'job',
  'instance',
  // Endpoint-slice and pod discovery (scrape.ts, exporters/common.ts).
  'namespace',
  'service',
  'pod',
  'container',
  'node',
  // Exporter jobs: which database, cache or broker a series describes (exporters/common.ts, exporters/influxdb.ts, blackbox-tls).
  'dependency',
  // The labelmap of the annotation-driven jobs (scrape.ts annotationRelabelings).
  'app_kubernetes_io_name',
  'app_kubernetes_io_component',
  'app_kubernetes_io_version',
];

/**
 * Catalog sources whose series carry labels no list can name: the kubelet and cAdvisor jobs map
 * every Kubernetes node label onto their series (`labelmap __meta_kubernetes_node_label_(.+)` in
 * scrape.ts), and the per-target series of Prometheus (`up`, `scrape_*`) exist for those jobs too.
 */
export const DEFAULT_OPEN_SOURCES: readonly string[] = ['kubelet', 'cadvisor'];

/** The jobs of those sources (scrape.ts kubeletJob, cadvisorJob). */
export const DEFAULT_OPEN_JOBS: readonly string[] = ['kubelet', 'cadvisor'];

/**
 * Catalog sources whose series every scrape job produces (`up`, `scrape_duration_seconds`): open
 * unless a `job` matcher keeps the open jobs out.
 */
export const DEFAULT_EVERY_TARGET_SOURCES: readonly string[] = ['prometheus (every scrape target)'];

export interface CatalogLabelOptions {
  /** @default DEFAULT_TARGET_LABELS */
  readonly targetLabels?: readonly string[];
  /** @default DEFAULT_OPEN_SOURCES */
  readonly openSources?: readonly string[];
  /** @default DEFAULT_OPEN_JOBS */
  readonly openJobs?: readonly string[];
  /** @default DEFAULT_EVERY_TARGET_SOURCES */
  readonly everyTargetSources?: readonly string[];
  /** Series Prometheus produces itself (`ALERTS`), with any labels. @default - none */
  readonly builtinSeries?: readonly string[];
}

/** The labels of every series of the catalog: a histogram's `_bucket` has `le`, a summary's quantile series `quantile`. */
export function catalogSeriesLabels(catalog: MetricsCatalog, opts: CatalogLabelOptions = {}): Map<string, LabelSet> {
  const target = opts.targetLabels ?? DEFAULT_TARGET_LABELS;
  const openSources = new Set(opts.openSources ?? DEFAULT_OPEN_SOURCES);
  const everyTarget = new Set(opts.everyTargetSources ?? DEFAULT_EVERY_TARGET_SOURCES);
  const openJobs = new Set(opts.openJobs ?? DEFAULT_OPEN_JOBS);
  const out = new Map<string, LabelSet>();
  for (const m of catalog) {
    const open = openSources.has(m.source) ? true : everyTarget.has(m.source) ? 'jobs' : false;
    for (const s of familySeries(m)) {
      const names = [...m.labels, ...target, '__name__', ...s.labels];
      out.set(s.name, open === 'jobs' ? { names: new Set(names), open: true, openJobs } : labelSet(names, open));
    }
  }
  for (const s of opts.builtinSeries ?? []) out.set(s, OPEN);
  return out;
}

/**
 * The labels of recorded series: what each rule's expression keeps plus its static labels and
 * `__name__`. Rules reading recorded series are resolved in dependency order, whatever order the
 * groups come in; a cycle leaves the series open. Several rules recording one name give the union.
 */
export function withRecordedSeries(base: ReadonlyMap<string, LabelSet>, groups: readonly RuleGroup[]): Map<string, LabelSet> {
  return resolveRecordedSeries(base, groups, true).known;
}

/**
 * The recorded series resolved, and a lookup over them. Without a cycle among the rules, the
 * lookup resolves a series when it is first asked for (a dashboard check reads a few of thousands),
 * with the same result in any order, and the inference of each recording rule's expression (cached
 * per lookup, with matchers checked) is there for the rule checks to reuse. With a cycle, every
 * series is resolved at once in the order the rules come, as `withRecordedSeries` does.
 */
function resolveRecordedSeries(
  base: ReadonlyMap<string, LabelSet>,
  groups: readonly RuleGroup[],
  eager = hasCycle(groups),
): { known: Map<string, LabelSet>; lookup: SeriesLabels } {
  const rules = new Map<string, Array<{ expr: string; labels?: Readonly<Record<string, string>> }>>();
  for (const g of groups) {
    for (const r of g.rules) {
      if (!('record' in r) || typeof r.record !== 'string' || typeof r.expr !== 'string') continue;
      rules.set(r.record, [...(rules.get(r.record) ?? []), r]);
    }
  }
  const out = new Map(base);
  const resolving = new Set<string>();
  const resolved = new Map<string, LabelSet>();
  let cycle = false;
  const lookup: SeriesLabels = (metric) => {
    if (!rules.has(metric)) return out.get(metric);
    const done = resolved.get(metric);
    if (done) return done;
    if (resolving.has(metric)) {
      cycle = true;
      return OPEN;
    }
    resolving.add(metric);
    const names = new Set<string>(['__name__']);
    let open = false;
    for (const r of rules.get(metric) ?? []) {
      // Matchers are checked too (the result is the same): the rule checks then find this inference cached.
      const inf = inferLabels(r.expr, lookup);
      for (const n of inf.result.names) names.add(n);
      for (const n of Object.keys(r.labels ?? {})) names.add(n);
      open = open || inf.result.open;
    }
    resolving.delete(metric);
    const ls = labelSet(names, open);
    resolved.set(metric, ls);
    return ls;
  };
  if (!eager) return { known: out, lookup };
  for (const name of rules.keys()) out.set(name, lookup(name) ?? OPEN);
  return { known: out, lookup: cycle ? seriesLookup(out) : lookup };
}

/** Whether some recorded series is read, directly or through others, by a rule recording it. */
function hasCycle(groups: readonly RuleGroup[]): boolean {
  const reads = new Map<string, Set<string>>();
  for (const g of groups)
    for (const r of g.rules) {
      if (!('record' in r) || typeof r.record !== 'string' || typeof r.expr !== 'string') continue;
      const s = reads.get(r.record) ?? new Set<string>();
      for (const m of metricNames(r.expr)) s.add(m);
      reads.set(r.record, s);
    }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): boolean => {
    const st = state.get(name);
    if (st === 'visiting') return true;
    if (st === 'done' || !reads.has(name)) return false;
    state.set(name, 'visiting');
    for (const m of reads.get(name)!) if (visit(m)) return true;
    state.set(name, 'done');
    return false;
  };
  for (const name of reads.keys()) if (visit(name)) return true;
  return false;
}

const lookups = new WeakMap<MetricsCatalog, WeakMap<readonly RuleGroup[], Map<string, SeriesLabels>>>();

/**
 * The labels of the catalog's series and of the series the groups record, as a lookup. Built once
 * per catalog, groups and options (synth checks the same content for every environment), so the
 * inference of each expression is computed once too.
 */
export function seriesLabelsOf(catalog: MetricsCatalog, groups: readonly RuleGroup[], opts: CatalogLabelOptions = {}): SeriesLabels {
  let byGroups = lookups.get(catalog);
  if (!byGroups) {
    byGroups = new WeakMap();
    lookups.set(catalog, byGroups);
  }
  let byOpts = byGroups.get(groups);
  if (!byOpts) {
    byOpts = new Map();
    byGroups.set(groups, byOpts);
  }
  // Options left out are their defaults: the rule checks and the dashboard checks then share one lookup.
  const key = JSON.stringify([
    opts.targetLabels ?? DEFAULT_TARGET_LABELS,
    opts.openSources ?? DEFAULT_OPEN_SOURCES,
    opts.openJobs ?? DEFAULT_OPEN_JOBS,
    opts.everyTargetSources ?? DEFAULT_EVERY_TARGET_SOURCES,
    opts.builtinSeries ?? [],
  ]);
  let lookup = byOpts.get(key);
  if (!lookup) {
    lookup = resolveRecordedSeries(catalogSeriesLabels(catalog, opts), groups).lookup;
    byOpts.set(key, lookup);
  }
  return lookup;
}
