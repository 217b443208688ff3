/**
 * Thin helpers over @grafana/grafana-foundation-sdk for the panel shapes dashboards repeat:
 * Prometheus queries bound to the dashboard's datasource variable, time series with units and
 * thresholds, stats, gauges, tables, text and the RED trio (rate, errors, duration) of a service.
 * Every helper returns an SDK builder sized on the 24-column grid, so a dashboard reads like its
 * layout: rows of panels, left to right.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The datasource every panel and query uses: the dashboard's `datasource` variable. */
export const DATASOURCE_VARIABLE = 'datasource';
export const promDatasource: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

export type PanelBuilder = cog.Builder<dashboard.Panel>;

const PANEL_KEYS = new WeakMap<PanelBuilder, string>();

/**
 * Gives a panel the key its id is derived from (see `panelId`), for a panel whose title is not
 * unique on its dashboard or that keeps its id across a rename. The helpers below take `key` as an
 * option; this is for builders made otherwise.
 */
export function withKey<B extends PanelBuilder>(panel: B, key: string): B {
  PANEL_KEYS.set(panel, key);
  return panel;
}

/** The key given with `key` or `withKey()`, if any. */
export function panelKey(panel: PanelBuilder): string | undefined {
  return PANEL_KEYS.get(panel);
}

/** A query: PromQL and how its series are named in the legend. */
export interface Query {
  readonly expr: string;
  /** Legend template such as `{{job}}`. @default - Grafana's default series name */
  readonly legend?: string;
  /** Evaluate once at the end of the range (stats, gauges, tables). @default false */
  readonly instant?: boolean;
  /** Return a table frame (tables of labels). @default false */
  readonly table?: boolean;
  /**
   * Grafana's "Min step": the smallest step, and the base of `$__rate_interval` (at least four
   * of it). Set it to the scrape interval of a job that scrapes less often than the rest.
   * @default - the datasource's, the global scrape interval
   */
  readonly minStep?: string;
}

/** Shorthand for a range query. */
export function q(expr: string, legend?: string): Query {
  return { expr, ...(legend !== undefined ? { legend } : {}) };
}

function target(query: Query, refId: string): prometheus.DataqueryBuilder {
  const b = new prometheus.DataqueryBuilder().expr(query.expr).refId(refId).datasource(promDatasource);
  if (query.legend !== undefined) b.legendFormat(query.legend);
  if (query.instant) b.instant();
  else b.range();
  if (query.table) b.format(prometheus.PromQueryFormat.Table);
  if (query.minStep) b.interval(query.minStep);
  return b;
}

function targets(queries: readonly Query[], instant = false): prometheus.DataqueryBuilder[] {
  return queries.map((query, i) => target(instant ? { ...query, instant: true } : query, String.fromCharCode(65 + i)));
}

/** A threshold step: from `value` upwards, use `color`; the first step starts at minus infinity. */
export type Step = readonly [value: number | null, color: string];

/** Green below the warning level, orange from it, red from the critical level. */
export function warnAt(warning: number, critical: number): Step[] {
  return [
    [null, 'green'],
    [warning, 'orange'],
    [critical, 'red'],
  ];
}

/** Red below the critical level, orange below the warning level, green above (for "higher is better"). */
export function warnBelow(warning: number, critical: number): Step[] {
  return [
    [null, 'red'],
    [critical, 'orange'],
    [warning, 'green'],
  ];
}

function thresholds(steps: readonly Step[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps.map(([value, color]) => ({ value, color })));
}

/** Size on the 24-column grid. */
export interface Size {
  /** Columns, 1 to 24. */
  readonly w: number;
  /** Grid rows (about 30 px each). */
  readonly h: number;
}

interface Common extends Size {
  readonly title: string;
  /**
   * What the panel's id (and so `viewPanel=<id>` links) is derived from: lowercase letters, digits
   * and "-", unique on the dashboard. Set it to keep the id when the title changes, or when two
   * panels of a dashboard share a title.
   * @default - the slug of the title ("Orders per second" → `orders-per-second`)
   */
  readonly key?: string;
  /** Shown on hover: what the panel means and what to do when it looks wrong. */
  readonly description?: string;
  /** Grafana unit id: `s`, `percentunit`, `bytes`, `reqps`, `currencyUSD`, `short`... */
  readonly unit?: string;
  readonly thresholds?: readonly Step[];
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** Links to other dashboards, from `dashboardLink()`. */
  readonly links?: readonly cog.Builder<dashboard.DashboardLink>[];
}

function applyCommon<
  B extends {
    title(t: string): B;
    description(d: string): B;
    unit(u: string): B;
    thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): B;
    min(n: number): B;
    max(n: number): B;
    decimals(n: number): B;
    gridPos(g: dashboard.GridPos): B;
    datasource(d: common.DataSourceRef): B;
    links(l: cog.Builder<dashboard.DashboardLink>[]): B;
  },
>(b: B, o: Common): B {
  // The size is checked with the dashboard's name in defineDashboard; x and y come from the layout.
  b.title(o.title).gridPos({ x: 0, y: 0, w: o.w, h: o.h }).datasource(promDatasource);
  if (o.description) b.description(o.description);
  if (o.unit) b.unit(o.unit);
  if (o.thresholds) b.thresholds(thresholds(o.thresholds));
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  if (o.links?.length) b.links([...o.links]);
  if (o.key !== undefined) PANEL_KEYS.set(b as unknown as PanelBuilder, o.key);
  return b;
}

export interface TimeSeriesOptions extends Common {
  readonly queries: readonly Query[];
  /** Stack series on top of each other (shares of a whole). @default false */
  readonly stack?: boolean;
  /** Draw the thresholds as dashed lines. @default true when thresholds are given */
  readonly showThresholds?: boolean;
  /** Legend as a table with last and max values, to the right. @default false (a list below) */
  readonly legendTable?: boolean;
}

export function timeSeries(o: TimeSeriesOptions): timeseries.PanelBuilder {
  const b = applyCommon(new timeseries.PanelBuilder(), o)
    .targets(targets(o.queries))
    .lineWidth(1)
    .fillOpacity(o.stack ? 30 : 10)
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .legend(
      o.legendTable
        ? new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.Table)
            .placement(common.LegendPlacement.Right)
            .calcs(['lastNotNull', 'max'])
        : new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).calcs([]),
    );
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (o.thresholds && o.showThresholds !== false)
    b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  return b;
}

export interface StatOptions extends Common {
  readonly query: Query;
  /** Colour the background rather than the value. @default true */
  readonly background?: boolean;
  /** A sparkline of the range behind the value. @default false */
  readonly sparkline?: boolean;
  /** Value-to-text mappings, such as 1 → "up". */
  readonly mappings?: readonly dashboard.ValueMapping[];
}

export function statPanel(o: StatOptions): stat.PanelBuilder {
  const b = applyCommon(new stat.PanelBuilder(), o)
    .targets(targets([o.sparkline ? o.query : { ...o.query, instant: true }]))
    .colorMode(o.background === false ? common.BigValueColorMode.Value : common.BigValueColorMode.Background)
    .graphMode(o.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (o.mappings) b.mappings([...o.mappings]);
  return b;
}

export interface GaugeOptions extends Common {
  readonly query: Query;
}

export function gaugePanel(o: GaugeOptions): gauge.PanelBuilder {
  return applyCommon(new gauge.PanelBuilder(), o)
    .targets(targets([o.query], true))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .showThresholdMarkers(true);
}

export interface TableOptions extends Common {
  /** Instant queries in table format; several are merged on their common labels. */
  readonly queries: readonly Query[];
  /** Column renames, label or field name → header. */
  readonly columns?: Readonly<Record<string, string>>;
  /** Columns to hide (`Time` always is). */
  readonly hide?: readonly string[];
  /** Sort by this column, descending. */
  readonly sortBy?: string;
}

export function tablePanel(o: TableOptions): table.PanelBuilder {
  const hidden = ['Time', ...(o.hide ?? [])];
  const b = applyCommon(new table.PanelBuilder(), o).targets(
    targets(
      o.queries.map((x) => ({ ...x, table: true })),
      true,
    ),
  );
  if (o.queries.length > 1) b.withTransformation({ id: 'merge', options: {} });
  b.withTransformation({
    id: 'organize',
    options: { excludeByName: Object.fromEntries(hidden.map((c) => [c, true])), renameByName: { ...(o.columns ?? {}) } },
  });
  if (o.sortBy) b.sortBy([new common.TableSortByFieldStateBuilder().displayName(o.columns?.[o.sortBy] ?? o.sortBy).desc(true)]);
  return b;
}

/** A Markdown note, for context a reader needs (what the dashboard is for, where to go next). */
export function note(o: Size & { readonly title: string; readonly markdown: string; readonly key?: string }): text.PanelBuilder {
  const b = new text.PanelBuilder().title(o.title).gridPos({ x: 0, y: 0, w: o.w, h: o.h }).mode(text.TextMode.Markdown).content(o.markdown);
  return o.key !== undefined ? withKey(b, o.key) : b;
}

/** Value mappings for 0/1 health series. */
export function upDownMappings(up = 'UP', down = 'DOWN'): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: { '0': { text: down, color: 'red', index: 0 }, '1': { text: up, color: 'green', index: 1 } },
    },
  ];
}

/** A link to another dashboard by uid, keeping the time range and variables. */
export function dashboardLink(title: string, uid: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${uid}`)
    .keepTime(true)
    .includeVars(true)
    .icon('dashboard')
    .targetBlank(false);
}

/** A dropdown of every dashboard carrying `tag`, for the dashboard header. */
export function dashboardsByTag(title: string, tag: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title).type(dashboard.DashboardLinkType.Dashboards).tags([tag]).asDropdown(true).keepTime(true).includeVars(false);
}

/** Selector fragments for the RED panels of services identified by a `job` label. */
export interface RedSeries {
  /** Recorded or raw request rate per job, e.g. `job:http_requests:rate5m`. */
  readonly requests: string;
  /** Recorded error ratio per job. */
  readonly errorRatio: string;
  /** Recorded per-le bucket rate of the request duration histogram. */
  readonly durationBuckets: string;
  /** Label matchers that select the services, such as `namespace=~"$namespace", job=~"$service"`. */
  readonly selector: string;
  /** Error ratio thresholds (warning, critical): the content's own values, no default. */
  readonly errorThresholds: readonly [number, number];
  /** p95 latency thresholds in seconds (warning, critical): the content's own values, no default. */
  readonly latencyThresholds: readonly [number, number];
}

/** The RED trio for every selected service, one series per `job`: rate, error ratio, latency percentiles. */
export function redPanels(s: RedSeries, size: Size = { w: 8, h: 8 }): PanelBuilder[] {
  const sel = `{${s.selector}}`;
  const [ew, ec] = s.errorThresholds;
  const [lw, lc] = s.latencyThresholds;
  return [
    timeSeries({ ...size, title: 'Rate: requests per second', unit: 'reqps', min: 0, queries: [q(`sum by (job) (${s.requests}${sel})`, '{{job}}')] }),
    timeSeries({
      ...size,
      title: 'Errors: share of requests failing (5xx)',
      unit: 'percentunit',
      min: 0,
      thresholds: warnAt(ew, ec),
      queries: [q(`max by (job) (${s.errorRatio}${sel})`, '{{job}}')],
    }),
    timeSeries({
      ...size,
      title: 'Duration: p50 / p95 / p99 latency',
      unit: 's',
      min: 0,
      thresholds: warnAt(lw, lc),
      queries: [0.5, 0.95, 0.99].map((p) => q(`histogram_quantile(${p}, sum by (job, le) (${s.durationBuckets}${sel}))`, `{{job}} p${Math.round(p * 100)}`)),
    }),
  ];
}

/**
 * A header link that opens Grafana Explore on a tracing datasource, searching the traces of one
 * service (a literal or a dashboard variable such as `${service}`) over the dashboard's time range.
 */
export function traceSearchLink(title: string, datasource: { readonly uid: string; readonly type: string }, service: string): dashboard.DashboardLinkBuilder {
  const pane = {
    datasource: datasource.uid,
    queries: [{ refId: 'A', datasource: { type: datasource.type, uid: datasource.uid }, queryType: 'search', service }],
    range: { from: '${__from}', to: '${__to}' },
  };
  const url = `/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify({ traces: pane })).replace(/%24%7B(\w+)%7D/g, '${$1}')}`;
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(url)
    .icon('external link')
    .targetBlank(true)
    .keepTime(false)
    .includeVars(false);
}
