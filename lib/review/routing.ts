/**
 * What changed in an environment's Alertmanager configuration: the routing tree (each route known
 * by the matchers leading to it: receiver, grouping, group_wait, group_interval, repeat_interval,
 * continue, and the order of siblings, since the first match wins), receivers, inhibition rules and
 * the rest of the file; and, as the sum of it all, the alerts that now reach other receivers.
 */
import { receiversFor } from '../rules/routes';
import { PathChange, diffJson, formatChange } from './json-diff';
import { AlertmanagerConfig, AmRoute } from './manifests';

/** Receivers of an alert with these labels, with their kinds: `oncall-pager (opsgenie)`. */
export function routeOf(config: AlertmanagerConfig | undefined, labels: Readonly<Record<string, string>>): string {
  if (!config) return '';
  const kinds = new Map(config.receivers.map((r) => [r.name, receiverKind(r)]));
  try {
    return receiversFor(config, labels)
      .map((r) => `${r} (${kinds.get(r) ?? 'unknown'})`)
      .join(', ');
  } catch (err) {
    return `(unroutable: ${err instanceof Error ? err.message : String(err)})`;
  }
}

/** `slack`, `opsgenie`, `webhook`, or `null` for a receiver that drops what it gets. */
export function receiverKind(r: Readonly<Record<string, unknown>>): string {
  const kinds = Object.keys(r)
    .filter((k) => k.endsWith('_configs') && Array.isArray(r[k]) && (r[k] as unknown[]).length > 0)
    .map((k) => k.replace(/_configs$/, ''));
  return kinds.length ? kinds.join('+') : 'null';
}

interface FlatRoute {
  readonly key: string;
  readonly route: Record<string, unknown>;
  readonly parent: string;
}

function flatten(route: AmRoute, parent = '', out: FlatRoute[] = []): FlatRoute[] {
  const matchers = (route.matchers ?? []).join(', ');
  let key = parent === '' ? 'root' : `${parent} › ${matchers || '(every alert)'}`;
  while (out.some((r) => r.key === key)) key += ' (again)';
  const { routes, ...own } = route;
  out.push({ key, route: own, parent });
  for (const child of routes ?? []) flatten(child, key, out);
  return out;
}

export interface RoutingDiff {
  readonly routes: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: ReadonlyArray<{ route: string; changes: readonly PathChange[] }>;
    readonly reordered: ReadonlyArray<{ parent: string; before: string[]; after: string[] }>;
  };
  readonly receivers: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: ReadonlyArray<{ receiver: string; changes: readonly PathChange[] }>;
  };
  readonly inhibitions: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly other: readonly PathChange[];
}

function inhibitionText(r: Readonly<Record<string, unknown>>): string {
  const list = (k: string) => ((r[k] as string[] | undefined) ?? []).join(', ');
  return `${list('source_matchers') || '(any)'} mutes ${list('target_matchers') || '(any)'}${r.equal ? ` when equal on ${list('equal')}` : ''}`;
}

export function diffRouting(before: AlertmanagerConfig | undefined, after: AlertmanagerConfig | undefined): RoutingDiff {
  const empty: AlertmanagerConfig = { route: {}, receivers: [] };
  const b = before ?? empty;
  const a = after ?? empty;
  const fb = before ? flatten(b.route) : [];
  const fa = after ? flatten(a.route) : [];
  const ob = new Map(fb.map((r) => [r.key, r]));
  const oa = new Map(fa.map((r) => [r.key, r]));
  const changed = fa.flatMap((r) => {
    const o = ob.get(r.key);
    if (!o) return [];
    const changes = diffJson(o.route, r.route);
    return changes.length ? [{ route: r.key, changes }] : [];
  });
  const reordered: Array<{ parent: string; before: string[]; after: string[] }> = [];
  for (const p of new Set(fa.map((r) => r.parent))) {
    const kids = (list: readonly FlatRoute[]) => list.filter((r) => r.parent === p && ob.has(r.key) && oa.has(r.key)).map((r) => r.key);
    const x = kids(fb);
    const y = kids(fa);
    if (x.join('\n') !== y.join('\n')) reordered.push({ parent: p, before: x, after: y });
  }
  const rb = new Map(b.receivers.map((r) => [r.name, r]));
  const ra = new Map(a.receivers.map((r) => [r.name, r]));
  const ib = (b.inhibit_rules ?? []).map(inhibitionText);
  const ia = (a.inhibit_rules ?? []).map(inhibitionText);
  const { route: _r1, receivers: _v1, inhibit_rules: _i1, ...restB } = b;
  const { route: _r2, receivers: _v2, inhibit_rules: _i2, ...restA } = a;
  return {
    routes: { added: fa.filter((r) => !ob.has(r.key)).map((r) => r.key), removed: fb.filter((r) => !oa.has(r.key)).map((r) => r.key), changed, reordered },
    receivers: {
      added: [...ra.keys()].filter((k) => !rb.has(k)),
      removed: [...rb.keys()].filter((k) => !ra.has(k)),
      changed: [...ra].flatMap(([name, r]) => {
        const o = rb.get(name);
        const changes = o ? diffJson(o, r) : [];
        return changes.length ? [{ receiver: name, changes }] : [];
      }),
    },
    inhibitions: { added: ia.filter((x) => !ib.includes(x)), removed: ib.filter((x) => !ia.includes(x)) },
    other: diffJson(restB, restA),
  };
}

export function routingChangeCount(d: RoutingDiff): number {
  return (
    d.routes.added.length +
    d.routes.removed.length +
    d.routes.changed.length +
    d.routes.reordered.length +
    d.receivers.added.length +
    d.receivers.removed.length +
    d.receivers.changed.length +
    d.inhibitions.added.length +
    d.inhibitions.removed.length +
    d.other.length
  );
}

/** Markdown lines of one environment's routing changes (none when nothing changed). */
export function renderRouting(d: RoutingDiff, receivers?: AlertmanagerConfig): string[] {
  const lines: string[] = [];
  const kind = (name: string) => {
    const r = receivers?.receivers.find((x) => x.name === name);
    return r ? ` (${receiverKind(r)})` : '';
  };
  for (const r of d.routes.added) lines.push(`- route added: \`${r}\``);
  for (const r of d.routes.removed) lines.push(`- route removed: \`${r}\``);
  for (const c of d.routes.changed) for (const ch of c.changes) lines.push(`- route \`${c.route}\`: ${formatChange(ch)}`);
  for (const o of d.routes.reordered)
    lines.push(
      `- routes under \`${o.parent}\` reordered (first match wins): ${o.before.map((k) => `\`${k.split(' › ').pop()}\``).join(', ')} → ${o.after.map((k) => `\`${k.split(' › ').pop()}\``).join(', ')}`,
    );
  for (const r of d.receivers.added) lines.push(`- receiver added: \`${r}\`${kind(r)}`);
  for (const r of d.receivers.removed) lines.push(`- receiver removed: \`${r}\``);
  for (const c of d.receivers.changed) for (const ch of c.changes) lines.push(`- receiver \`${c.receiver}\`: ${formatChange(ch)}`);
  for (const i of d.inhibitions.added) lines.push(`- inhibition added: \`${i}\``);
  for (const i of d.inhibitions.removed) lines.push(`- inhibition removed: \`${i}\``);
  for (const ch of d.other) lines.push(`- ${formatChange(ch)}`);
  return lines;
}
