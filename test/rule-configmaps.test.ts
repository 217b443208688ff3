import { parse } from 'yaml';
import { ConfigError } from '../lib/core/errors';
import { RULE_CONFIGMAP_BUDGET, RuleFileText, entryBytes, packRuleFiles, ruleConfigMapName, splitRuleFile } from '../lib/components/prometheus/rule-configmaps';
import { PROFILES } from '../stacks/environments';
import { KubeObject, checkObjectSize, writeEnvironments } from '../lib/synth';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ruleYaml } from '../lib/components/prometheus/rule-yaml';
import { toYaml } from '../lib/core/k8s';
import { ruleFiles } from '../alerts';
import { grafanaPublicUrl } from '../lib/components/grafana/grafana';
import { ENVIRONMENTS, buildTestStack } from './support/synth';
import { schemaProblems } from './support/schema';
import { metricNames, parsePromQL, parseShape, syntaxTree } from '../lib/rules/promql';

/** A rule group of `n` recording rules of about `bytes` bytes each. */
const group = (name: string, n: number, bytes = 100) => ({
  name,
  rules: Array.from({ length: n }, (_, i) => ({ record: 'x:padding:count', expr: 'vector(1)', labels: { rule: String(i), pad: 'x'.repeat(bytes) } })),
});
const file = (fileName: string, bytes: number): RuleFileText => ({ fileName, text: 'x'.repeat(bytes - fileName.length) });

describe('splitRuleFile', () => {
  it('keeps a file within the budget whole, under its own name', () => {
    const parts = splitRuleFile('services.yaml', { groups: [group('a', 3)] }, 10_000);
    expect(parts.map((p) => p.fileName)).toEqual(['services.yaml']);
    expect(parse(parts[0].text).groups.map((g: { name: string }) => g.name)).toEqual(['a']);
  });

  it('cuts a file over the budget by rule group into numbered files, each within the budget, keeping every group once and in order', () => {
    const content = { groups: ['a', 'b', 'c', 'd', 'e'].map((g) => group(g, 10)) };
    const parts = splitRuleFile('slos.yaml', content, 4_000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.fileName)).toEqual(parts.map((_, i) => `slos-${i + 1}.yaml`));
    for (const p of parts) expect(entryBytes(p)).toBeLessThanOrEqual(4_000);
    expect(parts.flatMap((p) => parse(p.text).groups)).toEqual(content.groups);
  });

  it('gives the same files for the same content', () => {
    const content = { groups: ['a', 'b', 'c'].map((g) => group(g, 10)) };
    expect(splitRuleFile('slos.yaml', content, 3_000)).toEqual(splitRuleFile('slos.yaml', content, 3_000));
  });

  it('fails on a single group too large for one ConfigMap, naming the group, its size and the fix', () => {
    const run = () => splitRuleFile('slos.yaml', { groups: [group('small', 1), group('huge', 100)] }, 4_000);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /^prometheus rule group "huge" of slos\.yaml: size is "\d+ bytes"; a rule group must fit in one rules ConfigMap \(4000 bytes\): split the group/,
    );
  });
});

describe('packRuleFiles', () => {
  const files = [file('a.yaml', 600), file('b.yaml', 500), file('c.yaml', 400), file('d.yaml', 300), file('e.yaml', 200)];

  it('puts every file in exactly one ConfigMap, each within the budget', () => {
    const bins = packRuleFiles(files, 1_000);
    expect(
      bins
        .flat()
        .map((f) => f.fileName)
        .sort(),
    ).toEqual(files.map((f) => f.fileName));
    for (const b of bins) expect(b.reduce((n, f) => n + entryBytes(f), 0)).toBeLessThanOrEqual(1_000);
  });

  it('needs no more ConfigMaps than the sizes force: 2 000 bytes in 1 000-byte ConfigMaps take 2', () => {
    expect(packRuleFiles(files, 1_000)).toHaveLength(2);
  });

  it('packs the same files the same way whatever order they come in, each ConfigMap sorted by file name', () => {
    const bins = packRuleFiles(files, 1_000);
    expect(packRuleFiles([...files].reverse(), 1_000)).toEqual(bins);
    for (const b of bins) expect(b.map((f) => f.fileName)).toEqual(b.map((f) => f.fileName).sort());
  });

  it('keeps everything in one ConfigMap when it fits', () => {
    expect(packRuleFiles(files, RULE_CONFIGMAP_BUDGET)).toEqual([files]);
  });

  it('fails on a file over the budget', () => {
    expect(() => packRuleFiles([file('big.yaml', 2_000)], 1_000)).toThrow(
      /^prometheus rule file "big\.yaml": size is "2000 bytes"; keep each rule file under 1000 bytes/,
    );
  });

  it('stays well under the 1 MiB object limit', () => {
    expect(RULE_CONFIGMAP_BUDGET).toBeLessThanOrEqual(1024 * 1024 * 0.6);
  });
});

describe('ruleConfigMapName', () => {
  it('keeps the first ConfigMap its plain name and numbers the others from 2', () => {
    expect([0, 1, 2].map((i) => ruleConfigMapName('prometheus-rules', i))).toEqual(['prometheus-rules', 'prometheus-rules-2', 'prometheus-rules-3']);
  });
});

describe('the Prometheus construct', () => {
  const ruleMaps = (objects: KubeObject[]) => objects.filter((o) => o.kind === 'ConfigMap' && /^prometheus-rules(-\d+)?$/.test(o.metadata.name!));
  const rulesVolume = (objects: KubeObject[]) =>
    (objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus') as any).spec.template.spec.volumes.find((v: any) => v.name === 'rules');

  it('mounts one ConfigMap, prometheus-rules, while the rules fit in it', () => {
    const objects = buildTestStack(PROFILES.production).stack.toJson() as KubeObject[];
    expect(ruleMaps(objects).map((o) => o.metadata.name)).toEqual(['prometheus-rules']);
    expect(rulesVolume(objects)).toEqual({ name: 'rules', configMap: { name: 'prometheus-rules' } });
  });

  it('spreads larger rules over several ConfigMaps, each within the budget, mounted together through one projected volume', () => {
    const { stack } = buildTestStack(PROFILES.production);
    for (const f of ['bulk-a', 'bulk-b', 'bulk-c']) stack.prometheus.addRuleFile({ fileName: `${f}.yaml`, content: { groups: [group(f, 300, 1000)] } });
    const objects = stack.toJson() as KubeObject[];
    const maps = ruleMaps(objects);
    expect(maps.map((o) => o.metadata.name)).toEqual(['prometheus-rules', 'prometheus-rules-2', 'prometheus-rules-3']);
    for (const m of maps) {
      const data = (m as any).data as Record<string, string>;
      expect(Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0)).toBeLessThanOrEqual(RULE_CONFIGMAP_BUDGET);
    }
    expect(rulesVolume(objects)).toEqual({ name: 'rules', projected: { sources: maps.map((m) => ({ configMap: { name: m.metadata.name } })) } });
    expect(schemaProblems(objects)).toEqual([]);
    expect(Object.keys(stack.prometheus.ruleFileData())).toEqual(expect.arrayContaining(['bulk-a.yaml', 'bulk-b.yaml', 'bulk-c.yaml', 'services.yaml']));
  });

  it('rolls the pods when a rule changes: the checksum annotation follows the rule files, and only them and the config', () => {
    const sum = (objects: KubeObject[]) =>
      (objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus') as any).spec.template.metadata.annotations['checksum/config'];
    const build = (expr?: string) => {
      const { stack } = buildTestStack(PROFILES.local);
      if (expr) stack.prometheus.addRuleFile({ fileName: 'extra.yaml', content: { groups: [{ name: 'extra', rules: [{ record: 'x:y:z', expr }] }] } });
      return sum(stack.toJson() as KubeObject[]);
    };
    expect(build()).toBe(build());
    expect(build('vector(1)')).not.toBe(build());
    expect(build('vector(2)')).not.toBe(build('vector(1)'));
  });

  it('fails synth on a rule group too large for one ConfigMap', () => {
    const { stack } = buildTestStack(PROFILES.local);
    expect(() => stack.prometheus.addRuleFile({ fileName: 'huge.yaml', content: { groups: [group('huge', 600, 1000)] } })).toThrow(
      /^prometheus rule group "huge" of huge\.yaml: size is "\d+ bytes"; a rule group must fit/,
    );
  });
});

describe('ruleYaml', () => {
  const renderedBoth = (value: unknown) => [ruleYaml(value), toYaml(value)];

  it.each(ENVIRONMENTS)('writes every shipped rule file of %s byte for byte as toYaml does', (env) => {
    const files = ruleFiles(grafanaPublicUrl(PROFILES[env].namespace, PROFILES[env].grafana));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const [fast, slow] = renderedBoth(f.content);
      expect([f.fileName, fast]).toEqual([f.fileName, slow]);
    }
  });

  it.each(ENVIRONMENTS)('writes the rule files of %s as one map by name as toYaml does', (env) => {
    const data = buildTestStack(PROFILES[env]).stack.prometheus.ruleFileData();
    expect(Object.keys(data).length).toBeGreaterThan(5);
    const [fast, slow] = renderedBoth(data);
    expect(fast).toBe(slow);
  });

  it.each([
    ['plain text', 'order-service'],
    ['a template at the start', '{{ $labels.service }} is down'],
    ['double quotes inside', 'up{job="a"} == 0'],
    ['both quotes', `it's "down"`],
    ['a single quote', "it's down"],
    ['a colon and space', 'note: read this'],
    ['a hash after a space', 'a #b'],
    ['a trailing colon', 'a:'],
    ['a trailing space', 'a '],
    ['a leading space', ' a'],
    ['a number', '42'],
    ['a float', '0.9e-3'],
    ['a boolean', 'true'],
    ['null', 'null'],
    ['the empty string', ''],
    ['a dash alone', '-'],
    ['a dash and space', '- a'],
    ['a backslash', 'a\\b'],
    ['a control character', 'a\u0007b'],
    ['unicode', 'café ≥ 5 €'],
    ['an emoji (a surrogate pair)', 'up 😀'],
    ['a lone surrogate', 'a\ud800b'],
    ['several lines', 'a\nor\nb'],
    ['several lines with an empty one', 'a\n\nb'],
    ['several lines with a trailing newline', 'a\nb\n'],
    ['several lines starting with a space', ' a\nb'],
    ['several lines with trailing spaces on the last', 'a\nb  '],
    ['a document marker line', 'a\n--- b'],
    ['a document marker at the start', '--- b'],
    ['a document end marker', '...b'],
    ['a directive sign', '%b'],
    ['two trailing newlines', 'a\nb\n\n'],
  ])('writes a string with %s as toYaml does, at any depth', (_what, s) => {
    for (const value of [{ k: s }, { 'services.yaml': s }, { groups: [{ name: 'g', rules: [{ record: 'a:b', expr: s, labels: { x: s } }] }] }]) {
      const [fast, slow] = renderedBoth(value);
      expect(fast).toBe(slow);
    }
  });

  it('leaves what is not a map of strings, maps and lists of maps to toYaml', () => {
    for (const value of [
      { a: [] },
      { a: {} },
      { a: 1 },
      { a: true },
      { a: ['x'] },
      { 'a b': 'c' },
      { null: 'x' },
      { '1.5': 'x' },
      { ['k'.repeat(1100)]: 'x' },
      [{ a: 'b' }],
      'text',
    ]) {
      const [fast, slow] = renderedBoth(value);
      expect(fast).toBe(slow);
    }
  });
});

describe('parseShape: rules that differ only in label values share one parse', () => {
  it('blanks the text inside string literals, keeping every position', () => {
    const a = 'sum(rate(up{job="order-service", slo=\'x\'}[5m])) and on (job) m{a=`raw`}';
    const shape = parseShape(a);
    expect(shape).toBe('sum(rate(up{job="aaaaaaaaaaaaa", slo=\'a\'}[5m])) and on (job) m{a=`aaa`}');
    expect(shape).toHaveLength(a.length);
    expect(parseShape(a.replace('order-service', 'risk-service1'))).toBe(shape);
  });

  it('gives two such expressions trees of the same kinds at the same places, each read from its own text', () => {
    const a = 'max by (job) (up{job="order-service"}) == 0';
    const b = 'max by (job) (up{job="risk-service1"}) == 0';
    expect(syntaxTree(a)).toBe(syntaxTree(b));
    expect(parsePromQL(a).selectors.map((s) => s.text)).toEqual(['up{job="order-service"}']);
    expect(parsePromQL(b).selectors.map((s) => s.text)).toEqual(['up{job="risk-service1"}']);
    expect([metricNames('{__name__="ab"}'), metricNames('{__name__="cd"}')]).toEqual([['ab'], ['cd']]);
  });

  it('keeps literals with a backslash or a line break, and whole expressions with a comment or an unterminated string', () => {
    for (const e of ['up{job="a\\"b"}', "up{job='a\\nb'}", 'up # "comment"', 'up{job="open', 'm{a=`x\\y`}']) {
      expect(parseShape(e).length).toBe(e.length);
      if (!e.includes('`')) expect(parseShape(e)).toBe(e);
    }
    expect(parseShape('m{a=`x\\y`, b="cd"}')).toBe('m{a=`x\\y`, b="aa"}');
  });

  it('still finds syntax errors', () => {
    expect(parsePromQL('sum(up{job="a"}').errors.length).toBeGreaterThan(0);
    expect(parsePromQL('sum(up{job="a"})').errors).toEqual([]);
  });
});

describe('an object Kubernetes would refuse for its size', () => {
  it('stops synth, naming the object and its size, and leaves the output folder as it was', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-size-'));
    fs.mkdirSync(path.join(out, 'production'));
    fs.writeFileSync(path.join(out, 'production', 'kept.yaml'), 'kept');
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prometheus-config' }, data: { 'prometheus.yml': 'x'.repeat(1100 * 1024) } };
    expect(() => writeEnvironments(out, [{ name: 'production', objects: [big] }])).toThrow(
      /^environment "production": ConfigMap prometheus-config is "1101 KiB"; Kubernetes refuses objects over 1 MiB/,
    );
    expect(fs.readdirSync(path.join(out, 'production'))).toEqual(['kept.yaml']);
  });

  it('lets an object of just under 1 MiB through', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'x'.repeat(1000 * 1024) } };
    expect(() => checkObjectSize('production', obj)).not.toThrow();
  });
});
