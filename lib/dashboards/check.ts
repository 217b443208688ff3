/**
 * The checks every dashboard passes before synth writes anything: queries parse as PromQL once
 * Grafana's macros and variables are substituted; every metric a query names is in the metrics
 * catalog (or recorded by a recording rule) and every label it matches on is one that metric
 * carries; every other label a query names (`by`, `without`, `on`, `ignoring`, `group_left`), its
 * legend's `{{label}}` and a `label_values()` variable's label is one its series carry (the
 * inference of lib/rules/labels/); variables used are defined; uids are unique; panels fit the 24-column grid without
 * overlapping; links to other dashboards resolve. A failure names the dashboard, the panel and
 * the fix.
 */
import { closest } from '../core/names';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ConfigError } from '../core/errors';
import { familySeries } from '../metrics/catalog';
import type { MetricsCatalog } from '../metrics/types';
import { DEFAULT_TARGET_LABELS, seriesLabelsOf } from '../rules/labels/series';
import { LabelSet, SeriesLabels } from '../rules/labels/sets';
import { describeLabelProblem, legendLabels, templateProblems } from '../rules/labels/problems';
import { inferLabels } from '../rules/labels/inference';
import { LABEL_NAME_BODY, SelectorUse, describeSyntaxError, parsePromQL } from '../rules/promql';
import type { RecordingRule, RuleGroup } from '../rules/types';
import { BUILTIN_SERIES, alertSelectorProblems } from '../rules/validate';
import { DashboardDefinition, dataPanels } from './model';
import { annotationQueries } from './annotations';
import { parseDashboardQuery } from './promql';

/** Labels Prometheus attaches to every scraped series from target discovery (see lib/rules/labels/series.ts). */
export { DEFAULT_TARGET_LABELS };

export interface DashboardCheckOptions {
  /** Every metric the stack has. */
  readonly catalog: MetricsCatalog;
  /** Recording rules whose series dashboards may query. @default - none */
  readonly recordingRules?: readonly RuleGroup[];
  /** Labels every series carries from its scrape target. @default DEFAULT_TARGET_LABELS */
  readonly targetLabels?: readonly string[];
  /** Where the catalog lives, for the fix in messages. @default 'the metrics catalog' */
  readonly catalogSource?: string;
  /** Series Prometheus itself produces (`ALERTS`), with any labels. @default BUILTIN_SERIES of the rule API */
  readonly builtinSeries?: readonly string[];
  /** The alerts whose ALERTS series queries may select by `alertname`. @default - names are not checked */
  readonly alertNames?: readonly string[];
}

/** One query of a dashboard and where it sits. */
export interface DashboardQuery {
  readonly dashboard: DashboardDefinition;
  /** Panel title, or `variable "name"`. */
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  /** The panel target's `legendFormat`. @default - none */
  readonly legend?: string;
  /** A `label_values(expr, label)` variable's label. @default - none */
  readonly valuesOf?: string;
  /** The field an error names. @default - `targets[<refId>].expr`, or `query` for a variable */
  readonly field?: string;
}

/** A Grafana `label_values(expr, label)` variable query: the PromQL and the label. */
const LABEL_VALUES = new RegExp(`^\\s*label_values\\(\\s*(.*),\\s*(${LABEL_NAME_BODY})\\s*\\)\\s*$`, 's');
/** Variable queries that hold no PromQL: `label_values(label)`, `label_names()`, `metrics(...)`. */
const NO_PROMQL = new RegExp(`^\\s*(label_values\\(\\s*${LABEL_NAME_BODY}\\s*\\)|label_names\\(\\s*\\)|metrics\\(.*\\))\\s*$`, 's');

/** Every PromQL query of a dashboard: panel targets, annotation queries and variable queries (the selector inside `label_values()`). */
export function dashboardQueries(d: DashboardDefinition): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of dataPanels(d.model)) {
    for (const t of (p.targets ?? []) as Array<{ expr?: string; refId?: string; legendFormat?: string }>) {
      if (typeof t.expr === 'string') {
        out.push({
          dashboard: d,
          panel: `panel "${p.title ?? ''}"`,
          refId: t.refId ?? '?',
          expr: t.expr,
          ...(typeof t.legendFormat === 'string' ? { legend: t.legendFormat } : {}),
        });
      }
    }
  }
  for (const a of annotationQueries(d.model)) {
    out.push({ dashboard: d, panel: `annotation "${a.name}"`, refId: 'Anno', expr: a.expr, field: 'annotations.expr' });
  }
  for (const v of d.model.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const raw = typeof v.query === 'string' ? v.query : String((v.query as { query?: string } | undefined)?.query ?? '');
    const inner = variableQueryExpr(raw);
    const valuesOf = LABEL_VALUES.exec(raw)?.[2];
    if (inner !== undefined) out.push({ dashboard: d, panel: `variable "${v.name}"`, refId: 'query', expr: inner, ...(valuesOf ? { valuesOf } : {}) });
  }
  return out;
}

/** The PromQL inside a Grafana Prometheus variable query; undefined when it holds none (`label_names()`, `label_values(job)`). */
export function variableQueryExpr(query: string): string | undefined {
  const lv = LABEL_VALUES.exec(query);
  if (lv) return lv[1];
  const qr = /^\s*query_result\(\s*(.*)\s*\)\s*$/s.exec(query);
  if (qr) return qr[1];
  if (NO_PROMQL.test(query)) return undefined;
  return query;
}

const NO_RULES: readonly RuleGroup[] = [];

interface KnownSeries {
  /** Labels the series may carry; undefined when unknown (anything goes). */
  readonly labels?: ReadonlySet<string>;
}

function seriesOfCatalog(catalog: MetricsCatalog, targetLabels: readonly string[]): Map<string, KnownSeries> {
  const known = new Map<string, KnownSeries>();
  for (const m of catalog) {
    // The family name of a histogram is known as a series too, with the family's labels.
    if (m.type === 'histogram') known.set(m.name, { labels: new Set([...m.labels, ...targetLabels]) });
    for (const s of familySeries(m)) known.set(s.name, { labels: new Set([...m.labels, ...targetLabels, ...s.labels]) });
  }
  return known;
}

function problemsOfSelectors(
  selectors: readonly SelectorUse[],
  known: ReadonlyMap<string, KnownSeries>,
  catalogSource: string,
): Array<{ field: string; value: string; fix: string }> {
  const out: Array<{ field: string; value: string; fix: string }> = [];
  for (const s of selectors) {
    if (!s.metric) {
      out.push({ field: 'metric', value: `{${s.labels.join(',')}}`, fix: 'name the metric in every selector so the query can be checked against the catalog' });
      continue;
    }
    const k = known.get(s.metric);
    if (!k) {
      const close = closest(s.metric, [...known.keys()]);
      out.push({
        field: 'metric',
        value: s.metric,
        fix: `add "${s.metric}" to ${catalogSource} with its type, unit, labels and source, or record it with a recording rule${close.length ? `; known names close to it: ${close.join(', ')}` : ''}`,
      });
      continue;
    }
    if (!k.labels) continue;
    for (const l of s.labels) {
      if (!k.labels.has(l)) {
        out.push({
          field: `label of ${s.metric}`,
          value: l,
          fix: `match on a label ${s.metric} carries: ${[...k.labels].sort().join(', ')}; or add "${l}" to its labels in ${catalogSource}`,
        });
      }
    }
  }
  return out;
}

/** Every problem found, as ConfigErrors naming dashboard, panel, field, value and fix. Empty when all is well. */
export function findDashboardProblems(defs: readonly DashboardDefinition[], opts: DashboardCheckOptions): ConfigError[] {
  const problems: ConfigError[] = [];
  const targetLabels = opts.targetLabels ?? DEFAULT_TARGET_LABELS;
  const catalogSource = opts.catalogSource ?? 'the metrics catalog';
  const known = seriesOfCatalog(opts.catalog, targetLabels);
  const builtins = opts.builtinSeries ?? BUILTIN_SERIES;
  const alertNames = opts.alertNames ? new Set(opts.alertNames) : undefined;
  for (const s of builtins) known.set(s, {});
  const labelsOf: SeriesLabels = seriesLabelsOf(opts.catalog, opts.recordingRules ?? NO_RULES, { targetLabels, builtinSeries: builtins });

  // Recording rules: each is checked like a query, then its series becomes known, with the labels its `by` clause keeps.
  for (const g of opts.recordingRules ?? []) {
    for (const r of g.rules) {
      if (!('record' in r)) continue;
      const rule = r as RecordingRule;
      const where = `recording rule "${rule.record}" (${g.source})`;
      const parsed = parsePromQL(rule.expr);
      for (const e of parsed.errors) problems.push(new ConfigError(where, 'expr', rule.expr, `fix the PromQL: ${describeSyntaxError(e)}`));
      for (const p of problemsOfSelectors(parsed.selectors, known, catalogSource)) problems.push(new ConfigError(where, p.field, p.value, p.fix));
      const labels: LabelSet | undefined = labelsOf(rule.record);
      known.set(rule.record, labels && !labels.open ? { labels: new Set(labels.names) } : {});
    }
  }

  const byUid = new Map<string, DashboardDefinition>();
  for (const d of defs) {
    const where = `dashboard "${d.uid}" (${d.source})`;
    if (!/^[a-z0-9][-a-z0-9]{0,39}$/.test(d.uid)) problems.push(new ConfigError(where, 'uid', d.uid, 'use at most 40 lowercase letters, digits and "-"'));
    const other = byUid.get(d.uid);
    if (other) {
      problems.push(
        new ConfigError(
          where,
          'uid',
          d.uid,
          `"${other.title}" (${other.source}) already uses this uid; give every dashboard its own uid, since links and alerts' dashboard_url point at it`,
        ),
      );
    }
    byUid.set(d.uid, d);
    if (!d.tags.length) problems.push(new ConfigError(where, 'tags', [], 'give the dashboard at least one tag'));
    if (!d.folder) problems.push(new ConfigError(where, 'folder', d.folder, 'name the Grafana folder it belongs in'));
  }

  for (const d of defs) {
    const variables = new Set((d.model.templating?.list ?? []).map((v) => v.name));
    for (const query of dashboardQueries(d)) {
      const where = `dashboard "${d.uid}" (${d.source}) ${query.panel}`;
      const field = query.field ?? (query.refId === 'query' ? 'query' : `targets[${query.refId}].expr`);
      const parsed = parseDashboardQuery(query.expr);
      for (const v of parsed.variables) {
        if (!variables.has(v))
          problems.push(
            new ConfigError(where, field, query.expr, `define the variable "$${v}" on the dashboard, or stop using it (defined: ${[...variables].join(', ')})`),
          );
      }
      if (parsed.errors.length) {
        problems.push(
          new ConfigError(
            where,
            field,
            query.expr,
            `write valid PromQL: ${describeSyntaxError(parsed.errors[0])} (after substituting Grafana variables: ${parsed.expr})`,
          ),
        );
        continue;
      }
      const selectorProblems = [
        ...problemsOfSelectors(parsed.selectors, known, catalogSource),
        ...alertSelectorProblems(parsed.expr, alertNames).map((p) => ({ field: p.label, value: p.value, fix: p.fix })),
      ];
      for (const p of selectorProblems) problems.push(new ConfigError(where, `${field} ${p.field}`, p.value, p.fix));
      if (selectorProblems.length) continue;
      // Matchers are checked above; here every other label the query names, and its legend.
      const inferred = inferLabels(parsed.expr, labelsOf, { matchers: false });
      for (const p of inferred.problems) problems.push(new ConfigError(where, field, p.label, describeLabelProblem(p)));
      if (query.legend !== undefined && !inferred.problems.length) {
        for (const p of templateProblems(legendLabels(query.legend), inferred.result, 'legend')) {
          problems.push(new ConfigError(where, `targets[${query.refId}].legendFormat`, p.label, describeLabelProblem(p)));
        }
      }
      if (query.valuesOf !== undefined && !inferred.problems.length) {
        for (const p of templateProblems([{ label: query.valuesOf, text: `label_values(${query.expr}, ${query.valuesOf})` }], inferred.result, 'variable')) {
          problems.push(new ConfigError(where, field, p.label, describeLabelProblem(p)));
        }
      }
    }
    problems.push(...layoutProblems(d));
    for (const link of allLinks(d.model)) {
      const m = /^\/d\/([^/?#]+)/.exec(link.url ?? '');
      if (m && !byUid.has(m[1])) {
        problems.push(
          new ConfigError(
            `dashboard "${d.uid}" (${d.source}) ${link.where}`,
            'link',
            link.url,
            `link to a provisioned dashboard: ${[...byUid.keys()].sort().join(', ')}`,
          ),
        );
      }
    }
  }
  return problems;
}

/** Throws the first problem (listing the others) when there is any. */
export function checkDashboards(defs: readonly DashboardDefinition[], opts: DashboardCheckOptions): void {
  const problems = findDashboardProblems(defs, opts);
  if (problems.length === 0) return;
  const first = problems[0];
  if (problems.length > 1) {
    first.message += `\n${problems.length - 1} more problem(s):\n${problems
      .slice(1, 20)
      .map((p) => `  - ${p.message}`)
      .join('\n')}`;
  }
  throw first;
}

function layoutProblems(d: DashboardDefinition): ConfigError[] {
  const out: ConfigError[] = [];
  const placed: Array<{ title: string; x: number; y: number; w: number; h: number }> = [];
  for (const p of d.model.panels ?? []) {
    const g = p.gridPos;
    const title = p.title ?? '';
    const where = `dashboard "${d.uid}" (${d.source}) panel "${title}"`;
    if (!g) {
      out.push(new ConfigError(where, 'gridPos', g, 'give the panel a position on the grid'));
      continue;
    }
    if (g.x < 0 || g.x + g.w > 24) out.push(new ConfigError(where, 'gridPos', g, 'keep the panel within the 24 grid columns: x + w <= 24'));
    for (const o of placed) {
      if (g.x < o.x + o.w && o.x < g.x + g.w && g.y < o.y + o.h && o.y < g.y + g.h) {
        out.push(new ConfigError(where, 'gridPos', g, `move it: it overlaps panel "${o.title}"`));
      }
    }
    placed.push({ title, x: g.x, y: g.y, w: g.w, h: g.h });
  }
  return out;
}

function allLinks(model: dashboard.Dashboard): Array<{ where: string; url?: string }> {
  const out: Array<{ where: string; url?: string }> = (model.links ?? []).map((l) => ({ where: `header link "${l.title}"`, url: l.url }));
  for (const p of dataPanels(model)) for (const l of p.links ?? []) out.push({ where: `panel "${p.title ?? ''}" link "${l.title}"`, url: l.url });
  return out;
}
