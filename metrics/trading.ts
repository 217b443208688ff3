/**
 * The metrics contract of the Grekko trading services: what each service must expose on its
 * `/metrics` endpoint (Service annotated `prometheus.io/scrape: "true"`, labelled
 * `app.kubernetes.io/name: <service>`), so that the alerts and dashboards of this repository work.
 * Prometheus adds `job` (the service's name), `namespace`, `service`, `pod` and `instance`.
 */
import { metricsFrom } from '../lib/metrics/catalog';
import { MetricDefinition } from '../lib/metrics/types';
import { millis } from '../lib/core/units';
import { LATENCY_P95, LATENCY_P95_STEPS, ORDER_EXECUTION_MEAN } from '../alerts/thresholds';
import { TRADING_SERVICES } from './system';

/** The services are defined in metrics/system.ts; stacks/production.ts reads them from here. */

const every = metricsFrom('every trading service');
const orders = metricsFrom(TRADING_SERVICES.orders);
const risk = metricsFrom(TRADING_SERVICES.risk);
const portfolio = metricsFrom(TRADING_SERVICES.portfolio);
const market = metricsFrom(TRADING_SERVICES.marketData);
const coinbase = metricsFrom(TRADING_SERVICES.coinbase);
const metamask = metricsFrom(TRADING_SERVICES.metamask);
const agents = metricsFrom(TRADING_SERVICES.agents);
const auth = metricsFrom(TRADING_SERVICES.auth);
const backups = metricsFrom('backup jobs');
const integrity = metricsFrom('integrity checker');

export const TRADING_METRICS: readonly MetricDefinition[] = [
  // RED, per service (prom-client and OpenTelemetry names).
  every.counter('http_requests_total', 'requests', ['method', 'route', 'code'], 'HTTP requests served, by method, route template and status code.'),
  every.histogram(
    'http_request_duration_seconds',
    'seconds',
    ['method', 'route', 'code'],
    `Time to serve an HTTP request. Buckets must include 0.05, ${LATENCY_P95} and ${LATENCY_P95_STEPS[1]} so that the ${millis(LATENCY_P95)} P95 objective can be measured.`,
  ),
  every.counter(
    'grekko_db_connection_errors_total',
    'errors',
    ['database'],
    'Failed attempts to open or use a database connection; database is postgres, redis or influxdb.',
  ),
  every.gauge('grekko_maintenance_mode', '1', [], '1 while the service is in a scheduled maintenance window (drains new orders), else 0.'),
  every.gauge(
    'grekko_performance_threshold',
    'varies',
    ['threshold'],
    'A performance threshold the service enforces (latency budget, max slippage, order rate), by name; its value changes when the threshold is reconfigured.',
  ),

  // Order execution.
  orders.histogram(
    'grekko_order_execution_duration_seconds',
    'seconds',
    ['venue', 'order_type'],
    `Time from order submission to the venue acknowledging it. Buckets must include 0.025, ${ORDER_EXECUTION_MEAN} and 0.1.`,
  ),
  orders.counter('grekko_orders_total', 'orders', ['venue', 'side', 'outcome'], 'Orders by final outcome: filled, rejected, failed or cancelled.'),
  orders.histogram('grekko_order_slippage_ratio', 'ratio', ['venue'], 'Executed price against the expected price, as a fraction (0.001 = 10 bps), absolute.'),

  // Risk management.
  risk.gauge(
    'grekko_risk_limit_utilization_ratio',
    'ratio',
    ['limit'],
    'Use of each risk limit (position, notional, loss, leverage): 1 means the limit is reached.',
  ),
  risk.counter('grekko_risk_circuit_breaker_trips_total', 'trips', ['breaker'], 'Times a circuit breaker tripped and halted trading.'),
  risk.gauge('grekko_risk_circuit_breaker_open', '1', ['breaker'], '1 while a circuit breaker is open (trading halted by it), else 0.'),
  risk.counter('grekko_risk_compliance_violations_total', 'violations', ['rule'], 'Compliance rule violations detected (pre-trade or post-trade), by rule.'),
  risk.gauge('grekko_risk_exposure_usd', 'USD', ['asset'], 'Net exposure per asset, in US dollars.'),

  // Portfolio.
  portfolio.gauge('grekko_portfolio_pnl_usd', 'USD', ['kind'], 'Profit and loss of the day, kind realized or unrealized.'),
  portfolio.gauge('grekko_portfolio_position_usd', 'USD', ['asset'], 'Position size per asset, in US dollars.'),
  portfolio.gauge(
    'grekko_portfolio_value_at_risk_usd',
    'USD',
    ['confidence', 'horizon'],
    'Value at risk of the portfolio, such as confidence="0.99", horizon="1d".',
  ),
  portfolio.gauge('grekko_portfolio_drawdown_ratio', 'ratio', [], 'Current drawdown from the portfolio peak, as a fraction.'),
  portfolio.gauge('grekko_portfolio_max_drawdown_ratio', 'ratio', ['window'], 'Maximum drawdown over a window (such as 30d), as a fraction.'),
  portfolio.gauge('grekko_portfolio_sharpe_ratio', '1', ['window'], 'Sharpe ratio over a window.'),

  // Market data.
  market.gauge(
    'grekko_market_data_last_update_timestamp_seconds',
    'seconds',
    ['venue', 'symbol'],
    'Unix time of the last market data update received, per venue and symbol.',
  ),
  market.counter('grekko_market_data_updates_total', 'updates', ['venue'], 'Market data updates received.'),
  // Order book status, which the Trading dashboard shows (strategy: "Order book status").
  market.gauge(
    'grekko_orderbook_spread_ratio',
    'ratio',
    ['venue', 'symbol'],
    'Best ask minus best bid over the mid price, per venue and symbol (0.0005 = 5 bps).',
  ),
  market.gauge(
    'grekko_orderbook_depth_usd',
    'USD',
    ['venue', 'symbol', 'side'],
    'Resting notional within 1% of the mid price, per side (bid, ask), in US dollars.',
  ),

  // Coinbase integration.
  coinbase.histogram('grekko_coinbase_api_request_duration_seconds', 'seconds', ['endpoint', 'code'], 'Round trip of Coinbase API calls.'),
  coinbase.gauge(
    'grekko_coinbase_rate_limit_remaining',
    'requests',
    ['scope'],
    'Requests left in the current Coinbase rate-limit window (from the response headers).',
  ),
  coinbase.gauge('grekko_coinbase_rate_limit_limit', 'requests', ['scope'], 'Requests allowed per Coinbase rate-limit window.'),
  coinbase.counter('grekko_coinbase_orders_total', 'orders', ['side', 'outcome'], 'Orders placed on Coinbase: outcome accepted, rejected or failed.'),

  // MetaMask integration.
  metamask.counter(
    'grekko_metamask_transactions_total',
    'transactions',
    ['chain', 'outcome'],
    'On-chain transactions sent: outcome confirmed, failed, reverted or dropped.',
  ),
  metamask.histogram('grekko_metamask_gas_used', 'gas', ['chain'], 'Gas used per confirmed transaction.'),
  metamask.gauge('grekko_metamask_wallet_connected', '1', ['wallet'], '1 while the wallet connection is up, else 0.'),

  // Agent coordination.
  agents.histogram('grekko_agent_consensus_duration_seconds', 'seconds', [], 'Time for the agents to reach consensus on a decision.'),
  agents.counter('grekko_agent_tasks_assigned_total', 'tasks', ['agent'], 'Tasks distributed to each agent.'),
  agents.gauge('grekko_agent_tasks_pending', 'tasks', [], 'Tasks waiting for an agent.'),
  agents.counter('grekko_agent_events_processed_total', 'events', ['event_type', 'outcome'], 'Coordination events processed: outcome success or error.'),

  // Security.
  auth.counter(
    'grekko_auth_attempts_total',
    'attempts',
    ['method', 'outcome'],
    'Authentication attempts (API key, session, wallet signature): outcome success or failure.',
  ),
  auth.counter(
    'grekko_security_suspicious_events_total',
    'events',
    ['kind'],
    'Suspicious activity detected: impossible travel, key reuse, withdrawal to a new address, and so on.',
  ),

  // Data integrity.
  backups.gauge(
    'grekko_backup_last_success_timestamp_seconds',
    'seconds',
    ['database'],
    'Unix time of the last backup that completed and verified, per database.',
  ),
  backups.gauge('grekko_backup_last_run_success', '1', ['database'], '1 when the last backup run completed and verified, 0 when it failed.'),
  integrity.counter(
    'grekko_data_integrity_check_failures_total',
    'failures',
    ['check'],
    'Failed consistency checks: ledger against exchange fills, audit trail completeness, replica checksums.',
  ),
];
