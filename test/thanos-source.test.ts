/**
 * Every flag and objstore key the stack gives Thanos is one its source defines at the pinned tag
 * (test/support/thanos-source.ts); no Thanos binary runs here.
 */
import { parse } from 'yaml';
import { IMAGES } from '../lib/core/images';
import { EXTKINGPIN, OBJSTORE_PROVIDERS, OBJSTORE_TOP_KEYS, PROMETHEUS_SIDECAR_FLAGS, THANOS_FLAGS } from './support/thanos-source';
import { THANOS_TAG } from '../metrics/sources/thanos';
import { find, ofKind, podTemplates, synth } from './support/synth';

type Sub = keyof typeof THANOS_FLAGS;
const flagName = (arg: string): string => arg.replace(/^--/, '').split('=')[0];

describe.each(['staging', 'production'] as const)('Thanos in %s, held to its source at the pinned tag', (env) => {
  const { objects } = synth(env);
  const containers = podTemplates(objects).flatMap(({ owner, spec }) =>
    [...(spec.initContainers ?? []), ...spec.containers].map((c: any) => ({ owner: owner.metadata.name as string, c, spec })),
  );
  const thanos = containers.filter(({ c }) => String(c.image).includes(`/${IMAGES.thanos.repository}:`));

  it('runs the four Thanos programs', () => {
    expect(new Set(thanos.map(({ c }) => c.args[0]))).toEqual(new Set(['sidecar', 'query', 'store', 'compact']));
  });

  it('passes only flags the subcommand registers', () => {
    for (const { owner, c } of thanos) {
      const [sub, ...flags] = c.args as string[];
      const known = new Set(THANOS_FLAGS[sub as Sub].map((f) => f.flag));
      for (const f of flags) expect([owner, sub, flagName(f), known.has(flagName(f))]).toEqual([owner, sub, flagName(f), true]);
    }
  });

  it('writes objstore.yml with the keys its provider reads, and every $(VAR) it substitutes set from a Secret', () => {
    const files = ofKind(objects, 'ConfigMap').flatMap((cm: any) => Object.entries(cm.data ?? {}).filter(([k]) => k.endsWith('objstore.yml')));
    expect(files.length).toBeGreaterThan(0);
    for (const [, text] of files as Array<[string, string]>) {
      const doc = parse(text);
      for (const k of Object.keys(doc)) expect(OBJSTORE_TOP_KEYS).toContain(k);
      const provider = OBJSTORE_PROVIDERS[doc.type as keyof typeof OBJSTORE_PROVIDERS];
      expect([doc.type, provider !== undefined]).toEqual([doc.type, true]);
      for (const k of Object.keys(doc.config)) expect([doc.type, k, provider.keys.includes(k)]).toEqual([doc.type, k, true]);
      const vars = [...text.matchAll(/\$\(([A-Za-z_0-9]+)\)/g)].map((m) => m[1]);
      for (const { owner, c } of thanos.filter(({ c }) => (c.args as string[]).some((a) => a.startsWith('--objstore.config-file=')))) {
        for (const v of vars) {
          const e = (c.env ?? []).find((x: any) => x.name === v);
          expect([owner, v, e?.valueFrom?.secretKeyRef !== undefined && e?.value === undefined]).toEqual([owner, v, true]);
        }
      }
    }
  });

  it('lists Query endpoints in the endpoint.sd-config format, SRV lookups on the gRPC port name', () => {
    const query = find(objects, 'Deployment', 'thanos-query');
    const arg = (query.spec.template.spec.containers[0].args as string[]).find((a) => a.startsWith('--endpoint.sd-config-file='))!;
    const file = arg.split('=')[1].split('/').pop()!;
    const cm = ofKind(objects, 'ConfigMap').find((x: any) => x.data?.[file] !== undefined)!;
    const doc = parse(cm.data[file]);
    expect(Object.keys(doc)).toEqual(['endpoints']);
    for (const e of doc.endpoints) expect(e.address).toMatch(/^dnssrv\+_grpc\._tcp\.[a-z0-9.-]+$/);
  });

  it('runs Prometheus with equal 2h block durations, flags Prometheus v3.5.0 defines', () => {
    const args = find(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers.find((c: any) => c.name === 'prometheus').args as string[];
    for (const f of PROMETHEUS_SIDECAR_FLAGS) expect(args).toContain(`--${f.flag}=2h`);
    expect(IMAGES.prometheus.tag).toBe('v3.5.0');
  });
});

it('the fixture was read at the Thanos tag the stack runs, with the helpers its go.mod pins', () => {
  expect(IMAGES.thanos.tag).toBe(THANOS_TAG);
  expect(EXTKINGPIN.commit).toHaveLength(12);
});

it('local runs no Thanos', () => {
  const { objects } = synth('local');
  expect(
    podTemplates(objects)
      .flatMap(({ spec }) => spec.containers.map((c: any) => c.image))
      .filter((i: string) => i.includes('thanos')),
  ).toEqual([]);
});
