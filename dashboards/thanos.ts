import { dashboardLink, defineDashboard, q, statPanel, timeSeries, upDownMappings, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { ERROR_RATE_STEPS, THANOS_UPLOAD_AGE_STEPS } from '../alerts/thresholds';
import { SERVER_SIDE_CODES } from '../alerts/thanos';

const SOURCE = moduleSource(__filename);

const SIDECAR = 'job="thanos-sidecar"';
const QUERY = 'job="thanos-query"';
const STORE = 'job="thanos-store"';
const COMPACT = 'job="thanos-compact"';
const STORE_APIS = 'job=~"thanos-sidecar|thanos-store"';
const BUCKET_CLIENTS = 'job=~"thanos-sidecar|thanos-store|thanos-compact"';
const upOf = (job: string) =>
  statPanel({
    w: 4,
    h: 4,
    title: `${job === QUERY ? 'Query replicas' : 'Store gateways'} up`,
    unit: 'short',
    thresholds: [
      [null, 'red'],
      [1, 'green'],
    ],
    query: q(`sum(up{${job}}) or vector(0)`),
  });

/** Thanos: the sidecars' uploads, the bucket, the compactor, and the deduplicated query view. */
export const thanos = defineDashboard({
  uid: UIDS.thanos,
  title: 'Platform / Thanos',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'thanos', 'meta-monitoring'],
  source: SOURCE,
  description:
    'Long-term metrics: whether every block reaches the bucket, whether the compactor keeps it in shape, and whether Thanos Query answers over both Prometheus replicas and the bucket.',
  linkTag: DASHBOARD_TAG,
  links: [dashboardLink('Prometheus', UIDS.prometheus)],
  rows: [
    {
      title: 'Health',
      panels: [
        upOf(QUERY),
        upOf(STORE),
        statPanel({
          w: 4,
          h: 4,
          title: 'Sidecars reaching Prometheus',
          unit: 'short',
          description:
            'Sidecars whose heartbeat to the Prometheus in their pod succeeds, of those scraped. ThanosSidecarPrometheusUnreachable fires for one at 0 for 5 minutes.',
          query: q(`sum(thanos_sidecar_prometheus_up{${SIDECAR}}) or vector(0)`),
        }),
        statPanel({
          w: 4,
          h: 4,
          title: 'Oldest last upload',
          unit: 's',
          description:
            'Age of the last block upload of the sidecar that uploaded least recently. Prometheus cuts a block every 2 hours; ThanosSidecarNoUpload fires at the red step.',
          thresholds: warnAt(...THANOS_UPLOAD_AGE_STEPS),
          query: q(`time() - min(thanos_objstore_bucket_last_successful_upload_time{${SIDECAR}} > 0)`),
        }),
        statPanel({
          w: 4,
          h: 4,
          title: 'Compactor',
          description: 'HALTED: the compactor stopped on an error it does not retry (ThanosCompactHalted); see docs/runbooks/thanos-compact.md.',
          mappings: upDownMappings('RUNNING', 'HALTED'),
          query: q(`1 - max(thanos_compact_halted{${COMPACT}})`),
        }),
        statPanel({
          w: 4,
          h: 4,
          title: 'Store API calls failing',
          unit: 'percentunit',
          description: 'Share of the calls from Thanos Query to sidecars and store gateway that failed on the called side (ThanosQueryStoreApiErrors).',
          thresholds: warnAt(...ERROR_RATE_STEPS),
          query: q(
            `sum(rate(grpc_client_handled_total{${QUERY}, ${SERVER_SIDE_CODES}}[5m])) / sum(rate(grpc_client_handled_total{${QUERY}}[5m])) or vector(0)`,
          ),
        }),
      ],
    },
    {
      title: 'Query',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Store API calls per second, by code',
          unit: 'reqps',
          description: 'Calls Thanos Query makes to the sidecars and the store gateway to answer queries, finished, by gRPC code.',
          queries: [q(`sum by (grpc_code) (rate(grpc_client_handled_total{${QUERY}}[$__rate_interval]))`, '{{grpc_code}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Store API calls failing on the called side',
          unit: 'percentunit',
          thresholds: warnAt(...ERROR_RATE_STEPS),
          queries: [
            q(
              `sum by (pod) (rate(grpc_client_handled_total{${QUERY}, ${SERVER_SIDE_CODES}}[$__rate_interval])) / sum by (pod) (rate(grpc_client_handled_total{${QUERY}}[$__rate_interval]))`,
              '{{pod}}',
            ),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Store API call latency, P95 by method',
          unit: 's',
          queries: [
            q(`histogram_quantile(0.95, sum by (grpc_method, le) (rate(grpc_client_handling_seconds_bucket{${QUERY}}[$__rate_interval])))`, '{{grpc_method}}'),
          ],
        }),
        timeSeries({
          w: 24,
          h: 7,
          title: 'Store API endpoints connected, by type',
          unit: 'short',
          description: 'Endpoints each Thanos Query replica holds a healthy connection to: one sidecar per Prometheus replica, and the store gateway.',
          queries: [q(`sum by (pod, store_type) (thanos_store_nodes_grpc_connections{${QUERY}})`, '{{pod}} {{store_type}}')],
        }),
      ],
    },
    {
      title: 'Store gateway and sidecars, answering',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Blocks loaded by the store gateway',
          unit: 'short',
          queries: [
            q(`sum by (pod) (thanos_bucket_store_blocks_loaded{${STORE}})`, '{{pod}} loaded'),
            q(`sum by (pod) (rate(thanos_bucket_store_block_load_failures_total{${STORE}}[$__rate_interval]))`, '{{pod}} load failures per second'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Store API calls answered per second, by code',
          unit: 'reqps',
          queries: [q(`sum by (job, grpc_code) (rate(grpc_server_handled_total{${STORE_APIS}}[$__rate_interval]))`, '{{job}} {{grpc_code}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Store API answer latency, P95',
          unit: 's',
          queries: [q(`histogram_quantile(0.95, sum by (job, le) (rate(grpc_server_handling_seconds_bucket{${STORE_APIS}}[$__rate_interval])))`, '{{job}}')],
        }),
      ],
    },
    {
      title: 'Sidecars, uploading',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Sidecar reaches Prometheus',
          min: 0,
          max: 1,
          queries: [q(`thanos_sidecar_prometheus_up{${SIDECAR}}`, '{{pod}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Blocks uploaded and failed, per hour',
          unit: 'short',
          queries: [
            q(`sum by (pod) (increase(thanos_shipper_uploads_total{${SIDECAR}}[1h]))`, '{{pod}} uploaded'),
            q(`sum by (pod) (increase(thanos_shipper_upload_failures_total{${SIDECAR}}[1h]))`, '{{pod}} failed'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Time since last upload',
          unit: 's',
          thresholds: warnAt(...THANOS_UPLOAD_AGE_STEPS),
          queries: [q(`time() - max by (pod) (thanos_objstore_bucket_last_successful_upload_time{${SIDECAR}} > 0)`, '{{pod}}')],
        }),
      ],
    },
    {
      title: 'Compactor',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Iterations completed per hour',
          unit: 'short',
          description: 'An iteration compacts, downsamples and applies retention. None for hours while running: ThanosCompactNotCompleting.',
          queries: [q(`sum by (pod) (increase(thanos_compact_iterations_total{${COMPACT}}[1h]))`, '{{pod}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Group compactions per hour, by resolution',
          unit: 'short',
          queries: [
            q(`sum by (resolution) (increase(thanos_compact_group_compactions_total{${COMPACT}}[1h]))`, '{{resolution}} done'),
            q(`sum by (resolution) (increase(thanos_compact_group_compactions_failures_total{${COMPACT}}[1h]))`, '{{resolution}} failed'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Backlog',
          unit: 'short',
          description: 'Work the compactor has planned and not done yet; it falls to 0 when the compactor has caught up.',
          queries: [
            q(`sum(thanos_compact_todo_compactions{${COMPACT}})`, 'compactions to do'),
            q(`sum(thanos_compact_todo_downsample_blocks{${COMPACT}})`, 'blocks to downsample'),
          ],
        }),
      ],
    },
    {
      title: 'Bucket operations',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Operations per second, by component and operation',
          unit: 'ops',
          queries: [q(`sum by (job, operation) (rate(thanos_objstore_bucket_operations_total{${BUCKET_CLIENTS}}[$__rate_interval]))`, '{{job}} {{operation}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Failing operations, by component',
          unit: 'percentunit',
          description: 'Share of bucket operations that failed unexpectedly; ThanosBucketOperationsFailing fires at the red step held for 15 minutes.',
          thresholds: warnAt(...ERROR_RATE_STEPS),
          queries: [
            q(
              `sum by (job) (rate(thanos_objstore_bucket_operation_failures_total{${BUCKET_CLIENTS}}[$__rate_interval])) / sum by (job) (rate(thanos_objstore_bucket_operations_total{${BUCKET_CLIENTS}}[$__rate_interval]))`,
              '{{job}}',
            ),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Operation latency, P95 by component',
          unit: 's',
          queries: [
            q(
              `histogram_quantile(0.95, sum by (job, le) (rate(thanos_objstore_bucket_operation_duration_seconds_bucket{${BUCKET_CLIENTS}}[$__rate_interval])))`,
              '{{job}}',
            ),
          ],
        }),
      ],
    },
  ],
});
