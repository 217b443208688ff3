/**
 * PromQL read with the Prometheus project's own grammar (`@prometheus-io/lezer-promql`): syntax
 * errors with their position, the metrics an expression selects, and the thresholds it compares
 * against. Everything is taken from the syntax tree, never from regular expressions over the text.
 * The grammar checks syntax only; types (a range vector where an instant vector belongs) are left
 * to `promtool check rules`, which the tests run on every generated rule file.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { LABEL_NAME } from '../core/syntax';

/**
 * The Prometheus label-name rule (LABEL_NAME of lib/core/syntax.ts) without its anchors, to compose
 * into larger patterns: `$labels.x` in an alert template, `{{x}}` in a Grafana legend.
 */
export const LABEL_NAME_BODY = LABEL_NAME.source.replace(/^\^|\$$/g, '');

/** Minimal view of the lezer tree API the PromQL readers use. */
export interface SyntaxNodeLike {
  readonly type: { readonly name: string; readonly isError: boolean };
  readonly from: number;
  readonly to: number;
  readonly firstChild: SyntaxNodeLike | null;
  readonly nextSibling: SyntaxNodeLike | null;
  readonly parent: SyntaxNodeLike | null;
  getChild(name: string): SyntaxNodeLike | null;
  getChildren(name: string): SyntaxNodeLike[];
}

export interface PromQLSyntaxError {
  /** Offset of the problem in the expression (0-based). */
  readonly offset: number;
  /** 1-based line and column, for humans. */
  readonly line: number;
  readonly column: number;
  /** The text around the problem. */
  readonly near: string;
}

/** A metric an expression selects, by name (`http_requests_total`) or by `{__name__="..."}`. */
export interface MetricReference {
  readonly name: string;
  readonly offset: number;
}

/** A selector that names its metric with a regular expression (`{__name__=~"node_.*"}`). */
export interface MetricPattern {
  readonly pattern: string;
  readonly offset: number;
}

/** One vector selector: the metric it names (empty when it names none) and the labels it matches on. */
export interface SelectorUse {
  readonly metric: string;
  /** Label names of its matchers, `__name__` excluded. */
  readonly labels: readonly string[];
  /** The selector as written, without range or offset (`probe_success{probe="health"}`). */
  readonly text: string;
}

/** A comparison against a number, such as `> 0.05` in `error_ratio > 0.05`. */
export interface Threshold {
  readonly operator: string;
  readonly value: string;
}

export interface ParsedPromQL {
  readonly expr: string;
  readonly errors: readonly PromQLSyntaxError[];
  readonly metrics: readonly MetricReference[];
  readonly metricPatterns: readonly MetricPattern[];
  /** Every vector selector, with the labels it matches on. */
  readonly selectors: readonly SelectorUse[];
  /** Labels the result carries when known (a `sum by (a, b)` at the root), else undefined. */
  readonly outputLabels?: readonly string[];
  readonly thresholds: readonly Threshold[];
}

const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const OPERATOR_TEXT: Record<string, string> = { Eql: '==', Neq: '!=', Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=' };

/**
 * A function of an expression's text, computed once per text: synth reads the same rules and
 * queries for every environment, and every check of an expression walks the same tree. The
 * results are shared, so callers treat them as read-only.
 */
export function perExpression<T>(fn: (expr: string) => T): (expr: string) => T {
  const cache = new Map<string, T>();
  return (expr) => {
    let v = cache.get(expr);
    if (v === undefined && !cache.has(expr)) cache.set(expr, (v = fn(expr)));
    return v as T;
  };
}

/**
 * The expression with the text inside each string literal replaced by as many `a`s, when that
 * cannot change its tree: every node keeps its kind and position, so expressions that differ
 * only in label values (one rule per service) share one parse, and each still reads its own
 * text at the tree's positions. Literals with a backslash or a line break are kept, and so is an
 * expression with a comment or an unterminated string.
 */
export function parseShape(expr: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '#') return expr;
    if (c !== '"' && c !== "'" && c !== '`') continue;
    const end = expr.indexOf(c, i + 1);
    if (end < 0) return expr;
    const body = expr.slice(i + 1, end);
    if (!body.includes('\\') && !body.includes('\n')) {
      out += expr.slice(from, i + 1) + 'a'.repeat(body.length);
      from = end;
    } else if (c !== '`') return expr;
    i = end;
  }
  return from === 0 ? expr : out + expr.slice(from);
}

const TREES = new Map<string, SyntaxNodeLike>();

/** The syntax tree of an expression (error nodes where it does not parse); never throws. */
export const syntaxTree: (expr: string) => SyntaxNodeLike = perExpression((expr) => {
  const shape = parseShape(expr);
  let tree = TREES.get(shape);
  if (!tree) TREES.set(shape, (tree = parser.parse(shape).topNode as unknown as SyntaxNodeLike));
  return tree;
});

/** Calls `visit` on a node and on every node below it, in the order written. */
export function walk(node: SyntaxNodeLike, visit: (n: SyntaxNodeLike) => void): void {
  visit(node);
  for (let c = node.firstChild; c; c = c.nextSibling) walk(c, visit);
}

/** The direct children of a node, in order. */
export function childrenOf<N extends { readonly firstChild: N | null; readonly nextSibling: N | null }>(node: N): N[] {
  const out: N[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Parses an expression; never throws. */
export const parsePromQL: (expr: string) => ParsedPromQL = perExpression(parseExpression);

function parseExpression(expr: string): ParsedPromQL {
  const top = syntaxTree(expr);
  const errors: PromQLSyntaxError[] = [];
  const metrics: MetricReference[] = [];
  const metricPatterns: MetricPattern[] = [];
  const thresholds: Threshold[] = [];
  const selectors: SelectorUse[] = [];

  if (expr.trim() === '') errors.push(position(expr, 0));

  walk(top, (node) => {
    if (node.type.isError) errors.push(position(expr, node.from));
    if (node.type.name === 'VectorSelector') {
      selectorMetric(expr, node, metrics, metricPatterns);
      selectors.push(selectorUse(expr, node));
    }
    if (node.type.name === 'BinaryExpr') {
      const t = comparison(expr, node);
      if (t) thresholds.push(t);
    }
  });
  const outputLabels = rootLabels(expr, top.firstChild);
  return { expr, errors, metrics, metricPatterns, selectors, ...(outputLabels ? { outputLabels } : {}), thresholds };
}

/** A syntax error as one line for a message: `syntax error at line 1, column 18 (near "...")`. */
export function describeSyntaxError(e: PromQLSyntaxError): string {
  return `syntax error at line ${e.line}, column ${e.column} (near "${e.near}")`;
}

/** The distinct metric names an expression selects, in order of appearance. */
export function metricNames(expr: string): string[] {
  return [...new Set(parsePromQL(expr).metrics.map((m) => m.name))];
}

/**
 * The series names of a promtool input series (`http_requests_total{code="500"}`), or undefined
 * when the text is not a single selector.
 */
export function seriesMetricName(series: string): string | undefined {
  const p = parsePromQL(series);
  if (p.errors.length > 0 || p.metrics.length !== 1 || p.metricPatterns.length > 0) return undefined;
  return p.metrics[0].name;
}

function selectorMetric(expr: string, node: SyntaxNodeLike, metrics: MetricReference[], patterns: MetricPattern[]): void {
  const id = node.getChild('Identifier');
  if (id) {
    metrics.push({ name: expr.slice(id.from, id.to), offset: id.from });
    return;
  }
  const matchers = node.getChild('LabelMatchers');
  if (!matchers) return;
  for (let m = matchers.firstChild; m; m = m.nextSibling) {
    // `{"metric.name"}`: a bare quoted name selects the metric (UTF-8 names).
    if (m.type.name === 'QuotedLabelName') {
      metrics.push({ name: unquote(expr.slice(m.from, m.to)), offset: m.from });
      continue;
    }
    if (m.type.name !== 'UnquotedLabelMatcher' && m.type.name !== 'QuotedLabelMatcher') continue;
    const label = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const op = m.getChild('MatchOp')?.firstChild;
    const value = m.getChild('StringLiteral');
    if (!label || !op || !value) continue;
    const labelName = label.type.name === 'QuotedLabelName' ? unquote(expr.slice(label.from, label.to)) : expr.slice(label.from, label.to);
    if (labelName !== '__name__') continue;
    const v = unquote(expr.slice(value.from, value.to));
    if (op.type.name === 'EqlSingle') metrics.push({ name: v, offset: value.from });
    else patterns.push({ pattern: `${expr.slice(op.from, op.to)}"${v}"`, offset: value.from });
  }
}

function labelNameOf(expr: string, node: SelectorNode): string {
  return node.type.name === 'QuotedLabelName' ? unquote(expr.slice(node.from, node.to)) : expr.slice(node.from, node.to);
}

/** The part of a lezer syntax node that reading a selector needs. */
export interface SelectorNode {
  readonly type: { readonly name: string };
  readonly from: number;
  readonly to: number;
  readonly firstChild: SelectorNode | null;
  readonly nextSibling: SelectorNode | null;
  getChild(name: string): SelectorNode | null;
}

/** One label matcher of a selector: `probe="health"` is { name: "probe", op: "EqlSingle", value: "health" }. */
export interface LabelMatcher {
  readonly name: string;
  /** The lezer-promql operator node: EqlSingle, Neq, EqlRegex or NeqRegex. */
  readonly op: string;
  readonly value?: string;
}

/**
 * A vector selector's metric name (from the identifier, a quoted name, or `__name__="..."`) and its
 * other label matchers, in the order written.
 */
export function selectorMatchers(expr: string, node: SelectorNode): { metric: string; matchers: LabelMatcher[] } {
  // Read once per selector of an expression: the syntax checks, the label inference and the timing checks all ask.
  let bySpan = MATCHERS.get(expr);
  if (!bySpan) MATCHERS.set(expr, (bySpan = new Map()));
  const span = `${node.type.name} ${node.from}:${node.to}`;
  let read = bySpan.get(span);
  if (!read) bySpan.set(span, (read = readSelector(expr, node)));
  return read;
}

const MATCHERS = new Map<string, Map<string, { metric: string; matchers: LabelMatcher[] }>>();

function readSelector(expr: string, node: SelectorNode): { metric: string; matchers: LabelMatcher[] } {
  let metric = '';
  const matchers: LabelMatcher[] = [];
  const id = node.getChild('Identifier');
  if (id) metric = expr.slice(id.from, id.to);
  const list = node.getChild('LabelMatchers');
  for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
    if (m.type.name === 'QuotedLabelName') {
      metric = unquote(expr.slice(m.from, m.to));
      continue;
    }
    if (m.type.name !== 'UnquotedLabelMatcher' && m.type.name !== 'QuotedLabelMatcher') continue;
    const label = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    if (!label) continue;
    const name = labelNameOf(expr, label);
    const op = m.getChild('MatchOp')?.firstChild?.type.name ?? '';
    const value = m.getChild('StringLiteral');
    if (name === '__name__') {
      if (op === 'EqlSingle' && value) metric = unquote(expr.slice(value.from, value.to));
      continue;
    }
    matchers.push({ name, op, ...(value ? { value: unquote(expr.slice(value.from, value.to)) } : {}) });
  }
  return { metric, matchers };
}

function selectorUse(expr: string, node: SyntaxNodeLike): SelectorUse {
  const { metric, matchers } = selectorMatchers(expr, node);
  return { metric, labels: matchers.map((m) => m.name), text: expr.slice(node.from, node.to) };
}

/** The `by (...)` labels of the root aggregation, looking through parentheses and the left side of binary operators. */
function rootLabels(expr: string, node: SyntaxNodeLike | null): string[] | undefined {
  if (!node) return undefined;
  switch (node.type.name) {
    case 'ParenExpr':
      return rootLabels(expr, node.firstChild?.nextSibling ?? null);
    case 'BinaryExpr': {
      const left = node.firstChild;
      if (left && left.type.name === 'NumberDurationLiteral') {
        let last: SyntaxNodeLike | null = left;
        for (let c: SyntaxNodeLike | null = left; c; c = c.nextSibling) last = c;
        return rootLabels(expr, last);
      }
      return rootLabels(expr, left);
    }
    case 'AggregateExpr': {
      const by = node.getChild('AggregateModifier');
      if (!by || !by.getChild('By')) return undefined;
      return groupingLabels(expr, by.getChild('GroupingLabels'));
    }
    default:
      return undefined;
  }
}

/** The labels of a `by (...)`, `without (...)`, `on (...)` or `group_left (...)` list, in the order written. */
export function groupingLabels(expr: string, list: SelectorNode | null): string[] {
  return list
    ? childrenOf(list)
        .filter((c) => c.type.name === 'LabelName' || c.type.name === 'QuotedLabelName')
        .map((c) => labelNameOf(expr, c))
    : [];
}

function comparison(expr: string, node: SyntaxNodeLike): Threshold | undefined {
  const children = childrenOf(node);
  const opIndex = children.findIndex((c) => COMPARISONS.has(c.type.name));
  if (opIndex < 0) return undefined;
  const op = children[opIndex];
  const right = children[children.length - 1];
  const left = children[0];
  const isNumber = (n: SyntaxNodeLike) =>
    n.type.name === 'NumberDurationLiteral' || (n.type.name === 'UnaryExpr' && n.getChild('NumberDurationLiteral') !== null);
  const operator = OPERATOR_TEXT[op.type.name];
  if (right !== op && isNumber(right)) return { operator, value: expr.slice(right.from, right.to).trim() };
  if (left !== op && isNumber(left)) return { operator: flip(operator), value: expr.slice(left.from, left.to).trim() };
  return undefined;
}

function flip(op: string): string {
  return ({ '>': '<', '<': '>', '>=': '<=', '<=': '>=' } as Record<string, string>)[op] ?? op;
}

/** A PromQL string literal's value: `"a\\"b"` is `a"b`. */
export function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'" || s[0] === '`')) {
    try {
      return s[0] === '"' ? JSON.parse(s) : s.slice(1, -1);
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

function position(expr: string, offset: number): PromQLSyntaxError {
  const before = expr.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const near = expr.slice(Math.max(0, offset - 10), offset + 15).replace(/\s+/g, ' ');
  return { offset, line, column, near };
}

/** Job names joined by `|`, as a `job=~"a|b"` matcher lists them. */
const PLAIN_NAMES = /^[A-Za-z0-9_-]+(\|[A-Za-z0-9_-]+)*$/;

/** The jobs a selector's matchers limit it to, by `job="a"` or `job=~"a|b"` of plain names; undefined when they do not. */
export function matcherJobs(matchers: readonly LabelMatcher[]): string[] | undefined {
  for (const m of matchers) {
    if (m.name !== 'job' || m.value === undefined) continue;
    if (m.op === 'EqlSingle') return [m.value];
    if (m.op === 'EqlRegex' && PLAIN_NAMES.test(m.value)) return m.value.split('|');
  }
  return undefined;
}

/**
 * Steps into a ParenExpr through its second child, as these readers always have. lezer-promql
 * keeps no nodes for the parentheses themselves, so a well-formed ParenExpr has one child and comes
 * back unchanged: `(time()) - m` is not read as an age, nor `absent((m{a="b"}))` as carrying `a`.
 */
export function unwrap(node: SyntaxNodeLike): SyntaxNodeLike {
  let n = node;
  while (n.type.name === 'ParenExpr' && n.firstChild?.nextSibling) n = n.firstChild.nextSibling;
  return n;
}
