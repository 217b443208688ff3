/**
 * What Grekko's monitoring watches beside Kubernetes: its core trading services (probed for health
 * and readiness), the synthetic order that exercises the trading path end to end, and the
 * in-cluster addresses of its databases, cache and broker. The profiles pick from here and add
 * what differs per environment (credentials, TLS, brokers).
 */
import { ProbedService, SyntheticCheck } from '../lib/components/exporters/profile';
import { CORE_SERVICES, TRADING_NAMESPACE, TRADING_SERVICES } from '../metrics/system';
import { CRITICAL_PATH_SCRAPE_INTERVAL } from '../alerts/thresholds';

/**
 * The core trading services: a service down among these pages on-call. The list is the metrics
 * contract's (metrics/system.ts), so that every service `TradingServiceDown` watches is probed too.
 */
export const CORE_TRADING_SERVICES: readonly string[] = CORE_SERVICES;

/**
 * The paths that page when they stop, scraped every CRITICAL_PATH_SCRAPE_INTERVAL in every
 * environment (`prometheus.scrapeIntervals`): each core service (by the `job` its annotated Service
 * gives it) and the PostgreSQL and Redis exporters' jobs. Everything else keeps the environment's
 * scrape interval.
 */
export const CRITICAL_PATH_SCRAPE_INTERVALS: Readonly<Record<string, string>> = Object.fromEntries(
  [...CORE_TRADING_SERVICES, 'postgres-exporter', 'redis-exporter'].map((job) => [job, CRITICAL_PATH_SCRAPE_INTERVAL]),
);

/** Each core service on its HTTP port, with `/health` (liveness) and `/ready` (readiness). */
export const PROBED_SERVICES: readonly ProbedService[] = CORE_TRADING_SERVICES.map((name) => ({
  name,
  url: `http://${name}.${TRADING_NAMESPACE}.svc:8080`,
  healthPath: '/health',
  readinessPath: '/ready',
}));

/**
 * The synthetic transaction: a small market order in dry-run mode. The order service validates it,
 * runs the risk checks, prices it against live market data and answers without sending it to the
 * exchange; anything but 200 with `"status":"accepted"` and `"dry_run":true` fails the check.
 */
export const SYNTHETIC_ORDER: SyntheticCheck = {
  name: 'order-roundtrip',
  service: TRADING_SERVICES.orders,
  url: `http://${TRADING_SERVICES.orders}.${TRADING_NAMESPACE}.svc:8080/api/v1/orders/synthetic`,
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Dry-Run': 'true' },
  body: '{"symbol":"BTC-USD","side":"buy","type":"market","quantity":"0.0001","dry_run":true}',
  expectStatus: [200],
  expectBody: '"status":\\s*"accepted"[\\s\\S]*"dry_run":\\s*true|"dry_run":\\s*true[\\s\\S]*"status":\\s*"accepted"',
  interval: '30s',
};
