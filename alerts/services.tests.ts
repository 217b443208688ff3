import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { millis, percent, tidy } from '../lib/core/units';
import { TRADING_NAMESPACE } from '../metrics/system';
import { ERROR_RATE, LATENCY_P95, LATENCY_P95_STEPS } from './thresholds';

const order = { namespace: 'grekko', job: 'order-service', service: 'order-service' };
const requests = (ok: number, failed: number) => ({
  [`http_requests_total{namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0", code="200"}`]: `0+${ok}x30`,
  [`http_requests_total{namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0", code="503"}`]: `0+${failed}x30`,
});
/** Requests per minute, of which failed ones answer 503. */
const PER_MINUTE = 1000;
/** Failed requests per minute for an error rate (rounded to whole requests), and the rate they make. */
const failing = (rate: number) => Math.round(rate * PER_MINUTE);
const justUnder = failing(tidy(ERROR_RATE - 0.001));
const justOver = failing(tidy(ERROR_RATE + 0.001));

/** The buckets the services' histogram must have: half the objective, the objective, the dashboards' red step (metrics/trading.ts). */
const BUCKETS = [tidy(LATENCY_P95 / 2), LATENCY_P95, LATENCY_P95_STEPS[1]] as const;
/** Requests per minute finishing within each of BUCKETS, and in all. */
const latency = (within: readonly [number, number, number], all: number) => {
  const s = (le: string) =>
    `http_request_duration_seconds_bucket{namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0", le="${le}"}`;
  return { ...Object.fromEntries(BUCKETS.map((le, i) => [s(String(le)), `0+${within[i]}x30`])), [s('+Inf')]: `0+${all}x30` };
};
/** histogram_quantile's answer for those counts: linear within the bucket the rank falls in. */
const quantile = (q: number, within: readonly [number, number, number], all: number): number => {
  const rank = q * all;
  const counts = [...within, all];
  const bounds = [0, ...BUCKETS];
  const i = counts.findIndex((c) => c >= rank);
  const below = i === 0 ? 0 : counts[i - 1];
  return bounds[i] + ((bounds[i + 1] ?? bounds[i]) - bounds[i]) * ((rank - below) / (counts[i] - below));
};
const quick: [number, number, number] = [800, 955, 990];
const slow: [number, number, number] = [800, 940, 1000];

const probe = (kind: string, service: string, instance: string, extra = '') =>
  `probe_success{job="blackbox-${kind}", probe="${kind}", service="${service}", instance="${instance}"${extra}}`;
const health = { job: 'blackbox-health', probe: 'health', service: 'market-data-service', instance: 'http://market-data-service.grekko.svc:8080/health' };
const ready = { job: 'blackbox-readiness', probe: 'readiness', service: 'portfolio-service', instance: 'http://portfolio-service.grekko.svc:8080/ready' };
const synthetic = {
  job: 'blackbox-synthetic',
  probe: 'synthetic',
  service: 'order-service',
  check: 'order-roundtrip',
  instance: 'http://order-service.grekko.svc:8080/api/v1/orders/synthetic',
};

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: `a ${percent(justUnder / PER_MINUTE)} error rate stays quiet`,
      series: requests(PER_MINUTE - justUnder, justUnder),
      alerts: [{ at: '20m', alert: 'HighErrorRate', fires: [] }],
      queries: [
        {
          at: '20m',
          expr: 'service:http_request_errors:ratio_rate5m',
          samples: [
            {
              labels: 'service:http_request_errors:ratio_rate5m{namespace="grekko", job="order-service", service="order-service"}',
              value: justUnder / PER_MINUTE,
            },
          ],
        },
      ],
    },
    {
      name: 'a service without a single 5xx has an error ratio of 0, not none',
      series: {
        [`http_requests_total{namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0", code="200"}`]: '0+600x30',
      },
      alerts: [{ at: '20m', alert: 'HighErrorRate', fires: [] }],
      queries: [
        {
          at: '20m',
          expr: 'service:http_request_errors:ratio_rate5m',
          samples: [{ labels: 'service:http_request_errors:ratio_rate5m{namespace="grekko", job="order-service", service="order-service"}', value: 0 }],
        },
      ],
    },
    {
      name: `a ${percent(justOver / PER_MINUTE)} error rate for 5 minutes warns`,
      series: requests(PER_MINUTE - justOver, justOver),
      alerts: [{ at: '20m', alert: 'HighErrorRate', fires: [{ labels: order, value: justOver / PER_MINUTE }] }],
    },
    {
      name: `a P95 of about ${millis(Math.round(quantile(0.95, quick, PER_MINUTE) * 1000) / 1000)}, just under ${millis(LATENCY_P95)}, stays quiet`,
      series: latency(quick, PER_MINUTE),
      alerts: [{ at: '20m', alert: 'HighLatencyP95', fires: [] }],
    },
    {
      name: `a P95 of ${millis(tidy(quantile(0.95, slow, PER_MINUTE)))} for 10 minutes warns`,
      series: latency(slow, PER_MINUTE),
      alerts: [{ at: '20m', alert: 'HighLatencyP95', fires: [{ labels: order, value: quantile(0.95, slow, PER_MINUTE) }] }],
    },
    {
      name: 'a health check failing for 2 minutes pages; one failed probe does not',
      interval: '30s',
      series: {
        [probe('health', health.service, health.instance)]: '1 1 0 1 1 1 0 0 0 0 0',
        [probe('health', 'order-service', 'http://order-service.grekko.svc:8080/health')]: '1x10',
      },
      alerts: [
        { at: '2m', alert: 'ServiceHealthCheckFailing', fires: [] },
        { at: '4m', alert: 'ServiceHealthCheckFailing', fires: [] },
        { at: '5m', alert: 'ServiceHealthCheckFailing', fires: [{ labels: health }] },
      ],
    },
    {
      name: 'a service not ready for 5 minutes warns; 4 minutes do not',
      series: { [probe('readiness', ready.service, ready.instance)]: '1 0 0 0 0 0 0 0' },
      alerts: [
        { at: '5m', alert: 'ServiceNotReady', fires: [] },
        { at: '6m', alert: 'ServiceNotReady', fires: [{ labels: ready }] },
      ],
    },
    {
      name: 'the synthetic order failing for 2 minutes pages; a passing check stays quiet',
      interval: '30s',
      series: {
        [probe('synthetic', synthetic.service, synthetic.instance, ', check="order-roundtrip"')]: '1 1 0 0 0 0 0 0',
        [probe('synthetic', 'portfolio-service', 'http://portfolio-service.grekko.svc:8080/api/v1/synthetic', ', check="portfolio-read"')]: '1x8',
      },
      alerts: [
        { at: '2m', alert: 'SyntheticCheckFailing', fires: [] },
        { at: '3m', alert: 'SyntheticCheckFailing', fires: [{ labels: synthetic }] },
      ],
    },
  ],
};
