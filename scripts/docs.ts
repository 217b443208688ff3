/**
 * Generates docs/alerts.md (the alert catalog) and docs/metrics.md (the metrics contract) from
 * the rules and the catalog. `npm run docs` writes them; a test fails when they are out of date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { receiversFor } from '../lib/rules/routes';
import { renderAlertmanagerConfig, DEFAULT_INHIBIT_RULES } from '../lib/components/alertmanager/alertmanager';
import { renderMetricsMarkdown } from '../lib/metrics/catalog';
import { renderAlertsMarkdown } from '../lib/rules/docs';
import { renderSLOMarkdown } from '../lib/rules/slo';
import { SLOS } from '../alerts/slos';
import { metricNames } from '../lib/rules/promql';
import { alertLabels } from '../lib/rules/render';
import { AlertRule } from '../lib/rules/types';
import { EnvironmentProfile } from '../lib/profile';
import { METRICS, METRICS_DOC } from '../metrics';
import { production } from '../stacks/production';

const GENERATED_BY = 'npm run docs';

/** Receivers an alert reaches in an environment, with their kind: `oncall-pager (opsgenie)`. */
export function routeOf(profile: EnvironmentProfile, alert: AlertRule): string {
  const config = renderAlertmanagerConfig(profile.alerting, DEFAULT_INHIBIT_RULES) as { route: never };
  const kinds = new Map(profile.alerting.receivers.map((r) => [r.name, r.kind]));
  return receiversFor(config, { alertname: alert.alert, ...alertLabels(alert) })
    .map((r) => `${r} (${kinds.get(r)})`)
    .join(', ');
}

export function renderDocs(): Record<string, string> {
  const alertsDoc = renderAlertsMarkdown(ALERT_GROUPS, {
    title: 'Alert catalog',
    intro: `
Every alert Prometheus evaluates, by the file that defines it. Critical alerts page on-call in
production, warnings go to chat, infos to a quiet channel and never page; the route column shows
the production receivers (staging sends everything to one channel, local to nowhere). Each alert is
unit-tested with \`promtool test rules\` (the \`*.tests.ts\` file beside its definition) and every
runbook link is checked by the tests. Review changes with \`npm run alerts:diff -- <git-ref>\`.`,
    sections: [renderSLOMarkdown(SLOS)],
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
  return { 'docs/alerts.md': alertsDoc, 'docs/metrics.md': metricsDoc };
}

if (require.main === module) {
  for (const [file, text] of Object.entries(renderDocs())) {
    fs.writeFileSync(path.join(REPOSITORY_ROOT, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
