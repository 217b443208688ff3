/**
 * What an environment profile says about the dependencies of the monitored system: which
 * databases, caches, brokers and services to watch, where they are, and which Secret holds each
 * credential. Credentials are never part of the profile; only Secret names and keys are.
 */
import { addressPortProblem } from '../../core/addresses';
import type { ProfileChecks } from '../../core/checks';
import type { Resources } from '../../core/workload';
import { isDuration, parseDuration, parseQuantity } from '../../core/units';
import { KeySchema, RESOURCES_KEYS, VALUE } from '../../core/keys';
import { DNS_LABEL } from '../../core/syntax';
import { CA_KEY } from '../../core/trust';

/** A PostgreSQL server watched by one postgres_exporter. */
export interface PostgresTarget {
  /** Short name of the dependency (`trading-db`): names the exporter and the `dependency` label. */
  readonly name: string;
  /** `host:port` of the server. */
  readonly host: string;
  readonly database: string;
  /** A role with `pg_monitor`, never a superuser. */
  readonly user: string;
  /** The Secret holding the role's password, mounted as a file. */
  readonly secretName: string;
  /** @default DEPENDENCIES_DEFAULTS.postgres.passwordKey ('password') */
  readonly passwordKey?: string;
  /** @default DEPENDENCIES_DEFAULTS.postgres.sslMode ('require') */
  readonly sslMode?: 'disable' | 'require' | 'verify-full';
  /**
   * The Secret holding the CA certificate that signed the server's certificate, mounted as a file
   * and passed as `sslrootcert`. Required with `verify-full`. @default - none
   */
  readonly caSecretName?: string;
  /** @default DEPENDENCIES_DEFAULTS.postgres.caKey ('ca.crt') */
  readonly caKey?: string;
  /**
   * Export per-statement time and calls (`pg_stat_statements_*`) with postgres_exporter's
   * `stat_statements` collector, which is registered disabled (prometheus-community/postgres_exporter
   * v0.17.1, collector/pg_stat_statements.go). The server must preload the extension
   * (`shared_preload_libraries = 'pg_stat_statements'`) and have run `CREATE EXTENSION
   * pg_stat_statements` in the database the exporter connects to. @default DEPENDENCIES_DEFAULTS.postgres.statStatements (false)
   */
  readonly statStatements?: boolean;
}

/** A Redis server watched by one redis_exporter. */
export interface RedisTarget {
  readonly name: string;
  /** `host:port` of the server. */
  readonly address: string;
  /** Connect with TLS (`rediss://`). @default false */
  readonly tls?: boolean;
  /**
   * With `tls`: the Secret holding the CA certificate that signed the server's certificate,
   * passed as `--tls-ca-cert-file`. Required for an in-cluster address (no public CA signs a
   * `.svc` name). @default - the system's trusted CAs
   */
  readonly caSecretName?: string;
  /** @default DEPENDENCIES_DEFAULTS.redis.caKey ('ca.crt') */
  readonly caKey?: string;
  /** The Secret holding the password (Redis `requirepass` or an ACL user's). @default - no authentication */
  readonly secretName?: string;
  /** @default DEPENDENCIES_DEFAULTS.redis.passwordKey ('password') */
  readonly passwordKey?: string;
  /** An ACL user name (Redis 6 and later). @default - the default user */
  readonly user?: string;
}

/** A Kafka cluster watched by one kafka_exporter. */
export interface KafkaTarget {
  readonly name: string;
  /** `host:port` of each bootstrap broker. */
  readonly brokers: readonly string[];
  /** Kafka protocol version the exporter speaks. @default DEPENDENCIES_DEFAULTS.kafka.version ('3.6.0') */
  readonly version?: string;
  /** TLS to the brokers, trusting the CA certificate in `caSecretName` (key `caKey`, default DEPENDENCIES_DEFAULTS.kafka.caKey, `ca.crt`). @default - plaintext */
  readonly tls?: { readonly caSecretName: string; readonly caKey?: string };
  /** SASL authentication; the password comes from `secretName` (key `passwordKey`, default DEPENDENCIES_DEFAULTS.kafka.saslPasswordKey, `password`). @default - none */
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha256' | 'scram-sha512';
    readonly user: string;
    readonly secretName: string;
    readonly passwordKey?: string;
  };
}

/** An InfluxDB 2.x server: it serves `/metrics` itself, so it is scraped directly. */
export interface InfluxdbTarget {
  readonly name: string;
  /** Namespace of its Service. */
  readonly namespace: string;
  /** Name of its Service. */
  readonly service: string;
  /** Name of the Service port serving the HTTP API (and `/metrics`). @default DEPENDENCIES_DEFAULTS.influxdb.port ('http') */
  readonly port?: string;
}

/** A service probed over HTTP for liveness and readiness. */
export interface ProbedService {
  /** Service name, the `service` label of its probe results (`order-service`). */
  readonly name: string;
  /** Base URL, such as `http://order-service.grekko.svc:8080`. */
  readonly url: string;
  /** @default DEPENDENCIES_DEFAULTS.services.healthPath ('/health') */
  readonly healthPath?: string;
  /** @default DEPENDENCIES_DEFAULTS.services.readinessPath ('/ready') */
  readonly readinessPath?: string;
}

/**
 * A synthetic end-to-end transaction: one HTTP request sent on a schedule, which passes only when
 * the status and the body are as expected. Point it at an endpoint that runs the real path in
 * dry-run mode (an order that is validated, risk-checked and priced, never sent to the exchange).
 */
export interface SyntheticCheck {
  /** Check name (`order-roundtrip`): names the blackbox module and the `check` label. */
  readonly name: string;
  /** The service the transaction exercises: its `service` label. */
  readonly service: string;
  readonly url: string;
  /** @default DEPENDENCIES_DEFAULTS.synthetic.method ('GET') */
  readonly method?: 'GET' | 'POST' | 'PUT';
  /** Request headers (no credentials: they would land in a ConfigMap). @default DEPENDENCIES_DEFAULTS.synthetic.headers ({}) */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body. @default - none */
  readonly body?: string;
  /** Status codes that count as success. @default DEPENDENCIES_DEFAULTS.synthetic.expectStatus ([200]) */
  readonly expectStatus?: readonly number[];
  /** A regular expression the response body must match. @default - any body */
  readonly expectBody?: string;
  /** How often the transaction runs. @default - the global scrape interval */
  readonly interval?: string;
}

/** Everything the dependency monitoring of one environment watches. */
export interface DependenciesProfile {
  readonly postgres?: readonly PostgresTarget[];
  readonly redis?: readonly RedisTarget[];
  readonly kafka?: readonly KafkaTarget[];
  readonly influxdb?: readonly InfluxdbTarget[];
  /** Services probed over HTTP (health and readiness) by the blackbox exporter. @default [] */
  readonly services?: readonly ProbedService[];
  /** Synthetic transactions run by the blackbox exporter. @default [] */
  readonly synthetic?: readonly SyntheticCheck[];
  /** Requests and limits of each exporter container. @default DEPENDENCIES_DEFAULTS.exporterResources (DEFAULT_EXPORTER_RESOURCES) */
  readonly exporterResources?: Resources;
}

/** Exporters are small Go programs: 10m CPU and 32 MiB are plenty, 64 MiB caps a leak. */
export const DEFAULT_EXPORTER_RESOURCES: Resources = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { cpu: '200m', memory: '64Mi' },
};

/**
 * The default of each optional field of the dependency targets that has a value (read by the
 * exporters); fields whose default is "none" or off are left out.
 */
export const DEPENDENCIES_DEFAULTS = {
  postgres: { passwordKey: 'password', sslMode: 'require', caKey: CA_KEY, statStatements: false },
  redis: { caKey: CA_KEY, passwordKey: 'password' },
  kafka: { version: '3.6.0', caKey: CA_KEY, saslPasswordKey: 'password' },
  influxdb: { port: 'http' },
  services: { healthPath: '/health', readinessPath: '/ready' },
  synthetic: { method: 'GET', headers: {}, expectStatus: [200] },
  exporterResources: DEFAULT_EXPORTER_RESOURCES,
} as const;

const NAME = DNS_LABEL;
const HOST_PORT = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:\d{1,5}$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Checks the dependencies section of a profile; throws a ConfigError naming the profile, the
 * field, the value and the fix.
 */
export function validateDependencies(d: DependenciesProfile | undefined, checks: ProfileChecks): void {
  if (d === undefined) return;
  const fail = (field: string, value: unknown, fix: string): never => checks.fail(`dependencies.${field}`, value, fix);
  const names = new Map<string, string>();
  const checkName = (field: string, kind: string, name: string) => {
    if (typeof name !== 'string' || !NAME.test(name) || name.length > 40)
      fail(`${field}.name`, name, 'use a DNS label of at most 40 characters, such as "trading-db"');
    const key = `${kind}/${name}`;
    if (names.has(key)) fail(`${field}.name`, name, `give every ${kind} target a distinct name (also used by ${names.get(key)})`);
    names.set(key, field);
  };
  const checkSecret = (field: string, secretName: unknown, key: unknown) => {
    if (typeof secretName !== 'string' || !NAME.test(secretName))
      fail(`${field}.secretName`, secretName, 'name the Secret (a DNS label) in the monitoring namespace that holds the credential');
    if (key !== undefined && (typeof key !== 'string' || !SECRET_KEY.test(key)))
      fail(`${field}.passwordKey`, key, 'use a Secret key: letters, digits, "-", "_" and "."');
  };
  const checkCa = (field: string, secretName: unknown, key: unknown) => {
    if (typeof secretName !== 'string' || !NAME.test(secretName))
      fail(`${field}.caSecretName`, secretName, 'name the Secret (a DNS label) in the monitoring namespace that holds the CA certificate');
    if (key !== undefined && (typeof key !== 'string' || !SECRET_KEY.test(key)))
      fail(`${field}.caKey`, key, 'use a Secret key: letters, digits, "-", "_" and "."');
  };
  const checkAddress = (field: string, value: unknown) => {
    const port = addressPortProblem(value, 'address');
    if (port) fail(field, value, port);
    if (typeof value !== 'string' || !HOST_PORT.test(value))
      fail(field, value, 'use "host:port", such as "postgres.grekko.svc:5432", with no scheme and no credentials');
  };

  (d.postgres ?? []).forEach((t, i) => {
    const f = `postgres[${i}]`;
    checkName(f, 'postgres', t.name);
    checkAddress(`${f}.host`, t.host);
    for (const k of ['database', 'user'] as const) {
      if (typeof t[k] !== 'string' || !/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(t[k])) fail(`${f}.${k}`, t[k], 'use a PostgreSQL identifier');
    }
    if (t.user === 'postgres') fail(`${f}.user`, t.user, 'use a role with pg_monitor, not the superuser: the exporter needs to read statistics only');
    checkSecret(f, t.secretName, t.passwordKey);
    if (t.sslMode !== undefined && !['disable', 'require', 'verify-full'].includes(t.sslMode))
      fail(`${f}.sslMode`, t.sslMode, 'use "disable", "require" or "verify-full"');
    if (t.sslMode === 'verify-full' && t.caSecretName === undefined) {
      fail(
        `${f}.caSecretName`,
        t.caSecretName,
        'name the Secret holding the CA certificate of the server (key "ca.crt"): verify-full checks the server\'s certificate against it, and the exporter image trusts no private CA',
      );
    }
    if (t.statStatements !== undefined && typeof t.statStatements !== 'boolean')
      fail(`${f}.statStatements`, t.statStatements, 'use true (the server preloads pg_stat_statements) or false');
    if (t.caSecretName !== undefined) {
      if (t.sslMode === 'disable') fail(`${f}.caSecretName`, t.caSecretName, 'drop it, or use sslMode "verify-full": with "disable" no certificate is checked');
      checkCa(f, t.caSecretName, t.caKey);
    }
  });
  (d.redis ?? []).forEach((t, i) => {
    const f = `redis[${i}]`;
    checkName(f, 'redis', t.name);
    checkAddress(`${f}.address`, t.address);
    if (t.secretName !== undefined || t.passwordKey !== undefined) checkSecret(f, t.secretName, t.passwordKey);
    if (t.tls && t.caSecretName === undefined && /\.svc(\.cluster\.local)?:\d+$/.test(t.address)) {
      fail(
        `${f}.caSecretName`,
        t.caSecretName,
        `name the Secret holding the CA certificate of ${t.address} (key "ca.crt"): no public CA signs an in-cluster name, so TLS verification fails without it`,
      );
    }
    if (t.caSecretName !== undefined) {
      if (!t.tls) fail(`${f}.caSecretName`, t.caSecretName, 'set tls: true too, or drop it: without TLS no certificate is checked');
      checkCa(f, t.caSecretName, t.caKey);
    }
  });
  (d.kafka ?? []).forEach((t, i) => {
    const f = `kafka[${i}]`;
    checkName(f, 'kafka', t.name);
    if (!Array.isArray(t.brokers) || t.brokers.length === 0) fail(`${f}.brokers`, t.brokers, 'list at least one bootstrap broker as "host:port"');
    t.brokers.forEach((b, j) => checkAddress(`${f}.brokers[${j}]`, b));
    if (t.version !== undefined && !/^\d+\.\d+\.\d+$/.test(t.version)) fail(`${f}.version`, t.version, 'use a Kafka version such as "3.6.0"');
    if (t.tls) checkSecret(`${f}.tls`, t.tls.caSecretName, t.tls.caKey);
    if (t.sasl) {
      if (!['plain', 'scram-sha256', 'scram-sha512'].includes(t.sasl.mechanism))
        fail(`${f}.sasl.mechanism`, t.sasl.mechanism, 'use "plain", "scram-sha256" or "scram-sha512"');
      if (typeof t.sasl.user !== 'string' || t.sasl.user === '') fail(`${f}.sasl.user`, t.sasl.user, 'name the SASL user');
      checkSecret(`${f}.sasl`, t.sasl.secretName, t.sasl.passwordKey);
      if (t.sasl.mechanism === 'plain' && !t.tls) fail(`${f}.sasl.mechanism`, t.sasl.mechanism, 'enable tls too: SASL/PLAIN sends the password in clear text');
    }
  });
  (d.influxdb ?? []).forEach((t, i) => {
    const f = `influxdb[${i}]`;
    checkName(f, 'influxdb', t.name);
    if (typeof t.namespace !== 'string' || !NAME.test(t.namespace))
      fail(`${f}.namespace`, t.namespace, 'use the namespace (a DNS label) of the InfluxDB Service');
    if (typeof t.service !== 'string' || !NAME.test(t.service)) fail(`${f}.service`, t.service, 'use the name of the InfluxDB Service');
    if (t.port !== undefined && !DNS_LABEL.test(t.port)) fail(`${f}.port`, t.port, 'use the name of the Service port, such as "http"');
  });
  const services = new Set<string>();
  (d.services ?? []).forEach((s, i) => {
    const f = `services[${i}]`;
    checkName(f, 'service', s.name);
    services.add(s.name);
    checkUrl(`${f}.url`, s.url);
    for (const k of ['healthPath', 'readinessPath'] as const) {
      if (s[k] !== undefined && !/^\/[^\s?#]*$/.test(s[k] as string)) fail(`${f}.${k}`, s[k], 'use an absolute path such as "/health"');
    }
  });
  (d.synthetic ?? []).forEach((c, i) => {
    const f = `synthetic[${i}]`;
    checkName(f, 'synthetic', c.name);
    if (!services.has(c.service))
      fail(`${f}.service`, c.service, `name one of the probed services: ${[...services].join(', ') || '(none: add it to dependencies.services)'}`);
    checkUrl(`${f}.url`, c.url);
    if (c.method !== undefined && !['GET', 'POST', 'PUT'].includes(c.method)) fail(`${f}.method`, c.method, 'use GET, POST or PUT');
    for (const h of Object.keys(c.headers ?? {})) {
      if (/^(authorization|cookie|x-api-key)$/i.test(h))
        fail(
          `${f}.headers.${h}`,
          h,
          'keep credentials out of synthetic checks: the blackbox configuration is a ConfigMap; use an endpoint that needs none in dry-run',
        );
    }
    for (const s of c.expectStatus ?? []) {
      if (!Number.isInteger(s) || s < 100 || s > 599) fail(`${f}.expectStatus`, c.expectStatus, 'use HTTP status codes between 100 and 599');
    }
    if (c.expectBody !== undefined) {
      try {
        new RegExp(c.expectBody);
      } catch {
        fail(`${f}.expectBody`, c.expectBody, 'use a valid regular expression');
      }
    }
    if (c.interval !== undefined && (!isDuration(c.interval) || (parseDuration(c.interval) as number) <= 0))
      fail(`${f}.interval`, c.interval, 'use a Prometheus duration such as "30s"');
  });
  if (d.exporterResources !== undefined) {
    for (const res of ['cpu', 'memory'] as const) {
      const req = parseQuantity(d.exporterResources.requests?.[res]);
      const lim = parseQuantity(d.exporterResources.limits?.[res]);
      if (req === undefined || req <= 0) fail(`exporterResources.requests.${res}`, d.exporterResources.requests?.[res], 'use a positive Kubernetes quantity');
      if (lim === undefined || lim < (req as number))
        fail(`exporterResources.limits.${res}`, d.exporterResources.limits?.[res], 'use a quantity at least as large as the request');
    }
  }

  function checkUrl(field: string, url: unknown): void {
    const port = addressPortProblem(url, 'url');
    if (port) fail(field, url, port);
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/@]+(\/[^\s]*)?$/.test(url))
      fail(field, url, 'use an http or https URL with no credentials, such as "http://order-service.grekko.svc:8080"');
  }
}

export const DEPENDENCIES_KEYS: KeySchema<DependenciesProfile> = {
  fields: {
    postgres: {
      items: {
        fields: {
          name: VALUE,
          host: VALUE,
          database: VALUE,
          user: VALUE,
          secretName: VALUE,
          passwordKey: VALUE,
          sslMode: VALUE,
          caSecretName: VALUE,
          caKey: VALUE,
          statStatements: VALUE,
        },
      },
    },
    redis: {
      items: { fields: { name: VALUE, address: VALUE, tls: VALUE, caSecretName: VALUE, caKey: VALUE, secretName: VALUE, passwordKey: VALUE, user: VALUE } },
    },
    kafka: {
      items: {
        fields: {
          name: VALUE,
          brokers: VALUE,
          version: VALUE,
          tls: { fields: { caSecretName: VALUE, caKey: VALUE } },
          sasl: { fields: { mechanism: VALUE, user: VALUE, secretName: VALUE, passwordKey: VALUE } },
        },
      },
    },
    influxdb: { items: { fields: { name: VALUE, namespace: VALUE, service: VALUE, port: VALUE } } },
    services: { items: { fields: { name: VALUE, url: VALUE, healthPath: VALUE, readinessPath: VALUE } } },
    synthetic: {
      items: {
        fields: {
          name: VALUE,
          service: VALUE,
          url: VALUE,
          method: VALUE,
          headers: VALUE,
          body: VALUE,
          expectStatus: VALUE,
          expectBody: VALUE,
          interval: VALUE,
        },
      },
    },
    exporterResources: RESOURCES_KEYS,
  },
};
