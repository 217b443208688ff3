/**
 * The keys a profile may carry, at every depth, and the check that refuses any other.
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
 * devDependency only), and the error shows where a new key must be added. Each component's
 * profile file declares the schema of its own part beside its type; lib/profile.ts composes them.
 */
import { closest } from './names';
import type { AgentProfile, Resources, Storage, WorkloadProfile } from './workload';

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

export const RESOURCES_KEYS: KeySchema<Resources> = {
  fields: { requests: { fields: { cpu: VALUE, memory: VALUE } }, limits: { fields: { cpu: VALUE, memory: VALUE } } },
};
export const WORKLOAD_KEYS: KeySchema<WorkloadProfile> = { fields: { replicas: VALUE, resources: RESOURCES_KEYS } };
export const AGENT_KEYS: KeySchema<AgentProfile> = { fields: { resources: RESOURCES_KEYS } };
export const STORAGE_KEYS: KeySchema<Storage> = {
  by: 'kind',
  members: {
    emptyDir: { fields: { kind: VALUE, sizeLimitGi: VALUE } },
    pvc: { fields: { kind: VALUE, sizeGi: VALUE, storageClass: VALUE } },
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
