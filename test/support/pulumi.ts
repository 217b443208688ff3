/**
 * Runs the Pulumi program (stacks/pulumi.ts) against Pulumi's mock monitor: no CLI, no cluster.
 * Each run loads a fresh copy of the program and of @pulumi/pulumi with the given stack name and
 * config, and records every resource the program declares, with its inputs, whether each input
 * arrived as a Pulumi secret, and the resources it depends on.
 */
import type * as pulumiTypes from '@pulumi/pulumi';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { secretValueKind } from '../../lib/pulumi/secret-values';

export const PROJECT = 'grekko-monitoring';

export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the provider would receive them (secrets unwrapped). */
  readonly inputs: any;
  /** Logical names of the resources it explicitly depends on. */
  readonly dependsOn: readonly string[];
  /** Whether the provider reference was set (every resource must use the stack's provider). */
  readonly provider: string | undefined;
}

export interface ProgramRun {
  readonly resources: DeclaredResource[];
  /** The program's exports (stack outputs), with outputs resolved. */
  readonly outputs: Record<string, unknown>;
  /** Names of the resources whose `stringData` reaches the engine as a Pulumi secret. */
  readonly secretInputs: readonly string[];
  /**
   * Every resource's inputs as serialized for the engine, with each Pulumi secret replaced by
   * `[secret]`: what would appear in plain text in the state, a diff or the provider's logs.
   */
  readonly plainInputs: Readonly<Record<string, string>>;
  readonly error?: Error;
}

export interface ProgramInput {
  readonly stack: string;
  /** Plain settings: key without the project prefix → value. */
  readonly config?: Readonly<Record<string, string>>;
  /** Values stored with `--secret`: key without the project prefix → value. */
  readonly secrets?: Readonly<Record<string, string>>;
}

export async function runProgram(input: ProgramInput): Promise<ProgramRun> {
  const resources: DeclaredResource[] = [];
  const secretInputs: string[] = [];
  const plainInputs: Record<string, string> = {};
  const dependsOnByName = new Map<string, string[]>();
  let pulumi!: typeof pulumiTypes;
  let program: Record<string, unknown> | undefined;
  let error: Error | undefined;

  // Pulumi keeps its state on the global object: start every run from a clean one.
  delete (globalThis as any).globalStore;
  jest.isolateModules(() => {
    pulumi = require('@pulumi/pulumi');
    // The mock monitor hands newResource the inputs with secrets unwrapped and without the
    // dependencies; read both from the registration request itself.
    const { MockMonitor } = require('@pulumi/pulumi/runtime/mocks');
    const register = MockMonitor.prototype.registerResource;
    MockMonitor.prototype.registerResource = function (req: any, callback: unknown) {
      dependsOnByName.set(
        req.getName(),
        req.getDependenciesList().map((urn: string) => urn.split('::').pop()),
      );
      const raw = req.getObject()?.toJavaScript() ?? {};
      plainInputs[req.getName()] = JSON.stringify(withoutSecrets(raw));
      const data = raw.stringData;
      if (data !== undefined && (isSecretValue(data) || Object.values(data).every(isSecretValue))) secretInputs.push(req.getName());
      return register.call(this, req, callback);
    };
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...(input.config ?? {}), ...(input.secrets ?? {}) })) all[`${PROJECT}:${k}`] = v;
    pulumi.runtime.setAllConfig(
      all,
      Object.keys(input.secrets ?? {}).map((k) => `${PROJECT}:${k}`),
    );
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          resources.push({ type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs), dependsOn: [], provider: args.provider });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      PROJECT,
      input.stack,
      false,
    );
    try {
      program = require('../../stacks/pulumi');
    } catch (e) {
      error = e as Error;
    }
  });

  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(program ?? {})) outputs[k] = await resolve(pulumi, v);
  await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
  return {
    resources: resources.map((r) => ({ ...r, dependsOn: dependsOnByName.get(r.name) ?? [] })),
    outputs,
    secretInputs,
    plainInputs,
    ...(error ? { error } : {}),
  };
}

/** A value serialized as a Pulumi secret (the engine's secret signature). */
function isSecretValue(v: unknown): boolean {
  const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)['4dabf18193072939515e22adb298388d'] === SECRET_SIG;
}

/** Inputs with every secret envelope replaced by `[secret]`. */
function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v === null || typeof v !== 'object') return v;
  if (isSecretValue(v)) return '[secret]';
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x)]));
}

/** Inputs with secret envelopes replaced by their values, as the provider sees them. */
function unwrapSecrets(v: unknown): any {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v === null || typeof v !== 'object') return v;
  if (isSecretValue(v)) return unwrapSecrets((v as { value: unknown }).value);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
}

async function resolve(pulumi: typeof pulumiTypes, v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) return new Promise((ok) => (v as pulumiTypes.Output<unknown>).apply((x) => ok(x)));
  if (Array.isArray(v)) return Promise.all(v.map((x) => resolve(pulumi, x)));
  return v;
}

const STAND_IN_CA = fs.readFileSync(path.join(__dirname, 'stand-in-ca.crt'), 'utf8');
let standInKey: string | undefined;

/**
 * A well-formed made-up value for one key of a Secret, of the kind the program checks for
 * (lib/pulumi/secret-values.ts): a PEM certificate for `*.crt` (test/support/stand-in-ca.crt, whose key was
 * never kept), a fresh PEM private key for `*.key`, an https URL for `*-url`, otherwise one line
 * naming the key, so that each value can be looked for.
 */
export function standInSecretValue(secretName: string, key: string): string {
  switch (secretValueKind(key)) {
    case 'certificate':
      return STAND_IN_CA;
    case 'private-key':
      standInKey ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      return standInKey;
    case 'url':
      return `https://hooks.example.com/services/${secretName}/${key}`;
    case 'line':
      return `value-of-${secretName}-${key}`;
  }
}

/** A stack file (`Pulumi.<stack>.yaml`) as the program would see it, split by how each value is stored. */
export interface StackFile {
  /** Plain values of the project's keys (without the `grekko-monitoring:` prefix). */
  readonly settings: Readonly<Record<string, string>>;
  /** Values stored with `pulumi config set --secret`: key (without the prefix) → ciphertext. */
  readonly secure: Readonly<Record<string, string>>;
  /** Keys of other namespaces (`kubernetes:context`): the program reads none of them. */
  readonly otherKeys: readonly string[];
}

/**
 * Reads a stack file. The engine decrypts `secure:` values with the stack's secrets provider
 * (passphrase, cloud KMS, Pulumi Cloud) before the program starts; Pulumi's mock monitor has no
 * provider, so a test gives the program a stand-in for each (standInSecretValue) and checks the
 * path it takes.
 */
export function readStackFile(text: string): StackFile {
  const doc = (parse(text) ?? {}) as { config?: Record<string, unknown> };
  const settings: Record<string, string> = {};
  const secure: Record<string, string> = {};
  const otherKeys: string[] = [];
  const prefix = `${PROJECT}:`;
  for (const [fullKey, value] of Object.entries(doc.config ?? {})) {
    if (!fullKey.startsWith(prefix)) {
      otherKeys.push(fullKey);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    if (value !== null && typeof value === 'object' && typeof (value as { secure?: unknown }).secure === 'string')
      secure[key] = (value as { secure: string }).secure;
    else settings[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { settings, secure, otherKeys };
}
