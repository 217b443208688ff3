/**
 * The trading services as services: up or down, and their RED signals (rate, errors, duration).
 * Strategy: "Service down (any core trading service)" pages; high error rates and slow response
 * times (P95) warn, at ERROR_RATE and LATENCY_P95 (alerts/thresholds.ts).
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { TRADING_NAMESPACE } from '../metrics/system';
import { millis, percent } from '../lib/core/units';
import { ERROR_RATE, LATENCY_P95 } from './thresholds';

const SOURCE = moduleSource(__filename);

const ns = `namespace="${TRADING_NAMESPACE}"`;
const by = 'namespace, job, service';

export const services: RuleGroup = {
  name: 'trading-services',
  team: 'trading',
  source: SOURCE,
  rules: [
    { record: 'service:http_requests:rate5m', expr: `sum by (${by}) (rate(http_requests_total{${ns}}[5m]))` },
    { record: 'service:http_request_errors:rate5m', expr: `sum by (${by}) (rate(http_requests_total{${ns}, code=~"5.."}[5m]))` },
    {
      record: 'service:http_request_errors:ratio_rate5m',
      // A service without a single 5xx has no error series: its ratio is 0, not missing.
      expr: '(service:http_request_errors:rate5m or service:http_requests:rate5m * 0) / service:http_requests:rate5m',
    },
    { record: 'service_le:http_request_duration_seconds_bucket:rate5m', expr: `sum by (${by}, le) (rate(http_request_duration_seconds_bucket{${ns}}[5m]))` },
    { record: 'service:http_request_duration_seconds:p95_5m', expr: 'histogram_quantile(0.95, service_le:http_request_duration_seconds_bucket:rate5m)' },
    {
      alert: 'HighErrorRate',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.operations,
      expr: `service:http_request_errors:ratio_rate5m > ${ERROR_RATE}`,
      for: '5m',
      summary: '{{ $labels.service }} fails {{ $value | humanizePercentage }} of requests',
      description: `More than ${percent(ERROR_RATE)} of the HTTP requests to {{ $labels.service }} have failed with a 5xx status for 5 minutes.`,
      runbook: 'docs/runbooks/high-error-rates.md',
    },
    {
      alert: 'HighLatencyP95',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.operations,
      expr: `service:http_request_duration_seconds:p95_5m > ${LATENCY_P95}`,
      for: '10m',
      summary: '{{ $labels.service }} answers in {{ $value | humanizeDuration }} at P95',
      description: `The 95th percentile of HTTP response time of {{ $labels.service }} has been above the ${millis(LATENCY_P95)} objective for 10 minutes.`,
      runbook: 'docs/runbooks/performance-degradation.md',
    },
  ],
};

/**
 * The blackbox probes of lib/components/exporters/blackbox-exporter.ts, as a user sees the services:
 * every core service's `/health` (liveness) and `/ready` (readiness), and the synthetic dry-run
 * order through the whole trading path. Strategy: "Health Checks: Service readiness and liveness
 * probes" and "Synthetic Monitoring: End-to-end transaction testing".
 */
export const probes: RuleGroup = {
  name: 'service-probes',
  team: 'trading',
  source: SOURCE,
  rules: [
    {
      alert: 'ServiceHealthCheckFailing',
      severity: 'critical',
      expr: 'probe_success{probe="health"} == 0',
      for: '2m',
      summary: '{{ $labels.service }} fails its health check',
      description:
        'The health endpoint {{ $labels.instance }} of {{ $labels.service }} has not answered 200 for 2 minutes, while the process may still serve metrics: the service is hung or has lost a dependency it cannot work without.',
      runbook: 'docs/runbooks/service-health-check-failing.md',
    },
    {
      alert: 'ServiceNotReady',
      severity: 'warning',
      expr: 'probe_success{probe="readiness"} == 0',
      for: '5m',
      summary: '{{ $labels.service }} is not ready',
      description:
        'The readiness endpoint {{ $labels.instance }} of {{ $labels.service }} has refused traffic for 5 minutes: requests to it are failing or being routed elsewhere.',
      runbook: 'docs/runbooks/service-health-check-failing.md',
    },
    {
      alert: 'SyntheticCheckFailing',
      severity: 'critical',
      expr: 'probe_success{probe="synthetic"} == 0',
      for: '2m',
      summary: 'The synthetic check {{ $labels.check }} through {{ $labels.service }} fails',
      description:
        'The end-to-end check "{{ $labels.check }}" ({{ $labels.instance }}) has failed for 2 minutes: a dry-run order is not validated, risk-checked and priced. Real orders on the same path are likely failing.',
      runbook: 'docs/runbooks/synthetic-check-failing.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([services, probes]);
