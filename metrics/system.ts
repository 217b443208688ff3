/**
 * The ids of the monitored system that alerts, dashboards, metrics and the environment profiles
 * share: the namespace the trading system runs in, its core services, the tag of Grekko's
 * dashboards and the datasource they open traces in. Each is defined here once; every other file
 * imports it from here.
 */
import type { Team } from '../lib/rules/types';

/** The namespace the trading system runs in. */
export const TRADING_NAMESPACE = 'grekko';

/** The core trading services, by `job` (their `app.kubernetes.io/name`). Any of them down pages on-call. */
export const TRADING_SERVICES = {
  orders: 'order-service',
  risk: 'risk-service',
  portfolio: 'portfolio-service',
  marketData: 'market-data-service',
  coinbase: 'coinbase-connector',
  metamask: 'metamask-connector',
  agents: 'agent-coordinator',
  auth: 'auth-service',
} as const;

export const CORE_SERVICES: readonly string[] = Object.values(TRADING_SERVICES);

/**
 * The team that owns each core service: an alert whose `service` label names one belongs to that
 * team (withTeams of lib/rules/render.ts). Risk Management owns the risk service; the order path,
 * the market data, the portfolio, the exchange connectors and the agents are Trading's; DevOps
 * runs authentication beside the rest of the platform.
 */
export const SERVICE_TEAMS: Readonly<Record<(typeof TRADING_SERVICES)[keyof typeof TRADING_SERVICES], Team>> = {
  [TRADING_SERVICES.orders]: 'trading',
  [TRADING_SERVICES.risk]: 'risk',
  [TRADING_SERVICES.portfolio]: 'trading',
  [TRADING_SERVICES.marketData]: 'trading',
  [TRADING_SERVICES.coinbase]: 'trading',
  [TRADING_SERVICES.metamask]: 'trading',
  [TRADING_SERVICES.agents]: 'trading',
  [TRADING_SERVICES.auth]: 'devops',
};

/** Every Grekko dashboard carries this tag; the header dropdown lists them all. */
export const DASHBOARD_TAG = 'grekko';

/** The Jaeger datasource the stack provisions: trace links open it in Explore. */
export const TRACES_DATASOURCE = { uid: 'jaeger', type: 'jaeger' } as const;
