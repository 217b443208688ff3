import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { isAlert } from '../lib/rules/types';
import { renderDocs } from '../scripts/docs';
import { COMPONENT_PROOFS, VERIFICATION_DOC, renderVerificationDoc } from '../scripts/verification-doc';

describe('generated documentation', () => {
  it.each(Object.entries(renderDocs()))('%s is current (run `npm run docs` after changing rules or the catalog)', (file, text) => {
    expect(fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8')).toBe(text);
  });
});

describe('docs/verification.md', () => {
  it('is current (run `npm run docs:verification` after changing the catalog, its fixtures, the real programs or a query)', () => {
    expect(fs.readFileSync(VERIFICATION_DOC, 'utf8')).toBe(renderVerificationDoc());
  });

  it('names only tests and files that exist', () => {
    const named = COMPONENT_PROOFS.flatMap(
      (c) => [c.real, c.source, c.schema].join(' ').match(/\b(?:test|lib|metrics)\/[\w/.-]+\.ts\b|\bmetrics\/sources\//g) ?? [],
    );
    expect(named.length).toBeGreaterThan(10);
    for (const f of named) expect([f, fs.existsSync(path.join(REPOSITORY_ROOT, f))]).toEqual([f, true]);
  });

  it('counts every catalog entry on exactly one rung, and names the unproven ones', () => {
    const doc = renderVerificationDoc();
    const m = /^(\d+) entries: (\d+) real program, (\d+) upstream source, (\d+) contract, (\d+) unproven\.$/m.exec(doc)!;
    expect(Number(m[1])).toBe(Number(m[2]) + Number(m[3]) + Number(m[4]) + Number(m[5]));
    expect(Number(m[2])).toBeGreaterThan(80);
    expect((doc.match(/^- `[a-z_]+` \([^)]+\): no /gm) ?? []).length).toBe(Number(m[5]));
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

  it('gives every critical alert a runbook of its own that names it; only the per-service availability SLOs share one section, which names their pattern', () => {
    const critical = alerts.filter((a) => a.severity === 'critical');
    const perService = (a: { alert: string }) => /^SLO[A-Za-z0-9]+AvailabilityErrorBudgetBurnFast$/.test(a.alert);
    const read = (runbook: string) => fs.readFileSync(path.join(REPOSITORY_ROOT, runbook.split('#')[0]), 'utf8');
    const own = critical.filter((a) => !perService(a));
    expect(new Set(own.map((a) => a.runbook)).size).toBe(own.length);
    for (const a of own) expect([a.alert, read(a.runbook!).includes(`\`${a.alert}\``)]).toEqual([a.alert, true]);
    const shared = new Set(critical.filter(perService).map((a) => a.runbook!));
    expect([...shared]).toEqual(['docs/runbooks/slo-error-budget.md#service-availability']);
    expect(read([...shared][0])).toContain('`SLO<Service>AvailabilityErrorBudgetBurnFast`');
    for (const a of own) expect([a.alert, shared.has(a.runbook!)]).toEqual([a.alert, false]);
  });

  it('every runbook file is used by an alert', () => {
    const used = new Set(alerts.map((a) => a.runbook?.split('#')[0]));
    for (const f of fs.readdirSync(path.join(REPOSITORY_ROOT, 'docs/runbooks'))) expect([f, used.has(`docs/runbooks/${f}`)]).toEqual([f, true]);
  });
});
