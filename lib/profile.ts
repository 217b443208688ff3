/**
 * The environment profile: every value that differs between environments lives here, so that
 * components never ask which environment they are in. Profiles are data (see stacks/); this file
 * composes the profile of each component (lib/components/<name>/profile.ts: its type, the keys it
 * may carry, its checks) into one, and runs the checks before anything is synthesized.
 */
import { ProfileChecks, profileChecks } from './core/checks';
import { addressPortProblem } from './core/addresses';
import { AGENT_KEYS, AnySchema, KeySchema, UnknownKey, VALUE, WORKLOAD_KEYS, findUnknownKeys } from './core/keys';
import { DNS_LABEL, LABEL_NAME } from './core/syntax';
import type { AgentProfile, SpreadPolicy, WorkloadProfile } from './core/workload';
import {
  ALERTING_DEFAULTS,
  ALERTING_KEYS,
  ALERTMANAGER_KEYS,
  AlertRouting,
  AlertmanagerProfile,
  validateAlertRouting,
  validateAlertmanagerProfile,
} from './components/alertmanager/profile';
import { DEPENDENCIES_DEFAULTS, DEPENDENCIES_KEYS, DependenciesProfile, validateDependencies } from './components/exporters/profile';
import { GRAFANA_DEFAULTS, GRAFANA_KEYS, GrafanaProfile, validateGrafanaProfile } from './components/grafana/profile';
import { JAEGER_DEFAULTS, JAEGER_KEYS, JaegerProfile, validateJaegerProfile } from './components/jaeger/profile';
import { LOGGING_KEYS, LoggingProfile, validateLoggingProfile } from './components/logging/profile';
import { ELASTICSEARCH_DEFAULTS } from './components/elasticsearch/profile';
import { FLUENTD_DEFAULTS } from './components/fluentd/profile';
import { NETWORK_KEYS, NetworkProfile, validateNetworkProfile } from './components/network-policies/profile';
import { PROMETHEUS_KEYS, PrometheusProfile, validatePrometheusProfile } from './components/prometheus/profile';
import { PUSHGATEWAY_DEFAULTS, PUSHGATEWAY_KEYS, PushgatewayProfile } from './components/pushgateway/profile';
import { THANOS_DEFAULTS, THANOS_KEYS, ThanosProfile, validateThanosProfile } from './components/thanos/profile';

export const ENVIRONMENT_NAMES = ['local', 'staging', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export interface EnvironmentProfile {
  readonly name: EnvironmentName;
  /** The strategy's rollout phase this environment carries (1 local, 2 staging, 3 production). */
  readonly phase: 1 | 2 | 3;
  readonly description: string;
  /** The namespace every namespaced object goes to. */
  readonly namespace: string;
  /** Replaces the registry host of every image (a mirror). @default - the upstream registries */
  readonly imageRegistry?: string;
  /** Prometheus's default scrape interval. */
  readonly scrapeInterval: string;
  /** Prometheus's rule evaluation interval. */
  readonly evaluationInterval: string;
  /** Labels Prometheus attaches to everything it sends out (alerts, remote write). */
  readonly externalLabels: Readonly<Record<string, string>>;
  /** How replicated workloads are spread over nodes. */
  readonly spread: SpreadPolicy;
  readonly prometheus: PrometheusProfile;
  /**
   * Thanos beside Prometheus: blocks in object storage, one deduplicated query view
   * (lib/components/thanos/profile.ts). @default - none: Prometheus alone, its local TSDB only
   */
  readonly thanos?: ThanosProfile;
  readonly alertmanager: AlertmanagerProfile;
  readonly grafana: GrafanaProfile;
  readonly nodeExporter: AgentProfile;
  readonly kubeStateMetrics: WorkloadProfile;
  /** A Pushgateway for CI results (lib/components/pushgateway/pushgateway.ts). @default - none */
  readonly pushgateway?: PushgatewayProfile;
  readonly alerting: AlertRouting;
  /** Fluentd, Elasticsearch, Kibana and the elasticsearch_exporter (lib/components/logging/profile.ts). */
  readonly logging: LoggingProfile;
  /** Distributed tracing: Jaeger's storage, sampling and resources (lib/components/jaeger/profile.ts). */
  readonly jaeger: JaegerProfile;
  /** The monitored system's databases, caches, brokers and services to watch. @default - none */
  readonly dependencies?: DependenciesProfile;
  /** The peers the NetworkPolicies admit beside the stack's own pods (lib/components/network-policies/profile.ts). */
  readonly network: NetworkProfile;
}

/** Every key an environment profile may carry. */
export const PROFILE_KEYS: KeySchema<EnvironmentProfile> = {
  fields: {
    name: VALUE,
    phase: VALUE,
    description: VALUE,
    namespace: VALUE,
    imageRegistry: VALUE,
    scrapeInterval: VALUE,
    evaluationInterval: VALUE,
    externalLabels: VALUE,
    spread: VALUE,
    prometheus: PROMETHEUS_KEYS,
    thanos: THANOS_KEYS,
    alertmanager: ALERTMANAGER_KEYS,
    grafana: GRAFANA_KEYS,
    nodeExporter: AGENT_KEYS,
    kubeStateMetrics: WORKLOAD_KEYS,
    pushgateway: PUSHGATEWAY_KEYS,
    alerting: ALERTING_KEYS,
    logging: LOGGING_KEYS,
    jaeger: JAEGER_KEYS,
    dependencies: DEPENDENCIES_KEYS,
    network: NETWORK_KEYS,
  },
};

/** Every unknown key of a profile, anywhere in it. */
export function unknownProfileKeys(profile: unknown): UnknownKey[] {
  return findUnknownKeys(profile, PROFILE_KEYS as AnySchema);
}

const REGISTRY = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*$/;

/**
 * Checks a profile and throws a ConfigError naming the environment, the field, the value and what
 * is allowed. Runs before any object is built, so a bad profile writes nothing.
 */
export function validateProfile(p: EnvironmentProfile): void {
  const checks = profileChecks(`profile "${p?.name}"`);
  const { fail, checkDuration, checkResources, checkWorkload } = checks;

  // Unknown keys first, so that a misspelt key is named as such rather than as the required key
  // it lacks; but a key of another member of a union (`collector` beside memory trace storage)
  // after the value checks, whose messages say why that member takes it.
  const unknown = unknownProfileKeys(p);
  const misspelt = unknown.find((u) => u.otherMember === undefined);
  if (misspelt) fail(misspelt.field, misspelt.value, misspelt.fix);

  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(p.name)) {
    fail('name', p.name, `use one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  if (![1, 2, 3].includes(p.phase)) fail('phase', p.phase, 'use 1 (local), 2 (staging) or 3 (production)');
  if (typeof p.namespace !== 'string' || !DNS_LABEL.test(p.namespace) || p.namespace.length > 63) {
    fail('namespace', p.namespace, 'use a DNS label: lowercase letters, digits and "-", at most 63 characters');
  }
  // The host of a registry ends at its first "/"; a value with a scheme is refused below.
  const registryPort =
    typeof p.imageRegistry === 'string' && !p.imageRegistry.includes('://') ? addressPortProblem(p.imageRegistry.split('/')[0], 'address') : undefined;
  if (registryPort) fail('imageRegistry', p.imageRegistry, registryPort);
  if (p.imageRegistry !== undefined && !REGISTRY.test(p.imageRegistry)) {
    fail('imageRegistry', p.imageRegistry, 'use a registry host with an optional port and path, such as "mirror.example.com:5000/library"');
  }
  checkDuration('scrapeInterval', p.scrapeInterval, { positive: true });
  checkDuration('evaluationInterval', p.evaluationInterval, { positive: true });
  for (const [k, v] of Object.entries(p.externalLabels ?? {})) {
    if (!LABEL_NAME.test(k)) fail(`externalLabels.${k}`, k, 'use a Prometheus label name: letters, digits and "_", not starting with a digit');
    if (k === 'replica') fail('externalLabels.replica', v, 'leave "replica" out: it is set per pod for the HA pair');
    if (typeof v !== 'string' || v === '') fail(`externalLabels.${k}`, v, 'use a non-empty string');
  }
  if (p.spread !== 'required' && p.spread !== 'preferred') fail('spread', p.spread, 'use "required" or "preferred"');

  validatePrometheusProfile(p.prometheus, checks);
  validateThanosProfile(p.thanos, checks);
  // The sidecar refuses to start without them: they tell this Prometheus's blocks from others' in the bucket.
  if (p.thanos && Object.keys(p.externalLabels ?? {}).length === 0 && p.prometheus.replicas < 2) {
    fail(
      'externalLabels',
      p.externalLabels,
      'give Prometheus at least one external label with Thanos, such as { cluster: "grekko-staging" }: its blocks are told apart by them in the bucket',
    );
  }
  validateAlertmanagerProfile(p.alertmanager, checks);
  checkExternalUrls(p, checks);
  validateGrafanaProfile(p.grafana, checks);

  checkResources('nodeExporter.resources', p.nodeExporter.resources);
  checkWorkload('kubeStateMetrics', p.kubeStateMetrics);
  if (p.pushgateway) checkResources('pushgateway.resources', p.pushgateway.resources);

  validateAlertRouting(p.alerting, checks);
  validateJaegerProfile(p.jaeger, checks);
  validateLoggingProfile(p.logging, checks);
  validateDependencies(p.dependencies, checks);
  validateNetworkProfile(p.network, checks);
  if (unknown.length) fail(unknown[0].field, unknown[0].value, unknown[0].fix);
}

/** Phase 3 pages people: the links of its notifications must open outside the cluster. */
function checkExternalUrls(p: EnvironmentProfile, { fail }: ProfileChecks): void {
  for (const [c, url] of [
    ['prometheus', p.prometheus.externalUrl],
    ['alertmanager', p.alertmanager.externalUrl],
    ['grafana', p.grafana.externalUrl],
  ] as const) {
    if (url === undefined) {
      // People on call follow the links of a page from their phone, outside the cluster.
      if (p.phase === 3)
        fail(
          `${c}.externalUrl`,
          url,
          `give the address people open ${c} at through the ingress, such as "https://${c}.example.com": Phase 3 pages people, and the links in its notifications must open outside the cluster`,
        );
      continue;
    }
    const port = addressPortProblem(url, 'url');
    if (port) fail(`${c}.externalUrl`, url, port);
    if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*[^\s?#/])?$/.test(url)) {
      fail(`${c}.externalUrl`, url, `use an http or https address without a trailing slash, query or fragment, such as "https://${c}.example.com"`);
    }
  }
}

/**
 * The defaults of the optional profile fields, by the profile path they apply to: each component's
 * DEFAULTS object, the one its validator and renderer read. `npm run docs` renders them into
 * docs/profile-defaults.md.
 */
/** Kafka's defaults that sit in a nested block of each target. */
const KAFKA_NESTED: Readonly<Record<string, string>> = { 'kafka.caKey': 'tls.caKey', 'kafka.saslPasswordKey': 'sasl.passwordKey' };

export const PROFILE_DEFAULTS: ReadonlyArray<{
  readonly at: string;
  readonly defaults: object;
  /** Where a default's key path is not the profile's path below `at`: key path → profile path. */
  readonly paths?: Readonly<Record<string, string>>;
}> = [
  { at: 'alerting', defaults: ALERTING_DEFAULTS },
  { at: 'grafana.database', defaults: GRAFANA_DEFAULTS, paths: { sslMode: 'sslMode (kind "postgres")' } },
  { at: 'pushgateway', defaults: PUSHGATEWAY_DEFAULTS },
  { at: 'thanos', defaults: THANOS_DEFAULTS },
  { at: 'logging.elasticsearch', defaults: ELASTICSEARCH_DEFAULTS },
  { at: 'logging.fluentd', defaults: FLUENTD_DEFAULTS },
  { at: 'jaeger', defaults: JAEGER_DEFAULTS, paths: { 'sampling.operations': 'sampling.services[].operations' } },
  {
    at: 'dependencies',
    defaults: DEPENDENCIES_DEFAULTS,
    paths: Object.fromEntries(
      Object.entries(DEPENDENCIES_DEFAULTS).flatMap(([kind, d]) =>
        kind === 'exporterResources' ? [] : Object.keys(d).map((k) => [`${kind}.${k}`, `${kind}[].${KAFKA_NESTED[`${kind}.${k}`] ?? k}`]),
      ),
    ),
  },
];
