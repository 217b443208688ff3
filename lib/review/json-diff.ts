/**
 * Structural differences of two JSON values as JSON paths with old and new values:
 * `spec.template.spec.containers[name=prometheus].resources.requests.cpu: 500m → 1`. Lists of
 * named objects are matched by name, other lists by alignment, so that one inserted item is one
 * change and not a shift of every item after it.
 */
import { diffTokens } from './text-diff';

export interface PathChange {
  readonly path: string;
  /** Absent when the path was added. */
  readonly before?: unknown;
  /** Absent when the path was removed. */
  readonly after?: unknown;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b`, `a["b.c"]`: a key as a JSON path segment. */
export function keySegment(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The field that names the items of a list, when every item has a distinct one. */
function identityField(a: readonly Json[], b: readonly Json[]): string | undefined {
  for (const field of ['name', 'job_name', 'uid', 'refId']) {
    const ok = (list: readonly Json[]) => {
      const seen = new Set<string>();
      for (const x of list) {
        if (!isObject(x) || typeof x[field] !== 'string' || seen.has(x[field] as string)) return false;
        seen.add(x[field] as string);
      }
      return true;
    };
    if ((a.length || b.length) && ok(a) && ok(b)) return field;
  }
  return undefined;
}

export function diffJson(before: Json, after: Json, path = ''): PathChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const out: PathChange[] = [];
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const k of keys) {
      const p = keySegment(path, k);
      if (!(k in after)) out.push({ path: p, before: before[k] });
      else if (!(k in before)) out.push({ path: p, after: after[k] });
      else out.push(...diffJson(before[k], after[k], p));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffArrays(before, after, path);
  return [{ path: path || '(value)', before, after }];
}

function diffArrays(before: readonly Json[], after: readonly Json[], path: string): PathChange[] {
  const id = identityField(before, after);
  if (id) {
    const out: PathChange[] = [];
    const old = new Map(before.map((x) => [(x as Record<string, string>)[id], x]));
    const now = new Map(after.map((x) => [(x as Record<string, string>)[id], x]));
    const seg = (name: string) => `${path}[${id}=${name}]`;
    for (const [name, x] of old) if (!now.has(name)) out.push({ path: seg(name), before: x });
    for (const [name, x] of now) {
      const o = old.get(name);
      if (o === undefined) out.push({ path: seg(name), after: x });
      else out.push(...diffJson(o, x, seg(name)));
    }
    const order = (list: readonly Json[]) => list.map((x) => (x as Record<string, string>)[id]).filter((n) => old.has(n) && now.has(n));
    if (JSON.stringify(order(before)) !== JSON.stringify(order(after)))
      out.push({ path: `${path} (order of ${id}s)`, before: order(before), after: order(after) });
    return out;
  }
  // Align items by content; a removed item next to an added one is one item changed.
  const segs = diffTokens(
    before.map((x) => JSON.stringify(x) + '\u0000'),
    after.map((x) => JSON.stringify(x) + '\u0000'),
  );
  const out: PathChange[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k < segs.length; k++) {
    const items = (s: string) => s.split('\u0000').slice(0, -1);
    const s = segs[k];
    const n = items(s.text).length;
    if (s.op === 'equal') {
      i += n;
      j += n;
      continue;
    }
    if (s.op === 'delete' && segs[k + 1]?.op === 'insert') {
      const m = items(segs[k + 1].text).length;
      k++;
      for (let p = 0; p < Math.max(n, m); p++) {
        if (p < n && p < m) out.push(...diffJson(before[i + p], after[j + p], `${path}[${j + p}]`));
        else if (p < n) out.push({ path: `${path}[${i + p}]`, before: before[i + p] });
        else out.push({ path: `${path}[${j + p}]`, after: after[j + p] });
      }
      i += n;
      j += m;
      continue;
    }
    if (s.op === 'delete') {
      for (let p = 0; p < n; p++) out.push({ path: `${path}[${i + p}]`, before: before[i + p] });
      i += n;
    } else {
      for (let p = 0; p < n; p++) out.push({ path: `${path}[${j + p}]`, after: after[j + p] });
      j += n;
    }
  }
  return out;
}

/** A value in one line of at most `max` characters: strings as they are, the rest as JSON. */
export function formatValue(v: unknown, max = 80): string {
  if (v === undefined) return '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (typeof v === 'string' && s.includes('\n')) {
    const lines = s.split('\n');
    s = `${lines[0]}… (${lines.length} lines)`;
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Markdown inline code of a value, safe for backticks inside (and for pipes in a table cell). */
export function codeSpan(v: unknown, max = 80, inTable = false): string {
  const raw = formatValue(v, max);
  const s = inTable ? raw.replace(/\|/g, '\\|') : raw;
  if (s === '') return '';
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${s}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** One change as a Markdown list item: `path`: `old` → `new` (added / removed). */
export function formatChange(c: PathChange, max = 80): string {
  if (!('before' in c) || c.before === undefined) return `\`${c.path}\` added: ${codeSpan(c.after, max)}`;
  if (!('after' in c) || c.after === undefined) return `\`${c.path}\` removed (was ${codeSpan(c.before, max)})`;
  return `\`${c.path}\`: ${codeSpan(c.before, max)} → ${codeSpan(c.after, max)}`;
}
