import { dashboardLink, defineDashboard, gaugePanel, namespaceVariable, q, statPanel, tablePanel, timeSeries, warnAt, warnBelow } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { BURN_RATE_WINDOWS, SLO_RECORDS, burnRateFactor } from '../lib/rules/slo';
import { SLOS } from '../alerts/slos';
import { ConfigError } from '../lib/core/errors';
import { FOLDERS, SERVICE_RED, UIDS } from './common';
import { DASHBOARD_TAG, TRADING_NAMESPACE } from '../metrics/system';
import { millis, percent } from '../lib/core/units';
import {
  DRAWDOWN,
  FILL_RATE_STEPS,
  MAX_DRAWDOWN_30D,
  ORDER_EXECUTION_MEAN,
  ORDER_EXECUTION_STEPS,
  RISK_LIMIT_STEPS,
  SLIPPAGE,
  SLIPPAGE_STEPS,
  SLOS_WITHIN_BUDGET_STEPS,
  TARGETS_UP_STEPS,
} from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const ns = 'namespace=~"$namespace"';
/** The SLOs' period: the burn-rate panel draws one set of page thresholds, so they must share it. */
const periods = [...new Set(SLOS.map((s) => s.period ?? '30d'))];
if (periods.length !== 1)
  throw new ConfigError(
    `dashboard "${UIDS.executive}" (${SOURCE})`,
    'SLOS[].period',
    periods.join(', '),
    'give every SLO of alerts/slos.ts the same period, or draw one burn-rate panel per period',
  );
/** The burn rates at which the SLO pages fire (lib/rules/slo.ts), for that period, fastest first. */
const pageBurnRates = BURN_RATE_WINDOWS.filter((w) => w.severity === 'critical').map((w) => ({
  rate: burnRateFactor(w, periods[0]),
  window: w.long.replace(/^(\d+)/, '$1 '),
}));
const [fastBurn, slowBurn] = pageBurnRates;
/** Every SLO and its service, as the SLO generator labels its series. */
const bySlo = 'service, slo';

/** Executive: overall health, trading summary, risk overview, revenue and P&L, SLO error budgets. */
export const executive = defineDashboard({
  uid: UIDS.executive,
  title: 'Grekko / Executive',
  folder: FOLDERS.grekko,
  tags: [DASHBOARD_TAG, 'executive', 'slo'],
  source: SOURCE,
  description: 'Is Grekko up, is it trading well, how much risk does it carry, what has it earned, and how much error budget each SLO has left.',
  linkTag: DASHBOARD_TAG,
  links: [dashboardLink('Trading', UIDS.trading), dashboardLink('Operations', UIDS.operations)],
  from: 'now-7d',
  refresh: '5m',
  variables: [namespaceVariable(SERVICE_RED.requests, TRADING_NAMESPACE)],
  rows: [
    {
      title: 'Overall system health',
      panels: [
        statPanel({
          w: 6,
          h: 5,
          title: 'SLOs within budget',
          unit: 'percentunit',
          thresholds: warnBelow(...SLOS_WITHIN_BUDGET_STEPS),
          description: 'Share of the SLOs that still have error budget left for their period.',
          query: q(`avg(${SLO_RECORDS.budgetRemaining} > bool 0)`),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Service targets up',
          unit: 'percentunit',
          thresholds: warnBelow(...TARGETS_UP_STEPS),
          query: q(`sum(up{${ns}}) / count(up{${ns}})`),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Critical alerts firing',
          unit: 'short',
          thresholds: warnAt(1, 1),
          links: [dashboardLink('Alertmanager', UIDS.alertmanager)],
          query: q('count(ALERTS{alertstate="firing", severity="critical"}) or vector(0)'),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Circuit breakers open',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q('sum(grekko_risk_circuit_breaker_open) or vector(0)'),
        }),
      ],
    },
    {
      title: 'Trading performance',
      panels: [
        statPanel({
          w: 6,
          h: 5,
          title: 'Orders filled, last 24 h',
          unit: 'short',
          background: false,
          query: q('sum(increase(grekko_orders_total{outcome="filled"}[24h]))'),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Fill rate',
          unit: 'percentunit',
          thresholds: warnBelow(...FILL_RATE_STEPS),
          sparkline: true,
          query: q('sum(service_venue_outcome:grekko_orders:rate5m{outcome="filled"}) / sum(service_venue_outcome:grekko_orders:rate5m)'),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Mean order execution latency',
          unit: 's',
          thresholds: warnAt(...ORDER_EXECUTION_STEPS),
          sparkline: true,
          description: `Objective: under ${millis(ORDER_EXECUTION_MEAN)} on average.`,
          query: q('sum(rate(grekko_order_execution_duration_seconds_sum[5m])) / sum(rate(grekko_order_execution_duration_seconds_count[5m]))'),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Mean slippage, last 24 h',
          unit: 'percentunit',
          thresholds: warnAt(...SLIPPAGE_STEPS),
          background: false,
          description: `Executed price against the expected price, averaged over every order of the last day. The order alerts warn above ${percent(SLIPPAGE)}.`,
          query: q('sum(increase(grekko_order_slippage_ratio_sum[24h])) / sum(increase(grekko_order_slippage_ratio_count[24h]))'),
        }),
      ],
    },
    {
      title: 'Revenue and P&L',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'Profit and loss of the day',
          unit: 'currencyUSD',
          queries: [
            q('sum(grekko_portfolio_pnl_usd{kind="realized"})', 'realized'),
            q('sum(grekko_portfolio_pnl_usd{kind="unrealized"})', 'unrealized'),
            q('sum(grekko_portfolio_pnl_usd)', 'total'),
          ],
        }),
        statPanel({
          w: 4,
          h: 8,
          title: 'Realized P&L today',
          unit: 'currencyUSD',
          thresholds: [
            [null, 'red'],
            [0, 'green'],
          ],
          query: q('sum(grekko_portfolio_pnl_usd{kind="realized"})'),
        }),
        statPanel({
          w: 4,
          h: 8,
          title: 'Unrealized P&L now',
          unit: 'currencyUSD',
          thresholds: [
            [null, 'red'],
            [0, 'green'],
          ],
          query: q('sum(grekko_portfolio_pnl_usd{kind="unrealized"})'),
        }),
        statPanel({
          w: 4,
          h: 8,
          title: 'Drawdown from peak',
          unit: 'percentunit',
          thresholds: warnAt(...DRAWDOWN),
          query: q('max(grekko_portfolio_drawdown_ratio)'),
        }),
      ],
    },
    {
      title: 'Risk overview',
      panels: [
        statPanel({
          w: 6,
          h: 5,
          title: 'Value at risk (1 day, 99%)',
          unit: 'currencyUSD',
          background: false,
          query: q('max(grekko_portfolio_value_at_risk_usd{horizon="1d", confidence="0.99"})'),
        }),
        gaugePanel({
          w: 6,
          h: 5,
          title: 'Most used risk limit',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: warnAt(...RISK_LIMIT_STEPS),
          description: 'The risk limit (position, notional, loss, leverage) closest to being reached; at 100% the risk service refuses orders.',
          query: q('max(grekko_risk_limit_utilization_ratio)'),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Maximum drawdown, 30 days',
          unit: 'percentunit',
          thresholds: warnAt(...MAX_DRAWDOWN_30D),
          query: q('max(grekko_portfolio_max_drawdown_ratio{window="30d"})'),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Sharpe ratio, 30 days',
          unit: 'none',
          decimals: 2,
          thresholds: warnBelow(1, 0),
          query: q('max(grekko_portfolio_sharpe_ratio{window="30d"})'),
        }),
      ],
    },
    {
      // One panel per question, one row per SLO inside it: adding an SLO adds rows, never panels.
      title: 'SLO error budgets',
      panels: [
        tablePanel({
          w: 24,
          h: 9,
          title: 'Every SLO: objective, budget left, burn rate',
          sortBy: 'Value #B',
          description: `Budget left: share of the error budget of the SLO period not yet spent (below 0: the SLO is breached). Burn rate: how fast the budget is spent, 1 spending exactly the budget over the period; the page alerts fire at ${fastBurn.rate} (${fastBurn.window}) and ${slowBurn.rate} (${slowBurn.window}).`,
          queries: [
            q(`max by (${bySlo}) (${SLO_RECORDS.objective})`),
            q(`max by (${bySlo}) (${SLO_RECORDS.budgetRemaining})`),
            q(`max by (${bySlo}) (${SLO_RECORDS.currentBurnRate})`),
            q(`max by (${bySlo}) (${SLO_RECORDS.periodBurnRate})`),
            // The period's error ratio is its burn rate times the budget.
            q(`1 - max by (${bySlo}) (${SLO_RECORDS.periodBurnRate}) * on (${bySlo}) max by (${bySlo}) (${SLO_RECORDS.errorBudget})`),
          ],
          columns: {
            service: 'Service',
            slo: 'SLO',
            'Value #A': 'Objective',
            'Value #B': 'Budget left',
            'Value #C': 'Burn rate (5 m)',
            'Value #D': 'Burn rate (period)',
            'Value #E': 'Good over the period',
          },
        }),
        timeSeries({
          w: 12,
          h: 9,
          title: 'Error budget left',
          unit: 'percentunit',
          max: 1,
          thresholds: warnBelow(0.25, 0),
          queries: [q(`max by (${bySlo}) (${SLO_RECORDS.budgetRemaining})`, '{{service}} {{slo}}')],
        }),
        timeSeries({
          w: 12,
          h: 9,
          title: 'Burn rate (5 minutes)',
          unit: 'none',
          min: 0,
          thresholds: warnAt(slowBurn.rate, fastBurn.rate),
          queries: [q(`max by (${bySlo}) (${SLO_RECORDS.currentBurnRate})`, '{{service}} {{slo}}')],
        }),
      ],
    },
  ],
});
