/**
 * What changed between two versions of the alert rules, for a pull request: alerts added, removed
 * and changed (expression, threshold, `for`, severity, routing), as Markdown.
 */
import { thresholdsOf } from './docs';
import { alertLabels } from './render';
import { AlertRule, RuleGroup, isAlert } from './types';

/** One alert as a reviewer compares it. */
export interface AlertSnapshot {
  readonly alert: string;
  readonly source: string;
  readonly severity: string;
  readonly expr: string;
  readonly thresholds: readonly string[];
  readonly for: string;
  readonly keepFiringFor: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly route: string;
  readonly runbook: string;
}

export function snapshotAlerts(groups: readonly RuleGroup[], routeOf: (a: AlertRule) => string): AlertSnapshot[] {
  return groups.flatMap((g) =>
    g.rules.filter(isAlert).map((a) => ({
      alert: a.alert,
      source: g.source,
      severity: a.severity,
      expr: a.expr.trim(),
      thresholds: thresholdsOf(a.expr),
      for: a.for ?? '0s',
      keepFiringFor: a.keepFiringFor ?? '0s',
      labels: alertLabels(a),
      route: routeOf(a),
      runbook: a.runbook ?? '',
    })),
  );
}

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

export interface AlertDiff {
  readonly added: readonly AlertSnapshot[];
  readonly removed: readonly AlertSnapshot[];
  readonly changed: ReadonlyArray<{ readonly before: AlertSnapshot; readonly after: AlertSnapshot; readonly changes: readonly FieldChange[] }>;
  readonly unchanged: number;
}

export function diffAlerts(before: readonly AlertSnapshot[], after: readonly AlertSnapshot[]): AlertDiff {
  const old = new Map(before.map((a) => [a.alert, a]));
  const now = new Map(after.map((a) => [a.alert, a]));
  const changed: Array<{ before: AlertSnapshot; after: AlertSnapshot; changes: FieldChange[] }> = [];
  let unchanged = 0;
  for (const a of after) {
    const b = old.get(a.alert);
    if (!b) continue;
    const changes: FieldChange[] = [];
    const cmp = (field: string, x: string, y: string) => {
      if (x !== y) changes.push({ field, before: x, after: y });
    };
    cmp('severity', b.severity, a.severity);
    cmp('threshold', b.thresholds.join(', '), a.thresholds.join(', '));
    cmp('for', b.for, a.for);
    cmp('keep firing for', b.keepFiringFor, a.keepFiringFor);
    cmp('production route', b.route, a.route);
    cmp('labels', formatLabels(b.labels), formatLabels(a.labels));
    cmp('runbook', b.runbook, a.runbook);
    cmp('file', b.source, a.source);
    cmp('expression', normalize(b.expr), normalize(a.expr));
    if (changes.length) changed.push({ before: b, after: a, changes });
    else unchanged++;
  }
  return { added: after.filter((a) => !old.has(a.alert)), removed: before.filter((b) => !now.has(b.alert)), changed, unchanged };
}

export function renderAlertDiff(d: AlertDiff, ref: string): string {
  const lines: string[] = [`### Alert changes against \`${ref}\``, ''];
  if (!d.added.length && !d.removed.length && !d.changed.length) return `${lines[0]}\n\nNo alert changes (${d.unchanged} alerts unchanged).\n`;
  lines.push(`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged.`, '');
  const table = (title: string, list: readonly AlertSnapshot[]) => {
    if (!list.length) return;
    lines.push(`#### ${title}`, '', '| alert | severity | threshold | for | production route | file |', '|---|---|---|---|---|---|');
    for (const a of list) lines.push(`| ${a.alert} | ${a.severity} | ${cell(a.thresholds.join(', '))} | ${a.for} | ${cell(a.route)} | ${a.source} |`);
    lines.push('');
  };
  table('Added', d.added);
  table('Removed', d.removed);
  if (d.changed.length) {
    lines.push('#### Changed', '');
    for (const c of d.changed) {
      lines.push(`**${c.after.alert}** (${c.after.source})`, '', '| | before | after |', '|---|---|---|');
      for (const f of c.changes.filter((x) => x.field !== 'expression')) lines.push(`| ${f.field} | ${cell(f.before)} | ${cell(f.after)} |`);
      const e = c.changes.find((x) => x.field === 'expression');
      if (e) lines.push(`| expression | see below | |`, '', '```diff', ...e.before.split('\n').map((l) => `- ${l}`), ...e.after.split('\n').map((l) => `+ ${l}`), '```');
      lines.push('');
    }
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

function normalize(expr: string): string {
  return expr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .join('\n');
}

function formatLabels(l: Readonly<Record<string, string>>): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(', ');
}

function cell(s: string): string {
  return s === '' ? '' : `\`${s.replace(/\|/g, '\\|')}\``;
}
