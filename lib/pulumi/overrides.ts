/**
 * Per-deployment values that are not part of an environment's definition: the namespace, the
 * storage class of every volume claim and the image registry mirror of one cluster. They are
 * applied to the profile before the chart is built, so the chart (and everything derived from it:
 * object names, URLs, scrape targets) is the same as if the profile had said so, and they are
 * validated by the profile's own rules, with errors that name where the value came from.
 */
import { isStorageClassName } from '../core/checks';
import { ConfigError } from '../core/errors';
import { EnvironmentProfile, validateProfile } from '../profile';

export interface DeploymentOverrides {
  /** Namespace of every namespaced object. @default - the profile's namespace */
  readonly namespace?: string;
  /**
   * Storage class of every PersistentVolumeClaim of the profile, whichever component it belongs
   * to (every `{ kind: 'pvc' }` storage, found by shape). @default - the profile's classes
   */
  readonly storageClass?: string;
  /** Registry host (and path) that replaces every image's registry. @default - the profile's */
  readonly imageRegistry?: string;
}

export type OverrideName = keyof DeploymentOverrides;

export const OVERRIDE_NAMES: readonly OverrideName[] = ['namespace', 'storageClass', 'imageRegistry'];

export interface OverrideSource {
  /** Where the values come from, for error messages: `Pulumi stack "production"`. @default 'deployment overrides' */
  readonly where?: string;
  /** How the source names a value, for error messages: `grekko-monitoring:storageClass`. @default - the override's name */
  readonly keyOf?: (name: OverrideName) => string;
}

export interface OverriddenProfile {
  readonly profile: EnvironmentProfile;
  /** Overrides that changed nothing in this profile (a storage class where nothing is persisted). */
  readonly unused: readonly OverrideName[];
}

/**
 * Returns a copy of `profile` with the overrides applied, validated: a bad override throws a
 * ConfigError naming its source and key (not the profile field it lands in), before anything is
 * built.
 */
export function withOverrides(profile: EnvironmentProfile, overrides: DeploymentOverrides, source: OverrideSource = {}): OverriddenProfile {
  const where = source.where ?? 'deployment overrides';
  const keyOf = source.keyOf ?? ((n: OverrideName) => n);
  const sc = overrides.storageClass;
  if (sc !== undefined && !isStorageClassName(sc)) {
    throw new ConfigError(
      where,
      keyOf('storageClass'),
      sc,
      'use the name of a StorageClass of the cluster (`kubectl get storageclass`): lowercase letters, digits, "-" and "."',
    );
  }

  let claims = 0;
  const setClass = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(setClass);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) copy[k] = setClass(v);
    if (copy.kind === 'pvc' && typeof copy.sizeGi === 'number') {
      claims++;
      if (sc !== undefined) copy.storageClass = sc;
    }
    return copy;
  };
  const p = {
    ...(setClass(profile) as EnvironmentProfile),
    ...(overrides.namespace !== undefined ? { namespace: overrides.namespace } : {}),
    ...(overrides.imageRegistry !== undefined ? { imageRegistry: overrides.imageRegistry } : {}),
  };

  try {
    validateProfile(p);
  } catch (err) {
    const name = err instanceof ConfigError ? overrideBehind(err.field) : undefined;
    if (err instanceof ConfigError && name !== undefined && overrides[name] !== undefined) {
      throw new ConfigError(where, keyOf(name), overrides[name], err.fix);
    }
    throw err;
  }
  return { profile: p, unused: sc !== undefined && claims === 0 ? ['storageClass'] : [] };
}

/** The override a profile field comes from, if any. */
function overrideBehind(field: string): OverrideName | undefined {
  if (field === 'namespace') return 'namespace';
  if (field === 'imageRegistry') return 'imageRegistry';
  if (field.endsWith('storageClass')) return 'storageClass';
  return undefined;
}
