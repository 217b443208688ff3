/**
 * What Thanos's source says about every flag and configuration key the stack gives it, read at the
 * tag lib/core/images.ts pins (no Thanos binary runs here, so this is the proof). test/thanos-source.test.ts
 * holds the synthesized manifests to it: a flag or key rendered without an entry here fails, and so
 * does a version bump without a re-read.
 */

/** A flag (without `--`) and where it is registered at the fixture's tag. */
export interface SourceFlag {
  readonly flag: string;
  readonly path: string;
  readonly says: string;
}

// The Thanos repository and tag: THANOS_REPOSITORY, THANOS_TAG of metrics/sources/thanos.ts (the metrics fixture read at the same tag).
/** The objstore module Thanos's go.mod requires at that tag (github.com/thanos-io/objstore v0.0.0-20250804093838-71d60dfee488). */
export const OBJSTORE = { repository: 'thanos-io/objstore', commit: '71d60dfee4881c924083ccfb7b58ae433b38d372' } as const;
/** The flag helper Thanos's go.mod requires (github.com/efficientgo/tools/extkingpin v0.0.0-20230505153745-6b7392939a60). */
export const EXTKINGPIN = { repository: 'efficientgo/tools', commit: '6b7392939a60', path: 'extkingpin/pathorcontent.go' } as const;

const CONFIG = 'cmd/thanos/config.go';
const OBJSTORE_FLAG: SourceFlag = {
  flag: 'objstore.config-file',
  path: 'pkg/extkingpin/flags.go',
  says: 'RegisterCommonObjStoreFlags registers PathOrContent "objstore.config" with WithEnvSubstitution; extkingpin RegisterPathOrContent adds "<name>-file" for the path, and Content() replaces every $(NAME) with the environment variable, failing on an unset one',
};

/** Flags by subcommand; flags shared through a config struct name the file of the struct. */
export const THANOS_FLAGS: Readonly<Record<'sidecar' | 'query' | 'store' | 'compact', readonly SourceFlag[]>> = {
  sidecar: [
    {
      flag: 'http-address',
      path: CONFIG,
      says: 'httpConfig.registerFlag, called by sidecarConfig.registerFlag (cmd/thanos/sidecar.go); default 0.0.0.0:10902',
    },
    { flag: 'grpc-address', path: CONFIG, says: 'grpcConfig.registerFlag, called by sidecarConfig.registerFlag; default 0.0.0.0:10901' },
    { flag: 'prometheus.url', path: CONFIG, says: 'prometheusConfig.registerFlag: the URL the sidecar reads Prometheus at' },
    { flag: 'tsdb.path', path: CONFIG, says: 'tsdbConfig.registerFlag: the data directory of the TSDB the shipper uploads blocks from' },
    OBJSTORE_FLAG,
  ],
  query: [
    { flag: 'http-address', path: 'pkg/extkingpin/flags.go', says: 'RegisterHTTPFlags, called by registerQuery (cmd/thanos/query.go)' },
    { flag: 'grpc-address', path: CONFIG, says: 'grpcConfig.registerFlag, called by registerQuery' },
    {
      flag: 'endpoint.sd-config-file',
      path: 'cmd/thanos/query.go',
      says: 'RegisterPathOrContent(cmd, "endpoint.sd-config", ...): a file of `endpoints: [{address}]` (cmd/thanos/endpointset.go), reloaded; addresses prefixed dnssrv+ are SRV lookups (pkg/discovery/dns/provider.go)',
    },
    {
      flag: 'query.replica-label',
      path: 'cmd/thanos/query.go',
      says: 'labels to deduplicate on; the HTTP API deduplicates unless a request sets dedup=false (pkg/api/query/v1.go parseEnableDedupParam defaults to true)',
    },
    { flag: 'query.auto-downsampling', path: 'cmd/thanos/query.go', says: 'reads downsampled data at step / 5 when a request sets no max_source_resolution' },
  ],
  store: [
    { flag: 'http-address', path: CONFIG, says: 'httpConfig.registerFlag, called by storeConfig.registerFlag (cmd/thanos/store.go)' },
    { flag: 'grpc-address', path: CONFIG, says: 'grpcConfig.registerFlag, called by storeConfig.registerFlag' },
    { flag: 'data-dir', path: 'cmd/thanos/store.go', says: 'local cache directory of index headers and block metadata' },
    { ...OBJSTORE_FLAG, says: 'RegisterCommonObjStoreFlags(cmd, "", true): required by the store gateway' },
  ],
  compact: [
    { flag: 'http-address', path: CONFIG, says: 'httpConfig.registerFlag, called by compactConfig.registerFlag (cmd/thanos/compact.go)' },
    { ...OBJSTORE_FLAG, says: 'RegisterCommonObjStoreFlags(cmd, "", false), called by compactConfig.registerFlag' },
    { flag: 'wait', path: 'cmd/thanos/compact.go', says: 'keep running and compact every wait-interval instead of exiting after one pass' },
    { flag: 'data-dir', path: 'cmd/thanos/compact.go', says: 'scratch space for the blocks being compacted and downsampled' },
    { flag: 'retention.resolution-raw', path: 'cmd/thanos/compact.go', says: 'how long raw blocks are kept; 0d keeps them forever' },
    { flag: 'retention.resolution-5m', path: 'cmd/thanos/compact.go', says: 'how long 5-minute blocks are kept' },
    { flag: 'retention.resolution-1h', path: 'cmd/thanos/compact.go', says: 'how long 1-hour blocks are kept' },
    {
      flag: 'deduplication.replica-label',
      path: 'cmd/thanos/compact.go',
      says: 'experimental: blocks differing only in these labels are merged into one by vertical compaction (irreversible); the default merger is one-to-one, for identical samples',
    },
    {
      flag: 'deduplication.func',
      path: 'cmd/thanos/compact.go',
      says: 'experimental: "" (one-to-one) or "penalty", the penalty-based merger for replicas whose samples differ, as an HA pair\'s do; needs a replica label',
    },
    { flag: 'delete-delay', path: 'cmd/thanos/compact.go', says: 'time between marking a block for deletion and deleting it, so readers can drop it first' },
  ],
};

/** The objstore `type` names and the `config` keys of each provider the stack renders. */
export const OBJSTORE_PROVIDERS: Readonly<Record<'S3' | 'GCS' | 'AZURE', { readonly path: string; readonly keys: readonly string[] }>> = {
  S3: {
    path: 'providers/s3/s3.go',
    keys: [
      'bucket',
      'endpoint',
      'region',
      'aws_sdk_auth',
      'access_key',
      'insecure',
      'signature_version2',
      'secret_key',
      'session_token',
      'http_config',
      'list_objects_version',
      'bucket_lookup_type',
      'part_size',
      'sse_config',
      'sts_endpoint',
      'max_retries',
    ],
  },
  GCS: {
    path: 'providers/gcs/gcs.go',
    keys: ['bucket', 'service_account', 'use_grpc', 'grpc_conn_pool_size', 'http_config', 'chunk_size_bytes', 'max_retries'],
  },
  AZURE: {
    path: 'providers/azure/azure.go',
    keys: [
      'az_tenant_id',
      'client_id',
      'client_secret',
      'storage_account',
      'storage_account_key',
      'storage_connection_string',
      'storage_create_container',
      'container',
      'endpoint',
      'user_assigned_id',
      'max_retries',
      'http_config',
    ],
  },
};
/** objstore.go at OBJSTORE: the provider names client/factory.go switches on; the top-level keys are `type`, `config`, `prefix`. */
export const OBJSTORE_TOP_KEYS = ['type', 'config', 'prefix'] as const;

/** Prometheus flags the sidecar needs, at the Prometheus tag the stack pins (cmd/prometheus/main.go at v3.5.0). */
export const PROMETHEUS_SIDECAR_FLAGS: readonly SourceFlag[] = [
  {
    flag: 'storage.tsdb.min-block-duration',
    path: 'cmd/prometheus/main.go',
    says: 'serverOnlyFlag, hidden; 2h with max equal keeps Prometheus from compacting blocks the sidecar uploads',
  },
  { flag: 'storage.tsdb.max-block-duration', path: 'cmd/prometheus/main.go', says: 'serverOnlyFlag, hidden; equal to the minimum turns local compaction off' },
];
