/**
 * Static label-set inference over the PromQL syntax tree (the grammar of
 * `@prometheus-io/lezer-promql`): which labels the series of an expression can carry, and every
 * label the expression names that none of its series carries (a matcher, a `by`/`without` list, an
 * `on`/`ignoring` list, a `group_left`/`group_right` list).
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
 * Nothing is rejected against an open set (see ./sets.ts). The module knows no content: callers
 * give it the labels of each metric (./series.ts).
 */
import { SyntaxNodeLike as Node, childrenOf, groupingLabels, matcherJobs, selectorMatchers, syntaxTree, unquote, unwrap } from '../promql';
import { LabelProblem, LabelUse, labelProblem } from './problems';
import { LabelSet, NONE, OPEN, SeriesLabels, labelSet as set, union } from './sets';

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
  const report = (label: string, use: LabelUse, clause: string, within: LabelSet, reason?: string) => {
    const p = labelProblem(label, use, clause, within, reason);
    if (p) problems.push(p);
  };

  const evaluate = (n: Node | null): Value => {
    if (!n) return { labels: OPEN, scalar: false };
    switch (n.type.name) {
      case 'PromQL':
        return evaluate(n.firstChild);
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        return SCALAR;
      case 'ParenExpr':
      case 'UnaryExpr':
        return evaluate(childrenOf(n).find(isExpr) ?? null);
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
    const { metric, matchers } = selectorMatchers(expr, n);
    let labels = metric ? (series(metric) ?? OPEN) : OPEN;
    if (labels.openJobs) {
      const jobs = matcherJobs(matchers);
      const openJobs = labels.openJobs;
      labels = jobs && !jobs.some((j) => openJobs.has(j)) ? { names: labels.names, open: false } : { names: labels.names, open: true };
    }
    if (checkMatchers) for (const l of matchers) report(l.name, 'matcher', text(n), labels);
    return { labels, scalar: false };
  };

  const aggregate = (n: Node): Value => {
    const op = n.getChild('AggregateOp')?.firstChild?.type.name ?? '';
    const body = n.getChild('FunctionCallBody');
    const args = body ? childrenOf(body).filter(isExpr) : [];
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
    const args = body ? childrenOf(body).filter(isExpr) : [];
    const values = args.map((a) => evaluate(a));
    if (SCALAR_FUNCTIONS.has(fn)) return SCALAR;
    if (NO_LABELS.has(fn)) return { labels: NONE, scalar: false };
    if (ABSENT.has(fn)) {
      const arg = args[0] ? unwrapSelector(args[0]) : null;
      if (!arg) return { labels: NONE, scalar: false };
      const seen = new Set<string>();
      const kept = new Set<string>();
      for (const m of selectorMatchers(expr, arg).matchers) {
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
    const cs = childrenOf(n);
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
      for (const l of matching) {
        // An `on` label missing from a side whose labels are all known matches only empty values there.
        const lacking = on && (both.open || both.names.has(l)) ? [left.labels, right.labels].find((s) => !s.open && !s.names.has(l)) : undefined;
        if (lacking) report(l, 'on', clause, lacking, `the ${lacking === left.labels ? 'left' : 'right'} side does not carry it`);
        else report(l, on ? 'on' : 'ignoring', clause, both, 'neither side carries it');
      }
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

  const top = syntaxTree(expr);
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

/** The vector selector an `absent()` argument reads, through parentheses, a range, an offset or `@`. */
function unwrapSelector(n: Node): Node | null {
  const c = unwrap(n);
  if (c.type.name === 'VectorSelector') return c;
  if (c.type.name === 'MatrixSelector') return c.getChild('VectorSelector');
  if ((c.type.name === 'OffsetExpr' || c.type.name === 'StepInvariantExpr') && c.firstChild) return unwrapSelector(c.firstChild);
  return null;
}
