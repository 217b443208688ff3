import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { percent, seconds } from '../lib/core/units';
import {
  BACKUP_MAX_AGE,
  DATABASE_CONNECTION_ERRORS_PER_SECOND,
  KAFKA_CONSUMER_LAG,
  POSTGRES_EXCLUSIVE_LOCKS,
  POSTGRES_SLOW_TRANSACTION,
  REDIS_HIT_RATIO,
  UTILISATION,
} from './thresholds';
import { TRADING_NAMESPACE } from '../metrics/system';

const pg = `namespace="${TRADING_NAMESPACE}", job="postgres-exporter", instance="10.0.0.5:9187"`;
const pgLabels = { namespace: 'grekko', job: 'postgres-exporter', instance: '10.0.0.5:9187' };
const redis = `namespace="${TRADING_NAMESPACE}", job="redis-exporter", instance="10.0.0.6:9121"`;
const redisLabels = { namespace: 'grekko', job: 'redis-exporter', instance: '10.0.0.6:9121' };
const kafka = `namespace="${TRADING_NAMESPACE}", job="kafka-exporter", instance="10.0.0.7:9308"`;
const kafkaLabels = { namespace: 'grekko', job: 'kafka-exporter' };
const influx = `namespace="${TRADING_NAMESPACE}", job="influxdb-timeseries", service="influxdb", dependency="timeseries", instance="10.0.0.8:8086"`;
const influxLabels = { namespace: 'grekko', job: 'influxdb-timeseries', service: 'influxdb', dependency: 'timeseries', instance: '10.0.0.8:8086' };
const backup = `namespace="${TRADING_NAMESPACE}", job="backup", instance="backup:9100"`;
const order = `namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0"`;

const connections = (used: number) => ({
  [`pg_stat_activity_count{${pg}, datname="trading", state="active"}`]: `${used - 10}x20`,
  [`pg_stat_activity_count{${pg}, datname="trading", state="idle"}`]: '10x20',
  [`pg_settings_max_connections{${pg}}`]: '100x20',
});
const redisLookups = (hitsPerMinute: number, missesPerMinute: number) => ({
  [`redis_keyspace_hits_total{${redis}}`]: `0+${hitsPerMinute}x60`,
  [`redis_keyspace_misses_total{${redis}}`]: `0+${missesPerMinute}x60`,
});

// Edge cases a step either side of each threshold, in whole connections, bytes, clients, lookups.
const MAX_CONNECTIONS = 100;
const connectionsAt = Math.round(UTILISATION * MAX_CONNECTIONS);
const MAXMEMORY = 1000;
const memoryUnder = Math.round(UTILISATION * MAXMEMORY) - 10;
const memoryOver = Math.round(UTILISATION * MAXMEMORY) + 10;
const LOOKUPS = 1000;
const hitsOver = Math.round(REDIS_HIT_RATIO * LOOKUPS) + 10;
const hitsUnder = Math.round(REDIS_HIT_RATIO * LOOKUPS) - 10;
const MAXCLIENTS = 10000;
const clientsAt = Math.round(UTILISATION * MAXCLIENTS);
const clientsOver = clientsAt + 100;
/** Connection errors per minute either side of the page. */
const errorsPerMinute = DATABASE_CONNECTION_ERRORS_PER_SECOND * 60;
const errorsUnder = Math.floor(errorsPerMinute) - 1;
const errorsOver = Math.ceil(errorsPerMinute) + 1;
/** Backup ages: a minute short of the limit at 15m, and a minute past it at 10m (so 6 minutes past at 15m). */
const backupFresh = BACKUP_MAX_AGE - 15 * 60 - 60;
const backupStale = BACKUP_MAX_AGE - 10 * 60 + 60;

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'InfluxDB up stays quiet; down for 2 minutes pages',
      series: { [`up{${influx}}`]: '1 1 1 1 1 0 0 0 0 0' },
      alerts: [
        { at: '4m', alert: 'InfluxDBDown', fires: [] },
        { at: '8m', alert: 'InfluxDBDown', fires: [{ labels: influxLabels }] },
      ],
    },
    {
      name: 'InfluxDB up under its generated job name (influxdb-<name>) stays quiet for good',
      series: { [`up{${influx}}`]: '1x30' },
      alerts: [{ at: '30m', alert: 'InfluxDBDown', fires: [] }],
    },
    {
      name: 'InfluxDB not scraped at all pages',
      series: { [`pg_up{${pg}}`]: '1x10' },
      alerts: [{ at: '5m', alert: 'InfluxDBDown', fires: [{ labels: {} }] }],
    },
    {
      name: `${errorsUnder} connection errors a minute stay quiet; ${errorsOver} a minute page`,
      series: {
        [`grekko_db_connection_errors_total{${order}, database="postgres"}`]: `0+${errorsUnder}x20`,
        [`grekko_db_connection_errors_total{${order}, database="redis"}`]: `0+${errorsOver}x20`,
      },
      alerts: [
        {
          at: '15m',
          alert: 'DatabaseConnectionFailures',
          fires: [{ labels: { namespace: 'grekko', job: 'order-service', service: 'order-service', database: 'redis' }, value: errorsOver / 60 }],
        },
      ],
    },
    {
      name: 'no connection errors stays quiet',
      series: { [`grekko_db_connection_errors_total{${order}, database="postgres"}`]: '0x20' },
      alerts: [{ at: '15m', alert: 'DatabaseConnectionFailures', fires: [] }],
    },
    {
      name: `${connectionsAt} of ${MAX_CONNECTIONS} connections in use stays quiet`,
      series: connections(connectionsAt),
      alerts: [{ at: '10m', alert: 'PostgresConnectionsNearLimit', fires: [] }],
    },
    {
      name: `${connectionsAt + 1} of ${MAX_CONNECTIONS} connections in use warns`,
      series: connections(connectionsAt + 1),
      alerts: [{ at: '10m', alert: 'PostgresConnectionsNearLimit', fires: [{ labels: pgLabels, value: (connectionsAt + 1) / MAX_CONNECTIONS }] }],
    },
    {
      name: `a query of ${seconds(POSTGRES_SLOW_TRANSACTION - 1)} stays quiet`,
      series: { [`pg_stat_activity_max_tx_duration{${pg}, datname="trading", state="active"}`]: `${POSTGRES_SLOW_TRANSACTION - 1}x10` },
      alerts: [{ at: '5m', alert: 'PostgresSlowQueries', fires: [] }],
    },
    {
      name: `a query of ${seconds(POSTGRES_SLOW_TRANSACTION + 1)} for 2 minutes warns`,
      series: { [`pg_stat_activity_max_tx_duration{${pg}, datname="audit", state="active"}`]: `${POSTGRES_SLOW_TRANSACTION + 1}x10` },
      alerts: [{ at: '5m', alert: 'PostgresSlowQueries', fires: [{ labels: { ...pgLabels, datname: 'audit' }, value: POSTGRES_SLOW_TRANSACTION + 1 }] }],
    },
    {
      name: `${POSTGRES_EXCLUSIVE_LOCKS} exclusive locks and no deadlocks stay quiet`,
      series: {
        [`pg_locks_count{${pg}, datname="trading", mode="exclusivelock"}`]: `${POSTGRES_EXCLUSIVE_LOCKS}x20`,
        [`pg_stat_database_deadlocks{${pg}, datname="trading"}`]: '3x20',
      },
      alerts: [{ at: '15m', alert: 'PostgresLockContention', fires: [] }],
    },
    {
      name: `${POSTGRES_EXCLUSIVE_LOCKS + 1} exclusive locks for 5 minutes warn`,
      series: { [`pg_locks_count{${pg}, datname="trading", mode="exclusivelock"}`]: `${POSTGRES_EXCLUSIVE_LOCKS + 1}x20` },
      alerts: [{ at: '10m', alert: 'PostgresLockContention', fires: [{ labels: { ...pgLabels, datname: 'trading' }, value: POSTGRES_EXCLUSIVE_LOCKS + 1 }] }],
    },
    {
      name: 'deadlocks every few minutes warn',
      series: { [`pg_stat_database_deadlocks{${pg}, datname="trading"}`]: '0+1x20' },
      alerts: [{ at: '15m', alert: 'PostgresLockContention', fires: [{ labels: { ...pgLabels, datname: 'trading' }, value: 10 }] }],
    },
    {
      name: `Redis at ${percent(memoryUnder / MAXMEMORY)} of maxmemory stays quiet; without maxmemory it never warns`,
      series: {
        [`redis_memory_used_bytes{${redis}}`]: `${memoryUnder}x10`,
        [`redis_memory_max_bytes{${redis}}`]: `${MAXMEMORY}x10`,
        [`redis_memory_used_bytes{namespace="${TRADING_NAMESPACE}", job="redis-exporter", instance="cache:9121"}`]: '5000x10',
        [`redis_memory_max_bytes{namespace="${TRADING_NAMESPACE}", job="redis-exporter", instance="cache:9121"}`]: '0x10',
      },
      alerts: [{ at: '8m', alert: 'RedisMemoryHigh', fires: [] }],
    },
    {
      name: `Redis at ${percent(memoryOver / MAXMEMORY)} of maxmemory warns`,
      series: { [`redis_memory_used_bytes{${redis}}`]: `${memoryOver}x10`, [`redis_memory_max_bytes{${redis}}`]: `${MAXMEMORY}x10` },
      alerts: [{ at: '8m', alert: 'RedisMemoryHigh', fires: [{ labels: redisLabels, value: memoryOver / MAXMEMORY }] }],
    },
    {
      name: `a hit ratio of ${percent(hitsOver / LOOKUPS)} stays quiet`,
      series: redisLookups(hitsOver, LOOKUPS - hitsOver),
      alerts: [{ at: '40m', alert: 'RedisHitRatioLow', fires: [] }],
    },
    {
      name: `a hit ratio of ${percent(hitsUnder / LOOKUPS)} warns`,
      series: redisLookups(hitsUnder, LOOKUPS - hitsUnder),
      alerts: [{ at: '40m', alert: 'RedisHitRatioLow', fires: [{ labels: redisLabels, value: hitsUnder / LOOKUPS }] }],
    },
    { name: 'a low hit ratio on an idle Redis stays quiet', series: redisLookups(10, 40), alerts: [{ at: '40m', alert: 'RedisHitRatioLow', fires: [] }] },
    {
      name: `Redis clients at ${percent(clientsAt / MAXCLIENTS)} stay quiet, at ${percent(clientsOver / MAXCLIENTS)} warn`,
      series: {
        [`redis_connected_clients{${redis}}`]: `${clientsAt} ${clientsAt} ${clientsOver}x7`,
        [`redis_config_maxclients{${redis}}`]: `${MAXCLIENTS}x10`,
      },
      alerts: [
        { at: '1m', alert: 'RedisConnectionsNearLimit', fires: [] },
        { at: '8m', alert: 'RedisConnectionsNearLimit', fires: [{ labels: redisLabels, value: clientsOver / MAXCLIENTS }] },
      ],
    },
    {
      name: 'one connection refused by Redis warns; none refused stays quiet, and it clears 5 minutes after the last refusal',
      series: { [`redis_rejected_connections_total{${redis}}`]: '0 0 0 0 1x12' },
      alerts: [
        { at: '3m', alert: 'RedisRejectingConnections', fires: [] },
        { at: '6m', alert: 'RedisRejectingConnections', fires: [{ labels: redisLabels }] },
        { at: '14m', alert: 'RedisRejectingConnections', fires: [] },
      ],
    },
    {
      name: 'Kafka with three brokers stays quiet; with none it pages',
      series: { [`kafka_brokers{${kafka}}`]: '3 3 3 0 0 0 0 0' },
      alerts: [
        { at: '2m', alert: 'KafkaOffline', fires: [] },
        { at: '6m', alert: 'KafkaOffline', fires: [{ labels: kafkaLabels, value: 0 }] },
      ],
    },
    {
      name: 'no Kafka broker count at all pages',
      series: { [`pg_up{${pg}}`]: '1x10' },
      alerts: [{ at: '5m', alert: 'KafkaOffline', fires: [{ labels: {}, value: 1 }] }],
    },
    {
      name: 'an under-replicated partition for 5 minutes pages',
      series: {
        [`kafka_topic_partition_under_replicated_partition{${kafka}, topic="orders", partition="0"}`]: '0 0 1 1 1 1 1 1 1 1',
        [`kafka_topic_partition_under_replicated_partition{${kafka}, topic="orders", partition="1"}`]: '0x10',
      },
      alerts: [
        { at: '5m', alert: 'KafkaUnderReplicatedPartitions', fires: [] },
        { at: '8m', alert: 'KafkaUnderReplicatedPartitions', fires: [{ labels: { ...kafkaLabels, topic: 'orders' }, value: 1 }] },
      ],
    },
    {
      name: `a lag of ${KAFKA_CONSUMER_LAG} messages, summed over partitions, stays quiet`,
      series: {
        [`kafka_consumergroup_lag{${kafka}, consumergroup="risk", topic="orders", partition="0"}`]: `${KAFKA_CONSUMER_LAG / 2}x20`,
        [`kafka_consumergroup_lag{${kafka}, consumergroup="risk", topic="orders", partition="1"}`]: `${KAFKA_CONSUMER_LAG / 2}x20`,
      },
      alerts: [{ at: '15m', alert: 'KafkaConsumerLagHigh', fires: [] }],
    },
    {
      name: `a lag of ${KAFKA_CONSUMER_LAG + 1} messages for 10 minutes warns`,
      series: { [`kafka_consumergroup_lag{${kafka}, consumergroup="portfolio", topic="fills", partition="0"}`]: `${KAFKA_CONSUMER_LAG + 1}x20` },
      alerts: [
        {
          at: '15m',
          alert: 'KafkaConsumerLagHigh',
          fires: [{ labels: { ...kafkaLabels, consumergroup: 'portfolio', topic: 'fills' }, value: KAFKA_CONSUMER_LAG + 1 }],
        },
      ],
    },
    {
      name: 'a failed backup run pages until a run succeeds',
      series: { [`grekko_backup_last_run_success{${backup}, database="postgres"}`]: '1 1 0 0 1' },
      alerts: [
        { at: '1m', alert: 'BackupFailed', fires: [] },
        { at: '2m', alert: 'BackupFailed', fires: [{ labels: { namespace: 'grekko', job: 'backup', database: 'postgres' } }] },
        { at: '4m', alert: 'BackupFailed', fires: [] },
      ],
    },
    {
      // Ages at scrape time: at 15m one success is a minute short of the limit; the other has been
      // a minute past it since 10m, and is 6 minutes past at 15m.
      name: `a backup a minute short of ${seconds(BACKUP_MAX_AGE)} old stays quiet; one older pages once that has held for 5 minutes`,
      series: {
        [`grekko_backup_last_success_timestamp_seconds{${backup}, database="postgres"}`]: `${-backupFresh}x15`,
        [`grekko_backup_last_success_timestamp_seconds{${backup}, database="influxdb"}`]: `${-backupStale}x15`,
      },
      alerts: [
        { at: '12m', alert: 'BackupStale', fires: [] },
        { at: '15m', alert: 'BackupStale', fires: [{ labels: { namespace: 'grekko', job: 'backup', database: 'influxdb' }, value: 15 * 60 + backupStale }] },
      ],
    },
    {
      name: 'a fresh backup stays quiet',
      series: { [`grekko_backup_last_success_timestamp_seconds{${backup}, database="postgres"}`]: '0x10' },
      alerts: [{ at: '10m', alert: 'BackupStale', fires: [] }],
    },
    {
      name: 'a failed integrity check pages; passing checks stay quiet',
      series: {
        [`grekko_data_integrity_check_failures_total{namespace="${TRADING_NAMESPACE}", job="integrity-checker", instance="ic:8080", check="ledger_vs_fills"}`]:
          '0 0 0 0 0 0 0 0 0 0 1 1',
        [`grekko_data_integrity_check_failures_total{namespace="${TRADING_NAMESPACE}", job="integrity-checker", instance="ic:8080", check="audit_trail"}`]:
          '0x12',
      },
      alerts: [
        { at: '9m', alert: 'DataIntegrityCheckFailed', fires: [] },
        { at: '11m', alert: 'DataIntegrityCheckFailed', fires: [{ labels: { namespace: 'grekko', job: 'integrity-checker', check: 'ledger_vs_fills' } }] },
      ],
    },
  ],
};
