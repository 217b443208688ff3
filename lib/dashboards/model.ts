/**
 * A dashboard as data: stable uid, title, folder, tags, the file that defines it, and the Grafana
 * JSON model built with @grafana/grafana-foundation-sdk. `defineDashboard` lays rows of panels out
 * on the 24-column grid and gives every panel an id derived from its key (see `panelId`); the panel
 * helpers bind every query to the datasource variable and give it a refId, so content files only
 * say what to show.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ConfigError } from '../core/errors';
import { PanelBuilder, dashboardsByTag, panelKey } from './panels';
import { VariableBuilder, datasourceVariable } from './variables';

/**
 * The dashboard schema version Grafana 12 migrates every dashboard to (`LATEST_VERSION` of its
 * schemaversion package); @grafana/grafana-foundation-sdk 0.0.x (`latest`) emits the same, so the
 * provisioned JSON needs no migration when Grafana (lib/core/images.ts) loads it.
 */
export const GRAFANA_SCHEMA_VERSION = 42;

export interface DashboardRow {
  /** Row header; omit for panels above the first header. */
  readonly title?: string;
  /**
   * What the row header's id is derived from, as a panel's `key`.
   * @default - the slug of the title
   */
  readonly key?: string;
  /** Start folded: the header alone, its panels shown when it is opened. Needs a title. @default false */
  readonly collapsed?: boolean;
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
  /** Events marked across the time series, such as deployments (`eventAnnotation`). @default - Grafana's own annotations only */
  readonly annotations?: readonly cog.Builder<dashboard.AnnotationQuery>[];
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

/**
 * The largest panel id. Grafana's dashboard schema types a panel's and a row's `id` as `uint32`
 * (grafana/kind-registry grafana/next/core/dashboard/dashboard.cue, `#Panel` and `#RowPanel`);
 * staying below 2^31 keeps it a positive signed 32-bit integer as well.
 */
export const MAX_PANEL_ID = 2 ** 31 - 1;

const KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UTF8 = new TextEncoder();

/** A title as a key: lowercase ASCII letters and digits, runs of anything else as one "-". */
export function slug(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The id of the panel (or row header) with this key: FNV-1a (32 bits) of `panel/<key>` or
 * `row/<key>`, brought into 1..MAX_PANEL_ID. It depends on the key alone, so adding, removing or
 * moving other panels leaves it, and `viewPanel=<id>` links to it, unchanged.
 */
export function panelId(key: string, kind: 'panel' | 'row' = 'panel'): number {
  const bytes = UTF8.encode(`${kind}/${key}`);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return (h % MAX_PANEL_ID) + 1;
}

interface Keyed {
  readonly kind: 'panel' | 'row';
  readonly key: string;
  readonly title: string;
  /** The row the panel sits in, if it has a header. */
  readonly row?: string;
}

function label(k: Keyed): string {
  return `${k.kind} "${k.title}"${k.row !== undefined ? ` (row "${k.row}")` : ''}`;
}

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
  const annotations = (spec.annotations ?? []).map((a) => a.build());
  const names = annotations.map((a) => a.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ConfigError(where, 'annotations', twice, 'give every annotation a name of its own: the controls toggle it by name');
  if (annotations.length) b.annotations(annotations.map((a) => ({ build: () => a })));
  // Keys in the order the panels appear in the model: a row header, then its panels.
  const keyed: Keyed[] = [];
  let row: string | undefined;
  const keyOf = (kind: 'panel' | 'row', title: string, explicit: string | undefined): Keyed => {
    const k = { kind, key: '', title, ...(kind === 'panel' && row !== undefined ? { row } : {}) };
    const at = `${where} ${label(k)}`;
    if (explicit !== undefined && !KEY.test(explicit))
      throw new ConfigError(at, 'key', explicit, 'use lowercase letters and digits, words joined by single "-" (such as "order-rate")');
    const key = explicit ?? slug(title);
    if (!key) throw new ConfigError(at, 'key', explicit, `give the ${kind} a title with letters or digits, or a \`key\``);
    return { ...k, key };
  };
  const checked = (p: PanelBuilder): PanelBuilder => {
    const w = p.build().gridPos?.w ?? 0;
    if (w < 1 || w > GRID_COLUMNS) {
      throw new ConfigError(`${where} panel "${p.build().title ?? ''}"`, 'width', w, `use 1 to ${GRID_COLUMNS} grid columns`);
    }
    keyed.push(keyOf('panel', p.build().title ?? '', panelKey(p)));
    return p;
  };
  for (const r of spec.rows) {
    if (!r.title) {
      if (r.collapsed) throw new ConfigError(`${where} row`, 'collapsed', true, 'give a collapsed row a title: its header is all that shows');
      if (r.key !== undefined)
        throw new ConfigError(`${where} row`, 'key', r.key, 'give the row a title (a row without one has no header to key), or drop the key');
      for (const p of r.panels) b.withPanel(checked(p));
      continue;
    }
    row = undefined;
    keyed.push(keyOf('row', r.title, r.key));
    row = r.title;
    const header = new dashboard.RowBuilder(r.title);
    if (r.collapsed) {
      for (const p of r.panels) header.withPanel(checked(p));
      b.withRow(header.collapsed(true));
    } else {
      b.withRow(header);
      for (const p of r.panels) b.withPanel(checked(p));
    }
  }
  const model = b.build();
  if (model.schemaVersion !== GRAFANA_SCHEMA_VERSION) {
    throw new ConfigError(
      where,
      'schemaVersion',
      model.schemaVersion,
      `build with a @grafana/grafana-foundation-sdk that emits schema ${GRAFANA_SCHEMA_VERSION}, the version the pinned Grafana image expects`,
    );
  }
  // Ids from keys, not from positions: `viewPanel=<id>` links survive a panel added or moved.
  const byId = new Map<number, Keyed>();
  const ids = keyed.map((k) => {
    const id = panelId(k.key, k.kind);
    const other = byId.get(id);
    if (other) {
      const clash =
        other.key === k.key && other.kind === k.kind
          ? `${label(other)} has the same key, and both would get panel id ${id}`
          : `${label(other)} (key "${other.key}") gets the same panel id ${id}`;
      throw new ConfigError(
        `${where} ${label(k)}`,
        'key',
        k.key,
        `${clash}; set \`key\` on one of them to a name of its own (a panel's in its options or with withKey(), a row's in the row)`,
      );
    }
    byId.set(id, k);
    return id;
  });
  const placed = allPanels(model);
  if (placed.length !== ids.length) throw new Error(`${where}: ${placed.length} panels in the model for ${ids.length} keys`);
  placed.forEach((p, i) => {
    p.id = ids[i];
  });
  return { uid: spec.uid, title: spec.title, folder: spec.folder, tags: [...spec.tags], source: spec.source, model };
}

/** Every panel of a dashboard in model order, row headers included, a collapsed row's panels after it. */
export function allPanels(model: dashboard.Dashboard): Array<dashboard.Panel | dashboard.RowPanel> {
  return (model.panels ?? []).flatMap((p) => (p.type === 'row' ? [p, ...((p as dashboard.RowPanel).panels ?? [])] : [p]));
}

/** Every panel of a dashboard that shows data (rows excluded, a collapsed row's panels included), with its position. */
export function dataPanels(model: dashboard.Dashboard): dashboard.Panel[] {
  return allPanels(model).filter((p): p is dashboard.Panel => p.type !== 'row');
}
