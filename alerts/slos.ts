/**
 * The strategy's service level objectives, as error budgets with multi-window, multi-burn-rate
 * alerts (lib/rules/slo.ts): a fast burn pages, a slow burn opens a ticket, missing SLI metrics
 * warn. Each SLO reads metrics of the catalog's trading contract (metrics/trading.ts); its alerts
 * link to the Executive dashboard, which shows every SLO's budget and burn rate.
 *
 * - API response time: P95 under 100 ms, i.e. at least 95% of requests faster than 100 ms.
 * - Order execution: average latency under 50 ms, 99% of the time (judged per scrape interval).
 * - System availability: 99.9% per core trading service.
 * - Data freshness: market data under 1 second old, in 99.9% of minutes.
 * - Recovery time: a core service that goes down is back within 5 minutes, 99.9% of the time.
 */
import { SLOSpec, sloRuleGroups, validateSLOs } from '../lib/rules/slo';
import { RuleGroup } from '../lib/rules/types';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { CORE_SERVICES, TRADING_NAMESPACE, TRADING_SERVICES } from '../metrics/trading';

const SOURCE = 'alerts/slos.ts';
const ns = `namespace="${TRADING_NAMESPACE}"`;
const coreJobs = `job=~"${CORE_SERVICES.join('|')}"`;

export const SLOS: readonly SLOSpec[] = [
  {
    name: 'api-latency',
    service: 'trading-api',
    objective: 95,
    sli: { kind: 'latency', histogram: 'http_request_duration_seconds', selector: `${ns}, ${coreJobs}`, thresholdSeconds: 0.1 },
    description: 'API response time P95 stays under 100 ms: at least 95% of requests of the core services are served within 100 ms.',
    runbook: 'docs/runbooks/slo-error-budget.md#api-latency',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
  {
    name: 'order-execution-latency',
    service: TRADING_SERVICES.orders,
    objective: 99,
    sli: { kind: 'averageLatency', histogram: 'grekko_order_execution_duration_seconds', selector: `${ns}, job="${TRADING_SERVICES.orders}"`, boundSeconds: 0.05 },
    description: 'Order execution averages under 50 ms: the average latency of the orders between two scrapes stays under 50 ms 99% of the time.',
    runbook: 'docs/runbooks/slo-error-budget.md#order-execution-latency',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
  ...CORE_SERVICES.map(
    (job): SLOSpec => ({
      name: `${job}-availability`,
      service: job,
      objective: 99.9,
      sli: { kind: 'availability', metric: 'up', selector: `${ns}, job="${job}"` },
      description: `${job} is available 99.9% of the time: its instances answer Prometheus's scrapes.`,
      runbook: `docs/runbooks/slo-error-budget.md#${job}-availability`,
      dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
    }),
  ),
  {
    name: 'market-data-freshness',
    service: TRADING_SERVICES.marketData,
    objective: 99.9,
    sli: { kind: 'freshness', timestampMetric: 'grekko_market_data_last_update_timestamp_seconds', selector: `${ns}, job="${TRADING_SERVICES.marketData}"`, boundSeconds: 1 },
    description: 'Market data is fresher than 1 second: the oldest symbol was updated less than a second before each scrape, in 99.9% of minutes.',
    runbook: 'docs/runbooks/slo-error-budget.md#market-data-freshness',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
  {
    name: 'service-recovery',
    service: 'trading-core',
    objective: 99.9,
    sli: { kind: 'recovery', metric: 'up', selector: `${ns}, ${coreJobs}`, boundSeconds: 300 },
    description: 'A core trading service that goes down is back within 5 minutes; minutes in which one has been down longer than that spend the budget.',
    runbook: 'docs/runbooks/slo-error-budget.md#service-recovery',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
];

validateSLOs(SLOS);

/** Every SLO's recording and alerting groups. */
export const groups: readonly RuleGroup[] = SLOS.flatMap(sloRuleGroups);
