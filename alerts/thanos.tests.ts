import { RuleTestSuite, selector as sel } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { percent, seconds } from '../lib/core/units';
import { ERROR_RATE, THANOS_COMPACT_ITERATION_MAX_AGE, THANOS_UPLOAD_MAX_AGE } from './thresholds';

/** Thanos's processes as their scrape jobs deliver them, in the stack's namespace. */
const target = (job: string, pod: string, ip: string, port: number, container: string) => ({
  job,
  instance: `${ip}:${port}`,
  namespace: 'monitoring',
  service: job,
  pod,
  container,
  node: 'node-a',
});
const sidecar0 = target('thanos-sidecar', 'prometheus-0', '10.0.7.10', 10902, 'thanos-sidecar');
const sidecar1 = target('thanos-sidecar', 'prometheus-1', '10.0.7.11', 10902, 'thanos-sidecar');
const queryA = target('thanos-query', 'thanos-query-6d8f7c9b5-4kx2p', '10.0.7.20', 10902, 'thanos-query');
const queryB = target('thanos-query', 'thanos-query-6d8f7c9b5-z7m9q', '10.0.7.21', 10902, 'thanos-query');
const queryNew = target('thanos-query', 'thanos-query-7b5c4d8f6-r2t8w', '10.0.7.22', 10902, 'thanos-query');
const store = target('thanos-store', 'thanos-store-0', '10.0.7.30', 10902, 'thanos-store');
const compact = target('thanos-compact', 'thanos-compact-0', '10.0.7.40', 10902, 'thanos-compact');
const job = (t: { job: string }) => ({ namespace: 'monitoring', job: t.job });
const pod = (t: { pod: string }) => ({ namespace: 'monitoring', pod: t.pod });
const BUCKET = { bucket: 'grekko-metrics' };

/** Bucket operations per minute of one component, and how many of them fail. */
const bucketOps = (t: Record<string, string>, operation: string, perMinute: number, failingPerMinute: number) => ({
  [sel('thanos_objstore_bucket_operations_total', { ...t, ...BUCKET, operation })]: `0+${perMinute}x30`,
  [sel('thanos_objstore_bucket_operation_failures_total', { ...t, ...BUCKET, operation })]: `0+${failingPerMinute}x30`,
});
/** A thousand operations a minute over two operations, and the failures a hundredth of the threshold either side of it. */
const OPS = 1000;
const failingUnder = Math.round(ERROR_RATE * OPS) - 1;
const failingOver = Math.round(ERROR_RATE * OPS) + 1;

/** Store API calls per minute Thanos Query makes, by gRPC code. */
const SERIES_CALL = { grpc_type: 'server_stream', grpc_service: 'thanos.Store', grpc_method: 'Series' };
const calls = (t: Record<string, string>, perMinuteByCode: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(perMinuteByCode).map(([grpc_code, n]) => [sel('grpc_client_handled_total', { ...t, ...SERIES_CALL, grpc_code }), `0+${n}x30`]),
  );

/** Upload times (Unix seconds) as the sidecar reports them; the test clock starts at 0. */
const UPLOAD_AT = 600;
/** Evaluation minute at which the upload at UPLOAD_AT is exactly THANOS_UPLOAD_MAX_AGE old. */
const uploadEdge = (UPLOAD_AT + THANOS_UPLOAD_MAX_AGE) / 60;
/** Samples every 10 minutes for the compactor: its window counts in hours. */
const compactWindow = THANOS_COMPACT_ITERATION_MAX_AGE / 600;

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'without a Thanos series (local, or before Thanos is deployed) no Thanos alert fires',
      series: { [sel('up', { job: 'prometheus', namespace: 'monitoring', pod: 'prometheus-0' })]: '1x40' },
      alerts: [
        'ThanosSidecarPrometheusUnreachable',
        'ThanosSidecarUploadFailures',
        'ThanosSidecarNoUpload',
        'ThanosBucketOperationsFailing',
        'ThanosCompactHalted',
        'ThanosCompactDown',
        'ThanosCompactNotCompleting',
        'ThanosStoreDown',
        'ThanosQueryDown',
        'ThanosQueryStoreApiErrors',
      ].map((alert) => ({ at: '40m', alert, fires: [] })),
    },
    {
      name: 'a sidecar that cannot reach its Prometheus for 4 minutes stays quiet; 5 minutes warns',
      series: { [sel('thanos_sidecar_prometheus_up', sidecar0)]: '1 1 0x10', [sel('thanos_sidecar_prometheus_up', sidecar1)]: '1x12' },
      alerts: [
        { at: '6m', alert: 'ThanosSidecarPrometheusUnreachable', fires: [] },
        { at: '7m', alert: 'ThanosSidecarPrometheusUnreachable', fires: [{ labels: sidecar0, value: 0 }] },
      ],
    },
    {
      name: 'a sidecar that reaches its Prometheus stays quiet',
      series: { [sel('thanos_sidecar_prometheus_up', sidecar0)]: '1x12' },
      alerts: [{ at: '12m', alert: 'ThanosSidecarPrometheusUnreachable', fires: [] }],
    },
    {
      name: 'uploads failing at every sync warn after 15 minutes',
      series: { [sel('thanos_shipper_upload_failures_total', sidecar0)]: '0x10 1+1x30', [sel('thanos_shipper_uploads_total', sidecar0)]: '3x40' },
      alerts: [
        { at: '24m', alert: 'ThanosSidecarUploadFailures', fires: [] },
        { at: '27m', alert: 'ThanosSidecarUploadFailures', fires: [{ labels: pod(sidecar0) }] },
      ],
    },
    {
      name: 'one failed upload, retried with success, stays quiet',
      series: { [sel('thanos_shipper_upload_failures_total', sidecar0)]: '0x10 1x30', [sel('thanos_shipper_uploads_total', sidecar0)]: '3x10 4x30' },
      alerts: [
        { at: '14m', alert: 'ThanosSidecarUploadFailures', fires: [] },
        { at: '30m', alert: 'ThanosSidecarUploadFailures', fires: [] },
      ],
    },
    {
      name: `a last upload exactly ${seconds(THANOS_UPLOAD_MAX_AGE)} old stays quiet; a minute older warns`,
      series: { [sel('thanos_objstore_bucket_last_successful_upload_time', { ...sidecar0, ...BUCKET })]: `0x9 ${UPLOAD_AT}x${uploadEdge}` },
      alerts: [
        { at: `${uploadEdge}m`, alert: 'ThanosSidecarNoUpload', fires: [] },
        { at: `${uploadEdge + 1}m`, alert: 'ThanosSidecarNoUpload', fires: [{ labels: pod(sidecar0), value: THANOS_UPLOAD_MAX_AGE + 60 }] },
      ],
    },
    {
      name: 'a block uploaded every 2 hours stays quiet',
      series: { [sel('thanos_objstore_bucket_last_successful_upload_time', { ...sidecar0, ...BUCKET })]: '0x9 600x120 7800x120 15000x120' },
      alerts: [{ at: '365m', alert: 'ThanosSidecarNoUpload', fires: [] }],
    },
    {
      name: 'a restart, which resets the upload time to 0, neither hides the last upload nor fires by itself',
      series: {
        [sel('thanos_objstore_bucket_last_successful_upload_time', { ...sidecar0, ...BUCKET })]: `0x9 ${UPLOAD_AT}x170 0x${uploadEdge}`,
        [sel('thanos_objstore_bucket_last_successful_upload_time', { ...sidecar1, ...BUCKET })]: `0x${uploadEdge + 10}`,
      },
      alerts: [
        { at: `${uploadEdge}m`, alert: 'ThanosSidecarNoUpload', fires: [] },
        { at: `${uploadEdge + 1}m`, alert: 'ThanosSidecarNoUpload', fires: [{ labels: pod(sidecar0), value: THANOS_UPLOAD_MAX_AGE + 60 }] },
      ],
    },
    {
      name: `${percent(failingUnder / OPS)} of a component's bucket operations failing stays quiet`,
      series: { ...bucketOps(sidecar0, 'upload', OPS / 2, failingUnder), ...bucketOps(sidecar0, 'iter', OPS / 2, 0) },
      alerts: [{ at: '25m', alert: 'ThanosBucketOperationsFailing', fires: [] }],
    },
    {
      name: `${percent(failingOver / OPS)} of the sidecars' bucket operations failing warns after 15 minutes, for the sidecars only`,
      series: {
        ...bucketOps(sidecar0, 'upload', OPS / 4, failingOver - 10),
        ...bucketOps(sidecar1, 'upload', OPS / 4, 10),
        ...bucketOps(sidecar0, 'iter', OPS / 2, 0),
        ...bucketOps(store, 'get_range', OPS, 0),
      },
      alerts: [
        { at: '10m', alert: 'ThanosBucketOperationsFailing', fires: [] },
        { at: '25m', alert: 'ThanosBucketOperationsFailing', fires: [{ labels: job(sidecar0), value: failingOver / OPS }] },
      ],
    },
    {
      name: 'a compactor halted for 5 minutes warns',
      series: { [sel('thanos_compact_halted', compact)]: '0x4 1x15' },
      alerts: [
        { at: '9m', alert: 'ThanosCompactHalted', fires: [] },
        { at: '10m', alert: 'ThanosCompactHalted', fires: [{ labels: compact, value: 1 }] },
      ],
    },
    {
      name: 'a compactor at work stays quiet',
      series: { [sel('thanos_compact_halted', compact)]: '0x20' },
      alerts: [{ at: '20m', alert: 'ThanosCompactHalted', fires: [] }],
    },
    {
      name: 'a compactor down for 15 minutes warns',
      series: { [sel('up', compact)]: '1x4 0x30' },
      alerts: [
        { at: '19m', alert: 'ThanosCompactDown', fires: [] },
        { at: '20m', alert: 'ThanosCompactDown', fires: [{ labels: job(compact), value: 1 }] },
      ],
    },
    {
      name: 'a compactor whose pod is gone (no target left) warns too',
      series: { [sel('up', compact)]: '1x5 stale' },
      alerts: [{ at: '25m', alert: 'ThanosCompactDown', fires: [{ labels: job(compact), value: 1 }] }],
    },
    {
      name: 'a compactor up stays quiet',
      series: { [sel('up', compact)]: '1x30' },
      alerts: [{ at: '25m', alert: 'ThanosCompactDown', fires: [] }],
    },
    {
      name: `a compactor with no completed iteration for more than ${seconds(THANOS_COMPACT_ITERATION_MAX_AGE)} warns; one within it stays quiet`,
      interval: '10m',
      series: {
        [sel('thanos_compact_iterations_total', compact)]: `0+1x10 10x${compactWindow + 10}`,
        [sel('thanos_compact_halted', compact)]: `0x${compactWindow + 20}`,
      },
      alerts: [
        { at: `${(compactWindow + 9) * 10}m`, alert: 'ThanosCompactNotCompleting', fires: [] },
        { at: `${(compactWindow + 11) * 10}m`, alert: 'ThanosCompactNotCompleting', fires: [{ labels: pod(compact), value: 0 }] },
      ],
    },
    {
      name: `a compactor started less than ${seconds(THANOS_COMPACT_ITERATION_MAX_AGE)} ago, with no iteration yet, stays quiet`,
      interval: '10m',
      series: { [sel('thanos_compact_iterations_total', compact)]: `0x${compactWindow}`, [sel('thanos_compact_halted', compact)]: `0x${compactWindow}` },
      alerts: [{ at: `${(compactWindow - 1) * 10}m`, alert: 'ThanosCompactNotCompleting', fires: [] }],
    },
    {
      name: 'a halted compactor warns as halted only',
      series: {
        [sel('thanos_compact_iterations_total', compact)]: `0+1x10 10x${compactWindow * 10 + 30}`,
        [sel('thanos_compact_halted', compact)]: `0x10 1x${compactWindow * 10 + 30}`,
      },
      alerts: [
        { at: `${compactWindow * 10 + 30}m`, alert: 'ThanosCompactNotCompleting', fires: [] },
        { at: `${compactWindow * 10 + 30}m`, alert: 'ThanosCompactHalted', fires: [{ labels: compact, value: 1 }] },
      ],
    },
    {
      name: 'the store gateway down for 5 minutes warns',
      series: { [sel('up', store)]: '1x4 0x20' },
      alerts: [
        { at: '9m', alert: 'ThanosStoreDown', fires: [] },
        { at: '10m', alert: 'ThanosStoreDown', fires: [{ labels: job(store), value: 1 }] },
      ],
    },
    {
      name: 'the store gateway up stays quiet',
      series: { [sel('up', store)]: '1x20' },
      alerts: [{ at: '20m', alert: 'ThanosStoreDown', fires: [] }],
    },
    {
      name: 'one Thanos Query replica of two down stays quiet; both down for 5 minutes warns',
      series: { [sel('up', queryA)]: '1x5 0x20', [sel('up', queryB)]: '1x9 0x15' },
      alerts: [
        { at: '12m', alert: 'ThanosQueryDown', fires: [] },
        { at: '14m', alert: 'ThanosQueryDown', fires: [] },
        { at: '15m', alert: 'ThanosQueryDown', fires: [{ labels: job(queryA), value: 2 }] },
      ],
    },
    {
      name: 'a rollout that replaces the Thanos Query pods stays quiet',
      series: { [sel('up', queryA)]: '1x5 stale', [sel('up', queryB)]: '1x6 stale', [sel('up', queryNew)]: '_x4 1x20' },
      alerts: [{ at: '20m', alert: 'ThanosQueryDown', fires: [] }],
    },
    {
      name: `${percent(failingOver / OPS)} of one replica's Store API calls failing, ${percent(failingOver / (2 * OPS))} of all, stays quiet`,
      series: { ...calls(queryA, { OK: OPS - failingOver, Unavailable: failingOver - 20, DeadlineExceeded: 20 }), ...calls(queryB, { OK: OPS }) },
      alerts: [{ at: '25m', alert: 'ThanosQueryStoreApiErrors', fires: [] }],
    },
    {
      name: `${percent(failingOver / OPS)} of Store API calls failing on the called side, over both replicas, warns`,
      series: { ...calls(queryA, { OK: OPS - failingOver, Unavailable: failingOver }), ...calls(queryB, { OK: OPS - failingOver, Internal: failingOver }) },
      alerts: [
        { at: '10m', alert: 'ThanosQueryStoreApiErrors', fires: [] },
        { at: '25m', alert: 'ThanosQueryStoreApiErrors', fires: [{ labels: job(queryA), value: failingOver / OPS }] },
      ],
    },
    {
      name: `${percent(failingUnder / OPS)} of Store API calls failing stays quiet, and calls cancelled or refused as invalid do not count`,
      series: { ...calls(queryA, { OK: OPS - failingUnder - 300, Unavailable: failingUnder, Canceled: 200, InvalidArgument: 100 }) },
      alerts: [{ at: '25m', alert: 'ThanosQueryStoreApiErrors', fires: [] }],
    },
  ],
};
