/**
 * What changed in the Grafana dashboards, per dashboard uid: panels added, removed and moved
 * (to another row, or out of order with the panels around them: a panel pushed down by one
 * inserted above it has not moved), and per panel its title, type, queries, unit, thresholds,
 * size and any other field; then the dashboard's own fields (title, variables, links, ...).
 */
import { PathChange, diffJson, formatChange, codeSpan } from './json-diff';
import { diffTokens, expressionChange, sameExpression } from './text-diff';
import { DashboardJson } from './manifests';

type Panel = Record<string, unknown>;

interface PlacedPanel {
  readonly key: string;
  readonly panel: Panel;
  readonly row: string;
  readonly index: number;
}

const title = (p: Panel) => (typeof p.title === 'string' && p.title !== '' ? p.title : `untitled ${String(p.type ?? 'panel')}`);
const grid = (p: Panel) => (p.gridPos ?? {}) as { x?: number; y?: number; w?: number; h?: number };

/** Every panel in reading order (rows and their collapsed panels included), with the row it sits in. */
export function placePanels(d: DashboardJson): PlacedPanel[] {
  const flat: Array<{ panel: Panel; row: string }> = [];
  const ordered = [...d.panels].sort((a, b) => (grid(a).y ?? 0) - (grid(b).y ?? 0) || (grid(a).x ?? 0) - (grid(b).x ?? 0));
  let row = '';
  for (const p of ordered) {
    if (p.type === 'row') {
      row = title(p);
      flat.push({ panel: p, row: '' });
      for (const inner of (p.panels as Panel[] | undefined) ?? []) flat.push({ panel: inner, row });
    } else flat.push({ panel: p, row });
  }
  const seen = new Map<string, number>();
  return flat.map(({ panel, row: r }, index) => {
    const base = `${panel.type === 'row' ? 'row ' : ''}${title(panel)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n > 1 ? `${base} (${n})` : base, panel, row: r, index };
  });
}

export interface PanelChange {
  readonly panel: string;
  readonly changes: ReadonlyArray<{ readonly field: string; readonly text: string }>;
}

export interface DashboardDiff {
  readonly uid: string;
  readonly title: string;
  readonly added: ReadonlyArray<{ readonly panel: string; readonly row: string }>;
  readonly removed: ReadonlyArray<{ readonly panel: string; readonly row: string }>;
  readonly moved: ReadonlyArray<{ readonly panel: string; readonly text: string }>;
  readonly changed: readonly PanelChange[];
  readonly dashboard: readonly PathChange[];
}

function thresholdsText(p: Panel): string {
  const steps = ((p.fieldConfig as { defaults?: { thresholds?: { steps?: Array<{ value: number | null; color: string }> } } })?.defaults?.thresholds?.steps ??
    []) as Array<{ value: number | null; color: string }>;
  return steps.map((s) => (s.value === null || s.value === undefined ? s.color : `${s.value} ${s.color}`)).join(', ');
}

const unitOf = (p: Panel) => String((p.fieldConfig as { defaults?: { unit?: string } })?.defaults?.unit ?? '');

interface Target {
  refId?: string;
  expr?: string;
  [k: string]: unknown;
}

function panelChanges(b: Panel, a: Panel): Array<{ field: string; text: string }> {
  const out: Array<{ field: string; text: string }> = [];
  const cmp = (field: string, x: string, y: string) =>
    x !== y && out.push({ field, text: `${codeSpan(x, 120) || '(none)'} → ${codeSpan(y, 120) || '(none)'}` });
  cmp('title', title(b), title(a));
  cmp('type', String(b.type ?? ''), String(a.type ?? ''));
  cmp('unit', unitOf(b), unitOf(a));
  cmp('thresholds', thresholdsText(b), thresholdsText(a));
  const gb = grid(b);
  const ga = grid(a);
  cmp('size', `${gb.w}×${gb.h}`, `${ga.w}×${ga.h}`);
  const tb = (b.targets as Target[] | undefined) ?? [];
  const ta = (a.targets as Target[] | undefined) ?? [];
  const ref = (t: Target, i: number) => t.refId ?? String.fromCharCode(65 + i);
  const mb = new Map(tb.map((t, i) => [ref(t, i), t]));
  const ma = new Map(ta.map((t, i) => [ref(t, i), t]));
  for (const [r, t] of mb) if (!ma.has(r)) out.push({ field: `query ${r}`, text: `removed (was ${codeSpan(t.expr ?? t, 200)})` });
  for (const [r, t] of ma) {
    const o = mb.get(r);
    if (!o) {
      out.push({ field: `query ${r}`, text: `added: ${codeSpan(t.expr ?? t, 200)}` });
      continue;
    }
    if (!sameExpression(String(o.expr ?? ''), String(t.expr ?? '')))
      out.push({ field: `query ${r}`, text: expressionChange(String(o.expr ?? ''), String(t.expr ?? '')) });
    const { expr: _e1, ...restO } = o;
    const { expr: _e2, ...restT } = t;
    for (const c of diffJson(restO, restT)) out.push({ field: `query ${r}`, text: formatChange(c) });
  }
  const rest = (p: Panel) => {
    const { id: _i, gridPos: _g, title: _t, type: _y, targets: _q, panels: _p, ...r } = p;
    const fc = JSON.parse(JSON.stringify(r.fieldConfig ?? {})) as { defaults?: Record<string, unknown> };
    if (fc.defaults) {
      delete fc.defaults.unit;
      if (fc.defaults.thresholds) delete (fc.defaults.thresholds as Record<string, unknown>).steps;
    }
    return { ...r, fieldConfig: fc };
  };
  for (const c of diffJson(rest(b), rest(a))) out.push({ field: 'field', text: formatChange(c) });
  return out;
}

export function diffDashboard(uid: string, before: DashboardJson, after: DashboardJson): DashboardDiff {
  const pb = placePanels(before);
  let pa = placePanels(after);
  const kb = new Set(pb.map((p) => p.key));
  // A panel renamed in place (same type, same position) is one panel changed, not one removed and one added.
  const unmatchedB = pb.filter((p) => !pa.some((q) => q.key === p.key));
  pa = pa.map((q) => {
    if (kb.has(q.key)) return q;
    const twin = unmatchedB.filter((p) => p.panel.type === q.panel.type && JSON.stringify(grid(p.panel)) === JSON.stringify(grid(q.panel)) && p.row === q.row);
    return twin.length === 1 ? { ...q, key: twin[0].key } : q;
  });
  const ob = new Map(pb.map((p) => [p.key, p]));
  const oa = new Map(pa.map((p) => [p.key, p]));
  const common = (list: readonly PlacedPanel[], other: Map<string, PlacedPanel>) => list.filter((p) => other.has(p.key)).map((p) => p.key);
  const seqB = common(pb, oa);
  const seqA = common(pa, ob);
  // Panels outside the longest common order of the panels both versions have are the ones that moved.
  const kept = new Set(
    diffTokens(
      seqB.map((k) => `${k}\u0000`),
      seqA.map((k) => `${k}\u0000`),
    )
      .filter((s) => s.op === 'equal')
      .flatMap((s) => s.text.split('\u0000').slice(0, -1)),
  );
  const moved: Array<{ panel: string; text: string }> = [];
  const changed: PanelChange[] = [];
  for (const q of pa) {
    const p = ob.get(q.key);
    if (!p) continue;
    if (p.row !== q.row) moved.push({ panel: q.key, text: `from row ${codeSpan(p.row || '(top)')} to row ${codeSpan(q.row || '(top)')}` });
    else if (!kept.has(q.key))
      moved.push({ panel: q.key, text: `within row ${codeSpan(q.row || '(top)')}, from position ${seqB.indexOf(q.key) + 1} to ${seqA.indexOf(q.key) + 1}` });
    const changes = panelChanges(p.panel, q.panel);
    if (changes.length) changed.push({ panel: q.key, changes });
  }
  const { panels: _pb, ...dashB } = before;
  const { panels: _pa, ...dashA } = after;
  return {
    uid,
    title: String(after.title ?? before.title ?? uid),
    added: pa.filter((p) => !ob.has(p.key)).map((p) => ({ panel: p.key, row: p.row })),
    removed: pb.filter((p) => !oa.has(p.key)).map((p) => ({ panel: p.key, row: p.row })),
    moved,
    changed,
    dashboard: diffJson(dashB, dashA),
  };
}

export function isDashboardChanged(d: DashboardDiff): boolean {
  return d.added.length + d.removed.length + d.moved.length + d.changed.length + d.dashboard.length > 0;
}

/** Markdown lines of one dashboard's changes. */
export function renderDashboard(d: DashboardDiff): string[] {
  const lines: string[] = [];
  const where = (row: string) => (row ? ` (row ${row})` : '');
  for (const p of d.added) lines.push(`- panel added: **${p.panel}**${where(p.row)}`);
  for (const p of d.removed) lines.push(`- panel removed: **${p.panel}**${where(p.row)}`);
  for (const m of d.moved) lines.push(`- panel moved: **${m.panel}** ${m.text}`);
  for (const c of d.changed) {
    if (c.changes.length === 1 && !c.changes[0].text.includes('\n')) lines.push(`- panel **${c.panel}**, ${c.changes[0].field}: ${c.changes[0].text}`);
    else {
      lines.push(`- panel **${c.panel}**`);
      for (const f of c.changes) lines.push(`  - ${f.field}: ${f.text.replace(/\n/g, '\n    ')}`);
    }
  }
  for (const c of d.dashboard) lines.push(`- dashboard ${formatChange(c)}`);
  return lines;
}
