/**
 * The trading metrics the stand-in services expose and the small rule group the pipeline is
 * proven with, in the shapes of the metrics catalog and of Prometheus rule files. The fault table
 * of the suite names these alerts; pointing it at the alerts of alerts/ changes data only.
 */
import { MetricDefinition } from '../../../lib/metrics/types';
import { RuleFile } from '../../../lib/components/prometheus';

export const TRADING_METRICS: readonly MetricDefinition[] = [
  { name: 'http_requests_total', type: 'counter', unit: '1', help: 'HTTP requests served, by method, route and status code.', labels: ['method', 'route', 'code'], source: 'trading services' },
  { name: 'http_request_duration_seconds', type: 'histogram', unit: 'seconds', help: 'HTTP request duration.', labels: ['method', 'route'], source: 'trading services' },
  { name: 'grekko_risk_limit_utilization_ratio', type: 'gauge', unit: 'ratio', help: 'Use of each risk limit (1 = at the limit).', labels: ['limit'], source: 'risk-service' },
];

export const RUNBOOK_BASE = 'https://github.com/grekko/monitoring/blob/main/docs/runbooks';

/**
 * Alerts on the dependencies and services, one per fault the suite injects. `forDuration` is how
 * long a condition must hold: short in the suite, the production value in the benchmark.
 */
export function pipelineRuleFile(forDuration: string): RuleFile {
  const alert = (name: string, severity: string, expr: string, summary: string, runbook: string) => ({
    alert: name,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description: `${summary} (value {{ $value }}).`, runbook_url: `${RUNBOOK_BASE}/${runbook}` },
  });
  return {
    fileName: 'pipeline-proof.yaml',
    content: {
      groups: [
        {
          name: 'pipeline-proof',
          rules: [
            alert('PipelineTargetDown', 'critical', 'up{job=~"postgres-exporter|redis-exporter|blackbox-exporter|node-exporter|order-service|risk-service|market-data-service"} == 0', '{{ $labels.job }} target {{ $labels.instance }} is down', 'service-down.md'),
            alert('PipelinePostgresDown', 'critical', 'pg_up{job="postgres-exporter"} == 0', 'PostgreSQL {{ $labels.dependency }} refuses connections', 'database-down.md'),
            alert('PipelineRedisDown', 'critical', 'redis_up{job="redis-exporter"} == 0', 'Redis {{ $labels.dependency }} refuses connections', 'database-down.md'),
            alert('PipelineHealthCheckFailing', 'critical', 'probe_success{job="blackbox-health"} == 0', '{{ $labels.service }} fails its health check', 'service-down.md'),
            alert('PipelineSyntheticOrderFailing', 'critical', 'probe_success{job="blackbox-synthetic"} == 0', 'the synthetic order through {{ $labels.service }} fails', 'synthetic-order.md'),
            alert(
              'PipelineHighErrorRate',
              'warning',
              'sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[20s])) / sum by (namespace, service) (rate(http_requests_total[20s])) > 0.05',
              '{{ $labels.service }} answers more than 5% of requests with errors',
              'high-error-rate.md',
            ),
            alert('PipelineRiskLimitBreached', 'critical', 'max by (namespace, service, limit) (grekko_risk_limit_utilization_ratio) >= 1', 'risk limit {{ $labels.limit }} breached', 'risk-limit-breach.md'),
          ],
        },
      ],
    },
  };
}
