import { defineDashboard, labelVariable, q, statPanel, timeSeries, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { INFLUXDB_API_LATENCY_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const i = 'instance=~"$instance"';

/** InfluxDB 2.x (its own /metrics): write and query performance, storage utilisation. */
export const influxdb = defineDashboard({
  uid: UIDS.influxdb,
  title: 'Platform / InfluxDB',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'influxdb', 'database'],
  source: SOURCE,
  description: 'Points written and rejected, query load and latency, API errors, series cardinality and disk per bucket.',
  linkTag: DASHBOARD_TAG,
  variables: [labelVariable('instance', 'Instance', 'influxdb_uptime_seconds', 'instance')],
  rows: [
    {
      title: 'Writes',
      panels: [
        statPanel({ w: 6, h: 4, title: 'Uptime', unit: 's', background: false, query: q(`min(influxdb_uptime_seconds{${i}})`) }),
        timeSeries({
          w: 9,
          h: 8,
          title: 'Points written per second',
          unit: 'short',
          queries: [
            q(`sum(rate(storage_writer_ok_points_sum{${i}}[$__rate_interval]))`, 'written'),
            q(`sum(rate(storage_writer_err_points_sum{${i}}[$__rate_interval]))`, 'failed'),
            q(`sum(rate(storage_writer_dropped_points_sum{${i}}[$__rate_interval]))`, 'dropped'),
          ],
        }),
        timeSeries({
          w: 9,
          h: 8,
          title: 'Write and query API latency (p95)',
          unit: 's',
          thresholds: warnAt(...INFLUXDB_API_LATENCY_STEPS),
          queries: [
            q(
              `histogram_quantile(0.95, sum by (path, le) (rate(http_api_request_duration_seconds_bucket{${i}, path=~"/api/v2/(write|query)"}[$__rate_interval])))`,
              '{{path}}',
            ),
          ],
        }),
      ],
    },
    {
      title: 'Queries',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Queries per second by result',
          unit: 'ops',
          stack: true,
          queries: [q(`sum by (result) (rate(qc_requests_total{${i}}[$__rate_interval]))`, '{{result}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Queries executing and queueing',
          unit: 'short',
          queries: [q(`sum(qc_executing_active{${i}})`, 'executing'), q(`sum(qc_queueing_active{${i}})`, 'queueing')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'API errors per second',
          unit: 'short',
          queries: [q(`sum by (path, status) (rate(http_api_requests_total{${i}, status=~"4XX|5XX"}[$__rate_interval]))`, '{{status}} {{path}}')],
        }),
      ],
    },
    {
      title: 'Storage utilisation',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Disk per bucket',
          unit: 'bytes',
          stack: true,
          queries: [q(`sum by (bucket) (storage_shard_disk_size{${i}})`, '{{bucket}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'TSM files and WAL per bucket',
          unit: 'bytes',
          queries: [
            q(`sum by (bucket) (storage_tsm_files_disk_bytes{${i}})`, '{{bucket}} TSM'),
            q(`sum by (bucket) (storage_wal_size{${i}})`, '{{bucket}} WAL'),
          ],
        }),
        timeSeries({ w: 8, h: 8, title: 'Series per bucket', unit: 'short', queries: [q(`sum by (bucket) (storage_bucket_series_num{${i}})`, '{{bucket}}')] }),
      ],
    },
  ],
});
