import { dashboardLink, defineDashboard, gaugePanel, labelVariable, q, queryVariable, statPanel, tablePanel, timeSeries, upDownMappings, warnAt, warnBelow } from '../lib/dashboards';
import { FOLDERS, TAG, UIDS } from './common';

const ex = 'exchange=~"$exchange"';
const feed = 'exchange=~"$exchange", symbol=~"$symbol"';

/** Trading: market data freshness, order book, orders and execution, positions and risk exposure, integrations. */
export const trading = defineDashboard({
  uid: UIDS.trading,
  title: 'Grekko / Trading',
  folder: FOLDERS.grekko,
  tags: [TAG, 'trading', 'risk'],
  source: 'dashboards/trading.ts',
  description: 'Real-time view for the trading desk: is market data fresh, how do the books look, how are orders executing, what do we hold and how much risk is that.',
  linkTag: TAG,
  links: [dashboardLink('Executive', UIDS.executive), dashboardLink('Kafka', UIDS.kafka)],
  from: 'now-1h',
  refresh: '10s',
  variables: [
    labelVariable('exchange', 'Exchange', 'grekko_market_data_last_update_timestamp_seconds', 'exchange'),
    queryVariable({ name: 'symbol', label: 'Symbol', query: 'label_values(grekko_market_data_last_update_timestamp_seconds{exchange=~"$exchange"}, symbol)' }),
  ],
  rows: [
    {
      title: 'Market data',
      panels: [
        statPanel({
          w: 6, h: 6, title: 'Stalest feed age', unit: 's', thresholds: warnAt(0.5, 1),
          description: 'Objective: market data under 1 second old.',
          query: q(`max(time() - grekko_market_data_last_update_timestamp_seconds{${feed}})`),
        }),
        timeSeries({
          w: 10, h: 6, title: 'Feed age per symbol', unit: 's', min: 0, thresholds: warnAt(0.5, 1),
          queries: [q(`time() - grekko_market_data_last_update_timestamp_seconds{${feed}}`, '{{exchange}} {{symbol}}')],
        }),
        timeSeries({
          w: 8, h: 6, title: 'Market data messages per second', unit: 'short', min: 0,
          queries: [q(`sum by (exchange, channel) (rate(grekko_market_data_messages_total{${ex}}[$__rate_interval]))`, '{{exchange}} {{channel}}')],
        }),
      ],
    },
    {
      title: 'Order book',
      panels: [
        timeSeries({ w: 12, h: 7, title: 'Spread', unit: 'percentunit', min: 0, queries: [q(`grekko_orderbook_spread_ratio{${feed}}`, '{{exchange}} {{symbol}}')] }),
        timeSeries({ w: 12, h: 7, title: 'Depth within 1% of mid', unit: 'currencyUSD', min: 0, queries: [q(`sum by (symbol, side) (grekko_orderbook_depth_usd{${feed}})`, '{{symbol}} {{side}}')] }),
      ],
    },
    {
      title: 'Orders and execution',
      panels: [
        timeSeries({
          w: 8, h: 8, title: 'Orders per second by outcome', unit: 'short', stack: true,
          queries: [q(`sum by (status) (exchange_status:grekko_orders:rate5m{${ex}})`, '{{status}}')],
        }),
        timeSeries({
          w: 8, h: 8, title: 'Execution latency', unit: 's', min: 0, thresholds: warnAt(0.04, 0.05),
          description: 'Decision to exchange acknowledgement. Objective: under 50 ms on average.',
          queries: [
            q(`avg(exchange:grekko_order_execution_duration_seconds:mean5m{${ex}})`, 'mean'),
            ...[0.5, 0.95, 0.99].map((p) => q(`histogram_quantile(${p}, sum by (le) (exchange_le:grekko_order_execution_duration_seconds_bucket:rate5m{${ex}}))`, `p${Math.round(p * 100)}`)),
          ],
        }),
        timeSeries({
          w: 8, h: 8, title: 'Slippage (p95, absolute)', unit: 'percentunit',
          queries: [q(`histogram_quantile(0.95, sum by (exchange, side, le) (rate(grekko_order_slippage_ratio_bucket{${ex}}[$__rate_interval])))`, '{{exchange}} {{side}}')],
        }),
        timeSeries({
          w: 8, h: 7, title: 'Exchange API errors (5xx and 429)', unit: 'percentunit', min: 0, thresholds: warnAt(0.01, 0.05),
          queries: [
            q(
              `sum by (exchange) (rate(grekko_exchange_api_requests_total{${ex}, code=~"5..|429"}[$__rate_interval])) / sum by (exchange) (rate(grekko_exchange_api_requests_total{${ex}}[$__rate_interval]))`,
              '{{exchange}}',
            ),
          ],
        }),
        timeSeries({
          w: 8, h: 7, title: 'Exchange API latency (p95)', unit: 's', min: 0,
          queries: [q(`histogram_quantile(0.95, sum by (exchange, endpoint, le) (rate(grekko_exchange_api_request_duration_seconds_bucket{${ex}}[$__rate_interval])))`, '{{exchange}} {{endpoint}}')],
        }),
        gaugePanel({
          w: 8, h: 7, title: 'Rate limit left', unit: 'percentunit', min: 0, max: 1, thresholds: warnBelow(0.2, 0.1),
          query: q(`min by (exchange) (grekko_exchange_rate_limit_remaining{${ex}} / grekko_exchange_rate_limit{${ex}})`, '{{exchange}}'),
        }),
      ],
    },
    {
      title: 'Positions and risk exposure',
      panels: [
        tablePanel({
          w: 12, h: 8, title: 'Open positions', unit: 'currencyUSD', sortBy: 'Value',
          queries: [q(`sum by (exchange, symbol, strategy) (grekko_position_notional_usd{${ex}}) != 0`)],
          columns: { exchange: 'Exchange', symbol: 'Symbol', strategy: 'Strategy', Value: 'Notional' },
        }),
        timeSeries({
          w: 12, h: 8, title: 'Exposure against limit per asset', unit: 'percentunit', min: 0, thresholds: warnAt(0.8, 0.95),
          queries: [q('grekko_risk_exposure_usd / grekko_risk_exposure_limit_usd', '{{asset}}')],
        }),
        statPanel({ w: 6, h: 4, title: 'Breakers open', unit: 'short', thresholds: warnAt(1, 1), query: q('sum(grekko_circuit_breaker_open) or vector(0)') }),
        statPanel({ w: 6, h: 4, title: 'Compliance violations, 24 h', unit: 'short', thresholds: warnAt(1, 1), query: q('sum(increase(grekko_compliance_violations_total[24h])) or vector(0)') }),
        statPanel({ w: 6, h: 4, title: 'Breaker trips, 24 h', unit: 'short', thresholds: warnAt(1, 5), query: q('sum(increase(grekko_circuit_breaker_trips_total[24h])) or vector(0)') }),
        statPanel({ w: 6, h: 4, title: 'VaR 1 d 99%', unit: 'currencyUSD', background: false, query: q('max(grekko_risk_var_usd{horizon="1d", confidence="0.99"})') }),
      ],
    },
    {
      title: 'Wallet and agents',
      panels: [
        statPanel({ w: 4, h: 7, title: 'Wallet connection', mappings: upDownMappings('CONNECTED', 'DISCONNECTED'), query: q('min(grekko_wallet_connected)') }),
        timeSeries({
          w: 7, h: 7, title: 'On-chain transaction success', unit: 'percentunit', max: 1, thresholds: warnBelow(0.99, 0.95),
          queries: [q('sum by (network) (rate(grekko_wallet_transactions_total{status="confirmed"}[$__rate_interval])) / sum by (network) (rate(grekko_wallet_transactions_total[$__rate_interval]))', '{{network}}')],
        }),
        timeSeries({ w: 5, h: 7, title: 'Gas used per second', unit: 'short', queries: [q('sum by (network) (rate(grekko_wallet_gas_used_total[$__rate_interval]))', '{{network}}')] }),
        timeSeries({
          w: 8, h: 7, title: 'Agent consensus latency (p95)', unit: 's', min: 0,
          queries: [q('histogram_quantile(0.95, sum by (decision, le) (rate(grekko_agent_consensus_duration_seconds_bucket[$__rate_interval])))', '{{decision}}')],
        }),
      ],
    },
  ],
});
