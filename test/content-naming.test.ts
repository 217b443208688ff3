/**
 * One naming convention across the content folders: a rule file exports its groups, each by name
 * and all of them as `groups`; its tests file exports `suite`; a dashboard file exports its one
 * dashboard under the file's name; a catalog file's metric lists end in `_METRICS`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { DASHBOARDS } from '../dashboards';
import type { RuleGroup } from '../lib/rules/types';

const filesOf = (dir: string, keep: (f: string) => boolean) =>
  fs
    .readdirSync(path.join(REPOSITORY_ROOT, dir))
    .filter((f) => f.endsWith('.ts') && keep(f))
    .sort();
const load = (dir: string, f: string): Record<string, unknown> => require(path.join(REPOSITORY_ROOT, dir, f));
const isGroup = (x: unknown): x is RuleGroup => typeof x === 'object' && x !== null && 'source' in x && Array.isArray((x as RuleGroup).rules);

const ruleFiles = filesOf('alerts', (f) => !f.endsWith('.tests.ts') && f !== 'index.ts');

describe('content exports follow one naming convention', () => {
  it.each(ruleFiles.filter((f) => Object.values(load('alerts', f)).some(isGroup)))('%s exports every group it defines in `groups`', (f) => {
    const mod = load('alerts', f);
    const named = Object.entries(mod).filter(([, v]) => isGroup(v));
    expect(Array.isArray(mod.groups)).toBe(true);
    // By name: `withTeams` hands back each group with its team filled in, a copy of the one defined.
    for (const [name, g] of named) expect([name, (mod.groups as RuleGroup[]).some((x) => x.name === (g as RuleGroup).name)]).toEqual([name, true]);
  });

  it('the groups Prometheus loads are the `groups` of the rule files, and nothing else', () => {
    const all = ruleFiles.flatMap((f) => (load('alerts', f).groups as RuleGroup[] | undefined) ?? []);
    expect(new Set(ALERT_GROUPS)).toEqual(new Set(all));
    expect(ALERT_GROUPS).toHaveLength(all.length);
  });

  it.each(filesOf('alerts', (f) => f.endsWith('.tests.ts')))('%s exports its suite as `suite`', (f) => {
    expect(Object.keys(load('alerts', f))).toEqual(['suite']);
  });

  it.each(filesOf('dashboards', (f) => !['index.ts', 'common.ts', 'annotations.ts'].includes(f)))(
    '%s exports its dashboard under the name of the file',
    (f) => {
      const mod = load('dashboards', f);
      const name = path.basename(f, '.ts');
      expect(Object.keys(mod)).toEqual([name]);
      expect(DASHBOARDS).toContain(mod[name]);
    },
  );

  it('every metric list of the catalog is named `<AREA>_METRICS`', () => {
    const lists = filesOf('metrics', (f) => f !== 'index.ts').flatMap((f) =>
      Object.entries(load('metrics', f))
        .filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'object' && m !== null && 'name' in m && 'type' in m && 'unit' in m))
        .map(([k]) => `${f}: ${k}`),
    );
    expect(lists.length).toBeGreaterThan(4);
    for (const l of lists) expect(l).toMatch(/: [A-Z]+(_[A-Z]+)*_METRICS$/);
  });
});
