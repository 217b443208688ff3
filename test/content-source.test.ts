import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT, RULE_TESTS } from '../alerts';
import { DASHBOARDS } from '../dashboards';
import { ConfigError } from '../lib/core/errors';
import { SOURCE_ROOT, moduleSource, testedRuleSource } from '../lib/rules/source';
import type { RuleGroup } from '../lib/rules/types';
import type { RuleTestSuite } from '../lib/rules/testing';

const ALERTS_DIR = path.join(REPOSITORY_ROOT, 'alerts');
const alertsFile = (name: string) => path.join(ALERTS_DIR, name);

const isGroup = (x: unknown): x is RuleGroup => typeof x === 'object' && x !== null && 'name' in x && 'source' in x && Array.isArray((x as RuleGroup).rules);
const isSuite = (x: unknown): x is RuleTestSuite => typeof x === 'object' && x !== null && 'source' in x && Array.isArray((x as RuleTestSuite).tests);

/** Every rule group a module exports, alone or in a list. */
function exportedGroups(mod: Record<string, unknown>): RuleGroup[] {
  return Object.values(mod).flatMap((v) => (Array.isArray(v) ? v.filter(isGroup) : isGroup(v) ? [v] : []));
}

describe('rule and dashboard sources are the files that define them', () => {
  it('a module path becomes its repository-relative path with / separators', () => {
    expect(moduleSource(alertsFile('trading.ts'))).toBe('alerts/trading.ts');
    expect(moduleSource(path.join(SOURCE_ROOT, 'lib', 'rules', 'source.ts'))).toBe('lib/rules/source.ts');
    expect(moduleSource('/repo/alerts/risk.ts', '/repo')).toBe('alerts/risk.ts');
  });

  it('the root is the repository the alerts live in', () => {
    expect(SOURCE_ROOT).toBe(REPOSITORY_ROOT);
  });

  it('a test file names the rule file it covers', () => {
    expect(testedRuleSource(alertsFile('trading.tests.ts'))).toBe('alerts/trading.ts');
    expect(testedRuleSource('/repo/alerts/slos.tests.ts', '/repo')).toBe('alerts/slos.ts');
  });

  it('a file outside the repository, the root itself, or a rule file passed as a test file is refused with a message', () => {
    expect(() => moduleSource('/elsewhere/alerts/trading.ts', '/repo')).toThrow(ConfigError);
    expect(() => moduleSource('/repo', '/repo')).toThrow(/pass the __filename of a module inside \/repo/);
    expect(() => testedRuleSource('/repo/alerts/trading.ts', '/repo')).toThrow(/rule test file named like alerts\/trading\.tests\.ts/);
  });

  it('every group Prometheus loads is exported by the file its source names', () => {
    const files = fs.readdirSync(ALERTS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.tests.ts') && f !== 'index.ts');
    const definedIn = new Map<RuleGroup, string>();
    for (const f of files) {
      for (const g of exportedGroups(require(alertsFile(f)))) definedIn.set(g, `alerts/${f}`);
    }
    for (const g of ALERT_GROUPS) expect([g.name, g.source]).toEqual([g.name, definedIn.get(g)]);
  });

  it("every rule test suite is exported by its rule file's tests file", () => {
    for (const s of RULE_TESTS) {
      const testsFile = path.join(REPOSITORY_ROOT, s.source.replace(/\.ts$/, '.tests.ts'));
      expect([s.source, fs.existsSync(path.join(REPOSITORY_ROOT, s.source)), fs.existsSync(testsFile)]).toEqual([s.source, true, true]);
      expect(Object.values(require(testsFile)).filter(isSuite)).toContain(s);
    }
  });

  it('every dashboard is exported by the file its source names', () => {
    for (const d of DASHBOARDS) {
      const mod: Record<string, unknown> = require(path.join(REPOSITORY_ROOT, d.source));
      expect([d.uid, d.source, Object.values(mod).includes(d)]).toEqual([d.uid, d.source, true]);
    }
  });
});
