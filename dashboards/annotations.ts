/**
 * Annotations more than one dashboard shows (this file and common.ts hold what dashboards share;
 * every other file of this folder defines one dashboard).
 */
import { eventAnnotation } from '../lib/dashboards';
import { events } from '../alerts/events';

/** The expression of an info alert of alerts/events.ts: the annotations mark what the alert reports. */
function infoAlertExpr(alert: string): string {
  const rule = events.rules.find((r) => 'alert' in r && r.alert === alert);
  if (!rule) throw new Error(`alerts/events.ts defines no alert ${alert}`);
  return rule.expr;
}

/**
 * The strategy's info events on the time axis: deployments and configuration changes of the
 * trading system, from the same expressions as the info alerts TradingServiceDeployed and
 * TradingConfigurationChanged. Each mark starts when the change lands and spans the alerts' 10-minute
 * window; the Operations and Development dashboards both show them.
 */
export const CHANGE_ANNOTATIONS = [
  eventAnnotation({
    name: 'Deployments',
    expr: infoAlertExpr('TradingServiceDeployed'),
    title: '{{deployment}}{{statefulset}} deployed',
    tags: ['namespace', 'deployment', 'statefulset'],
    color: 'blue',
  }),
  eventAnnotation({
    name: 'Configuration changes',
    expr: infoAlertExpr('TradingConfigurationChanged'),
    title: 'ConfigMap {{configmap}} changed',
    tags: ['namespace', 'configmap'],
    color: 'orange',
  }),
];
