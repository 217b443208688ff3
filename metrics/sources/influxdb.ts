/**
 * InfluxDB 2.x's own /metrics, read from github.com/influxdata/influxdb at v2.7.12, the last 2.7
 * release. InfluxDB is Grekko's database, scraped but not deployed by the stack, so no image tag
 * pins it: the fixture is for the 2.x line the scrape job is written for.
 *
 * Storage families carry the engine labels of tsdb/enginetags.go: `bucket`, `engine`, `id`,
 * `path`, `walPath`.
 */
import { SourceFixture } from './types';

const ENGINE = ['bucket', 'engine', 'id', 'path', 'walPath'];
const HTTP = ['handler', 'method', 'path', 'status', 'user_agent', 'response_code'];

export const INFLUXDB_SOURCE: SourceFixture = {
  component: 'influxdb',
  catalogSources: ['influxdb'],
  repository: 'influxdata/influxdb',
  tag: 'v2.7.12',
  pin: { kind: 'external', major: '2', how: 'runs in the grekko namespace, outside the stack; lib/components/exporters/influxdb.ts scrapes InfluxDB 2.x' },
  naming: [
    { repository: 'influxdata/influxdb', tag: 'v2.7.12', path: 'tsdb/enginetags.go', says: 'EngineLabelNames(): path, walPath, id, bucket, engine' },
    {
      repository: 'influxdata/influxdb',
      tag: 'v2.7.12',
      path: 'query/control/controller.go',
      says: 'the query controller metrics get the label "org" after MetricLabelKeys (none set by influxd)',
    },
  ],
  metrics: [
    { name: 'influxdb_uptime_seconds', type: 'gauge', labels: ['id'], file: 'prometheus/influx.go' },
    { name: 'http_api_requests_total', type: 'counter', labels: HTTP, file: 'http/handler.go' },
    { name: 'http_api_request_duration_seconds', type: 'histogram', labels: HTTP, file: 'http/handler.go' },
    { name: 'qc_requests_total', type: 'counter', labels: ['org', 'result'], file: 'query/control/metrics.go' },
    { name: 'qc_executing_active', type: 'gauge', labels: ['org'], file: 'query/control/metrics.go' },
    { name: 'qc_queueing_active', type: 'gauge', labels: ['org'], file: 'query/control/metrics.go' },
    { name: 'storage_writer_ok_points', type: 'histogram', labels: ['path'], file: 'v1/coordinator/points_writer.go' },
    { name: 'storage_writer_err_points', type: 'histogram', labels: ['path'], file: 'v1/coordinator/points_writer.go' },
    { name: 'storage_writer_dropped_points', type: 'histogram', labels: ['path'], file: 'v1/coordinator/points_writer.go' },
    { name: 'storage_bucket_series_num', type: 'gauge', labels: ['bucket'], file: 'tsdb/store.go' },
    { name: 'storage_tsm_files_disk_bytes', type: 'gauge', labels: ENGINE, file: 'tsdb/engine/tsm1/file_store.go' },
    { name: 'storage_wal_size', type: 'gauge', labels: ENGINE, file: 'tsdb/engine/tsm1/wal.go' },
    { name: 'storage_shard_disk_size', type: 'gauge', labels: ENGINE, file: 'tsdb/shard.go' },
  ],
};
