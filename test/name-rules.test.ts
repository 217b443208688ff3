/** One rule per kind of name: the profile and the Pulumi overrides accept and refuse the same storage classes. */
import { isStorageClassName } from '../lib/core/checks';
import { EnvironmentProfile, validateProfile } from '../lib/profile';
import { withOverrides } from '../lib/pulumi/overrides';
import { PROFILES } from '../stacks/environments';

const withClass = (storageClass: string): EnvironmentProfile => {
  const p = PROFILES.production;
  if (p.prometheus.storage.kind !== 'pvc') throw new Error('production keeps Prometheus on a PVC');
  return { ...p, prometheus: { ...p.prometheus, storage: { ...p.prometheus.storage, storageClass } } };
};

describe('storage class names', () => {
  it.each(['gp3', 'fast-ssd', 'ebs.csi.aws.com'])('"%s" is accepted by the profile and by the deployment override', (name) => {
    expect(isStorageClassName(name)).toBe(true);
    expect(() => validateProfile(withClass(name))).not.toThrow();
    expect(() => withOverrides(PROFILES.production, { storageClass: name })).not.toThrow();
  });

  it.each(['fast..ssd', 'Fast', '-ssd', 'ssd-', `${'a'.repeat(254)}`])('"%s" is refused by both, each naming where it came from', (name) => {
    expect(isStorageClassName(name)).toBe(false);
    expect(() => validateProfile(withClass(name))).toThrow(/profile "production": prometheus\.storage\.storageClass is .*use a storage class name/);
    expect(() => withOverrides(PROFILES.production, { storageClass: name }, { where: 'Pulumi stack "production"' })).toThrow(
      /Pulumi stack "production": storageClass is .*StorageClass/,
    );
  });
});
