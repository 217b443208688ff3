import { RuleTestSuite } from '../lib/rules/testing';
import { CORE_SERVICES } from '../metrics';

/** Every core service up with one instance, except those given. */
function servicesUp(except: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of CORE_SERVICES.filter((x) => !except.includes(x))) out[`up{namespace="grekko", job="${s}", service="${s}", pod="${s}-0"}`] = '1x30';
  return out;
}

const order = { namespace: 'grekko', job: 'order-service', service: 'order-service' };
const requests = (ok: number, failed: number) => ({
  'http_requests_total{namespace="grekko", job="order-service", service="order-service", pod="order-service-0", code="200"}': `0+${ok}x30`,
  'http_requests_total{namespace="grekko", job="order-service", service="order-service", pod="order-service-0", code="503"}': `0+${failed}x30`,
});
/** Requests per minute finishing within 50 ms, 100 ms, 250 ms, and in all. */
const latency = (le005: number, le01: number, le025: number, all: number) => {
  const s = (le: string) => `http_request_duration_seconds_bucket{namespace="grekko", job="order-service", service="order-service", pod="order-service-0", le="${le}"}`;
  return { [s('0.05')]: `0+${le005}x30`, [s('0.1')]: `0+${le01}x30`, [s('0.25')]: `0+${le025}x30`, [s('+Inf')]: `0+${all}x30` };
};

const probe = (kind: string, service: string, instance: string, extra = '') =>
  `probe_success{job="blackbox-${kind}", probe="${kind}", service="${service}", instance="${instance}"${extra}}`;
const health = { job: 'blackbox-health', probe: 'health', service: 'market-data-service', instance: 'http://market-data-service.grekko.svc:8080/health' };
const ready = { job: 'blackbox-readiness', probe: 'readiness', service: 'portfolio-service', instance: 'http://portfolio-service.grekko.svc:8080/ready' };
const synthetic = { job: 'blackbox-synthetic', probe: 'synthetic', service: 'order-service', check: 'order-roundtrip', instance: 'http://order-service.grekko.svc:8080/api/v1/orders/synthetic' };

export const suite: RuleTestSuite = {
  source: 'alerts/services.ts',
  tests: [
    {
      name: 'every core service up: nothing fires',
      series: servicesUp(),
      alerts: [{ at: '10m', alert: 'TradingServiceDown', fires: [] }],
    },
    {
      name: 'one of two order-service pods down: the service is still up',
      series: { ...servicesUp(), 'up{namespace="grekko", job="order-service", service="order-service", pod="order-service-1"}': '0x30' },
      alerts: [{ at: '10m', alert: 'TradingServiceDown', fires: [] }],
    },
    {
      name: 'order-service down for 2 minutes pages; after 1 minute it does not yet',
      series: { ...servicesUp(['order-service']), 'up{namespace="grekko", job="order-service", service="order-service", pod="order-service-0"}': '1 1 1 1 1 0 0 0 0 0 0' },
      alerts: [
        { at: '6m', alert: 'TradingServiceDown', fires: [] },
        { at: '7m', alert: 'TradingServiceDown', fires: [{ labels: order }] },
      ],
    },
    {
      name: 'risk-service scaled to zero (no target at all) pages',
      series: servicesUp(['risk-service']),
      alerts: [{ at: '5m', alert: 'TradingServiceDown', fires: [{ labels: { namespace: 'grekko', job: 'risk-service', service: 'risk-service' } }] }],
    },
    {
      name: 'a 4.9% error rate stays quiet',
      series: requests(951, 49),
      alerts: [{ at: '20m', alert: 'HighErrorRate', fires: [] }],
      queries: [{ at: '20m', expr: 'service:http_request_errors:ratio_rate5m', samples: [{ labels: 'service:http_request_errors:ratio_rate5m{namespace="grekko", job="order-service", service="order-service"}', value: 0.049 }] }],
    },
    {
      name: 'a service without a single 5xx has an error ratio of 0, not none',
      series: { 'http_requests_total{namespace="grekko", job="order-service", service="order-service", pod="order-service-0", code="200"}': '0+600x30' },
      alerts: [{ at: '20m', alert: 'HighErrorRate', fires: [] }],
      queries: [{ at: '20m', expr: 'service:http_request_errors:ratio_rate5m', samples: [{ labels: 'service:http_request_errors:ratio_rate5m{namespace="grekko", job="order-service", service="order-service"}', value: 0 }] }],
    },
    {
      name: 'a 5.1% error rate for 5 minutes warns',
      series: requests(949, 51),
      alerts: [{ at: '20m', alert: 'HighErrorRate', fires: [{ labels: order, value: 0.051 }] }],
    },
    {
      name: 'a P95 just under 100 ms stays quiet',
      series: latency(800, 955, 990, 1000),
      alerts: [{ at: '20m', alert: 'HighLatencyP95', fires: [] }],
    },
    {
      name: 'a P95 of 125 ms for 10 minutes warns',
      series: latency(800, 940, 1000, 1000),
      alerts: [{ at: '20m', alert: 'HighLatencyP95', fires: [{ labels: order, value: 0.125 }] }],
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
