/**
 * The strategy's service level objectives, as error budgets with multi-window, multi-burn-rate
 * alerts (lib/rules/slo.ts): a fast burn pages, a slow burn opens a ticket, missing SLI metrics
 * warn. Each SLO reads metrics of the catalog's trading contract (metrics/trading.ts); its alerts
 * link to the Executive dashboard, which shows every SLO's budget and burn rate.
 *
 * - API response time: P95 under LATENCY_P95, i.e. at least LATENCY_SLO_OBJECTIVE of requests faster.
 * - Order execution: average latency under ORDER_EXECUTION_MEAN, ORDER_EXECUTION_SLO_OBJECTIVE of
 *   the time (judged per scrape interval).
 * - System availability: AVAILABILITY per core trading service.
 * - Data freshness: market data younger than MARKET_DATA_FRESHNESS, in FRESHNESS_SLO_OBJECTIVE of minutes.
 * - Recovery time: a core service that goes down is back within RECOVERY_TIME, RECOVERY_SLO_OBJECTIVE
 *   of the time.
 *
 * The numbers are in alerts/thresholds.ts; the descriptions here write them with the formatters.
 */
import { SLOSpec, sloRuleGroups, validateSLOs } from '../lib/rules/slo';
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { CORE_SERVICES, SERVICE_TEAMS, TRADING_NAMESPACE, TRADING_SERVICES } from '../metrics/system';
import { millis, percent, seconds, tidy } from '../lib/core/units';
import {
  AVAILABILITY,
  FRESHNESS_SLO_OBJECTIVE,
  LATENCY_P95,
  LATENCY_SLO_OBJECTIVE,
  MARKET_DATA_FRESHNESS,
  ORDER_EXECUTION_MEAN,
  ORDER_EXECUTION_SLO_OBJECTIVE,
  RECOVERY_SLO_OBJECTIVE,
  RECOVERY_TIME,
} from './thresholds';
import { EXPECTED_SERVICES } from './availability';

const SOURCE = moduleSource(__filename);
const ns = `namespace="${TRADING_NAMESPACE}"`;
/** The core services' series only: those with an expected-service series (alerts/services.ts), whatever their number. */
const core = { series: EXPECTED_SERVICES, on: ['namespace', 'job'] } as const;
/** An SLO spec's objective is a percentage (99.9); the thresholds are ratios (0.999). */
const objective = (ratio: number): number => tidy(ratio * 100);

export const SLOS: readonly SLOSpec[] = [
  {
    name: 'api-latency',
    service: 'trading-api',
    objective: objective(LATENCY_SLO_OBJECTIVE),
    sli: { kind: 'latency', histogram: 'http_request_duration_seconds', selector: ns, within: core, thresholdSeconds: LATENCY_P95 },
    description: `API response time P95 stays under ${millis(LATENCY_P95)}: at least ${percent(LATENCY_SLO_OBJECTIVE)} of requests of the core services are served within ${millis(LATENCY_P95)}.`,
    runbook: 'docs/runbooks/slo-error-budget.md#api-latency',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
  {
    name: 'order-execution-latency',
    service: TRADING_SERVICES.orders,
    objective: objective(ORDER_EXECUTION_SLO_OBJECTIVE),
    sli: {
      kind: 'averageLatency',
      histogram: 'grekko_order_execution_duration_seconds',
      selector: `${ns}, job="${TRADING_SERVICES.orders}"`,
      boundSeconds: ORDER_EXECUTION_MEAN,
    },
    description: `Order execution averages under ${millis(ORDER_EXECUTION_MEAN)}: the average latency of the orders between two scrapes stays under ${millis(ORDER_EXECUTION_MEAN)} ${percent(ORDER_EXECUTION_SLO_OBJECTIVE)} of the time.`,
    runbook: 'docs/runbooks/slo-error-budget.md#order-execution-latency',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
  ...CORE_SERVICES.map((job): SLOSpec => ({
    name: `${job}-availability`,
    service: job,
    objective: objective(AVAILABILITY),
    sli: { kind: 'availability', metric: 'up', selector: `${ns}, job="${job}"` },
    description: `${job} is available ${percent(AVAILABILITY)} of the time: its instances answer Prometheus's scrapes.`,
    runbook: 'docs/runbooks/slo-error-budget.md#service-availability',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  })),
  {
    name: 'market-data-freshness',
    service: TRADING_SERVICES.marketData,
    objective: objective(FRESHNESS_SLO_OBJECTIVE),
    sli: {
      kind: 'freshness',
      timestampMetric: 'grekko_market_data_last_update_timestamp_seconds',
      selector: `${ns}, job="${TRADING_SERVICES.marketData}"`,
      boundSeconds: MARKET_DATA_FRESHNESS,
    },
    description: `Market data is fresher than ${seconds(MARKET_DATA_FRESHNESS)}: the oldest symbol was updated less than ${MARKET_DATA_FRESHNESS === 1 ? 'a second' : seconds(MARKET_DATA_FRESHNESS)} before each scrape, in ${percent(FRESHNESS_SLO_OBJECTIVE)} of minutes.`,
    runbook: 'docs/runbooks/slo-error-budget.md#market-data-freshness',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
  {
    name: 'service-recovery',
    service: 'trading-core',
    objective: objective(RECOVERY_SLO_OBJECTIVE),
    sli: { kind: 'recovery', metric: 'up', selector: ns, within: core, boundSeconds: RECOVERY_TIME },
    description: `A core trading service that goes down is back within ${seconds(RECOVERY_TIME)}; minutes in which one has been down longer than that spend the budget.`,
    runbook: 'docs/runbooks/slo-error-budget.md#service-recovery',
    dashboard: DASHBOARD_UIDS.executive,
    source: SOURCE,
  },
];

validateSLOs(SLOS);

/** Every SLO's recording and alerting groups; an SLO's alerts belong to the team of its service, the SLOs over several services to Trading. */
export const groups: readonly RuleGroup[] = withTeams(SLOS.flatMap(sloRuleGroups), { services: SERVICE_TEAMS, team: 'trading' });
