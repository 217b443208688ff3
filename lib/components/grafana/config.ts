/**
 * Grafana's configuration as pure functions of their inputs: grafana.ini, the dashboard provider,
 * the datasources document, a dashboard's JSON, and the volumes that carry the dashboards and the
 * datasources' credentials into the pod.
 */
import { k8s } from 'cdk8s-plus-28';
import { emptyDir } from '../../core/k8s';
import type { GrafanaDashboard } from '../../dashboards/provisioning';
import type { GrafanaDatasource } from './datasource';

/** Grafana's HTTP port. */
export const GRAFANA_PORT = 3000;
export const DATA_DIR = '/var/lib/grafana';
export const PROVISIONING_DIR = '/etc/grafana/provisioning';
export const DASHBOARDS_DIR = '/var/lib/grafana-dashboards';
export const SECRETS_DIR = '/etc/grafana/secrets';

/** The datasources provisioning document. */
export function renderDatasources(datasources: readonly GrafanaDatasource[]): Record<string, unknown> {
  return {
    apiVersion: 1,
    deleteDatasources: [],
    datasources: datasources.map((d) => ({
      name: d.name,
      uid: d.uid,
      type: d.type,
      access: 'proxy',
      url: d.url,
      isDefault: d.isDefault ?? false,
      editable: false,
      ...(d.basicAuthUser ? { basicAuth: true, basicAuthUser: d.basicAuthUser } : {}),
      ...(d.basicAuthUserFromSecret ? { basicAuth: true, basicAuthUser: secretFile(d.basicAuthUserFromSecret) } : {}),
      ...(d.jsonData ? { jsonData: d.jsonData } : {}),
      ...(d.secureJsonFromSecret
        ? {
            secureJsonData: Object.fromEntries(Object.entries(d.secureJsonFromSecret).map(([field, ref]) => [field, secretFile(ref)])),
          }
        : {}),
    })),
  };
}

/**
 * One projected volume per Grafana folder, with flat item paths, mounted at
 * `<dashboards dir>/<folder>`; with no dashboard, an empty directory for the provider to read.
 *
 * Not one volume with `<folder>/<uid>.json` items: the kubelet writes ConfigMap and projected
 * volumes atomically (kubernetes pkg/volume/util/atomic_writer.go), the files in a timestamped
 * `..<time>` directory behind a `..data` symlink and each top-level entry, a folder included,
 * a symlink into `..data/`. Grafana's file provider (grafana/grafana
 * pkg/services/provisioning/dashboards/file_reader.go, read at commit 669d0865b2ad, a Grafana
 * 12 state of the file; `createWalkFn` and `validateWalkablePath` read the same in the Grafana 5
 * version at 005556632f32, so the walk has not changed in between) resolves only the provider path
 * itself (`resolvedPath`: `filepath.Abs` then `filepath.EvalSymlinks`), then walks it with
 * `filepath.Walk`, which reports entries by `Lstat` and never descends into a symlink; its
 * `validateWalkablePath` skips directories whose name starts with "." (`..data`, `..<time>`)
 * and keeps any non-directory ending in `.json` (a symlink to a file included). So a folder
 * symlink is neither walked nor kept, and Grafana finds no dashboard. A mount point is a real
 * directory, and with `foldersFromFilesStructure` the folder title is the base name of the
 * directory holding the file (`storeDashboardsInFoldersFromFileStructure`): a volume mounted at
 * `<dashboards dir>/Grekko` puts its dashboards in the folder "Grekko". The Grafana Helm chart
 * lays its `dashboardsConfigMaps` out the same way, a volume `dashboards-<name>` mounted at
 * `/var/lib/grafana/dashboards/<name>` (grafana/helm-charts charts/grafana/templates/_pod.tpl).
 */
export function dashboardVolumes(dashboards: readonly GrafanaDashboard[]): k8s.Volume[] {
  if (dashboards.length === 0) return [emptyDir('dashboards')];
  return dashboardFolders(dashboards).map((folder) => ({
    name: folderVolume(folder),
    projected: {
      defaultMode: 0o444,
      sources: dashboards
        .filter((d) => d.folder === folder)
        .map((d) => ({ configMap: { name: `grafana-dashboard-${d.uid}`, items: [{ key: `${d.uid}.json`, path: `${d.uid}.json` }] } })),
    },
  }));
}

export function dashboardMounts(dashboards: readonly GrafanaDashboard[]): k8s.VolumeMount[] {
  if (dashboards.length === 0) return [{ name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true }];
  return dashboardFolders(dashboards).map((folder) => ({ name: folderVolume(folder), mountPath: `${DASHBOARDS_DIR}/${folder}`, readOnly: true }));
}

/** Folder titles in the order their first dashboard was added. */
function dashboardFolders(dashboards: readonly GrafanaDashboard[]): string[] {
  return [...new Set(dashboards.map((d) => d.folder))];
}

/**
 * A dashboard's JSON as its ConfigMap holds it: keys sorted at every level, two-space indentation
 * and a final newline, so a change to one panel is a change to a few lines of `dist/` and the
 * YAML writer emits the file as a literal block (`|`) rather than one quoted line.
 */
export function dashboardJson(model: unknown): string {
  const sorted = (_key: string, value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, (value as Record<string, unknown>)[k]]),
        )
      : value;
  return `${JSON.stringify(model, sorted, 2)}\n`;
}

/** Grafana's provisioning expands `$__file{path}` to the file's content. */
export function secretFile(ref: { readonly secretName: string; readonly key: string }): string {
  return `$__file{${SECRETS_DIR}/datasources/${ref.secretName}/${ref.key}}`;
}

/** The volume of a dashboard folder: `dashboards-<folder in lowercase>`, a DNS label. */
export function folderVolume(folder: string): string {
  return `dashboards-${folder.toLowerCase().replace(/[ _]/g, '-')}`;
}

export function renderIni(rootUrl: string | undefined): string {
  const sections: Record<string, Record<string, string | number | boolean>> = {
    server: { http_port: GRAFANA_PORT, enable_gzip: true, ...(rootUrl ? { root_url: rootUrl } : {}) },
    analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
    security: { disable_gravatar: true, cookie_samesite: 'lax', disable_initial_admin_creation: false },
    users: { allow_sign_up: false, allow_org_create: false },
    'auth.anonymous': { enabled: false },
    log: { mode: 'console', level: 'info' },
    'log.console': { format: 'json' },
    // Grafana 12 installs a list of plugins from grafana.com at startup unless preinstall is
    // disabled (grafana/grafana pkg/setting/setting_plugins.go at commit 0a8a924c187b,
    // readPluginSettings: the
    // [plugins] keys `preinstall_disabled`, default false, and `preinstall_auto_update`, default
    // true; as environment variables GF_PLUGINS_PREINSTALL_DISABLED and
    // GF_PLUGINS_PREINSTALL_AUTO_UPDATE). The stack runs on the plugins the image ships.
    plugins: { plugin_admin_enabled: false, preinstall_disabled: true, preinstall_auto_update: false },
    // Provisioned dashboards are the source of truth; edits in the UI are refused.
    dashboards: { versions_to_keep: 20 },
  };
  return Object.entries(sections)
    .map(
      ([s, kv]) =>
        `[${s}]\n${Object.entries(kv)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
    )
    .join('\n');
}

export function renderProviders(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'dashboards-as-code',
        orgId: 1,
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: true },
      },
    ],
  };
}
