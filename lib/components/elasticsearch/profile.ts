/**
 * The `logging.elasticsearch` and `logging.elasticsearchExporter` parts of a profile: their types,
 * the defaults of their optional fields, the keys they may carry and their checks.
 */
import type { ProfileChecks } from '../../core/checks';
import type { AgentProfile, Resources, Storage } from '../../core/workload';
import { parseQuantity } from '../../core/units';
import { AGENT_KEYS, KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE } from '../../core/keys';

const MI = 1024 ** 2;

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
  /** JVM heap in MiB; at most half the memory limit (the rest is Lucene's file cache). @default - half the memory limit (elasticsearchHeapMi) */
  readonly heapMi?: number;
  /** Data volume of each node. */
  readonly storage: Storage;
  /** Days logs are kept before the lifecycle policy deletes them. */
  readonly retentionDays: number;
  /** Roll the write index over when a primary shard reaches this size. @default ELASTICSEARCH_DEFAULTS.rolloverShardSizeGi (25) */
  readonly rolloverShardSizeGi?: number;
  /** TLS on the HTTP layer (port 9200); clients verify it with the CA. Transport TLS is always on. */
  readonly httpTls: boolean;
  readonly maxMapCount: MaxMapCount;
  /**
   * Set to true once the cluster has formed for the first time: `cluster.initial_master_nodes`
   * is then left out, so that nodes that lost their data can never bootstrap a second cluster.
   * @default ELASTICSEARCH_DEFAULTS.clusterFormed (false)
   */
  readonly clusterFormed?: boolean;
}

/** The default of each optional field of ElasticsearchProfile with a fixed default (heapMi follows the memory limit: elasticsearchHeapMi). */
export const ELASTICSEARCH_DEFAULTS = {
  rolloverShardSizeGi: 25,
  clusterFormed: false,
} as const satisfies Required<Pick<ElasticsearchProfile, 'rolloverShardSizeGi' | 'clusterFormed'>>;

/** The elasticsearch_exporter: one replica by design, only its resources are the profile's. */
export type ElasticsearchExporterProfile = AgentProfile;

export const ELASTICSEARCH_KEYS: KeySchema<ElasticsearchProfile> = {
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
};

export const ELASTICSEARCH_EXPORTER_KEYS: KeySchema<ElasticsearchExporterProfile> = AGENT_KEYS;

/** Largest heap that keeps compressed object pointers (31 GiB). */
const MAX_HEAP_MI = 31 * 1024;

/** The heap an Elasticsearch node gets, in MiB: the profile's, or half the memory limit. */
export function elasticsearchHeapMi(p: ElasticsearchProfile): number {
  if (p.heapMi !== undefined) return p.heapMi;
  return Math.floor((parseQuantity(p.resources.limits.memory) ?? 0) / 2 / MI);
}

/** Checks the Elasticsearch part of a profile, found at `at`; throws through `checks.fail`. */
export function validateElasticsearchProfile(
  es: ElasticsearchProfile,
  { fail, checkResources, checkStorage }: ProfileChecks,
  at = 'logging.elasticsearch',
): void {
  checkResources(`${at}.resources`, es?.resources);
  checkStorage(`${at}.storage`, es.storage);
  if (!Number.isInteger(es.nodes) || es.nodes < 1) fail(`${at}.nodes`, es.nodes, 'use 1 (single node) or an odd number such as 3');
  if (es.nodes > 1 && es.nodes % 2 === 0) {
    fail(`${at}.nodes`, es.nodes, `use an odd number of master-eligible nodes (${es.nodes - 1} or ${es.nodes + 1}) so that a majority survives losing one`);
  }
  const limit = parseQuantity(es.resources.limits.memory) as number;
  const half = Math.floor(limit / 2 / MI);
  if (es.heapMi !== undefined) {
    if (!Number.isInteger(es.heapMi) || es.heapMi < 256) fail(`${at}.heapMi`, es.heapMi, 'use a whole number of MiB, 256 or more');
    if (es.heapMi > half) {
      fail(
        `${at}.heapMi`,
        es.heapMi,
        `use at most ${half} (half the memory limit ${es.resources.limits.memory}): the other half is Lucene's file cache; or raise the limit`,
      );
    }
  }
  if (elasticsearchHeapMi(es) > MAX_HEAP_MI) {
    fail(`${at}.heapMi`, elasticsearchHeapMi(es), `use at most ${MAX_HEAP_MI} (31 GiB) so the JVM keeps compressed pointers`);
  }
  if (!Number.isInteger(es.retentionDays) || es.retentionDays < 1) {
    fail(`${at}.retentionDays`, es.retentionDays, 'use a whole number of days, 1 or more (for example 3 local, 7 staging, 30 production)');
  }
  if (es.rolloverShardSizeGi !== undefined && !(es.rolloverShardSizeGi > 0)) {
    fail(`${at}.rolloverShardSizeGi`, es.rolloverShardSizeGi, `use a positive number of GiB such as ${ELASTICSEARCH_DEFAULTS.rolloverShardSizeGi}`);
  }
  if (typeof es.httpTls !== 'boolean') fail(`${at}.httpTls`, es.httpTls, 'use true or false');
  if (!['init-container', 'node', 'disable-mmap'].includes(es.maxMapCount)) {
    fail(`${at}.maxMapCount`, es.maxMapCount, 'use "init-container", "node" or "disable-mmap"');
  }
}

/** Checks the elasticsearch_exporter part of a profile, found at `at`. */
export function validateElasticsearchExporterProfile(
  p: ElasticsearchExporterProfile,
  { checkResources }: ProfileChecks,
  at = 'logging.elasticsearchExporter',
): void {
  checkResources(`${at}.resources`, p?.resources);
}
