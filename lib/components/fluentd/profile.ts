/**
 * The `logging.fluentd` part of a profile: its type, the defaults of its optional fields, the keys
 * it may carry and its checks.
 */
import type { ProfileChecks } from '../../core/checks';
import type { Resources } from '../../core/workload';
import { isDuration, parseDuration } from '../../core/units';
import { KeySchema, RESOURCES_KEYS, VALUE } from '../../core/keys';

const MI = 1024 ** 2;
const GI = 1024 ** 3;

/** Fluentd's file buffer on each node, in front of Elasticsearch. */
export interface FluentdBufferProfile {
  /** Cap on the buffer's size on the node's disk; beyond it Fluentd stops reading (blocks), it never drops. */
  readonly totalLimitGi: number;
  /** Size of one chunk (one bulk request). @default FLUENTD_DEFAULTS.buffer.chunkLimitMi (8) */
  readonly chunkLimitMi?: number;
  /** How often a chunk is sent. @default FLUENTD_DEFAULTS.buffer.flushInterval ('5s') */
  readonly flushInterval?: string;
  /** Longest wait between two retries (exponential backoff from 1 s). @default FLUENTD_DEFAULTS.buffer.retryMaxInterval ('60s') */
  readonly retryMaxInterval?: string;
  /** Parallel senders. @default FLUENTD_DEFAULTS.buffer.flushThreads (2) */
  readonly flushThreads?: number;
}

export interface FluentdProfile {
  readonly resources: Resources;
  readonly buffer: FluentdBufferProfile;
  /** Directory on each node for the buffer and the read positions. @default FLUENTD_DEFAULTS.hostPath(namespace) ('/var/lib/fluentd-<namespace>') */
  readonly hostPath?: string;
}

/** The default of each optional field of FluentdProfile; the host path depends on the namespace. */
export const FLUENTD_DEFAULTS = {
  buffer: { chunkLimitMi: 8, flushInterval: '5s', retryMaxInterval: '60s', flushThreads: 2 },
  hostPath: (namespace: string): string => `/var/lib/fluentd-${namespace}`,
} as const satisfies {
  buffer: Required<Omit<FluentdBufferProfile, 'totalLimitGi'>>;
  hostPath: (namespace: string) => string;
};

export const FLUENTD_KEYS: KeySchema<FluentdProfile> = {
  fields: {
    resources: RESOURCES_KEYS,
    buffer: { fields: { totalLimitGi: VALUE, chunkLimitMi: VALUE, flushInterval: VALUE, retryMaxInterval: VALUE, flushThreads: VALUE } },
    hostPath: VALUE,
  },
};

/** The Fluentd buffer cap in bytes. */
export function fluentdBufferBytes(p: FluentdProfile): number {
  return p.buffer.totalLimitGi * GI;
}

/** How long the buffer on one node holds logs while Elasticsearch is unreachable, at a given rate. */
export function fluentdBufferHours(p: FluentdProfile, bytesPerSecond: number): number {
  return fluentdBufferBytes(p) / bytesPerSecond / 3600;
}

/** Checks the Fluentd part of a profile, found at `at`; throws through `checks.fail`. */
export function validateFluentdProfile(f: FluentdProfile, { fail, checkResources }: ProfileChecks, at = 'logging.fluentd'): void {
  checkResources(`${at}.resources`, f?.resources);
  const b = f.buffer;
  if (b === undefined) fail(`${at}.buffer`, b, 'set totalLimitGi, the cap of the file buffer on each node');
  if (!(typeof b.totalLimitGi === 'number' && b.totalLimitGi > 0)) fail(`${at}.buffer.totalLimitGi`, b.totalLimitGi, 'use a positive number of GiB such as 8');
  const chunkMi = b.chunkLimitMi ?? FLUENTD_DEFAULTS.buffer.chunkLimitMi;
  if (!Number.isInteger(chunkMi) || chunkMi < 1 || chunkMi > 64)
    fail(`${at}.buffer.chunkLimitMi`, b.chunkLimitMi, 'use a whole number of MiB from 1 to 64 (one bulk request each)');
  if (chunkMi * MI * 4 > b.totalLimitGi * GI) {
    fail(`${at}.buffer.totalLimitGi`, b.totalLimitGi, `use at least four chunks' worth (${(chunkMi * 4) / 1024} GiB) or smaller chunks`);
  }
  for (const k of ['flushInterval', 'retryMaxInterval'] as const) {
    const d = b[k];
    if (d !== undefined && (!isDuration(d) || (parseDuration(d) as number) <= 0)) fail(`${at}.buffer.${k}`, d, 'use a duration such as "5s" or "1m"');
  }
  if (b.flushThreads !== undefined && (!Number.isInteger(b.flushThreads) || b.flushThreads < 1 || b.flushThreads > 16)) {
    fail(`${at}.buffer.flushThreads`, b.flushThreads, 'use a whole number from 1 to 16');
  }
  if (f.hostPath !== undefined && !/^\/[A-Za-z0-9._/-]+$/.test(f.hostPath)) {
    fail(`${at}.hostPath`, f.hostPath, 'use an absolute path on the node, such as "/var/lib/fluentd-monitoring"');
  }
}
