/**
 * What an environment says about tracing: where spans are stored, how many of each Jaeger
 * workload run, how much of the traffic is sampled, and how long traces are kept. Jaeger's shape
 * follows from its storage: spans kept in memory live in one process (receiving and answering
 * queries from the same memory); spans kept in Elasticsearch are written by collectors and read by
 * query instances, each scaled on its own.
 */
import { closest } from '../../core/names';
import type { ProfileChecks } from '../../core/checks';
import type { AgentProfile, WorkloadProfile } from '../../core/workload';
import { AGENT_KEYS, KeySchema, VALUE, WORKLOAD_KEYS } from '../../core/keys';

/** Spans in the memory of one process: lost on restart; for a laptop cluster. */
export interface MemoryTraceStorage {
  readonly kind: 'memory';
  /** Traces kept before the oldest are evicted; bounds the memory Jaeger uses. */
  readonly maxTraces: number;
}

/** Spans in daily Elasticsearch indices, deleted by a daily clean-up job after `retentionDays`. */
export interface ElasticsearchTraceStorage {
  readonly kind: 'elasticsearch';
  /** Prepended to every Jaeger index: `<prefix>-jaeger-span-2026-01-31`. */
  readonly indexPrefix: string;
  /** Primary shards of each daily index. */
  readonly shards: number;
  /** Replicas of each shard; 0 keeps one copy only. */
  readonly replicas: number;
  /** Days of traces kept; older daily indices are deleted. */
  readonly retentionDays: number;
  /**
   * When the clean-up runs, a cron schedule in UTC.
   * @default JAEGER_DEFAULTS.storage.cleanupSchedule: '15 0 * * *', just after the daily index rolls over
   */
  readonly cleanupSchedule?: string;
}

export type TraceStorage = MemoryTraceStorage | ElasticsearchTraceStorage;

/** A sampling override for one service, and optionally for some of its operations. */
export interface ServiceSampling {
  /** The `service.name` resource attribute the service reports (OTEL_SERVICE_NAME). */
  readonly service: string;
  /** Share of the service's traces kept, from 0 (none) to 1 (all). */
  readonly probability: number;
  /**
   * Overrides for single operations (span names) of this service; its other operations keep
   * `probability`. @default JAEGER_DEFAULTS.sampling.operations: none
   */
  readonly operations?: readonly OperationSampling[];
}

/** A sampling override for one operation (span name) of a service. */
export interface OperationSampling {
  readonly operation: string;
  /** Share of the operation's traces kept, from 0 (none) to 1 (all). */
  readonly probability: number;
}

/**
 * Head sampling, served to the services' SDKs by Jaeger's remote sampling endpoint (the SDK
 * decides at the root span; downstream services follow the parent's decision).
 */
export interface TraceSampling {
  /** Share of traces kept for services without an override, from 0 to 1. */
  readonly defaultProbability: number;
  /**
   * Per-service overrides, such as always keeping order execution.
   * @default JAEGER_DEFAULTS.sampling.services: none, every service at `defaultProbability`
   */
  readonly services?: readonly ServiceSampling[];
}

interface JaegerProfileBase {
  readonly sampling: TraceSampling;
}

/** One Jaeger process with the memory store: receives spans, keeps them and serves the UI. */
export interface JaegerAllInOneProfile extends JaegerProfileBase {
  readonly storage: MemoryTraceStorage;
  /** Resources of the single process (memory storage cannot be shared by replicas). */
  readonly allInOne: AgentProfile;
}

/** Collectors writing to Elasticsearch and query instances reading from it, scaled apart. */
export interface JaegerDistributedProfile extends JaegerProfileBase {
  readonly storage: ElasticsearchTraceStorage;
  /** Receive OTLP, serve sampling strategies, write spans. */
  readonly collector: WorkloadProfile;
  /** Serve the UI and the query API that Grafana reads. */
  readonly query: WorkloadProfile;
  /** Resources of the daily index clean-up job. */
  readonly indexCleaner: AgentProfile;
}

export type JaegerProfile = JaegerAllInOneProfile | JaegerDistributedProfile;

export function isDistributed(p: JaegerProfile): p is JaegerDistributedProfile {
  return p.storage.kind === 'elasticsearch';
}

/**
 * The default of every optional field of the Jaeger profile, by the field's path. The validator
 * and the renderers read them here; the fields' doc comments name them.
 */
export const JAEGER_DEFAULTS = {
  sampling: {
    /** `sampling.services`: no override, every service sampled at `defaultProbability`. */
    services: [] as readonly ServiceSampling[],
    /** `sampling.services[].operations`: no override, every operation at its service's probability. */
    operations: [] as readonly OperationSampling[],
  },
  storage: {
    /** `storage.cleanupSchedule` (Elasticsearch storage): 00:15 UTC, just after the daily index rolls over. */
    cleanupSchedule: '15 0 * * *',
  },
} as const;

const INDEX_PREFIX = /^[a-z0-9][a-z0-9_-]*[a-z0-9]$|^[a-z0-9]$/;
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/** Checks the `jaeger` part of a profile; throws through `checks.fail`. */
export function validateJaegerProfile(j: JaegerProfile, checks: ProfileChecks): void {
  const { fail } = checks;
  if (j === undefined) fail('jaeger', j, 'define tracing for this environment: storage, sampling and resources');

  const probability = (field: string, v: unknown): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      fail(field, v, 'use a probability from 0 (keep no traces) to 1 (keep every trace), such as 0.1 for one trace in ten');
    }
  };
  const s = j.sampling;
  if (s === undefined) fail('jaeger.sampling', s, 'set sampling.defaultProbability (1 keeps every trace)');
  probability('jaeger.sampling.defaultProbability', s.defaultProbability);
  const services = new Set<string>();
  (s.services ?? JAEGER_DEFAULTS.sampling.services).forEach((o, i) => {
    const f = `jaeger.sampling.services[${i}]`;
    if (typeof o.service !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(o.service)) {
      fail(`${f}.service`, o.service, 'use the service.name the service reports: letters, digits, "-", "_" and "."');
    }
    if (services.has(o.service)) fail(`${f}.service`, o.service, 'give each service one override');
    services.add(o.service);
    probability(`${f}.probability`, o.probability);
    const ops = new Set<string>();
    (o.operations ?? JAEGER_DEFAULTS.sampling.operations).forEach((op, k) => {
      if (typeof op.operation !== 'string' || op.operation.trim() === '')
        fail(`${f}.operations[${k}].operation`, op.operation, 'name the operation (span name)');
      if (ops.has(op.operation)) fail(`${f}.operations[${k}].operation`, op.operation, 'give each operation one override');
      ops.add(op.operation);
      probability(`${f}.operations[${k}].probability`, op.probability);
    });
  });

  const st = j.storage as TraceStorage | undefined;
  if (st?.kind === 'memory') {
    if (!Number.isInteger(st.maxTraces) || st.maxTraces < 1)
      fail('jaeger.storage.maxTraces', st.maxTraces, 'use a whole number of traces of 1 or more, such as 50000');
    const aio = j as JaegerAllInOneProfile;
    if (aio.allInOne === undefined) fail('jaeger.allInOne', aio.allInOne, 'set the resources of the single Jaeger process used with memory storage');
    checks.checkResources('jaeger.allInOne.resources', aio.allInOne.resources);
    for (const f of ['collector', 'query'] as const) {
      if ((j as unknown as Record<string, unknown>)[f] !== undefined) {
        fail(
          `jaeger.${f}`,
          f,
          'leave it out with memory storage: one process receives and serves the traces it keeps; use Elasticsearch storage to run collectors and query apart',
        );
      }
    }
  } else if (st?.kind === 'elasticsearch') {
    if (typeof st.indexPrefix !== 'string' || !INDEX_PREFIX.test(st.indexPrefix) || st.indexPrefix.length > 100) {
      fail(
        'jaeger.storage.indexPrefix',
        st.indexPrefix,
        'use lowercase letters, digits, "-" and "_", starting and ending with a letter or digit, such as "jaeger-main"',
      );
    }
    if (!Number.isInteger(st.shards) || st.shards < 1) fail('jaeger.storage.shards', st.shards, 'use a whole number of primary shards of 1 or more');
    if (!Number.isInteger(st.replicas) || st.replicas < 0) fail('jaeger.storage.replicas', st.replicas, 'use a whole number of replicas of 0 or more');
    if (!Number.isInteger(st.retentionDays) || st.retentionDays < 1) {
      fail(
        'jaeger.storage.retentionDays',
        st.retentionDays,
        'keep traces for a whole number of days of 1 or more (the clean-up job deletes daily indices older than that)',
      );
    }
    const schedule = st.cleanupSchedule ?? JAEGER_DEFAULTS.storage.cleanupSchedule;
    const parts = String(schedule).trim().split(/\s+/);
    if (parts.length !== 5 || !parts.every((p) => CRON_FIELD.test(p))) {
      fail('jaeger.storage.cleanupSchedule', schedule, `use a five-field cron schedule in UTC, such as "${JAEGER_DEFAULTS.storage.cleanupSchedule}"`);
    }
    const d = j as JaegerDistributedProfile;
    checks.checkWorkload('jaeger.collector', d.collector);
    checks.checkWorkload('jaeger.query', d.query);
    if (d.indexCleaner === undefined) fail('jaeger.indexCleaner', d.indexCleaner, 'set the resources of the daily index clean-up job');
    checks.checkResources('jaeger.indexCleaner.resources', d.indexCleaner.resources);
  } else {
    fail('jaeger.storage.kind', (st as { kind?: unknown } | undefined)?.kind, 'use "memory" (one process, lost on restart) or "elasticsearch"');
  }
}

/**
 * Sampling overrides must name a service that reports traces: an override keyed by any other name
 * matches no SDK and leaves that service at the default probability, silently.
 */
export function checkSamplingServices(j: JaegerProfile, known: readonly string[], fail: ProfileChecks['fail']): void {
  (j.sampling.services ?? JAEGER_DEFAULTS.sampling.services).forEach((o, i) => {
    if (known.includes(o.service)) return;
    const near = closest(o.service, known);
    const hint = near.length ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : '';
    fail(
      `jaeger.sampling.services[${i}].service`,
      o.service,
      `${hint}no service of the monitored system reports that service.name; use one of ${known.join(', ')}`,
    );
  });
}

const SAMPLING_KEYS: KeySchema<TraceSampling> = {
  fields: {
    defaultProbability: VALUE,
    services: { items: { fields: { service: VALUE, probability: VALUE, operations: { items: { fields: { operation: VALUE, probability: VALUE } } } } } },
  },
};

export const JAEGER_KEYS: KeySchema<JaegerProfile> = {
  by: 'storage.kind',
  members: {
    memory: { fields: { sampling: SAMPLING_KEYS, storage: { fields: { kind: VALUE, maxTraces: VALUE } }, allInOne: AGENT_KEYS } },
    elasticsearch: {
      fields: {
        sampling: SAMPLING_KEYS,
        storage: { fields: { kind: VALUE, indexPrefix: VALUE, shards: VALUE, replicas: VALUE, retentionDays: VALUE, cleanupSchedule: VALUE } },
        collector: WORKLOAD_KEYS,
        query: WORKLOAD_KEYS,
        indexCleaner: AGENT_KEYS,
      },
    },
  },
};
