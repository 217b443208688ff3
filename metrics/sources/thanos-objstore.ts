/**
 * The object-storage families of every Thanos component that talks to the bucket (sidecar, store
 * gateway, compactor), read from github.com/thanos-io/objstore at 71d60dfee488, the version
 * thanos v0.42.4's go.mod requires.
 *
 * objstore names them `objstore_bucket_*` with a constant `bucket` label (the bucket's name); each
 * Thanos command wraps the registry it hands to objstore.WrapWithMetrics with the prefix `thanos_`,
 * so Prometheus stores `thanos_objstore_bucket_*`.
 */
import { SourceFixture } from './types';
import { embeddedInThanos } from './thanos';

const REPO = 'thanos-io/objstore';
const COMMIT = '71d60dfee488';
const OBJSTORE = 'objstore.go';
const OPERATION = ['bucket', 'operation'];

export const THANOS_OBJSTORE_SOURCE: SourceFixture = {
  component: 'thanos-objstore',
  catalogSources: ['thanos'],
  repository: REPO,
  tag: COMMIT,
  pin: embeddedInThanos('github.com/thanos-io/objstore v0.0.0-20250804093838-71d60dfee488'),
  naming: [
    {
      repository: 'thanos-io/thanos',
      tag: 'v0.42.4',
      path: 'cmd/thanos/sidecar.go',
      says: 'objstore.WrapWithMetrics(bkt, extprom.WrapRegistererWithPrefix("thanos_", reg), bkt.Name()); cmd/thanos/store.go and cmd/thanos/compact.go wrap their bucket the same way',
    },
    {
      repository: REPO,
      tag: COMMIT,
      path: OBJSTORE,
      says: 'newBucketMetrics: every family carries ConstLabels {bucket: <name>}; operations_total and operation_failures_total count per operation (get, get_range, exists, upload, delete, iter, attributes); a failure the caller expects (an object not found where that is normal) counts no failure; last_successful_upload_time is set to the time of each successful upload and is 0 until the first',
    },
  ],
  metrics: [
    { name: 'thanos_objstore_bucket_operations_total', type: 'counter', labels: OPERATION, file: OBJSTORE },
    { name: 'thanos_objstore_bucket_operation_failures_total', type: 'counter', labels: OPERATION, file: OBJSTORE },
    { name: 'thanos_objstore_bucket_operation_duration_seconds', type: 'histogram', labels: OPERATION, file: OBJSTORE },
    { name: 'thanos_objstore_bucket_last_successful_upload_time', type: 'gauge', labels: ['bucket'], file: OBJSTORE },
  ],
};
