/**
 * promtool tests of the critical path's down alerts at the cadence they run at: samples every
 * CRITICAL_PATH_SCRAPE_INTERVAL and evaluations as often, so that each case counts scrapes, as
 * production does. FAILED_SCRAPES_TO_PAGE - 1 failed scrapes in a row page nobody; that many page
 * DOWN_FOR after the first.
 */
import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { parseDuration } from '../lib/core/units';
import { CORE_SERVICES, TRADING_NAMESPACE } from '../metrics/system';
import { CRITICAL_PATH_SCRAPE_INTERVAL, DOWN_FOR, FAILED_SCRAPES_TO_PAGE, OUTAGE_SLO_PAGE_MUTE } from './thresholds';
import { EXPECTED_SERVICES } from './availability';

const STEP_S = (parseDuration(CRITICAL_PATH_SCRAPE_INTERVAL) as number) / 1000;
const FOR_S = (parseDuration(DOWN_FOR) as number) / 1000;
/** Seconds as a promtool time. */
const at = (s: number) => `${s}s`;

/** Scrape results in order: runs of [value, how many scrapes]. */
const scrapes = (...runs: ReadonlyArray<readonly [0 | 1, number]>) => runs.flatMap(([v, n]) => Array.from({ length: n }, () => v)).join(' ');

/**
 * Up for 4 scrapes, FAILED_SCRAPES_TO_PAGE - 1 failed ones, up again for 8, then failing for good
 * from scrape `outageFrom`: the first failures never page, the outage pages FOR_S after it starts.
 */
const ALMOST = FAILED_SCRAPES_TO_PAGE - 1;
const outageFrom = 4 + ALMOST + 8;
const flapThenOutage = scrapes([1, 4], [0, ALMOST], [1, 8], [0, 30]);
const outageStart = outageFrom * STEP_S;
const pagesAt = outageStart + FOR_S;

/** Every core service up with one instance for `n` scrapes, except those given. */
function servicesUp(except: readonly string[] = [], n = 40): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of CORE_SERVICES.filter((x) => !except.includes(x)))
    out[`up{namespace="${TRADING_NAMESPACE}", job="${s}", service="${s}", pod="${s}-0"}`] = scrapes([1, n]);
  return out;
}
const order = { namespace: 'grekko', job: 'order-service', service: 'order-service' };
const orderUp = `up{namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0"}`;

/** A three-minute outage of order-service from scrape 4, repaired at `repairedAt`, and enough scrapes after it to outlast the mute. */
const MUTE_S = (parseDuration(OUTAGE_SLO_PAGE_MUTE) as number) / 1000;
const OUTAGE_SCRAPES = 180 / STEP_S;
const repairedAt = (4 + OUTAGE_SCRAPES) * STEP_S;
const afterRepair = Math.ceil((MUTE_S + 120) / STEP_S);

const pg = `namespace="${TRADING_NAMESPACE}", job="postgres-exporter", instance="10.0.0.5:9187"`;
const pgLabels = { namespace: 'grekko', job: 'postgres-exporter', instance: '10.0.0.5:9187' };
const redis = `namespace="${TRADING_NAMESPACE}", job="redis-exporter", instance="10.0.0.6:9121"`;
const redisLabels = { namespace: 'grekko', job: 'redis-exporter', instance: '10.0.0.6:9121' };

/** The alert quiet through the first failures and until DOWN_FOR into the outage, then firing. */
const flapThenPage = (alert: string, labels: Record<string, string>) => [
  ...Array.from({ length: outageFrom + FAILED_SCRAPES_TO_PAGE - 1 }, (_, i) => ({ at: at(i * STEP_S), alert, fires: [] })),
  { at: at(pagesAt), alert, fires: [{ labels }] },
];

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  evaluationInterval: CRITICAL_PATH_SCRAPE_INTERVAL,
  tests: [
    {
      name: 'every core service up: nothing fires',
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: servicesUp(),
      alerts: [{ at: at(30 * STEP_S), alert: 'TradingServiceDown', fires: [] }],
    },
    {
      name: `order-service failing ${ALMOST} scrapes in a row pages nobody; failing for good, it pages ${DOWN_FOR} after its first failed scrape`,
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: { ...servicesUp(['order-service']), [orderUp]: flapThenOutage },
      alerts: flapThenPage('TradingServiceDown', order),
    },
    {
      name: 'one of two order-service pods down: the service is still up',
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: { ...servicesUp(), [orderUp.replace('order-service-0', 'order-service-1')]: scrapes([0, 40]) },
      alerts: [{ at: at(30 * STEP_S), alert: 'TradingServiceDown', fires: [] }],
    },
    {
      name: 'risk-service scaled to zero (no target at all) pages',
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: servicesUp(['risk-service']),
      alerts: [
        { at: at(FOR_S + STEP_S), alert: 'TradingServiceDown', fires: [{ labels: { namespace: 'grekko', job: 'risk-service', service: 'risk-service' } }] },
      ],
    },
    {
      name: `after a three-minute outage of order-service, its SLO pages stay muted from its page until ${OUTAGE_SLO_PAGE_MUTE} after the repair`,
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: {
        ...servicesUp(['order-service'], 4 + OUTAGE_SCRAPES + afterRepair),
        [orderUp]: scrapes([1, 4], [0, OUTAGE_SCRAPES], [1, afterRepair]),
      },
      alerts: [
        { at: at(4 * STEP_S + FOR_S - STEP_S), alert: 'TradingServiceRecentlyDown', fires: [] },
        { at: at(4 * STEP_S + FOR_S), alert: 'TradingServiceDown', fires: [{ labels: order }] },
        { at: at(4 * STEP_S + FOR_S), alert: 'TradingServiceRecentlyDown', fires: [{ labels: order }] },
        { at: at(repairedAt + STEP_S), alert: 'TradingServiceDown', fires: [] },
        { at: at(repairedAt + STEP_S), alert: 'TradingServiceRecentlyDown', fires: [{ labels: order }] },
        { at: at(repairedAt + MUTE_S - 60), alert: 'TradingServiceRecentlyDown', fires: [{ labels: order }] },
        { at: at(repairedAt + MUTE_S + 60), alert: 'TradingServiceRecentlyDown', fires: [] },
      ],
    },
    {
      name: 'a job outside the contract with no instance up does not page; only the core services are expected',
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: {
        ...servicesUp(),
        [`up{namespace="${TRADING_NAMESPACE}", job="backup-runner", service="backup-runner", pod="backup-runner-0"}`]: scrapes([0, 40]),
      },
      alerts: [{ at: at(30 * STEP_S), alert: 'TradingServiceDown', fires: [] }],
    },
    {
      name: 'one service with no instance up and another with no target at all: both page, each with its own labels',
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: { ...servicesUp(['order-service', 'auth-service']), [orderUp]: scrapes([0, 40]) },
      alerts: [
        {
          at: at(FOR_S + STEP_S),
          alert: 'TradingServiceDown',
          fires: [{ labels: order }, { labels: { namespace: 'grekko', job: 'auth-service', service: 'auth-service' } }],
        },
      ],
    },
    {
      name: 'every core service is expected: one series each, with its namespace, job and service',
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: {},
      queries: [
        {
          at: at(STEP_S),
          expr: EXPECTED_SERVICES,
          samples: CORE_SERVICES.map((s) => ({ labels: `${EXPECTED_SERVICES}{namespace="grekko", job="${s}", service="${s}"}`, value: 1 })),
        },
      ],
    },
    {
      name: `PostgreSQL unreachable at ${ALMOST} scrapes in a row pages nobody; unreachable for good, it pages ${DOWN_FOR} after the first`,
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: { [`pg_up{${pg}}`]: flapThenOutage },
      alerts: flapThenPage('PostgresDown', pgLabels),
    },
    {
      name: `Redis unreachable at ${ALMOST} scrapes in a row pages nobody; unreachable for good, it pages ${DOWN_FOR} after the first`,
      interval: CRITICAL_PATH_SCRAPE_INTERVAL,
      series: { [`redis_up{${redis}}`]: flapThenOutage },
      alerts: flapThenPage('RedisDown', redisLabels),
    },
  ],
};
