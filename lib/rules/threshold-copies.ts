/**
 * Finds literal copies of named thresholds in content: a number or a phrase that says the same as
 * a named value but would not follow it when the value changes. It reads source text, in the
 * places where a threshold is written:
 *
 * - PromQL comparisons (`> 0.05`, `>= 0.8`, `< 26 * 3600`) anywhere in the file;
 * - dashboard colour steps (`warnAt(0.01, 0.05)`, `warnBelow(...)`, `thresholds: [[null, ...], [1, ...]]`,
 *   `errorThresholds: [...]`), judged by the panel's unit (`percentunit` is a ratio, `s` seconds);
 * - SLO bounds (`thresholdSeconds: 0.1`, `boundSeconds: 1`, `objective: 99.9`);
 * - phrases in the text people read (`summary:` and `description:` strings, Markdown): "5%",
 *   "5 percent", "100 ms", "100ms", "1 second", "5 minutes", "14 days", "more than 1000".
 *
 * The values 0 and 1 are never reported: they are the ends of every ratio and count (a flag
 * `== 1`, "at 100% it is OOM-killed"), and a copy of one cannot be told from a coincidence.
 */
import { tidy } from '../core/units';

/** How a threshold is measured; decides which literals and phrases are its renderings. */
export type ThresholdUnit = 'ratio' | 'objective' | 'seconds' | 'percent' | 'count' | 'days';

export interface NamedThreshold {
  /** The name to use instead of the literal: `ERROR_RATE`. */
  readonly name: string;
  readonly value: number;
  readonly unit: ThresholdUnit;
}

export interface ThresholdCopy {
  readonly file: string;
  readonly line: number;
  /** Offset in the file, to order copies on one line. */
  readonly offset: number;
  /** The literal as written: `0.05`, `5%`, `100 ms`. */
  readonly literal: string;
  /** Named values it copies. */
  readonly names: readonly string[];
}

/**
 * The numbers a module exports, by their declared units. Pairs of dashboard steps are left out: a
 * step is either one of these numbers or a colour chosen for a panel, and a panel that picks the
 * same colour level is no copy of it.
 */
export function namedThresholds(module: Readonly<Record<string, unknown>>, units: Readonly<Record<string, ThresholdUnit>>): NamedThreshold[] {
  const out: NamedThreshold[] = [];
  for (const [name, unit] of Object.entries(units)) {
    const v = module[name];
    if (typeof v === 'number') out.push({ name, value: v, unit });
  }
  return out;
}

const NUMBER = String.raw`\d+(?:\.\d+)?(?:e-?\d+)?`;
/** A number, optionally multiplied by others (`26 * 3600`). */
const PRODUCT = String.raw`${NUMBER}(?:\s*\*\s*${NUMBER})*`;

function evaluate(product: string): number {
  return tidy(product.split('*').reduce((acc, f) => acc * Number(f.trim()), 1));
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function reportable(value: number): boolean {
  return value !== 0 && value !== 1;
}

/** Thresholds whose literal in a PromQL comparison or a step of the given unit would be `value`. */
function numericMatches(value: number, thresholds: readonly NamedThreshold[], unit: ThresholdUnit | 'any'): string[] {
  if (!reportable(value)) return [];
  return thresholds
    .filter((t) => {
      const rendered = t.unit === 'days' ? t.value * 86400 : t.value;
      if (unit === 'any') return t.unit !== 'objective' && tidy(rendered) === value;
      if (unit === 'seconds') return (t.unit === 'seconds' || t.unit === 'days') && tidy(rendered) === value;
      return t.unit === unit && t.value === value;
    })
    .map((t) => t.name);
}

function escape(n: number): string {
  return String(n).replace('.', '\\.');
}

/**
 * Durations that say how long an alert holds (`for 5 minutes`), looks back (`the last 5 minutes`),
 * which windows it compares (`both 1 hour and 5 minutes`) or how long another program retries
 * (`up to 5 minutes`): durations of the rule or the program, not a threshold.
 */
const HOLD = String.raw`(?<!\b(?:[Ff]or|last|every|both|and|up to|a break of)\s)`;

/** The phrases that write a threshold for people. */
function phrasePatterns(t: NamedThreshold): RegExp[] {
  const num = (n: number) => String.raw`(?<![\d.,])${escape(tidy(n))}(?![\d]|\.\d)`;
  switch (t.unit) {
    case 'ratio':
    case 'objective':
      return [new RegExp(String.raw`${num(t.value * 100)}\s?(?:%|percent\b)`, 'g')];
    case 'percent':
      return [new RegExp(String.raw`${num(t.value)}\s?(?:%|percent\b)`, 'g')];
    case 'seconds': {
      const p = [new RegExp(String.raw`${num(t.value * 1000)}\s?ms\b`, 'g'), new RegExp(String.raw`${HOLD}${num(t.value)}\s?(?:sec|seconds?)\b`, 'g')];
      if (t.value % 60 === 0) p.push(new RegExp(String.raw`${HOLD}${num(t.value / 60)}[\s-]?(?:min|minutes?)\b`, 'g'));
      if (t.value % 3600 === 0) p.push(new RegExp(String.raw`${HOLD}${num(t.value / 3600)}[\s-]?hours?\b`, 'g'));
      return p;
    }
    case 'days':
      return [new RegExp(String.raw`${HOLD}${num(t.value)}[\s-]?days?\b`, 'g')];
    case 'count':
      // Counts are too common in prose to be told apart by number alone: only after a comparison word, and not a percentage or a factor.
      return [new RegExp(String.raw`(?:more than|fewer than|less than|above|below|over|under|at least)\s+${num(t.value)}(?!\s?%|\s?percent|\s+times)`, 'g')];
  }
}

function phraseCopies(file: string, text: string, offset: number, whole: string, thresholds: readonly NamedThreshold[]): ThresholdCopy[] {
  const found = new Map<string, ThresholdCopy>();
  for (const t of thresholds) {
    if (!reportable(t.value)) continue;
    for (const re of phrasePatterns(t)) {
      for (const m of text.matchAll(re)) {
        const at = offset + m.index!;
        const key = `${at}\u0000${m[0]}`;
        const prev = found.get(key);
        found.set(key, { file, line: lineOf(whole, at), offset: at, literal: m[0], names: [...(prev?.names ?? []), t.name] });
      }
    }
  }
  return [...found.values()];
}

/** Every string literal after `key:` (single, double or backtick quoted), with its offset. */
function stringsAfterKeys(text: string, keys: readonly string[]): Array<{ value: string; offset: number }> {
  const out: Array<{ value: string; offset: number }> = [];
  const re = new RegExp(String.raw`\b(?:${keys.join('|')})\s*:\s*`, 'g');
  for (const m of text.matchAll(re)) {
    let i = m.index! + m[0].length;
    // A string, or strings joined with +.
    for (;;) {
      const q = text[i];
      if (q !== "'" && q !== '"' && q !== '`') break;
      let j = i + 1;
      while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
      out.push({ value: text.slice(i + 1, j), offset: i + 1 });
      i = j + 1;
      const plus = /^\s*\+\s*/.exec(text.slice(i));
      if (!plus) break;
      i += plus[0].length;
    }
  }
  return out;
}

const PANEL_OPENER = /\b(?:statPanel|timeSeries|gaugePanel|tablePanel|barGauge|heatmap|textPanel)\s*\(\s*\{/g;
const UNIT_KIND: Readonly<Record<string, ThresholdUnit>> = { percentunit: 'ratio', s: 'seconds', percent: 'percent' };

/** The unit of the panel a colour step at `index` belongs to. */
function panelUnit(text: string, index: number): ThresholdUnit {
  let start = 0;
  let next = text.length;
  for (const m of text.matchAll(PANEL_OPENER)) {
    if (m.index! < index) start = m.index!;
    else {
      next = m.index!;
      break;
    }
  }
  const unit = /\bunit:\s*'(\w+)'/.exec(text.slice(start, next));
  return unit ? (UNIT_KIND[unit[1]] ?? 'count') : 'count';
}

/** Every string literal of a source file that starts a line or follows `(`, `,`, `:`, `=` or `+`. */
function allStrings(text: string): Array<{ value: string; offset: number }> {
  const out: Array<{ value: string; offset: number }> = [];
  for (const m of text.matchAll(/(?:^|[(,:=+[])\s*(['"`])/gm)) {
    const q = m[1];
    const i = m.index! + m[0].length - 1;
    let j = i + 1;
    while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
    out.push({ value: text.slice(i + 1, j), offset: i + 1 });
  }
  return out;
}

export interface SourceScanOptions {
  /** Properties whose strings are prose people read. @default ['summary', 'description'] */
  readonly proseKeys?: readonly string[];
  /** Also read as prose every string literal that matches (help texts passed as arguments). @default - none */
  readonly proseMatching?: RegExp;
}

/**
 * Copies of thresholds in TypeScript content: PromQL comparisons, colour steps, SLO bounds, and
 * phrases in `summary` and `description` strings.
 */
export function findCopiesInSource(file: string, text: string, thresholds: readonly NamedThreshold[], opts: SourceScanOptions = {}): ThresholdCopy[] {
  const copies: ThresholdCopy[] = [];
  const add = (index: number, literal: string, names: string[]) =>
    names.length && copies.push({ file, line: lineOf(text, index), offset: index, literal, names });

  for (const m of text.matchAll(new RegExp(String.raw`(?<![=!<>])(?:[<>]=?|==|!=)(?!=)\s*(?:bool\s+)?(${PRODUCT})`, 'g'))) {
    add(m.index!, m[0], numericMatches(evaluate(m[1]), thresholds, 'any'));
  }
  for (const m of text.matchAll(/\b(warnAt|warnBelow)\(([^()]*)\)/g)) {
    const unit = panelUnit(text, m.index!);
    for (const arg of m[2].split(',')) {
      const a = arg.trim();
      if (new RegExp(`^${PRODUCT}$`).test(a)) add(m.index!, `${m[1]}(${m[2]})`, numericMatches(evaluate(a), thresholds, unit));
    }
  }
  for (const m of text.matchAll(/\bthresholds:\s*\[((?:\s*\[[^\]]*\],?)+)\s*\]/g)) {
    const unit = panelUnit(text, m.index!);
    for (const step of m[1].matchAll(new RegExp(String.raw`\[\s*(${PRODUCT})\s*,`, 'g')))
      add(m.index!, step[0], numericMatches(evaluate(step[1]), thresholds, unit));
  }
  for (const m of text.matchAll(new RegExp(String.raw`\b(error|latency)Thresholds:\s*\[\s*(${PRODUCT})\s*,\s*(${PRODUCT})\s*\]`, 'g'))) {
    const unit: ThresholdUnit = m[1] === 'error' ? 'ratio' : 'seconds';
    for (const v of [m[2], m[3]]) add(m.index!, m[0], numericMatches(evaluate(v), thresholds, unit));
  }
  for (const m of text.matchAll(new RegExp(String.raw`\b(?:thresholdSeconds|boundSeconds):\s*(${PRODUCT})`, 'g')))
    add(m.index!, m[0], numericMatches(evaluate(m[1]), thresholds, 'seconds'));
  for (const m of text.matchAll(new RegExp(String.raw`\bobjective:\s*(${NUMBER})\b`, 'g'))) {
    const ratio = tidy(Number(m[1]) / 100);
    add(
      m.index!,
      m[0],
      thresholds.filter((t) => t.unit === 'objective' && t.value === ratio).map((t) => t.name),
    );
  }
  for (const s of stringsAfterKeys(text, opts.proseKeys ?? ['summary', 'description'])) copies.push(...phraseCopies(file, s.value, s.offset, text, thresholds));
  if (opts.proseMatching)
    for (const s of allStrings(text).filter((x) => opts.proseMatching!.test(x.value))) copies.push(...phraseCopies(file, s.value, s.offset, text, thresholds));
  return dedupe(copies);
}

/**
 * Copies of thresholds in a Markdown document: every phrase, anywhere in it, except counts (a
 * runbook's "fewer than 20 shards per GiB" is advice, not a copy of a limit of 20 locks).
 */
export function findCopiesInMarkdown(file: string, text: string, thresholds: readonly NamedThreshold[]): ThresholdCopy[] {
  return dedupe(
    phraseCopies(
      file,
      text,
      0,
      text,
      thresholds.filter((t) => t.unit !== 'count'),
    ),
  );
}

function dedupe(copies: readonly ThresholdCopy[]): ThresholdCopy[] {
  const seen = new Map<string, ThresholdCopy>();
  for (const c of copies) {
    const key = `${c.offset}\u0000${c.literal}`;
    const prev = seen.get(key);
    seen.set(key, prev ? { ...prev, names: [...new Set([...prev.names, ...c.names])] } : c);
  }
  return [...seen.values()].sort((a, b) => a.offset - b.offset);
}

/** `alerts/services.ts:47: "0.05" copies ERROR_RATE or ORDER_EXECUTION_MEAN; use the name (alerts/thresholds.ts)`. */
export function formatCopy(c: ThresholdCopy, module: string): string {
  return `${c.file}:${c.line}: "${c.literal}" copies ${c.names.join(' or ')}; use the name from ${module}`;
}
