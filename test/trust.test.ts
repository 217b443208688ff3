import { caMountsOf, caTrust, caVolumesOf, optionalCaTrust } from '../lib/core/trust';
import { elasticsearchCaTrust } from '../lib/components/elasticsearch/client';
import { find, synth } from './support/synth';

describe('trusting a CA from a Secret', () => {
  it('mounts only the certificate, read-only and not world-readable, and points the program at that file', () => {
    const ca = caTrust({ secretName: 'pg-ca' }, { volumeName: 'server-ca', mountPath: '/etc/postgres-exporter/ca' });
    expect(ca.volume).toEqual({ name: 'server-ca', secret: { secretName: 'pg-ca', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(ca.mount).toEqual({ name: 'server-ca', mountPath: '/etc/postgres-exporter/ca', readOnly: true });
    expect(ca.file).toBe('/etc/postgres-exporter/ca/ca.crt');
    expect(ca.secret).toEqual({ secretName: 'pg-ca', key: 'ca.crt' });
  });

  it('finds the certificate under its own key, or under the file name the program expects', () => {
    expect(caTrust({ secretName: 's', key: 'root.pem' }, { volumeName: 'v', mountPath: '/ca' }).file).toBe('/ca/root.pem');
    const renamed = caTrust({ secretName: 's', key: 'root.pem' }, { volumeName: 'v', mountPath: '/ca', fileName: 'ca.crt', mode: 0o444 });
    expect(renamed.file).toBe('/ca/ca.crt');
    expect(renamed.volume.secret).toEqual({ secretName: 's', defaultMode: 0o444, items: [{ key: 'root.pem', path: 'ca.crt' }] });
  });

  it('can mount the whole Secret, each key under its own name, but then cannot rename the file', () => {
    const whole = caTrust({ secretName: 'elasticsearch-ca' }, { volumeName: 'ca', mountPath: '/ca', onlyKey: false });
    expect(whole.volume.secret).toEqual({ secretName: 'elasticsearch-ca', defaultMode: 0o440 });
    expect(whole.file).toBe('/ca/ca.crt');
    expect(() => caTrust({ secretName: 's', key: 'a.pem' }, { volumeName: 'ca', mountPath: '/ca', onlyKey: false, fileName: 'b.pem' })).toThrow(
      /needs onlyKey/,
    );
  });

  it('adds nothing to the pod when there is no CA to trust', () => {
    const none = optionalCaTrust(undefined, { volumeName: 'ca', mountPath: '/ca' });
    expect(none).toBeUndefined();
    expect(caVolumesOf(none)).toEqual([]);
    expect(caMountsOf(none)).toEqual([]);
  });
});

describe("Elasticsearch's CA as its clients mount it", () => {
  it('is absent when HTTP is plain (local)', () => {
    expect(elasticsearchCaTrust(synth('local').stack.logging.elasticsearch, 'ca', '/ca')).toBeUndefined();
  });

  it('is what Jaeger, Fluentd and the exporter mount in production: ca.crt, readable by any user', () => {
    const { objects, stack } = synth('production');
    const es = stack.logging.elasticsearch;
    const expected = [
      ['Deployment', 'jaeger-collector', 'es-ca', '/etc/jaeger/elasticsearch-ca'],
      ['DaemonSet', 'fluentd', 'ca', '/var/run/secrets/elasticsearch-ca'],
      ['Deployment', 'elasticsearch-exporter', 'ca', '/var/run/secrets/elasticsearch-ca'],
    ] as const;
    for (const [kind, name, volume, dir] of expected) {
      const ca = elasticsearchCaTrust(es, volume, dir)!;
      const pod = find(objects, kind, name).spec.template.spec;
      expect(pod.volumes).toContainEqual(ca.volume);
      expect(pod.containers[0].volumeMounts).toContainEqual(ca.mount);
    }
  });
});
