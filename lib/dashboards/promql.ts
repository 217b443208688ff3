/**
 * PromQL as Grafana stores it: template variables and macros substituted with sample values so
 * the query can be parsed by the Prometheus grammar (`@prometheus-io/lezer-promql`), then the
 * metric names and label matchers it uses, for checking against the metrics catalog.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** A node of the parse tree (typed through the parser, whose grammar package bundles @lezer/common). */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Grafana's built-in macros and a value of the right shape for each (durations, numbers). */
const MACROS: Readonly<Record<string, string>> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  __auto: '1m',
  __rate_interval_ms: '300000',
  __interval_ms: '60000',
  __range_ms: '3600000',
  __range_s: '3600',
};

/** `$name`, `${name}`, `${name:format}` and the deprecated `[[name]]`. */
const VARIABLE = /\$\{([A-Za-z_]\w*)(?::[\w:]+)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::\w+)?\]\]/g;
/** String literals, so that variables inside them are left alone (they are label values there). */
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;

export interface Substituted {
  /** The query with every macro and variable outside a string replaced by a sample value. */
  readonly expr: string;
  /** Every variable the query refers to (inside or outside strings), without the `$`. */
  readonly variables: readonly string[];
}

/**
 * Replaces Grafana macros and variables by sample values: durations where a duration is
 * expected (inside `[...]`, after `offset`), `1` elsewhere. Variables inside string literals are
 * kept, since any text is a valid label value or regex there.
 */
export function substituteGrafana(query: string): Substituted {
  const variables = new Set<string>();
  for (const m of query.matchAll(VARIABLE)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name && !(name in MACROS)) variables.add(name);
  }
  let out = '';
  let last = 0;
  const replaceOutside = (segment: string): string =>
    segment.replace(VARIABLE, (_whole: string, a: string | undefined, b: string | undefined, c: string | undefined, offset: number, all: string) => {
      const name = (a ?? b ?? c) as string;
      if (name in MACROS) return MACROS[name];
      const before = all.slice(0, offset);
      const inRange = before.lastIndexOf('[') > before.lastIndexOf(']');
      const afterOffset = /\boffset\s*$/.test(before);
      return inRange || afterOffset ? '5m' : '1';
    });
  for (const m of query.matchAll(STRING)) {
    out += replaceOutside(query.slice(last, m.index)) + m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  out += replaceOutside(query.slice(last));
  return { expr: out, variables: [...variables].sort() };
}

/** One vector selector of a query: the metric it names and the labels its matchers use. */
export interface SelectorUse {
  readonly metric: string;
  readonly labels: readonly string[];
}

export interface ParsedQuery {
  /** Empty when the query parses. */
  readonly errors: readonly string[];
  readonly selectors: readonly SelectorUse[];
  /** Labels the result carries when known (`sum by (a, b)` at the root), else undefined. */
  readonly outputLabels?: readonly string[];
}

/** Parses a PromQL expression (already free of Grafana syntax). */
export function parsePromQL(expr: string): ParsedQuery {
  if (expr.trim() === '') return { errors: ['the query is empty'], selectors: [] };
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: SelectorUse[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        const at = ref.from;
        errors.push(`unexpected input at column ${at + 1}: ${JSON.stringify(expr.slice(Math.max(0, at - 15), at + 15))}`);
        return false;
      }
      if (ref.name === 'VectorSelector') {
        selectors.push(selectorUse(ref.node, expr));
        return false;
      }
      return undefined;
    },
  });
  const outputLabels = rootLabels(tree.topNode.firstChild, expr);
  return { errors, selectors, ...(outputLabels ? { outputLabels } : {}) };
}

function text(node: SyntaxNode, expr: string): string {
  return expr.slice(node.from, node.to);
}

function unquote(s: string): string {
  const q = s[0];
  if (q === '`') return s.slice(1, -1);
  try {
    return JSON.parse(q === "'" ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s) as string;
  } catch {
    return s.slice(1, -1);
  }
}

function selectorUse(node: SyntaxNode, expr: string): SelectorUse {
  let metric = '';
  const labels: string[] = [];
  const id = node.getChild('Identifier');
  if (id) metric = text(id, expr);
  const matchers = node.getChild('LabelMatchers');
  if (matchers) {
    for (let c = matchers.firstChild; c; c = c.nextSibling) {
      if (c.name === 'QuotedLabelName') {
        metric = unquote(text(c, expr)); // {"metric.name"}
      } else if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') {
        const nameNode = c.getChild('LabelName') ?? c.getChild('QuotedLabelName');
        const name = nameNode ? (nameNode.name === 'QuotedLabelName' ? unquote(text(nameNode, expr)) : text(nameNode, expr)) : '';
        const op = c.getChild('MatchOp');
        const value = c.getChild('StringLiteral');
        if (name === '__name__' && op && text(op, expr) === '=' && value) metric = unquote(text(value, expr));
        else if (name) labels.push(name);
      }
    }
  }
  return { metric, labels };
}

/** The `by (...)` labels of the root aggregation, looking through parentheses and the left side of binary operators. */
function rootLabels(node: SyntaxNode | null, expr: string): string[] | undefined {
  if (!node) return undefined;
  switch (node.name) {
    case 'ParenExpr':
      return rootLabels(node.firstChild?.nextSibling ?? null, expr);
    case 'BinaryExpr': {
      const left = node.firstChild;
      if (left && (left.name === 'NumberDurationLiteral' || left.name === 'NumberLiteral')) return rootLabels(node.lastChild, expr);
      return rootLabels(left, expr);
    }
    case 'AggregateExpr': {
      const mod = node.getChild('AggregateModifier');
      if (!mod || !mod.getChild('By')) return undefined;
      const grouping = mod.getChild('GroupingLabels');
      const out: string[] = [];
      for (let c = grouping?.firstChild ?? null; c; c = c.nextSibling) {
        if (c.name === 'LabelName') out.push(text(c, expr));
        if (c.name === 'QuotedLabelName') out.push(unquote(text(c, expr)));
      }
      return out;
    }
    default:
      return undefined;
  }
}
