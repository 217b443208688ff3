/**
 * The Prometheus text exposition format (version 0.0.4), as a program serves it on `/metrics`:
 * `# TYPE` lines give each family its type, sample lines give its series and their label names.
 * A histogram's `_bucket`, `_sum` and `_count` samples (a summary's `_sum` and `_count`) belong to
 * their family; `le` and `quantile` are the format's own labels, not the family's.
 */

export interface ExposedFamily {
  readonly name: string;
  /** From the `# TYPE` line; `untyped` when the family has none. */
  readonly type: string;
  /** Label names seen on at least one sample of the family. */
  readonly labels: Set<string>;
  /** Samples of the family. */
  samples: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\S+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

/** Label names and values of a `{a="1",b="x\"y"}` block. */
export function parseLabels(block: string, line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inner = block.slice(1, -1);
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < inner.length) {
    const at = LABEL.lastIndex;
    const m = LABEL.exec(inner);
    if (!m) {
      if (inner.slice(at).trim() === '') break;
      throw new Error(`cannot parse the labels of exposition line: ${line}`);
    }
    out[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return out;
}

/** Families by name. Throws on a line that is not valid text exposition. */
export function parseExposition(text: string): Map<string, ExposedFamily> {
  const families = new Map<string, ExposedFamily>();
  const typed = new Map<string, string>();
  const family = (name: string): ExposedFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: typed.get(name) ?? 'untyped', labels: new Set(), samples: 0 };
      families.set(name, f);
    }
    return f;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const t = /^#\s+TYPE\s+(\S+)\s+(\S+)$/.exec(line);
      if (t) {
        typed.set(t[1], t[2]);
        family(t[1]);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a text exposition sample line: ${line}`);
    const [, series, block] = m;
    // A sample belongs to the histogram or summary family its suffix points at, when one is typed.
    const base = series.replace(/_(bucket|sum|count)$/, '');
    const owner = base !== series && (typed.get(base) === 'histogram' || typed.get(base) === 'summary') ? base : series;
    const f = family(owner);
    f.samples++;
    const labels = block ? parseLabels(block, line) : {};
    const own = f.type === 'histogram' ? 'le' : f.type === 'summary' ? 'quantile' : undefined;
    for (const l of Object.keys(labels)) if (l !== own) f.labels.add(l);
  }
  return families;
}
