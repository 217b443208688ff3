/**
 * The metrics Thanos exposes that the Thanos alerts and dashboard read: the sidecar beside each
 * Prometheus (block uploads, its heartbeat to Prometheus), Thanos Query (its Store API fan-out),
 * the store gateway and the compactor. Scrape jobs `thanos-sidecar`, `thanos-query`, `thanos-store`
 * and `thanos-compact` in the stack's namespace; every family below comes from the component's
 * own registry, so `job` says which component a series is from.
 *
 * Held to the source at the pinned v0.42.4 by metrics/sources/thanos.ts, and to the modules it
 * embeds by thanos-objstore.ts (the `thanos_objstore_*` families) and go-grpc-middleware.ts (`grpc_*`).
 */
import { metricsFrom } from '../lib/metrics/catalog';
import { MetricDefinition } from '../lib/metrics/types';

export const THANOS_SOURCE = 'thanos';
const t = metricsFrom(THANOS_SOURCE);
const OPERATION = ['bucket', 'operation'];
const CALL = ['grpc_type', 'grpc_service', 'grpc_method'];

export const THANOS_METRICS: readonly MetricDefinition[] = [
  // Sidecar
  t.gauge(
    'thanos_sidecar_prometheus_up',
    '1',
    [],
    '1 while the sidecar reaches the Prometheus in its pod (heartbeat every 30 s), 0 after a failed heartbeat and before the first one.',
  ),
  t.counter('thanos_shipper_uploads_total', 'blocks', [], 'TSDB blocks the sidecar uploaded to the bucket; Prometheus cuts one every 2 hours.'),
  t.counter('thanos_shipper_upload_failures_total', 'blocks', [], 'Block uploads that failed; the shipper retries the block at its next sync.'),
  // Object storage, every component that reads or writes the bucket
  t.counter(
    'thanos_objstore_bucket_operations_total',
    'operations',
    OPERATION,
    'Operations attempted against the bucket, by operation (get, get_range, exists, upload, delete, iter, attributes).',
  ),
  t.counter(
    'thanos_objstore_bucket_operation_failures_total',
    'operations',
    OPERATION,
    'Bucket operations that failed in a way the caller did not expect (an expected "not found" is not counted).',
  ),
  t.histogram('thanos_objstore_bucket_operation_duration_seconds', 'seconds', OPERATION, 'Duration of successful bucket operations.'),
  t.gauge(
    'thanos_objstore_bucket_last_successful_upload_time',
    'seconds',
    ['bucket'],
    'Unix time of the last successful upload to the bucket; 0 until the first upload since the process started.',
  ),
  // Query
  t.gauge(
    'thanos_store_nodes_grpc_connections',
    'connections',
    ['external_labels', 'store_type'],
    'Store API endpoints Thanos Query holds an open, healthy connection to, by their external labels and type (sidecar, store).',
  ),
  t.counter('grpc_client_handled_total', 'calls', [...CALL, 'grpc_code'], 'gRPC calls Thanos Query made to Store API endpoints, finished, by status code.'),
  t.histogram('grpc_client_handling_seconds', 'seconds', CALL, 'Duration of the gRPC calls Thanos Query made to Store API endpoints.'),
  // Every gRPC server (the Store API of sidecars and the store gateway)
  t.counter('grpc_server_handled_total', 'calls', [...CALL, 'grpc_code'], 'gRPC calls a Thanos component answered, by status code.'),
  t.histogram('grpc_server_handling_seconds', 'seconds', CALL, 'Time a Thanos component took to answer a gRPC call.'),
  // Store gateway
  t.gauge('thanos_bucket_store_blocks_loaded', 'blocks', [], 'Blocks of the bucket the store gateway has loaded and can serve.'),
  t.counter(
    'thanos_bucket_store_block_load_failures_total',
    'blocks',
    [],
    'Blocks the store gateway failed to load; their data is missing from queries until a load succeeds.',
  ),
  // Compactor
  t.gauge(
    'thanos_compact_halted',
    '1',
    [],
    '1 when the compactor stopped on an error it will not retry (overlapping or corrupt blocks); it stays up but compacts nothing until restarted.',
  ),
  t.counter('thanos_compact_iterations_total', 'iterations', [], 'Compaction iterations (compaction, downsampling, retention) that completed successfully.'),
  t.counter(
    'thanos_compact_group_compactions_total',
    'compactions',
    ['resolution'],
    'Group compactions that produced a new block, by resolution (0, 300000, 3600000 ms).',
  ),
  t.counter('thanos_compact_group_compactions_failures_total', 'compactions', ['resolution'], 'Group compactions that failed, by resolution.'),
  t.gauge('thanos_compact_todo_compactions', 'compactions', [], 'Compactions planned and not yet done: the backlog.'),
  t.gauge('thanos_compact_todo_downsample_blocks', 'blocks', [], 'Blocks waiting to be downsampled.'),
];
