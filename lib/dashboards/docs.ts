/**
 * Review renderings of dashboards: a Markdown catalog (every dashboard with its variables, a table
 * of what each panel shows, and every query) and an SVG wireframe of each layout (./wireframe.ts),
 * so a reviewer sees a change of layout, unit, range, threshold or series in the diff.
 * Output depends only on the dashboards, never on time or machine.
 */
import { DashboardDefinition, allPanels } from './model';
import { annotationQueries } from './annotations';
import { PanelFacts, num, placed, rangeText } from './panel-facts';
import { parseDashboardQuery } from './promql';
import { renderWireframeSvg } from './wireframe';

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
    const range = rangeText(f);
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
    const annotations = annotationQueries(d.model);
    if (annotations.length) {
      lines.push('Annotations (events marked across the time series):', '');
      for (const a of annotations) lines.push(`- **${a.name}**${a.title ? ` titled ${code(a.title)}` : ''}: ${code(a.expr)}`);
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
