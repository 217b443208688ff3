/**
 * Token and line differences for a reviewer: an expression change shown as the tokens that moved
 * (`rate(x[~~5m~~**1m**])`), a multi-line expression as `-`/`+` line pairs with the changed
 * tokens marked underneath, a long description with its unchanged stretches elided.
 */

export type Op = 'equal' | 'delete' | 'insert';

export interface Segment {
  readonly op: Op;
  readonly text: string;
}

/** PromQL-sized tokens: names, numbers and durations whole, every other character alone. */
export function codeTokens(s: string): string[] {
  return s.match(/[A-Za-z0-9_:.]+|\s+|[^A-Za-z0-9_:.\s]/g) ?? [];
}

/** Prose tokens: words with their punctuation, and the spaces between them. */
export function wordTokens(s: string): string[] {
  return s.match(/\S+|\s+/g) ?? [];
}

/** Longest common subsequence edit script of two token lists (common prefix and suffix trimmed first). */
export function diffTokens(a: readonly string[], b: readonly string[]): Segment[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const ops: Array<{ op: Op; text: string }> = a.slice(0, pre).map((t) => ({ op: 'equal' as Op, text: t }));
  if (x.length * y.length > 4_000_000) {
    // Too large to align token by token: one replacement of the differing middle.
    ops.push(...x.map((t) => ({ op: 'delete' as Op, text: t })), ...y.map((t) => ({ op: 'insert' as Op, text: t })));
  } else {
    const n = x.length;
    const m = y.length;
    const len: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) len[i][j] = x[i] === y[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) {
        ops.push({ op: 'equal', text: x[i++] });
        j++;
      } else if (j < m && (i === n || len[i][j + 1] >= len[i + 1][j])) ops.push({ op: 'insert', text: y[j++] });
      else ops.push({ op: 'delete', text: x[i++] });
    }
  }
  ops.push(...a.slice(a.length - suf).map((t) => ({ op: 'equal' as Op, text: t })));
  return merge(cleanup(merge(ops)));
}

/** Joins neighbouring segments of the same kind; deletions before insertions within a change. */
function merge(ops: ReadonlyArray<Segment>): Segment[] {
  const out: Segment[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === 'equal') {
      let text = '';
      while (k < ops.length && ops[k].op === 'equal') text += ops[k++].text;
      out.push({ op: 'equal', text });
      continue;
    }
    let del = '';
    let ins = '';
    while (k < ops.length && ops[k].op !== 'equal') {
      if (ops[k].op === 'delete') del += ops[k].text;
      else ins += ops[k].text;
      k++;
    }
    if (del) out.push({ op: 'delete', text: del });
    if (ins) out.push({ op: 'insert', text: ins });
  }
  return out;
}

/** A lone space or bracket between two changes belongs to the change: one mark instead of two. */
function cleanup(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k];
    const between = s.op === 'equal' && k > 0 && k < segs.length - 1 && out.length > 0 && out[out.length - 1].op !== 'equal' && segs[k + 1].op !== 'equal';
    if (between && (s.text.trim() === '' || s.text.length <= 1)) {
      out.push({ op: 'delete', text: s.text }, { op: 'insert', text: s.text });
      continue;
    }
    out.push(s);
  }
  return out;
}

export function isChanged(segs: readonly Segment[]): boolean {
  return segs.some((s) => s.op !== 'equal');
}

const ALNUM = /[A-Za-z0-9]/;

/** Escapes what Markdown would otherwise read as emphasis, code, math, HTML or a table cell edge. */
export function escapeMarkdown(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '_') {
      // Inside a word an underscore is literal in GitHub Markdown; at a word's edge it may open emphasis.
      out += ALNUM.test(s[i - 1] ?? '') && ALNUM.test(s[i + 1] ?? '') ? c : '\\_';
    } else if (c === '$') {
      // GitHub reads `$…$` as math only when the closing dollar follows a non-space: escape those.
      out += i > 0 && s[i - 1].trim() !== '' ? '\\$' : c;
    } else if ('\\`*~<|'.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/**
 * Inline Markdown of a change: removed text struck through, added text in bold. Where Markdown
 * would not read `~~`/`**` as a mark (between a letter and punctuation), `<del>`/`<ins>` instead.
 */
export function inlineMarkdown(segs: readonly Segment[]): string {
  const parts = segs.map((s) => ({ ...s }));
  let out = '';
  for (let k = 0; k < parts.length; k++) {
    const s = parts[k];
    if (s.op === 'equal') {
      out += escapeMarkdown(s.text);
      continue;
    }
    const mark = s.op === 'delete' ? '~~' : '**';
    const lead = /^\s*/.exec(s.text)![0];
    const trail = s.text.length > lead.length ? /\s*$/.exec(s.text)![0] : '';
    const core = s.text.slice(lead.length, s.text.length - trail.length);
    if (core === '') {
      // A change of spaces only: shown as a visible marker.
      out += `${mark}␣${mark}`;
      continue;
    }
    const prev = lead === '' ? out.slice(-1) : ' ';
    // The character after the mark: the next text, or the opening of the next mark.
    const nextText = parts[k + 1] === undefined ? '' : parts[k + 1].op === 'equal' ? parts[k + 1].text : '*';
    const next = trail === '' ? nextText.slice(0, 1) : ' ';
    const punct = (c: string) => c !== '' && !ALNUM.test(c) && c.trim() !== '';
    const word = (c: string) => c !== '' && ALNUM.test(c);
    if ((word(prev) && punct(core[0])) || (punct(core[core.length - 1]) && word(next))) {
      // Markdown would not take `**`/`~~` here for a mark: an HTML tag has no such rule.
      const tag = s.op === 'delete' ? 'del' : 'ins';
      out += `${lead}<${tag}>${escapeMarkdown(core)}</${tag}>${trail}`;
      continue;
    }
    out += `${lead}${mark}${escapeMarkdown(core)}${mark}${trail}`;
  }
  return out;
}

/**
 * Inline Markdown of a prose change. In a text longer than `longer` words, unchanged stretches
 * are elided to `context` words on each side of a change.
 */
export function inlineProse(before: string, after: string, context = 10, longer = 60): string {
  const segs = diffTokens(wordTokens(before), wordTokens(after));
  if (wordTokens(after).length <= longer * 2) return inlineMarkdown(segs);
  const trimmed: Segment[] = segs.map((s, k) => {
    if (s.op !== 'equal') return s;
    const words = wordTokens(s.text);
    const keep = context * 2;
    const first = k === 0;
    const last = k === segs.length - 1;
    if (first && words.length > keep) return { op: 'equal', text: `… ${words.slice(-keep).join('')}` };
    if (last && words.length > keep) return { op: 'equal', text: `${words.slice(0, keep).join('')} …` };
    if (!first && !last && words.length > keep * 2 + 2) return { op: 'equal', text: `${words.slice(0, keep).join('')} … ${words.slice(-keep).join('')}` };
    return s;
  });
  return inlineMarkdown(trimmed);
}

/** Inline Markdown of a one-line expression change, every token shown. */
export function inlineCode(before: string, after: string): string {
  return inlineMarkdown(diffTokens(codeTokens(before), codeTokens(after)));
}

/**
 * A line-level diff for multi-line text, as the lines of a ```diff block: unchanged lines with two
 * spaces, a changed line as a `-`/`+` pair, each followed by a line of carets under the tokens
 * that changed. Unchanged lines further than `context` from a change are elided (all kept when
 * `context` is undefined).
 */
export function lineDiff(before: string, after: string, context?: number): string[] {
  const a = before.split('\n').map((l) => l.trimEnd());
  const b = after.split('\n').map((l) => l.trimEnd());
  const segs = diffTokens(
    a.map((l) => `${l}\n`),
    b.map((l) => `${l}\n`),
  );
  const rows: Array<{ kind: ' ' | '-' | '+' | '^'; text: string }> = [];
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k];
    const lines = s.text.replace(/\n$/, '').split('\n');
    if (s.op === 'equal') {
      rows.push(...lines.map((text) => ({ kind: ' ' as const, text })));
      continue;
    }
    if (s.op === 'delete' && segs[k + 1]?.op === 'insert') {
      const added = segs[k + 1].text.replace(/\n$/, '').split('\n');
      k++;
      // Each removed line is paired with the most similar added line after the last pair (at
      // least half its tokens in common); lines left unpaired are whole lines removed or added.
      let next = 0;
      for (const o of lines) {
        let best = -1;
        let score = 0.5;
        for (let q = next; q < added.length; q++) {
          const sim = similarity(o, added[q]);
          if (sim >= score) {
            best = q;
            score = sim;
            if (sim === 1) break;
          }
        }
        if (best < 0) {
          rows.push({ kind: '-', text: o });
          continue;
        }
        for (; next < best; next++) rows.push({ kind: '+', text: added[next] });
        const n = added[next++];
        const t = diffTokens(codeTokens(o), codeTokens(n));
        rows.push({ kind: '-', text: o }, { kind: '^', text: carets(t, 'delete') }, { kind: '+', text: n }, { kind: '^', text: carets(t, 'insert') });
      }
      for (; next < added.length; next++) rows.push({ kind: '+', text: added[next] });
      for (let r = rows.length - 1; r >= 0; r--) if (rows[r].kind === '^' && rows[r].text.trim() === '') rows.splice(r, 1);
      continue;
    }
    rows.push(...lines.map((text) => ({ kind: s.op === 'delete' ? ('-' as const) : ('+' as const), text })));
  }
  const show = rows.map(() => context === undefined);
  if (context !== undefined) {
    rows.forEach((r, i) => {
      if (r.kind === ' ') return;
      for (let d = Math.max(0, i - context); d <= Math.min(rows.length - 1, i + context); d++) show[d] = true;
    });
  }
  const out: string[] = [];
  let skipped = false;
  rows.forEach((r, i) => {
    if (!show[i]) {
      if (!skipped) out.push('  …');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(r.kind === '^' ? `  ${r.text}` : `${r.kind} ${r.text}`);
  });
  return out;
}

/** Share of the tokens (spaces aside) two lines have in common, 0 to 1. */
function similarity(a: string, b: string): number {
  const ta = codeTokens(a).filter((t) => t.trim() !== '');
  const tb = codeTokens(b).filter((t) => t.trim() !== '');
  if (!ta.length && !tb.length) return 1;
  const common = diffTokens(ta, tb)
    .filter((x) => x.op === 'equal')
    .reduce((n, x) => n + codeTokens(x.text).filter((t) => t.trim() !== '').length, 0);
  return (2 * common) / (ta.length + tb.length);
}

/** A line of carets under the tokens of one side of a changed line. */
function carets(segs: readonly Segment[], side: 'delete' | 'insert'): string {
  let line = '';
  for (const s of segs) {
    if (s.op === 'equal') line += ' '.repeat(s.text.length);
    else if (s.op === side) line += s.text.trim() === '' ? '^'.repeat(s.text.length) : s.text.replace(/\S/g, '^').replace(/\s/g, ' ');
  }
  return line.trimEnd();
}

/** A change of one expression as Markdown: inline for one line, a ```diff block for several. */
export function expressionChange(before: string, after: string): string {
  const b = before.trim();
  const a = after.trim();
  if (!b.includes('\n') && !a.includes('\n')) return inlineCode(b, a);
  return ['', '```diff', ...lineDiff(b, a), '```'].join('\n');
}

/** The same expression modulo spacing. */
export function sameExpression(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}
