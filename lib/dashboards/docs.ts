/**
 * Review renderings of dashboards: a Markdown catalog (every dashboard with its variables, a table
 * of what each panel shows, and every query) and an SVG wireframe of each layout on the 24-column
 * grid, so a reviewer sees a change of layout, unit, range, threshold or series in the diff.
 * Output depends only on the dashboards, never on time or machine.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DashboardDefinition, allPanels } from './model';
import { parseDashboardQuery } from './promql';

const COLUMN_PX = 40;
const ROW_PX = 30;
const HEADER_PX = 44;
const PAD = 8;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cuts text to what fits in `px` at about 6.5 px per character. */
function fit(s: string, px: number, charPx = 6.5): string {
  const max = Math.max(3, Math.floor(px / charPx));
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

interface Placed {
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

function placed(d: DashboardDefinition): Placed[] {
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

/** Grafana's named colours as drawn in its default (dark and light) palettes; CSS colours pass through. */
const COLOURS: Readonly<Record<string, string>> = {
  green: '#73bf69',
  'semi-dark-green': '#56a64b',
  'dark-green': '#37872d',
  yellow: '#fade2a',
  'semi-dark-yellow': '#f2cc0c',
  orange: '#ff9830',
  'semi-dark-orange': '#fa6400',
  red: '#f2495c',
  'semi-dark-red': '#e02f44',
  'dark-red': '#c4162a',
  blue: '#5794f2',
  purple: '#b877d9',
  transparent: 'none',
  text: '#1f2430',
};

function swatch(color: string): string {
  return COLOURS[color] ?? (/^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i.test(color) ? color : '#9aa3b2');
}

/** Compact number for the picture: as written, without trailing zeros. */
function num(n: number): string {
  return String(n);
}

/** `s · 0 to 1 · 2 dp` */
function unitAndRange(f: PanelFacts): string {
  const parts: string[] = [];
  if (f.unit) parts.push(f.unit);
  if (f.min !== undefined && f.max !== undefined) parts.push(`${num(f.min)} to ${num(f.max)}`);
  else if (f.min !== undefined) parts.push(`min ${num(f.min)}`);
  else if (f.max !== undefined) parts.push(`max ${num(f.max)}`);
  if (f.decimals !== undefined) parts.push(`${f.decimals} dp`);
  return parts.join(' · ');
}

type Segment = { readonly text: string; readonly fill?: string };

/** Text and colour squares as one SVG text line, cut with "…" at `maxChars`. */
function segmentsLine(segments: readonly Segment[], maxChars: number): string {
  let left = maxChars;
  const out: string[] = [];
  for (const seg of segments) {
    if (left <= 0) break;
    const text = seg.text.length <= left ? seg.text : `${seg.text.slice(0, Math.max(0, left - 1))}…`;
    left -= seg.text.length;
    out.push(seg.fill ? `<tspan fill="${esc(seg.fill)}">${esc(text)}</tspan>` : esc(text));
  }
  return out.join('');
}

/**
 * The lines under a panel box's type: unit and range, then the thresholds as a scale, a colour
 * square for each band and the boundary values between them (`■ 0.5 ■ 1 ■`: green below 0.5,
 * orange up to 1, red from 1); then the value mappings (`0 ■ DOWN  1 ■ UP`). Each is cut with "…"
 * to the box width.
 */
function factLines(f: PanelFacts, maxChars: number): string[] {
  const scale: Segment[] = [];
  const head = unitAndRange(f);
  if (head) scale.push({ text: head });
  if (f.steps.length) {
    if (head) scale.push({ text: ' · ' });
    f.steps.forEach((s, i) => {
      if (i > 0 || s.value !== null)
        scale.push({ text: `${i > 0 ? ' ' : ''}${s.value === null ? '-∞' : num(s.value)}${f.thresholdsMode === 'percentage' ? '%' : ''} ` });
      scale.push({ text: '■', fill: swatch(s.color) });
    });
  }
  const mapped: Segment[] = f.mappings.flatMap((m, i) => [
    { text: `${i > 0 ? '  ' : ''}${m.match} ` },
    ...(m.color ? [{ text: '■', fill: swatch(m.color) }, { text: ' ' }] : []),
    { text: m.text },
  ]);
  return [scale, mapped].filter((line) => line.length).map((line) => segmentsLine(line, maxChars));
}

const FILL: Readonly<Record<string, string>> = {
  row: '#e8eaf0',
  stat: '#e3f2e8',
  gauge: '#e3f2e8',
  timeseries: '#e6eef9',
  table: '#f7f0e0',
  text: '#f2f2f2',
};

/**
 * The dashboard's layout as an SVG wireframe: one box per panel with its title, type and size, and
 * its unit, range and threshold colours; a collapsed row's panels are drawn where they open.
 */
export function renderWireframeSvg(d: DashboardDefinition): string {
  const panels = placed(d);
  const gridRows = Math.max(1, ...panels.map((p) => p.y + p.h));
  const width = 24 * COLUMN_PX + 2 * PAD;
  const height = HEADER_PX + gridRows * ROW_PX + 2 * PAD;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `  <title>${esc(d.title)} (${esc(d.uid)}): layout on the 24-column grid</title>`,
    `  <rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `  <text x="${PAD}" y="${PAD + 18}" font-size="16" font-weight="bold" fill="#1f2430">${esc(d.title)}</text>`,
    `  <text x="${width - PAD}" y="${PAD + 18}" font-size="11" text-anchor="end" fill="#5b6270">uid ${esc(d.uid)} · folder ${esc(d.folder)} · ${panels.filter((p) => p.type !== 'row').length} panels</text>`,
  ];
  for (let c = 0; c <= 24; c += 6) {
    const x = PAD + c * COLUMN_PX;
    out.push(`  <line x1="${x}" y1="${HEADER_PX}" x2="${x}" y2="${height - PAD}" stroke="#f0f0f0" stroke-width="1"/>`);
  }
  for (const p of panels) {
    const x = PAD + p.x * COLUMN_PX;
    const y = HEADER_PX + p.y * ROW_PX;
    const w = p.w * COLUMN_PX;
    const h = p.h * ROW_PX;
    if (p.type === 'row') {
      out.push(`  <rect x="${x}" y="${y + 2}" width="${w}" height="${h - 4}" fill="${FILL.row}"/>`);
      out.push(
        `  <text x="${x + 6}" y="${y + h / 2 + 4}" font-size="12" font-weight="bold" fill="#1f2430">${p.collapsed ? '▸' : '▾'} ${esc(fit(p.title, w - 20, 7))}${p.collapsed ? ' (collapsed)' : ''}</text>`,
      );
      continue;
    }
    out.push(
      `  <rect x="${x + 2}" y="${y + 2}" width="${w - 4}" height="${h - 4}" rx="3" fill="${FILL[p.type] ?? '#eeeeee'}" stroke="#9aa3b2" stroke-width="1"/>`,
    );
    out.push(`  <text x="${x + 8}" y="${y + 18}" font-size="11" font-weight="bold" fill="#1f2430">${esc(fit(p.title, w - 16))}</text>`);
    out.push(`  <text x="${x + 8}" y="${y + 32}" font-size="10" fill="#5b6270">${esc(p.type)} · ${p.w}×${p.h}</text>`);
    factLines(p.facts, Math.floor((w - 16) / 6)).forEach((line, i) => {
      const lineY = y + 46 + 14 * i;
      if (lineY <= y + h - 8) out.push(`  <text x="${x + 8}" y="${lineY}" font-size="10" fill="#5b6270">${line}</text>`);
    });
  }
  out.push('</svg>', '');
  return out.join('\n');
}

/** Markdown code span that survives backticks in the query. */
function code(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.includes('`') ? `\`\` ${oneLine} \`\`` : `\`${oneLine}\``;
}

/** A table cell: pipes escaped (GitHub tables split on them, even in code spans), no line breaks. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A query shorter than this is shown whole in the panel table; a longer one by its metric names. */
export const SHORT_QUERY = 60;

/** The series a query reads: the query itself when short, else the metric names it selects. */
function series(expr: string): string {
  const oneLine = expr.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= SHORT_QUERY) return code(oneLine);
  const names = [...new Set(parseDashboardQuery(oneLine).metrics.map((m) => m.name))];
  return names.length ? names.map(code).join(', ') : code(oneLine);
}

/** `green, ≥ 0.5 orange, ≥ 1 red` */
function thresholdsText(f: PanelFacts): string {
  const steps = f.steps.map((s, i) =>
    i === 0 && s.value === null ? s.color : `≥ ${s.value === null ? '-∞' : num(s.value)}${f.thresholdsMode === 'percentage' ? '%' : ''} ${s.color}`,
  );
  return [
    ...(steps.length ? [`${steps.join(', ')}${f.thresholdsMode === 'percentage' ? ' (percent of the range)' : ''}`] : []),
    ...(f.mappings.length ? [`mapped: ${f.mappings.map((m) => `${m.match} → ${m.text}${m.color ? ` (${m.color})` : ''}`).join(', ')}`] : []),
  ].join('; ');
}

/** One table under the picture: every panel with its size, unit, range, thresholds and series. */
function panelTable(d: DashboardDefinition): string[] {
  const lines = ['| Panel | Type | Unit | Range | Thresholds, mappings | Series |', '|---|---|---|---|---|---|'];
  for (const p of placed(d)) {
    if (p.type === 'row') {
      lines.push(`| **${cell(p.title)}**${p.collapsed ? ' (collapsed)' : ''} | | | | | |`);
      continue;
    }
    const f = p.facts;
    const unit = f.unit
      ? `${code(f.unit)}${f.decimals !== undefined ? `, ${f.decimals} decimals` : ''}`
      : f.decimals !== undefined
        ? `${f.decimals} decimals`
        : '';
    const range =
      f.min !== undefined && f.max !== undefined
        ? `${num(f.min)} to ${num(f.max)}`
        : f.min !== undefined
          ? `min ${num(f.min)}`
          : f.max !== undefined
            ? `max ${num(f.max)}`
            : '';
    const queries = f.queries.map((q) => `${f.queries.length > 1 ? `${q.refId}: ` : ''}${series(q.expr)}`).join('<br>');
    lines.push(`| ${cell(p.title)} | ${p.type} ${p.w}×${p.h} | ${cell(unit)} | ${cell(range)} | ${cell(thresholdsText(f))} | ${cell(queries)} |`);
  }
  return lines;
}

/** The catalog of dashboards for docs/dashboards.md. */
export function renderDashboardsMarkdown(
  defs: readonly DashboardDefinition[],
  opts: { readonly wireframeDir?: string; readonly regenerate?: string } = {},
): string {
  const dir = opts.wireframeDir ?? 'dashboards';
  const lines: string[] = [
    '# Dashboards',
    '',
    `<!-- Generated from dashboards/*.ts${opts.regenerate ? ` by \`${opts.regenerate}\`` : ''}; do not edit by hand. -->`,
    '',
    'Every dashboard Grafana provisions, with its variables, panels and queries. Layouts are drawn in',
    `\`docs/${dir}/<uid>.svg\` (panel titles, types and sizes on the 24-column grid, with each panel's unit,`,
    "range and threshold colours); the table under each picture gives every panel's unit, range,",
    `thresholds, value mappings and the series it reads (the query when under ${SHORT_QUERY} characters, else`,
    'its metric names), and the list after it every query in full.',
    '',
    '| Dashboard | uid | Folder | Tags | Panels | Source |',
    '|---|---|---|---|---|---|',
  ];
  for (const d of defs) {
    const n = placed(d).filter((p) => p.type !== 'row').length;
    lines.push(`| [${d.title}](#${d.uid}) | \`${d.uid}\` | ${d.folder} | ${d.tags.join(', ')} | ${n} | \`${d.source}\` |`);
  }
  const total = defs.reduce((n, d) => n + placed(d).filter((p) => p.type !== 'row').length, 0);
  lines.push('', `${defs.length} dashboards, ${total} panels.`, '');

  for (const d of defs) {
    lines.push(
      `## ${d.title}`,
      '',
      `<a id="${d.uid}"></a>uid \`${d.uid}\` · folder ${d.folder} · tags ${d.tags.map((t) => `\`${t}\``).join(' ')} · defined in \`${d.source}\``,
      '',
    );
    if (d.model.description) lines.push(d.model.description, '');
    lines.push(`![Layout of ${d.title}](${dir}/${d.uid}.svg)`, '', ...panelTable(d), '');
    const vars = d.model.templating?.list ?? [];
    if (vars.length) {
      lines.push('Variables:', '');
      for (const v of vars) {
        const q =
          v.type === 'datasource'
            ? `datasource of type ${String(v.query)}`
            : typeof v.query === 'string'
              ? v.query
              : String((v.query as { query?: string } | undefined)?.query ?? '');
        lines.push(`- \`$${v.name}\` (${v.label ?? v.name}): ${v.type === 'datasource' ? q : code(q)}`);
      }
      lines.push('');
    }
    for (const p of allPanels(d.model)) {
      if (p.type === 'row') {
        if (lines[lines.length - 1] !== '') lines.push('');
        lines.push(`### ${p.title ?? ''}`, '');
        continue;
      }
      const description = (p as { description?: string }).description;
      lines.push(`- **${p.title ?? ''}** (${p.type})${description ? `: ${description}` : ''}`);
      for (const t of (p as { targets?: Array<{ expr?: string; refId?: string; legendFormat?: string }> }).targets ?? []) {
        if (t.expr) lines.push(`  - ${t.refId}: ${code(t.expr)}${t.legendFormat ? ` as ${code(t.legendFormat)}` : ''}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Every generated file, path relative to docs/ → contents. */
export function renderDashboardDocs(defs: readonly DashboardDefinition[], regenerate: string): Map<string, string> {
  const files = new Map<string, string>();
  files.set('dashboards.md', renderDashboardsMarkdown(defs, { regenerate }));
  for (const d of defs) files.set(`dashboards/${d.uid}.svg`, renderWireframeSvg(d));
  return files;
}
