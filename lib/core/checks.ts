/**
 * The checks every part of a profile is validated with, so that every message has one shape:
 * `<where>: <field> is <value>; <fix>` (a ConfigError). Each component's validator receives them
 * from validateProfile (lib/profile.ts) and reports through `fail`.
 */
import { ConfigError } from './errors';
import { DNS_SUBDOMAIN } from './syntax';
import { isDuration, parseDuration, parseQuantity } from './units';
import type { Resources, Storage, WorkloadProfile } from './workload';

/** Throws the profile's ConfigError for one field. */
export type Fail = (field: string, value: unknown, fix: string) => never;

export interface ProfileChecks {
  /** Where the profile comes from, as messages name it: `profile "production"`. */
  readonly where: string;
  readonly fail: Fail;
  /** Replicas (a whole number of 1 or more) and resources. */
  readonly checkWorkload: (field: string, w: WorkloadProfile) => void;
  /** Requests and limits for cpu and memory, each a positive quantity, limits at least the requests. */
  readonly checkResources: (field: string, r: Resources) => void;
  /** An emptyDir (optional size limit) or a PVC (size, optional storage class). */
  readonly checkStorage: (field: string, s: Storage) => void;
  /** A positive number of GiB. */
  readonly checkPositive: (field: string, n: number) => void;
  /** A Prometheus duration; with `positive`, above zero. */
  readonly checkDuration: (field: string, d: string, opts?: { positive: boolean }) => void;
}

/** A StorageClass name: a DNS subdomain of at most 253 characters. */
export function isStorageClassName(name: unknown): boolean {
  return typeof name === 'string' && DNS_SUBDOMAIN.test(name) && name.length <= 253;
}

/** The checks of one profile; `where` opens every message. */
export function profileChecks(where: string): ProfileChecks {
  const fail: Fail = (field, value, fix) => {
    throw new ConfigError(where, field, value, fix);
  };

  const checkResources = (field: string, r: Resources): void => {
    if (r === undefined) fail(field, r, 'set requests and limits for cpu and memory');
    for (const res of ['cpu', 'memory'] as const) {
      const req = r.requests?.[res];
      const lim = r.limits?.[res];
      const reqV = parseQuantity(req);
      const limV = parseQuantity(lim);
      if (reqV === undefined || reqV <= 0)
        fail(`${field}.requests.${res}`, req, `use a positive Kubernetes quantity such as ${res === 'cpu' ? '"100m"' : '"256Mi"'}`);
      if (limV === undefined || limV <= 0)
        fail(`${field}.limits.${res}`, lim, `use a positive Kubernetes quantity such as ${res === 'cpu' ? '"500m"' : '"512Mi"'}`);
      if ((limV as number) < (reqV as number)) fail(`${field}.limits.${res}`, lim, `use a limit at least as large as the request (${req})`);
    }
  };

  const checkWorkload = (field: string, w: WorkloadProfile): void => {
    if (w === undefined) fail(field, w, 'define this component in the profile');
    if (!Number.isInteger(w.replicas) || w.replicas < 1) fail(`${field}.replicas`, w.replicas, 'use a whole number of 1 or more');
    checkResources(`${field}.resources`, w.resources);
  };

  const checkPositive = (field: string, n: number): void => {
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) fail(field, n, 'use a positive number of GiB');
  };

  const checkStorage = (field: string, s: Storage): void => {
    if (s?.kind === 'emptyDir') {
      if (s.sizeLimitGi !== undefined) checkPositive(`${field}.sizeLimitGi`, s.sizeLimitGi);
    } else if (s?.kind === 'pvc') {
      checkPositive(`${field}.sizeGi`, s.sizeGi);
      if (s.storageClass !== undefined && !isStorageClassName(s.storageClass)) {
        fail(`${field}.storageClass`, s.storageClass, 'use a storage class name: lowercase letters, digits, "-" and "."');
      }
    } else {
      fail(`${field}.kind`, (s as { kind?: unknown } | undefined)?.kind, 'use "emptyDir" or "pvc"');
    }
  };

  const checkDuration = (field: string, d: string, opts: { positive: boolean } = { positive: false }): void => {
    if (!isDuration(d)) fail(field, d, 'use a Prometheus duration such as "30s", "5m", "12h" or "30d" (units y, w, d, h, m, s, ms)');
    if (opts.positive && (parseDuration(d) as number) <= 0) fail(field, d, 'use a duration above zero');
  };

  return { where, fail, checkWorkload, checkResources, checkStorage, checkPositive, checkDuration };
}
