/**
 * Every threshold Grekko's alerts, SLOs and dashboards use, once. The alert expressions, their
 * summaries and descriptions (through the formatters of lib/core/units.ts: `percent(ERROR_RATE)` is
 * "5%"), the dashboards' colour steps and the SLO specs read these values; nothing else writes
 * the numbers (test/thresholds.test.ts finds copies). Ratios are fractions (0.05 is 5%), times are
 * seconds. Each value cites the line of the monitoring strategy it implements, or says why it is
 * what it is.
 *
 * Dashboards colour a panel in two steps, orange then red (`warnAt`, `warnBelow`); the pairs here
 * put the alert's threshold on the step that means "an alert is firing", and derive the other.
 */
import type { ThresholdUnit } from '../lib/rules/threshold-copies';
import { formatDuration, parseDuration, tidy } from '../lib/core/units';
import { BURN_RATE_WINDOWS } from '../lib/rules/slo-spec';

/** A dashboard's two colour steps: [warning (orange), critical (red)]. */
export type Steps = readonly [warning: number, critical: number];

// --- Strategy, "Warning Alerts" -------------------------------------------------------------

/**
 * Strategy: "High error rates (>5%)". The share of failing work above which a warning fires:
 * HTTP 5xx per service, rejected or failed orders, failed on-chain transactions, failed agent
 * coordination events.
 */
export const ERROR_RATE = 0.05;

/**
 * Strategy: "Slow response times (>100ms P95)" and the SLO "API Response Time: <100ms P95".
 * Seconds; the HighLatencyP95 warning and the api-latency SLO both read it.
 */
export const LATENCY_P95 = 0.1;

/**
 * Strategy: "Resource utilization >80%". Share of a resource in use above which a warning fires:
 * node CPU, memory and disk, volumes, containers against their limits, cluster requests, quotas,
 * PostgreSQL and Redis connections, Redis memory, the Jaeger exporter queue.
 */
export const UTILISATION = 0.8;

/**
 * Strategy: "Approaching rate limits". Share of a Coinbase rate limit still left below which a
 * warning fires, i.e. more than 80% used: the headroom the strategy's utilisation line leaves.
 */
export const RATE_LIMIT_HEADROOM = tidy(1 - UTILISATION);

// --- Strategy, "Critical Alerts": how fast an outage pages ----------------------------------

/**
 * Strategy: "Service down (any core trading service)" and "Database connection failures" page.
 * The core trading services and the PostgreSQL and Redis exporters are scraped this often in every
 * environment (the profiles' prometheus.scrapeIntervals, stacks/grekko-dependencies.ts), and their
 * down alerts are evaluated as often: an outage is seen within seconds.
 */
export const CRITICAL_PATH_SCRAPE_INTERVAL = '5s';

/**
 * How many failed scrapes in a row page: one or two are a restart, a long GC pause or a dropped
 * connection, and page nobody; the third means the target is gone. TradingServiceDown, PostgresDown
 * and RedisDown hold (`for:`) this many scrape intervals; synth checks that every paging alert with
 * a `for:` holds at least this many intervals of what it reads (lib/rules/scrape-timing.ts).
 */
export const FAILED_SCRAPES_TO_PAGE = 3;

/** The `for:` of the down alerts: FAILED_SCRAPES_TO_PAGE scrapes of the critical path (15s). */
export const DOWN_FOR = formatDuration(FAILED_SCRAPES_TO_PAGE * (parseDuration(CRITICAL_PATH_SCRAPE_INTERVAL) as number));

/**
 * How long after a core service's outage its SLO pages stay muted (TradingServiceRecentlyDown and
 * its inhibition, alerts/index.ts). TradingServiceDown paged the outage once; its failed scrapes
 * keep the service's availability SLO over the paging rows' thresholds until the longest short
 * window of a paging row (30m, BURN_RATE_WINDOWS of lib/rules/slo-spec.ts) no longer holds them.
 * Five minutes more cover the error ratios being recorded, and read, an evaluation late.
 */
export const OUTAGE_SLO_PAGE_MUTE = formatDuration(
  Math.max(...BURN_RATE_WINDOWS.filter((r) => r.severity === 'critical').map((r) => parseDuration(r.short) as number)) + 5 * 60_000,
);

// --- Strategy, "Service Level Objectives" ---------------------------------------------------

/** Strategy: "Order Execution: <50ms average latency". Seconds. */
export const ORDER_EXECUTION_MEAN = 0.05;

/** Strategy: "System Availability: 99.9% uptime". The availability SLO of each core service. */
export const AVAILABILITY = 0.999;

/** Strategy: "Data Freshness: <1 second for market data". Seconds. */
export const MARKET_DATA_FRESHNESS = 1;

/** Strategy: "Recovery Time: <5 minutes for service restart". Seconds. */
export const RECOVERY_TIME = 300;

/**
 * The share of requests the api-latency SLO must serve within LATENCY_P95: a P95 under the bound
 * means at least 95% of requests under it (strategy: "P95").
 */
export const LATENCY_SLO_OBJECTIVE = 0.95;

/**
 * The share of scrape intervals in which order execution must average under ORDER_EXECUTION_MEAN.
 * Our choice: 99%, so that a venue's bad minute spends budget without breaching at once.
 */
export const ORDER_EXECUTION_SLO_OBJECTIVE = 0.99;

/** The share of minutes in which market data must be fresher than MARKET_DATA_FRESHNESS; as AVAILABILITY. */
export const FRESHNESS_SLO_OBJECTIVE = AVAILABILITY;

/** The share of minutes in which no core service has been down longer than RECOVERY_TIME; as AVAILABILITY. */
export const RECOVERY_SLO_OBJECTIVE = AVAILABILITY;

// --- Trading, risk and security (strategy: "Risk limit breaches", "Security incidents") -----

/**
 * Market data older than this (seconds) warns (MarketDataStale). Five times MARKET_DATA_FRESHNESS:
 * the SLO counts seconds-late minutes; the warning is for a feed that has stopped.
 */
export const MARKET_DATA_STALE = 5;

/** A risk limit's use at or above which it is breached and pages (strategy: "Risk limit breaches"): all of it. */
export const RISK_LIMIT_BREACH = 1;

/** A risk limit's use above which a warning fires, so that the desk can act before the breach. */
export const RISK_LIMIT_WARNING = 0.9;

/** Average slippage (price executed against expected) above which orders warn: 0.5%, 50 basis points. */
export const SLIPPAGE = 0.005;

/** Dashboard steps for the drawdown from the portfolio's peak (Executive: "Drawdown from peak"). No alert: the risk service's loss limit pages. */
export const DRAWDOWN: Steps = [0.05, 0.1];

/** Dashboard steps for the maximum drawdown over 30 days (strategy: "Risk Metrics: ... maximum drawdown"). */
export const MAX_DRAWDOWN_30D: Steps = [0.1, 0.2];

/** Agent consensus slower than this (P95, seconds) warns: decisions arrive after the market has moved. */
export const AGENT_CONSENSUS_P95 = 0.5;

/** Failed logins per second above which, together with AUTHENTICATION_FAILURE_RATIO, an attack is assumed. */
export const AUTHENTICATION_FAILURES_PER_SECOND = 1;

/** Share of failed logins above which, together with AUTHENTICATION_FAILURES_PER_SECOND, an attack is assumed. */
export const AUTHENTICATION_FAILURE_RATIO = 0.2;

// --- Databases, message bus, backups --------------------------------------------------------

/** Connection errors per second to a database above which the page fires (strategy: "Database connection failures"). */
export const DATABASE_CONNECTION_ERRORS_PER_SECOND = 0.1;

/** An active PostgreSQL transaction older than this (seconds) warns: it holds locks and bloats tables. */
export const POSTGRES_SLOW_TRANSACTION = 30;

/** Exclusive PostgreSQL locks held at once above which lock contention warns. */
export const POSTGRES_EXCLUSIVE_LOCKS = 20;

/** Redis lookups finding their key below this share warn (strategy: "Redis: ... hit/miss ratios"). */
export const REDIS_HIT_RATIO = 0.8;

/** Redis lookups per second below which the hit ratio says nothing and does not warn. */
export const REDIS_MIN_LOOKUPS_PER_SECOND = 1;

/** Messages a consumer group may be behind on a topic before it warns (strategy: "Kafka: Topic lag"). */
export const KAFKA_CONSUMER_LAG = 1000;

/** Age (seconds) of the last verified backup above which it pages: a daily backup plus two hours of slack. */
export const BACKUP_MAX_AGE = 26 * 3600;

// --- Kubernetes -----------------------------------------------------------------------------

/** Container restarts in an hour above which a pod is restarting frequently. */
export const POD_RESTARTS_PER_HOUR = 3;

/**
 * Seconds a node's clock may be off its time reference before it warns. Order latency, slippage
 * windows and market-data age are differences of timestamps written on different nodes: 10 ms is
 * a fifth of the order execution objective (ORDER_EXECUTION_MEAN), so a 50 ms order is not
 * measured more than 20% wrong, and far above the sub-millisecond offset a synchronised node
 * holds. Its own value, not derived: the objective may move without the clocks getting worse.
 */
export const CLOCK_OFFSET = 0.01;

// --- The monitoring stack, logs, traces, certificates ---------------------------------------

/** Share of a job's scrape targets down above which its metrics and alerts are called blind. */
export const SCRAPE_TARGETS_DOWN = 0.1;

/** Share of failed alert notifications (Prometheus to Alertmanager, Alertmanager to receivers) above which it warns. */
export const NOTIFICATION_FAILURES = 0.01;

/**
 * The window Alertmanager's failed notifications are counted over. Alertmanager counts a failed
 * notification once per flush of its group, when the flush gives up, and flushes a group at most
 * every group_interval (5m on every route here): over a 5m window a receiver that keeps failing one
 * group drops to 0 between two flushes and the warning's `for:` starts again. Two group intervals
 * always hold one (prometheus/alertmanager v0.25.0 and v0.28.1, notify/notify.go `RetryStage`;
 * test/e2e/faults.test.ts runs it).
 */
export const NOTIFICATION_FAILURE_WINDOW = '10m';

/** Share of spans refused or failed to store above which tracing warns: traces become incomplete. */
export const SPAN_LOSS = 0.01;

/**
 * Elasticsearch's disk watermarks, which the stack leaves at their defaults
 * (`cluster.routing.allocation.disk.watermark.low`, `.high`, `.flood_stage`: 85%, 90%, 95%):
 * above the low one no new shard goes to the node, above the high one shards move away, at the
 * flood stage its indices become read-only. Not our choice: change them only with the cluster's
 * settings.
 */
export const ELASTICSEARCH_DISK_LOW_WATERMARK = 0.85;
/** See ELASTICSEARCH_DISK_LOW_WATERMARK. */
export const ELASTICSEARCH_DISK_HIGH_WATERMARK = 0.9;
/** See ELASTICSEARCH_DISK_LOW_WATERMARK. */
export const ELASTICSEARCH_DISK_FLOOD_STAGE = 0.95;

/** Share of an Elasticsearch node's heap in use above which it warns: long collections and refused requests follow. */
export const ELASTICSEARCH_HEAP = 0.85;

/** Free share of a Fluentd buffer, in percent as Fluentd reports it, below which it warns: more than half full. */
export const FLUENTD_BUFFER_FREE_WARNING_PERCENT = 50;

/** Free share of a Fluentd buffer, in percent, below which it pages: Fluentd stops reading at 0. */
export const FLUENTD_BUFFER_FREE_CRITICAL_PERCENT = 10;

/**
 * Seconds since a sidecar's last successful upload to the bucket above which it warns: Prometheus
 * cuts a block every 2 hours and the sidecar ships it within a minute, so two blocks in a row
 * have not reached long-term storage. They are still on Prometheus's disk until its retention
 * deletes them.
 */
export const THANOS_UPLOAD_MAX_AGE = 4 * 3600;

/**
 * Seconds without a completed compactor iteration above which it warns. An iteration (compaction,
 * downsampling, retention) starts 5 minutes after the last one and takes minutes on buckets of
 * this size; catching up after a long stop may take hours, six of them means stuck or crash-looping.
 */
export const THANOS_COMPACT_ITERATION_MAX_AGE = 6 * 3600;

/** Days before a certificate expires when a ticket is opened. */
export const CERTIFICATE_WARNING_DAYS = 14;

/** Days before a certificate expires when on-call is paged. */
export const CERTIFICATE_CRITICAL_DAYS = 3;

// --- Dashboard steps derived from the thresholds above --------------------------------------

/** Error ratios: orange from a fifth of ERROR_RATE, red where the warning fires. */
export const ERROR_RATE_STEPS: Steps = [tidy(ERROR_RATE / 5), ERROR_RATE];

/** P95 latency: orange where HighLatencyP95 fires, red at two and a half times it. */
export const LATENCY_P95_STEPS: Steps = [LATENCY_P95, tidy(LATENCY_P95 * 2.5)];

/** Order execution latency: orange at four fifths of the objective, red where it is missed. */
export const ORDER_EXECUTION_STEPS: Steps = [tidy(ORDER_EXECUTION_MEAN * 0.8), ORDER_EXECUTION_MEAN];

/** Market data age: orange at half the freshness objective, red where it is missed. */
export const MARKET_DATA_AGE_STEPS: Steps = [tidy(MARKET_DATA_FRESHNESS / 2), MARKET_DATA_FRESHNESS];

/** Slippage: orange at two fifths of the warning, red where it fires. */
export const SLIPPAGE_STEPS: Steps = [tidy(SLIPPAGE * 0.4), SLIPPAGE];

/** Risk limit use: orange where the warning fires, red at the breach. */
export const RISK_LIMIT_STEPS: Steps = [RISK_LIMIT_WARNING, RISK_LIMIT_BREACH];

/** Utilisation: orange where the warning fires, red halfway from there to full. */
export const UTILISATION_STEPS: Steps = [UTILISATION, tidy((UTILISATION + 1) / 2)];

/** Clock offset panels: orange where NodeClockSkew fires, red at five times that (a whole order's latency objective). */
export const CLOCK_OFFSET_STEPS: Steps = [CLOCK_OFFSET, tidy(CLOCK_OFFSET * 5)];

/** Rate limit left (higher is better): orange below the headroom where the warning fires, red below half of it. */
export const RATE_LIMIT_HEADROOM_STEPS: Steps = [RATE_LIMIT_HEADROOM, tidy(RATE_LIMIT_HEADROOM / 2)];

/** Consumer lag: orange where the warning fires, red at ten times it. */
export const KAFKA_CONSUMER_LAG_STEPS: Steps = [KAFKA_CONSUMER_LAG, KAFKA_CONSUMER_LAG * 10];

/** Failed notifications: orange where the warnings fire, red at ten times it. */
export const NOTIFICATION_FAILURE_STEPS: Steps = [NOTIFICATION_FAILURES, tidy(NOTIFICATION_FAILURES * 10)];

/** Spans refused or failed to store: orange at a tenth of SPAN_LOSS, red where the warnings fire. */
export const SPAN_LOSS_STEPS: Steps = [tidy(SPAN_LOSS / 10), SPAN_LOSS];

/** Elasticsearch disk: orange where the low watermark warns, red where the high watermark pages. */
export const ELASTICSEARCH_DISK_STEPS: Steps = [ELASTICSEARCH_DISK_LOW_WATERMARK, ELASTICSEARCH_DISK_HIGH_WATERMARK];

/** Fluentd buffer free (higher is better): orange below 30%, red below the critical free share. */
export const FLUENTD_BUFFER_FREE_STEPS: Steps = [30, FLUENTD_BUFFER_FREE_CRITICAL_PERCENT];

/** Soonest certificate expiry in seconds (higher is better): orange inside the warning, red inside the page. */
export const CERTIFICATE_EXPIRY_STEPS: Steps = [CERTIFICATE_WARNING_DAYS * 86400, CERTIFICATE_CRITICAL_DAYS * 86400];

/** Elasticsearch heap: orange ten points before the warning, red five points past it. */
export const ELASTICSEARCH_HEAP_STEPS: Steps = [tidy(ELASTICSEARCH_HEAP - 0.1), tidy(ELASTICSEARCH_HEAP + 0.05)];

/** Utilisation of what should never fill (quotas, disk time): orange where the warning fires, red three quarters of the way to full. */
export const UTILISATION_NEAR_FULL_STEPS: Steps = [UTILISATION, tidy(1 - (1 - UTILISATION) / 4)];

/** Requests against allocatable: orange where the warning fires, red when nothing is left. */
export const UTILISATION_COMMITTED_STEPS: Steps = [UTILISATION, 1];

/** Share of scrape targets up (higher is better): orange below all of them, red where PrometheusScrapeTargetsDown fires. */
export const TARGETS_UP_STEPS: Steps = [1, tidy(1 - SCRAPE_TARGETS_DOWN)];

/** Age of a sidecar's last upload (seconds): orange at three quarters of THANOS_UPLOAD_MAX_AGE (a block is overdue), red where ThanosSidecarNoUpload fires. */
export const THANOS_UPLOAD_AGE_STEPS: Steps = [tidy(THANOS_UPLOAD_MAX_AGE * 0.75), THANOS_UPLOAD_MAX_AGE];

// --- Dashboard levels no alert shares: what a panel colours, chosen for the reader ----------

/** Share of SLOs with budget left (higher is better): orange below all, red below four in five. */
export const SLOS_WITHIN_BUDGET_STEPS: Steps = [1, 0.8];

/** Share of orders filled (higher is better). */
export const FILL_RATE_STEPS: Steps = [0.95, 0.9];

/** Redis hit ratio (higher is better): orange a tenth above REDIS_HIT_RATIO, red a tenth below it. */
export const REDIS_HIT_RATIO_STEPS: Steps = [tidy(REDIS_HIT_RATIO + 0.1), tidy(REDIS_HIT_RATIO - 0.1)];

/** PostgreSQL buffer cache hit ratio (higher is better). */
export const POSTGRES_CACHE_HIT_STEPS: Steps = [0.99, 0.95];

/** On-chain transactions confirmed (higher is better): orange below 99%, red where MetaMaskTransactionFailures fires. */
export const TRANSACTION_SUCCESS_STEPS: Steps = [0.99, tidy(1 - ERROR_RATE)];

/** Jaeger exporter queue fill: orange from half full, red where JaegerExporterQueueNearFull fires. */
export const EXPORTER_QUEUE_STEPS: Steps = [0.5, UTILISATION];

/** Age of the oldest open PostgreSQL transaction (seconds): orange at twice PostgresSlowQueries' limit, red at ten times. */
export const POSTGRES_OPEN_TRANSACTION_STEPS: Steps = [POSTGRES_SLOW_TRANSACTION * 2, POSTGRES_SLOW_TRANSACTION * 10];

/** Rollouts in progress at once. */
export const ROLLOUTS_IN_PROGRESS_STEPS: Steps = [1, 3];

/** Line coverage of the tests (higher is better). */
export const TEST_COVERAGE_STEPS: Steps = [0.8, 0.6];

/** InfluxDB write and query latency, P95 in seconds. */
export const INFLUXDB_API_LATENCY_STEPS: Steps = [0.5, 2];

/** Elasticsearch circuit breaker trips per second. */
export const ELASTICSEARCH_BREAKER_TRIPS_STEPS: Steps = [0.01, 0.1];

/** Elasticsearch thread pool rejections per second (write rejections are indexing back-pressure). */
export const ELASTICSEARCH_REJECTIONS_STEPS: Steps = [0.1, 1];

/**
 * What each threshold measures, which decides how it is written (`percent()` for ratios,
 * `millis()` or `seconds()` for times) and which literals test/thresholds.test.ts calls a copy.
 * `objective` is a ratio written only as a percentage (an SLO objective).
 */
export const UNITS: Readonly<Record<string, ThresholdUnit>> = {
  ERROR_RATE: 'ratio',
  LATENCY_P95: 'seconds',
  UTILISATION: 'ratio',
  RATE_LIMIT_HEADROOM: 'ratio',
  ORDER_EXECUTION_MEAN: 'seconds',
  AVAILABILITY: 'objective',
  MARKET_DATA_FRESHNESS: 'seconds',
  RECOVERY_TIME: 'seconds',
  LATENCY_SLO_OBJECTIVE: 'objective',
  ORDER_EXECUTION_SLO_OBJECTIVE: 'objective',
  FRESHNESS_SLO_OBJECTIVE: 'objective',
  RECOVERY_SLO_OBJECTIVE: 'objective',
  MARKET_DATA_STALE: 'seconds',
  RISK_LIMIT_BREACH: 'ratio',
  RISK_LIMIT_WARNING: 'ratio',
  SLIPPAGE: 'ratio',
  DRAWDOWN: 'ratio',
  MAX_DRAWDOWN_30D: 'ratio',
  AGENT_CONSENSUS_P95: 'seconds',
  AUTHENTICATION_FAILURES_PER_SECOND: 'count',
  AUTHENTICATION_FAILURE_RATIO: 'ratio',
  DATABASE_CONNECTION_ERRORS_PER_SECOND: 'count',
  POSTGRES_SLOW_TRANSACTION: 'seconds',
  POSTGRES_EXCLUSIVE_LOCKS: 'count',
  REDIS_HIT_RATIO: 'ratio',
  REDIS_MIN_LOOKUPS_PER_SECOND: 'count',
  KAFKA_CONSUMER_LAG: 'count',
  BACKUP_MAX_AGE: 'seconds',
  POD_RESTARTS_PER_HOUR: 'count',
  CLOCK_OFFSET: 'seconds',
  SCRAPE_TARGETS_DOWN: 'ratio',
  NOTIFICATION_FAILURES: 'ratio',
  SPAN_LOSS: 'ratio',
  ELASTICSEARCH_DISK_LOW_WATERMARK: 'ratio',
  ELASTICSEARCH_DISK_HIGH_WATERMARK: 'ratio',
  ELASTICSEARCH_DISK_FLOOD_STAGE: 'ratio',
  ELASTICSEARCH_HEAP: 'ratio',
  FLUENTD_BUFFER_FREE_WARNING_PERCENT: 'percent',
  FLUENTD_BUFFER_FREE_CRITICAL_PERCENT: 'percent',
  THANOS_UPLOAD_MAX_AGE: 'seconds',
  THANOS_COMPACT_ITERATION_MAX_AGE: 'seconds',
  CERTIFICATE_WARNING_DAYS: 'days',
  CERTIFICATE_CRITICAL_DAYS: 'days',
  ERROR_RATE_STEPS: 'ratio',
  LATENCY_P95_STEPS: 'seconds',
  ORDER_EXECUTION_STEPS: 'seconds',
  MARKET_DATA_AGE_STEPS: 'seconds',
  SLIPPAGE_STEPS: 'ratio',
  RISK_LIMIT_STEPS: 'ratio',
  UTILISATION_STEPS: 'ratio',
  CLOCK_OFFSET_STEPS: 'seconds',
  RATE_LIMIT_HEADROOM_STEPS: 'ratio',
  KAFKA_CONSUMER_LAG_STEPS: 'count',
  NOTIFICATION_FAILURE_STEPS: 'ratio',
  SPAN_LOSS_STEPS: 'ratio',
  ELASTICSEARCH_DISK_STEPS: 'ratio',
  FLUENTD_BUFFER_FREE_STEPS: 'percent',
  CERTIFICATE_EXPIRY_STEPS: 'seconds',
  ELASTICSEARCH_HEAP_STEPS: 'ratio',
  UTILISATION_NEAR_FULL_STEPS: 'ratio',
  UTILISATION_COMMITTED_STEPS: 'ratio',
  TARGETS_UP_STEPS: 'ratio',
  THANOS_UPLOAD_AGE_STEPS: 'seconds',
  SLOS_WITHIN_BUDGET_STEPS: 'ratio',
  FILL_RATE_STEPS: 'ratio',
  REDIS_HIT_RATIO_STEPS: 'ratio',
  POSTGRES_CACHE_HIT_STEPS: 'ratio',
  TRANSACTION_SUCCESS_STEPS: 'ratio',
  EXPORTER_QUEUE_STEPS: 'ratio',
  POSTGRES_OPEN_TRANSACTION_STEPS: 'seconds',
  ROLLOUTS_IN_PROGRESS_STEPS: 'count',
  TEST_COVERAGE_STEPS: 'ratio',
  INFLUXDB_API_LATENCY_STEPS: 'seconds',
  ELASTICSEARCH_BREAKER_TRIPS_STEPS: 'count',
  ELASTICSEARCH_REJECTIONS_STEPS: 'count',
  FAILED_SCRAPES_TO_PAGE: 'count',
};
