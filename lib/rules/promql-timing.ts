/**
 * What the scrape-timing checks read from an expression (lib/rules/scrape-timing.ts): its range
 * windows and subqueries, the jobs its selectors are limited to, and the ages it computes from
 * Unix-time gauges (`time() - m`, `timestamp(m) - m`).
 */
import { SelectorNode, SyntaxNodeLike, childrenOf, matcherJobs, perExpression, selectorMatchers, syntaxTree, unwrap, walk } from './promql';

/** A range window of an expression: a range selector (`x[5m]`) or a subquery (`(expr)[30m:1m]`). */
export interface RangeUse {
  readonly kind: 'range' | 'subquery';
  /** The window as written (`5m`). */
  readonly window: string;
  /** A subquery's step as written; undefined when it has none (the evaluation interval applies). */
  readonly step?: string;
  /** A range selector's metric (empty when it names none). */
  readonly metric?: string;
  /**
   * The jobs a range selector is limited to by a `job="a"` or `job=~"a|b"` matcher of plain
   * names; undefined when it has no such matcher.
   */
  readonly jobs?: readonly string[];
}

/** A subtraction that measures an age in seconds: `time() - m` or `timestamp(m) - m`. */
export interface AgeUse {
  /** What the value is subtracted from: the evaluation time, or the sample's own timestamp. */
  readonly reference: 'time' | 'timestamp';
  /** The metrics on the subtracted side (the Unix times). */
  readonly metrics: readonly string[];
  /** The subtraction as written. */
  readonly text: string;
}

/** Every range window of an expression, in order of appearance. */
export const rangeUses: (expr: string) => RangeUse[] = perExpression((expr) => {
  const out: RangeUse[] = [];
  walk(syntaxTree(expr), (node) => {
    if (node.type.name === 'MatrixSelector') {
      const vs = node.getChild('VectorSelector');
      const d = node.getChild('DurationExpr');
      if (vs && d) out.push({ kind: 'range', window: expr.slice(d.from, d.to).trim(), ...selectorJobUse(expr, vs) });
    }
    if (node.type.name === 'SubqueryExpr') {
      const ds = node.getChildren('DurationExpr');
      if (ds.length)
        out.push({ kind: 'subquery', window: expr.slice(ds[0].from, ds[0].to).trim(), ...(ds[1] ? { step: expr.slice(ds[1].from, ds[1].to).trim() } : {}) });
    }
  });
  return out;
});

/** A vector selector (bare or under a range) with the jobs its `job` matcher limits it to. */
export interface SelectorJobUse {
  /** The metric it selects (empty when it names none). */
  readonly metric: string;
  /** As in {@link RangeUse.jobs}: undefined without a `job="a"` or `job=~"a|b"` matcher of plain names. */
  readonly jobs?: readonly string[];
  /**
   * Without a job matcher: the metric of a plain selector the expression joins it with on `job`
   * (`expected unless on (namespace, job) up`), whose jobs then limit it.
   */
  readonly joinedWith?: string;
}

/** Every vector selector of an expression, in order of appearance, with its job matcher. */
export const selectorJobUses: (expr: string) => SelectorJobUse[] = perExpression((expr) => {
  const out: SelectorJobUse[] = [];
  const tree = syntaxTree(expr);
  const joined = jobJoins(expr, tree);
  walk(tree, (node) => {
    if (node.type.name !== 'VectorSelector') return;
    const use = selectorJobUse(expr, node);
    const with_ = joined.get(node.from);
    out.push(!use.jobs && with_ && with_ !== use.metric ? { ...use, joinedWith: with_ } : use);
  });
  return out;
});

/**
 * Selectors whose series only count where a plain selector of another metric has the same `job`:
 * the right side of `m unless on (..., job) (...)`, and either side of `a and on (..., job) b`
 * when the other side is a bare selector. Keyed by the selector's position, valued by that metric.
 */
function jobJoins(expr: string, tree: SyntaxNodeLike): Map<number, string> {
  const out = new Map<number, string>();
  walk(tree, (node) => {
    if (node.type.name !== 'BinaryExpr') return;
    const children = childrenOf(node);
    const op = children.find((c) => c.type.name === 'Unless' || c.type.name === 'And');
    const on = children.find((c) => c.type.name === 'MatchingModifierClause');
    if (!op || !on || !on.getChild('On')) return;
    const labels = on.getChild('GroupingLabels');
    if (!labels || !childrenOf(labels).some((l) => l.type.name === 'LabelName' && expr.slice(l.from, l.to) === 'job')) return;
    const left = unwrap(children[0]);
    const right = unwrap(children[children.length - 1]);
    const limit = (side: SyntaxNodeLike, by: SyntaxNodeLike) => {
      if (by.type.name !== 'VectorSelector') return;
      const metric = selectorMatchers(expr, by).metric;
      walk(side, (n) => {
        if (n.type.name === 'VectorSelector' && !out.has(n.from)) out.set(n.from, metric);
      });
    };
    limit(right, left);
    if (op.type.name === 'And') limit(left, right);
  });
  return out;
}

function selectorJobUse(expr: string, vs: SelectorNode): SelectorJobUse {
  const { metric, matchers } = selectorMatchers(expr, vs);
  const jobs = matcherJobs(matchers);
  return { metric, ...(jobs ? { jobs } : {}) };
}

/** Every `time() - m` and `timestamp(m) - m` of an expression: ages computed from Unix-time gauges. */
export const ageUses: (expr: string) => AgeUse[] = perExpression((expr) => {
  const out: AgeUse[] = [];
  walk(syntaxTree(expr), (node) => {
    if (node.type.name === 'BinaryExpr') {
      const children = childrenOf(node);
      const op = children.findIndex((c) => c.type.name === 'Sub');
      if (op > 0) {
        const left = unwrap(children[0]);
        const right = children[children.length - 1];
        const fn = left.type.name === 'FunctionCall' ? left.getChild('FunctionIdentifier')?.firstChild?.type.name : undefined;
        if (fn === 'Time' || fn === 'Timestamp') {
          const metrics: string[] = [];
          walk(right, (n) => {
            if (n.type.name === 'VectorSelector') metrics.push(selectorMatchers(expr, n).metric);
          });
          out.push({
            reference: fn === 'Time' ? 'time' : 'timestamp',
            metrics: [...new Set(metrics.filter((m) => m !== ''))],
            text: expr.slice(node.from, right.to).trim(),
          });
        }
      }
    }
  });
  return out;
});
