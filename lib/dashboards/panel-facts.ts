/**
 * What a panel shows besides its title, read from its JSON model: unit, range, thresholds, value
 * mappings and queries, and where it sits on the grid. The wireframe (./wireframe.ts) and the
 * Markdown catalog (./docs.ts) both draw from these facts.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DashboardDefinition, allPanels } from './model';

/** A panel as placed on the grid, with its facts. */
export interface Placed {
  readonly type: string;
  readonly title: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** A row header that starts folded. */
  readonly collapsed: boolean;
  readonly facts: PanelFacts;
}

/** What a panel shows besides its title: the facts a reviewer checks in a change. */
export interface PanelFacts {
  readonly unit?: string;
  readonly decimals?: number;
  readonly min?: number;
  readonly max?: number;
  /** Colour steps, lowest first; the first starts at minus infinity (`value` null). */
  readonly steps: ReadonlyArray<{ readonly value: number | null; readonly color: string }>;
  /** `absolute`, or `percentage` (of the min..max range). */
  readonly thresholdsMode?: string;
  /** Value mappings: what is matched (`0`, `1 to 5`, `/re/`, `null`), the text shown, its colour. */
  readonly mappings: ReadonlyArray<{ readonly match: string; readonly text: string; readonly color?: string }>;
  readonly queries: ReadonlyArray<{ readonly refId: string; readonly expr: string }>;
}

interface FieldDefaults {
  readonly unit?: string;
  readonly decimals?: number;
  readonly min?: number;
  readonly max?: number;
  readonly thresholds?: { readonly mode?: string; readonly steps?: ReadonlyArray<{ readonly value: number | null; readonly color: string }> };
  readonly mappings?: readonly dashboard.ValueMapping[];
}

function mappings(m: dashboard.ValueMapping): PanelFacts['mappings'] {
  const to = (match: string, r: dashboard.ValueMappingResult | undefined) => ({
    match,
    text: r?.text ?? '(the value)',
    ...(r?.color ? { color: r.color } : {}),
  });
  switch (m.type) {
    case dashboard.MappingType.ValueToText:
      return Object.entries(m.options).map(([v, r]) => to(v, r));
    case dashboard.MappingType.RangeToText:
      return [to(`${m.options.from ?? '-∞'} to ${m.options.to ?? '+∞'}`, m.options.result)];
    case dashboard.MappingType.RegexToText:
      return [to(`/${m.options.pattern}/`, m.options.result)];
    case dashboard.MappingType.SpecialValue:
      return [to(m.options.match, m.options.result)];
  }
}

/** Unit, range, thresholds, mappings and queries of a panel, from its JSON model. */
export function panelFacts(p: dashboard.Panel | dashboard.RowPanel): PanelFacts {
  if (p.type === 'row') return { steps: [], mappings: [], queries: [] };
  const panel = p as dashboard.Panel;
  const f = (panel.fieldConfig?.defaults ?? {}) as FieldDefaults;
  return {
    ...(f.unit !== undefined ? { unit: f.unit } : {}),
    ...(f.decimals !== undefined ? { decimals: f.decimals } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
    steps: f.thresholds?.steps ?? [],
    ...(f.thresholds?.mode !== undefined ? { thresholdsMode: f.thresholds.mode } : {}),
    mappings: (f.mappings ?? []).flatMap(mappings),
    queries: ((panel.targets ?? []) as Array<{ expr?: string; refId?: string }>).filter((t) => t.expr).map((t) => ({ refId: t.refId ?? '', expr: t.expr! })),
  };
}

/** Every panel of a dashboard (the panels of collapsed rows included) where it sits on the grid. */
export function placed(d: DashboardDefinition): Placed[] {
  return allPanels(d.model).map((p) => ({
    type: p.type,
    title: p.title ?? '',
    x: p.gridPos?.x ?? 0,
    y: p.gridPos?.y ?? 0,
    w: p.gridPos?.w ?? 24,
    h: p.gridPos?.h ?? 1,
    collapsed: p.type === 'row' && (p as dashboard.RowPanel).collapsed === true,
    facts: panelFacts(p),
  }));
}

/** Compact number for the picture: as written, without trailing zeros. */
export function num(n: number): string {
  return String(n);
}

/** `0 to 1`, `min 0` or `max 100`; empty when the panel sets no range. */
export function rangeText(f: PanelFacts): string {
  if (f.min !== undefined && f.max !== undefined) return `${num(f.min)} to ${num(f.max)}`;
  if (f.min !== undefined) return `min ${num(f.min)}`;
  if (f.max !== undefined) return `max ${num(f.max)}`;
  return '';
}
