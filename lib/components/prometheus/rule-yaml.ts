/**
 * Rule files as YAML text, byte for byte as `toYaml` (lib/core/k8s.ts, the `yaml` package with
 * `lineWidth: 0`) writes them, an order of magnitude faster: rule files are maps, lists of maps
 * and strings only, so most of the text is keys and plain scalars written directly. A scalar the
 * `yaml` package would quote or write as a block (`|-`), and anything that is not a non-empty map,
 * list of maps or string, is left to the package itself. test/rule-configmaps.test.ts compares
 * the two on every shipped rule file and on the scalars that need quoting.
 */
import { Document } from 'yaml';
import { toYaml } from '../../core/k8s';

/** The tags other than strings a plain scalar could be read as (null, booleans, numbers), as the `yaml` package tests them. */
const OTHER_TAGS = new Document().schema.tags.filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test);

/** What the `yaml` package never writes plain (stringifyString.js `plainString` and `stringifyString`). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// eslint-disable-next-line no-control-regex -- the characters the yaml package forces into double quotes
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** The same characters, surrogates paired or not: a quick test that spares most strings the slower one. */
// eslint-disable-next-line no-control-regex -- as above
const MAYBE_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\uD800-\uDFFF]/;
const hasControl = (s: string) => MAYBE_CONTROL.test(s) && CONTROL.test(s);
/** Keys written plain: label names, rule file names (`services.yaml`); at most 1024 characters, past which the package writes `? key`. */
const SIMPLE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,1023}$/;

/**
 * A one-line string without control characters, as the `yaml` package writes it as a value in a
 * nested block map: plain when it can be, else quoted (`quotedString`: single quotes when it holds
 * a double quote and no single one, double quotes otherwise, which for such a string are its JSON).
 */
function oneLine(s: string): string {
  if (s !== '' && !NOT_PLAIN.test(s) && !OTHER_TAGS.some((t) => t.test!.test(s))) return s;
  return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

/** Other scalars (several lines, control characters), as the package wrote them, by value: as a value of a map two levels deep, the first line after `k: `, the others indented from column 2. */
const WRITTEN = new Map<string, { first: string; rest: string[] }>();

/**
 * A string of several lines, without control characters, starting with neither space nor newline
 * and ending in a visible character or in one newline after one, as the package writes it
 * (`blockString` with lineWidth 0): a literal block that strips the missing final newline (`|-`)
 * or keeps the one there is (`|`), its lines two columns in from the key, empty lines left empty.
 */
function block(s: string, indent: string): string {
  const inner = `${indent}  `;
  const clip = s.endsWith('\n');
  const body = clip ? s.slice(0, -1) : s;
  return `|${clip ? '' : '-'}\n${inner}${body.replace(/\n+/g, (m) => m + inner)}`;
}

/** One-line scalars as written, by value, and blocks by depth and value: most strings recur across groups and environments. */
const ONE_LINE = new Map<string, string>();
const BLOCKS = new Map<string, string>();

function scalar(s: string, indent: string): string {
  const known = ONE_LINE.get(s);
  if (known !== undefined) return known;
  if (!hasControl(s)) {
    if (!s.includes('\n')) {
      const w = oneLine(s);
      ONE_LINE.set(s, w);
      return w;
    }
    if (/^\S/.test(s) && /\S\n?$/.test(s)) {
      const key = `${indent.length} ${s}`;
      let w = BLOCKS.get(key);
      if (w === undefined) BLOCKS.set(key, (w = block(s, indent)));
      return w;
    }
  }
  let w = WRITTEN.get(s);
  if (!w) {
    const [first, ...rest] = toYaml({ a: { k: s } })
      .replace(/\n$/, '')
      .slice('a:\n  k: '.length)
      .split('\n');
    WRITTEN.set(s, (w = { first, rest }));
  }
  return [w.first, ...w.rest.map((l) => (l === '' ? l : indent + l.slice(2)))].join('\n');
}

class NotSimple extends Error {}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function map(obj: Record<string, unknown>, indent: string, out: string[]): void {
  let any = false;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!SIMPLE_KEY.test(k) || OTHER_TAGS.some((t) => t.test!.test(k))) throw new NotSimple();
    any = true;
    if (typeof v === 'string') out.push(`${indent}${k}: ${scalar(v, indent)}\n`);
    else if (isMap(v)) {
      out.push(`${indent}${k}:\n`);
      map(v, `${indent}  `, out);
    } else if (Array.isArray(v) && v.length > 0) {
      out.push(`${indent}${k}:\n`);
      for (const item of v) listItem(item, `${indent}  `, out);
    } else throw new NotSimple();
  }
  if (!any) throw new NotSimple();
}

/** A map as an item of a block list: its first line after `- `, the others two columns in. */
function listItem(item: unknown, indent: string, out: string[]): void {
  if (!isMap(item)) throw new NotSimple();
  const start = out.length;
  map(item, `${indent}  `, out);
  out[start] = `${indent}- ${out[start].slice(indent.length + 2)}`;
}

/** `toYaml(value)`, written directly when the value is a non-empty map of strings, maps and lists of maps. */
export function ruleYaml(value: unknown): string {
  if (!isMap(value)) return toYaml(value);
  const out: string[] = [];
  try {
    map(value, '', out);
  } catch (e) {
    if (e instanceof NotSimple) return toYaml(value);
    throw e;
  }
  return out.join('');
}
