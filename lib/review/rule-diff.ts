/**
 * What changed between two versions of the synthesized rule files: alerts and recording rules
 * added, removed and changed, field by field (expression, `for`, `keep_firing_for`, every label and
 * annotation, the group, the route the alert takes). ./rules-section.ts renders it as Markdown.
 */
import { thresholdsOf } from '../rules/docs';
import type { RuleFile } from './manifests';
import { sameExpression } from './text-diff';

/** One rule as a reviewer compares it, read from a synthesized rule file. */
export interface RuleSnapshot {
  readonly kind: 'alert' | 'record';
  /** Identity across versions: the alert name, or the record with its labels. */
  readonly key: string;
  readonly name: string;
  readonly file: string;
  readonly group: string;
  readonly expr: string;
  readonly for: string;
  readonly keepFiringFor: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where Alertmanager sends the alert in this environment: `oncall-pager (opsgenie)`. */
  readonly route: string;
}

/** Labels as `a="1", b="2"`, sorted by name. */
export function labelText(l: Readonly<Record<string, string>>): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}="${l[k]}"`)
    .join(', ');
}

/** The rules of an environment's rule files; `routeOf` gives an alert's receivers from its labels. */
export function snapshotRules(files: readonly RuleFile[], routeOf: (labels: Readonly<Record<string, string>>) => string = () => ''): RuleSnapshot[] {
  const out: RuleSnapshot[] = [];
  for (const f of files) {
    for (const g of f.groups) {
      for (const r of g.rules ?? []) {
        const name = r.alert ?? r.record ?? '';
        const labels = r.labels ?? {};
        out.push({
          kind: r.alert !== undefined ? 'alert' : 'record',
          key: r.alert !== undefined || !Object.keys(labels).length ? name : `${name}{${labelText(labels)}}`,
          name,
          file: f.file,
          group: g.name,
          expr: String(r.expr ?? '').trim(),
          for: r.for ?? '0s',
          keepFiringFor: r.keep_firing_for ?? '0s',
          labels,
          annotations: r.annotations ?? {},
          route: r.alert !== undefined ? routeOf({ alertname: name, ...labels }) : '',
        });
      }
    }
  }
  // Two alerts of one name (a warning and a critical variant) are told apart by their labels.
  const count = new Map<string, number>();
  for (const r of out) count.set(r.key, (count.get(r.key) ?? 0) + 1);
  return out.map((r) => (r.kind === 'alert' && count.get(r.key)! > 1 ? { ...r, key: `${r.name}{${labelText(r.labels)}}` } : r));
}

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

export interface RuleChange {
  readonly before: RuleSnapshot;
  readonly after: RuleSnapshot;
  readonly changes: readonly FieldChange[];
}

export interface RuleDiff {
  readonly added: readonly RuleSnapshot[];
  readonly removed: readonly RuleSnapshot[];
  readonly changed: readonly RuleChange[];
  readonly unchanged: number;
}

/** The field changes of one rule, in the order a reviewer reads them. */
export function ruleChanges(b: RuleSnapshot, a: RuleSnapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  const cmp = (field: string, x: string, y: string) => {
    if (x !== y) changes.push({ field, before: x, after: y });
  };
  if (b.kind === 'alert') {
    cmp('severity', b.labels.severity ?? '', a.labels.severity ?? '');
    cmp('threshold', thresholdText(b.expr), thresholdText(a.expr));
  }
  if (!sameExpression(b.expr, a.expr)) changes.push({ field: 'expression', before: b.expr, after: a.expr });
  cmp('for', b.for, a.for);
  cmp('keep_firing_for', b.keepFiringFor, a.keepFiringFor);
  for (const k of union(b.labels, a.labels)) if (k !== 'severity') cmp(`label ${k}`, b.labels[k] ?? '', a.labels[k] ?? '');
  const order = ['summary', 'description', 'runbook_url', 'dashboard_url'];
  const annotations = union(b.annotations, a.annotations).sort((x, y) => rank(order, x) - rank(order, y) || x.localeCompare(y));
  for (const k of annotations) cmp(k, b.annotations[k] ?? '', a.annotations[k] ?? '');
  cmp('group', `${b.file} › ${b.group}`, `${a.file} › ${a.group}`);
  cmp('route', b.route, a.route);
  return changes;
}

function rank(order: readonly string[], k: string): number {
  const i = order.indexOf(k);
  return i < 0 ? order.length : i;
}

function union(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  return [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
}

/** The thresholds an alert's expression compares against (`> 0.05`), or '' when it cannot be read. */
export function thresholdText(expr: string): string {
  try {
    return thresholdsOf(expr).join(', ');
  } catch {
    return '';
  }
}

export function diffRules(before: readonly RuleSnapshot[], after: readonly RuleSnapshot[]): RuleDiff {
  const old = new Map(before.map((r) => [r.key, r]));
  const now = new Map(after.map((r) => [r.key, r]));
  const changed: RuleChange[] = [];
  let unchanged = 0;
  let added = after.filter((r) => !old.has(r.key));
  let removed = before.filter((r) => !now.has(r.key));
  // A recording rule whose labels changed keeps its record and group: one rule changed.
  for (const a of [...added]) {
    if (a.kind !== 'record') continue;
    const same = (r: RuleSnapshot) => r.kind === 'record' && r.name === a.name && r.group === a.group;
    const candidates = removed.filter(same);
    if (candidates.length === 1 && added.filter(same).length === 1) {
      changed.push({ before: candidates[0], after: a, changes: ruleChanges(candidates[0], a) });
      added = added.filter((r) => r !== a);
      removed = removed.filter((r) => r !== candidates[0]);
    }
  }
  for (const a of after) {
    const b = old.get(a.key);
    if (!b) continue;
    const changes = ruleChanges(b, a);
    if (changes.length) changed.push({ before: b, after: a, changes });
    else unchanged++;
  }
  return { added, removed, changed, unchanged };
}
