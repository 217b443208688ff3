/**
 * Thanos's own metrics (sidecar, query, store gateway, compactor), read from github.com/thanos-io/thanos
 * at v0.42.4, the tag the quay.io/thanos/thanos image is built from.
 *
 * Names are written out in full where each component registers them, on the one registry the
 * component's command hands down; none is wrapped with a prefix or extra labels on the way. The
 * object-storage families (`thanos_objstore_*`) and the gRPC families (`grpc_*`) come from modules
 * Thanos embeds: see thanos-objstore.ts and go-grpc-middleware.ts.
 */
import { SourceFixture, SourcePin } from './types';

export const THANOS_REPOSITORY = 'thanos-io/thanos';
/** The tag the pinned image is built from. */
export const THANOS_TAG = 'v0.42.4';
const REPO = THANOS_REPOSITORY;
const TAG = THANOS_TAG;

/** The pin of a module the Thanos image embeds: the version its go.mod at THANOS_TAG requires (`says`: the require line). */
export function embeddedInThanos(says: string): SourcePin {
  return { kind: 'embedded', image: 'thanos', imageTag: TAG, imageSource: { repository: REPO, tag: TAG, path: 'go.mod', says } };
}
const COMPACT_CMD = 'cmd/thanos/compact.go';
const COMPACT = 'pkg/compact/compact.go';
const SHIPPER = 'pkg/shipper/shipper.go';
const BUCKET_STORE = 'pkg/store/bucket.go';

export const THANOS_SOURCE: SourceFixture = {
  component: 'thanos',
  catalogSources: ['thanos'],
  repository: REPO,
  tag: TAG,
  pin: { kind: 'image', image: 'thanos', imageTag: TAG },
  naming: [
    {
      repository: REPO,
      tag: TAG,
      path: 'cmd/thanos/main.go',
      says: 'one prometheus.Registry per process (thanos_build_info, the Go and process collectors), made the default registerer; each subcommand registers its families on it',
    },
    {
      repository: REPO,
      tag: TAG,
      path: COMPACT_CMD,
      says: 'newCompactMetrics registers thanos_compact_halted (set to 0 at start, 1 when the compactor halts on an unexpected error and keeps running without compacting) and thanos_compact_iterations_total (one per iteration that completed successfully) on the unwrapped registry',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'cmd/thanos/sidecar.go',
      says: 'thanos_sidecar_prometheus_up is set to 1 after each successful heartbeat to the Prometheus beside it, 0 after a failed one; the shipper is created with shipper.WithRegisterer(reg), unwrapped',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'pkg/query/endpointset.go',
      says: 'newEndpointSetNodeCollector describes thanos_store_nodes_grpc_connections with the labels of --query.conn-metric.label, whose default (cmd/thanos/query.go) is external_labels and store_type',
    },
  ],
  metrics: [
    { name: 'thanos_compact_halted', type: 'gauge', labels: [], file: COMPACT_CMD },
    { name: 'thanos_compact_iterations_total', type: 'counter', labels: [], file: COMPACT_CMD },
    { name: 'thanos_compact_group_compactions_total', type: 'counter', labels: ['resolution'], file: COMPACT },
    { name: 'thanos_compact_group_compactions_failures_total', type: 'counter', labels: ['resolution'], file: COMPACT },
    { name: 'thanos_compact_todo_compactions', type: 'gauge', labels: [], file: COMPACT },
    { name: 'thanos_compact_todo_downsample_blocks', type: 'gauge', labels: [], file: COMPACT },
    { name: 'thanos_shipper_uploads_total', type: 'counter', labels: [], file: SHIPPER },
    { name: 'thanos_shipper_upload_failures_total', type: 'counter', labels: [], file: SHIPPER },
    { name: 'thanos_sidecar_prometheus_up', type: 'gauge', labels: [], file: 'cmd/thanos/sidecar.go' },
    { name: 'thanos_store_nodes_grpc_connections', type: 'gauge', labels: ['external_labels', 'store_type'], file: 'pkg/query/endpointset.go' },
    { name: 'thanos_bucket_store_blocks_loaded', type: 'gauge', labels: [], file: BUCKET_STORE },
    { name: 'thanos_bucket_store_block_load_failures_total', type: 'counter', labels: [], file: BUCKET_STORE },
  ],
};
