/**
 * The exporter metrics Grekko's rules and dashboards rely on, for the metrics catalog. Each name
 * here is exposed by the exporter named as its source; the end-to-end suite checks the PostgreSQL,
 * Redis, blackbox and node exporter names against the real exporters.
 */
import { MetricDefinition } from '../lib/metrics/types';

const pg = (name: string, type: MetricDefinition['type'], unit: string, help: string, labels: string[] = []): MetricDefinition => ({ name, type, unit, help, labels: ['dependency', ...labels], source: 'postgres-exporter' });
const redis = (name: string, type: MetricDefinition['type'], unit: string, help: string, labels: string[] = []): MetricDefinition => ({ name, type, unit, help, labels: ['dependency', ...labels], source: 'redis-exporter' });
const kafka = (name: string, type: MetricDefinition['type'], unit: string, help: string, labels: string[] = []): MetricDefinition => ({ name, type, unit, help, labels: ['dependency', ...labels], source: 'kafka-exporter' });
const probe = (name: string, type: MetricDefinition['type'], unit: string, help: string, labels: string[] = []): MetricDefinition => ({ name, type, unit, help, labels: ['service', 'probe', 'check', ...labels], source: 'blackbox-exporter' });
const influx = (name: string, type: MetricDefinition['type'], unit: string, help: string, labels: string[] = []): MetricDefinition => ({ name, type, unit, help, labels: ['dependency', ...labels], source: 'influxdb' });

export const POSTGRES_METRICS: readonly MetricDefinition[] = [
  pg('pg_up', 'gauge', '1', 'Whether the last connection to PostgreSQL succeeded (1) or failed (0).'),
  pg('pg_stat_activity_count', 'gauge', '1', 'Connections by database and state.', ['datname', 'state']),
  pg('pg_stat_activity_max_tx_duration', 'gauge', 'seconds', 'Age of the oldest open transaction by database and state.', ['datname', 'state']),
  pg('pg_settings_max_connections', 'gauge', '1', 'The server\'s max_connections setting.'),
  pg('pg_locks_count', 'gauge', '1', 'Locks held by database and mode.', ['datname', 'mode']),
  pg('pg_stat_database_deadlocks', 'counter', '1', 'Deadlocks detected per database.', ['datname']),
  pg('pg_stat_database_xact_commit', 'counter', '1', 'Committed transactions per database.', ['datname']),
  pg('pg_stat_database_xact_rollback', 'counter', '1', 'Rolled-back transactions per database.', ['datname']),
  pg('pg_stat_database_blks_hit', 'counter', '1', 'Buffer cache hits per database.', ['datname']),
  pg('pg_stat_database_blks_read', 'counter', '1', 'Disk blocks read per database.', ['datname']),
  pg('pg_database_size_bytes', 'gauge', 'bytes', 'Size of each database.', ['datname']),
];

export const REDIS_METRICS: readonly MetricDefinition[] = [
  redis('redis_up', 'gauge', '1', 'Whether the last scrape of Redis succeeded (1) or failed (0).'),
  redis('redis_memory_used_bytes', 'gauge', 'bytes', 'Memory Redis has allocated.'),
  redis('redis_memory_max_bytes', 'gauge', 'bytes', 'The maxmemory setting (0: no limit).'),
  redis('redis_connected_clients', 'gauge', '1', 'Client connections.'),
  redis('redis_rejected_connections_total', 'counter', '1', 'Connections refused because of maxclients.'),
  redis('redis_keyspace_hits_total', 'counter', '1', 'Successful key lookups.'),
  redis('redis_keyspace_misses_total', 'counter', '1', 'Failed key lookups.'),
  redis('redis_evicted_keys_total', 'counter', '1', 'Keys evicted because of maxmemory.'),
];

export const KAFKA_METRICS: readonly MetricDefinition[] = [
  kafka('kafka_brokers', 'gauge', '1', 'Brokers in the cluster.'),
  kafka('kafka_consumergroup_lag', 'gauge', 'messages', 'Lag of a consumer group on a partition.', ['consumergroup', 'topic', 'partition']),
  kafka('kafka_topic_partition_under_replicated_partition', 'gauge', '1', 'Whether a partition is under-replicated (1).', ['topic', 'partition']),
  kafka('kafka_topic_partition_in_sync_replica', 'gauge', '1', 'In-sync replicas of a partition.', ['topic', 'partition']),
  kafka('kafka_topic_partition_leader', 'gauge', '1', 'Leader broker of a partition (-1: offline).', ['topic', 'partition']),
  kafka('kafka_topic_partition_current_offset', 'gauge', '1', 'Latest offset of a partition.', ['topic', 'partition']),
];

export const PROBE_METRICS: readonly MetricDefinition[] = [
  probe('probe_success', 'gauge', '1', 'Whether the probe or synthetic transaction succeeded (1) or failed (0).'),
  probe('probe_duration_seconds', 'gauge', 'seconds', 'How long the whole probe took.'),
  probe('probe_http_status_code', 'gauge', '1', 'HTTP status code of the response.'),
  probe('probe_http_duration_seconds', 'gauge', 'seconds', 'Time per phase of the HTTP request.', ['phase']),
];

/** InfluxDB 2.x serves these on its own `/metrics`. */
export const INFLUXDB_METRICS: readonly MetricDefinition[] = [
  influx('influxdb_uptime_seconds', 'gauge', 'seconds', 'Time the server has been up.'),
  influx('http_api_requests_total', 'counter', '1', 'HTTP API requests by handler, method, path and status.', ['handler', 'method', 'path', 'status', 'response_code']),
  influx('http_api_request_duration_seconds', 'histogram', 'seconds', 'HTTP API request duration.', ['handler', 'method', 'path', 'status', 'response_code']),
  influx('storage_shard_disk_size', 'gauge', 'bytes', 'Disk size of each storage shard.', ['bucket', 'engine', 'id']),
  influx('qc_requests_total', 'counter', '1', 'Queries handled by the query controller, by result.', ['result', 'org']),
];

/** Target health, recorded by Prometheus for every scrape of every job. */
export const SCRAPE_METRICS: readonly MetricDefinition[] = [
  { name: 'up', type: 'gauge', unit: '1', help: 'Whether the last scrape of the target succeeded (1) or failed (0).', labels: ['job', 'instance'], source: 'prometheus' },
];

export const EXPORTER_METRICS: readonly MetricDefinition[] = [...POSTGRES_METRICS, ...REDIS_METRICS, ...KAFKA_METRICS, ...PROBE_METRICS, ...INFLUXDB_METRICS, ...SCRAPE_METRICS];
