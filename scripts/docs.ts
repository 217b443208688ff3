/**
 * Generates docs/alerts.md (the alert catalog) and docs/metrics.md (the metrics contract) from
 * the rules and the catalog. `npm run docs` writes them; a test fails when they are out of date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { deliveriesFor } from '../lib/rules/routes';
import { renderAlertmanagerConfig, DEFAULT_INHIBIT_RULES } from '../lib/components/alertmanager/alertmanager';
import { renderMetricsMarkdown } from '../lib/metrics/catalog';
import { renderAlertsMarkdown, renderConsideredMarkdown } from '../lib/rules/docs';
import { CONSIDERED, CONSIDERED_INTRO } from '../alerts/considered';
import { renderSLOMarkdown } from '../lib/rules/slo';
import { SLOS } from '../alerts/slos';
import { metricNames } from '../lib/rules/promql';
import { alertLabels } from '../lib/rules/render';
import { AlertRule, TEAMS } from '../lib/rules/types';
import { EnvironmentProfile, PROFILE_DEFAULTS } from '../lib/profile';
import { METRICS, METRICS_DOC } from '../metrics';
import { production } from '../stacks/production';
import { staging } from '../stacks/staging';
import { local } from '../stacks/local';
import { renderStorageDoc } from './storage-doc';

const GENERATED_BY = 'npm run docs';

/**
 * The team of an alert and the receivers it reaches in an environment, with their kinds:
 * `risk: oncall-pager (opsgenie), risk-chat (slack)`; a route muted by a maintenance window says so.
 */
export function routeOf(profile: EnvironmentProfile, alert: AlertRule): string {
  const config = renderAlertmanagerConfig(profile.alerting, DEFAULT_INHIBIT_RULES) as { route: never };
  const kinds = new Map(profile.alerting.receivers.map((r) => [r.name, r.kind]));
  const to = deliveriesFor(config, { alertname: alert.alert, ...alertLabels(alert) })
    .map((d) => `${d.receiver} (${[kinds.get(d.receiver), ...d.mutedDuring.map((w) => `muted during ${w}`)].join(', ')})`)
    .join(', ');
  return alert.team ? `${alert.team}: ${to}` : to;
}

/** The routing table of an environment: each team's receivers per severity, and the maintenance windows. */
export function renderRoutingTable(profile: EnvironmentProfile): string {
  const { teams, watchdog, maintenance = [] } = profile.alerting;
  const rows = TEAMS.map((t) => `| ${t} | ${(['critical', 'warning', 'info'] as const).map((s) => teams[t][s].join(', ')).join(' | ')} |`);
  const windows = maintenance.map(
    (w) =>
      `| ${w.name} | ${w.services.join(', ')} | ${[w.weekdays?.join(', ') ?? 'every day', ...(w.times ?? []).map((t) => `${t.start}–${t.end}`)].join(' ')} ${w.location ?? 'UTC'} |`,
  );
  return [
    `## Routing in ${profile.name}`,
    '',
    `Each alert carries the \`team\` label of the team that owns it (set on its group in \`alerts/*.ts\`, or from its service through \`metrics/system.ts\`); \`alerting.teams\` of \`stacks/${profile.name}.ts\` says where each team's alerts go. The Watchdog goes to \`${watchdog}\`.`,
    '',
    '| team | critical | warning | info |',
    '|---|---|---|---|',
    ...rows,
    ...(windows.length
      ? [
          '',
          'Scheduled maintenance: the warnings of these services are muted while the window lasts; critical alerts still page.',
          '',
          '| window | services | when |',
          '|---|---|---|',
          ...windows,
        ]
      : []),
  ].join('\n');
}

export function renderDocs(): Record<string, string> {
  const alertsDoc = renderAlertsMarkdown(ALERT_GROUPS, {
    title: 'Alert catalog',
    intro: `
Every alert Prometheus evaluates, by the file that defines it. Each belongs to a team; in
production its warnings go to that team's chat, its critical alerts page on-call as well, and infos
go to a quiet channel and never page. The route column shows the team and its production receivers
(staging sends everything to one channel, local to nowhere). Each alert is
unit-tested with \`promtool test rules\` (the \`*.tests.ts\` file beside its definition), with
recording groups evaluated both before and after the groups reading them, and every
runbook link is checked by the tests. Review changes with \`npm run alerts:diff -- <git-ref>\`.`,
    sections: [renderRoutingTable(production), renderSLOMarkdown(SLOS)],
    closingSections: [renderConsideredMarkdown(CONSIDERED, CONSIDERED_INTRO)],
    routeHeading: 'production route',
    routeOf: (a) => routeOf(production, a),
    runbookLink: (r) => path.relative('docs', r),
    generatedBy: GENERATED_BY,
  });
  const usedBy = new Map<string, Set<string>>();
  for (const g of ALERT_GROUPS) {
    for (const r of g.rules) {
      const name = 'alert' in r ? r.alert : r.record;
      for (const m of metricNames(r.expr)) {
        const def = METRICS.lookup(m);
        if (def) usedBy.set(def.name, (usedBy.get(def.name) ?? new Set()).add(name));
      }
    }
  }
  const metricsDoc = renderMetricsMarkdown(METRICS, { ...METRICS_DOC, usedBy: (m) => [...(usedBy.get(m.name) ?? [])].sort(), generatedBy: GENERATED_BY });
  return {
    'docs/alerts.md': alertsDoc,
    'docs/metrics.md': metricsDoc,
    'docs/profile-defaults.md': renderProfileDefaults(),
    'docs/long-term-storage.md': renderStorageDoc([local, staging, production], GENERATED_BY),
  };
}

/** Every default of an optional profile field, from the components' DEFAULTS objects. */
export function renderProfileDefaults(): string {
  const rows: string[] = [];
  const show = (v: unknown): string => (typeof v === 'function' ? `\`${String(v('<namespace>'))}\`` : `\`${JSON.stringify(v)}\``);
  for (const { at, defaults, paths = {} } of PROFILE_DEFAULTS) {
    const walk = (key: string, v: unknown): void => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
        for (const [k, x] of Object.entries(v)) walk(`${key}.${k}`, x);
      } else rows.push(`| \`${at}.${paths[key] ?? key}\` | ${show(v)} |`);
    };
    for (const [k, v] of Object.entries(defaults)) walk(k, v);
  }
  return `# Profile defaults

Generated by \`${GENERATED_BY}\` from the DEFAULTS object of each component
(\`lib/components/<name>/profile.ts\`), the same objects their validators and renderers read. A
profile states a field only where its environment differs from these; every other field of a
profile is required, because the environments size it differently.

| Profile field | Default when left out |
|---|---|
${rows.join('\n')}
`;
}

if (require.main === module) {
  for (const [file, text] of Object.entries(renderDocs())) {
    fs.writeFileSync(path.join(REPOSITORY_ROOT, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
