/**
 * The Pulumi project as the CLI sees it: Pulumi.yaml, one stack file per environment, and the
 * entry point `pulumi up` loads, run under plain node (no ts-jest) the way Pulumi's Node.js
 * language host runs it when its own TypeScript support is off.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EnvironmentName } from '../../lib/profile';
import { buildStack, PROFILES } from '../../stacks/environments';
import { PROJECT, readStackFile, runProgram, standInSecretValue } from '../support/pulumi';
import { ENVIRONMENTS } from '../support/synth';

const root = path.join(__dirname, '..', '..');
const project = parse(fs.readFileSync(path.join(root, 'Pulumi.yaml'), 'utf8'));

/** The settings that pick the target cluster: they change no object the stack applies. */
const CLUSTER_SETTINGS = ['kubeContext', 'kubeconfig'];

/** Every `<secret>.<key>` the environment reads, with a well-formed stand-in value. */
function standIns(env: EnvironmentName): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of buildStack(PROFILES[env]).expectedSecrets) for (const k of s.keys) out[`${s.name}.${k}`] = standInSecretValue(s.name, k);
  return out;
}

/** Made-up ciphertext in the CLI's format (`v1:<nonce>:<sealed value>`, base64). */
function ciphertext(key: string): string {
  const bytes = createHash('sha256').update(key).digest();
  return `v1:${bytes.subarray(0, 12).toString('base64')}:${createHash('sha512').update(key).digest('base64')}`;
}

/**
 * A stack file as `pulumi config set --secret` leaves it with the passphrase secrets provider:
 * every secret value of the environment as `secure:` ciphertext, beside a plain setting and a
 * key of another namespace.
 */
function stackFileWithSecrets(env: EnvironmentName): string {
  const lines = [
    `# Stack "${env}"`,
    `encryptionsalt: ${ciphertext('salt')}`,
    'config:',
    '  kubernetes:context: kind-grekko',
    `  ${PROJECT}:kubeContext: kind-grekko`,
  ];
  for (const key of Object.keys(standIns(env))) lines.push(`  ${PROJECT}:${key}:`, `    secure: ${ciphertext(key)}`);
  return `${lines.join('\n')}\n`;
}

describe('the Pulumi project', () => {
  it('is a Node.js project whose entry loads the TypeScript program itself', () => {
    expect(project.name).toBe(PROJECT);
    expect(project.runtime).toEqual({ name: 'nodejs', options: { typescript: false } });
    expect(fs.existsSync(path.join(root, project.main))).toBe(true);
  });

  it.each(ENVIRONMENTS)(
    'has a stack file for %s that changes no object, so the stack deploys what synth writes; secret values in it are ones the environment reads',
    (env) => {
      const file = readStackFile(fs.readFileSync(path.join(root, `Pulumi.${env}.yaml`), 'utf8'));
      expect(Object.keys(file.settings).filter((k) => !CLUSTER_SETTINGS.includes(k))).toEqual([]);
      const reads = Object.keys(standIns(env));
      expect(Object.keys(file.secure).filter((k) => !reads.includes(k))).toEqual([]);
    },
  );
});

describe('a stack file holding `pulumi config set --secret` ciphertext', () => {
  it('is read as the program sees it: secure values apart from settings, other namespaces aside', () => {
    const file = readStackFile(stackFileWithSecrets('local'));
    expect(file.settings).toEqual({ kubeContext: 'kind-grekko' });
    expect(Object.keys(file.secure).sort()).toEqual(Object.keys(standIns('local')).sort());
    expect(file.secure['grafana-admin.admin-password']).toBe(ciphertext('grafana-admin.admin-password'));
    expect(file.otherKeys).toEqual(['kubernetes:context']);
  });

  // The engine decrypts each value before the program starts; the mocks cannot, so each value is
  // a well-formed stand-in, looked for afterwards in everything the program declared.
  it.each(ENVIRONMENTS)('deploys %s with every value a Pulumi secret, in plain text in no resource input and no output', async (env) => {
    const file = readStackFile(stackFileWithSecrets(env));
    const values = standIns(env);
    const run = await runProgram({ stack: env, config: file.settings, secrets: Object.fromEntries(Object.keys(file.secure).map((k) => [k, values[k]])) });
    expect(run.error).toBeUndefined();

    const secrets = run.resources.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(secrets.length).toBeGreaterThan(0);
    expect([...run.secretInputs].sort()).toEqual(secrets.map((s) => s.name).sort());
    for (const s of secrets) {
      // Each key reached the engine as a secret, and holds the value of its stack config key.
      const sent = JSON.parse(run.plainInputs[s.name]).stringData;
      expect(sent === '[secret]' || Object.values(sent).every((v) => v === '[secret]')).toBe(true);
      for (const [k, v] of Object.entries<string>(s.inputs.stringData)) expect(v).toBe(values[`${s.inputs.metadata.name}.${k}`]);
    }

    const plain = [...Object.values(run.plainInputs), JSON.stringify(run.outputs)];
    for (const [key, value] of Object.entries(values)) {
      // A PEM value is looked for by its longest line (JSON escapes its newlines).
      const needle = value.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
      expect([key, plain.filter((text) => text.includes(needle)).length]).toEqual([key, 0]);
      expect([key, plain.filter((text) => text.includes(file.secure[key])).length]).toEqual([key, 0]);
    }
  });
});

describe('`pulumi up` loading the program through its entry point under plain node', () => {
  it('declares the staging stack and exports its URLs', () => {
    const secrets = Object.fromEntries(Object.entries(standIns('staging')).map(([k, v]) => [`${PROJECT}:${k}`, v]));
    const script = `
      const pulumi = require('@pulumi/pulumi');
      const secrets = ${JSON.stringify(secrets)};
      pulumi.runtime.setAllConfig(secrets, Object.keys(secrets));
      const types = [];
      pulumi.runtime.setMocks({ newResource: (a) => { types.push(a.type); return { id: a.name + '-id', state: a.inputs }; }, call: (a) => a.inputs }, ${JSON.stringify(PROJECT)}, 'staging');
      const program = require(${JSON.stringify(path.join(root, project.main))});
      pulumi.runtime.waitForRPCs().then(() => process.stdout.write(JSON.stringify({ types, grafanaUrl: program.grafanaUrl, environment: program.environment })));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.environment).toBe('staging');
    expect(out.grafanaUrl).toBe('http://grafana.monitoring.svc:3000');
    expect(out.types.filter((t: string) => t === 'kubernetes:yaml/v2:ConfigGroup')).toHaveLength(3);
    expect(out.types).toContain('kubernetes:core/v1:Secret');
  });
});
