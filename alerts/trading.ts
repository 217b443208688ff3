/**
 * Trading performance and the integrations: order execution, exchange rate limits, on-chain
 * transactions, agent coordination and market data. Strategy: "Approaching rate limits" warns;
 * the SLOs of order execution latency and market data freshness become warnings here (the SLO
 * burn-rate alerts build on the same series). Thresholds: alerts/thresholds.ts.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { millis, percent, seconds, tidy } from '../lib/core/units';
import { AGENT_CONSENSUS_P95, ERROR_RATE, MARKET_DATA_FRESHNESS, MARKET_DATA_STALE, ORDER_EXECUTION_MEAN, RATE_LIMIT_HEADROOM, SLIPPAGE } from './thresholds';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';

const SOURCE = moduleSource(__filename);

export const orders: RuleGroup = {
  name: 'trading-orders',
  team: 'trading',
  source: SOURCE,
  rules: [
    {
      alert: 'OrderExecutionSlow',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `service_venue:grekko_order_execution_duration_seconds:mean5m > ${ORDER_EXECUTION_MEAN}`,
      for: '10m',
      summary: 'Orders on {{ $labels.venue }} take {{ $value | humanizeDuration }} on average',
      description: `The average order execution latency on {{ $labels.venue }} has been above the ${millis(ORDER_EXECUTION_MEAN)} objective for 10 minutes.`,
      runbook: 'docs/runbooks/performance-degradation.md',
    },
    {
      alert: 'OrderFailureRateHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `
  sum by (namespace, job, service, venue) (service_venue_outcome:grekko_orders:rate5m{outcome=~"rejected|failed"})
/
  sum by (namespace, job, service, venue) (service_venue_outcome:grekko_orders:rate5m)
> ${ERROR_RATE}`,
      for: '5m',
      summary: '{{ $value | humanizePercentage }} of orders on {{ $labels.venue }} are rejected or fail',
      description: `More than ${percent(ERROR_RATE)} of the orders sent to {{ $labels.venue }} have been rejected or have failed for 5 minutes.`,
      runbook: 'docs/runbooks/high-error-rates.md',
    },
    {
      alert: 'OrderSlippageHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `
  sum by (namespace, job, service, venue) (rate(grekko_order_slippage_ratio_sum[15m]))
/
  sum by (namespace, job, service, venue) (rate(grekko_order_slippage_ratio_count[15m]))
> ${SLIPPAGE}`,
      for: '15m',
      summary: 'Average slippage on {{ $labels.venue }} is {{ $value | humanizePercentage }}',
      description: `Orders on {{ $labels.venue }} have executed more than ${percent(SLIPPAGE)} (${tidy(SLIPPAGE * 10000)} bps) away from the expected price on average over 15 minutes.`,
      runbook: 'docs/runbooks/exchange-integrations.md',
    },
  ],
};

export const integrations: RuleGroup = {
  name: 'trading-integrations',
  team: 'trading',
  source: SOURCE,
  rules: [
    {
      alert: 'CoinbaseRateLimitApproaching',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `
  min by (namespace, job, service, scope) (grekko_coinbase_rate_limit_remaining / grekko_coinbase_rate_limit_limit)
< ${RATE_LIMIT_HEADROOM}`,
      for: '2m',
      summary: 'Coinbase rate limit "{{ $labels.scope }}": only {{ $value | humanizePercentage }} left',
      description: `More than ${percent(1 - RATE_LIMIT_HEADROOM)} of the Coinbase rate limit "{{ $labels.scope }}" has been used for 2 minutes; requests will soon be refused with 429.`,
      runbook: 'docs/runbooks/exchange-integrations.md',
    },
    {
      alert: 'MetaMaskTransactionFailures',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `
  sum by (namespace, job, service, chain) (rate(grekko_metamask_transactions_total{outcome=~"failed|reverted|dropped"}[30m]))
/
  sum by (namespace, job, service, chain) (rate(grekko_metamask_transactions_total[30m]))
> ${ERROR_RATE}`,
      for: '10m',
      summary: '{{ $value | humanizePercentage }} of {{ $labels.chain }} transactions fail',
      description: `More than ${percent(ERROR_RATE)} of the on-chain transactions on {{ $labels.chain }} have failed, reverted or been dropped over 30 minutes.`,
      runbook: 'docs/runbooks/exchange-integrations.md',
    },
    {
      alert: 'MetaMaskWalletDisconnected',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: 'max by (namespace, job, service, wallet) (grekko_metamask_wallet_connected) == 0',
      for: '5m',
      summary: 'Wallet {{ $labels.wallet }} is disconnected',
      description: 'The MetaMask connection of wallet {{ $labels.wallet }} has been down for 5 minutes; on-chain orders through it cannot be signed.',
      runbook: 'docs/runbooks/exchange-integrations.md',
    },
    {
      alert: 'MarketDataStale',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      // The age at scrape time (the sample's own timestamp), as the freshness SLO reads it:
      // `time() - last_update` would add the time since the last scrape, up to a whole scrape
      // interval, and saw-tooth past the threshold on a healthy feed. Held for a minute: at least two
      // scrapes in every environment (lib/rules/scrape-timing.ts checks it at synth).
      expr: `min by (namespace, job, service, venue) (timestamp(grekko_market_data_last_update_timestamp_seconds) - grekko_market_data_last_update_timestamp_seconds) > ${MARKET_DATA_STALE}`,
      for: '1m',
      summary: 'No market data from {{ $labels.venue }} for {{ $value | humanizeDuration }}',
      description: `The freshest market data update from {{ $labels.venue }} has been more than ${seconds(MARKET_DATA_STALE)} old at every scrape for a minute (objective: under ${seconds(MARKET_DATA_FRESHNESS)}). Strategies may be trading on stale prices.`,
      runbook: 'docs/runbooks/exchange-integrations.md',
    },
  ],
};

export const agents: RuleGroup = {
  name: 'agent-coordination',
  team: 'trading',
  source: SOURCE,
  rules: [
    {
      alert: 'AgentConsensusSlow',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.trading,
      expr: `
histogram_quantile(0.95, sum by (namespace, job, service, le) (rate(grekko_agent_consensus_duration_seconds_bucket[5m])))
> ${AGENT_CONSENSUS_P95}`,
      for: '10m',
      summary: 'Agent consensus takes {{ $value | humanizeDuration }} at P95',
      description: `The agents have needed more than ${millis(AGENT_CONSENSUS_P95)} to reach consensus (P95) for 10 minutes; trading decisions are delayed.`,
      runbook: 'docs/runbooks/performance-degradation.md',
    },
    {
      alert: 'AgentEventProcessingErrors',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kafka,
      expr: `
  sum by (namespace, job, service) (rate(grekko_agent_events_processed_total{outcome="error"}[5m]))
/
  sum by (namespace, job, service) (rate(grekko_agent_events_processed_total[5m]))
> ${ERROR_RATE}`,
      for: '5m',
      summary: '{{ $value | humanizePercentage }} of coordination events fail',
      description: `More than ${percent(ERROR_RATE)} of the agent coordination events have failed to process for 5 minutes.`,
      runbook: 'docs/runbooks/high-error-rates.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([orders, integrations, agents]);
