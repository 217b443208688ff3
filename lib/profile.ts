/**
 * The environment profile: every value that differs between environments lives here, so that
 * components never ask which environment they are in. Profiles are data (see stacks/); this file
 * holds their type and the validation that runs before anything is synthesized.
 */
import { DependenciesProfile, validateDependencies } from './components/exporters/profile';
import { addressPortProblem } from './core/addresses';
import { ConfigError } from './core/errors';
import { LoggingProfile, validateLoggingProfile } from './components/logging/profile';
import { JaegerProfile, validateJaegerProfile } from './components/jaeger/profile';
import { NetworkProfile, validateNetworkProfile } from './components/network-policies/profile';
import { unknownProfileKeys } from './profile-keys';
import { isDuration, parseDuration, parseQuantity } from './core/units';

/** CPU and memory for one container, as Kubernetes quantities (`100m`, `256Mi`). */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Where a component keeps its data. */
export type Storage =
  /** Lost with the pod: fine for a laptop cluster. */
  | { readonly kind: 'emptyDir'; readonly sizeLimitGi?: number }
  /** A PersistentVolumeClaim per replica. */
  | {
      readonly kind: 'pvc';
      readonly sizeGi: number;
      /** @default - the cluster's default storage class */
      readonly storageClass?: string;
    };

/** How replicas of one workload are spread over nodes. */
export type SpreadPolicy =
  /** Refuse to schedule two replicas on one node: losing a node costs at most one replica. */
  | 'required'
  /** Prefer distinct nodes, but schedule anyway on a small cluster. */
  | 'preferred';

export interface WorkloadProfile {
  readonly replicas: number;
  readonly resources: Resources;
}

export interface PrometheusProfile extends WorkloadProfile {
  readonly storage: Storage;
  /** How long samples are kept, as a Prometheus duration (`2d`, `30d`). */
  readonly retention: string;
  /** Cap on the TSDB size; blocks beyond it are deleted first. @default - no size cap */
  readonly retentionSizeGi?: number;
  /**
   * The address people open Prometheus at (through the ingress), such as
   * `https://prometheus.example.com`: the "source" link of every notification (the alert's
   * generator URL) points there. Required in Phase 3. Routes stay at `/`: an ingress serving a
   * path must strip it. @default - the in-cluster address, http://prometheus.<namespace>.svc:9090
   */
  readonly externalUrl?: string;
}

export interface AlertmanagerProfile extends WorkloadProfile {
  readonly storage: Storage;
  /**
   * The address people open Alertmanager at, such as `https://alertmanager.example.com`: the
   * silence and alert links of notifications point there. Required in Phase 3. Routes stay at `/`.
   * @default - the in-cluster address, http://alertmanager.<namespace>.svc:9093
   */
  readonly externalUrl?: string;
}

export type GrafanaDatabase =
  /** SQLite in Grafana's data volume: one replica only. */
  | { readonly kind: 'sqlite' }
  /** An external PostgreSQL database; the password comes from `secretName` (key `password`). */
  | {
      readonly kind: 'postgres';
      /** `host:port` of the database server. */
      readonly host: string;
      readonly database: string;
      readonly user: string;
      readonly secretName: string;
      /** @default 'require' */
      readonly sslMode?: 'disable' | 'require' | 'verify-full';
    };

export interface GrafanaProfile extends WorkloadProfile {
  readonly storage: Storage;
  readonly database: GrafanaDatabase;
  /**
   * The address people open Grafana at (its `root_url`), such as `https://grafana.example.com`:
   * alerts link to their dashboards there (`dashboard_url`). @default - the in-cluster address, http://grafana.<namespace>.svc:3000
   */
  readonly externalUrl?: string;
}

export type AgentProfile = Omit<WorkloadProfile, 'replicas'>;

/** The Pushgateway runs one replica by design (pushes to two would split between them). */
export interface PushgatewayProfile {
  readonly resources: Resources;
  /** How often pushed groups are written to its data file. @default '5m' */
  readonly persistenceInterval?: string;
}

/**
 * One place an alert can go. Credentials are never part of the profile: receivers that need one
 * name the key of the `alertmanager-receivers` Secret that holds it, and Alertmanager reads it as
 * a file.
 */
export type Receiver =
  /** Drops notifications (they stay visible in the Alertmanager UI). */
  | { readonly kind: 'null'; readonly name: string }
  /**
   * A webhook whose URL carries no credential (an in-cluster relay, a local sink, a heartbeat
   * endpoint). A credential, when needed, goes in the Authorization header, read from `secretKey`.
   */
  | {
      readonly kind: 'webhook';
      readonly name: string;
      readonly url: string;
      readonly sendResolved?: boolean;
      /** `Authorization: <type> <credential>`, such as `GenieKey` for Opsgenie heartbeats. @default - no header */
      readonly authorization?: { readonly type: string; readonly secretKey: string };
    }
  /** Slack incoming webhook; its URL is a credential, read from `secretKey`. */
  | { readonly kind: 'slack'; readonly name: string; readonly channel: string; readonly secretKey: string; readonly sendResolved?: boolean }
  /** PagerDuty Events API v2; its routing key is read from `secretKey`. */
  | { readonly kind: 'pagerduty'; readonly name: string; readonly secretKey: string }
  /** Opsgenie; its API key is read from `secretKey`. */
  | { readonly kind: 'opsgenie'; readonly name: string; readonly secretKey: string; readonly priority?: string };

/** Which receiver gets which alerts. Each value names a receiver of `receivers`. */
export interface AlertRouting {
  readonly receivers: readonly Receiver[];
  /** Alerts with `severity="critical"`. */
  readonly critical: string;
  /** Alerts with `severity="warning"`. */
  readonly warning: string;
  /** Alerts with `severity="info"`. */
  readonly info: string;
  /** The always-firing Watchdog alert, for a dead-man's switch. */
  readonly watchdog: string;
  /** How long to wait to batch the first notification of a group. @default '30s' */
  readonly groupWait?: string;
  /** How long to wait before notifying about new alerts in a group that has already notified. @default '5m' */
  readonly groupInterval?: string;
  /** How often to re-send a still-firing critical alert. @default '4h' */
  readonly criticalRepeatInterval?: string;
  /** How often to re-send a still-firing warning or info alert. @default '12h' */
  readonly repeatInterval?: string;
}

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
  readonly alertmanager: AlertmanagerProfile;
  readonly grafana: GrafanaProfile;
  readonly nodeExporter: AgentProfile;
  readonly kubeStateMetrics: WorkloadProfile;
  /** A Pushgateway for CI results (lib/components/pushgateway/pushgateway.ts). @default - none */
  readonly pushgateway?: PushgatewayProfile;
  readonly alerting: AlertRouting;
  /** Fluentd, Elasticsearch, Kibana and the elasticsearch_exporter (lib/components/logging/profile.ts). */
  readonly logging: LoggingProfile;
  /** Distributed tracing: Jaeger's storage, sampling and resources (see jaeger-profile.ts). */
  readonly jaeger: JaegerProfile;
  /** The monitored system's databases, caches, brokers and services to watch. @default - none */
  readonly dependencies?: DependenciesProfile;
  /** The peers the NetworkPolicies admit beside the stack's own pods (see network-profile.ts). */
  readonly network: NetworkProfile;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const REGISTRY = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Checks a profile and throws a ConfigError naming the environment, the field, the value and what
 * is allowed. Runs before any object is built, so a bad profile writes nothing.
 */
export function validateProfile(p: EnvironmentProfile): void {
  const where = `profile "${p?.name}"`;
  const fail = (field: string, value: unknown, fix: string): never => {
    throw new ConfigError(where, field, value, fix);
  };

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

  checkWorkload('prometheus', p.prometheus);
  checkStorage('prometheus.storage', p.prometheus.storage);
  checkDuration('prometheus.retention', p.prometheus.retention, { positive: true });
  if (p.prometheus.retentionSizeGi !== undefined) checkPositive('prometheus.retentionSizeGi', p.prometheus.retentionSizeGi);
  if (p.prometheus.storage.kind === 'pvc' && p.prometheus.retentionSizeGi !== undefined && p.prometheus.retentionSizeGi >= p.prometheus.storage.sizeGi) {
    fail(
      'prometheus.retentionSizeGi',
      p.prometheus.retentionSizeGi,
      `keep it below the volume size (${p.prometheus.storage.sizeGi} Gi) so the TSDB never fills the disk`,
    );
  }

  checkWorkload('alertmanager', p.alertmanager);
  checkStorage('alertmanager.storage', p.alertmanager.storage);

  checkWorkload('grafana', p.grafana);
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
  checkStorage('grafana.storage', p.grafana.storage);
  const db = p.grafana.database;
  if (db?.kind === 'sqlite') {
    if (p.grafana.replicas > 1) {
      fail('grafana.replicas', p.grafana.replicas, 'use 1 with the SQLite database, or set grafana.database to an external "postgres" database to run more');
    }
  } else if (db?.kind === 'postgres') {
    const port = addressPortProblem(db.host, 'address');
    if (port) fail('grafana.database.host', db.host, port);
    if (!/^[^\s:/]+(:\d+)?$/.test(db.host ?? '')) fail('grafana.database.host', db.host, 'use "host" or "host:port"');
    for (const f of ['database', 'user'] as const) {
      if (typeof db[f] !== 'string' || db[f] === '') fail(`grafana.database.${f}`, db[f], 'use a non-empty name');
    }
    if (!DNS_LABEL.test(db.secretName ?? ''))
      fail('grafana.database.secretName', db.secretName, 'name the Secret (a DNS label) that holds the database password under key "password"');
  } else {
    fail('grafana.database.kind', (db as { kind?: unknown } | undefined)?.kind, 'use "sqlite" or "postgres"');
  }

  checkResources('nodeExporter.resources', p.nodeExporter.resources);
  checkWorkload('kubeStateMetrics', p.kubeStateMetrics);
  if (p.pushgateway) checkResources('pushgateway.resources', p.pushgateway.resources);

  checkRouting(p.alerting);
  validateJaegerProfile(p.jaeger, { fail, checkWorkload, checkResources });

  if (p.logging === undefined) fail('logging', p.logging, 'define elasticsearch, kibana, fluentd and elasticsearchExporter');
  checkResources('logging.elasticsearch.resources', p.logging.elasticsearch?.resources);
  checkStorage('logging.elasticsearch.storage', p.logging.elasticsearch.storage);
  checkWorkload('logging.kibana', p.logging.kibana);
  checkResources('logging.fluentd.resources', p.logging.fluentd?.resources);
  checkResources('logging.elasticsearchExporter.resources', p.logging.elasticsearchExporter?.resources);
  validateLoggingProfile(p.logging, fail);
  validateDependencies(where, p.dependencies);
  validateNetworkProfile(p.network, fail);
  if (unknown.length) fail(unknown[0].field, unknown[0].value, unknown[0].fix);

  function checkWorkload(field: string, w: WorkloadProfile): void {
    if (w === undefined) fail(field, w, 'define this component in the profile');
    if (!Number.isInteger(w.replicas) || w.replicas < 1) fail(`${field}.replicas`, w.replicas, 'use a whole number of 1 or more');
    checkResources(`${field}.resources`, w.resources);
  }

  function checkResources(field: string, r: Resources): void {
    if (r === undefined) fail(field, r, 'set requests and limits for cpu and memory');
    for (const res of ['cpu', 'memory'] as const) {
      const req = r.requests?.[res];
      const lim = r.limits?.[res];
      const reqV = parseQuantity(req);
      const limV = parseQuantity(lim);
      if (reqV === undefined || reqV <= 0)
        fail(`${field}.requests.${res}`, req, `use a positive Kubernetes quantity such as ${res === 'cpu' ? '"100m"' : '"256Mi"'}`);
      if (limV === undefined || limV <= 0)
        fail(`${field}.limits.${res}`, lim, `use a positive Kubernetes quantity such as ${res === 'cpu' ? '"500m"' : '"512Mi"'}`);
      if ((limV as number) < (reqV as number)) fail(`${field}.limits.${res}`, lim, `use a limit at least as large as the request (${req})`);
    }
  }

  function checkStorage(field: string, s: Storage): void {
    if (s?.kind === 'emptyDir') {
      if (s.sizeLimitGi !== undefined) checkPositive(`${field}.sizeLimitGi`, s.sizeLimitGi);
    } else if (s?.kind === 'pvc') {
      checkPositive(`${field}.sizeGi`, s.sizeGi);
      if (s.storageClass !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s.storageClass)) {
        fail(`${field}.storageClass`, s.storageClass, 'use a storage class name: lowercase letters, digits, "-" and "."');
      }
    } else {
      fail(`${field}.kind`, (s as { kind?: unknown } | undefined)?.kind, 'use "emptyDir" or "pvc"');
    }
  }

  function checkPositive(field: string, n: number): void {
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) fail(field, n, 'use a positive number of GiB');
  }

  function checkDuration(field: string, d: string, opts: { positive: boolean }): void {
    if (!isDuration(d)) fail(field, d, 'use a Prometheus duration such as "30s", "5m", "12h" or "30d" (units y, w, d, h, m, s, ms)');
    if (opts.positive && (parseDuration(d) as number) <= 0) fail(field, d, 'use a duration above zero');
  }

  function checkRouting(a: AlertRouting): void {
    if (a === undefined) fail('alerting', a, 'define the receivers and which one gets each severity');
    const names = new Set<string>();
    a.receivers.forEach((r, i) => {
      const f = `alerting.receivers[${i}]`;
      if (!r.name || !/^[a-z0-9][-a-z0-9_]*$/.test(r.name)) fail(`${f}.name`, r.name, 'use lowercase letters, digits, "-" and "_"');
      if (names.has(r.name)) fail(`${f}.name`, r.name, 'give every receiver a distinct name');
      names.add(r.name);
      switch (r.kind) {
        case 'null':
          break;
        case 'webhook':
          if (!/^https?:\/\/[^\s]+$/.test(r.url ?? '')) fail(`${f}.url`, r.url, 'use an http or https URL');
          {
            const port = addressPortProblem(r.url, 'url');
            if (port) fail(`${f}.url`, r.url, port);
          }
          if (/\/\/[^/]*@/.test(r.url) || /[?&](token|key|secret)=/i.test(r.url)) {
            fail(`${f}.url`, r.url, 'keep credentials out of the profile: put them in the receivers Secret and use "authorization"');
          }
          if (r.authorization !== undefined) {
            if (!/^[A-Za-z][A-Za-z0-9]*$/.test(r.authorization.type ?? ''))
              fail(`${f}.authorization.type`, r.authorization.type, 'use an authorization scheme such as "Bearer" or "GenieKey"');
            if (!SECRET_KEY.test(r.authorization.secretKey ?? ''))
              fail(`${f}.authorization.secretKey`, r.authorization.secretKey, 'name the key of the alertmanager-receivers Secret holding the credential');
          }
          break;
        case 'slack':
          if (!/^#?[a-z0-9][-_a-z0-9]*$/.test(r.channel ?? '')) fail(`${f}.channel`, r.channel, 'use a Slack channel name such as "#trading-alerts"');
          if (!SECRET_KEY.test(r.secretKey ?? ''))
            fail(`${f}.secretKey`, r.secretKey, 'name the key of the alertmanager-receivers Secret holding the webhook URL');
          break;
        case 'pagerduty':
        case 'opsgenie':
          if (!SECRET_KEY.test(r.secretKey ?? '')) fail(`${f}.secretKey`, r.secretKey, 'name the key of the alertmanager-receivers Secret holding the key');
          break;
        default:
          fail(`${f}.kind`, (r as { kind?: unknown }).kind, 'use one of null, webhook, slack, pagerduty, opsgenie');
      }
    });
    const routes = ['critical', 'warning', 'info', 'watchdog'] as const;
    for (const f of routes) {
      if (!names.has(a[f])) fail(`alerting.${f}`, a[f], `name one of the receivers: ${[...names].join(', ')}`);
    }
    // The routing tree has these four routes and no other (renderAlertmanagerConfig): a receiver
    // none of them names never gets a notification, though Alertmanager loads it without a word,
    // and its credential is still required in the receivers Secret.
    a.receivers.forEach((r, i) => {
      if (routes.some((f) => a[f] === r.name)) return;
      fail(
        `alerting.receivers[${i}]`,
        r.name,
        `no route sends it anything: name it in alerting.critical, warning, info or watchdog (now ${routes.map((f) => `${f}: "${a[f]}"`).join(', ')}), or remove it`,
      );
    });
    for (const f of ['groupWait', 'groupInterval', 'criticalRepeatInterval', 'repeatInterval'] as const) {
      if (a[f] !== undefined) checkDuration(`alerting.${f}`, a[f] as string, { positive: true });
    }
  }
}
