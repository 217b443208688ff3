/**
 * Databases, the message bus, log storage and backups. Strategy: "Database connection failures"
 * and "Data loss or corruption" page; PostgreSQL connection pools, slow queries and lock
 * contention, Redis memory and hit ratio, and Kafka consumer lag warn.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { percent, seconds, tidy } from '../lib/core/units';
import {
  BACKUP_MAX_AGE,
  DATABASE_CONNECTION_ERRORS_PER_SECOND,
  KAFKA_CONSUMER_LAG,
  POSTGRES_EXCLUSIVE_LOCKS,
  POSTGRES_SLOW_TRANSACTION,
  REDIS_HIT_RATIO,
  REDIS_MIN_LOOKUPS_PER_SECOND,
  UTILISATION,
} from './thresholds';

const SOURCE = moduleSource(__filename);

const pgBy = 'namespace, job, instance';

export const databases: RuleGroup = {
  name: 'databases',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'InfluxDBDown',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.influxdb,
      // One scrape job per InfluxDB server, named `influxdb-<name>` (lib/components/exporters/influxdb.ts).
      expr: 'up{job=~"influxdb-.+"} == 0 or absent(up{job=~"influxdb-.+"})',
      for: '2m',
      summary: 'InfluxDB is unreachable',
      description: 'InfluxDB has not answered a scrape for 2 minutes (or is not running). Market data and time series cannot be written or read.',
      runbook: 'docs/runbooks/influxdb-down.md',
    },
    {
      alert: 'DatabaseConnectionFailures',
      severity: 'critical',
      expr: `sum by (namespace, job, service, database) (rate(grekko_db_connection_errors_total[5m])) > ${DATABASE_CONNECTION_ERRORS_PER_SECOND}`,
      for: '2m',
      summary: '{{ $labels.service }} cannot connect to {{ $labels.database }}',
      description: '{{ $labels.service }} has failed to open or use {{ $labels.database }} connections {{ $value | humanize }} times per second for 2 minutes.',
      runbook: 'docs/runbooks/database-connection-failures.md',
    },
    {
      alert: 'PostgresConnectionsNearLimit',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.postgresql,
      expr: `sum by (${pgBy}) (pg_stat_activity_count) / max by (${pgBy}) (pg_settings_max_connections) > ${UTILISATION}`,
      for: '5m',
      summary: 'PostgreSQL {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its connections',
      description: `More than ${percent(UTILISATION)} of max_connections have been in use for 5 minutes; new connections will soon be refused.`,
      runbook: 'docs/runbooks/databases.md',
    },
    {
      alert: 'PostgresSlowQueries',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.postgresql,
      expr: `max by (${pgBy}, datname) (pg_stat_activity_max_tx_duration{state="active"}) > ${POSTGRES_SLOW_TRANSACTION}`,
      for: '2m',
      summary: 'A query on {{ $labels.datname }} has run for {{ $value | humanizeDuration }}',
      description: `An active transaction on {{ $labels.datname }} has been running for more than ${seconds(POSTGRES_SLOW_TRANSACTION)}, for 2 minutes.`,
      runbook: 'docs/runbooks/databases.md',
    },
    {
      alert: 'PostgresLockContention',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.postgresql,
      expr: `
  sum by (${pgBy}, datname) (increase(pg_stat_database_deadlocks[10m])) > 0
or
  sum by (${pgBy}, datname) (pg_locks_count{mode=~"accessexclusivelock|exclusivelock"}) > ${POSTGRES_EXCLUSIVE_LOCKS}`,
      for: '5m',
      summary: 'Lock contention on {{ $labels.datname }}',
      description: `PostgreSQL database {{ $labels.datname }} has had deadlocks, or more than ${POSTGRES_EXCLUSIVE_LOCKS} exclusive locks held, for 5 minutes.`,
      runbook: 'docs/runbooks/databases.md',
    },
    {
      alert: 'RedisMemoryHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.redis,
      expr: `redis_memory_used_bytes / (redis_memory_max_bytes > 0) > ${UTILISATION}`,
      for: '5m',
      summary: 'Redis {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory',
      description: `Redis has used more than ${percent(UTILISATION)} of maxmemory for 5 minutes; it will start evicting keys or refusing writes.`,
      runbook: 'docs/runbooks/databases.md',
    },
    {
      alert: 'RedisHitRatioLow',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.redis,
      expr: `
  rate(redis_keyspace_hits_total[10m]) / (rate(redis_keyspace_hits_total[10m]) + rate(redis_keyspace_misses_total[10m])) < ${REDIS_HIT_RATIO}
and
  (rate(redis_keyspace_hits_total[10m]) + rate(redis_keyspace_misses_total[10m])) > ${REDIS_MIN_LOOKUPS_PER_SECOND}`,
      for: '15m',
      summary: 'Redis {{ $labels.instance }} hit ratio is {{ $value | humanizePercentage }}',
      description: `Fewer than ${percent(REDIS_HIT_RATIO)} of Redis lookups have found their key for 15 minutes (with more than ${REDIS_MIN_LOOKUPS_PER_SECOND === 1 ? 'one lookup' : `${REDIS_MIN_LOOKUPS_PER_SECOND} lookups`} per second): callers fall through to slower stores.`,
      runbook: 'docs/runbooks/databases.md',
    },
    {
      alert: 'RedisConnectionsNearLimit',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.redis,
      expr: `redis_connected_clients / redis_config_maxclients > ${UTILISATION}`,
      for: '5m',
      summary: 'Redis {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxclients',
      description: `More than ${percent(UTILISATION)} of Redis maxclients have been connected for 5 minutes; new connections will soon be refused.`,
      runbook: 'docs/runbooks/databases.md',
    },
    {
      alert: 'RedisRejectingConnections',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.redis,
      expr: 'sum by (namespace, job, instance) (increase(redis_rejected_connections_total[5m])) > 0',
      summary: 'Redis {{ $labels.instance }} refused connections',
      description:
        'Redis {{ $labels.instance }} refused new clients in the last 5 minutes because maxclients was reached: the services that were refused run without their cache or fail their requests.',
      runbook: 'docs/runbooks/databases.md#redis-rejecting-connections',
    },
  ],
};

export const messageBus: RuleGroup = {
  name: 'message-bus',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'KafkaOffline',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.kafka,
      expr: 'max by (namespace, job) (kafka_brokers) < 1 or absent(kafka_brokers)',
      for: '2m',
      summary: 'Kafka is offline',
      description: 'kafka_exporter sees no Kafka broker (or is not reporting at all) for 2 minutes. Events between the trading services are not delivered.',
      runbook: 'docs/runbooks/kafka-offline.md',
    },
    {
      alert: 'KafkaUnderReplicatedPartitions',
      severity: 'critical',
      dashboard: DASHBOARD_UIDS.kafka,
      expr: 'sum by (namespace, job, topic) (kafka_topic_partition_under_replicated_partition) > 0',
      for: '5m',
      summary: '{{ $value }} partitions of {{ $labels.topic }} are under-replicated',
      description: 'Partitions of {{ $labels.topic }} have had fewer in-sync replicas than replicas for 5 minutes; losing one more broker loses data.',
      runbook: 'docs/runbooks/kafka-under-replicated-partitions.md',
    },
    {
      alert: 'KafkaConsumerLagHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kafka,
      expr: `sum by (namespace, job, consumergroup, topic) (kafka_consumergroup_lag) > ${KAFKA_CONSUMER_LAG}`,
      for: '10m',
      summary: '{{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.topic }}',
      description: `Consumer group {{ $labels.consumergroup }} has been more than ${KAFKA_CONSUMER_LAG} messages behind on {{ $labels.topic }} for 10 minutes.`,
      runbook: 'docs/runbooks/kafka-consumer-lag.md',
    },
  ],
};

export const storage: RuleGroup = {
  name: 'data-integrity',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'BackupFailed',
      severity: 'critical',
      expr: 'max by (namespace, job, database) (grekko_backup_last_run_success) == 0',
      summary: 'The last backup of {{ $labels.database }} failed',
      description: 'The last backup run of {{ $labels.database }} did not complete or did not verify.',
      runbook: 'docs/runbooks/backup-failed.md',
    },
    {
      alert: 'BackupStale',
      severity: 'critical',
      // BACKUP_MAX_AGE: a daily backup plus slack. The age at scrape time, held for five
      // minutes (more than two scrape intervals everywhere; lib/rules/scrape-timing.ts).
      expr: `min by (namespace, job, database) (timestamp(grekko_backup_last_success_timestamp_seconds) - grekko_backup_last_success_timestamp_seconds) > ${tidy(BACKUP_MAX_AGE / 3600)} * 3600`,
      for: '5m',
      summary: 'No good backup of {{ $labels.database }} for {{ $value | humanizeDuration }}',
      description: `The last verified backup of {{ $labels.database }} is more than ${seconds(BACKUP_MAX_AGE)} old.`,
      runbook: 'docs/runbooks/backup-stale.md',
    },
    {
      alert: 'DataIntegrityCheckFailed',
      severity: 'critical',
      expr: 'sum by (namespace, job, check) (increase(grekko_data_integrity_check_failures_total[15m])) > 0',
      summary: 'Integrity check {{ $labels.check }} failed',
      description: 'The consistency check "{{ $labels.check }}" failed in the last 15 minutes: records may be missing or corrupt.',
      runbook: 'docs/runbooks/data-integrity-check-failed.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([databases, messageBus, storage]);
