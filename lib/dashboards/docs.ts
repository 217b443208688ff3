/**
 * Review renderings of dashboards: a Markdown catalog (every dashboard with its variables, panels
 * and queries) and an SVG wireframe of each layout on the 24-column grid, so a reviewer sees a
 * layout change in the diff. Output depends only on the dashboards, never on time or machine.
 */
import { DashboardDefinition } from './model';

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
}

function placed(d: DashboardDefinition): Placed[] {
  return (d.model.panels ?? []).map((p) => ({ type: p.type, title: p.title ?? '', x: p.gridPos?.x ?? 0, y: p.gridPos?.y ?? 0, w: p.gridPos?.w ?? 24, h: p.gridPos?.h ?? 1 }));
}

const FILL: Readonly<Record<string, string>> = {
  row: '#e8eaf0',
  stat: '#e3f2e8',
  gauge: '#e3f2e8',
  timeseries: '#e6eef9',
  table: '#f7f0e0',
  text: '#f2f2f2',
};

/** The dashboard's layout as an SVG wireframe: one box per panel with its title and type. */
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
      out.push(`  <text x="${x + 6}" y="${y + h / 2 + 4}" font-size="12" font-weight="bold" fill="#1f2430">▾ ${esc(fit(p.title, w - 20, 7))}</text>`);
      continue;
    }
    out.push(`  <rect x="${x + 2}" y="${y + 2}" width="${w - 4}" height="${h - 4}" rx="3" fill="${FILL[p.type] ?? '#eeeeee'}" stroke="#9aa3b2" stroke-width="1"/>`);
    out.push(`  <text x="${x + 8}" y="${y + 18}" font-size="11" font-weight="bold" fill="#1f2430">${esc(fit(p.title, w - 16))}</text>`);
    out.push(`  <text x="${x + 8}" y="${y + 32}" font-size="10" fill="#5b6270">${esc(p.type)} · ${p.w}×${p.h}</text>`);
  }
  out.push('</svg>', '');
  return out.join('\n');
}

/** Markdown code span that survives backticks in the query. */
function code(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.includes('`') ? `\`\` ${oneLine} \`\`` : `\`${oneLine}\``;
}

/** The catalog of dashboards for docs/dashboards.md. */
export function renderDashboardsMarkdown(defs: readonly DashboardDefinition[], opts: { readonly wireframeDir?: string; readonly regenerate?: string } = {}): string {
  const dir = opts.wireframeDir ?? 'dashboards';
  const lines: string[] = [
    '# Dashboards',
    '',
    `<!-- Generated from dashboards/*.ts${opts.regenerate ? ` by \`${opts.regenerate}\`` : ''}; do not edit by hand. -->`,
    '',
    'Every dashboard Grafana provisions, with its variables, panels and queries. Layouts are drawn in',
    `\`docs/${dir}/<uid>.svg\` (panel titles and types on the 24-column grid).`,
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
    lines.push(`## ${d.title}`, '', `<a id="${d.uid}"></a>uid \`${d.uid}\` · folder ${d.folder} · tags ${d.tags.map((t) => `\`${t}\``).join(' ')} · defined in \`${d.source}\``, '');
    if (d.model.description) lines.push(d.model.description, '');
    lines.push(`![Layout of ${d.title}](${dir}/${d.uid}.svg)`, '');
    const vars = d.model.templating?.list ?? [];
    if (vars.length) {
      lines.push('Variables:', '');
      for (const v of vars) {
        const q = v.type === 'datasource' ? `datasource of type ${String(v.query)}` : typeof v.query === 'string' ? v.query : String((v.query as { query?: string } | undefined)?.query ?? '');
        lines.push(`- \`$${v.name}\` (${v.label ?? v.name}): ${v.type === 'datasource' ? q : code(q)}`);
      }
      lines.push('');
    }
    for (const p of d.model.panels ?? []) {
      if (p.type === 'row') {
        if (lines[lines.length - 1] !== '') lines.push('');
        lines.push(`### ${p.title ?? ''}`, '');
        continue;
      }
      const unit = (p as { fieldConfig?: { defaults?: { unit?: string } } }).fieldConfig?.defaults?.unit;
      const description = (p as { description?: string }).description;
      lines.push(`- **${p.title ?? ''}** (${p.type}${unit ? `, unit \`${unit}\`` : ''})${description ? `: ${description}` : ''}`);
      for (const t of ((p as { targets?: Array<{ expr?: string; refId?: string; legendFormat?: string }> }).targets ?? [])) {
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
