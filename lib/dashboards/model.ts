/**
 * A dashboard as data: stable uid, title, folder, tags, the file that defines it, and the Grafana
 * JSON model built with @grafana/grafana-foundation-sdk. `defineDashboard` lays rows of panels out
 * on the 24-column grid, numbers panels, binds every query to the datasource variable and gives it
 * a refId, so content files only say what to show.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ConfigError } from '../errors';
import { PanelBuilder, dashboardsByTag } from './panels';
import { VariableBuilder, datasourceVariable } from './variables';

/**
 * The dashboard schema version Grafana 12 migrates every dashboard to (`LATEST_VERSION` of its
 * schemaversion package); @grafana/grafana-foundation-sdk 0.0.x (`latest`) emits the same, so the
 * provisioned JSON needs no migration when Grafana (lib/images.ts) loads it.
 */
export const GRAFANA_SCHEMA_VERSION = 42;

export interface DashboardRow {
  /** Row header; omit for panels above the first header. */
  readonly title?: string;
  readonly panels: readonly PanelBuilder[];
}

export interface DashboardSpec {
  /** Stable id in URLs (`/d/<uid>`) and alerts' `dashboard_url`: at most 40 of a-z, 0-9 and "-". */
  readonly uid: string;
  readonly title: string;
  /** Grafana folder title. */
  readonly folder: string;
  readonly tags: readonly string[];
  /** The content file, for error messages (`dashboards/trading.ts`). */
  readonly source: string;
  readonly description: string;
  /** Variables after the datasource (always first). @default - only the datasource */
  readonly variables?: readonly VariableBuilder[];
  readonly rows: readonly DashboardRow[];
  /** Tag whose dashboards are listed in a header dropdown. @default - no dropdown */
  readonly linkTag?: string;
  /** More header links. */
  readonly links?: readonly cog.Builder<dashboard.DashboardLink>[];
  /** Auto-refresh. @default '1m' */
  readonly refresh?: string;
  /** Default time range start. @default 'now-6h' */
  readonly from?: string;
}

export interface DashboardDefinition {
  readonly uid: string;
  readonly title: string;
  readonly folder: string;
  readonly tags: readonly string[];
  readonly source: string;
  readonly model: dashboard.Dashboard;
}

const GRID_COLUMNS = 24;

export function defineDashboard(spec: DashboardSpec): DashboardDefinition {
  const where = `dashboard "${spec.uid}" (${spec.source})`;
  if (spec.tags.length === 0) throw new ConfigError(where, 'tags', [], 'give the dashboard at least one tag so it can be found and linked');
  if (!spec.folder) throw new ConfigError(where, 'folder', spec.folder, 'name the Grafana folder the dashboard belongs in');
  const b = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .readonly()
    .timezone('browser')
    .refresh(spec.refresh ?? '1m')
    .time({ from: spec.from ?? 'now-6h', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable());
  for (const v of spec.variables ?? []) b.withVariable(v);
  const links = [...(spec.linkTag ? [dashboardsByTag('Dashboards', spec.linkTag)] : []), ...(spec.links ?? [])];
  if (links.length) b.links(links);
  for (const row of spec.rows) {
    if (row.title) b.withRow(new dashboard.RowBuilder(row.title));
    for (const p of row.panels) {
      const w = p.build().gridPos?.w ?? 0;
      if (w < 1 || w > GRID_COLUMNS) {
        throw new ConfigError(`${where} panel "${p.build().title ?? ''}"`, 'width', w, `use 1 to ${GRID_COLUMNS} grid columns`);
      }
      b.withPanel(p);
    }
  }
  const model = b.build();
  if (model.schemaVersion !== GRAFANA_SCHEMA_VERSION) {
    throw new ConfigError(where, 'schemaVersion', model.schemaVersion, `build with a @grafana/grafana-foundation-sdk that emits schema ${GRAFANA_SCHEMA_VERSION}, the version the pinned Grafana image expects`);
  }
  // Stable panel ids in layout order: `viewPanel=<id>` links survive a regeneration.
  (model.panels ?? []).forEach((p, i) => {
    (p as { id?: number }).id = i + 1;
  });
  return { uid: spec.uid, title: spec.title, folder: spec.folder, tags: [...spec.tags], source: spec.source, model };
}

/** Every panel of a dashboard that shows data (rows excluded), with its position. */
export function dataPanels(model: dashboard.Dashboard): dashboard.Panel[] {
  return (model.panels ?? []).filter((p): p is dashboard.Panel => p.type !== 'row');
}
