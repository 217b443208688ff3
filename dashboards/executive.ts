import { dashboardLink, defineDashboard, gaugePanel, namespaceVariable, q, statPanel, tablePanel, timeSeries, warnAt, warnBelow } from '../lib/dashboards';
import { FOLDERS, TAG, TRADING_NAMESPACE, UIDS } from './common';
import { AVAILABILITY_OBJECTIVE } from './recording-rules';

const ns = 'namespace=~"$namespace"';

/** Executive: overall health, trading summary, risk overview, revenue and P&L, SLO error budgets. */
export const executive = defineDashboard({
  uid: UIDS.executive,
  title: 'Grekko / Executive',
  folder: FOLDERS.grekko,
  tags: [TAG, 'executive', 'slo'],
  source: 'dashboards/executive.ts',
  description: 'Is Grekko up, is it trading well, how much risk does it carry, and what has it earned.',
  linkTag: TAG,
  links: [dashboardLink('Trading', UIDS.trading), dashboardLink('Operations', UIDS.operations)],
  from: 'now-7d',
  refresh: '5m',
  variables: [namespaceVariable('job:http_requests:rate5m', TRADING_NAMESPACE)],
  rows: [
    {
      title: 'Overall system health',
      panels: [
        statPanel({
          w: 6, h: 5, title: 'Availability, last 30 days', unit: 'percentunit', decimals: 3,
          description: `Share of requests served without a 5xx over 30 days, averaged over the services. Objective: ${AVAILABILITY_OBJECTIVE * 100}% per service.`,
          thresholds: warnBelow(AVAILABILITY_OBJECTIVE, AVAILABILITY_OBJECTIVE - 0.004),
          query: q(`1 - avg(job:http_request_errors:ratio_rate30d{${ns}})`),
        }),
        statPanel({
          w: 6, h: 5, title: 'Service targets up', unit: 'percentunit', thresholds: warnBelow(1, 0.9),
          query: q(`sum(up{${ns}}) / count(up{${ns}})`),
        }),
        statPanel({
          w: 6, h: 5, title: 'Critical alerts firing', unit: 'short', thresholds: warnAt(1, 1),
          links: [dashboardLink('Alertmanager', UIDS.alertmanager)],
          query: q('count(ALERTS{alertstate="firing", severity="critical"}) or vector(0)'),
        }),
        statPanel({
          w: 6, h: 5, title: 'Circuit breakers open', unit: 'short', thresholds: warnAt(1, 1),
          query: q('sum(grekko_circuit_breaker_open) or vector(0)'),
        }),
      ],
    },
    {
      title: 'Trading performance',
      panels: [
        statPanel({ w: 6, h: 5, title: 'Orders filled, last 24 h', unit: 'short', background: false, query: q('sum(increase(grekko_orders_total{status="filled"}[24h]))') }),
        statPanel({
          w: 6, h: 5, title: 'Fill rate', unit: 'percentunit', thresholds: warnBelow(0.95, 0.9), sparkline: true,
          query: q('sum(exchange_status:grekko_orders:rate5m{status="filled"}) / sum(exchange_status:grekko_orders:rate5m)'),
        }),
        statPanel({
          w: 6, h: 5, title: 'Mean order execution latency', unit: 's', thresholds: warnAt(0.04, 0.05), sparkline: true,
          description: 'Objective: under 50 ms on average.',
          query: q('sum(rate(grekko_order_execution_duration_seconds_sum[5m])) / sum(rate(grekko_order_execution_duration_seconds_count[5m]))'),
        }),
        statPanel({ w: 6, h: 5, title: 'Volume traded, last 24 h', unit: 'currencyUSD', background: false, query: q('sum(increase(grekko_trading_volume_usd_total[24h]))') }),
      ],
    },
    {
      title: 'Revenue and P&L',
      panels: [
        timeSeries({
          w: 12, h: 8, title: 'Profit and loss', unit: 'currencyUSD',
          queries: [q('sum(grekko_pnl_realized_usd)', 'realized'), q('sum(grekko_pnl_unrealized_usd)', 'unrealized'), q('sum(grekko_pnl_realized_usd) + sum(grekko_pnl_unrealized_usd)', 'total')],
        }),
        statPanel({ w: 4, h: 8, title: 'Realized P&L, last 24 h', unit: 'currencyUSD', thresholds: [[null, 'red'], [0, 'green']], query: q('sum(delta(grekko_pnl_realized_usd[24h]))') }),
        statPanel({ w: 4, h: 8, title: 'Fees paid, last 24 h', unit: 'currencyUSD', background: false, query: q('sum(increase(grekko_fees_usd_total[24h]))') }),
        timeSeries({ w: 4, h: 8, title: 'P&L by strategy', unit: 'currencyUSD', queries: [q('sum by (strategy) (grekko_pnl_realized_usd + grekko_pnl_unrealized_usd)', '{{strategy}}')] }),
      ],
    },
    {
      title: 'Risk overview',
      panels: [
        statPanel({ w: 6, h: 5, title: 'Value at risk (1 day, 99%)', unit: 'currencyUSD', background: false, query: q('max(grekko_risk_var_usd{horizon="1d", confidence="0.99"})') }),
        gaugePanel({
          w: 6, h: 5, title: 'Highest exposure against its limit', unit: 'percentunit', min: 0, max: 1, thresholds: warnAt(0.8, 0.95),
          query: q('max(grekko_risk_exposure_usd / grekko_risk_exposure_limit_usd)'),
        }),
        statPanel({ w: 6, h: 5, title: 'Maximum drawdown, 30 days', unit: 'percentunit', thresholds: warnAt(0.1, 0.2), query: q('max(grekko_risk_max_drawdown_ratio{window="30d"})') }),
        statPanel({ w: 6, h: 5, title: 'Sharpe ratio, 30 days', unit: 'none', decimals: 2, thresholds: warnBelow(1, 0), query: q('max(grekko_risk_sharpe_ratio{window="30d"})') }),
      ],
    },
    {
      title: 'SLO error budgets',
      panels: [
        tablePanel({
          w: 10, h: 9, title: 'Error budget left per service (30 days)', unit: 'percentunit', thresholds: warnBelow(0.25, 0),
          queries: [q(`job:http_request_error_budget:remaining_ratio30d{${ns}}`), q(`1 - job:http_request_errors:ratio_rate30d{${ns}}`)],
          columns: { job: 'Service', 'Value #A': 'Budget left', 'Value #B': 'Availability' },
          hide: ['__name__', 'namespace'],
        }),
        timeSeries({
          w: 14, h: 9, title: 'Error budget left over time', unit: 'percentunit', max: 1, thresholds: warnBelow(0.25, 0),
          queries: [q(`job:http_request_error_budget:remaining_ratio30d{${ns}}`, '{{job}}')],
        }),
      ],
    },
  ],
});
