/**
 * Index templates and lifecycle policies: what a data stream declared with
 * `Elasticsearch.addDataStream` becomes in the setup Job's request bodies. Pure functions of the
 * declaration (and of the node count, for the replica setting).
 */
import { ConfigError } from '../../core/errors';
import { ELASTICSEARCH_DEFAULTS } from './profile';

/** An index template with a lifecycle policy, and the data streams created from it up front. */
export interface DataStreamSpec {
  /** Name of the index template and of its lifecycle policy. */
  readonly name: string;
  /** Index patterns the template applies to, such as `logs-kubernetes-*`. */
  readonly indexPatterns: readonly string[];
  /** Data streams created by the setup Job (writers then need only `create_doc`). */
  readonly dataStreams: readonly string[];
  /** Days an index is kept after it rolls over; then the policy deletes it. */
  readonly retentionDays: number;
  /** Roll over at this primary shard size. @default DATA_STREAM_DEFAULTS.rolloverShardSizeGi (25, the profile's default) */
  readonly rolloverShardSizeGi?: number;
  /** Roll over at least this often, so that deletion works in whole days. @default DATA_STREAM_DEFAULTS.rolloverMaxAge ('1d') */
  readonly rolloverMaxAge?: string;
  /** Index mappings. */
  readonly mappings: Readonly<Record<string, unknown>>;
  /** Template priority; above 100 overrides the built-in `logs-*-*` template. @default DATA_STREAM_DEFAULTS.priority (200) */
  readonly priority?: number;
}

/** The default of each optional field of DataStreamSpec. */
export const DATA_STREAM_DEFAULTS = {
  rolloverShardSizeGi: ELASTICSEARCH_DEFAULTS.rolloverShardSizeGi,
  rolloverMaxAge: '1d',
  priority: 200,
} as const satisfies Required<Pick<DataStreamSpec, 'rolloverShardSizeGi' | 'rolloverMaxAge' | 'priority'>>;

/** Marks what the setup Job manages, in `_meta` of every object it writes. */
export const MANAGED_BY = { managed_by: 'elasticsearch-setup-job' } as const;

/** Refuses a declaration Elasticsearch would reject or that names a data stream its patterns miss; `declared` holds the names taken. */
export function checkDataStream(spec: DataStreamSpec, declared: ReadonlySet<string>): void {
  const where = `elasticsearch data stream template "${spec.name}"`;
  if (!/^[a-z][a-z0-9._-]*$/.test(spec.name)) throw new ConfigError(where, 'name', spec.name, 'use lowercase letters, digits, ".", "_" and "-"');
  if (declared.has(spec.name)) throw new ConfigError(where, 'name', spec.name, 'declare every template once');
  if (!Number.isInteger(spec.retentionDays) || spec.retentionDays < 1) {
    throw new ConfigError(where, 'retentionDays', spec.retentionDays, 'use a whole number of days, 1 or more');
  }
  for (const ds of spec.dataStreams) {
    if (!spec.indexPatterns.some((p) => new RegExp(`^${p.split('*').map(escapeRegex).join('.*')}$`).test(ds))) {
      throw new ConfigError(where, 'dataStreams', ds, `name a data stream matched by the index patterns ${spec.indexPatterns.join(', ')}`);
    }
  }
}

/** The lifecycle policy (`PUT /_ilm/policy/<name>`): roll over when a shard is full or a day old, delete after the retention. */
export function renderLifecyclePolicy(s: DataStreamSpec): Record<string, unknown> {
  return {
    policy: {
      _meta: { ...MANAGED_BY, retention_days: s.retentionDays },
      phases: {
        hot: {
          min_age: '0ms',
          actions: {
            rollover: {
              max_primary_shard_size: `${s.rolloverShardSizeGi ?? DATA_STREAM_DEFAULTS.rolloverShardSizeGi}gb`,
              max_age: s.rolloverMaxAge ?? DATA_STREAM_DEFAULTS.rolloverMaxAge,
            },
          },
        },
        delete: { min_age: `${s.retentionDays}d`, actions: { delete: {} } },
      },
    },
  };
}

/** The index template (`PUT /_index_template/<name>`) of a cluster of `nodes` nodes. */
export function renderIndexTemplate(s: DataStreamSpec, nodes: number): Record<string, unknown> {
  return {
    index_patterns: [...s.indexPatterns],
    data_stream: {},
    priority: s.priority ?? DATA_STREAM_DEFAULTS.priority,
    template: {
      settings: {
        'index.lifecycle.name': s.name,
        'index.number_of_shards': 1,
        // One copy on another node when there is another node; a single node stays green.
        'index.number_of_replicas': Math.min(1, nodes - 1),
        'index.codec': 'best_compression',
      },
      mappings: s.mappings,
    },
    _meta: { ...MANAGED_BY },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
