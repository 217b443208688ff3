/**
 * The working tree's synthesized objects built in memory, and edits of them as a change to the
 * content would make them: a rule, a dashboard panel, any object field. For the review tests.
 */
import { parse, stringify } from 'yaml';
import { Manifest } from '../../lib/review/manifests';
import { inApplyOrder, KubeObject } from '../../lib/synth';
import { buildStack, profileFor } from '../../stacks/environments';

const built = new Map<string, Manifest[]>();

/** The objects `npm run synth` writes for one environment, built once per test file. */
export function synthesized(env: string): Manifest[] {
  if (!built.has(env)) built.set(env, JSON.parse(JSON.stringify(inApplyOrder(buildStack(profileFor(env)).toJson() as KubeObject[]))) as Manifest[]);
  return structuredClone(built.get(env)!);
}

export function sides(envs: readonly string[]): { before: Map<string, Manifest[]>; after: Map<string, Manifest[]> } {
  return { before: new Map(envs.map((e) => [e, synthesized(e)])), after: new Map(envs.map((e) => [e, synthesized(e)])) };
}

type Rule = { alert?: string; record?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };

/** Edits the rule named `name` (alert or record; the first one when several share the record) in place. */
export function editRule(objects: Manifest[], name: string, edit: (r: Rule) => void): void {
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const data = o.data as Record<string, string>;
    for (const key of Object.keys(data)) {
      if (!data[key].includes(name)) continue;
      const file = parse(data[key]) as { groups?: Array<{ rules: Rule[] }> };
      const rule = file.groups?.flatMap((g) => g.rules).find((r) => r.alert === name || r.record === name);
      if (!rule) continue;
      edit(rule);
      data[key] = stringify(file, { lineWidth: 0 });
      return;
    }
  }
  throw new Error(`no rule ${name}`);
}

export type Panel = { title?: string; type?: string; id?: number; gridPos: { x: number; y: number; w: number; h: number }; [k: string]: unknown };
export type Dashboard = { uid: string; title: string; panels: Panel[]; [k: string]: unknown };

export function editDashboard(objects: Manifest[], uid: string, edit: (d: Dashboard) => void): void {
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const data = o.data as Record<string, string>;
    for (const key of Object.keys(data)) {
      if (!data[key].startsWith('{')) continue;
      const d = JSON.parse(data[key]) as Dashboard;
      if (d.uid !== uid) continue;
      edit(d);
      data[key] = JSON.stringify(d);
      return;
    }
  }
  throw new Error(`no dashboard ${uid}`);
}

export function objectOf(objects: Manifest[], kind: string, name: string): Record<string, any> {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o as Record<string, any>;
}

/** The ConfigMap value holding the Alertmanager configuration, edited as YAML. */
export function editAlertmanager(objects: Manifest[], edit: (c: Record<string, any>) => void): void {
  const cm = objectOf(objects, 'ConfigMap', 'alertmanager-config');
  const key = Object.keys(cm.data).find((k) => /alertmanager\.ya?ml$/.test(k))!;
  const config = parse(cm.data[key]) as Record<string, any>;
  edit(config);
  cm.data[key] = stringify(config, { lineWidth: 0 });
}
