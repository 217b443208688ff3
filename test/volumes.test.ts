/**
 * Every program that reads files from a ConfigMap or Secret volume finds them in the layout the
 * kubelet really writes (timestamped directory, `..data` symlink, a symlink per top-level entry:
 * test/support/kubelet-volumes.ts), read the way that program reads it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { SERVICE_ACCOUNT_DIR } from '../lib/components/prometheus/scrape';
import { EnvironmentName } from '../lib/profile';
import { expectedSecrets } from '../lib/core/secrets';
import { ContainerFiles, MaterializedPod, materializePod } from './support/kubelet-volumes';
import { withStaticDiscovery } from './support/prometheus-config';
import { ENVIRONMENTS, buildTestStack, find, loadedContent, podTemplates, synth } from './support/synth';
import { KubeObject } from '../lib/synth';
import { PROFILES } from '../stacks/environments';
import { amtool, describeWithTools, promtool, run } from './support/tools';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-volumes-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function podOf(env: EnvironmentName, kind: string, name: string, change?: (spec: any) => void): MaterializedPod {
  const { objects, stack } = synth(env);
  const t = podTemplates(objects).find((p) => p.owner.kind === kind && p.owner.metadata.name === name);
  if (!t) throw new Error(`${env} has no ${kind} ${name}`);
  const spec = JSON.parse(JSON.stringify(t.spec));
  change?.(spec);
  return materializePod({
    objects,
    podSpec: spec,
    podName: `${env}-${name}`,
    volumeClaimTemplates: (t.owner as any).spec.volumeClaimTemplates,
    secrets: expectedSecrets(stack),
    scratch,
  });
}

function envValue(c: any, name: string): string | undefined {
  return c.env?.find((e: any) => e.name === name)?.value;
}

// ---------------------------------------------------------------------------------------------
// Grafana's file provider, as grafana/grafana pkg/services/provisioning/dashboards reads
// (config_reader.go `readConfig` at commit 0524cbafcfcf; file_reader.go `walkDisk`,
// `createWalkFn`, `validateWalkablePath`, `resolvedPath`,
// `storeDashboardsInFoldersFromFileStructure` at commit 669d0865b2ad, Grafana 12 states of the
// files; the datasources reader, pkg/services/provisioning/datasources/config_reader.go, lists
// its directory the same way):
// - provider files: `os.ReadDir(<provisioning>/dashboards)`, names ending in .yaml or .yml,
//   read with `os.ReadFile` (symlinks followed);
// - the provider path is made absolute and its symlinks resolved (`filepath.EvalSymlinks`),
//   then walked with `filepath.Walk`: entries in lexical order, described by `os.Lstat`, and only
//   real directories are descended into; a symlink, even to a directory, is a leaf;
// - a directory whose name starts with "." is skipped (`filepath.SkipDir`); a non-directory whose
//   name ends in ".json" is a dashboard (a symlink to a file included);
// - with `foldersFromFilesStructure`, the folder is the base name of the file's directory, or
//   none (General) when the file lies directly in the provider path.
// ---------------------------------------------------------------------------------------------

interface FoundDashboard {
  readonly file: string;
  readonly folder: string;
  readonly uid: string;
}

/** `filepath.Walk` with Grafana's walk function: every dashboard file it keeps. */
function grafanaWalk(providerPath: string): Array<{ file: string; folder: string }> {
  const resolved = fs.realpathSync(path.resolve(providerPath));
  const found: Array<{ file: string; folder: string }> = [];
  const visit = (p: string) => {
    const info = fs.lstatSync(p);
    if (info.isDirectory()) {
      if (path.basename(p).startsWith('.')) return; // SkipDir
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
      return;
    }
    if (!path.basename(p).endsWith('.json')) return;
    const dir = path.dirname(p);
    found.push({ file: p, folder: dir === resolved ? '' : path.basename(dir) });
  };
  visit(resolved);
  return found;
}

/** Grafana's dashboards provisioning, started in a container's files: what each provider finds. */
function grafanaDashboards(files: ContainerFiles, provisioningDir: string): FoundDashboard[] {
  const dir = files.hostPath(path.posix.join(provisioningDir, 'dashboards'));
  const out: FoundDashboard[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.yaml') && !name.endsWith('.yml')) continue;
    const doc = parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    for (const p of doc.providers ?? []) {
      expect({ provider: p.name, type: p.type ?? 'file', foldersFromFilesStructure: p.options?.foldersFromFilesStructure }).toEqual({
        provider: p.name,
        type: 'file',
        foldersFromFilesStructure: true,
      });
      for (const f of grafanaWalk(files.hostPath(p.options.path))) {
        out.push({ file: path.relative(files.root, f.file), folder: f.folder, uid: JSON.parse(fs.readFileSync(f.file, 'utf8')).uid });
      }
    }
  }
  return out;
}

/** The dashboards of a stack as `{ folder: [uid...] }`, sorted. */
function byFolder(list: ReadonlyArray<{ folder: string; uid: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of list) (out[d.folder] ??= []).push(d.uid);
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

/** The layout before: every dashboard in one projected volume, `<folder>/<uid>.json` items. */
function oneNestedVolume(spec: any): void {
  const folderVolumes = spec.volumes.filter((v: any) => v.name.startsWith('dashboards-'));
  const c = spec.containers.find((x: any) => x.name === 'grafana');
  const mounts = c.volumeMounts.filter((m: any) => m.name.startsWith('dashboards-'));
  const sources = folderVolumes.flatMap((v: any) => {
    const folder = path.posix.basename(mounts.find((m: any) => m.name === v.name).mountPath);
    return v.projected.sources.map((s: any) => ({
      configMap: { ...s.configMap, items: s.configMap.items.map((i: any) => ({ ...i, path: `${folder}/${i.path}` })) },
    }));
  });
  spec.volumes = [...spec.volumes.filter((v: any) => !v.name.startsWith('dashboards-')), { name: 'dashboards', projected: { defaultMode: 0o444, sources } }];
  const dashboardsDir = path.posix.dirname(mounts[0].mountPath);
  c.volumeMounts = [...c.volumeMounts.filter((m: any) => !m.name.startsWith('dashboards-')), { name: 'dashboards', mountPath: dashboardsDir, readOnly: true }];
}

describe.each(ENVIRONMENTS)('%s: Grafana reads its dashboards and provisioning from the kubelet layout', (env) => {
  const { stack, objects } = synth(env);
  const container = find(objects, 'Deployment', 'grafana').spec.template.spec.containers.find((c: any) => c.name === 'grafana');
  const provisioning = envValue(container, 'GF_PATHS_PROVISIONING')!;

  it('the file provider finds every dashboard of the stack, each in its folder', () => {
    const files = podOf(env, 'Deployment', 'grafana').container('grafana');
    const found = grafanaDashboards(files, provisioning);
    expect(byFolder(found)).toEqual(byFolder(stack.grafana.provisionedDashboards));
    expect(found).toHaveLength(loadedContent(env).dashboards.length);
    expect(new Set(found.map((d) => d.uid)).size).toBe(found.length);
    // Each dashboard is a symlink into its folder volume's ..data, as the kubelet writes it.
    for (const d of found) expect(fs.readlinkSync(path.join(files.root, d.file))).toBe(`..data/${d.uid}.json`);
  });

  it('with every dashboard nested in one volume (the layout before) the provider finds none', () => {
    const files = podOf(env, 'Deployment', 'grafana', oneNestedVolume).container('grafana');
    const dir = files.hostPath('/var/lib/grafana-dashboards');
    // The folders are there for a program that follows symlinks, and invisible to Grafana's walk.
    expect(fs.lstatSync(path.join(dir, 'Grekko')).isSymbolicLink()).toBe(true);
    expect(files.kindOf('/var/lib/grafana-dashboards/Grekko/grekko-trading.json')).toBe('file');
    expect(grafanaDashboards(files, provisioning)).toEqual([]);
  });

  it('the provisioning files, grafana.ini and every secret file Grafana is told to read are files', () => {
    const files = podOf(env, 'Deployment', 'grafana').container('grafana');
    expect(files.kindOf(envValue(container, 'GF_PATHS_CONFIG')!)).toBe('file');
    const dsDir = files.hostPath(path.posix.join(provisioning, 'datasources'));
    const dsFiles = fs.readdirSync(dsDir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'));
    expect(dsFiles).toEqual(['datasources.yaml']);
    const dsText = fs.readFileSync(path.join(dsDir, dsFiles[0]), 'utf8');
    expect(parse(dsText).datasources.length).toBeGreaterThanOrEqual(2);
    const referenced = [
      ...[...dsText.matchAll(/\$__file\{([^}]+)\}/g)].map((m) => m[1]),
      ...container.env.filter((e: any) => e.name.endsWith('__FILE')).map((e: any) => e.value as string),
    ];
    expect(referenced).toEqual(expect.arrayContaining(['/etc/grafana/secrets/admin/admin-password', '/etc/grafana/secrets/admin/secret-key']));
    for (const p of referenced) expect({ p, kind: files.kindOf(p) }).toEqual({ p, kind: 'file' });
  });
});

describe('the Grafana walk reproduces Grafana on trees without symlinks', () => {
  it('descends real folders, names the folder after the directory, skips dot-directories and non-JSON files', () => {
    const root = fs.mkdtempSync(path.join(scratch, 'plain-'));
    for (const [rel, text] of [
      ['root.json', '{}'],
      ['Grekko/a.json', '{}'],
      ['Platform/b.json', '{}'],
      ['Platform/notes.txt', ''],
      ['.hidden/c.json', '{}'],
    ]) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    expect(grafanaWalk(root).map((f) => [path.relative(root, f.file), f.folder])).toEqual([
      ['Grekko/a.json', 'Grekko'],
      ['Platform/b.json', 'Platform'],
      ['root.json', ''],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Prometheus and Alertmanager: the real parsers, pointed into the materialized layout.
// ---------------------------------------------------------------------------------------------

function flagValue(c: any, flag: string): string | undefined {
  const args: string[] = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
    if (args[i] === flag) return args[i + 1];
  }
  return undefined;
}

/** The rules ConfigMaps the Prometheus pod mounts: one, or every source of a projected volume. */
function mountedRuleConfigMaps(objects: readonly KubeObject[]): any[] {
  const v = find(objects, 'StatefulSet', 'prometheus').spec.template.spec.volumes.find((x: any) => x.name === 'rules');
  const names: string[] = v.configMap ? [v.configMap.name] : v.projected.sources.map((s: any) => s.configMap.name);
  return names.map((n) => find(objects, 'ConfigMap', n));
}

/** promtool, run on the mounted prometheus.yml, finds every rule file of every rules ConfigMap through its symlink and loads all its rules. */
function expectPromtoolLoadsEveryRuleFile(objects: readonly KubeObject[], pod: MaterializedPod): void {
  const files = pod.container('prometheus');
  const c = find(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers.find((x: any) => x.name === 'prometheus');
  const configPath = flagValue(c, '--config.file')!;
  expect(files.kindOf(configPath)).toBe('file');
  // The mounted config, with discovery swapped for static targets (Debian's promtool has no
  // Kubernetes discovery) and container paths pointed at the layout.
  const config = withStaticDiscovery(parse(files.read(configPath)));
  config.rule_files = (config.rule_files as string[]).map((p) => files.hostPath(p));
  const text = stringify(config, { lineWidth: 0 }).split(SERVICE_ACCOUNT_DIR).join(files.hostPath(SERVICE_ACCOUNT_DIR));
  const checked = path.join(pod.root, 'prometheus.yml');
  fs.writeFileSync(checked, text);
  const r = run(promtool.path!, ['check', 'config', checked]);
  const out = r.stdout + r.stderr;
  expect({ status: r.status, out }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });

  const rules: Record<string, string> = Object.assign({}, ...mountedRuleConfigMaps(objects).map((cm) => cm.data ?? {}));
  const expected = Object.fromEntries(
    Object.entries(rules).map(([name, yaml]) => [
      files.hostPath(`/etc/prometheus/rules/${name}`),
      (parse(yaml).groups as any[]).reduce((n, g) => n + (g.rules?.length ?? 0), 0),
    ]),
  );
  expect(out).toContain(`SUCCESS: ${Object.keys(rules).length} rule files found`);
  const loaded = Object.fromEntries([...out.matchAll(/Checking (\S+)\n\s+SUCCESS: (\d+) rules found/g)].map((m) => [m[1], Number(m[2])]));
  expect(loaded).toEqual(expected);
  expect(Object.keys(loaded).length).toBeGreaterThan(0);
}

describeWithTools('promtool finds and loads every rule file in the kubelet layout', [promtool], () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    expectPromtoolLoadsEveryRuleFile(synth(env).objects, podOf(env, 'StatefulSet', 'prometheus'));
  });

  it('rule files spread over several ConfigMaps, one split by group, all load from the projected volume', () => {
    const { stack } = buildTestStack(PROFILES.local);
    // Recording rules of about 1 KiB each: three files of 300 KiB and one of 700 KiB in three groups.
    const group = (file: string, g: number, n: number) => ({
      name: `bulk-${file}-${g}`,
      rules: Array.from({ length: n }, (_, i) => ({
        record: 'bulk:padding:count',
        expr: 'vector(1)',
        labels: { file, group: String(g), rule: String(i), pad: 'x'.repeat(1000) },
      })),
    });
    for (const f of ['bulk-a', 'bulk-b', 'bulk-c']) stack.prometheus.addRuleFile({ fileName: `${f}.yaml`, content: { groups: [group(f, 1, 290)] } });
    stack.prometheus.addRuleFile({ fileName: 'bulk-d.yaml', content: { groups: [1, 2, 3].map((g) => group('bulk-d', g, 230)) } });
    const objects = stack.toJson() as KubeObject[];
    const maps = mountedRuleConfigMaps(objects);
    expect(maps.length).toBeGreaterThan(2);
    expect(Object.keys(Object.assign({}, ...maps.map((m) => m.data)))).toEqual(expect.arrayContaining(['bulk-a.yaml', 'bulk-d-1.yaml', 'bulk-d-2.yaml']));
    const t = podTemplates(objects).find((p) => p.owner.kind === 'StatefulSet' && p.owner.metadata.name === 'prometheus')!;
    const pod = materializePod({
      objects,
      podSpec: JSON.parse(JSON.stringify(t.spec)),
      podName: 'local-prometheus-projected',
      volumeClaimTemplates: (t.owner as any).spec.volumeClaimTemplates,
      secrets: expectedSecrets(stack),
      scratch,
    });
    expectPromtoolLoadsEveryRuleFile(objects, pod);
  });
});

describeWithTools('amtool accepts the mounted alertmanager.yml and every credential file it names is in the Secret mount', [amtool], () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    const { objects } = synth(env);
    const files = podOf(env, 'StatefulSet', 'alertmanager').container('alertmanager');
    const c = find(objects, 'StatefulSet', 'alertmanager').spec.template.spec.containers.find((x: any) => x.name === 'alertmanager');
    const configPath = flagValue(c, '--config.file')!;
    const r = run(amtool.path!, ['check-config', files.hostPath(configPath)]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    // amtool 0.25 does not open `*_file` paths (a config naming a missing file passes), so their
    // presence in the Secret mount is checked here.
    const fileRefs = [...files.read(configPath).matchAll(/^\s*-?\s*\w+_file: (\S+)$/gm)].map((m) => m[1].replace(/^"|"$/g, ''));
    if (env !== 'local') expect(fileRefs.length).toBeGreaterThan(0);
    const secretsMount = c.volumeMounts.find((m: any) => m.name === 'receivers')?.mountPath;
    for (const p of fileRefs) {
      expect(p.startsWith(`${secretsMount}/`)).toBe(true);
      expect({ p, kind: files.kindOf(p) }).toEqual({ p, kind: 'file' });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Fluentd, Elasticsearch, Kibana, Jaeger: every file their configuration or arguments name.
// ---------------------------------------------------------------------------------------------

/** Paths a shell script reads: `< file`, `cat file`, `cp file ...`, `--flag=/file`. */
function scriptReads(script: string): string[] {
  return [
    ...[...script.matchAll(/(?:<|\bcat|\bcp(?:\s+-a)?)\s+"?(\/[^\s"';)]+)/g)].map((m) => m[1]),
    ...[...script.matchAll(/--[\w.-]+=(\/[^\s"';)]+)/g)].map((m) => m[1]),
  ];
}

/** A YAML document flattened to dotted keys. */
function flatten(doc: unknown, prefix = ''): Array<[string, unknown]> {
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, doc]];
}

function yamlPaths(text: string, key: RegExp, base: string): string[] {
  return flatten(parse(text))
    .filter(([k]) => key.test(k))
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
    .map((p) => path.posix.resolve(base, String(p)));
}

/** Mount paths of ConfigMap, Secret and projected volumes in a container. */
function configMounts(spec: any, c: any): string[] {
  const kinds = new Map<string, any>((spec.volumes ?? []).map((v: any) => [v.name, v]));
  return (c.volumeMounts ?? [])
    .filter((m: any) => {
      const v = kinds.get(m.name);
      return v && (v.configMap || v.secret || v.projected);
    })
    .map((m: any) => m.mountPath);
}

/**
 * Each path is a regular file in the layout when it lies in a ConfigMap or Secret mount, and
 * otherwise lies in the image (one of `imageDirs`), outside every mount.
 */
function expectReadable(files: ContainerFiles, spec: any, c: any, paths: readonly string[], imageDirs: readonly string[]): void {
  const mounts = configMounts(spec, c);
  const allMounts = (c.volumeMounts ?? []).map((m: any) => m.mountPath as string);
  const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
  for (const p of paths) {
    if (mounts.some((m) => under(p, m))) {
      expect({ container: c.name, p, kind: files.kindOf(p) }).toEqual({ container: c.name, p, kind: 'file' });
    } else {
      expect({ container: c.name, p, inImage: imageDirs.some((d) => under(p, d)), inMount: allMounts.some((m: string) => under(p, m)) }).toEqual({
        container: c.name,
        p,
        inImage: true,
        inMount: false,
      });
    }
  }
}

function workload(env: EnvironmentName, kind: string, name: string): { spec: any } {
  const t = podTemplates(synth(env).objects).find((p) => p.owner.kind === kind && p.owner.metadata.name === name);
  if (!t) throw new Error(`${env} has no ${kind} ${name}`);
  return t;
}

describe('the file check', () => {
  it('fails for a path in a Secret mount that the Secret does not provide, and for a path outside the image and every mount', () => {
    const { spec } = workload('production', 'DaemonSet', 'fluentd');
    const c = spec.containers.find((x: any) => x.name === 'fluentd');
    const files = podOf('production', 'DaemonSet', 'fluentd').container('fluentd');
    expect(() => expectReadable(files, spec, c, ['/var/run/secrets/elasticsearch/password'], ['/fluentd'])).not.toThrow();
    expect(() => expectReadable(files, spec, c, ['/var/run/secrets/elasticsearch/api-key'], ['/fluentd'])).toThrow(/"kind": "missing"/);
    expect(() => expectReadable(files, spec, c, ['/etc/fluentd-secrets/password'], ['/fluentd'])).toThrow(/"inImage": false/);
    // The folder a subPath-free mount shows is the volume itself: ..data and the symlinks.
    expect(fs.readlinkSync(files.hostPath('/var/run/secrets/elasticsearch/password'))).toBe('..data/password');
    expect(fs.readlinkSync(files.hostPath('/var/run/secrets/elasticsearch/..data'))).toMatch(/^\.\.20\d\d_\d\d_\d\d_\d\d_\d\d_\d\d\./);
  });
});

describe.each(ENVIRONMENTS)('%s: every file the logging and tracing programs are told to read is there', (env) => {
  const { objects } = synth(env);

  it('Fluentd: its --config file, every @include, the credentials it File.reads and its CA', () => {
    const { spec } = workload(env, 'DaemonSet', 'fluentd');
    const c = spec.containers.find((x: any) => x.name === 'fluentd');
    const files = podOf(env, 'DaemonSet', 'fluentd').container('fluentd');
    const config = flagValue(c, '--config')!;
    const reads = [config];
    const pending = [config];
    while (pending.length) {
      const conf = pending.pop()!;
      expect({ conf, kind: files.kindOf(conf) }).toEqual({ conf, kind: 'file' });
      const text = files.read(conf);
      const includes = [...text.matchAll(/^\s*@include\s+(\S+)/gm)].map((m) => path.posix.resolve(path.posix.dirname(conf), m[1]));
      pending.push(...includes);
      reads.push(
        ...includes,
        ...[...text.matchAll(/File\.read\('([^']+)'\)/g)].map((m) => m[1]),
        ...[...text.matchAll(/^\s*(?:ca_file|ca_path|client_cert|client_key)\s+(\S+)/gm)].map((m) => m[1]),
      );
    }
    expect(reads).toEqual(
      expect.arrayContaining(['/etc/fluentd/fluent.conf', '/var/run/secrets/elasticsearch/username', '/var/run/secrets/elasticsearch/password']),
    );
    if (env !== 'local') expect(reads).toContain('/var/run/secrets/elasticsearch-ca/ca.crt');
    expectReadable(files, spec, c, reads, ['/fluentd']);
  });

  it('Elasticsearch: the config it copies, the keystore inputs and every certificate elasticsearch.yml names', () => {
    const { spec } = workload(env, 'StatefulSet', 'elasticsearch');
    const pod = podOf(env, 'StatefulSet', 'elasticsearch');
    const init = spec.initContainers.find((x: any) => x.name === 'config');
    const initReads = scriptReads(init.command.join('\n'));
    expect(initReads).toEqual(expect.arrayContaining(['/mnt/elasticsearch-yml/elasticsearch.yml', '/mnt/elastic/password']));
    expectReadable(pod.container('config'), spec, init, initReads, ['/usr/share/elasticsearch']);

    const es = spec.containers.find((x: any) => x.name === 'elasticsearch');
    const confDir = '/usr/share/elasticsearch/config';
    const yml = pod.container('config').read('/mnt/elasticsearch-yml/elasticsearch.yml');
    const certs = yamlPaths(yml, /\.ssl\.(key|certificate|certificate_authorities|keystore\.path|truststore\.path)$/, confDir);
    if (env === 'production')
      expect(certs).toEqual(expect.arrayContaining([`${confDir}/certs/tls.key`, `${confDir}/certs/tls.crt`, `${confDir}/certs/ca.crt`]));
    expectReadable(pod.container('elasticsearch'), spec, es, certs, []);
  });

  it('Kibana: the config it copies, the keystore inputs and the CA kibana.yml names', () => {
    const { spec } = workload(env, 'Deployment', 'kibana');
    const pod = podOf(env, 'Deployment', 'kibana');
    const init = spec.initContainers.find((x: any) => x.name === 'keystore');
    const initReads = scriptReads(init.command.join('\n'));
    expect(initReads).toEqual(expect.arrayContaining(['/mnt/kibana-yml/kibana.yml', '/mnt/system/password', '/mnt/keys/encryption-key']));
    expectReadable(pod.container('keystore'), spec, init, initReads, ['/usr/share/kibana']);

    const kibana = spec.containers.find((x: any) => x.name === 'kibana');
    const yml = pod.container('keystore').read('/mnt/kibana-yml/kibana.yml');
    const certs = yamlPaths(yml, /ssl\.(certificateAuthorities|certificate|key|keystore\.path|truststore\.path)$/, '/usr/share/kibana/config');
    if (env === 'production') expect(certs).toEqual(['/usr/share/kibana/config/certs/ca.crt']);
    expectReadable(pod.container('kibana'), spec, kibana, certs, []);
  });

  it('Jaeger: its --config file and every file the config names (credentials, CA, sampling strategies)', () => {
    const names = podTemplates(objects)
      .filter((p) => p.owner.kind === 'Deployment' && /^jaeger/.test(p.owner.metadata.name))
      .map((p) => p.owner.metadata.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const { spec } = workload(env, 'Deployment', name);
      const c = spec.containers.find((x: any) => x.name === 'jaeger');
      const files = podOf(env, 'Deployment', name).container('jaeger');
      const config = flagValue(c, '--config')!.replace(/^file:/, '');
      expect({ name, config, kind: files.kindOf(config) }).toEqual({ name, config, kind: 'file' });
      const reads = yamlPaths(files.read(config), /(_file|^extensions\.remote_sampling\.file\.path)$/, '/');
      if (name === 'jaeger-collector')
        expect(reads).toEqual(
          expect.arrayContaining(['/etc/jaeger/elasticsearch/password', '/etc/jaeger/elasticsearch-ca/ca.crt', '/etc/jaeger/sampling/strategies.json']),
        );
      expectReadable(files, spec, c, reads, []);
    }
    const cleaner = podTemplates(objects).find((p) => p.owner.kind === 'CronJob' && p.owner.metadata.name === 'jaeger-index-cleaner');
    if (cleaner) {
      const c = cleaner.spec.containers[0];
      const reads = scriptReads([...(c.command ?? []), ...(c.args ?? [])].join('\n'));
      expect(reads).toEqual(
        expect.arrayContaining(['/etc/jaeger/elasticsearch/username', '/etc/jaeger/elasticsearch/password', '/etc/jaeger/elasticsearch-ca/ca.crt']),
      );
      expectReadable(podOf(env, 'CronJob', 'jaeger-index-cleaner').container(c.name), cleaner.spec, c, reads, ['/go/bin']);
    }
  });
});
