/**
 * Runs the Pulumi program (stacks/pulumi.ts) against Pulumi's mock monitor: no CLI, no cluster.
 * Each run loads a fresh copy of the program and of @pulumi/pulumi with the given stack name and
 * config, and records every resource the program declares, with its inputs, whether each input
 * arrived as a Pulumi secret, and the resources it depends on.
 */
import type * as pulumiTypes from '@pulumi/pulumi';

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
      dependsOnByName.set(req.getName(), req.getDependenciesList().map((urn: string) => urn.split('::').pop()));
      const raw = req.getObject()?.toJavaScript() ?? {};
      const data = raw.stringData;
      if (data !== undefined && (isSecretValue(data) || Object.values(data).every(isSecretValue))) secretInputs.push(req.getName());
      return register.call(this, req, callback);
    };
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...(input.config ?? {}), ...(input.secrets ?? {}) })) all[`${PROJECT}:${k}`] = v;
    pulumi.runtime.setAllConfig(all, Object.keys(input.secrets ?? {}).map((k) => `${PROJECT}:${k}`));
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
    ...(error ? { error } : {}),
  };
}

/** A value serialized as a Pulumi secret (the engine's secret signature). */
function isSecretValue(v: unknown): boolean {
  const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)['4dabf18193072939515e22adb298388d'] === SECRET_SIG;
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
