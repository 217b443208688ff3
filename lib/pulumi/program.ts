/**
 * Deploys a MonitoringStack chart with Pulumi: the very objects `cdk8s synth` writes, applied by
 * @pulumi/kubernetes in a safe order, plus the Secrets the manifests reference, created from
 * Pulumi secret config. Everything is read and checked before the first resource is declared, so
 * bad input stops `pulumi preview` and `pulumi up` with a clear message and applies nothing.
 *
 * Stack config (in the project's namespace):
 * - `environment`: the profile to deploy (default: the stack name);
 * - `namespace`, `storageClass`, `imageRegistry`: per-deployment overrides of the profile;
 * - `kubeContext`, `kubeconfig`: which cluster (default: the current context of $KUBECONFIG);
 * - `<secret>.<key>`: one secret value per key of every Secret the chart expects.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { publishedEndpoints } from '../core/endpoints';
import { ConfigError } from '../core/errors';
import { DeploymentOverrides } from './overrides';
import { SECRET_VALUE_KINDS, SecretValueProblem, checkSecretValue } from './secret-values';
import { ExpectedSecret } from '../core/secrets';
import { MonitoringStack } from '../stack';
import { KubeObject, applyRank, inApplyOrder } from '../synth';

/** The stack config keys that are settings (every other key of the project names a secret value). */
export const SETTING_KEYS = ['environment', 'namespace', 'storageClass', 'imageRegistry', 'kubeContext', 'kubeconfig'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export interface DeploySettings {
  /** The environment profile to deploy. */
  readonly environment: string;
  readonly overrides: DeploymentOverrides;
  /** @default - the current context of the kubeconfig */
  readonly kubeContext?: string;
  /** Path to, or contents of, a kubeconfig. @default - $KUBECONFIG or ~/.kube/config */
  readonly kubeconfig?: string;
}

/** How a stack's config is read; `pulumi.Config` satisfies it. */
export interface ConfigSource {
  /** The config namespace: the project name. */
  readonly name: string;
  get(key: string): string | undefined;
  getSecret(key: string): pulumi.Output<string> | undefined;
}

/** `Pulumi stack "production"`: where config errors are said to come from. */
export function stackWhere(stack: string): string {
  return `Pulumi stack "${stack}"`;
}

/** Reads the settings of a stack; empty values are errors, not defaults. */
export function readSettings(config: ConfigSource, stack: string): DeploySettings {
  const where = stackWhere(stack);
  const get = (key: SettingKey): string | undefined => {
    const v = config.get(key);
    if (v !== undefined && v.trim() === '') {
      throw new ConfigError(where, `${config.name}:${key}`, v, `give it a value, or remove it with \`pulumi config rm ${key}\` to use the default`);
    }
    return v;
  };
  const opt = <K extends string>(k: K, v: string | undefined): { [P in K]?: string } => (v === undefined ? {} : ({ [k]: v } as { [P in K]?: string }));
  return {
    environment: get('environment') ?? stack,
    overrides: { ...opt('namespace', get('namespace')), ...opt('storageClass', get('storageClass')), ...opt('imageRegistry', get('imageRegistry')) },
    ...opt('kubeContext', get('kubeContext')),
    ...opt('kubeconfig', get('kubeconfig')),
  };
}

/** The stack config key holding one key of a Secret: `grafana-admin.admin-password`. */
export function secretConfigKey(secretName: string, key: string): string {
  return `${secretName}.${key}`;
}

/**
 * The stack outputs taken from endpoints that the chart publishes (lib/core/endpoints.ts). Each must be
 * published, or the program stops before applying anything.
 */
export const ENDPOINT_OUTPUTS = [
  { output: 'grafanaUrl', endpoint: 'grafana' },
  { output: 'prometheusUrl', endpoint: 'prometheus' },
  { output: 'alertmanagerUrl', endpoint: 'alertmanager' },
  { output: 'kibanaUrl', endpoint: 'kibana' },
  { output: 'jaegerUrl', endpoint: 'jaeger' },
  { output: 'otlpGrpcEndpoint', endpoint: 'otlp-grpc' },
  { output: 'otlpHttpEndpoint', endpoint: 'otlp-http' },
] as const;

export type EndpointOutputName = (typeof ENDPOINT_OUTPUTS)[number]['output'];

/** The endpoint outputs of a deployment: every output of ENDPOINT_OUTPUTS, unset when not published. */
export function endpointOutputs(endpoints: Readonly<Record<string, string>>): Record<EndpointOutputName, string | undefined> {
  const out = {} as Record<EndpointOutputName, string | undefined>;
  for (const o of ENDPOINT_OUTPUTS) out[o.output] = endpoints[o.endpoint];
  return out;
}

/** The values of one expected Secret, each a Pulumi secret. */
export interface SecretValues {
  readonly secret: ExpectedSecret;
  readonly data: Readonly<Record<string, pulumi.Output<string>>>;
}

export interface ReadSecretsOptions {
  /** Every config key set on the stack (`project:key`), to refuse keys nothing reads. @default - not checked */
  readonly allKeys?: readonly string[];
  /** Whether a key was stored encrypted (`pulumi config set --secret`). @default - not checked */
  readonly isSecret?: (fullKey: string) => boolean;
}

/**
 * Reads every key of every expected Secret from stack config. Throws a ConfigError when one is
 * missing (naming every missing key and the command that sets it), stored in plain text, malformed
 * (empty, only whitespace, a line value ending in a newline, a URL that is not one, a certificate or
 * key that does not parse: lib/pulumi/secret-values.ts; every malformed key is named, no value is shown),
 * or when the stack sets a key that no setting and no manifest reads (a typo would otherwise go
 * unnoticed while the real key is missing).
 */
export function readSecretValues(config: ConfigSource, expected: readonly ExpectedSecret[], stack: string, opts: ReadSecretsOptions = {}): SecretValues[] {
  const where = stackWhere(stack);
  const full = (k: string) => `${config.name}:${k}`;
  const wanted = new Set<string>(SETTING_KEYS);
  for (const s of expected) for (const k of s.keys) wanted.add(secretConfigKey(s.name, k));

  const prefix = `${config.name}:`;
  const stray = (opts.allKeys ?? []).filter((k) => k.startsWith(prefix) && !wanted.has(k.slice(prefix.length))).sort();
  if (stray.length > 0) {
    const secretKeys = [...wanted].filter((k) => !(SETTING_KEYS as readonly string[]).includes(k));
    throw new ConfigError(
      where,
      stray[0],
      'set',
      `nothing reads it: remove it with \`pulumi config rm ${stray[0].slice(prefix.length)}\`. Settings are ${SETTING_KEYS.join(', ')}; ` +
        `secret values this environment reads are ${secretKeys.join(', ') || 'none'} (docs/secrets.md)`,
    );
  }

  const missing: Array<{ key: string; secret: ExpectedSecret }> = [];
  const malformed: Array<{ key: string; secret: ExpectedSecret; problem: SecretValueProblem }> = [];
  const out: SecretValues[] = [];
  for (const secret of expected) {
    const data: Record<string, pulumi.Output<string>> = {};
    for (const k of secret.keys) {
      const key = secretConfigKey(secret.name, k);
      const value = config.getSecret(key);
      if (value === undefined) {
        missing.push({ key, secret });
        continue;
      }
      if (opts.isSecret && !opts.isSecret(full(key))) {
        throw new ConfigError(
          where,
          full(key),
          '<stored in plain text>',
          `store it encrypted: \`pulumi config set --secret ${key} <value>\`, so that it never appears in Pulumi.${stack}.yaml`,
        );
      }
      // The plain text is known while the program runs (the engine decrypts stack config before it
      // starts the program): it is checked here, and leaves this function only inside `value`.
      const problem = checkSecretValue(k, config.get(key) ?? '');
      if (problem) malformed.push({ key, secret, problem });
      data[k] = value;
    }
    out.push({ secret, data });
  }
  if (missing.length > 0) {
    const [first, ...rest] = missing;
    throw new ConfigError(
      where,
      full(first.key),
      undefined,
      `set it with \`pulumi config set --secret ${first.key} <value>\` (${first.secret.description}; read by ${first.secret.usedBy})` +
        (rest.length > 0 ? `; also missing: ${rest.map((m) => m.key).join(', ')}` : '') +
        '. docs/secrets.md lists every secret value per environment',
    );
  }
  if (malformed.length > 0) {
    const [first, ...rest] = malformed;
    throw new ConfigError(
      where,
      full(first.key),
      `<${first.problem.what}>`,
      `${fixOf(first.key, first.problem)} (${first.secret.description}; read by ${first.secret.usedBy})` +
        (rest.length > 0 ? `; also malformed: ${rest.map((m) => `${m.key} (${m.problem.what})`).join(', ')}` : ''),
    );
  }
  return out;
}

/** How to set a malformed secret value right. */
function fixOf(key: string, problem: SecretValueProblem): string {
  const set = `\`pulumi config set --secret ${key} < ./${key}\``;
  if (problem.line) {
    const what = problem.kind === 'line' ? 'one line of text' : `${SECRET_VALUE_KINDS[problem.kind]} on one line`;
    return `it must be ${what} with no whitespace at either end, as the programs read it byte for byte: write it alone to ./${key} and run ${set} (the CLI drops one final newline from standard input, unless --raw)`;
  }
  return `set it to ${SECRET_VALUE_KINDS[problem.kind]}: ${set}`;
}

/** One step of the apply order. */
export interface ApplyStage {
  readonly name: 'cluster' | 'foundation' | 'workloads';
  readonly objects: KubeObject[];
}

/**
 * Splits a chart's objects into the order they are applied in:
 * 1. `cluster`: the Namespace and every cluster-scoped object (RBAC roles and bindings, ...);
 * 2. `foundation`: namespaced identities, roles, configuration, volume claims and Services;
 * 3. `workloads`: StatefulSets, Deployments, DaemonSets, Jobs, then disruption budgets and
 *    network policies (the same bands as the `NN-` prefixes of dist/).
 * The Secrets the chart expects are created between 1 and 2. A kind keeps its stage: moving a kind
 * to another stage would make Pulumi replace its objects.
 */
export function applyStages(objects: readonly KubeObject[]): ApplyStage[] {
  const ordered = inApplyOrder(objects);
  const clusterWide = (o: KubeObject) => o.kind === 'Namespace' || !o.metadata.namespace;
  return [
    { name: 'cluster', objects: ordered.filter(clusterWide) },
    { name: 'foundation', objects: ordered.filter((o) => !clusterWide(o) && applyRank(o.kind) < applyRank('Deployment')) },
    { name: 'workloads', objects: ordered.filter((o) => !clusterWide(o) && applyRank(o.kind) >= applyRank('Deployment')) },
  ];
}

export interface EnvironmentDeployment {
  readonly provider: k8s.Provider;
  /** One ConfigGroup per non-empty stage, in apply order. */
  readonly groups: ReadonlyArray<{ readonly stage: ApplyStage; readonly group: k8s.yaml.v2.ConfigGroup }>;
  readonly secrets: readonly k8s.core.v1.Secret[];
  /** Every endpoint the chart publishes, by name. */
  readonly endpoints: Readonly<Record<string, string>>;
}

/**
 * Declares the Pulumi resources of one environment. `secretValues` must come from
 * readSecretValues over the chart's expectedSecrets, so that every Secret it references exists.
 */
export function deployEnvironment(chart: MonitoringStack, secretValues: readonly SecretValues[], settings: DeploySettings): EnvironmentDeployment {
  const env = chart.profile.name;
  const ns = chart.context.namespace;
  const provider = new k8s.Provider(`${env}-kubernetes`, {
    ...(settings.kubeContext !== undefined ? { context: settings.kubeContext } : {}),
    // Contents of a kubeconfig carry credentials: keep them out of the state in clear text.
    ...(settings.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(settings.kubeconfig) } : {}),
  });

  const groups: Array<{ stage: ApplyStage; group: k8s.yaml.v2.ConfigGroup }> = [];
  let after: pulumi.Resource[] = [];
  const apply = (stage: ApplyStage): void => {
    if (stage.objects.length === 0) return;
    const group = new k8s.yaml.v2.ConfigGroup(`${env}-${stage.name}`, { objs: stage.objects }, { provider, dependsOn: after });
    groups.push({ stage, group });
    after = [group];
  };

  const [cluster, ...rest] = applyStages(chart.toJson() as KubeObject[]);
  apply(cluster);
  const secrets = secretValues.map(
    (s) =>
      new k8s.core.v1.Secret(
        `${env}-secret-${s.secret.name}`,
        {
          metadata: {
            name: s.secret.name,
            namespace: ns,
            labels: {
              'app.kubernetes.io/name': s.secret.name,
              'app.kubernetes.io/instance': chart.context.instance,
              'app.kubernetes.io/component': 'credentials',
              'app.kubernetes.io/part-of': chart.context.partOf,
              'app.kubernetes.io/managed-by': 'pulumi',
            },
            annotations: { 'kubernetes.io/description': `${s.secret.description} (read by ${s.secret.usedBy})` },
          },
          type: 'Opaque',
          stringData: s.data,
        },
        { provider, dependsOn: after },
      ),
  );
  // Workloads start with their Secrets in place, not in a crash loop waiting for them.
  after = [...after, ...secrets];
  for (const stage of rest) apply(stage);

  const endpoints: Record<string, string> = {};
  for (const e of publishedEndpoints(chart)) endpoints[e.name] = e.url;
  return { provider, groups, secrets, endpoints };
}
