/**
 * The layout of the code, as the README describes it, checked on every import (type-only imports
 * included): no cycle; lib/core imports nothing else of the project; content (alerts/, dashboards/,
 * metrics/) imports no component, and no machinery imports content; no file of lib/ is over 400
 * lines; lib/'s root holds only the stack, the profile and the synth writer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const FOLDERS = ['lib', 'alerts', 'dashboards', 'metrics', 'stacks', 'scripts', 'test'];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return /\.(ts|cts)$/.test(e.name) ? [rel] : [];
  });
}

/** Every project file a source file imports, `import type` and `export ... from` included. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  const out: string[] = [];
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.fileName));
    const hit = [`${base}.ts`, `${base}.cts`, `${base}/index.ts`, base].find(
      (c) => fs.existsSync(path.join(ROOT, c)) && fs.statSync(path.join(ROOT, c)).isFile(),
    );
    if (hit && /\.(ts|cts)$/.test(hit)) out.push(hit);
  }
  return out;
}

const FILES = FOLDERS.flatMap(sources);
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

/** The strongly connected components of more than one file (or a file importing itself). */
function cycles(): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of GRAPH.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (GRAPH.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const f of FILES) if (!idx.has(f)) visit(f);
  return found;
}

/** Imports from files matching `from` into files matching `to`, as `a -> b`. */
function edges(from: RegExp, to: RegExp): string[] {
  return [...GRAPH].flatMap(([f, deps]) => (from.test(f) ? deps.filter((d) => to.test(d)).map((d) => `${f} -> ${d}`) : []));
}

const CONTENT = /^(alerts|dashboards|metrics)\//;

describe('the layout of the code', () => {
  it('finds the files and their imports (the check is not vacuous)', () => {
    expect(FILES.length).toBeGreaterThan(150);
    expect(GRAPH.get('lib/stack.ts')).toContain('lib/profile.ts');
    // A type-only import counts as an edge.
    expect(GRAPH.get('lib/core/keys.ts')).toContain('lib/core/workload.ts');
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });

  it('lib/core imports nothing of the project outside lib/core', () => {
    expect(edges(/^lib\/core\//, /^(?!lib\/core\/)/)).toEqual([]);
  });

  it('content imports no component, and no stack or profile machinery', () => {
    expect(edges(CONTENT, /^lib\/(components\/|stack\.ts|profile\.ts|pulumi\/)/)).toEqual([]);
  });

  it('no machinery imports content or an environment', () => {
    expect(edges(/^lib\//, /^(alerts|dashboards|metrics|stacks)\//)).toEqual([]);
  });

  it('the machinery for content (rules, dashboards, metrics, review) imports no component', () => {
    expect(edges(/^lib\/(rules|dashboards|metrics|review)\//, /^lib\/(components\/|stack\.ts|profile\.ts|pulumi\/)/)).toEqual([]);
  });

  it('no file of lib/ is over 400 lines', () => {
    const long = FILES.filter((f) => f.startsWith('lib/'))
      .map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > 400)
      .map((x) => `${x.f} (${x.lines} lines)`);
    expect(long).toEqual([]);
  });

  it("lib/'s root holds only the stack, the profile and the synth writer; everything else is in a folder", () => {
    const root = fs.readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true });
    expect(
      root
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(),
    ).toEqual(['profile.ts', 'stack.ts', 'synth.ts']);
    expect(
      root
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    ).toEqual(['components', 'core', 'dashboards', 'metrics', 'pulumi', 'review', 'rules']);
  });

  it('every component folder holds its construct beside its flows, and no folder-level barrel', () => {
    const components = fs.readdirSync(path.join(ROOT, 'lib/components'), { withFileTypes: true });
    expect(components.filter((e) => e.isFile()).map((e) => e.name)).toEqual([]);
    const barrels = FILES.filter((f) => f.startsWith('lib/') && path.basename(f) === 'index.ts' && f !== 'lib/dashboards/index.ts');
    expect(barrels).toEqual([]);
  });
});
