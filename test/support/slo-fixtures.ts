/** An SLO spec and one SLI of each kind, shared by the SLO generator's tests and its promtool simulations. */
import { SLI } from '../../lib/rules/slo';

export const base = { service: 'api', objective: 99.9, description: 'Requests succeed.', runbook: 'docs/runbooks/slo-burn.md', source: 'test/slo.test.ts' };

/** One SLI of each kind. */
export const SLIS: Record<string, SLI> = {
  ratio: { kind: 'ratio', errors: 'http_requests_total{service="api", code=~"5.."}', total: 'http_requests_total{service="api"}' },
  latency: { kind: 'latency', histogram: 'http_request_duration_seconds', selector: 'service="api"', thresholdSeconds: 0.1 },
  averageLatency: { kind: 'averageLatency', histogram: 'order_execution_duration_seconds', selector: 'service="api"', boundSeconds: 0.05 },
  freshness: { kind: 'freshness', ageMetric: 'market_data_age_seconds', selector: 'service="api"', boundSeconds: 1 },
  availability: { kind: 'availability', metric: 'up', selector: 'job="api"' },
};
