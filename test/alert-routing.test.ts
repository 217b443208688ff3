import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ALERT_GROUPS } from '../alerts';
import { receiversFor } from '../lib/rules/routes';
import { EnvironmentName } from '../lib/profile';
import { alertLabels } from '../lib/rules/render';
import { AlertRule, isAlert } from '../lib/rules/types';
import { ENVIRONMENTS, find, loadedContent, synth } from './support/synth';
import { amtool, describeWithTools, promtool, run } from './support/tools';

const alerts: AlertRule[] = ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert));
const alert = (name: string) => alerts.find((a) => a.alert === name)!;
const labelsOf = (a: AlertRule, extra: Record<string, string> = {}) => ({ alertname: a.alert, ...alertLabels(a), ...extra });

function alertmanagerYaml(env: EnvironmentName): string {
  return find(synth(env).objects, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml'];
}

/** Where representative alerts land, per environment: the facts a reviewer checks. */
const EXPECTED: Record<EnvironmentName, Array<[string, string]>> = {
  local: [
    ['TradingServiceDown', 'local-null'],
    ['HighErrorRate', 'local-null'],
    ['TradingServiceDeployed', 'local-null'],
    ['Watchdog', 'local-null'],
  ],
  staging: [
    ['TradingServiceDown', 'staging-channel'],
    ['RiskLimitBreached', 'staging-channel'],
    ['HighErrorRate', 'staging-channel'],
    ['TradingServiceDeployed', 'staging-channel'],
    ['Watchdog', 'staging-null'],
  ],
  production: [
    ['TradingServiceDown', 'oncall-pager'],
    ['RiskLimitBreached', 'oncall-pager'],
    ['PrometheusWALCorruption', 'oncall-pager'],
    ['HighErrorRate', 'trading-alerts-chat'],
    ['AlertmanagerNotificationsFailing', 'trading-alerts-chat'],
    ['TradingServiceDeployed', 'trading-info-chat'],
    ['ScheduledMaintenance', 'trading-info-chat'],
    ['Watchdog', 'deadmans-switch'],
  ],
};

describeWithTools('amtool config routes test: where alerts land in each environment', [amtool], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amroutes-'));
  const amRoute = (env: EnvironmentName, labels: Record<string, string>) => {
    const file = path.join(dir, `${env}.yml`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, alertmanagerYaml(env));
    const r = run(amtool.path!, ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
    expect(r.status).toBe(0);
    return r.stdout.trim();
  };

  describe.each(ENVIRONMENTS)('%s', (env) => {
    it.each(EXPECTED[env])('%s goes to %s', (name, receiver) => {
      expect(amRoute(env, labelsOf(alert(name), { service: 'order-service', namespace: 'grekko' }))).toBe(receiver);
    });
  });

  it('the route column of the alert catalog agrees with amtool for one alert of each severity in production', () => {
    const config = parse(alertmanagerYaml('production'));
    for (const name of ['TradingServiceDown', 'HighErrorRate', 'NodeCordoned', 'Watchdog']) {
      const labels = labelsOf(alert(name));
      expect([name, receiversFor(config, labels).join(',')]).toEqual([name, amRoute('production', labels)]);
    }
  });
});

describe('production routing, for every alert', () => {
  const config = parse(alertmanagerYaml('production'));
  const pager = 'oncall-pager';

  it('pages on-call for every critical alert and for no other', () => {
    for (const a of alerts) {
      const pages = receiversFor(config, labelsOf(a)).includes(pager);
      expect([a.alert, a.severity, pages]).toEqual([a.alert, a.severity, a.severity === 'critical']);
    }
  });

  it('sends warnings to chat and infos to the info channel', () => {
    for (const a of alerts.filter((x) => x.alert !== 'Watchdog')) {
      const expected = { critical: pager, warning: 'trading-alerts-chat', info: 'trading-info-chat' }[a.severity];
      expect([a.alert, receiversFor(config, labelsOf(a))]).toEqual([a.alert, [expected]]);
    }
  });

  it('mutes the warnings and infos of a service while a critical alert of that service fires, and warnings during its maintenance', () => {
    const inhibit = config.inhibit_rules as Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
    expect(inhibit).toContainEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"', 'service=~".+"'],
      equal: ['namespace', 'service'],
    });
    expect(inhibit).toContainEqual({
      source_matchers: ['alertname="ScheduledMaintenance"'],
      target_matchers: ['severity="warning"', 'service=~".+"'],
      equal: ['namespace', 'service'],
    });
  });
});

describeWithTools('the generated rule files pass promtool check rules', [promtool], () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promrules-'));
    const data = find(synth(env).objects, 'ConfigMap', 'prometheus-rules').data as Record<string, string>;
    const expected = [...new Set(loadedContent(env).groups.map((g) => `${path.basename(g.source, '.ts')}.yaml`))].sort();
    expect(Object.keys(data).sort()).toEqual(expected);
    for (const [name, text] of Object.entries(data)) fs.writeFileSync(path.join(dir, name), text);
    const r = run(promtool.path!, ['check', 'rules', ...Object.keys(data).map((n) => path.join(dir, n))]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.not.stringContaining('FAILED') });
    const found = [...r.stdout.matchAll(/SUCCESS: (\d+) rules found/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(found).toBe(loadedContent(env).groups.reduce((n, g) => n + g.rules.length, 0));
  });
});
