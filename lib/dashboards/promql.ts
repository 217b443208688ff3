/**
 * PromQL as Grafana stores it: template variables and macros substituted with sample values, so
 * that the rule API's parser (lib/rules/promql.ts, the Prometheus grammar) can read the query and
 * name the metrics and labels it uses. Parsing itself lives there, once, for rules and dashboards.
 */
import { ParsedPromQL, parsePromQL } from '../rules/promql';

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

/**
 * `$name`, `${name}`, `${name:format}` and the deprecated `[[name]]`. The names follow Grafana's
 * variable rule (`\w`), which only happens to match the Prometheus label-name rule.
 */
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

/** A dashboard query parsed after substitution: the parse, the substituted text and the variables it uses. */
export interface ParsedDashboardQuery extends ParsedPromQL {
  /** The variables the query refers to, without the `$`. */
  readonly variables: readonly string[];
}

/** Substitutes Grafana's macros and variables, then parses with the rule API's PromQL parser. */
export function parseDashboardQuery(query: string): ParsedDashboardQuery {
  const sub = substituteGrafana(query);
  return { ...parsePromQL(sub.expr), variables: sub.variables };
}
