/**
 * Risk, compliance and security. Strategy: "Risk limit breaches" and "Security incidents" page;
 * tripped circuit breakers and compliance violations page too, since trading is halted or
 * regulatory exposure has begun.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { percent } from '../lib/core/units';
import { AUTHENTICATION_FAILURE_RATIO, AUTHENTICATION_FAILURES_PER_SECOND, RISK_LIMIT_BREACH, RISK_LIMIT_WARNING } from './thresholds';

const SOURCE = moduleSource(__filename);

export const risk: RuleGroup = {
  name: 'risk-management',
  team: 'risk',
  source: SOURCE,
  rules: [
    {
      alert: 'RiskLimitBreached',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `max by (namespace, job, service, limit) (grekko_risk_limit_utilization_ratio) >= ${RISK_LIMIT_BREACH}`,
      // Pages at once; keeps firing for 5 minutes after a dip so that a limit hovering at the breach pages once.
      keepFiringFor: '5m',
      summary: 'Risk limit {{ $labels.limit }} breached ({{ $value | humanizePercentage }})',
      description: `The risk limit "{{ $labels.limit }}" is at or above ${percent(RISK_LIMIT_BREACH)} of its allowance. New exposure must stop until it is back under the limit.`,
      runbook: 'docs/runbooks/risk-limit-breached.md',
    },
    {
      alert: 'RiskLimitNearlyReached',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `max by (namespace, job, service, limit) (grekko_risk_limit_utilization_ratio) >= ${RISK_LIMIT_WARNING}`,
      for: '5m',
      summary: 'Risk limit {{ $labels.limit }} at {{ $value | humanizePercentage }}',
      description: `The risk limit "{{ $labels.limit }}" has been above ${percent(RISK_LIMIT_WARNING)} of its allowance for 5 minutes.`,
      runbook: 'docs/runbooks/risk-limit-breached.md',
    },
    {
      alert: 'CircuitBreakerTripped',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.trading,
      expr: 'max by (namespace, job, service, breaker) (grekko_risk_circuit_breaker_open) == 1',
      summary: 'Circuit breaker {{ $labels.breaker }} tripped: trading halted',
      description: 'The circuit breaker "{{ $labels.breaker }}" is open and has halted the trading it guards.',
      runbook: 'docs/runbooks/circuit-breaker-tripped.md',
    },
    {
      alert: 'ComplianceViolation',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.trading,
      expr: 'sum by (namespace, job, service, rule) (increase(grekko_risk_compliance_violations_total[5m])) > 0',
      summary: 'Compliance rule {{ $labels.rule }} violated',
      description: 'The compliance rule "{{ $labels.rule }}" was violated in the last 5 minutes.',
      runbook: 'docs/runbooks/compliance-violation.md',
    },
  ],
};

export const security: RuleGroup = {
  name: 'security',
  team: 'risk',
  source: SOURCE,
  rules: [
    {
      alert: 'AuthenticationFailureSpike',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.operations,
      expr: `
  sum by (namespace, job, service) (rate(grekko_auth_attempts_total{outcome="failure"}[5m])) > ${AUTHENTICATION_FAILURES_PER_SECOND}
and
  sum by (namespace, job, service) (rate(grekko_auth_attempts_total{outcome="failure"}[5m]))
/
  sum by (namespace, job, service) (rate(grekko_auth_attempts_total[5m]))
> ${AUTHENTICATION_FAILURE_RATIO}`,
      for: '5m',
      summary: '{{ $value | humanize }} failed logins per second on {{ $labels.service }}',
      description: `More than ${AUTHENTICATION_FAILURES_PER_SECOND === 1 ? 'one authentication attempt per second has' : `${AUTHENTICATION_FAILURES_PER_SECOND} authentication attempts per second have`} failed, and more than ${percent(AUTHENTICATION_FAILURE_RATIO)} of all attempts, for 5 minutes: credential stuffing or a broken client.`,
      runbook: 'docs/runbooks/authentication-failure-spike.md',
    },
    {
      alert: 'SuspiciousActivityDetected',
      severity: 'critical',
      expr: 'sum by (namespace, job, service, kind) (increase(grekko_security_suspicious_events_total[5m])) > 0',
      summary: 'Suspicious activity: {{ $labels.kind }}',
      description: '{{ $labels.service }} detected suspicious activity of kind "{{ $labels.kind }}" in the last 5 minutes.',
      runbook: 'docs/runbooks/suspicious-activity.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([risk, security]);
