/**
 * `pulumi up` per environment, run against Pulumi's mock monitor (no CLI, no cluster): the objects
 * Pulumi applies are the objects `npm run synth` writes, in a safe order, with the Secrets the
 * manifests reference created from secret config; bad input stops the program before any
 * resource is declared.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EnvironmentName } from '../lib/profile';
import { ExpectedSecret } from '../lib/core/secrets';
import { KubeObject } from '../lib/synth';
import { PROFILES, buildStack } from '../stacks/environments';
import { synthesize } from '../stacks/main';
import { withOverrides } from '../lib/pulumi/overrides';
import { checkSecretValue } from '../lib/pulumi/secret-values';
import { DeclaredResource, ProgramRun, runProgram, standInSecretValue } from './support/pulumi';
import { ENVIRONMENTS } from './support/synth';

const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const SECRET = 'kubernetes:core/v1:Secret';
const PROVIDER = 'pulumi:providers:kubernetes';

/** A made-up, well-formed value for every key of every Secret the environment expects. */
function secretConfig(expected: readonly ExpectedSecret[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of expected) for (const k of s.keys) out[`${s.name}.${k}`] = standInSecretValue(s.name, k);
  return out;
}

const expectedCache = new Map<EnvironmentName, ExpectedSecret[]>();
/** The Secrets an environment expects (one stack build per environment and file). */
function expectedOf(env: EnvironmentName): ExpectedSecret[] {
  let e = expectedCache.get(env);
  if (!e) expectedCache.set(env, (e = buildStack(PROFILES[env]).expectedSecrets));
  return e;
}

/** What `npm run synth` writes for one profile, read back from the files. */
function synthFiles(profile = PROFILES.local): KubeObject[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  synthesize(dir, [profile]);
  const envDir = path.join(dir, profile.name);
  return fs.readdirSync(envDir).map((f) => parse(fs.readFileSync(path.join(envDir, f), 'utf8')));
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objs: readonly KubeObject[]) => [...objs].sort((a, b) => key(a).localeCompare(key(b)));

const groups = (run: ProgramRun) => run.resources.filter((r) => r.type === CONFIG_GROUP);
const group = (run: ProgramRun, stage: string) => {
  const g = run.resources.find((r) => r.type === CONFIG_GROUP && r.name.endsWith(`-${stage}`));
  if (!g)
    throw new Error(
      `no ${stage} ConfigGroup; have ${groups(run)
        .map((r) => r.name)
        .join(', ')}`,
    );
  return g;
};
const applied = (run: ProgramRun): KubeObject[] => groups(run).flatMap((g) => g.inputs.objs as KubeObject[]);
const secretsOf = (run: ProgramRun) => run.resources.filter((r) => r.type === SECRET);

/** Every resource `r` waits for, directly or through others. */
function allDependencies(run: ProgramRun, r: DeclaredResource): Set<string> {
  const seen = new Set<string>();
  const walk = (name: string) => {
    for (const d of run.resources.find((x) => x.name === name)?.dependsOn ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        walk(d);
      }
    }
  };
  walk(r.name);
  return seen;
}

/** Names of Secrets the objects mount or read, wherever they appear. */
function referencedSecrets(objs: readonly KubeObject[]): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown, parentKey = ''): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, parentKey));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'secretName' && typeof v === 'string') names.add(v);
      if (
        (k === 'secretKeyRef' || k === 'secretRef' || (k === 'secret' && parentKey !== 'metadata')) &&
        v &&
        typeof v === 'object' &&
        typeof (v as { name?: unknown }).name === 'string'
      ) {
        names.add((v as { name: string }).name);
      }
      walk(v, k);
    }
  };
  walk(objs);
  return names;
}

describe.each(ENVIRONMENTS)('pulumi up on stack "%s" with default config', (env) => {
  let run: ProgramRun;
  const expected = expectedOf(env);
  const values = secretConfig(expected);
  beforeAll(async () => {
    run = await runProgram({ stack: env, secrets: values });
  });

  it('runs without error', () => {
    expect(run.error).toBeUndefined();
  });

  it('applies exactly the objects `npm run synth` writes to dist/<environment>/: same kinds, names and specs', () => {
    const files = synthFiles(PROFILES[env]);
    expect(files.length).toBeGreaterThan(20);
    expect(byKey(applied(run))).toEqual(byKey(files));
    expect(new Set(applied(run).map(key)).size).toBe(files.length);
  });

  it('applies the namespace and every cluster-wide object first, the workloads last', () => {
    const cluster = group(run, 'cluster');
    const foundation = group(run, 'foundation');
    const workloads = group(run, 'workloads');
    expect(groups(run).map((g) => g.name)).toEqual([`${env}-cluster`, `${env}-foundation`, `${env}-workloads`]);

    const clusterObjs = cluster.inputs.objs as KubeObject[];
    expect(clusterObjs.map((o) => o.kind)).toContain('Namespace');
    expect(clusterObjs.filter((o) => o.kind === 'ClusterRole').length).toBeGreaterThan(0);
    expect(clusterObjs.every((o) => o.kind === 'Namespace' || o.metadata.namespace === undefined)).toBe(true);
    for (const g of [foundation, workloads]) expect((g.inputs.objs as KubeObject[]).every((o) => o.metadata.namespace === PROFILES[env].namespace)).toBe(true);
    expect((foundation.inputs.objs as KubeObject[]).map((o) => o.kind)).not.toEqual(expect.arrayContaining(['Deployment']));
    expect((workloads.inputs.objs as KubeObject[]).map((o) => o.kind)).toEqual(expect.arrayContaining(['StatefulSet', 'Deployment', 'DaemonSet']));
    expect(
      (workloads.inputs.objs as KubeObject[]).every((o) =>
        ['StatefulSet', 'Deployment', 'DaemonSet', 'Job', 'CronJob', 'PodDisruptionBudget', 'NetworkPolicy'].includes(o.kind),
      ),
    ).toBe(true);

    expect(cluster.dependsOn).toEqual([]);
    for (const s of secretsOf(run)) expect(s.dependsOn).toEqual([cluster.name]);
    expect([...allDependencies(run, foundation)].sort()).toEqual([cluster.name, ...secretsOf(run).map((s) => s.name)].sort());
    expect(allDependencies(run, workloads)).toEqual(new Set([foundation.name, ...allDependencies(run, foundation)]));
  });

  it('creates every Secret the manifests reference, in their namespace, from the secret config', () => {
    const created = secretsOf(run);
    expect(created.map((s) => s.inputs.metadata.name).sort()).toEqual(expected.map((s) => s.name).sort());
    // Every Secret an object mounts or reads is either one of the stack's own objects or created here.
    const own = new Set(
      applied(run)
        .filter((o) => o.kind === 'Secret')
        .map((o) => o.metadata.name),
    );
    expect(new Set(created.map((s) => s.inputs.metadata.name))).toEqual(new Set([...referencedSecrets(applied(run))].filter((n) => !own.has(n))));
    for (const s of created) {
      const want = expected.find((e) => e.name === s.inputs.metadata.name)!;
      expect(s.inputs.metadata.namespace).toBe(PROFILES[env].namespace);
      expect(s.inputs.type).toBe('Opaque');
      expect(Object.keys(s.inputs.stringData).sort()).toEqual([...want.keys].sort());
      for (const k of want.keys) expect(s.inputs.stringData[k]).toBe(values[`${want.name}.${k}`]);
      expect(s.inputs.metadata.labels['app.kubernetes.io/managed-by']).toBe('pulumi');
    }
  });

  it('marks every Secret value as a Pulumi secret, so it is encrypted in the state and hidden in diffs', () => {
    expect(secretsOf(run).length).toBeGreaterThan(0);
    expect([...run.secretInputs].sort()).toEqual(
      secretsOf(run)
        .map((s) => s.name)
        .sort(),
    );
  });

  it('puts no secret value in any applied object', () => {
    const text = JSON.stringify(applied(run));
    for (const v of Object.values(values)) expect(text).not.toContain(v);
  });

  it('applies everything through one Kubernetes provider', () => {
    const providers = run.resources.filter((r) => r.type === PROVIDER);
    expect(providers).toHaveLength(1);
    for (const r of run.resources.filter((x) => x.type !== PROVIDER)) expect(r.provider).toContain(`::${providers[0].name}::`);
    expect(providers[0].inputs.context).toBeUndefined();
  });

  it('exports the in-cluster URLs of Grafana, Prometheus and Alertmanager', () => {
    const ns = PROFILES[env].namespace;
    expect(run.outputs).toMatchObject({
      environment: env,
      namespace: ns,
      grafanaUrl: `http://grafana.${ns}.svc:3000`,
      prometheusUrl: `http://prometheus.${ns}.svc:9090`,
      alertmanagerUrl: `http://alertmanager.${ns}.svc:9093`,
    });
    expect(run.outputs.secrets).toEqual(expected.map((s) => s.name));
  });
});

describe('per-deployment config flows into the profile before the chart is built', () => {
  const overrides = { namespace: 'observability', storageClass: 'fast-ssd', imageRegistry: 'mirror.example.com:5000/library' };
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ stack: 'staging', config: { ...overrides, kubeContext: 'staging-eu-west' }, secrets: secretConfig(expectedOf('staging')) });
  });

  it('applies exactly what synth writes for the profile with the same overrides', () => {
    expect(run.error).toBeUndefined();
    const { profile } = withOverrides(PROFILES.staging, overrides);
    expect(byKey(applied(run))).toEqual(byKey(synthFiles(profile)));
  });

  it('puts every namespaced object and Secret in the configured namespace, and reports URLs there', () => {
    const objs = applied(run);
    expect(objs.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== undefined).every((o) => o.metadata.namespace === 'observability')).toBe(true);
    expect(objs.find((o) => o.kind === 'Namespace')!.metadata.name).toBe('observability');
    for (const s of secretsOf(run)) expect(s.inputs.metadata.namespace).toBe('observability');
    expect(run.outputs.grafanaUrl).toBe('http://grafana.observability.svc:3000');
  });

  it('gives every volume claim the storage class, and pulls every image from the mirror', () => {
    const objs = applied(run) as any[];
    const claims = [
      ...objs.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.spec),
      ...objs.filter((o) => o.kind === 'StatefulSet').flatMap((o) => (o.spec.volumeClaimTemplates ?? []).map((t: any) => t.spec)),
    ];
    expect(claims.length).toBeGreaterThanOrEqual(3);
    for (const c of claims) expect(c.storageClassName).toBe('fast-ssd');
    const images = objs
      .flatMap((o) => (o.spec?.template?.spec ? [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])] : []))
      .map((c: any) => c.image);
    expect(images.length).toBeGreaterThan(0);
    for (const i of images) expect(i).toMatch(/^mirror\.example\.com:5000\/library\//);
  });

  it('targets the configured kubeconfig context', () => {
    expect(run.resources.find((r) => r.type === PROVIDER)!.inputs.context).toBe('staging-eu-west');
  });

  it('deploys a named environment from a stack of another name', async () => {
    const r = await runProgram({ stack: 'production-eu', config: { environment: 'production' }, secrets: secretConfig(expectedOf('production')) });
    expect(r.error).toBeUndefined();
    expect(r.outputs.environment).toBe('production');
    expect(byKey(applied(r))).toEqual(byKey(synthFiles(PROFILES.production)));
  });
});

describe('bad input stops the program with a clear message before anything is declared', () => {
  const cases: Array<[string, Parameters<typeof runProgram>[0], RegExp]> = [
    [
      'a stack name that matches no environment',
      { stack: 'qa', secrets: secretConfig(expectedOf('staging')) },
      /^Pulumi stack "qa": environment \(from the stack name\) is "qa"; name the stack after an environment \(local, staging, production\), or set `pulumi config set environment <one of them>`$/,
    ],
    [
      'an environment setting that names no environment',
      { stack: 'eu', config: { environment: 'prod' } },
      /^Pulumi stack "eu": grekko-monitoring:environment is "prod"; name the stack after an environment/,
    ],
    [
      'a missing required secret',
      {
        stack: 'production',
        secrets: { ...secretConfig(expectedOf('production')), 'alertmanager-receivers.opsgenie-api-key': undefined as unknown as string },
      },
      /^Pulumi stack "production": grekko-monitoring:alertmanager-receivers\.opsgenie-api-key is missing; set it with `pulumi config set --secret alertmanager-receivers\.opsgenie-api-key <value>` \(receiver credentials .*; read by alertmanager\)\. docs\/secrets\.md lists every secret value per environment$/,
    ],
    [
      'every secret missing at once: all are named',
      { stack: 'production' },
      new RegExp(
        `grekko-monitoring:alertmanager-receivers\\.opsgenie-api-key is missing; .*; also missing: ${secretKeysOf(expectedOf('production'))
          .slice(1)
          .map(escape)
          .join(', ')}\\.`,
      ),
    ],
    [
      'an invalid storage class name',
      { stack: 'staging', config: { storageClass: 'Fast_SSD' }, secrets: secretConfig(expectedOf('staging')) },
      /^Pulumi stack "staging": grekko-monitoring:storageClass is "Fast_SSD"; use the name of a StorageClass of the cluster \(`kubectl get storageclass`\): lowercase letters, digits, "-" and "\."$/,
    ],
    [
      'an invalid namespace',
      { stack: 'local', config: { namespace: 'Monitoring' }, secrets: secretConfig(expectedOf('local')) },
      /^Pulumi stack "local": grekko-monitoring:namespace is "Monitoring"; use a DNS label: lowercase letters, digits and "-", at most 63 characters$/,
    ],
    [
      'an invalid image registry mirror',
      { stack: 'local', config: { imageRegistry: 'https://mirror.example.com' }, secrets: secretConfig(expectedOf('local')) },
      /^Pulumi stack "local": grekko-monitoring:imageRegistry is "https:\/\/mirror\.example\.com"; use a registry host/,
    ],
    [
      'an empty kube context',
      { stack: 'local', config: { kubeContext: ' ' }, secrets: secretConfig(expectedOf('local')) },
      /^Pulumi stack "local": grekko-monitoring:kubeContext is " "; give it a value, or remove it/,
    ],
    [
      'a secret value misspelt',
      { stack: 'local', secrets: { ...secretConfig(expectedOf('local')), 'grafana-admin.admin-pasword': 'x' } },
      new RegExp(
        `^Pulumi stack "local": grekko-monitoring:grafana-admin\\.admin-pasword is "set"; nothing reads it: remove it with \`pulumi config rm grafana-admin\\.admin-pasword\`\\. .*secret values this environment reads are ${secretKeysOf(expectedOf('local')).map(escape).join(', ')}`,
      ),
    ],
  ];

  it.each(cases)('%s', async (_what, input, message) => {
    const secrets = Object.fromEntries(Object.entries(input.secrets ?? {}).filter(([, v]) => v !== undefined));
    const run = await runProgram({ ...input, secrets });
    expect(run.error?.message).toMatch(message);
    expect(run.resources).toEqual([]);
  });

  it('a secret stored in plain text, without showing its value', async () => {
    const values = secretConfig(expectedOf('local'));
    const plain = 'grafana-admin.admin-password';
    const run = await runProgram({
      stack: 'local',
      config: { [plain]: values[plain] },
      secrets: Object.fromEntries(Object.entries(values).filter(([k]) => k !== plain)),
    });
    expect(run.error?.message).toBe(
      'Pulumi stack "local": grekko-monitoring:grafana-admin.admin-password is "<stored in plain text>"; store it encrypted: `pulumi config set --secret grafana-admin.admin-password <value>`, so that it never appears in Pulumi.local.yaml',
    );
    expect(run.error?.message).not.toContain(values[plain]);
    expect(run.resources).toEqual([]);
  });

  it('a storage class on an environment with no volume claims deploys, with a warning', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = await runProgram({ stack: 'local', config: { storageClass: 'standard' }, secrets: secretConfig(expectedOf('local')) });
    expect(run.error).toBeUndefined();
    expect(warn.mock.calls.flat().join('\n')).toContain(
      'Pulumi stack "local": grekko-monitoring:storageClass is set but changes nothing: environment "local" has no volume claims',
    );
    warn.mockRestore();
    expect(byKey(applied(run))).toEqual(byKey(synthFiles(PROFILES.local)));
  });
});

describe('a malformed secret value stops the program before anything is declared, naming the key, never the value', () => {
  const password = 'grafana-admin.admin-password';
  const webhook = 'alertmanager-receivers.slack-staging-webhook-url';
  const ca = 'elasticsearch-certs.ca.crt';
  const key = 'elasticsearch-certs.tls.key';
  const pem = standInSecretValue('elasticsearch-certs', 'ca.crt');
  const lines = pem.trim().split('\n');
  const truncated = [...lines.slice(0, 3), lines[lines.length - 1]].join('\n');
  const cases: Array<[string, EnvironmentName, string, string, string]> = [
    ['an empty password', 'local', password, '', '<empty>'],
    ['a password of spaces', 'local', password, '   ', '<only whitespace>'],
    ['a password ending in a newline', 'local', password, 'correct-horse-battery\n', '<a value ending in a newline>'],
    [
      'a password from a file with Windows line endings',
      'local',
      password,
      'correct-horse-battery\r',
      '<a value ending in a carriage return (a file with Windows line endings)>',
    ],
    ['a password of two lines', 'local', password, 'correct-horse\nbattery', '<a value of several lines>'],
    ['a password with a leading space', 'local', password, ' correct-horse-battery', '<a value beginning or ending with whitespace>'],
    ['a webhook URL without its scheme', 'staging', webhook, 'hooks.slack.com/services/T0000/B0000/XXXXXXXX', '<not a URL>'],
    [
      'a webhook URL of another scheme',
      'staging',
      webhook,
      'ftp://hooks.slack.com/services/T0000/B0000/XXXXXXXX',
      '<a URL that is not https:// or http:// (scheme ftp:)>',
    ],
    ['a webhook URL ending in a newline', 'staging', webhook, 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXX\n', '<a value ending in a newline>'],
    ['a CA certificate that is not PEM', 'local', ca, 'MIIBvTCCAWOgAwIBAgIUZzYseJytcRTRPqct', '<not a PEM certificate>'],
    ['a truncated CA certificate', 'local', ca, truncated, '<a PEM certificate whose first block does not parse>'],
    ['a private key that is not PEM', 'local', key, 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg', '<not a PEM private key>'],
  ];

  it.each(cases)('%s', async (_what, env, k, bad, what) => {
    const run = await runProgram({ stack: env, secrets: { ...secretConfig(expectedOf(env)), [k]: bad } });
    expect(run.error?.message).toMatch(
      new RegExp(
        `^Pulumi stack "${env}": grekko-monitoring:${escape(k)} is "${escape(what)}"; .*\`pulumi config set --secret ${escape(k)} < \\./${escape(k)}\``,
      ),
    );
    if (bad.trim() !== '') expect(run.error?.message).not.toContain(bad.trim());
    expect(run.resources).toEqual([]);
  });

  it('says how to set a line value right, and what the Secret is for', async () => {
    const run = await runProgram({ stack: 'local', secrets: { ...secretConfig(expectedOf('local')), [password]: 'correct-horse-battery\n' } });
    expect(run.error?.message).toBe(
      'Pulumi stack "local": grekko-monitoring:grafana-admin.admin-password is "<a value ending in a newline>"; it must be one line of text with no whitespace at either end, ' +
        'as the programs read it byte for byte: write it alone to ./grafana-admin.admin-password and run `pulumi config set --secret grafana-admin.admin-password < ./grafana-admin.admin-password` ' +
        '(the CLI drops one final newline from standard input, unless --raw) (Grafana admin login, and the key that encrypts datasource secrets in its database; read by grafana)',
    );
  });

  it('names every malformed value at once', async () => {
    const run = await runProgram({
      stack: 'local',
      secrets: { ...secretConfig(expectedOf('local')), [password]: '', [ca]: 'x', 'postgres-exporter.password': ' ' },
    });
    expect(run.error?.message).toMatch(
      /^Pulumi stack "local": grekko-monitoring:elasticsearch-certs\.ca\.crt is "<not a PEM certificate>"; set it to one or more PEM certificates .*; also malformed: grafana-admin\.admin-password \(empty\), postgres-exporter\.password \(only whitespace\)$/,
    );
    expect(run.resources).toEqual([]);
  });

  it('accepts what the programs take: a CA bundle, an http URL, a key in any PEM private-key encoding', () => {
    expect(checkSecretValue('ca.crt', `${pem}\n${pem}`)).toBeUndefined();
    expect(checkSecretValue('ca.crt', pem.trimEnd())).toBeUndefined();
    expect(checkSecretValue('ca.crt', `${pem}\ntrailing words`)?.what).toBe('PEM certificates with other text around them');
    expect(checkSecretValue('slack-alerts-webhook-url', 'http://chat.internal:8065/hooks/abc')).toBeUndefined();
    expect(checkSecretValue('tls.key', standInSecretValue('elasticsearch-certs', 'tls.key'))).toBeUndefined();
    const { privateKey } = require('node:crypto').generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(checkSecretValue('tls.key', privateKey.export({ type: 'pkcs1', format: 'pem' }))).toBeUndefined();
    expect(checkSecretValue('tls.key', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'p' }))?.what).toBe(
      'a PEM private key encrypted with a passphrase',
    );
    expect(checkSecretValue('opsgenie-api-key', 'c0ffee00-1234-5678-9abc-def012345678')).toBeUndefined();
  });
});

/** Every `<secret>.<key>` config key of the Secrets an environment expects, in their order. */
function secretKeysOf(secrets: ReadonlyArray<{ name: string; keys: readonly string[] }>): string[] {
  return secrets.flatMap((s) => s.keys.map((k) => `${s.name}.${k}`));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
