/**
 * Content (alerts/, dashboards/, metrics/) and components (lib/components/) meet only through the
 * content machinery (lib/rules, lib/dashboards, lib/metrics, lib/core): neither imports the other,
 * type-only imports included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../alerts';

const CONTENT = ['alerts', 'dashboards', 'metrics'];
const COMPONENTS = 'lib/components';

/** Every .ts file under a folder of the repository, as repository paths. */
function tsFiles(dir: string): string[] {
  const abs = path.join(REPOSITORY_ROOT, dir);
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(rel);
    return /\.[cm]?ts$/.test(e.name) ? [rel] : [];
  });
}

/** The repository paths a file imports (static, type-only, dynamic and require), resolved from its folder. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

const within = (target: string, dir: string) => target === dir || target.startsWith(`${dir}/`);

describe('content and components do not import each other', () => {
  it('the import reader finds static, type-only and re-exported imports', () => {
    expect(importsOf('alerts/index.ts')).toEqual(expect.arrayContaining(['lib/rules/types', 'lib/dashboards/provisioning', 'metrics', 'alerts/logging']));
    expect(importsOf('lib/components/grafana/grafana.ts')).toEqual(expect.arrayContaining(['lib/dashboards/provisioning', 'lib/core/errors']));
  });

  it.each(CONTENT)('no file under %s/ imports lib/components', (dir) => {
    const offending = tsFiles(dir).flatMap((f) =>
      importsOf(f)
        .filter((t) => within(t, COMPONENTS))
        .map((t) => `${f} -> ${t}`),
    );
    expect(offending).toEqual([]);
  });

  it('no file under lib/components imports content', () => {
    const offending = tsFiles(COMPONENTS).flatMap((f) =>
      importsOf(f)
        .filter((t) => CONTENT.some((c) => within(t, c)))
        .map((t) => `${f} -> ${t}`),
    );
    expect(offending).toEqual([]);
  });
});
