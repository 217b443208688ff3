import { execFileSync } from 'node:child_process';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { RuleSnapshot, diffRules, snapshotRules } from '../lib/review/rule-diff';
import { renderRules } from '../lib/review/rules-section';
import { alertmanagerConfigOf, ruleFilesOf } from '../lib/review/manifests';
import { alertsReport } from '../lib/review/report';
import { routeOf } from '../lib/review/routing';
import { isAlert } from '../lib/rules/types';
import { alertsDiff } from '../scripts/alerts-diff';
import { editAlertmanager, editRule, sides, synthesized } from './support/review';
import { PROFILES } from '../stacks/environments';

const base: RuleSnapshot = {
  kind: 'alert',
  key: 'HighErrorRate',
  name: 'HighErrorRate',
  file: 'services.yaml',
  group: 'trading-services',
  expr: 'ratio > 0.05',
  for: '5m',
  keepFiringFor: '0s',
  labels: { severity: 'warning' },
  annotations: { summary: 'fails', description: 'More than 5% fail.' },
  route: 'trading-alerts-chat (slack)',
};

describe('alerts:diff on snapshots', () => {
  it('reports a threshold, a for and a severity change with its new route, an added and a removed alert', () => {
    const gone = { ...base, key: 'OldAlert', name: 'OldAlert' };
    const before = [base, gone, { ...base, key: 'Same', name: 'Same' }];
    const after = [
      { ...base, expr: 'ratio > 0.1', for: '10m', route: 'oncall-pager (opsgenie)', labels: { severity: 'critical' } },
      { ...base, key: 'Same', name: 'Same' },
      { ...base, key: 'NewAlert', name: 'NewAlert' },
    ];
    const d = diffRules(before, after);
    expect(d.added.map((a) => a.name)).toEqual(['NewAlert']);
    expect(d.removed.map((a) => a.name)).toEqual(['OldAlert']);
    expect(d.unchanged).toBe(1);
    expect(d.changed[0].changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['severity', 'warning', 'critical'],
      ['threshold', '> 0.05', '> 0.1'],
      ['expression', 'ratio > 0.05', 'ratio > 0.1'],
      ['for', '5m', '10m'],
      ['route', 'trading-alerts-chat (slack)', 'oncall-pager (opsgenie)'],
    ]);
    const md = renderRules([{ env: 'production', before, after }]).markdown;
    expect(md).toContain('- expression: ratio > ~~0.05~~**0.1**');
    expect(md).toContain('- severity: `warning` → `critical`');
    expect(md).toMatch(/\| NewAlert \| warning \| `> 0.05` \| 5m \| trading-alerts-chat \(slack\) \|/);
    expect(md).toMatch(/### Alerts removed\n\n[^#]*\| OldAlert \|/);
  });

  it('reports keep_firing_for, a label, the runbook and the dashboard link, and a move to another group', () => {
    const after = {
      ...base,
      keepFiringFor: '10m',
      group: 'trading-orders',
      labels: { severity: 'warning', team: 'trading' },
      annotations: { ...base.annotations, runbook_url: 'https://x/runbooks/errors.md', dashboard_url: 'https://grafana/d/grekko-operations' },
    };
    const fields = diffRules([base], [after]).changed[0].changes.map((c) => c.field);
    expect(fields).toEqual(['keep_firing_for', 'label team', 'runbook_url', 'dashboard_url', 'group']);
  });

  it('a change of spacing in an expression is no change', () => {
    expect(diffRules([base], [{ ...base, expr: 'ratio  >\n  0.05' }]).unchanged).toBe(1);
  });

  it('a multi-line expression shows changed lines as -/+ pairs with the changed tokens marked, not the whole expression replaced', () => {
    const expr = (t: string) =>
      `(a:ratio_rate1h > (14.4 * ${t}) and a:ratio_rate5m > (14.4 * ${t}))\nor\n(a:ratio_rate6h > (6 * ${t}) and a:ratio_rate30m > (6 * ${t}))`;
    const md = renderRules([{ env: 'production', before: [{ ...base, expr: expr('0.05') }], after: [{ ...base, expr: expr('0.01') }] }]).markdown;
    // The block is indented by two spaces under its list item.
    const block = /```diff\n([\s\S]*?) {2}```/
      .exec(md)![1]
      .split('\n')
      .map((l) => l.slice(2));
    expect(block.filter((l) => l.startsWith('- '))).toHaveLength(2);
    expect(block.filter((l) => l.startsWith('+ '))).toHaveLength(2);
    expect(block).toContain('  or');
    const plus = block.indexOf(block.find((l) => l.startsWith('+ '))!);
    // The caret line under the new line points at the two new values only.
    const carets = block[plus + 1];
    expect(carets.replace(/\s/g, '')).toBe('^^^^^^^^');
    expect(block[plus].slice(carets.indexOf('^'), carets.indexOf('^') + 4)).toBe('0.01');
  });
});

describe('alerts:diff on the synthesized rules', () => {
  it('snapshots the working tree: every alert with its production route', () => {
    const prod = synthesized('production');
    const am = alertmanagerConfigOf(prod);
    const snap = snapshotRules(ruleFilesOf(prod), (l) => routeOf(am, l)).filter((r) => r.kind === 'alert');
    expect(snap.length).toBe(ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert)).length);
    expect(snap.find((a) => a.name === 'TradingServiceDown')?.route).toBe('oncall-pager (opsgenie), trading-alerts-chat (slack)');
    expect(snap.find((a) => a.name === 'HighErrorRate')?.route).toBe('trading-alerts-chat (slack)');
  });

  it('a recording rule window change from [5m] to [1m] is reported as the token that changed', () => {
    const { before, after } = sides(['production']);
    editRule(after.get('production')!, 'service:http_requests:rate5m', (r) => (r.expr = r.expr.replace('[5m]', '[1m]')));
    const md = alertsReport({ ref: 'main', before, after });
    expect(md).not.toContain('No alert, recording rule or SLO changes');
    expect(md).toContain('### Recording rules changed');
    expect(md).toContain('**service:http_requests:rate5m** (services.yaml › trading-services)');
    expect(md).toContain('- expression: sum by (namespace, job, service) (rate(http_requests_total{namespace="grekko"}[~~5m~~**1m**]))');
  });

  it('a summary edit is reported, with the words that changed', () => {
    const { before, after } = sides(['production']);
    editRule(after.get('production')!, 'HighErrorRate', (r) => (r.annotations!.summary = r.annotations!.summary.replace('fails', 'rejects')));
    const md = alertsReport({ ref: 'main', before, after });
    expect(md).toContain('**HighErrorRate** (services.yaml › trading-services)');
    expect(md).toContain('- summary: {{ $labels.service }} ~~fails~~**rejects** {{ $value \\| humanizePercentage }} of requests');
  });

  it('an SLO objective change is reported on the SLO, with its generated rules folded underneath', () => {
    const { before, after } = sides(['production']);
    editRule(after.get('production')!, 'slo:objective:ratio', (r) => (r.expr = 'vector(0.99)'));
    const md = alertsReport({ ref: 'main', before, after });
    expect(md).toContain('**SLO api-latency**');
    expect(md).toContain('- objective: `0.95 (95%)` → `0.99 (99%)`');
    expect(md).toMatch(/<details><summary>1 generated rule of api-latency changed<\/summary>/);
    expect(md).not.toContain('### Recording rules changed');
  });

  it("a severity change reports the alert's new receiver in each environment, and a routing timing change names the route", () => {
    const { before, after } = sides(['production', 'staging']);
    for (const env of ['production', 'staging']) editRule(after.get(env)!, 'HighErrorRate', (r) => (r.labels!.severity = 'critical'));
    editAlertmanager(after.get('production')!, (c) => {
      const trading = c.route.routes.find((r: { matchers?: string[] }) => r.matchers?.includes('team="trading"'));
      trading.routes.find((r: { matchers: string[] }) => r.matchers.includes('severity="critical"')).group_wait = '30s';
      c.inhibit_rules = c.inhibit_rules.filter((r: { source_matchers: string[] }) => !r.source_matchers.includes('alertname="ScheduledMaintenance"'));
    });
    const md = alertsReport({ ref: 'main', before, after });
    expect(md).toContain('- route _(production)_: `trading-alerts-chat (slack)` → `oncall-pager (opsgenie), trading-alerts-chat (slack)`');
    expect(md).toContain(
      '- route `root › team="trading" › severity="critical"`: `group_wait`: `' + PROFILES.production.alerting.criticalGroupWait + '` → `30s`',
    );
    expect(md).toContain('- inhibition removed: `alertname="ScheduledMaintenance" mutes severity="warning", service=~".+" when equal on namespace, service`');
    expect(md).toMatch(
      /### production\n[\s\S]*\| HighErrorRate \| trading-alerts-chat \(slack\) \| oncall-pager \(opsgenie\), trading-alerts-chat \(slack\) \|/,
    );
  });

  it('no change reports no change', () => {
    const { before, after } = sides(['production']);
    expect(alertsReport({ ref: 'main', before, after })).toMatch(
      /No alert, recording rule or SLO changes \(\d+ alerts, \d+ recording rules, \d+ SLOs unchanged\)[\s\S]*No routing changes/,
    );
  });

  const shallow = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim() !== 'false';
    } catch {
      return true;
    }
  })();
  (shallow ? it.skip : it)('against the first commit (before any rule file existed) lists every alert and SLO as added', async () => {
    const root = execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim().split('\n')[0];
    const md = await alertsDiff(REPOSITORY_ROOT, root, ['production']);
    const now = snapshotRules(ruleFilesOf(synthesized('production')));
    const plain = now.filter((r) => r.kind === 'alert' && !r.labels.slo);
    const slos = new Set(now.map((r) => r.labels.slo).filter(Boolean));
    const added = /### Alerts added\n\n\|[^\n]*\n\|[^\n]*\n((?:\|[^\n]*\n)*)/.exec(md)![1].trim().split('\n');
    expect(added).toHaveLength(plain.length);
    expect(md).not.toMatch(/### Alerts (removed|changed)/);
    expect(md.match(/^- \*\*[a-z-]+\*\* added: objective/gm)).toHaveLength(slos.size);
    expect(md).toContain('| HighErrorRate | warning | `> 0.05` | 5m | trading-alerts-chat (slack) | services.yaml › trading-services |');
  });
});
