import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { millis, percent, seconds, tidy } from '../lib/core/units';
import { AGENT_CONSENSUS_P95, ERROR_RATE, MARKET_DATA_STALE, ORDER_EXECUTION_MEAN, RATE_LIMIT_HEADROOM, SLIPPAGE } from './thresholds';
import { TRADING_NAMESPACE } from '../metrics/system';

const t = `namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0"`;
const orderLabels = { namespace: 'grekko', job: 'order-service', service: 'order-service', venue: 'coinbase' };
const cb = `namespace="${TRADING_NAMESPACE}", job="coinbase-connector", service="coinbase-connector", pod="coinbase-connector-0"`;
const mm = `namespace="${TRADING_NAMESPACE}", job="metamask-connector", service="metamask-connector", pod="metamask-connector-0"`;
const md = `namespace="${TRADING_NAMESPACE}", job="market-data-service", service="market-data-service", pod="market-data-service-0"`;
const ag = `namespace="${TRADING_NAMESPACE}", job="agent-coordinator", service="agent-coordinator", pod="agent-coordinator-0"`;

/** Orders per minute taking `avgMs` on average. */
const execution = (perMinute: number, avgMs: number) => ({
  [`grekko_order_execution_duration_seconds_sum{${t}, venue="coinbase", order_type="limit"}`]: `0+${(perMinute * avgMs) / 1000}x40`,
  [`grekko_order_execution_duration_seconds_count{${t}, venue="coinbase", order_type="limit"}`]: `0+${perMinute}x40`,
});
const outcomes = (filled: number, rejected: number) => ({
  [`grekko_orders_total{${t}, venue="coinbase", side="buy", outcome="filled"}`]: `0+${filled}x40`,
  [`grekko_orders_total{${t}, venue="coinbase", side="buy", outcome="rejected"}`]: `0+${rejected}x40`,
});
const slippage = (perMinute: number, avg: number) => ({
  [`grekko_order_slippage_ratio_sum{${t}, venue="coinbase"}`]: `0+${perMinute * avg}x60`,
  [`grekko_order_slippage_ratio_count{${t}, venue="coinbase"}`]: `0+${perMinute}x60`,
});
const rateLimit = (remaining: number) => ({
  [`grekko_coinbase_rate_limit_remaining{${cb}, scope="private"}`]: `${remaining}x20`,
  [`grekko_coinbase_rate_limit_limit{${cb}, scope="private"}`]: '100x20',
});
const transactions = (confirmed: number, reverted: number) => ({
  [`grekko_metamask_transactions_total{${mm}, chain="ethereum", outcome="confirmed"}`]: `0+${confirmed}x60`,
  [`grekko_metamask_transactions_total{${mm}, chain="ethereum", outcome="reverted"}`]: `0+${reverted}x60`,
});
/**
 * A market data feed scraped every 15 s (production's interval), out of phase with rule
 * evaluation as real scrapes are: promtool evaluates at whole minutes, and the scrapes land at
 * 10 s, 25 s, 40 s, 55 s of each minute (5 s input steps, empty where no scrape happens). Each
 * scrape sees an update `ageSeconds` old; from `stopsAt` seconds on the feed stops updating and
 * every later scrape sees the last update again.
 */
const SCRAPE_STEP = '5s';
const scrapedFeed = (ageSeconds: number, stopsAt?: number) => {
  const values: string[] = [];
  let last = 0;
  for (let t = 0; t <= 15 * 60; t += 5) {
    if (t % 15 !== 10) {
      values.push('_');
      continue;
    }
    if (stopsAt === undefined || t < stopsAt) last = t - ageSeconds;
    values.push(String(last));
  }
  return { [`grekko_market_data_last_update_timestamp_seconds{${md}, venue="coinbase", symbol="BTC-USD"}`]: values.join(' ') };
};
/** Market data whose last update is `ageSeconds` old at every sample. */
const freshness = (ageSeconds: number) => ({
  [`grekko_market_data_last_update_timestamp_seconds{${md}, venue="coinbase", symbol="BTC-USD"}`]: `${-ageSeconds}+60x20`,
});
const consensus = (le05: number, le1: number, all: number) => {
  const s = (le: string) => `grekko_agent_consensus_duration_seconds_bucket{${ag}, le="${le}"}`;
  return { [s('0.25')]: `0+${Math.min(le05, 50)}x30`, [s('0.5')]: `0+${le05}x30`, [s('1')]: `0+${le1}x30`, [s('+Inf')]: `0+${all}x30` };
};
const events = (ok: number, failed: number) => ({
  [`grekko_agent_events_processed_total{${ag}, event_type="signal", outcome="success"}`]: `0+${ok}x30`,
  [`grekko_agent_events_processed_total{${ag}, event_type="signal", outcome="error"}`]: `0+${failed}x30`,
});

// The edge cases sit just either side of each threshold, in whole orders, events and requests.
/** Orders, events or transactions per minute in the failure-rate cases. */
const PER_MINUTE = 1000;
const failing = (rate: number, total = PER_MINUTE) => Math.round(rate * total);
const errorsUnder = failing(tidy(ERROR_RATE - 0.001));
const errorsOver = failing(tidy(ERROR_RATE + 0.001));
/** On-chain transactions per minute: fewer, so a point either side of the threshold. */
const TRANSACTIONS = 100;
const revertedUnder = failing(tidy(ERROR_RATE - 0.01), TRANSACTIONS);
const revertedOver = failing(tidy(ERROR_RATE + 0.01), TRANSACTIONS);
/** Execution a millisecond either side of the objective. */
const ORDERS = 600;
const fastMs = tidy(ORDER_EXECUTION_MEAN * 1000 - 1);
const slowMs = tidy(ORDER_EXECUTION_MEAN * 1000 + 1);
const slippageUnder = tidy(SLIPPAGE - 0.001);
const slippageOver = tidy(SLIPPAGE + 0.001);
/** Requests a rate limit allows; a request either side of the headroom. */
const LIMIT = 100;
const headroomOver = Math.round(RATE_LIMIT_HEADROOM * LIMIT) + 1;
const headroomUnder = Math.round(RATE_LIMIT_HEADROOM * LIMIT) - 1;
const staleUnder = MARKET_DATA_STALE - 1;
const staleOver = MARKET_DATA_STALE + 1;
/** Consensus rounds per minute finishing within 0.5 s and 1 s (buckets of the histogram), and in all. */
const consensusP95 = (le05: number, le1: number, all: number) => {
  const rank = 0.95 * all;
  return rank <= le05 ? undefined : 0.5 + (1 - 0.5) * ((rank - le05) / (le1 - le05));
};

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: `orders at ${millis(fastMs / 1000)} on average stay quiet`,
      series: execution(ORDERS, fastMs),
      alerts: [{ at: '30m', alert: 'OrderExecutionSlow', fires: [] }],
    },
    {
      name: `orders at ${millis(slowMs / 1000)} on average for 10 minutes warn`,
      series: execution(ORDERS, slowMs),
      alerts: [{ at: '30m', alert: 'OrderExecutionSlow', fires: [{ labels: orderLabels, value: (ORDERS * slowMs) / 1000 / ORDERS }] }],
    },
    {
      name: `${percent(errorsUnder / PER_MINUTE)} of orders rejected stays quiet`,
      series: outcomes(PER_MINUTE - errorsUnder, errorsUnder),
      alerts: [{ at: '30m', alert: 'OrderFailureRateHigh', fires: [] }],
    },
    {
      name: `${percent(errorsOver / PER_MINUTE)} of orders rejected warns`,
      series: outcomes(PER_MINUTE - errorsOver, errorsOver),
      alerts: [{ at: '30m', alert: 'OrderFailureRateHigh', fires: [{ labels: orderLabels, value: errorsOver / PER_MINUTE }] }],
    },
    {
      name: `slippage of ${percent(slippageUnder)} stays quiet`,
      series: slippage(100, slippageUnder),
      alerts: [{ at: '50m', alert: 'OrderSlippageHigh', fires: [] }],
    },
    {
      name: `slippage of ${percent(slippageOver)} for 15 minutes warns`,
      series: slippage(100, slippageOver),
      alerts: [{ at: '50m', alert: 'OrderSlippageHigh', fires: [{ labels: orderLabels, value: (100 * slippageOver) / 100 }] }],
    },
    {
      name: `${percent(headroomOver / LIMIT)} of the Coinbase rate limit left stays quiet`,
      series: rateLimit(headroomOver),
      alerts: [{ at: '10m', alert: 'CoinbaseRateLimitApproaching', fires: [] }],
    },
    {
      name: `${percent(headroomUnder / LIMIT)} of the Coinbase rate limit left warns`,
      series: rateLimit(headroomUnder),
      alerts: [
        {
          at: '10m',
          alert: 'CoinbaseRateLimitApproaching',
          fires: [
            { labels: { namespace: 'grekko', job: 'coinbase-connector', service: 'coinbase-connector', scope: 'private' }, value: headroomUnder / LIMIT },
          ],
        },
      ],
    },
    {
      name: `${percent(revertedUnder / TRANSACTIONS)} of transactions reverted stays quiet`,
      series: transactions(TRANSACTIONS - revertedUnder, revertedUnder),
      alerts: [{ at: '50m', alert: 'MetaMaskTransactionFailures', fires: [] }],
    },
    {
      name: `${percent(revertedOver / TRANSACTIONS)} of transactions reverted warns`,
      series: transactions(TRANSACTIONS - revertedOver, revertedOver),
      alerts: [
        {
          at: '50m',
          alert: 'MetaMaskTransactionFailures',
          fires: [
            {
              labels: { namespace: 'grekko', job: 'metamask-connector', service: 'metamask-connector', chain: 'ethereum' },
              value: revertedOver / TRANSACTIONS,
            },
          ],
        },
      ],
    },
    {
      name: 'a wallet disconnected for 4 minutes stays quiet, for 5 minutes warns',
      series: { [`grekko_metamask_wallet_connected{${mm}, wallet="treasury"}`]: '1 1 0 0 0 0 0 0 0 0' },
      alerts: [
        { at: '6m', alert: 'MetaMaskWalletDisconnected', fires: [] },
        {
          at: '7m',
          alert: 'MetaMaskWalletDisconnected',
          fires: [{ labels: { namespace: 'grekko', job: 'metamask-connector', service: 'metamask-connector', wallet: 'treasury' } }],
        },
      ],
    },
    { name: `market data ${seconds(staleUnder)} old stays quiet`, series: freshness(staleUnder), alerts: [{ at: '10m', alert: 'MarketDataStale', fires: [] }] },
    {
      name: `market data ${seconds(staleOver)} old warns`,
      series: freshness(staleOver),
      alerts: [
        {
          at: '10m',
          alert: 'MarketDataStale',
          fires: [{ labels: { namespace: 'grekko', job: 'market-data-service', service: 'market-data-service', venue: 'coinbase' }, value: staleOver }],
        },
      ],
    },
    {
      // Evaluated 5 s after each scrape, time() - last_update read 5.5 s here and fired for ever.
      name: 'a healthy feed scraped every 15 s, updates half a second old, stays quiet between scrapes',
      interval: SCRAPE_STEP,
      series: scrapedFeed(0.5),
      alerts: [
        { at: '5m', alert: 'MarketDataStale', fires: [] },
        { at: '10m', alert: 'MarketDataStale', fires: [] },
      ],
    },
    {
      // The feed stops at 300 s (last update 294.5); the 310 s scrape sees it 15.5 s old, the
      // 6m evaluation makes the alert pending, 7m fires it (the 415 s scrape: 120.5 s old).
      name: 'a feed scraped every 15 s that stops updating warns once it has been stale for a minute',
      interval: SCRAPE_STEP,
      series: scrapedFeed(0.5, 300),
      alerts: [
        { at: '5m', alert: 'MarketDataStale', fires: [] },
        { at: '6m', alert: 'MarketDataStale', fires: [] },
        {
          at: '7m',
          alert: 'MarketDataStale',
          fires: [{ labels: { namespace: 'grekko', job: 'market-data-service', service: 'market-data-service', venue: 'coinbase' }, value: 120.5 }],
        },
      ],
    },
    {
      name: `consensus under ${millis(AGENT_CONSENSUS_P95)} at P95 stays quiet`,
      series: consensus(96, 100, 100),
      alerts: [{ at: '20m', alert: 'AgentConsensusSlow', fires: [] }],
    },
    {
      name: `consensus at ${millis(consensusP95(90, 100, 100)!)} P95 warns`,
      series: consensus(90, 100, 100),
      alerts: [
        {
          at: '20m',
          alert: 'AgentConsensusSlow',
          fires: [{ labels: { namespace: 'grekko', job: 'agent-coordinator', service: 'agent-coordinator' }, value: consensusP95(90, 100, 100) }],
        },
      ],
    },
    {
      name: `${percent(errorsUnder / PER_MINUTE)} of coordination events failing stays quiet`,
      series: events(PER_MINUTE - errorsUnder, errorsUnder),
      alerts: [{ at: '20m', alert: 'AgentEventProcessingErrors', fires: [] }],
    },
    {
      name: `${percent(errorsOver / PER_MINUTE)} of coordination events failing warns`,
      series: events(PER_MINUTE - errorsOver, errorsOver),
      alerts: [
        {
          at: '20m',
          alert: 'AgentEventProcessingErrors',
          fires: [{ labels: { namespace: 'grekko', job: 'agent-coordinator', service: 'agent-coordinator' }, value: errorsOver / PER_MINUTE }],
        },
      ],
    },
  ],
};
