/**
 * What changed in one environment's Kubernetes objects: objects added and removed, and per changed
 * object its fields as JSON paths with old → new values. A ConfigMap is read by key: rule files,
 * dashboards and the Alertmanager configuration are summarised (their sections of the report show
 * the detail), other YAML or JSON values are compared field by field, plain text line by line.
 */
import { PathChange, diffJson, formatChange, keySegment } from './json-diff';
import { lineDiff } from './text-diff';
import { DataEntry, Manifest, configData, dataKind, objectKey, parseData } from './manifests';
import { snapshotRules, diffRules } from './rule-diff';

export interface ObjectChange {
  readonly object: string;
  readonly lines: readonly string[];
}

export interface ObjectsDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ObjectChange[];
  readonly unchanged: number;
}

/** Most changed paths listed per object before the rest is counted. */
const MAX_PATHS = 20;

function ruleSummary(before: string, after: string): string {
  const parse = (t: string) => {
    const v = parseData(t) as { groups?: [] } | undefined;
    return dataKind(v) === 'rules' ? snapshotRules([{ file: '', groups: (v as { groups: [] }).groups }]) : [];
  };
  const d = diffRules(parse(before), parse(after));
  const names = (list: ReadonlyArray<{ name: string }>) => [...new Set(list.map((r) => r.name))];
  const parts = [
    d.added.length ? `${d.added.length} added (${names(d.added).join(', ')})` : '',
    d.removed.length ? `${d.removed.length} removed (${names(d.removed).join(', ')})` : '',
    d.changed.length ? `${d.changed.length} changed (${names(d.changed.map((c) => c.after)).join(', ')})` : '',
  ].filter(Boolean);
  return `rules: ${parts.join(', ') || 'reformatted only'}; see Alerts and rules`;
}

function truncateList(names: string[], max = 8): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** One ConfigMap value changed, summarised by what it holds. */
function dataChange(path: string, b: DataEntry | undefined, a: DataEntry | undefined): string[] {
  if (!b) return [`- \`${path}\` added (${a!.kind === 'text' ? `${a!.text.split('\n').length} lines` : a!.kind})`];
  if (!a) return [`- \`${path}\` removed (was ${b.kind === 'text' ? `${b.text.split('\n').length} lines` : b.kind})`];
  const kind = a.kind === b.kind ? a.kind : 'text';
  if (kind === 'rules') return [`- \`${path}\`: ${ruleSummary(b.text, a.text)}`];
  if (kind === 'dashboard') return [`- \`${path}\`: dashboard \`${(a.parsed as { uid: string }).uid}\` changed; see Dashboards`];
  if (kind === 'alertmanager') return [`- \`${path}\`: Alertmanager configuration changed; see Routing`];
  if (kind === 'structured') {
    const changes = diffJson(b.parsed, a.parsed, path);
    return changes.length ? listPaths(changes) : [`- \`${path}\`: reformatted (same content)`];
  }
  const diff = lineDiff(b.text.replace(/\n$/, ''), a.text.replace(/\n$/, ''), 2);
  const shown = diff.slice(0, 30);
  const plus = diff.filter((l) => l.startsWith('+ ')).length;
  const minus = diff.filter((l) => l.startsWith('- ')).length;
  return [
    `- \`${path}\`: ${plus} line(s) added, ${minus} removed`,
    '',
    '  ```diff',
    ...shown.map((l) => `  ${l}`),
    ...(diff.length > shown.length ? ['  …'] : []),
    '  ```',
    '',
  ];
}

function listPaths(changes: readonly PathChange[]): string[] {
  const shown = changes.slice(0, MAX_PATHS).map((c) => `- ${formatChange(c)}`);
  if (changes.length > MAX_PATHS) shown.push(`- … and ${changes.length - MAX_PATHS} more changed paths`);
  return shown;
}

export function diffObject(b: Manifest, a: Manifest): string[] {
  if (a.kind !== 'ConfigMap') return listPaths(diffJson(b, a));
  const { data: db, ...restB } = b;
  const { data: da, ...restA } = a;
  const lines = listPaths(diffJson(restB, restA));
  const eb = new Map(configData([b]).map((d) => [d.key, d]));
  const ea = new Map(configData([a]).map((d) => [d.key, d]));
  for (const key of [...new Set([...eb.keys(), ...ea.keys()])]) {
    const x = eb.get(key);
    const y = ea.get(key);
    if (x && y && x.text === y.text) continue;
    lines.push(...dataChange(keySegment('data', key), x, y));
  }
  return lines;
}

export function diffObjects(before: readonly Manifest[], after: readonly Manifest[]): ObjectsDiff {
  const ob = new Map(before.map((o) => [objectKey(o), o]));
  const oa = new Map(after.map((o) => [objectKey(o), o]));
  const changed: ObjectChange[] = [];
  let unchanged = 0;
  for (const [k, a] of oa) {
    const b = ob.get(k);
    if (!b) continue;
    if (JSON.stringify(b) === JSON.stringify(a)) {
      unchanged++;
      continue;
    }
    const lines = diffObject(b, a);
    if (lines.length) changed.push({ object: k, lines });
    else unchanged++;
  }
  return { added: [...oa.keys()].filter((k) => !ob.has(k)), removed: [...ob.keys()].filter((k) => !oa.has(k)), changed, unchanged };
}

export function objectsChangeCount(d: ObjectsDiff): number {
  return d.added.length + d.removed.length + d.changed.length;
}

export function renderObjects(d: ObjectsDiff): string[] {
  const lines: string[] = [];
  const listed = (keys: readonly string[]) =>
    truncateList(
      keys.map((k) => `\`${k}\``),
      40,
    );
  if (d.added.length) lines.push(`Added: ${listed(d.added)}`, '');
  if (d.removed.length) lines.push(`Removed: ${listed(d.removed)}`, '');
  for (const c of d.changed) lines.push(`**${c.object}**`, '', ...c.lines, '');
  return lines;
}
