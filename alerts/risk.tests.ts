import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { percent, tidy } from '../lib/core/units';
import { AUTHENTICATION_FAILURES_PER_SECOND, RISK_LIMIT_BREACH, RISK_LIMIT_WARNING } from './thresholds';
import { TRADING_NAMESPACE } from '../metrics/system';

/** A point under the breach (warns, does not page), and a point under the warning. */
const nearlyBreached = tidy(RISK_LIMIT_BREACH - 0.01);
const underWarning = tidy(RISK_LIMIT_WARNING - 0.01);
/** Failed logins per minute a tenth either side of the rate that pages. */
const failuresPerMinute = AUTHENTICATION_FAILURES_PER_SECOND * 60;
const fewFailures = Math.round(failuresPerMinute * 0.9);
const manyFailures = Math.round(failuresPerMinute * 1.1);

const r = `namespace="${TRADING_NAMESPACE}", job="risk-service", service="risk-service", pod="risk-service-0"`;
const riskLabels = { namespace: 'grekko', job: 'risk-service', service: 'risk-service' };
const a = `namespace="${TRADING_NAMESPACE}", job="auth-service", service="auth-service", pod="auth-service-0"`;
const authLabels = { namespace: 'grekko', job: 'auth-service', service: 'auth-service' };
/** Failed and successful logins per minute. */
const logins = (failedPerMinute: number, okPerMinute: number) => ({
  [`grekko_auth_attempts_total{${a}, method="api_key", outcome="failure"}`]: `0+${failedPerMinute}x30`,
  [`grekko_auth_attempts_total{${a}, method="api_key", outcome="success"}`]: `0+${okPerMinute}x30`,
});

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: `a limit used at ${percent(nearlyBreached)} stays quiet (and warns as nearly reached)`,
      series: { [`grekko_risk_limit_utilization_ratio{${r}, limit="btc_position"}`]: `${nearlyBreached}x20` },
      alerts: [
        { at: '10m', alert: 'RiskLimitBreached', fires: [] },
        { at: '10m', alert: 'RiskLimitNearlyReached', fires: [{ labels: { ...riskLabels, limit: 'btc_position' }, value: nearlyBreached }] },
      ],
    },
    {
      name: 'a limit at 100% pages at once and keeps paging 5 minutes after a dip',
      series: { [`grekko_risk_limit_utilization_ratio{${r}, limit="btc_position"}`]: '0.5 0.5 1 1 0.95 0.95 0.95 0.95 0.95 0.95 0.95 0.95' },
      alerts: [
        { at: '1m', alert: 'RiskLimitBreached', fires: [] },
        { at: '2m', alert: 'RiskLimitBreached', fires: [{ labels: { ...riskLabels, limit: 'btc_position' }, value: 1 }] },
        { at: '8m', alert: 'RiskLimitBreached', fires: [{ labels: { ...riskLabels, limit: 'btc_position' }, value: 1 }] },
        { at: '9m', alert: 'RiskLimitBreached', fires: [] },
      ],
    },
    {
      name: `a limit at ${percent(underWarning)} does not warn`,
      series: { [`grekko_risk_limit_utilization_ratio{${r}, limit="btc_position"}`]: `${underWarning}x20` },
      alerts: [{ at: '10m', alert: 'RiskLimitNearlyReached', fires: [] }],
    },
    {
      name: 'a circuit breaker trips and closes again',
      series: { [`grekko_risk_circuit_breaker_open{${r}, breaker="daily_loss"}`]: '0 0 1 1 0 0' },
      alerts: [
        { at: '1m', alert: 'CircuitBreakerTripped', fires: [] },
        { at: '2m', alert: 'CircuitBreakerTripped', fires: [{ labels: { ...riskLabels, breaker: 'daily_loss' } }] },
        { at: '4m', alert: 'CircuitBreakerTripped', fires: [] },
      ],
    },
    {
      name: 'one compliance violation pages; none stays quiet',
      series: { [`grekko_risk_compliance_violations_total{${r}, rule="wash_trading"}`]: '0 0 0 0 0 0 0 0 0 0 1 1 1' },
      alerts: [
        { at: '9m', alert: 'ComplianceViolation', fires: [] },
        { at: '11m', alert: 'ComplianceViolation', fires: [{ labels: { ...riskLabels, rule: 'wash_trading' } }] },
      ],
    },
    {
      name: `${fewFailures} failed logins a minute stay quiet`,
      series: logins(fewFailures, 60),
      alerts: [{ at: '20m', alert: 'AuthenticationFailureSpike', fires: [] }],
    },
    {
      name: `${manyFailures} failed logins a minute but ${percent(9 / 10)} succeeding stays quiet`,
      series: logins(manyFailures, manyFailures * 9),
      alerts: [{ at: '20m', alert: 'AuthenticationFailureSpike', fires: [] }],
    },
    {
      name: `${manyFailures} failed logins a minute, half of all attempts, pages`,
      series: logins(manyFailures, manyFailures),
      alerts: [{ at: '20m', alert: 'AuthenticationFailureSpike', fires: [{ labels: authLabels, value: manyFailures / 60 }] }],
    },
    {
      name: 'a suspicious event pages; none stays quiet',
      series: { [`grekko_security_suspicious_events_total{${a}, kind="new_withdrawal_address"}`]: '0 0 0 0 0 0 0 0 0 0 1 1' },
      alerts: [
        { at: '9m', alert: 'SuspiciousActivityDetected', fires: [] },
        { at: '11m', alert: 'SuspiciousActivityDetected', fires: [{ labels: { ...authLabels, kind: 'new_withdrawal_address' } }] },
      ],
    },
  ],
};
