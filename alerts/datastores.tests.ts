import { RuleTestSuite } from '../lib/rules/testing';

const pg = 'namespace="grekko", job="postgres-exporter", instance="10.0.0.5:9187"';
const pgLabels = { namespace: 'grekko', job: 'postgres-exporter', instance: '10.0.0.5:9187' };
const redis = 'namespace="grekko", job="redis-exporter", instance="10.0.0.6:9121"';
const redisLabels = { namespace: 'grekko', job: 'redis-exporter', instance: '10.0.0.6:9121' };
const kafka = 'namespace="grekko", job="kafka-exporter", instance="10.0.0.7:9308"';
const kafkaLabels = { namespace: 'grekko', job: 'kafka-exporter' };
const influx = 'namespace="grekko", job="influxdb-timeseries", service="influxdb", dependency="timeseries", instance="10.0.0.8:8086"';
const influxLabels = { namespace: 'grekko', job: 'influxdb-timeseries', service: 'influxdb', dependency: 'timeseries', instance: '10.0.0.8:8086' };
const backup = 'namespace="grekko", job="backup", instance="backup:9100"';
const order = 'namespace="grekko", job="order-service", service="order-service", pod="order-service-0"';

const connections = (used: number) => ({
  [`pg_stat_activity_count{${pg}, datname="trading", state="active"}`]: `${used - 10}x20`,
  [`pg_stat_activity_count{${pg}, datname="trading", state="idle"}`]: '10x20',
  [`pg_settings_max_connections{${pg}}`]: '100x20',
});
const redisLookups = (hitsPerMinute: number, missesPerMinute: number) => ({
  [`redis_keyspace_hits_total{${redis}}`]: `0+${hitsPerMinute}x60`,
  [`redis_keyspace_misses_total{${redis}}`]: `0+${missesPerMinute}x60`,
});

export const suite: RuleTestSuite = {
  source: 'alerts/datastores.ts',
  tests: [
    {
      name: 'PostgreSQL down for a minute pages; a single failed scrape does not',
      series: { [`pg_up{${pg}}`]: '1 1 0 1 1 0 0 0 0' },
      alerts: [
        { at: '3m', alert: 'PostgresDown', fires: [] },
        { at: '7m', alert: 'PostgresDown', fires: [{ labels: pgLabels }] },
      ],
    },
    {
      name: 'Redis down for a minute pages',
      series: { [`redis_up{${redis}}`]: '1 1 0 0 0 0' },
      alerts: [
        { at: '1m', alert: 'RedisDown', fires: [] },
        { at: '4m', alert: 'RedisDown', fires: [{ labels: redisLabels }] },
      ],
    },
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
      name: '5 connection errors a minute stay quiet; 7 a minute page',
      series: {
        [`grekko_db_connection_errors_total{${order}, database="postgres"}`]: '0+5x20',
        [`grekko_db_connection_errors_total{${order}, database="redis"}`]: '0+7x20',
      },
      alerts: [{ at: '15m', alert: 'DatabaseConnectionFailures', fires: [{ labels: { namespace: 'grekko', job: 'order-service', service: 'order-service', database: 'redis' }, value: 7 / 60 }] }],
    },
    {
      name: 'no connection errors stays quiet',
      series: { [`grekko_db_connection_errors_total{${order}, database="postgres"}`]: '0x20' },
      alerts: [{ at: '15m', alert: 'DatabaseConnectionFailures', fires: [] }],
    },
    { name: '80 of 100 connections in use stays quiet', series: connections(80), alerts: [{ at: '10m', alert: 'PostgresConnectionsNearLimit', fires: [] }] },
    { name: '81 of 100 connections in use warns', series: connections(81), alerts: [{ at: '10m', alert: 'PostgresConnectionsNearLimit', fires: [{ labels: pgLabels, value: 0.81 }] }] },
    {
      name: 'a 29-second query stays quiet',
      series: { [`pg_stat_activity_max_tx_duration{${pg}, datname="trading", state="active"}`]: '29x10' },
      alerts: [{ at: '5m', alert: 'PostgresSlowQueries', fires: [] }],
    },
    {
      name: 'a 31-second query for 2 minutes warns',
      series: { [`pg_stat_activity_max_tx_duration{${pg}, datname="audit", state="active"}`]: '31x10' },
      alerts: [{ at: '5m', alert: 'PostgresSlowQueries', fires: [{ labels: { ...pgLabels, datname: 'audit' }, value: 31 }] }],
    },
    {
      name: '20 exclusive locks and no deadlocks stay quiet',
      series: { [`pg_locks_count{${pg}, datname="trading", mode="exclusivelock"}`]: '20x20', [`pg_stat_database_deadlocks{${pg}, datname="trading"}`]: '3x20' },
      alerts: [{ at: '15m', alert: 'PostgresLockContention', fires: [] }],
    },
    {
      name: '21 exclusive locks for 5 minutes warn',
      series: { [`pg_locks_count{${pg}, datname="trading", mode="exclusivelock"}`]: '21x20' },
      alerts: [{ at: '10m', alert: 'PostgresLockContention', fires: [{ labels: { ...pgLabels, datname: 'trading' }, value: 21 }] }],
    },
    {
      name: 'deadlocks every few minutes warn',
      series: { [`pg_stat_database_deadlocks{${pg}, datname="trading"}`]: '0+1x20' },
      alerts: [{ at: '15m', alert: 'PostgresLockContention', fires: [{ labels: { ...pgLabels, datname: 'trading' }, value: 10 }] }],
    },
    {
      name: 'Redis at 79% of maxmemory stays quiet; without maxmemory it never warns',
      series: { [`redis_memory_used_bytes{${redis}}`]: '790x10', [`redis_memory_max_bytes{${redis}}`]: '1000x10', 'redis_memory_used_bytes{namespace="grekko", job="redis-exporter", instance="cache:9121"}': '5000x10', 'redis_memory_max_bytes{namespace="grekko", job="redis-exporter", instance="cache:9121"}': '0x10' },
      alerts: [{ at: '8m', alert: 'RedisMemoryHigh', fires: [] }],
    },
    {
      name: 'Redis at 81% of maxmemory warns',
      series: { [`redis_memory_used_bytes{${redis}}`]: '810x10', [`redis_memory_max_bytes{${redis}}`]: '1000x10' },
      alerts: [{ at: '8m', alert: 'RedisMemoryHigh', fires: [{ labels: redisLabels, value: 0.81 }] }],
    },
    { name: 'a hit ratio of 81% stays quiet', series: redisLookups(810, 190), alerts: [{ at: '40m', alert: 'RedisHitRatioLow', fires: [] }] },
    { name: 'a hit ratio of 79% warns', series: redisLookups(790, 210), alerts: [{ at: '40m', alert: 'RedisHitRatioLow', fires: [{ labels: redisLabels, value: 0.79 }] }] },
    { name: 'a low hit ratio on an idle Redis stays quiet', series: redisLookups(10, 40), alerts: [{ at: '40m', alert: 'RedisHitRatioLow', fires: [] }] },
    {
      name: 'Redis clients at 80% stay quiet, at 81% warn',
      series: { [`redis_connected_clients{${redis}}`]: '8000 8000 8100 8100 8100 8100 8100 8100 8100 8100', [`redis_config_maxclients{${redis}}`]: '10000x10' },
      alerts: [
        { at: '1m', alert: 'RedisConnectionsNearLimit', fires: [] },
        { at: '8m', alert: 'RedisConnectionsNearLimit', fires: [{ labels: redisLabels, value: 0.81 }] },
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
      name: 'a lag of 1000 messages, summed over partitions, stays quiet',
      series: {
        [`kafka_consumergroup_lag{${kafka}, consumergroup="risk", topic="orders", partition="0"}`]: '500x20',
        [`kafka_consumergroup_lag{${kafka}, consumergroup="risk", topic="orders", partition="1"}`]: '500x20',
      },
      alerts: [{ at: '15m', alert: 'KafkaConsumerLagHigh', fires: [] }],
    },
    {
      name: 'a lag of 1001 messages for 10 minutes warns',
      series: { [`kafka_consumergroup_lag{${kafka}, consumergroup="portfolio", topic="fills", partition="0"}`]: '1001x20' },
      alerts: [{ at: '15m', alert: 'KafkaConsumerLagHigh', fires: [{ labels: { ...kafkaLabels, consumergroup: 'portfolio', topic: 'fills' }, value: 1001 }] }],
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
      // Ages at scrape time: at 15m (900 s) a success at -92640 is 25h59m old; one at -93060 has
      // been older than 26 hours since 10m (26h01m then), 26h06m at 15m.
      name: 'a backup 25h59m old stays quiet; one older than 26h pages once that has held for 5 minutes',
      series: {
        [`grekko_backup_last_success_timestamp_seconds{${backup}, database="postgres"}`]: '-92640x15',
        [`grekko_backup_last_success_timestamp_seconds{${backup}, database="influxdb"}`]: '-93060x15',
      },
      alerts: [
        { at: '12m', alert: 'BackupStale', fires: [] },
        { at: '15m', alert: 'BackupStale', fires: [{ labels: { namespace: 'grekko', job: 'backup', database: 'influxdb' }, value: 93960 }] },
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
        'grekko_data_integrity_check_failures_total{namespace="grekko", job="integrity-checker", instance="ic:8080", check="ledger_vs_fills"}': '0 0 0 0 0 0 0 0 0 0 1 1',
        'grekko_data_integrity_check_failures_total{namespace="grekko", job="integrity-checker", instance="ic:8080", check="audit_trail"}': '0x12',
      },
      alerts: [
        { at: '9m', alert: 'DataIntegrityCheckFailed', fires: [] },
        { at: '11m', alert: 'DataIntegrityCheckFailed', fires: [{ labels: { namespace: 'grekko', job: 'integrity-checker', check: 'ledger_vs_fills' } }] },
      ],
    },
  ],
};
