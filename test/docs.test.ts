import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { isAlert } from '../lib/rules/types';
import { renderDocs } from '../scripts/docs';

describe('generated documentation', () => {
  it.each(Object.entries(renderDocs()))('%s is current (run `npm run docs` after changing rules or the catalog)', (file, text) => {
    expect(fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8')).toBe(text);
  });
});

describe('runbooks', () => {
  const alerts = ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert));

  it('every runbook an alert names exists in docs/runbooks', () => {
    for (const a of alerts.filter((x) => x.runbook)) {
      expect([a.alert, fs.existsSync(path.join(REPOSITORY_ROOT, a.runbook!.split('#')[0]))]).toEqual([a.alert, true]);
    }
  });

  it("has the strategy's three: Service Down, High Error Rates, Performance Degradation", () => {
    for (const [file, title] of [
      ['service-down.md', '# Service Down'],
      ['high-error-rates.md', '# High Error Rates'],
      ['performance-degradation.md', '# Performance Degradation'],
    ]) {
      expect(fs.readFileSync(path.join(REPOSITORY_ROOT, 'docs/runbooks', file), 'utf8').split('\n')[0]).toBe(title);
    }
  });

  it('gives every critical alert a runbook of its own that names it', () => {
    const critical = alerts.filter((a) => a.severity === 'critical');
    const files = critical.map((a) => a.runbook);
    expect(new Set(files).size).toBe(critical.length);
    for (const a of critical) expect([a.alert, fs.readFileSync(path.join(REPOSITORY_ROOT, a.runbook!.split('#')[0]), 'utf8').includes(`\`${a.alert}\``)]).toEqual([a.alert, true]);
  });

  it('every runbook file is used by an alert', () => {
    const used = new Set(alerts.map((a) => a.runbook?.split('#')[0]));
    for (const f of fs.readdirSync(path.join(REPOSITORY_ROOT, 'docs/runbooks'))) expect([f, used.has(`docs/runbooks/${f}`)]).toEqual([f, true]);
  });
});
