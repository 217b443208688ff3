/**
 * Alerts link to the dashboard that explains them: `dashboard_url` points at a provisioned
 * dashboard in the Grafana of the environment, whose address comes from the profile.
 */
import { parse } from 'yaml';
import { ALERT_GROUPS, ruleFiles, REPOSITORY_ROOT } from '../alerts';
import { DASHBOARDS, DASHBOARD_UIDS } from '../dashboards';
import { grafanaPublicUrl } from '../lib/components/grafana/grafana';
import { buildRuleFiles } from '../lib/rules/render';
import { AlertRule, RuleGroup, isAlert } from '../lib/rules/types';
import { METRICS } from '../metrics';
import { PROFILES } from '../stacks/environments';
import { ENVIRONMENTS, alter, find, loadedContent, synth, synthProfile } from './support/synth';

const alerts = ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert));

/** Every alert of the environment's rules ConfigMap, by name. */
function renderedAlerts(objects: any[]): Map<string, any> {
  const cm = find(objects, 'ConfigMap', 'prometheus-rules');
  const out = new Map<string, any>();
  for (const text of Object.values(cm.data as Record<string, string>))
    for (const g of parse(text).groups) for (const r of g.rules) if (r.alert) out.set(r.alert, r);
  return out;
}

describe('alerts link to the dashboard that explains them', () => {
  it("every alert's dashboard uid is a provisioned dashboard", () => {
    const uids = new Set(DASHBOARDS.map((d) => d.uid));
    for (const a of alerts.filter((x) => x.dashboard)) expect([a.alert, uids.has(a.dashboard!)]).toEqual([a.alert, true]);
  });

  it('most alerts have one: every critical and warning alert of the services, trading, risk, datastores and platform groups that a dashboard shows', () => {
    const linked = alerts.filter((a) => a.dashboard).length;
    expect(linked).toBeGreaterThanOrEqual(70);
    const byName = new Map<string, AlertRule>(alerts.map((a) => [a.alert, a]));
    expect(byName.get('TradingServiceDown')?.dashboard).toBe(DASHBOARD_UIDS.operations);
    expect(byName.get('MarketDataStale')?.dashboard).toBe(DASHBOARD_UIDS.trading);
    expect(byName.get('KafkaConsumerLagHigh')?.dashboard).toBe(DASHBOARD_UIDS.kafka);
    expect(byName.get('ElasticsearchClusterRed')?.dashboard).toBe(DASHBOARD_UIDS.logging);
  });

  it.each(ENVIRONMENTS)("%s: dashboard_url opens the dashboard in that environment's Grafana", (env) => {
    const { objects, stack } = synth(env);
    const rendered = renderedAlerts(objects);
    for (const a of loadedContent(env).groups.flatMap((g) => g.rules.filter(isAlert))) {
      const annotations = rendered.get(a.alert)?.annotations ?? {};
      if (a.dashboard) expect([a.alert, annotations.dashboard_url]).toEqual([a.alert, `${stack.grafana.publicUrl}/d/${a.dashboard}`]);
      else expect([a.alert, annotations.dashboard_url]).toEqual([a.alert, undefined]);
    }
    expect(stack.grafana.publicUrl).toBe(PROFILES[env].grafana.externalUrl ?? `http://grafana.${PROFILES[env].namespace}.svc:3000`);
  });

  it("production's notifications link outside the cluster: Grafana, Prometheus (the alert's source) and Alertmanager (its silences) at their ingress addresses", () => {
    const { objects, stack } = synth('production');
    expect(stack.grafana.publicUrl).toMatch(/^https:\/\/grafana\./);
    const args = (kind: string, name: string) => find(objects, kind, name).spec.template.spec.containers[0].args as string[];
    expect(args('StatefulSet', 'prometheus')).toEqual(
      expect.arrayContaining([`--web.external-url=${PROFILES.production.prometheus.externalUrl}`, '--web.route-prefix=/']),
    );
    expect(args('StatefulSet', 'alertmanager')).toEqual(
      expect.arrayContaining([`--web.external-url=${PROFILES.production.alertmanager.externalUrl}`, '--web.route-prefix=/']),
    );
    expect(PROFILES.production.prometheus.externalUrl).toMatch(/^https:\/\//);
    expect(PROFILES.production.alertmanager.externalUrl).toMatch(/^https:\/\//);
  });

  it.each(['prometheus', 'alertmanager', 'grafana'])('production refuses to synthesize without %s.externalUrl', (c) => {
    const profile = alter(PROFILES.production, (p) => delete p[c].externalUrl);
    expect(() => synthProfile(profile)).toThrow(
      new RegExp(`^profile "production": ${c}\\.externalUrl is missing; give the address people open ${c} at through the ingress`),
    );
  });

  it("a profile's grafana.externalUrl is where links point and Grafana's root_url", () => {
    const profile = alter(PROFILES.production, (p) => (p.grafana.externalUrl = 'https://grafana.grekko.example'));
    const { objects } = synthProfile(profile);
    expect(renderedAlerts(objects).get('HighErrorRate').annotations.dashboard_url).toBe('https://grafana.grekko.example/d/grekko-operations');
    expect(find(objects, 'ConfigMap', 'grafana-config').data['grafana.ini']).toContain('root_url = https://grafana.grekko.example');
    expect(grafanaPublicUrl(profile.namespace, profile.grafana)).toBe('https://grafana.grekko.example');
  });

  it('a bad grafana.externalUrl fails synth naming the profile, field and fix', () => {
    const profile = alter(PROFILES.staging, (p) => (p.grafana.externalUrl = 'grafana.example/'));
    expect(() => synthProfile(profile)).toThrow(/grafana\.externalUrl.*"grafana\.example\/".*use an http or https address without a trailing slash/);
  });

  it('an alert pointing at a dashboard that is not provisioned fails, naming the alert, its file and the uids there are', () => {
    const group: RuleGroup = {
      name: 'bad',
      source: 'alerts/bad.ts',
      rules: [{ alert: 'Lost', severity: 'info', expr: 'up == 0', summary: 's', description: 'd', dashboard: 'grekko-nowhere' }],
    };
    expect(() =>
      buildRuleFiles([group], {
        catalog: METRICS,
        repositoryRoot: REPOSITORY_ROOT,
        runbookBaseUrl: 'https://x/',
        dashboardBaseUrl: 'https://g/d/',
        dashboardUids: new Set(Object.values(DASHBOARD_UIDS)),
      }),
    ).toThrow(/alert "Lost" \(alerts\/bad\.ts\).*dashboard.*"grekko-nowhere".*no provisioned dashboard has this uid; use one of .*grekko-executive/);
  });

  it('rule files are rendered once per Grafana address', () => {
    expect(ruleFiles('http://a')).toBe(ruleFiles('http://a'));
    expect(ruleFiles('http://a')).not.toBe(ruleFiles('http://b'));
  });
});
