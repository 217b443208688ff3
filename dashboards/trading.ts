import {
  dashboardLink,
  defineDashboard,
  traceSearchLink,
  gaugePanel,
  labelVariable,
  q,
  queryVariable,
  statPanel,
  tablePanel,
  timeSeries,
  upDownMappings,
  warnAt,
  warnBelow,
} from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG, TRACES_DATASOURCE, TRADING_SERVICES } from '../metrics/system';
import { millis, seconds } from '../lib/core/units';
import {
  ERROR_RATE_STEPS,
  MARKET_DATA_AGE_STEPS,
  MARKET_DATA_FRESHNESS,
  ORDER_EXECUTION_MEAN,
  ORDER_EXECUTION_STEPS,
  RATE_LIMIT_HEADROOM_STEPS,
  RISK_LIMIT_STEPS,
  TRANSACTION_SUCCESS_STEPS,
} from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const venue = 'venue=~"$venue"';
const feed = 'venue=~"$venue", symbol=~"$symbol"';

/** Trading: market data freshness, order book, orders and execution, positions and risk exposure, integrations. */
export const trading = defineDashboard({
  uid: UIDS.trading,
  title: 'Grekko / Trading',
  folder: FOLDERS.grekko,
  tags: [DASHBOARD_TAG, 'trading', 'risk'],
  source: SOURCE,
  description:
    'Real-time view for the trading desk: is market data fresh, how do the books look, how are orders executing, what do we hold and how much risk is that.',
  linkTag: DASHBOARD_TAG,
  links: [
    dashboardLink('Executive', UIDS.executive),
    dashboardLink('Kafka', UIDS.kafka),
    traceSearchLink('Order execution traces', TRACES_DATASOURCE, TRADING_SERVICES.orders),
    traceSearchLink('Market data traces', TRACES_DATASOURCE, TRADING_SERVICES.marketData),
  ],
  from: 'now-1h',
  refresh: '10s',
  variables: [
    labelVariable('venue', 'Venue', 'grekko_market_data_last_update_timestamp_seconds', 'venue'),
    queryVariable({ name: 'symbol', label: 'Symbol', query: 'label_values(grekko_market_data_last_update_timestamp_seconds{venue=~"$venue"}, symbol)' }),
  ],
  rows: [
    {
      title: 'Market data',
      panels: [
        statPanel({
          w: 6,
          h: 6,
          title: 'Stalest feed age',
          unit: 's',
          thresholds: warnAt(...MARKET_DATA_AGE_STEPS),
          description: `Objective: market data under ${seconds(MARKET_DATA_FRESHNESS)} old. The age when the service was last scraped (the sample's own timestamp, as MarketDataStale and the freshness SLO read it), so it does not saw-tooth by a scrape interval between scrapes.`,
          query: q(`max(timestamp(grekko_market_data_last_update_timestamp_seconds{${feed}}) - grekko_market_data_last_update_timestamp_seconds{${feed}})`),
        }),
        timeSeries({
          w: 10,
          h: 6,
          title: 'Feed age per symbol',
          unit: 's',
          min: 0,
          thresholds: warnAt(...MARKET_DATA_AGE_STEPS),
          queries: [
            q(
              `timestamp(grekko_market_data_last_update_timestamp_seconds{${feed}}) - grekko_market_data_last_update_timestamp_seconds{${feed}}`,
              '{{venue}} {{symbol}}',
            ),
          ],
        }),
        timeSeries({
          w: 8,
          h: 6,
          title: 'Market data updates per second',
          unit: 'short',
          min: 0,
          queries: [q(`sum by (venue) (rate(grekko_market_data_updates_total{${venue}}[$__rate_interval]))`, '{{venue}}')],
        }),
      ],
    },
    {
      title: 'Order book',
      panels: [
        timeSeries({
          w: 12,
          h: 7,
          title: 'Spread',
          unit: 'percentunit',
          min: 0,
          queries: [q(`grekko_orderbook_spread_ratio{${feed}}`, '{{venue}} {{symbol}}')],
        }),
        timeSeries({
          w: 12,
          h: 7,
          title: 'Depth within 1% of mid',
          unit: 'currencyUSD',
          min: 0,
          queries: [q(`sum by (symbol, side) (grekko_orderbook_depth_usd{${feed}})`, '{{symbol}} {{side}}')],
        }),
      ],
    },
    {
      title: 'Orders and execution',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Orders per second by outcome',
          unit: 'short',
          stack: true,
          queries: [q(`sum by (outcome) (service_venue_outcome:grekko_orders:rate5m{${venue}})`, '{{outcome}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Execution latency',
          unit: 's',
          min: 0,
          thresholds: warnAt(...ORDER_EXECUTION_STEPS),
          description: `Submission to venue acknowledgement. Objective: under ${millis(ORDER_EXECUTION_MEAN)} on average.`,
          queries: [
            q(`max by (venue) (service_venue:grekko_order_execution_duration_seconds:mean5m{${venue}})`, '{{venue}} mean'),
            ...[0.5, 0.95, 0.99].map((p) =>
              q(`histogram_quantile(${p}, sum by (le) (venue_le:grekko_order_execution_duration_seconds_bucket:rate5m{${venue}}))`, `p${Math.round(p * 100)}`),
            ),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Slippage (p95, absolute)',
          unit: 'percentunit',
          queries: [q(`histogram_quantile(0.95, sum by (venue, le) (rate(grekko_order_slippage_ratio_bucket{${venue}}[$__rate_interval])))`, '{{venue}}')],
        }),
        timeSeries({
          w: 8,
          h: 7,
          title: 'Coinbase API errors (5xx and 429)',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...ERROR_RATE_STEPS),
          queries: [
            q(
              'sum by (endpoint) (rate(grekko_coinbase_api_request_duration_seconds_count{code=~"5..|429"}[$__rate_interval])) / sum by (endpoint) (rate(grekko_coinbase_api_request_duration_seconds_count[$__rate_interval]))',
              '{{endpoint}}',
            ),
          ],
        }),
        timeSeries({
          w: 8,
          h: 7,
          title: 'Coinbase API latency (p95)',
          unit: 's',
          min: 0,
          queries: [
            q('histogram_quantile(0.95, sum by (endpoint, le) (rate(grekko_coinbase_api_request_duration_seconds_bucket[$__rate_interval])))', '{{endpoint}}'),
          ],
        }),
        gaugePanel({
          w: 8,
          h: 7,
          title: 'Coinbase rate limit left',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: warnBelow(...RATE_LIMIT_HEADROOM_STEPS),
          query: q('min by (scope) (grekko_coinbase_rate_limit_remaining / grekko_coinbase_rate_limit_limit)', '{{scope}}'),
        }),
      ],
    },
    {
      title: 'Positions and risk exposure',
      panels: [
        tablePanel({
          w: 12,
          h: 8,
          title: 'Open positions',
          unit: 'currencyUSD',
          sortBy: 'Value',
          queries: [q('sum by (asset) (grekko_portfolio_position_usd) != 0')],
          columns: { asset: 'Asset', Value: 'Position' },
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Net exposure per asset',
          unit: 'currencyUSD',
          queries: [q('sum by (asset) (grekko_risk_exposure_usd)', '{{asset}}')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Risk limit use',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...RISK_LIMIT_STEPS),
          description: 'Each risk limit (position, notional, loss, leverage); at 100% the risk service refuses orders and RiskLimitBreached pages.',
          queries: [q('max by (limit) (grekko_risk_limit_utilization_ratio)', '{{limit}}')],
        }),
        statPanel({
          w: 3,
          h: 8,
          title: 'Breakers open',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q('sum(grekko_risk_circuit_breaker_open) or vector(0)'),
        }),
        statPanel({
          w: 3,
          h: 8,
          title: 'Breaker trips, 24 h',
          unit: 'short',
          thresholds: warnAt(1, 5),
          query: q('sum(increase(grekko_risk_circuit_breaker_trips_total[24h])) or vector(0)'),
        }),
        statPanel({
          w: 3,
          h: 8,
          title: 'Compliance violations, 24 h',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q('sum(increase(grekko_risk_compliance_violations_total[24h])) or vector(0)'),
        }),
        statPanel({
          w: 3,
          h: 8,
          title: 'VaR 1 d 99%',
          unit: 'currencyUSD',
          background: false,
          query: q('max(grekko_portfolio_value_at_risk_usd{horizon="1d", confidence="0.99"})'),
        }),
      ],
    },
    {
      title: 'Wallet and agents',
      panels: [
        statPanel({
          w: 4,
          h: 7,
          title: 'Wallet connection',
          mappings: upDownMappings('CONNECTED', 'DISCONNECTED'),
          query: q('min(grekko_metamask_wallet_connected)'),
        }),
        timeSeries({
          w: 7,
          h: 7,
          title: 'On-chain transaction success',
          unit: 'percentunit',
          max: 1,
          thresholds: warnBelow(...TRANSACTION_SUCCESS_STEPS),
          queries: [
            q(
              'sum by (chain) (rate(grekko_metamask_transactions_total{outcome="confirmed"}[$__rate_interval])) / sum by (chain) (rate(grekko_metamask_transactions_total[$__rate_interval]))',
              '{{chain}}',
            ),
          ],
        }),
        timeSeries({
          w: 5,
          h: 7,
          title: 'Gas used per second',
          unit: 'short',
          queries: [q('sum by (chain) (rate(grekko_metamask_gas_used_sum[$__rate_interval]))', '{{chain}}')],
        }),
        timeSeries({
          w: 8,
          h: 7,
          title: 'Agent consensus latency',
          unit: 's',
          min: 0,
          queries: [0.5, 0.95].map((p) =>
            q(`histogram_quantile(${p}, sum by (le) (rate(grekko_agent_consensus_duration_seconds_bucket[$__rate_interval])))`, `p${Math.round(p * 100)}`),
          ),
        }),
        timeSeries({
          w: 24,
          h: 7,
          title: 'Coinbase orders per second by outcome',
          unit: 'short',
          stack: true,
          queries: [q('sum by (side, outcome) (rate(grekko_coinbase_orders_total[$__rate_interval]))', '{{side}} {{outcome}}')],
        }),
      ],
    },
  ],
});
