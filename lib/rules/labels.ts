/**
 * Static label-set inference over the PromQL syntax tree (the grammar of
 * `@prometheus-io/lezer-promql`): which labels the series of an expression can carry, and every
 * label the expression names that none of its series carries (a matcher, a `by`/`without` list, an
 * `on`/`ignoring` list, a `group_left`/`group_right` list). Alert templates (`$labels.x`) and
 * Grafana legends (`{{x}}`) are checked against the inferred result.
 *
 * The propagation follows Prometheus's engine (prometheus/prometheus v3.5.0, promql/engine.go and
 * promql/functions.go):
 * - a selector carries its metric's labels, its scrape target's labels and `__name__`;
 * - `sum`, `avg`, `min`, `max`, `count`, `group`, `stddev`, `stdvar`, `quantile`: `by (x)` keeps
 *   x, `without (x)` drops x and `__name__`, neither keeps nothing (generateGroupingLabels);
 *   `count_values("l", v)` adds l; `topk`, `bottomk`, `limitk`, `limit_ratio` return input series;
 * - vector-vector arithmetic and comparison (resultMetric): the left side's labels, or the right
 *   side's under `group_right`; one-to-one `on (x)` keeps only x, `ignoring (x)` drops x;
 *   `group_left (l)` / `group_right (l)` add l from the "one" side;
 * - `and`, `unless` keep the left side's series, `or` the series of both sides;
 * - `histogram_quantile` drops `le`; `label_replace` and `label_join` add their destination;
 *   `absent` and `absent_over_time` carry the labels of their selector's equality matchers
 *   (createLabelsForAbsentFunction); `vector`, `time`, `scalar` carry none; other functions keep
 *   the labels of their vector argument.
 *
 * A set is "open" when it may hold labels the inference cannot name (an unknown metric, a metric
 * whose target labels come from an open relabelling such as a Kubernetes node-label labelmap,
 * `info()`): nothing is rejected against an open set. The module knows no content: callers
 * give it the labels of each metric.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { closest, editDistance } from '../core/names';
import type { MetricsCatalog } from '../metrics/types';
import { LabelMatcher, selectorMatchers, unquote } from './promql';
import type { RuleGroup } from './types';

/** Labels the series of an expression may carry. */
export interface LabelSet {
  readonly names: ReadonlySet<string>;
  /** True when series may carry further labels the inference cannot name. */
  readonly open: boolean;
  /**
   * A selector's set is open only when its series may come from one of these jobs: a selector
   * whose `job` matcher names other jobs only gets the closed set. @default - always as `open` says
   */
  readonly openJobs?: ReadonlySet<string>;
}

/** The labels of a metric's series by name; undefined when the metric is unknown (then anything goes). */
export type SeriesLabels = (metric: string) => LabelSet | undefined;

export type LabelUse = 'matcher' | 'by' | 'without' | 'on' | 'ignoring' | 'group_left' | 'group_right' | 'template' | 'legend' | 'variable';

/** A label an expression (or a template over its result) names that none of its series carries. */
export interface LabelProblem {
  readonly label: string;
  readonly use: LabelUse;
  /** The clause as written (`sum by (namespace, servce)`, `probe_success{prob="health"}`). */
  readonly clause: string;
  /** The labels that were available there, sorted. */
  readonly available: readonly string[];
  /** Why, when it is not simply that no series carries it. */
  readonly reason?: string;
}

export interface LabelInference {
  /** The labels of the result's series. */
  readonly result: LabelSet;
  /** Whether the result is a scalar (or a string). */
  readonly scalar: boolean;
  readonly problems: readonly LabelProblem[];
}

export interface InferOptions {
  /** Check selector matchers too. @default true */
  readonly matchers?: boolean;
}

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

const OPEN: LabelSet = { names: new Set(), open: true };
const NONE: LabelSet = { names: new Set(), open: false };

function set(names: Iterable<string>, open = false): LabelSet {
  return { names: new Set(names), open };
}

/** The labels of every series of the catalog: a histogram's `_bucket` has `le`, a summary's quantile series `quantile`. */
export function catalogSeriesLabels(catalog: MetricsCatalog, opts: CatalogLabelOptions = {}): Map<string, LabelSet> {
  const target = opts.targetLabels ?? DEFAULT_TARGET_LABELS;
  const openSources = new Set(opts.openSources ?? DEFAULT_OPEN_SOURCES);
  const everyTarget = new Set(opts.everyTargetSources ?? DEFAULT_EVERY_TARGET_SOURCES);
  const openJobs = new Set(opts.openJobs ?? DEFAULT_OPEN_JOBS);
  const out = new Map<string, LabelSet>();
  const set = (names: Iterable<string>, open: boolean | 'jobs'): LabelSet =>
    open === 'jobs' ? { names: new Set(names), open: true, openJobs } : { names: new Set(names), open };
  for (const m of catalog) {
    const open = openSources.has(m.source) ? true : everyTarget.has(m.source) ? 'jobs' : false;
    const base = [...m.labels, ...target, '__name__'];
    if (m.type === 'histogram') {
      out.set(`${m.name}_bucket`, set([...base, 'le'], open));
      out.set(`${m.name}_sum`, set(base, open));
      out.set(`${m.name}_count`, set(base, open));
    } else if (m.type === 'summary') {
      out.set(m.name, set([...base, 'quantile'], open));
      out.set(`${m.name}_sum`, set(base, open));
      out.set(`${m.name}_count`, set(base, open));
    } else {
      out.set(m.name, set(base, open));
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
  const lookup: SeriesLabels = (metric) => {
    if (!rules.has(metric)) return out.get(metric);
    const done = resolved.get(metric);
    if (done) return done;
    if (resolving.has(metric)) return OPEN;
    resolving.add(metric);
    const names = new Set<string>(['__name__']);
    let open = false;
    for (const r of rules.get(metric) ?? []) {
      const inf = inferLabels(r.expr, lookup, { matchers: false });
      for (const n of inf.result.names) names.add(n);
      for (const n of Object.keys(r.labels ?? {})) names.add(n);
      open = open || inf.result.open;
    }
    resolving.delete(metric);
    const ls = set(names, open);
    resolved.set(metric, ls);
    return ls;
  };
  for (const name of rules.keys()) out.set(name, lookup(name) ?? OPEN);
  return out;
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
  const key = JSON.stringify([opts.targetLabels, opts.openSources, opts.openJobs, opts.everyTargetSources, opts.builtinSeries]);
  let lookup = byOpts.get(key);
  if (!lookup) {
    lookup = seriesLookup(withRecordedSeries(catalogSeriesLabels(catalog, opts), groups));
    byOpts.set(key, lookup);
  }
  return lookup;
}

/** A lookup over a map of series labels. */
export function seriesLookup(known: ReadonlyMap<string, LabelSet>): SeriesLabels {
  return (metric) => known.get(metric);
}

// ---------------------------------------------------------------------------------------------
// The inference.

interface Node {
  readonly type: { readonly name: string; readonly isError: boolean };
  readonly from: number;
  readonly to: number;
  readonly firstChild: Node | null;
  readonly nextSibling: Node | null;
  getChild(name: string): Node | null;
  getChildren(name: string): Node[];
}

interface Value {
  readonly labels: LabelSet;
  readonly scalar: boolean;
}

const SCALAR: Value = { labels: NONE, scalar: true };
const SET_OPS = new Set(['And', 'Or', 'Unless']);
/** Aggregations that return their input series. */
const KEEPS_SERIES = new Set(['Topk', 'Bottomk', 'LimitK', 'LimitRatio']);
/** Functions of no vector argument that return a vector without labels (or of an optional one that defaults to `vector(time())`). */
const NO_LABELS = new Set(['Vector']);
const SCALAR_FUNCTIONS = new Set(['Time', 'Scalar', 'Pi']);
const ABSENT = new Set(['Absent', 'AbsentOverTime']);
const LABEL_ADDERS = new Set(['LabelReplace', 'LabelJoin']);
const DROPS_LE = new Set(['HistogramQuantile', 'HistogramFraction']);

const cache = new WeakMap<SeriesLabels, Map<string, LabelInference>>();

/** Infers the labels of an expression's result and finds every label it names that its series lack. Never throws. */
export function inferLabels(expr: string, series: SeriesLabels, opts: InferOptions = {}): LabelInference {
  const checkMatchers = opts.matchers ?? true;
  let byExpr = cache.get(series);
  if (!byExpr) {
    byExpr = new Map();
    cache.set(series, byExpr);
  }
  const key = `${checkMatchers ? 'm' : '-'}${expr}`;
  const hit = byExpr.get(key);
  if (hit) return hit;

  const problems: LabelProblem[] = [];
  const text = (n: Node) => expr.slice(n.from, n.to);
  const children = (n: Node): Node[] => {
    const out: Node[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const report = (label: string, use: LabelUse, clause: string, within: LabelSet, reason?: string) => {
    if (within.open || label === '__name__' || within.names.has(label)) return;
    problems.push({ label, use, clause, available: available(within), ...(reason ? { reason } : {}) });
  };

  const evaluate = (n: Node | null): Value => {
    if (!n) return { labels: OPEN, scalar: false };
    switch (n.type.name) {
      case 'PromQL':
        return evaluate(n.firstChild);
      case 'NumberDurationLiteral':
        return SCALAR;
      case 'StringLiteral':
        return SCALAR;
      case 'ParenExpr':
        return evaluate(children(n).find(isExpr) ?? null);
      case 'UnaryExpr':
        return evaluate(children(n).find(isExpr) ?? null);
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'SubqueryExpr':
        return evaluate(n.firstChild);
      case 'MatrixSelector':
        return evaluate(n.getChild('VectorSelector'));
      case 'VectorSelector':
        return selector(n);
      case 'AggregateExpr':
        return aggregate(n);
      case 'FunctionCall':
        return call(n);
      case 'BinaryExpr':
        return binary(n);
      default:
        return { labels: OPEN, scalar: false };
    }
  };

  const selector = (n: Node): Value => {
    const m = matchersOf(expr, n);
    let labels = m.metric ? (series(m.metric) ?? OPEN) : OPEN;
    if (labels.openJobs) {
      const jobs = jobsOf(m);
      const openJobs = labels.openJobs;
      labels = jobs && !jobs.some((j) => openJobs.has(j)) ? { names: labels.names, open: false } : { names: labels.names, open: true };
    }
    if (checkMatchers) for (const l of m.labels) report(l.name, 'matcher', text(n), labels);
    return { labels, scalar: false };
  };

  const aggregate = (n: Node): Value => {
    const op = n.getChild('AggregateOp')?.firstChild?.type.name ?? '';
    const body = n.getChild('FunctionCallBody');
    const args = body ? children(body).filter(isExpr) : [];
    const vectorArg = args[args.length - 1] ?? null;
    for (const a of args.slice(0, -1)) evaluate(a);
    const input = evaluate(vectorArg).labels;
    const mod = n.getChild('AggregateModifier');
    const without = mod?.getChild('Without') != null;
    const grouping = mod ? groupingLabels(expr, mod.getChild('GroupingLabels')) : [];
    if (mod) {
      const opNode = n.getChild('AggregateOp');
      const clause = `${opNode ? text(opNode) : ''} ${text(mod)}`.trim();
      for (const l of grouping) report(l, without ? 'without' : 'by', clause, input);
    }
    if (KEEPS_SERIES.has(op)) return { labels: input, scalar: false };
    let out: LabelSet;
    if (!mod) out = NONE;
    else if (without)
      out = set(
        [...input.names].filter((l) => l !== '__name__' && !grouping.includes(l)),
        input.open,
      );
    else out = set(grouping);
    if (op === 'CountValues') {
      const l = args.length > 1 && args[0].type.name === 'StringLiteral' ? unquote(text(args[0])) : undefined;
      out = l ? set([...out.names, l], out.open) : OPEN;
    }
    return { labels: out, scalar: false };
  };

  const call = (n: Node): Value => {
    const fn = n.getChild('FunctionIdentifier')?.firstChild?.type.name ?? '';
    const body = n.getChild('FunctionCallBody');
    const args = body ? children(body).filter(isExpr) : [];
    const values = args.map((a) => evaluate(a));
    if (SCALAR_FUNCTIONS.has(fn)) return SCALAR;
    if (NO_LABELS.has(fn)) return { labels: NONE, scalar: false };
    if (ABSENT.has(fn)) {
      const arg = args[0] ? unwrapSelector(args[0]) : null;
      if (!arg) return { labels: NONE, scalar: false };
      const seen = new Set<string>();
      const kept = new Set<string>();
      for (const m of matchersOf(expr, arg).labels) {
        if (m.op === 'EqlSingle' && !seen.has(m.name)) kept.add(m.name);
        else kept.delete(m.name);
        seen.add(m.name);
      }
      return { labels: set(kept), scalar: false };
    }
    if (fn === 'Info') return { labels: OPEN, scalar: false };
    const i = values.findIndex((v) => !v.scalar);
    const input = i >= 0 ? values[i].labels : NONE;
    if (LABEL_ADDERS.has(fn)) {
      const dst = args[1]?.type.name === 'StringLiteral' ? unquote(text(args[1])) : undefined;
      return { labels: dst ? set([...input.names, dst], input.open) : OPEN, scalar: false };
    }
    if (DROPS_LE.has(fn))
      return {
        labels: set(
          [...input.names].filter((l) => l !== 'le'),
          input.open,
        ),
        scalar: false,
      };
    return { labels: input, scalar: false };
  };

  const binary = (n: Node): Value => {
    const cs = children(n);
    const exprs = cs.filter(isExpr);
    const left = evaluate(exprs[0] ?? null);
    const right = evaluate(exprs[1] ?? null);
    const op = cs.find((c) => !isExpr(c) && c.type.name !== 'MatchingModifierClause' && c.type.name !== 'BoolModifier')?.type.name ?? '';
    if (left.scalar && right.scalar) return SCALAR;
    if (left.scalar) return { labels: right.labels, scalar: false };
    if (right.scalar) return { labels: left.labels, scalar: false };

    const clauseNode = n.getChild('MatchingModifierClause');
    const on = clauseNode?.getChild('On') != null;
    const ignoring = clauseNode?.getChild('Ignoring') != null;
    const groupLeft = clauseNode?.getChild('GroupLeft') != null;
    const groupRight = clauseNode?.getChild('GroupRight') != null;
    const lists = clauseNode ? clauseNode.getChildren('GroupingLabels') : [];
    const matching = on || ignoring ? groupingLabels(expr, lists[0] ?? null) : [];
    const include = groupLeft || groupRight ? groupingLabels(expr, (on || ignoring ? lists[1] : lists[0]) ?? null) : [];
    const both = union(left.labels, right.labels);
    if (clauseNode) {
      const clause = text(clauseNode);
      for (const l of matching) report(l, on ? 'on' : 'ignoring', clause, both, 'neither side carries it');
      const one = groupLeft ? right.labels : left.labels;
      for (const l of include)
        report(
          l,
          groupLeft ? 'group_left' : 'group_right',
          clause,
          one,
          `the ${groupLeft ? 'right' : 'left'} ("one") side does not carry it, so there is nothing to copy`,
        );
    }
    if (SET_OPS.has(op)) return { labels: op === 'Or' ? both : left.labels, scalar: false };
    if (groupLeft || groupRight) {
      const many = groupLeft ? left.labels : right.labels;
      return { labels: set([...many.names, ...include], many.open), scalar: false };
    }
    if (on) return { labels: left.labels.open ? set(matching) : set(matching.filter((l) => left.labels.names.has(l))), scalar: false };
    if (ignoring)
      return {
        labels: set(
          [...left.labels.names].filter((l) => !matching.includes(l)),
          left.labels.open,
        ),
        scalar: false,
      };
    return { labels: left.labels, scalar: false };
  };

  const tree = parser.parse(expr);
  const top = tree.topNode as unknown as Node;
  let hasError = false;
  const scan = (n: Node) => {
    if (n.type.isError) hasError = true;
    for (let c = n.firstChild; c && !hasError; c = c.nextSibling) scan(c);
  };
  scan(top);
  const result: LabelInference = hasError
    ? { result: OPEN, scalar: false, problems: [] }
    : (() => {
        const v = evaluate(top);
        return { result: v.labels, scalar: v.scalar, problems };
      })();
  byExpr.set(key, result);
  return result;
}

function union(a: LabelSet, b: LabelSet): LabelSet {
  return set([...a.names, ...b.names], a.open || b.open);
}

function available(s: LabelSet): string[] {
  return [...s.names].filter((l) => l !== '__name__').sort();
}

const NOT_EXPR = new Set([
  '(',
  ')',
  ',',
  'MatchingModifierClause',
  'BoolModifier',
  'AggregateOp',
  'AggregateModifier',
  'FunctionIdentifier',
  'FunctionCallBody',
  'UnaryOp',
  'Offset',
  'At',
  'OffsetDurationExpr',
  'DurationExpr',
  'LabelMatchers',
  'Identifier',
]);
const OPERATOR = /^(Add|Sub|Mul|Div|Mod|Pow|Atan2|Eql|Neq|Gtr|Lss|Gte|Lte|And|Or|Unless)$/;

function isExpr(n: Node): boolean {
  return !NOT_EXPR.has(n.type.name) && !OPERATOR.test(n.type.name) && !n.type.isError;
}

function unwrapSelector(n: Node): Node | null {
  let c: Node | null = n;
  while (c && c.type.name === 'ParenExpr') c = c.firstChild?.nextSibling ?? null;
  if (!c) return null;
  if (c.type.name === 'VectorSelector') return c;
  if (c.type.name === 'MatrixSelector') return c.getChild('VectorSelector');
  if (c.type.name === 'OffsetExpr' || c.type.name === 'StepInvariantExpr') return unwrapSelector(c.firstChild as Node);
  return null;
}

interface Matchers {
  readonly metric: string;
  readonly labels: readonly LabelMatcher[];
}

const PLAIN_NAMES = /^[A-Za-z0-9_-]+(\|[A-Za-z0-9_-]+)*$/;

/** The jobs a selector is limited to by `job="a"` or `job=~"a|b"`; undefined when it is not. */
function jobsOf(m: Matchers): string[] | undefined {
  for (const l of m.labels) {
    if (l.name !== 'job' || l.value === undefined) continue;
    if (l.op === 'EqlSingle') return [l.value];
    if (l.op === 'EqlRegex' && PLAIN_NAMES.test(l.value)) return l.value.split('|');
  }
  return undefined;
}

function matchersOf(expr: string, n: Node): Matchers {
  const { metric, matchers } = selectorMatchers(expr, n);
  return { metric, labels: matchers };
}

function groupingLabels(expr: string, n: Node | null): string[] {
  const out: string[] = [];
  for (let c = n?.firstChild ?? null; c; c = c.nextSibling) {
    if (c.type.name === 'LabelName') out.push(expr.slice(c.from, c.to));
    if (c.type.name === 'QuotedLabelName') out.push(unquote(expr.slice(c.from, c.to)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Templates over the result.

/** A label a template names, with the text that names it. */
export interface TemplateLabelRef {
  readonly label: string;
  readonly text: string;
}

/**
 * The labels a Prometheus alert template reads: `$labels.x`, `.Labels.x`, `index $labels "x"`.
 * Inside `range` and `with` blocks the dot is another value (a `query` result), so `.Labels`
 * there is not the alert's; `$labels` always is.
 */
export function alertTemplateLabels(template: string): TemplateLabelRef[] {
  const out: TemplateLabelRef[] = [];
  let depth = 0;
  for (const action of template.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const body = action[1].trim();
    const dotIsAlert = depth === 0;
    if (/^(range|with)\b/.test(body)) depth++;
    else if (/^(if|block|define)\b/.test(body)) depth += depth > 0 ? 1 : 0;
    else if (/^end\b/.test(body) && depth > 0) depth--;
    const source = dotIsAlert ? '(?:\\$labels|(?<![\\w$])\\.Labels)' : '\\$labels';
    for (const m of body.matchAll(new RegExp(`${source}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'))) out.push({ label: m[1], text: action[0] });
    for (const m of body.matchAll(new RegExp(`\\bindex\\s+${source}\\s+"([^"]*)"`, 'g'))) out.push({ label: m[1], text: action[0] });
  }
  return out;
}

/** The labels a Grafana legend reads: `{{x}}`, `{{ x }}`. */
export function legendLabels(legend: string): TemplateLabelRef[] {
  const out: TemplateLabelRef[] = [];
  for (const m of legend.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) out.push({ label: m[1], text: m[0] });
  return out;
}

/** Checks template label references against a result; static labels are listed separately for the message. */
export function templateProblems(
  refs: readonly TemplateLabelRef[],
  result: LabelSet,
  use: LabelUse,
  reasonFor?: (label: string) => string | undefined,
): LabelProblem[] {
  const out: LabelProblem[] = [];
  for (const r of refs) {
    if (result.open || r.label === '__name__' || result.names.has(r.label)) continue;
    const reason = reasonFor?.(r.label);
    out.push({ label: r.label, use, clause: r.text, available: available(result), ...(reason ? { reason } : {}) });
  }
  return out;
}

/** `label "servce" in "sum by (namespace, servce)": no series of this expression carries it; did you mean "service"? labels available: job, namespace, service` */
export function describeLabelProblem(p: LabelProblem): string {
  const hint = nearest(p.label, p.available);
  const why =
    p.reason ?? (p.use === 'template' || p.use === 'legend' ? "no series of the expression's result carries it" : 'no series of this expression carries it');
  const list = p.available.length ? `labels available: ${p.available.join(', ')}` : 'the series there carry no labels';
  return `label "${p.label}" in "${p.clause}": ${why}; ${hint.length ? `did you mean ${hint.map((h) => `"${h}"`).join(' or ')}? ` : ''}${list}`;
}

/** The closest candidates, only those at the least distance. */
export function nearest(name: string, candidates: readonly string[]): string[] {
  const near = closest(name, candidates);
  if (!near.length) return [];
  const best = editDistance(name, near[0]);
  return near.filter((c) => editDistance(name, c) === best);
}
