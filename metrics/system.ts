/**
 * The ids of the monitored system that alerts, dashboards, metrics and the environment profiles
 * share: the namespace the trading system runs in, its core services, the tag of Grekko's
 * dashboards and the datasource they open traces in. Each is defined here once; every other file
 * imports it from here.
 */

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

/** Every Grekko dashboard carries this tag; the header dropdown lists them all. */
export const DASHBOARD_TAG = 'grekko';

/** The Jaeger datasource the stack provisions: trace links open it in Explore. */
export const TRACES_DATASOURCE = { uid: 'jaeger', type: 'jaeger' } as const;
