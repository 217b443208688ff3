import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { Elasticsearch } from '../lib/components/elasticsearch/elasticsearch';
import { Kibana } from '../lib/components/kibana/kibana';
import { IMAGES } from '../lib/core/images';
import { StackContext } from '../lib/core/k8s';
import { EnvironmentProfile, validateProfile } from '../lib/profile';
import { PROFILES } from '../stacks/environments';
import { synthesize } from '../stacks/main';
import { alter } from './support/synth';

const cases: Array<[string, EnvironmentProfile, RegExp]> = [
  [
    'a heap above half the memory limit',
    alter(PROFILES.production, (p) => (p.logging.elasticsearch.heapMi = 5120)),
    /^profile "production": logging\.elasticsearch\.heapMi is 5120; use at most 4096 \(half the memory limit 8Gi\): the other half is Lucene's file cache; or raise the limit$/,
  ],
  [
    'an even number of master-eligible nodes',
    alter(PROFILES.staging, (p) => (p.logging.elasticsearch.nodes = 4)),
    /^profile "staging": logging\.elasticsearch\.nodes is 4; use an odd number of master-eligible nodes \(3 or 5\) so that a majority survives losing one$/,
  ],
  [
    'a retention of 0 days',
    alter(PROFILES.production, (p) => (p.logging.elasticsearch.retentionDays = 0)),
    /^profile "production": logging\.elasticsearch\.retentionDays is 0; use a whole number of days, 1 or more/,
  ],
  [
    'a Fluentd buffer cap of 0',
    alter(PROFILES.local, (p) => (p.logging.fluentd.buffer.totalLimitGi = 0)),
    /^profile "local": logging\.fluentd\.buffer\.totalLimitGi is 0; use a positive number of GiB/,
  ],
  [
    'a Kibana memory limit below its request',
    alter(PROFILES.staging, (p) => (p.logging.kibana.resources.limits.memory = '256Mi')),
    /^profile "staging": logging\.kibana\.resources\.limits\.memory is "256Mi"; use a limit at least as large as the request \(1Gi\)$/,
  ],
];

describe('a bad logging profile fails synth, naming the field and the fix, and writes nothing', () => {
  it.each(cases)('%s', (_what, profile, message) => {
    expect(() => validateProfile(profile)).toThrow(message);
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    synthesize(dist, [PROFILES.local]);
    const before = fs.readdirSync(path.join(dist, 'local')).sort();
    expect(() => synthesize(dist, [PROFILES.local, profile])).toThrow(message);
    expect(fs.readdirSync(dist).filter((d) => !d.startsWith('.'))).toEqual(['local']);
    expect(fs.readdirSync(path.join(dist, 'local')).sort()).toEqual(before);
  });

  it('takes one node and odd numbers, and a heap of exactly half the limit', () => {
    for (const nodes of [1, 3, 5]) expect(() => validateProfile(alter(PROFILES.staging, (p) => (p.logging.elasticsearch.nodes = nodes)))).not.toThrow();
    expect(() => validateProfile(alter(PROFILES.staging, (p) => (p.logging.elasticsearch.heapMi = 1024)))).not.toThrow();
  });
});

describe('Kibana and Elasticsearch of different versions', () => {
  const ctx: StackContext = { namespace: 'monitoring', instance: 'test', partOf: 'test', spread: 'preferred' };

  it('fail synth, naming the Kibana image tag and the version to use', () => {
    const chart = new Chart(new App(), 'test');
    const es = new Elasticsearch(chart, 'elasticsearch', { ctx, profile: PROFILES.production.logging.elasticsearch });
    expect(
      () => new Kibana(chart, 'kibana', { ctx, profile: PROFILES.production.logging.kibana, elasticsearch: es, image: { ...IMAGES.kibana, tag: '8.18.4' } }),
    ).toThrow(
      `kibana: image.tag is "8.18.4"; use the Elasticsearch version ${IMAGES.elasticsearch.tag} (lib/core/images.ts): Kibana refuses to start against a different version`,
    );
  });

  it('refuse an Elasticsearch client asking for superuser power', () => {
    const chart = new Chart(new App(), 'test');
    const es = new Elasticsearch(chart, 'elasticsearch', { ctx, profile: PROFILES.local.logging.elasticsearch });
    expect(() => es.addClient({ name: 'greedy', indices: ['*'], indexPrivileges: ['all'] })).toThrow(
      /elasticsearch client "greedy": privileges is .*"all".*; grant only what the client needs/,
    );
    es.addClient({ name: 'jaeger', indices: ['jaeger-*'], indexPrivileges: ['create_doc', 'read'] });
    expect(() => es.addClient({ name: 'jaeger', indices: ['jaeger-*'], indexPrivileges: ['read'] })).toThrow(/name is "jaeger"; register every client once/);
  });
});
