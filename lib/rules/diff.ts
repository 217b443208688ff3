/**
 * What changed between two versions of the synthesized rule files, for a pull request: alerts,
 * recording rules and SLOs added, removed and changed, field by field (expression as a token
 * diff, `for`, `keep_firing_for`, every label and annotation, the group, the route the alert takes
 * in each environment), merged across environments where they agree.
 */
import { inlineProse, expressionChange, sameExpression } from '../review/text-diff';
import { codeSpan } from '../review/json-diff';
import type { RuleFile } from '../review/manifests';
import { thresholdsOf } from './docs';

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

function labelText(l: Readonly<Record<string, string>>): string {
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
    cmp('threshold', safeThresholds(b.expr), safeThresholds(a.expr));
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

function safeThresholds(expr: string): string {
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

/** An SLO as its generated rules describe it (`slo:objective:ratio`, `slo:time_period:days`, the SLI windows). */
export interface SloSnapshot {
  readonly slo: string;
  readonly service: string;
  readonly objective: string;
  readonly periodDays: string;
  readonly windows: readonly string[];
  readonly alerts: readonly string[];
  readonly rules: number;
}

const vectorValue = (expr: string) => /^vector\(\s*([^)]+?)\s*\)$/.exec(expr.trim())?.[1] ?? expr;

export function snapshotSlos(rules: readonly RuleSnapshot[]): SloSnapshot[] {
  const bySlo = new Map<string, RuleSnapshot[]>();
  for (const r of rules) {
    const slo = r.labels.slo;
    if (!slo) continue;
    bySlo.set(slo, [...(bySlo.get(slo) ?? []), r]);
  }
  return [...bySlo].map(([slo, rs]) => {
    const rec = (name: string) => rs.find((r) => r.kind === 'record' && r.name === name);
    const objective = rec('slo:objective:ratio');
    const period = rec('slo:time_period:days');
    const windows = rs
      .filter((r) => r.kind === 'record' && /^slo:sli_error:ratio_rate/.test(r.name) && !/sum_over_time|count_over_time/.test(r.expr))
      .map((r) => r.name.replace('slo:sli_error:ratio_rate', ''));
    return {
      slo,
      service: rs[0].labels.service ?? '',
      objective: objective ? vectorValue(objective.expr) : '',
      periodDays: period ? vectorValue(period.expr) : '',
      windows,
      alerts: rs.filter((r) => r.kind === 'alert').map((r) => r.name),
      rules: rs.length,
    };
  });
}

function percent(v: string): string {
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? `${v} (${+(n * 100).toFixed(4)}%)` : v;
}

export interface SloDiff {
  readonly added: readonly SloSnapshot[];
  readonly removed: readonly SloSnapshot[];
  readonly changed: ReadonlyArray<{ readonly slo: string; readonly changes: readonly FieldChange[] }>;
  readonly unchanged: number;
}

export function diffSlos(before: readonly SloSnapshot[], after: readonly SloSnapshot[]): SloDiff {
  const old = new Map(before.map((s) => [s.slo, s]));
  const now = new Set(after.map((s) => s.slo));
  const changed: Array<{ slo: string; changes: FieldChange[] }> = [];
  let unchanged = 0;
  for (const a of after) {
    const b = old.get(a.slo);
    if (!b) continue;
    const changes: FieldChange[] = [];
    const cmp = (field: string, x: string, y: string) => x !== y && changes.push({ field, before: x, after: y });
    cmp('objective', percent(b.objective), percent(a.objective));
    cmp('period (days)', b.periodDays, a.periodDays);
    cmp('SLI windows', b.windows.join(', '), a.windows.join(', '));
    cmp('alerts', b.alerts.join(', '), a.alerts.join(', '));
    cmp('service', b.service, a.service);
    if (changes.length) changed.push({ slo: a.slo, changes });
    else unchanged++;
  }
  return { added: after.filter((s) => !old.has(s.slo)), removed: before.filter((s) => !now.has(s.slo)), changed, unchanged };
}

// ---------------------------------------------------------------------------------------------
// Rendering, merged across environments

/** Per environment, the rules before and after. */
export interface EnvRules {
  readonly env: string;
  readonly before: readonly RuleSnapshot[];
  readonly after: readonly RuleSnapshot[];
}

export interface RulesReport {
  readonly markdown: string;
  readonly counts: {
    readonly alerts: { added: number; removed: number; changed: number; unchanged: number };
    readonly records: { added: number; removed: number; changed: number; unchanged: number };
    readonly slos: { added: number; removed: number; changed: number; unchanged: number };
    readonly changedAlerts: readonly string[];
    /** Every alert and recording rule, SLO-generated ones included, and every SLO, after the change. */
    readonly totals: { alerts: number; records: number; slos: number };
  };
}

/** `_(production, staging)_` when a fact holds in only some of the environments. */
export function envNote(envs: readonly string[], all: readonly string[]): string {
  return envs.length === all.length ? '' : ` _(${envs.join(', ')})_`;
}

/** One field change as Markdown: a token diff for expressions, a word diff for prose, old → new otherwise. */
export function renderFieldChange(c: FieldChange): string {
  if (c.field === 'expression') return expressionChange(c.before, c.after);
  if (c.before === '') return `added: ${codeSpan(c.after, 200)}`;
  if (c.after === '') return `removed (was ${codeSpan(c.before, 200)})`;
  if (['summary', 'description'].includes(c.field)) return inlineProse(c.before, c.after);
  return `${codeSpan(c.before, 200)} → ${codeSpan(c.after, 200)}`;
}

interface Merged<T> {
  readonly key: string;
  readonly item: T;
  readonly envs: string[];
}

/** Items of every environment grouped by key, each with the environments it appears in. */
function mergeByKey<T>(perEnv: ReadonlyArray<{ env: string; items: readonly T[] }>, key: (t: T) => string): Merged<T>[] {
  const out = new Map<string, { key: string; item: T; envs: string[] }>();
  for (const { env, items } of perEnv) {
    for (const it of items) {
      const k = key(it);
      const m = out.get(k);
      if (m) m.envs.push(env);
      else out.set(k, { key: k, item: it, envs: [env] });
    }
  }
  return [...out.values()];
}

/** Field lines of changed items merged across environments: one line per distinct change. */
function mergeChanges(perEnv: ReadonlyArray<{ env: string; changes: readonly FieldChange[] }>): Array<{ change: FieldChange; envs: string[] }> {
  return mergeByKey(
    perEnv.map((p) => ({ env: p.env, items: p.changes })),
    (c) => JSON.stringify([c.field, c.before, c.after]),
  ).map((m) => ({ change: m.item, envs: m.envs }));
}

function fieldLines(changes: ReadonlyArray<{ change: FieldChange; envs: string[] }>, all: readonly string[]): string[] {
  // A ```diff block is indented under its list item.
  return changes.map(({ change, envs }) => `- ${change.field}${envNote(envs, all)}: ${renderFieldChange(change).replace(/\n/g, '\n  ')}`);
}

function routesText(routes: ReadonlyArray<{ env: string; route: string }>, all: readonly string[]): string {
  const merged = mergeByKey(
    routes.map((r) => ({ env: r.env, items: [r.route] })),
    (r) => r,
  );
  return merged.map((m) => `${m.item || '(none)'}${envNote(m.envs, all)}`).join('; ');
}

/** The "Alerts and rules" section: alerts, recording rules and SLOs, merged across environments. */
export function renderRules(envs: readonly EnvRules[], heading = '##'): RulesReport {
  const all = envs.map((e) => e.env);
  const diffs = envs.map((e) => ({ env: e.env, rules: diffRules(e.before, e.after), slos: diffSlos(snapshotSlos(e.before), snapshotSlos(e.after)) }));
  const lines: string[] = [];
  const isSlo = (r: RuleSnapshot) => r.labels.slo !== undefined;
  const pick = (kind: 'alert' | 'record', which: 'added' | 'removed') =>
    mergeByKey(
      diffs.map((d) => ({ env: d.env, items: d.rules[which].filter((r) => r.kind === kind && !isSlo(r)) })),
      (r) => r.key,
    );
  const changedOf = (kind: 'alert' | 'record', slo?: string) =>
    mergeByKey(
      diffs.map((d) => ({
        env: d.env,
        items: d.rules.changed.filter(
          (c) => c.after.kind === kind && (slo === undefined ? !isSlo(c.after) : c.after.labels.slo === slo || c.before.labels.slo === slo),
        ),
      })),
      (c) => c.after.key,
    ).map((m) => ({
      ...m,
      changes: mergeChanges(diffs.map((d) => ({ env: d.env, changes: d.rules.changed.find((c) => c.after.key === m.key)?.changes ?? [] }))),
    }));
  const unchanged = (kind: 'alert' | 'record') => Math.max(0, ...envs.map((e) => e.after.filter((r) => r.kind === kind && !isSlo(r)).length));

  const addedAlerts = pick('alert', 'added');
  const removedAlerts = pick('alert', 'removed');
  const changedAlerts = changedOf('alert');
  const addedRecords = pick('record', 'added');
  const removedRecords = pick('record', 'removed');
  const changedRecords = changedOf('record');
  const sloAdded = mergeByKey(
    diffs.map((d) => ({ env: d.env, items: d.slos.added })),
    (s) => s.slo,
  );
  const sloRemoved = mergeByKey(
    diffs.map((d) => ({ env: d.env, items: d.slos.removed })),
    (s) => s.slo,
  );
  const sloNames = new Set<string>();
  for (const d of diffs) {
    for (const c of d.slos.changed) sloNames.add(c.slo);
    for (const c of d.rules.changed) if (c.after.labels.slo && !d.slos.added.some((s) => s.slo === c.after.labels.slo)) sloNames.add(c.after.labels.slo);
    for (const r of [...d.rules.added, ...d.rules.removed]) {
      const s = r.labels.slo;
      if (s && !d.slos.added.some((x) => x.slo === s) && !d.slos.removed.some((x) => x.slo === s)) sloNames.add(s);
    }
  }

  const routeOfEnv = (key: string, which: 'before' | 'after') =>
    envs.flatMap((e) => {
      const r = e[which].find((x) => x.key === key);
      return r ? [{ env: e.env, route: r.route }] : [];
    });

  const table = (title: string, list: readonly Merged<RuleSnapshot>[], which: 'before' | 'after') => {
    if (!list.length) return;
    const alerts = list[0].item.kind === 'alert';
    lines.push(`${heading}# ${title}`, '');
    if (alerts) {
      lines.push('| alert | severity | threshold | for | route | group |', '|---|---|---|---|---|---|');
      for (const { item: a, envs: e } of list)
        lines.push(
          `| ${a.name}${envNote(e, all)} | ${a.labels.severity ?? ''} | ${codeSpan(safeThresholds(a.expr), 80, true)} | ${a.for} | ${routesText(routeOfEnv(a.key, which), all).replace(/\|/g, '\\|')} | ${a.file} › ${a.group} |`,
        );
    } else {
      lines.push('| record | labels | group | expression |', '|---|---|---|---|');
      for (const { item: r, envs: e } of list)
        lines.push(`| ${r.name}${envNote(e, all)} | ${codeSpan(labelText(r.labels), 80, true)} | ${r.file} › ${r.group} | ${codeSpan(r.expr, 120, true)} |`);
    }
    lines.push('');
  };
  const changedBlock = (title: string, list: ReturnType<typeof changedOf>) => {
    if (!list.length) return;
    lines.push(`${heading}# ${title}`, '');
    for (const c of list) {
      const r = c.item.after;
      lines.push(`**${r.kind === 'alert' ? r.name : r.key}**${envNote(c.envs, all)} (${r.file} › ${r.group})`, '', ...fieldLines(c.changes, all), '');
    }
  };

  table('Alerts added', addedAlerts, 'after');
  table('Alerts removed', removedAlerts, 'before');
  changedBlock('Alerts changed', changedAlerts);
  table('Recording rules added', addedRecords, 'after');
  table('Recording rules removed', removedRecords, 'before');
  changedBlock('Recording rules changed', changedRecords);

  if (sloAdded.length || sloRemoved.length || sloNames.size) {
    lines.push(`${heading}# SLOs`, '');
    for (const { item: s, envs: e } of sloAdded)
      lines.push(
        `- **${s.slo}** added${envNote(e, all)}: objective ${percent(s.objective)} over ${s.periodDays} days, SLI windows ${s.windows.join(', ')}, ${s.rules} rules (alerts ${s.alerts.join(', ')})`,
      );
    for (const { item: s, envs: e } of sloRemoved) lines.push(`- **${s.slo}** removed${envNote(e, all)} (objective ${percent(s.objective)}, ${s.rules} rules)`);
    if (sloAdded.length || sloRemoved.length) lines.push('');
    for (const slo of [...sloNames].sort()) {
      const own = mergeChanges(diffs.map((d) => ({ env: d.env, changes: d.slos.changed.find((c) => c.slo === slo)?.changes ?? [] })));
      lines.push(`**SLO ${slo}**`, '', ...fieldLines(own, all));
      const gen = [...changedOf('record', slo), ...changedOf('alert', slo)];
      const genAdded = mergeByKey(
        diffs.map((d) => ({ env: d.env, items: d.rules.added.filter((r) => r.labels.slo === slo) })),
        (r) => r.key,
      );
      const genRemoved = mergeByKey(
        diffs.map((d) => ({ env: d.env, items: d.rules.removed.filter((r) => r.labels.slo === slo) })),
        (r) => r.key,
      );
      const n = gen.length + genAdded.length + genRemoved.length;
      if (n) {
        lines.push('', `<details><summary>${n} generated rule${n === 1 ? '' : 's'} of ${slo} changed</summary>`, '');
        for (const { item: r, envs: e } of genAdded) lines.push(`- added${envNote(e, all)}: **${r.name}** ${codeSpan(r.expr, 200)}`);
        for (const { item: r, envs: e } of genRemoved) lines.push(`- removed${envNote(e, all)}: **${r.name}**`);
        for (const c of gen) {
          const r = c.item.after;
          lines.push(`- **${r.name}**${envNote(c.envs, all)}`, ...fieldLines(c.changes, all).map((l) => `  ${l.replace(/\n/g, '\n  ')}`));
        }
        lines.push('', '</details>');
      }
      lines.push('');
    }
  }

  const sloCount = (k: 'added' | 'removed') => new Set(diffs.flatMap((d) => d.slos[k].map((s) => s.slo))).size;
  const counts = {
    alerts: {
      added: addedAlerts.length,
      removed: removedAlerts.length,
      changed: changedAlerts.length,
      unchanged: unchanged('alert') - addedAlerts.length - changedAlerts.length,
    },
    records: {
      added: addedRecords.length,
      removed: removedRecords.length,
      changed: changedRecords.length,
      unchanged: unchanged('record') - addedRecords.length - changedRecords.length,
    },
    slos: {
      added: sloCount('added'),
      removed: sloCount('removed'),
      changed: sloNames.size,
      unchanged: Math.max(0, ...envs.map((e) => snapshotSlos(e.after).length)) - sloCount('added') - sloNames.size,
    },
    changedAlerts: changedAlerts.map((c) => c.item.after.name),
    totals: {
      alerts: Math.max(0, ...envs.map((e) => e.after.filter((r) => r.kind === 'alert').length)),
      records: Math.max(0, ...envs.map((e) => e.after.filter((r) => r.kind === 'record').length)),
      slos: Math.max(0, ...envs.map((e) => snapshotSlos(e.after).length)),
    },
  };
  if (!lines.length) {
    const t = counts.totals;
    lines.push(`No alert, recording rule or SLO changes (${t.alerts} alerts, ${t.records} recording rules, ${t.slos} SLOs unchanged).`, '');
  }
  return { markdown: lines.join('\n'), counts };
}
