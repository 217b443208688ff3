import { execFileSync } from 'node:child_process';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { AlertSnapshot, diffAlerts, renderAlertDiff } from '../lib/rules/diff';
import { isAlert } from '../lib/rules/types';
import { alertsDiff, snapshotTree } from '../scripts/alerts-diff';

const base: AlertSnapshot = {
  alert: 'HighErrorRate',
  source: 'alerts/services.ts',
  severity: 'warning',
  expr: 'ratio > 0.05',
  thresholds: ['> 0.05'],
  for: '5m',
  keepFiringFor: '0s',
  labels: { severity: 'warning' },
  route: 'trading-alerts-chat (slack)',
  runbook: 'docs/runbooks/high-error-rates.md',
};

describe('alerts:diff', () => {
  it('reports a threshold, a for and a severity change with its new route, an added and a removed alert', () => {
    const gone = { ...base, alert: 'OldAlert' };
    const before = [base, gone, { ...base, alert: 'Same' }];
    const after = [
      { ...base, expr: 'ratio > 0.1', thresholds: ['> 0.1'], for: '10m', severity: 'critical', route: 'oncall-pager (opsgenie)', labels: { severity: 'critical' } },
      { ...base, alert: 'Same' },
      { ...base, alert: 'NewAlert' },
    ];
    const d = diffAlerts(before, after);
    expect(d.added.map((a) => a.alert)).toEqual(['NewAlert']);
    expect(d.removed.map((a) => a.alert)).toEqual(['OldAlert']);
    expect(d.unchanged).toBe(1);
    expect(d.changed[0].changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['severity', 'warning', 'critical'],
      ['threshold', '> 0.05', '> 0.1'],
      ['for', '5m', '10m'],
      ['production route', 'trading-alerts-chat (slack)', 'oncall-pager (opsgenie)'],
      ['labels', 'severity=warning', 'severity=critical'],
      ['expression', 'ratio > 0.05', 'ratio > 0.1'],
    ]);
    const md = renderAlertDiff(d, 'main');
    expect(md).toContain('1 added, 1 removed, 1 changed, 1 unchanged.');
    expect(md).toContain('| threshold | `> 0.05` | `> 0.1` |');
    expect(md).toContain('```diff\n- ratio > 0.05\n+ ratio > 0.1\n```');
  });

  it('snapshots the working tree: every alert with its production route', () => {
    const snap = snapshotTree(REPOSITORY_ROOT);
    expect(snap.length).toBe(ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert)).length);
    expect(snap.find((a) => a.alert === 'TradingServiceDown')?.route).toBe('oncall-pager (opsgenie)');
    expect(snap.find((a) => a.alert === 'HighErrorRate')?.thresholds).toEqual(['> 0.05']);
  });

  const shallow = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim() !== 'false';
    } catch {
      return true;
    }
  })();
  (shallow ? it.skip : it)('against the first commit (before any alert existed) lists every alert as added', () => {
    const root = execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim().split('\n')[0];
    const total = ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert)).length;
    expect(alertsDiff(REPOSITORY_ROOT, root)).toContain(`${total} added, 0 removed, 0 changed, 0 unchanged.`);
  });
});
