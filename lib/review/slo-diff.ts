/**
 * What changed in the SLOs, read back from their generated rules (`slo:objective:ratio`,
 * `slo:time_period:days`, the SLI windows, the burn-rate alerts): objective, period, windows,
 * alerts and service.
 */
import type { FieldChange, RuleSnapshot } from './rule-diff';

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

/** An objective ratio with its percentage: `0.999 (99.9%)`; other text as it is. */
export function objectiveText(v: string): string {
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
    cmp('objective', objectiveText(b.objective), objectiveText(a.objective));
    cmp('period (days)', b.periodDays, a.periodDays);
    cmp('SLI windows', b.windows.join(', '), a.windows.join(', '));
    cmp('alerts', b.alerts.join(', '), a.alerts.join(', '));
    cmp('service', b.service, a.service);
    if (changes.length) changed.push({ slo: a.slo, changes });
    else unchanged++;
  }
  return { added: after.filter((s) => !old.has(s.slo)), removed: before.filter((s) => !now.has(s.slo)), changed, unchanged };
}
