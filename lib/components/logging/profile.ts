/**
 * The logging pipeline's part of an environment profile (Fluentd → Elasticsearch → Kibana, plus
 * the elasticsearch_exporter), and the checks that run on it before anything is built. The generic
 * checks (resources, storage, replicas) run in validateProfile with the rest of the profile; the
 * ones here are specific to Elasticsearch and Fluentd.
 */
import type { ProfileChecks } from '../../core/checks';
import type { AgentProfile, Resources, Storage, WorkloadProfile } from '../../core/workload';
import { isDuration, parseDuration, parseQuantity } from '../../core/units';
import { AGENT_KEYS, KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE, WORKLOAD_KEYS } from '../../core/keys';

const MI = 1024 ** 2;
const GI = 1024 ** 3;

/** How the `vm.max_map_count` kernel setting Elasticsearch needs (262144) is handled. */
export type MaxMapCount =
  /** A privileged init container sets it on the node before Elasticsearch starts. */
  | 'init-container'
  /** The nodes are configured already (node image, DaemonSet, or a managed node pool): nothing is done. */
  | 'node'
  /** `node.store.allow_mmap: false`: no kernel setting needed, slower searches. Fine for a laptop. */
  | 'disable-mmap';

export interface ElasticsearchProfile {
  /**
   * Master-eligible data nodes: 1 (single-node discovery) or an odd number (3, 5) so that a
   * majority survives the loss of a node.
   */
  readonly nodes: number;
  readonly resources: Resources;
  /** JVM heap in MiB; at most half the memory limit (the rest is Lucene's file cache). @default - half the memory limit */
  readonly heapMi?: number;
  /** Data volume of each node. */
  readonly storage: Storage;
  /** Days logs are kept before the lifecycle policy deletes them. */
  readonly retentionDays: number;
  /** Roll the write index over when a primary shard reaches this size. @default 25 */
  readonly rolloverShardSizeGi?: number;
  /** TLS on the HTTP layer (port 9200); clients verify it with the CA. Transport TLS is always on. */
  readonly httpTls: boolean;
  readonly maxMapCount: MaxMapCount;
  /**
   * Set to true once the cluster has formed for the first time: `cluster.initial_master_nodes`
   * is then left out, so that nodes that lost their data can never bootstrap a second cluster.
   * @default false
   */
  readonly clusterFormed?: boolean;
}

export type KibanaProfile = WorkloadProfile;

/** Fluentd's file buffer on each node, in front of Elasticsearch. */
export interface FluentdBufferProfile {
  /** Cap on the buffer's size on the node's disk; beyond it Fluentd stops reading (blocks), it never drops. */
  readonly totalLimitGi: number;
  /** Size of one chunk (one bulk request). @default 8 */
  readonly chunkLimitMi?: number;
  /** How often a chunk is sent. @default '5s' */
  readonly flushInterval?: string;
  /** Longest wait between two retries (exponential backoff from 1 s). @default '60s' */
  readonly retryMaxInterval?: string;
  /** Parallel senders. @default 2 */
  readonly flushThreads?: number;
}

export interface FluentdProfile {
  readonly resources: Resources;
  readonly buffer: FluentdBufferProfile;
  /** Directory on each node for the buffer and the read positions. @default '/var/lib/fluentd-<namespace>' */
  readonly hostPath?: string;
}

export interface LoggingProfile {
  readonly elasticsearch: ElasticsearchProfile;
  readonly kibana: KibanaProfile;
  readonly fluentd: FluentdProfile;
  readonly elasticsearchExporter: AgentProfile;
}

/** The heap an Elasticsearch node gets, in MiB: the profile's, or half the memory limit. */
export function elasticsearchHeapMi(p: ElasticsearchProfile): number {
  if (p.heapMi !== undefined) return p.heapMi;
  return Math.floor((parseQuantity(p.resources.limits.memory) ?? 0) / 2 / MI);
}

/** The Fluentd buffer cap in bytes. */
export function fluentdBufferBytes(p: FluentdProfile): number {
  return p.buffer.totalLimitGi * GI;
}

/** How long the buffer on one node holds logs while Elasticsearch is unreachable, at a given rate. */
export function fluentdBufferHours(p: FluentdProfile, bytesPerSecond: number): number {
  return fluentdBufferBytes(p) / bytesPerSecond / 3600;
}

/** Checks the `logging` part of a profile; throws through `checks.fail`. */
export function validateLoggingProfile(l: LoggingProfile, { fail, checkResources, checkStorage, checkWorkload }: ProfileChecks): void {
  if (l === undefined) fail('logging', l, 'define elasticsearch, kibana, fluentd and elasticsearchExporter');
  checkResources('logging.elasticsearch.resources', l.elasticsearch?.resources);
  checkStorage('logging.elasticsearch.storage', l.elasticsearch.storage);
  checkWorkload('logging.kibana', l.kibana);
  checkResources('logging.fluentd.resources', l.fluentd?.resources);
  checkResources('logging.elasticsearchExporter.resources', l.elasticsearchExporter?.resources);
  const es = l.elasticsearch;
  if (!Number.isInteger(es.nodes) || es.nodes < 1) fail('logging.elasticsearch.nodes', es.nodes, 'use 1 (single node) or an odd number such as 3');
  if (es.nodes > 1 && es.nodes % 2 === 0) {
    fail(
      'logging.elasticsearch.nodes',
      es.nodes,
      `use an odd number of master-eligible nodes (${es.nodes - 1} or ${es.nodes + 1}) so that a majority survives losing one`,
    );
  }
  const limit = parseQuantity(es.resources.limits.memory) as number;
  const half = Math.floor(limit / 2 / MI);
  if (es.heapMi !== undefined) {
    if (!Number.isInteger(es.heapMi) || es.heapMi < 256) fail('logging.elasticsearch.heapMi', es.heapMi, 'use a whole number of MiB, 256 or more');
    if (es.heapMi > half) {
      fail(
        'logging.elasticsearch.heapMi',
        es.heapMi,
        `use at most ${half} (half the memory limit ${es.resources.limits.memory}): the other half is Lucene's file cache; or raise the limit`,
      );
    }
  }
  if (elasticsearchHeapMi(es) > 31 * 1024) {
    fail('logging.elasticsearch.heapMi', elasticsearchHeapMi(es), 'use at most 31744 (31 GiB) so the JVM keeps compressed pointers');
  }
  if (!Number.isInteger(es.retentionDays) || es.retentionDays < 1) {
    fail('logging.elasticsearch.retentionDays', es.retentionDays, 'use a whole number of days, 1 or more (for example 3 local, 7 staging, 30 production)');
  }
  if (es.rolloverShardSizeGi !== undefined && !(es.rolloverShardSizeGi > 0)) {
    fail('logging.elasticsearch.rolloverShardSizeGi', es.rolloverShardSizeGi, 'use a positive number of GiB such as 25');
  }
  if (typeof es.httpTls !== 'boolean') fail('logging.elasticsearch.httpTls', es.httpTls, 'use true or false');
  if (!['init-container', 'node', 'disable-mmap'].includes(es.maxMapCount)) {
    fail('logging.elasticsearch.maxMapCount', es.maxMapCount, 'use "init-container", "node" or "disable-mmap"');
  }

  const b = l.fluentd.buffer;
  if (b === undefined) fail('logging.fluentd.buffer', b, 'set totalLimitGi, the cap of the file buffer on each node');
  if (!(typeof b.totalLimitGi === 'number' && b.totalLimitGi > 0))
    fail('logging.fluentd.buffer.totalLimitGi', b.totalLimitGi, 'use a positive number of GiB such as 8');
  const chunkMi = b.chunkLimitMi ?? 8;
  if (!Number.isInteger(chunkMi) || chunkMi < 1 || chunkMi > 64)
    fail('logging.fluentd.buffer.chunkLimitMi', b.chunkLimitMi, 'use a whole number of MiB from 1 to 64 (one bulk request each)');
  if (chunkMi * MI * 4 > b.totalLimitGi * GI) {
    fail('logging.fluentd.buffer.totalLimitGi', b.totalLimitGi, `use at least four chunks' worth (${(chunkMi * 4) / 1024} GiB) or smaller chunks`);
  }
  for (const f of ['flushInterval', 'retryMaxInterval'] as const) {
    const d = b[f];
    if (d !== undefined && (!isDuration(d) || (parseDuration(d) as number) <= 0)) fail(`logging.fluentd.buffer.${f}`, d, 'use a duration such as "5s" or "1m"');
  }
  if (b.flushThreads !== undefined && (!Number.isInteger(b.flushThreads) || b.flushThreads < 1 || b.flushThreads > 16)) {
    fail('logging.fluentd.buffer.flushThreads', b.flushThreads, 'use a whole number from 1 to 16');
  }
  if (l.fluentd.hostPath !== undefined && !/^\/[A-Za-z0-9._/-]+$/.test(l.fluentd.hostPath)) {
    fail('logging.fluentd.hostPath', l.fluentd.hostPath, 'use an absolute path on the node, such as "/var/lib/fluentd-monitoring"');
  }
}

export const LOGGING_KEYS: KeySchema<LoggingProfile> = {
  fields: {
    elasticsearch: {
      fields: {
        nodes: VALUE,
        resources: RESOURCES_KEYS,
        heapMi: VALUE,
        storage: STORAGE_KEYS,
        retentionDays: VALUE,
        rolloverShardSizeGi: VALUE,
        httpTls: VALUE,
        maxMapCount: VALUE,
        clusterFormed: VALUE,
      },
    },
    kibana: WORKLOAD_KEYS,
    fluentd: {
      fields: {
        resources: RESOURCES_KEYS,
        buffer: { fields: { totalLimitGi: VALUE, chunkLimitMi: VALUE, flushInterval: VALUE, retryMaxInterval: VALUE, flushThreads: VALUE } },
        hostPath: VALUE,
      },
    },
    elasticsearchExporter: AGENT_KEYS,
  },
};
