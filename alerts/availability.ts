/**
 * The critical path up or down: every core trading service, PostgreSQL and Redis. Strategy:
 * "Service down (any core trading service)" and "Database connection failures" page. These groups
 * are evaluated at the critical path's scrape interval (CRITICAL_PATH_SCRAPE_INTERVAL, the profiles'
 * prometheus.scrapeIntervals), and their alerts hold FAILED_SCRAPES_TO_PAGE scrapes: an outage
 * pages within seconds, and one or two failed scrapes page nobody.
 */
import { RecordingRule, RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { CORE_SERVICES, TRADING_NAMESPACE } from '../metrics/system';
import { CRITICAL_PATH_SCRAPE_INTERVAL, DOWN_FOR, FAILED_SCRAPES_TO_PAGE, OUTAGE_SLO_PAGE_MUTE } from './thresholds';

const SOURCE = moduleSource(__filename);

const ns = `namespace="${TRADING_NAMESPACE}"`;

/**
 * One series per core service, stating that it is expected to run: `service:up:expected` with its
 * namespace, job and service labels, value 1. Each rule has the same small size, so the rules
 * that need "every core service" join on these series instead of listing the services.
 */
export const EXPECTED_SERVICES = 'service:up:expected';
const expected = CORE_SERVICES.map((s): RecordingRule => ({
  record: EXPECTED_SERVICES,
  expr: 'vector(1)',
  labels: { namespace: TRADING_NAMESPACE, job: s, service: s },
}));

/**
 * Down when no instance answers (every `up` of the service is 0) or when the service has no scrape
 * target at all (no `up` series): either way, no `up` of it is 1. The labels (namespace, job,
 * service) are the expected series' own. Its size does not depend on how many core services there are.
 */
const serviceDown = `${EXPECTED_SERVICES} unless on (namespace, job) (up{${ns}} == 1)`;

/**
 * Whether each core service is up, evaluated at the scrape interval of the core services
 * (CRITICAL_PATH_SCRAPE_INTERVAL), so that an outage pages FAILED_SCRAPES_TO_PAGE scrapes after it
 * starts rather than at the environment's slower evaluation interval.
 */
export const serviceAvailability: RuleGroup = {
  name: 'trading-service-availability',
  team: 'trading',
  source: SOURCE,
  interval: CRITICAL_PATH_SCRAPE_INTERVAL,
  rules: [
    // Before the alert that reads them: a group evaluates its rules in order.
    ...expected,
    {
      alert: 'TradingServiceDown',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.operations,
      expr: serviceDown,
      for: DOWN_FOR,
      summary: '{{ $labels.service }} is down',
      description: `No instance of {{ $labels.job }} in {{ $labels.namespace }} has answered ${FAILED_SCRAPES_TO_PAGE} scrapes in a row (${DOWN_FOR}), or it has no instance at all. It is a core trading service: orders, risk checks or market data depending on it are failing.`,
      runbook: 'docs/runbooks/service-down.md',
    },
    {
      // After TradingServiceDown, in the same group: it reads the ALERTS series of this evaluation.
      alert: 'TradingServiceRecentlyDown',
      severity: 'info',
      dashboard: DASHBOARD_UIDS.operations,
      expr: `max by (namespace, job, service) (max_over_time(ALERTS{alertname="TradingServiceDown", alertstate="firing"}[${OUTAGE_SLO_PAGE_MUTE}]))`,
      summary: `{{ $labels.service }} was down within the last ${OUTAGE_SLO_PAGE_MUTE}: its SLO pages are muted`,
      description: `TradingServiceDown fired for {{ $labels.service }} within the last ${OUTAGE_SLO_PAGE_MUTE}. That page stands for the outage: its failed scrapes keep the service's SLOs burning for up to ${OUTAGE_SLO_PAGE_MUTE} after the repair, and their pages are muted until then. Tickets still open: the budget the outage spent is worth a review.`,
    },
  ],
};

/**
 * PostgreSQL and Redis up or down, evaluated at their exporters' scrape interval
 * (CRITICAL_PATH_SCRAPE_INTERVAL): an outage pages FAILED_SCRAPES_TO_PAGE scrapes after it starts.
 */
export const datastoreAvailability: RuleGroup = {
  name: 'datastore-availability',
  team: 'devops',
  source: SOURCE,
  interval: CRITICAL_PATH_SCRAPE_INTERVAL,
  rules: [
    {
      alert: 'PostgresDown',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.postgresql,
      expr: 'pg_up == 0',
      for: DOWN_FOR,
      summary: 'PostgreSQL {{ $labels.instance }} is unreachable',
      description: `postgres_exporter has failed to connect to PostgreSQL {{ $labels.instance }} at ${FAILED_SCRAPES_TO_PAGE} scrapes in a row (${DOWN_FOR}). Orders, positions and the audit trail cannot be written.`,
      runbook: 'docs/runbooks/postgres-down.md',
    },
    {
      alert: 'RedisDown',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.redis,
      expr: 'redis_up == 0',
      for: DOWN_FOR,
      summary: 'Redis {{ $labels.instance }} is unreachable',
      description: `redis_exporter has failed to reach Redis {{ $labels.instance }} at ${FAILED_SCRAPES_TO_PAGE} scrapes in a row (${DOWN_FOR}). Sessions, caches and rate-limit counters are gone.`,
      runbook: 'docs/runbooks/redis-down.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([serviceAvailability, datastoreAvailability]);
