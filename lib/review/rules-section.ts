/**
 * The "Alerts and rules" section of a review as Markdown: alerts, recording rules and SLOs added,
 * removed and changed (./rule-diff.ts, ./slo-diff.ts), merged across environments where they
 * agree, with the environments named where they do not.
 */
import { codeSpan } from './json-diff';
import { FieldChange, RuleDiff, RuleSnapshot, diffRules, labelText, thresholdText } from './rule-diff';
import { SloDiff, diffSlos, objectiveText, snapshotSlos } from './slo-diff';
import { expressionChange, inlineProse } from './text-diff';

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

interface EnvDiff {
  readonly env: string;
  readonly rules: RuleDiff;
  readonly slos: SloDiff;
}

/** The "Alerts and rules" section: alerts, recording rules and SLOs, merged across environments. */
export function renderRules(envs: readonly EnvRules[], heading = '##'): RulesReport {
  const all = envs.map((e) => e.env);
  const diffs: EnvDiff[] = envs.map((e) => ({
    env: e.env,
    rules: diffRules(e.before, e.after),
    slos: diffSlos(snapshotSlos(e.before), snapshotSlos(e.after)),
  }));
  const lines: string[] = [];
  const isSlo = (r: RuleSnapshot) => r.labels.slo !== undefined;
  const acrossEnvs = <T>(items: (d: EnvDiff) => readonly T[], key: (t: T) => string) =>
    mergeByKey(
      diffs.map((d) => ({ env: d.env, items: items(d) })),
      key,
    );
  const pick = (kind: 'alert' | 'record', which: 'added' | 'removed') =>
    acrossEnvs(
      (d) => d.rules[which].filter((r) => r.kind === kind && !isSlo(r)),
      (r) => r.key,
    );
  const changedOf = (kind: 'alert' | 'record', slo?: string) =>
    acrossEnvs(
      (d) =>
        d.rules.changed.filter(
          (c) => c.after.kind === kind && (slo === undefined ? !isSlo(c.after) : c.after.labels.slo === slo || c.before.labels.slo === slo),
        ),
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
  const sloAdded = acrossEnvs(
    (d) => d.slos.added,
    (s) => s.slo,
  );
  const sloRemoved = acrossEnvs(
    (d) => d.slos.removed,
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
          `| ${a.name}${envNote(e, all)} | ${a.labels.severity ?? ''} | ${codeSpan(thresholdText(a.expr), 80, true)} | ${a.for} | ${routesText(routeOfEnv(a.key, which), all).replace(/\|/g, '\\|')} | ${a.file} › ${a.group} |`,
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
        `- **${s.slo}** added${envNote(e, all)}: objective ${objectiveText(s.objective)} over ${s.periodDays} days, SLI windows ${s.windows.join(', ')}, ${s.rules} rules (alerts ${s.alerts.join(', ')})`,
      );
    for (const { item: s, envs: e } of sloRemoved)
      lines.push(`- **${s.slo}** removed${envNote(e, all)} (objective ${objectiveText(s.objective)}, ${s.rules} rules)`);
    if (sloAdded.length || sloRemoved.length) lines.push('');
    for (const slo of [...sloNames].sort()) {
      const own = mergeChanges(diffs.map((d) => ({ env: d.env, changes: d.slos.changed.find((c) => c.slo === slo)?.changes ?? [] })));
      lines.push(`**SLO ${slo}**`, '', ...fieldLines(own, all));
      const gen = [...changedOf('record', slo), ...changedOf('alert', slo)];
      const genAdded = acrossEnvs(
        (d) => d.rules.added.filter((r) => r.labels.slo === slo),
        (r) => r.key,
      );
      const genRemoved = acrossEnvs(
        (d) => d.rules.removed.filter((r) => r.labels.slo === slo),
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
