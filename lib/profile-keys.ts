/**
 * The keys an environment profile may carry, at every depth, and the check that refuses any other.
 *
 * A profile is a TypeScript object literal, but synth runs it through tsx, which strips types
 * without checking them: a misspelt optional key (`retentionSizeGI: 180`) is then dropped without
 * a word, and the default it meant to override stays. The check here turns such a key into a
 * ConfigError with a did-you-mean and the keys allowed at that place.
 *
 * The schema is a typed constant, not a file generated from the types: `KeySchema<T>` maps every
 * key of `T` to a required entry, so `tsc --noEmit` (which `npm test` runs) fails when the
 * interfaces gain a key the schema lacks, or the schema lists one they do not declare (excess
 * property check). It needs no generator, no compiler at synth time (typescript is a
 * devDependency only), and the error shows where a new key must be added.
 */
import type {
  AlertmanagerProfile,
  EnvironmentProfile,
  GrafanaDatabase,
  GrafanaProfile,
  PrometheusProfile,
  Receiver,
  Resources,
  Storage,
  WorkloadProfile,
  AgentProfile,
} from './profile';
import type { LoggingProfile } from './components/logging/profile';
import type { JaegerProfile, TraceSampling } from './components/jaeger/profile';
import type { NetworkPeer, NetworkProfile } from './components/network-policies/profile';
import type { DependenciesProfile } from './components/exporters/profile';
import { closest } from './core/names';

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** A value whose inside the key check does not look at (a string, a number, a list of them). */
export const VALUE = 'value' as const;

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** Keys that every value of `M` carries. */
type RequiredKeys<M> = { [K in keyof M]-?: object extends Pick<M, K> ? never : K }[keyof M];
/** The members of union `T` that carry key `K`. */
type MembersWith<T, K extends PropertyKey> = T extends unknown ? (K extends RequiredKeys<T> ? T : never) : never;
/** Keys carried by exactly one member of union `T`: each tells its member apart. */
type TellingKeys<T> = { [K in T extends unknown ? RequiredKeys<T> : never]: true extends IsUnion<MembersWith<T, K>> ? never : K }[T extends unknown
  ? RequiredKeys<T>
  : never];

/**
 * How a union's members are told apart: by their `kind`, by the `kind` of their `storage`, or
 * (members without a tag) by a key only one member carries.
 */
type UnionSchema<T> = [T] extends [{ kind: string }]
  ? { readonly by: 'kind'; readonly members: { readonly [D in T['kind']]: ObjectSchema<Extract<T, { kind: D }>> } }
  : [T] extends [{ storage: { kind: string } }]
    ? { readonly by: 'storage.kind'; readonly members: { readonly [D in T['storage']['kind']]: ObjectSchema<Extract<T, { storage: { kind: D } }>> } }
    : { readonly by: 'key'; readonly members: { readonly [K in TellingKeys<T>]: ObjectSchema<MembersWith<T, K>> } };

type ObjectSchema<T> = { readonly fields: { readonly [K in keyof T]-?: KeySchema<T[K]> } };

/** The schema of a value of type `T`: exactly its keys, each with the schema of its value. */
export type KeySchema<T> = [NonNullable<T>] extends [Primitive]
  ? typeof VALUE
  : NonNullable<T> extends readonly (infer E)[]
    ? [E] extends [Primitive]
      ? typeof VALUE
      : { readonly items: KeySchema<E> }
    : string extends keyof NonNullable<T>
      ? [NonNullable<T>[string]] extends [Primitive | readonly Primitive[]]
        ? typeof VALUE
        : { readonly values: KeySchema<NonNullable<T>[string]> }
      : true extends IsUnion<NonNullable<T>>
        ? UnionSchema<NonNullable<T>>
        : ObjectSchema<NonNullable<T>>;

/** Any schema, as the check walks it. */
export type AnySchema =
  | typeof VALUE
  | { readonly fields: Readonly<Record<string, AnySchema>> }
  | { readonly items: AnySchema }
  | { readonly values: AnySchema }
  | { readonly by: 'kind' | 'storage.kind' | 'key'; readonly members: Readonly<Record<string, { readonly fields: Readonly<Record<string, AnySchema>> }>> };

const RESOURCES: KeySchema<Resources> = {
  fields: { requests: { fields: { cpu: VALUE, memory: VALUE } }, limits: { fields: { cpu: VALUE, memory: VALUE } } },
};
const WORKLOAD: KeySchema<WorkloadProfile> = { fields: { replicas: VALUE, resources: RESOURCES } };
const AGENT: KeySchema<AgentProfile> = { fields: { resources: RESOURCES } };
const STORAGE: KeySchema<Storage> = {
  by: 'kind',
  members: {
    emptyDir: { fields: { kind: VALUE, sizeLimitGi: VALUE } },
    pvc: { fields: { kind: VALUE, sizeGi: VALUE, storageClass: VALUE } },
  },
};

const PROMETHEUS: KeySchema<PrometheusProfile> = {
  fields: { replicas: VALUE, resources: RESOURCES, storage: STORAGE, retention: VALUE, retentionSizeGi: VALUE, externalUrl: VALUE },
};
const ALERTMANAGER: KeySchema<AlertmanagerProfile> = { fields: { replicas: VALUE, resources: RESOURCES, storage: STORAGE, externalUrl: VALUE } };
const GRAFANA_DATABASE: KeySchema<GrafanaDatabase> = {
  by: 'kind',
  members: {
    sqlite: { fields: { kind: VALUE } },
    postgres: { fields: { kind: VALUE, host: VALUE, database: VALUE, user: VALUE, secretName: VALUE, sslMode: VALUE } },
  },
};
const GRAFANA: KeySchema<GrafanaProfile> = {
  fields: { replicas: VALUE, resources: RESOURCES, storage: STORAGE, database: GRAFANA_DATABASE, externalUrl: VALUE },
};

const RECEIVER: KeySchema<Receiver> = {
  by: 'kind',
  members: {
    null: { fields: { kind: VALUE, name: VALUE } },
    webhook: { fields: { kind: VALUE, name: VALUE, url: VALUE, sendResolved: VALUE, authorization: { fields: { type: VALUE, secretKey: VALUE } } } },
    slack: { fields: { kind: VALUE, name: VALUE, channel: VALUE, secretKey: VALUE, sendResolved: VALUE } },
    pagerduty: { fields: { kind: VALUE, name: VALUE, secretKey: VALUE } },
    opsgenie: { fields: { kind: VALUE, name: VALUE, secretKey: VALUE, priority: VALUE } },
  },
};

const LOGGING: KeySchema<LoggingProfile> = {
  fields: {
    elasticsearch: {
      fields: {
        nodes: VALUE,
        resources: RESOURCES,
        heapMi: VALUE,
        storage: STORAGE,
        retentionDays: VALUE,
        rolloverShardSizeGi: VALUE,
        httpTls: VALUE,
        maxMapCount: VALUE,
        clusterFormed: VALUE,
      },
    },
    kibana: WORKLOAD,
    fluentd: {
      fields: {
        resources: RESOURCES,
        buffer: { fields: { totalLimitGi: VALUE, chunkLimitMi: VALUE, flushInterval: VALUE, retryMaxInterval: VALUE, flushThreads: VALUE } },
        hostPath: VALUE,
      },
    },
    elasticsearchExporter: AGENT,
  },
};

const SAMPLING: KeySchema<TraceSampling> = {
  fields: {
    defaultProbability: VALUE,
    services: { items: { fields: { service: VALUE, probability: VALUE, operations: { items: { fields: { operation: VALUE, probability: VALUE } } } } } },
  },
};
const JAEGER: KeySchema<JaegerProfile> = {
  by: 'storage.kind',
  members: {
    memory: { fields: { sampling: SAMPLING, storage: { fields: { kind: VALUE, maxTraces: VALUE } }, allInOne: AGENT } },
    elasticsearch: {
      fields: {
        sampling: SAMPLING,
        storage: { fields: { kind: VALUE, indexPrefix: VALUE, shards: VALUE, replicas: VALUE, retentionDays: VALUE, cleanupSchedule: VALUE } },
        collector: WORKLOAD,
        query: WORKLOAD,
        indexCleaner: AGENT,
      },
    },
  },
};

const PEER: KeySchema<NetworkPeer> = {
  by: 'key',
  members: {
    namespace: { fields: { namespace: VALUE, podLabels: VALUE } },
    cidr: { fields: { cidr: VALUE, except: VALUE } },
  },
};
const NETWORK: KeySchema<NetworkProfile> = {
  fields: {
    monitoredNamespaces: VALUE,
    uiClients: { items: PEER },
    apiServer: { fields: { cidrs: VALUE, ports: VALUE } },
    nodeCidrs: VALUE,
    receiverEgress: { fields: { cidrs: VALUE, except: VALUE, ports: VALUE } },
    pushgatewayClients: { items: PEER },
    dns: { fields: { namespace: VALUE, podLabels: VALUE } },
    nodeLocalDns: VALUE,
    externalHosts: VALUE,
  },
};

const DEPENDENCIES: KeySchema<DependenciesProfile> = {
  fields: {
    postgres: {
      items: {
        fields: {
          name: VALUE,
          host: VALUE,
          database: VALUE,
          user: VALUE,
          secretName: VALUE,
          passwordKey: VALUE,
          sslMode: VALUE,
          caSecretName: VALUE,
          caKey: VALUE,
          statStatements: VALUE,
        },
      },
    },
    redis: {
      items: { fields: { name: VALUE, address: VALUE, tls: VALUE, caSecretName: VALUE, caKey: VALUE, secretName: VALUE, passwordKey: VALUE, user: VALUE } },
    },
    kafka: {
      items: {
        fields: {
          name: VALUE,
          brokers: VALUE,
          version: VALUE,
          tls: { fields: { caSecretName: VALUE, caKey: VALUE } },
          sasl: { fields: { mechanism: VALUE, user: VALUE, secretName: VALUE, passwordKey: VALUE } },
        },
      },
    },
    influxdb: { items: { fields: { name: VALUE, namespace: VALUE, service: VALUE, port: VALUE } } },
    services: { items: { fields: { name: VALUE, url: VALUE, healthPath: VALUE, readinessPath: VALUE } } },
    synthetic: {
      items: {
        fields: {
          name: VALUE,
          service: VALUE,
          url: VALUE,
          method: VALUE,
          headers: VALUE,
          body: VALUE,
          expectStatus: VALUE,
          expectBody: VALUE,
          interval: VALUE,
        },
      },
    },
    exporterResources: RESOURCES,
  },
};

/** Every key an environment profile may carry. */
export const PROFILE_KEYS: KeySchema<EnvironmentProfile> = {
  fields: {
    name: VALUE,
    phase: VALUE,
    description: VALUE,
    namespace: VALUE,
    imageRegistry: VALUE,
    scrapeInterval: VALUE,
    evaluationInterval: VALUE,
    externalLabels: VALUE,
    spread: VALUE,
    prometheus: PROMETHEUS,
    alertmanager: ALERTMANAGER,
    grafana: GRAFANA,
    nodeExporter: AGENT,
    kubeStateMetrics: WORKLOAD,
    pushgateway: { fields: { resources: RESOURCES, persistenceInterval: VALUE } },
    alerting: {
      fields: {
        receivers: { items: RECEIVER },
        critical: VALUE,
        warning: VALUE,
        info: VALUE,
        watchdog: VALUE,
        groupWait: VALUE,
        groupInterval: VALUE,
        criticalRepeatInterval: VALUE,
        repeatInterval: VALUE,
      },
    },
    logging: LOGGING,
    jaeger: JAEGER,
    dependencies: DEPENDENCIES,
    network: NETWORK,
  },
};

/** A key the schema does not allow where it was found. */
export interface UnknownKey {
  /** Dotted path of the key, as ConfigErrors name fields: `prometheus.retentionSizeGI`. */
  readonly field: string;
  readonly value: unknown;
  /** The fix: a did-you-mean and the keys allowed there. */
  readonly fix: string;
  /**
   * When the key belongs to another member of the union at that place (`sizeGi` on an emptyDir,
   * `collector` beside memory trace storage): that member, as `kind "pvc"`.
   */
  readonly otherMember?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type UnionNode = Extract<AnySchema, { by: string }>;

/** How a union names one of its members in messages: `kind "pvc"`, `storage.kind "memory"`, `the one with "cidr"`. */
function memberName(schema: UnionNode, tag: string): string {
  return schema.by === 'key' ? `the one with "${tag}"` : `${schema.by} "${tag}"`;
}

/** The tag of the member a value selects; undefined when it selects none (the value checks report that). */
function tagOf(schema: UnionNode, v: Record<string, unknown>): string | undefined {
  const tags = Object.keys(schema.members);
  if (schema.by === 'key') return tags.find((t) => t in v);
  const tag = schema.by === 'kind' ? v.kind : isObject(v.storage) ? v.storage.kind : undefined;
  return typeof tag === 'string' && Object.prototype.hasOwnProperty.call(schema.members, tag) ? tag : undefined;
}

/**
 * Every key of `value` that `schema` does not allow, depth first in the order the keys were
 * written. `at` is the path of `value` itself.
 */
export function findUnknownKeys(value: unknown, schema: AnySchema, at = ''): UnknownKey[] {
  if (schema === VALUE || value === undefined || value === null) return [];
  const child = (k: string) => (at === '' ? k : `${at}.${k}`);
  if ('items' in schema) return Array.isArray(value) ? value.flatMap((v, i) => findUnknownKeys(v, schema.items, `${at}[${i}]`)) : [];
  if (!isObject(value)) return [];
  if ('values' in schema) return Object.entries(value).flatMap(([k, v]) => findUnknownKeys(v, schema.values, child(k)));
  let fields: Readonly<Record<string, AnySchema>>;
  let place = at === '' ? 'a profile' : at;
  let others: Array<[string, Readonly<Record<string, AnySchema>>]> = [];
  if ('by' in schema) {
    const tag = tagOf(schema, value);
    if (tag === undefined) return [];
    fields = schema.members[tag].fields;
    place = `${place} (${memberName(schema, tag)})`;
    others = Object.entries(schema.members)
      .filter(([t]) => t !== tag)
      .map(([t, m]) => [memberName(schema, t), m.fields]);
  } else {
    fields = schema.fields;
  }
  const known = Object.keys(fields);
  const out: UnknownKey[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (Object.prototype.hasOwnProperty.call(fields, k)) {
      out.push(...findUnknownKeys(v, fields[k], child(k)));
      continue;
    }
    if (v === undefined) continue; // says nothing, whatever its name
    const otherMember = others.find(([, f]) => Object.prototype.hasOwnProperty.call(f, k))?.[0];
    const near = closest(k, known);
    const hint = near.length ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : '';
    const belongs = otherMember ? `; "${k}" belongs to ${otherMember}` : '';
    out.push({ field: child(k), value: v, fix: `${hint}no such key: ${place} takes ${known.join(', ')}${belongs}`, ...(otherMember ? { otherMember } : {}) });
  }
  return out;
}

/** Every unknown key of a profile, anywhere in it. */
export function unknownProfileKeys(profile: unknown): UnknownKey[] {
  return findUnknownKeys(profile, PROFILE_KEYS as AnySchema);
}
