/**
 * A dashboard's layout as an SVG wireframe on the 24-column grid, for review: one box per panel
 * with its title, type, size, unit, range and threshold colours. Output depends only on the
 * dashboard, never on time or machine.
 */
import { DashboardDefinition } from './model';
import { PanelFacts, num, placed, rangeText } from './panel-facts';

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

/** `s · 0 to 1 · 2 dp` */
function unitAndRange(f: PanelFacts): string {
  const parts: string[] = [];
  if (f.unit) parts.push(f.unit);
  const range = rangeText(f);
  if (range) parts.push(range);
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
