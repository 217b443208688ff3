/**
 * The Pulumi program (entry: Pulumi.yaml → stacks/pulumi-main.cjs → this file). The stack name
 * picks the environment profile (or `grekko-monitoring:environment` does); per-deployment config
 * (namespace, storage class, image registry mirror) is applied to the profile before the chart is
 * built, so with no such config Pulumi applies exactly the objects `npm run synth` writes to
 * dist/<environment>/. The Secrets those objects reference are created from Pulumi secret config.
 * Every input is checked before the first resource is declared.
 */
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../lib/core/errors';
import { publishedEndpoints } from '../lib/core/endpoints';
import { withOverrides } from '../lib/pulumi/overrides';
import { ENVIRONMENT_NAMES } from '../lib/profile';
import { ENDPOINT_OUTPUTS, EnvironmentDeployment, deployEnvironment, endpointOutputs, readSecretValues, readSettings, stackWhere } from '../lib/pulumi/program';
import { MonitoringStack } from '../lib/stack';
import { buildStack, profileFor } from './environments';

function deploy(): { chart: MonitoringStack; deployment: EnvironmentDeployment } {
  const stack = pulumi.getStack();
  const config = new pulumi.Config();
  const where = stackWhere(stack);
  try {
    const settings = readSettings(config, stack);
    if (!(ENVIRONMENT_NAMES as readonly string[]).includes(settings.environment)) {
      const fromConfig = config.get('environment') !== undefined;
      throw new ConfigError(
        where,
        fromConfig ? `${config.name}:environment` : 'environment (from the stack name)',
        settings.environment,
        `name the stack after an environment (${ENVIRONMENT_NAMES.join(', ')}), or set \`pulumi config set environment <one of them>\``,
      );
    }
    const { profile, unused } = withOverrides(profileFor(settings.environment), settings.overrides, { where, keyOf: (k) => `${config.name}:${k}` });
    for (const k of unused) pulumi.log.warn(`${where}: ${config.name}:${k} is set but changes nothing: environment "${profile.name}" has no volume claims`);
    const chart = buildStack(profile);
    const secretValues = readSecretValues(config, chart.expectedSecrets, stack, {
      allKeys: Object.keys(pulumi.runtime.allConfig()),
      isSecret: configIsSecret,
    });
    const published = new Set(publishedEndpoints(chart).map((e) => e.name));
    const absent = ENDPOINT_OUTPUTS.filter((o) => !published.has(o.endpoint));
    if (absent.length > 0)
      throw new Error(
        `the chart publishes no ${absent.map((o) => `"${o.endpoint}"`).join(', ')} endpoint; the ${absent.map((o) => o.output).join(', ')} output needs it`,
      );
    return { chart, deployment: deployEnvironment(chart, secretValues, settings) };
  } catch (err) {
    // A clear message without a stack trace: nothing has been declared, so nothing is applied.
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** Whether a config key was stored with `--secret` (unknown to old SDKs: then assume it was). */
function configIsSecret(fullKey: string): boolean {
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return typeof check === 'function' ? check(fullKey) : true;
}

const { chart, deployment } = deploy();

export const environment = chart.profile.name;
export const namespace = chart.context.namespace;
/** Names of the Secrets created from secret config (their values stay secret). */
export const secrets = deployment.secrets.map((s) => s.metadata.name);
/** Every endpoint the stack's components publish, by name. */
export const endpoints = deployment.endpoints;
const urls = endpointOutputs(deployment.endpoints);
export const grafanaUrl = urls.grafanaUrl;
export const prometheusUrl = urls.prometheusUrl;
export const alertmanagerUrl = urls.alertmanagerUrl;
/** Kibana, the log search UI. */
export const kibanaUrl = urls.kibanaUrl;
/** Jaeger's query UI and API. */
export const jaegerUrl = urls.jaegerUrl;
/** OTLP over gRPC (port 4317), where the trading services send traces. */
export const otlpGrpcEndpoint = urls.otlpGrpcEndpoint;
/** OTLP over HTTP (port 4318). */
export const otlpHttpEndpoint = urls.otlpHttpEndpoint;
