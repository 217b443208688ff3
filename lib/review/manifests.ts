/**
 * The synthesized output of one tree as a reviewer compares it: per environment, its Kubernetes
 * objects, and the content they carry (Prometheus rule files, Alertmanager configuration,
 * Grafana dashboards), recognised by shape rather than by name, so that output of older trees
 * reads the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [key: string]: unknown;
}

/** Environment name → its objects. */
export type Synthesized = ReadonlyMap<string, readonly Manifest[]>;

/** Reads `<dir>/<env>/*.yaml` for every environment folder; a missing folder is no environment. */
export function loadSynthesized(dir: string): Map<string, Manifest[]> {
  const out = new Map<string, Manifest[]>();
  if (!fs.existsSync(dir)) return out;
  for (const env of fs.readdirSync(dir).sort()) {
    const envDir = path.join(dir, env);
    if (env.startsWith('.') || !fs.statSync(envDir).isDirectory()) continue;
    const objects: Manifest[] = [];
    for (const f of fs.readdirSync(envDir).sort()) {
      if (!/\.ya?ml$/.test(f)) continue;
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(envDir, f), 'utf8'))) {
        const obj = doc.toJS() as Manifest | null;
        if (obj && typeof obj === 'object' && obj.kind) objects.push(obj);
      }
    }
    out.set(env, objects);
  }
  return out;
}

/** `ConfigMap monitoring/prometheus-rules`. */
export function objectKey(o: Manifest): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** A data value parsed as JSON or YAML, or undefined when it is neither (or a bare scalar). */
export function parseData(text: string): unknown {
  const t = text.trimStart();
  try {
    if (t.startsWith('{') || t.startsWith('[')) return JSON.parse(text);
  } catch {
    // not JSON: try YAML
  }
  try {
    const v = parse(text) as unknown;
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

export type DataKind = 'rules' | 'dashboard' | 'alertmanager' | 'structured' | 'text';

/** What a ConfigMap value holds. */
export function dataKind(value: unknown): DataKind {
  if (typeof value !== 'object' || value === null) return 'text';
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.groups) && v.groups.every((g) => typeof g === 'object' && g !== null && Array.isArray((g as { rules?: unknown }).rules))) return 'rules';
  if (typeof v.uid === 'string' && Array.isArray(v.panels)) return 'dashboard';
  if (typeof v.route === 'object' && v.route !== null && Array.isArray(v.receivers)) return 'alertmanager';
  return 'structured';
}

export interface DataEntry {
  readonly object: string;
  readonly key: string;
  readonly text: string;
  readonly parsed: unknown;
  readonly kind: DataKind;
}

const parsedData = new WeakMap<Manifest, DataEntry[]>();

/** Every value of every ConfigMap, parsed (once per object). */
export function configData(objects: readonly Manifest[]): DataEntry[] {
  const out: DataEntry[] = [];
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    let entries = parsedData.get(o);
    if (!entries) {
      const data = (o.data ?? {}) as Record<string, string>;
      entries = Object.keys(data)
        .sort()
        .map((key) => {
          const text = String(data[key]);
          const parsed = parseData(text);
          return { object: objectKey(o), key, text, parsed, kind: dataKind(parsed) };
        });
      parsedData.set(o, entries);
    }
    out.push(...entries);
  }
  return out;
}

export interface RawRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleFile {
  /** The ConfigMap key: `services.yaml`. */
  readonly file: string;
  readonly groups: ReadonlyArray<{ readonly name: string; readonly interval?: string; readonly rules: readonly RawRule[] }>;
}

export function ruleFilesOf(objects: readonly Manifest[]): RuleFile[] {
  return configData(objects)
    .filter((d) => d.kind === 'rules')
    .map((d) => ({ file: d.key, groups: (d.parsed as RuleFile).groups }));
}

export interface AlertmanagerConfig {
  readonly route: AmRoute;
  readonly receivers: ReadonlyArray<{ readonly name: string; readonly [k: string]: unknown }>;
  readonly inhibit_rules?: ReadonlyArray<Record<string, unknown>>;
  readonly [k: string]: unknown;
}

export interface AmRoute {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly continue?: boolean;
  readonly routes?: readonly AmRoute[];
  readonly [k: string]: unknown;
}

/** The environment's Alertmanager configuration, if it has one. */
export function alertmanagerConfigOf(objects: readonly Manifest[]): AlertmanagerConfig | undefined {
  return configData(objects).find((d) => d.kind === 'alertmanager')?.parsed as AlertmanagerConfig | undefined;
}

export interface DashboardJson {
  readonly uid: string;
  readonly title?: string;
  readonly panels: ReadonlyArray<Record<string, unknown>>;
  readonly [k: string]: unknown;
}

/** uid → dashboard, for every dashboard a ConfigMap provisions. */
export function dashboardsOf(objects: readonly Manifest[]): Map<string, DashboardJson> {
  const out = new Map<string, DashboardJson>();
  for (const d of configData(objects)) if (d.kind === 'dashboard') out.set((d.parsed as DashboardJson).uid, d.parsed as DashboardJson);
  return out;
}
