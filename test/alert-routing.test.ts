import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ALERT_GROUPS } from '../alerts';
import { deliveriesFor, receiversFor } from '../lib/rules/routes';
import { PROFILES } from '../stacks/environments';
import { annotationQueries, defineDashboard, eventAnnotation, findDashboardProblems } from '../lib/dashboards';
import { operations } from '../dashboards/operations';
import { development } from '../dashboards/development';
import { CORE_SERVICES, METRICS } from '../metrics';
import { EnvironmentName } from '../lib/profile';
import { alertLabels, withTeams } from '../lib/rules/render';
import { AlertRule, RuleGroup, Severity, TEAMS, Team, isAlert } from '../lib/rules/types';
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
    ['TradingServiceDown', 'oncall-pager,trading-alerts-chat'],
    ['RiskLimitBreached', 'oncall-pager,risk-chat'],
    ['PrometheusWALCorruption', 'oncall-pager,devops-chat'],
    ['HighErrorRate', 'trading-alerts-chat'],
    ['RiskLimitNearlyReached', 'risk-chat'],
    ['AlertmanagerNotificationsFailing', 'devops-chat'],
    ['TradingServiceDeployed', 'trading-info-chat'],
    ['ScheduledMaintenance', 'trading-info-chat'],
    ['Watchdog', 'deadmans-switch'],
  ],
};

const oneChannel = (r: string): Record<Severity, string> => ({ critical: r, warning: r, info: r });

/** Every team and severity, and where it lands: the routing table of each environment. */
const TABLE: Record<EnvironmentName, Record<Team, Record<Severity, string>>> = {
  local: { devops: oneChannel('local-null'), trading: oneChannel('local-null'), risk: oneChannel('local-null') },
  staging: { devops: oneChannel('staging-channel'), trading: oneChannel('staging-channel'), risk: oneChannel('staging-channel') },
  production: {
    devops: { critical: 'oncall-pager,devops-chat', warning: 'devops-chat', info: 'trading-info-chat' },
    trading: { critical: 'oncall-pager,trading-alerts-chat', warning: 'trading-alerts-chat', info: 'trading-info-chat' },
    risk: { critical: 'oncall-pager,risk-chat', warning: 'risk-chat', info: 'trading-info-chat' },
  },
};
const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

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

    it.each(TEAMS.flatMap((team) => SEVERITIES.map((severity) => [team, severity] as const)))('a %s alert of severity %s', (team, severity) => {
      const labels = { alertname: 'AnyAlert', namespace: 'grekko', service: 'order-service', team, severity };
      expect(amRoute(env, labels)).toBe(TABLE[env][team][severity]);
      expect(receiversFor(parse(alertmanagerYaml(env)), labels).join(',')).toBe(TABLE[env][team][severity]);
    });
  });

  it('sends an alert of no known team as a DevOps alert, so that a critical one still pages', () => {
    expect(amRoute('production', { alertname: 'Pushed', severity: 'critical' })).toBe(TABLE.production.devops.critical);
    expect(amRoute('production', { alertname: 'Pushed', severity: 'warning', team: 'desk' })).toBe(TABLE.production.devops.warning);
    expect(amRoute('production', { alertname: 'Pushed' })).toBe('devops-chat');
  });

  it('the route column of the alert catalog agrees with amtool for one alert of each team and severity in production', () => {
    const config = parse(alertmanagerYaml('production'));
    for (const name of ['TradingServiceDown', 'HighErrorRate', 'RiskLimitBreached', 'PrometheusWALCorruption', 'NodeCordoned', 'Watchdog']) {
      const labels = labelsOf(alert(name));
      expect([name, receiversFor(config, labels).join(',')]).toEqual([name, amRoute('production', labels)]);
    }
  });
});

describe('the timings a notification path inherits', () => {
  const config = () => parse(alertmanagerYaml('production'));
  it("production pages after the critical route's 5s wait, and keeps the root's group interval; the Watchdog's route sets its own", () => {
    const page = deliveriesFor(config(), { alertname: 'TradingServiceDown', team: 'trading', severity: 'critical', service: 'order-service' });
    expect(page.map((d) => [d.receiver, d.groupWait, d.groupInterval, d.repeatInterval])).toEqual([
      ['oncall-pager', PROFILES.production.alerting.criticalGroupWait, '5m', '1h'],
      ['trading-alerts-chat', PROFILES.production.alerting.criticalGroupWait, '5m', '1h'],
    ]);
    const [watchdog] = deliveriesFor(config(), { alertname: 'Watchdog', severity: 'info' });
    expect([watchdog.receiver, watchdog.groupWait, watchdog.groupInterval, watchdog.repeatInterval]).toEqual(['deadmans-switch', '0s', '1m', '5m']);
  });

  it("falls back to Alertmanager's own defaults where no route sets a timing", () => {
    expect(deliveriesFor({ route: { receiver: 'r' } }, {})).toEqual([
      { receiver: 'r', mutedDuring: [], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
    ]);
  });
});

describe('every alert belongs to exactly one team', () => {
  it.each(ALERT_GROUPS.filter((g) => g.rules.some(isAlert)).map((g) => [g.name, g] as const))('%s', (_name, g) => {
    for (const a of g.rules.filter(isAlert)) expect([a.alert, TEAMS.filter((t) => alertLabels(a).team === t)]).toEqual([a.alert, [a.team]]);
  });

  it('carries it as a team label in the rule files Prometheus loads', () => {
    const data = find(synth('production').objects, 'ConfigMap', 'prometheus-rules').data as Record<string, string>;
    const rules = Object.values(data).flatMap((text) =>
      (parse(text).groups as Array<{ rules: Array<{ alert?: string; labels?: Record<string, string> }> }>).flatMap((g) => g.rules),
    );
    const rendered = rules.filter((r) => r.alert !== undefined);
    expect(rendered).toHaveLength(alerts.length);
    for (const r of rendered) expect([r.alert, (TEAMS as readonly string[]).includes(r.labels?.team ?? '')]).toEqual([r.alert, true]);
  });

  it('follows the team of the service an SLO watches, and Trading for the SLOs over several services', () => {
    expect(alert('SLORiskServiceAvailabilityErrorBudgetBurnFast').team).toBe('risk');
    expect(alert('SLOAuthServiceAvailabilityErrorBudgetBurnFast').team).toBe('devops');
    expect(alert('SLOOrderExecutionLatencyErrorBudgetBurnFast').team).toBe('trading');
    expect(alert('SLOApiLatencyErrorBudgetBurnFast').team).toBe('trading');
  });
});

describe('withTeams', () => {
  const rule = (extra: Partial<AlertRule> = {}): AlertRule => ({ alert: 'X', severity: 'warning', expr: 'up == 0', summary: 's', description: 'd', ...extra });
  const group = (rules: AlertRule[], team?: Team): RuleGroup => ({ name: 'g', source: 'alerts/x.ts', ...(team ? { team } : {}), rules });
  const teamOf = (g: RuleGroup, defaults = {}) => (withTeams([g], defaults)[0].rules[0] as AlertRule).team;

  it("gives an alert its own team first, then its service's, then its group's, then the default", () => {
    const services = { 'risk-service': 'risk' } as const;
    expect(teamOf(group([rule({ team: 'devops', labels: { service: 'risk-service' } })], 'trading'), { services })).toBe('devops');
    expect(teamOf(group([rule({ labels: { service: 'risk-service' } })], 'trading'), { services })).toBe('risk');
    expect(teamOf(group([rule({ labels: { service: 'order-service' } })], 'trading'), { services })).toBe('trading');
    expect(teamOf(group([rule()]), { team: 'devops' })).toBe('devops');
  });

  it('leaves recording rules as they are', () => {
    const g: RuleGroup = { name: 'r', source: 'alerts/x.ts', team: 'risk', rules: [{ record: 'a:b:c', expr: 'up' }] };
    expect(withTeams([g])[0].rules).toEqual(g.rules);
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

  it("sends every alert to its team's receivers for its severity", () => {
    for (const a of alerts.filter((x) => x.alert !== 'Watchdog')) {
      expect([a.alert, receiversFor(config, labelsOf(a))]).toEqual([a.alert, [...PROFILES.production.alerting.teams[a.team!][a.severity]]]);
    }
  });

  it('mutes the warnings of the services under maintenance on every route they take during the window, and nothing else', () => {
    const windows = PROFILES.production.alerting.maintenance ?? [];
    expect(windows.map((w) => w.name)).toEqual(['sunday-patching']);
    expect(config.time_intervals).toEqual([
      { name: 'sunday-patching', time_intervals: [{ weekdays: ['sunday'], times: [{ start_time: '02:00', end_time: '04:00' }], location: 'UTC' }] },
    ]);
    for (const team of TEAMS) {
      for (const severity of SEVERITIES) {
        for (const service of ['agent-coordinator', 'auth-service', 'order-service']) {
          const muted = severity === 'warning' && service !== 'order-service' ? ['sunday-patching'] : [];
          const d = deliveriesFor(config, { alertname: 'AnyAlert', team, severity, service });
          expect([team, severity, service, d.map((x) => x.mutedDuring)]).toEqual([team, severity, service, d.map(() => muted)]);
        }
      }
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

  it("pages a core service's outage once: while TradingServiceDown fires, its probes' and its SLOs' pages about the same service are muted", () => {
    const inhibit = config.inhibit_rules as Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
    const muting = inhibit.filter((r) => r.source_matchers.includes('alertname="TradingServiceDown"'));
    expect(muting.map((r) => r.equal)).toEqual([['service'], ['service']]);
    // Each muted alert names the service as TradingServiceDown does (its `service`, the core service's name).
    const alerts = ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert));
    const slo = alerts.filter((a) => a.labels?.slo_alert && CORE_SERVICES.includes(a.labels.service ?? ''));
    expect(new Set(slo.map((a) => a.labels!.service))).toEqual(new Set(CORE_SERVICES));
    expect(muting[1].target_matchers).toEqual(['slo_alert=~"page|ticket"', 'service=~".+"']);
    for (const a of slo) expect(['page', 'ticket']).toContain(a.labels!.slo_alert);
    const probes = muting[0].target_matchers[0].replace(/^alertname=~"(.*)"$/, '$1').split('|');
    expect(probes.every((n) => alerts.some((a) => a.alert === n && /probe_success\{/.test(a.expr)))).toBe(true);
    const probeJobs = parse(find(synth('production').objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).scrape_configs.filter(
      (j: { job_name: string }) => j.job_name === 'blackbox-health',
    );
    const probedServices = probeJobs.flatMap((j: any) => j.static_configs.map((g: any) => g.labels.service));
    expect(new Set(probedServices)).toEqual(new Set(CORE_SERVICES));
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

describe('deployments and configuration changes on the Operations and Development dashboards', () => {
  const infoExpr = (name: string) => alert(name).expr.trim();

  it.each([
    ['operations', operations],
    ['development', development],
  ] as const)('%s marks them from the expressions of the info alerts', (_uid, d) => {
    expect(annotationQueries(d.model)).toEqual([
      { name: 'Deployments', expr: infoExpr('TradingServiceDeployed'), title: '{{deployment}}{{statefulset}} deployed' },
      { name: 'Configuration changes', expr: infoExpr('TradingConfigurationChanged'), title: 'ConfigMap {{configmap}} changed' },
    ]);
    const list = d.model.annotations.list ?? [];
    expect(list.map((a) => [a.enable, a.datasource?.type, a.tagKeys])).toEqual([
      [true, 'prometheus', 'namespace,deployment,statefulset'],
      [true, 'prometheus', 'namespace,configmap'],
    ]);
  });

  const withAnnotation = (expr: string, names = ['Deploys']) =>
    defineDashboard({
      uid: 'annotated',
      title: 'Annotated',
      folder: 'Test',
      tags: ['test'],
      source: 'dashboards/annotated.ts',
      description: 'd',
      annotations: names.map((name) => eventAnnotation({ name, expr, title: '{{deployment}}', color: 'blue' })),
      rows: [],
    });

  it('holds an annotation query to the metrics catalog like a panel query', () => {
    const problems = findDashboardProblems([withAnnotation('changes(kube_deployment_metadata_generatoin[10m]) > 0')], { catalog: METRICS.all });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^dashboard "annotated" \(dashboards\/annotated\.ts\) annotation "Deploys": annotations\.expr metric is "kube_deployment_metadata_generatoin"; .*known names close to it: kube_deployment_metadata_generation$/,
      ),
    ]);
    expect(findDashboardProblems([withAnnotation('changes(kube_deployment_metadata_generation[10m]) > 0')], { catalog: METRICS.all })).toEqual([]);
  });

  it('refuses two annotations of one name, which the controls could not tell apart', () => {
    expect(() => withAnnotation('up', ['Deploys', 'Deploys'])).toThrow(
      /^dashboard "annotated" \(dashboards\/annotated\.ts\): annotations is "Deploys"; give every annotation a name of its own/,
    );
  });
});
