import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../lib/core/errors';
import { EnvironmentProfile, PROFILE_KEYS, validateProfile } from '../lib/profile';
import { AnySchema } from '../lib/core/keys';
import { PROFILES } from '../stacks/environments';
import { synthesize } from '../stacks/main';
import { tree } from './support/files';
import { alter } from './support/synth';
import { withTeams } from '../lib/rules/render';
import type { AlertRule, RuleGroup, Team } from '../lib/rules/types';

/** Runs the synth command in-process with one module replaced, and returns its exit code and what it wrote to stderr. */
function mainWith(
  moduleId: string,
  factory: () => unknown,
  argv: readonly string[],
  env: Record<string, string> = {},
): { code: number | undefined; written: string[] } {
  const written: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  let code: number | undefined;
  try {
    Object.assign(process.env, env);
    jest.isolateModules(() => {
      jest.doMock(moduleId, factory);
      code = require('../stacks/main').main(argv);
    });
  } finally {
    stderr.mockRestore();
    jest.dontMock(moduleId);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { code, written };
}

function distWithPreviousOutput(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  synthesize(dir, [PROFILES.local]);
  return dir;
}

const cases: Array<[string, EnvironmentProfile, RegExp]> = [
  [
    'zero Prometheus replicas',
    alter(PROFILES.staging, (p) => (p.prometheus.replicas = 0)),
    /^profile "staging": prometheus\.replicas is 0; use a whole number of 1 or more$/,
  ],
  [
    'a retention of "30x"',
    alter(PROFILES.production, (p) => (p.prometheus.retention = '30x')),
    /^profile "production": prometheus\.retention is "30x"; use a Prometheus duration such as "30s", "5m", "12h" or "30d"/,
  ],
  [
    'a negative volume size',
    alter(PROFILES.staging, (p) => (p.alertmanager.storage.sizeGi = -5)),
    /^profile "staging": alertmanager\.storage\.sizeGi is -5; use a positive number of GiB$/,
  ],
  [
    'a memory limit below its request',
    alter(PROFILES.local, (p) => (p.grafana.resources.limits.memory = '64Mi')),
    /^profile "local": grafana\.resources\.limits\.memory is "64Mi"; use a limit at least as large as the request \(128Mi\)$/,
  ],
  [
    'a CPU quantity that is not one',
    alter(PROFILES.local, (p) => (p.prometheus.resources.requests.cpu = 'lots')),
    /prometheus\.resources\.requests\.cpu is "lots"; use a positive Kubernetes quantity/,
  ],
  ['two Grafana replicas on SQLite', alter(PROFILES.staging, (p) => (p.grafana.replicas = 2)), /grafana\.replicas is 2; use 1 with the SQLite database/],
  [
    'a route to a receiver that does not exist',
    alter(PROFILES.production, (p) => (p.alerting.teams.risk.critical = ['oncall-pager', 'pagerduty'])),
    /^profile "production": alerting\.teams\.risk\.critical\[1\] is "pagerduty"; name one of the receivers: oncall-pager, devops-chat, trading-alerts-chat, risk-chat, trading-info-chat, deadmans-switch$/,
  ],
  [
    'a Watchdog route to a receiver that does not exist',
    alter(PROFILES.staging, (p) => (p.alerting.watchdog = 'staging-nul')),
    /^profile "staging": alerting\.watchdog is "staging-nul"; name one of the receivers: staging-channel, staging-null$/,
  ],
  [
    'a receiver no route sends anything to',
    alter(PROFILES.production, (p) => p.alerting.receivers.push({ kind: 'pagerduty', name: 'trading-pager', secretKey: 'pagerduty-routing-key' })),
    /^profile "production": alerting\.receivers\[6\] is "trading-pager"; no route sends it anything: name it in alerting\.teams\.<team>\.<severity> or alerting\.watchdog, or remove it$/,
  ],
  [
    "a team's severity with no receiver",
    alter(PROFILES.production, (p) => (p.alerting.teams.trading.warning = [])),
    /^profile "production": alerting\.teams\.trading\.warning is \[\]; name one receiver or more: oncall-pager, /,
  ],
  [
    'a team left out of the routing',
    alter(PROFILES.staging, (p) => delete p.alerting.teams.risk),
    /^profile "staging": alerting\.teams\.risk is missing; say which receivers get the critical, warning and info alerts of this team$/,
  ],
  [
    'a misspelt team in the routing',
    alter(PROFILES.production, (p) => {
      p.alerting.teams.tradng = p.alerting.teams.trading;
      delete p.alerting.teams.trading;
    }),
    /^profile "production": alerting\.teams\.tradng is \{.*\}; did you mean "trading"\? no such key: alerting\.teams takes devops, trading, risk$/,
  ],
  [
    'the same receiver twice for one severity',
    alter(PROFILES.production, (p) => (p.alerting.teams.devops.critical = ['oncall-pager', 'oncall-pager'])),
    /^profile "production": alerting\.teams\.devops\.critical is \["oncall-pager","oncall-pager"\]; name each receiver once$/,
  ],
  [
    'a maintenance window on a misspelt weekday',
    alter(PROFILES.production, (p) => (p.alerting.maintenance[0].weekdays = ['sundy'])),
    /^profile "production": alerting\.maintenance\[0\]\.weekdays\[0\] is "sundy"; use a lowercase day such as "sunday", or a range such as "monday:friday"$/,
  ],
  [
    'a maintenance window that ends before it starts',
    alter(PROFILES.production, (p) => (p.alerting.maintenance[0].times = [{ start: '23:00', end: '01:00' }])),
    /^profile "production": alerting\.maintenance\[0\]\.times\[0\]\.end is "01:00"; end after the start \(23:00\); split a window over midnight in two$/,
  ],
  [
    'a maintenance window without days or times, which would mute for ever',
    alter(PROFILES.production, (p) => {
      delete p.alerting.maintenance[0].weekdays;
      delete p.alerting.maintenance[0].times;
    }),
    /^profile "production": alerting\.maintenance\[0\] is "sunday-patching"; give weekdays, times or both: a window without them lasts for ever$/,
  ],
  [
    'a maintenance window that mutes no service',
    alter(PROFILES.production, (p) => (p.alerting.maintenance[0].services = [])),
    /^profile "production": alerting\.maintenance\[0\]\.services is \[\]; name the services \(their service label\) whose warnings it mutes$/,
  ],
  [
    'a misspelt key of a maintenance window',
    alter(PROFILES.production, (p) => (p.alerting.maintenance[0].weekday = ['sunday'])),
    /^profile "production": alerting\.maintenance\[0\]\.weekday is \["sunday"\]; did you mean "weekdays"\?/,
  ],
  [
    'a TSDB size cap above the volume',
    alter(PROFILES.production, (p) => (p.prometheus.retentionSizeGi = 500)),
    /prometheus\.retentionSizeGi is 500; keep it below the volume size \(200 Gi\)/,
  ],
  [
    'a credential in a webhook URL',
    alter(PROFILES.local, (p) => (p.alerting.receivers = [{ kind: 'webhook', name: 'local-null', url: 'https://x.example/hook?token=abc' }])),
    /keep credentials out of the profile/,
  ],
  // Misspelt keys: tsx strips types unchecked, so without the key check each would be dropped
  // silently and its default (or nothing) would apply.
  [
    'a misspelt TSDB size cap, which would leave production without one',
    alter(PROFILES.production, (p) => {
      delete p.prometheus.retentionSizeGi;
      p.prometheus.retentionSizeGI = 180;
    }),
    /^profile "production": prometheus\.retentionSizeGI is 180; did you mean "retentionSizeGi"\? no such key: prometheus takes replicas, resources, storage, retention, retentionSizeGi, externalUrl, scrapeIntervals$/,
  ],
  [
    'a misspelt key at the top of a profile',
    alter(PROFILES.staging, (p) => (p.scrapeIntervall = '15s')),
    /^profile "staging": scrapeIntervall is "15s"; did you mean "scrapeInterval"\? no such key: a profile takes name, phase, /,
  ],
  [
    'a misspelt storage class, a key of the "pvc" storage kind only',
    alter(PROFILES.production, (p) => (p.prometheus.storage.storageclass = 'fast-ssd')),
    /^profile "production": prometheus\.storage\.storageclass is "fast-ssd"; did you mean "storageClass"\? no such key: prometheus\.storage \(kind "pvc"\) takes kind, sizeGi, storageClass$/,
  ],
  [
    'a key of the "pvc" storage kind on an emptyDir',
    alter(PROFILES.local, (p) => (p.prometheus.storage.sizeGi = 10)),
    /^profile "local": prometheus\.storage\.sizeGi is 10; no such key: prometheus\.storage \(kind "emptyDir"\) takes kind, sizeLimitGi; "sizeGi" belongs to kind "pvc"$/,
  ],
  [
    'a misspelt key of a Slack receiver, in a list',
    alter(PROFILES.production, (p) => (p.alerting.receivers[1].sendresolved = false)),
    /^profile "production": alerting\.receivers\[1\]\.sendresolved is false; did you mean "sendResolved"\? no such key: alerting\.receivers\[1\] \(kind "slack"\) takes kind, name, channel, secretKey, sendResolved$/,
  ],
  [
    'a misspelt TLS mode of the Grafana database',
    alter(PROFILES.production, (p) => (p.grafana.database.sslmode = 'verify-full')),
    /^profile "production": grafana\.database\.sslmode is "verify-full"; did you mean "sslMode"\? no such key: grafana\.database \(kind "postgres"\) takes kind, host, database, user, secretName, sslMode$/,
  ],
  [
    "a Jaeger all-in-one process beside Elasticsearch storage, whose shape follows the storage's kind",
    alter(PROFILES.production, (p) => (p.jaeger.allInOne = p.jaeger.indexCleaner)),
    /^profile "production": jaeger\.allInOne is \{.*\}; no such key: jaeger \(storage\.kind "elasticsearch"\) takes sampling, storage, collector, query, indexCleaner; "allInOne" belongs to storage\.kind "memory"$/,
  ],
  [
    'a misspelt key deep in a list of a list',
    alter(PROFILES.production, (p) => (p.jaeger.sampling.services[0].operations = [{ operation: 'PlaceOrder', probabilty: 1 }])),
    /^profile "production": jaeger\.sampling\.services\[0\]\.operations\[0\]\.probabilty is 1; did you mean "probability"\? no such key: jaeger\.sampling\.services\[0\]\.operations\[0\] takes operation, probability$/,
  ],
  [
    'a misspelt key of a network peer, told apart by its one key',
    alter(PROFILES.production, (p) => (p.network.uiClients[0].podlabels = { app: 'x' })),
    /^profile "production": network\.uiClients\[0\]\.podlabels is \{"app":"x"\}; did you mean "podLabels"\? no such key: network\.uiClients\[0\] \(the one with "namespace"\) takes namespace, podLabels$/,
  ],
  [
    'a misspelt key of a Kafka target',
    alter(PROFILES.production, (p) => (p.dependencies.kafka[0].sasl.passwordkey = 'pw')),
    /^profile "production": dependencies\.kafka\[0\]\.sasl\.passwordkey is "pw"; did you mean "passwordKey"\? no such key: dependencies\.kafka\[0\]\.sasl takes mechanism, user, secretName, passwordKey$/,
  ],
  // Thanos: each mistake would otherwise surface only when the bucket is first written, or never.
  [
    'an S3 bucket name with capitals',
    alter(PROFILES.production, (p) => (p.thanos.objectStorage.bucket = 'Grekko-Metrics')),
    /^profile "production": thanos\.objectStorage\.bucket is "Grekko-Metrics"; an S3 bucket name has lowercase letters, digits, "\." and "-", and starts and ends with a letter or digit, such as "grekko-production-metrics"$/,
  ],
  [
    'an S3 bucket name that is an IP address',
    alter(PROFILES.production, (p) => (p.thanos.objectStorage.bucket = '10.0.0.1')),
    /^profile "production": thanos\.objectStorage\.bucket is "10\.0\.0\.1"; an S3 bucket name is not an IP address/,
  ],
  [
    'a GCS bucket name starting with "goog"',
    alter(PROFILES.production, (p) => {
      p.thanos.objectStorage = { provider: 'gcs', bucket: 'google-metrics', egress: p.thanos.objectStorage.egress };
    }),
    /^profile "production": thanos\.objectStorage\.bucket is "google-metrics"; a GCS bucket name cannot start with "goog"/,
  ],
  [
    'an Azure container name with two dashes in a row',
    alter(PROFILES.production, (p) => {
      p.thanos.objectStorage = { provider: 'azure', bucket: 'grekko--metrics', storageAccount: 'grekkometrics', egress: p.thanos.objectStorage.egress };
    }),
    /^profile "production": thanos\.objectStorage\.bucket is "grekko--metrics"; an Azure container name has no two dashes in a row/,
  ],
  [
    'an Azure container without its storage account',
    alter(PROFILES.production, (p) => {
      p.thanos.objectStorage = { provider: 'azure', bucket: 'grekko-metrics', egress: p.thanos.objectStorage.egress };
    }),
    /^profile "production": thanos\.objectStorage\.storageAccount is missing; name the Azure storage account: 3 to 24 lowercase letters and digits$/,
  ],
  [
    'a 5-minute retention shorter than the raw one',
    alter(PROFILES.production, (p) => (p.thanos.compactor.retention.fiveMinutes = '14d')),
    /^profile "production": thanos\.compactor\.retention\.fiveMinutes is "14d"; keep 5-minute data at least as long as raw data \(30d\): a coarser resolution outlives a finer one$/,
  ],
  [
    'a 1-hour retention shorter than the 5-minute one',
    alter(PROFILES.production, (p) => (p.thanos.compactor.retention.oneHour = '90d')),
    /^profile "production": thanos\.compactor\.retention\.oneHour is "90d"; keep 1-hour data at least as long as 5-minute data \(365d\)/,
  ],
  [
    'a raw retention below the 40 hours downsampling needs',
    alter(PROFILES.staging, (p) => (p.thanos.compactor.retention.raw = '1d')),
    /^profile "staging": thanos\.compactor\.retention\.raw is "1d"; keep raw data at least 40h/,
  ],
  [
    'a retention that is not a duration',
    alter(PROFILES.staging, (p) => (p.thanos.compactor.retention.oneHour = '3 years')),
    /^profile "staging": thanos\.compactor\.retention\.oneHour is "3 years"; use a Prometheus duration/,
  ],
  [
    'two compactors',
    alter(PROFILES.production, (p) => (p.thanos.compactor.replicas = 2)),
    /^profile "production": thanos\.compactor\.replicas is 2; use 1: two compactors on one bucket would compact and delete the same blocks at once$/,
  ],
  [
    'Thanos without object storage',
    alter(PROFILES.production, (p) => delete p.thanos.objectStorage),
    /^profile "production": thanos\.objectStorage is missing; name the bucket Thanos writes blocks to/,
  ],
  [
    'an object store endpoint that is neither a host name nor a URL',
    alter(PROFILES.production, (p) => (p.thanos.objectStorage.endpoint = 's3 eu-central-1')),
    /^profile "production": thanos\.objectStorage\.endpoint is "s3 eu-central-1"; use a host name with an optional port, such as "s3\.eu-central-1\.amazonaws\.com", or an http\(s\) URL without a path/,
  ],
  [
    'an object store endpoint URL with a path',
    alter(PROFILES.production, (p) => (p.thanos.objectStorage.endpoint = 'https://s3.eu-central-1.amazonaws.com/grekko-production-metrics')),
    /thanos\.objectStorage\.endpoint is "https:\/\/s3\.eu-central-1\.amazonaws\.com\/grekko-production-metrics"; use a host name/,
  ],
  [
    'an object store egress to a host name instead of a CIDR',
    alter(PROFILES.production, (p) => (p.thanos.objectStorage.egress.cidrs = ['s3.amazonaws.com'])),
    /^profile "production": thanos\.objectStorage\.egress\.cidrs\[0\] is "s3\.amazonaws\.com"; use a CIDR/,
  ],
  [
    'Thanos beside a Prometheus without external labels',
    alter(PROFILES.staging, (p) => (p.externalLabels = {})),
    /^profile "staging": externalLabels is \{\}; give Prometheus at least one external label with Thanos/,
  ],
  [
    'a misspelt key of the Thanos compactor',
    alter(PROFILES.production, (p) => (p.thanos.compactor.retentoin = p.thanos.compactor.retention)),
    /^profile "production": thanos\.compactor\.retentoin is .*; did you mean "retention"\?/,
  ],
  [
    'a database port beyond 65535',
    alter(PROFILES.production, (p) => (p.dependencies.postgres[0].host = 'postgres-primary.grekko.svc:99999')),
    /^profile "production": dependencies\.postgres\[0\]\.host is "postgres-primary\.grekko\.svc:99999"; its port 99999 is outside 1\.\.65535: use a port number from 1 to 65535, the one the server listens on$/,
  ],
];

/**
 * Every address field of a profile (by schema path), and how to give it a port in production.
 * Production names each one, so each case changes a value the stack really uses.
 */
const ADDRESS_FIELDS: Record<string, { field: string; set: (p: any, port: string) => void }> = {
  imageRegistry: { field: 'imageRegistry', set: (p, port) => (p.imageRegistry = `mirror.example.com:${port}/library`) },
  'prometheus.externalUrl': { field: 'prometheus.externalUrl', set: (p, port) => (p.prometheus.externalUrl = `https://prometheus.example.com:${port}`) },
  'alertmanager.externalUrl': {
    field: 'alertmanager.externalUrl',
    set: (p, port) => (p.alertmanager.externalUrl = `https://alertmanager.example.com:${port}`),
  },
  'grafana.externalUrl': { field: 'grafana.externalUrl', set: (p, port) => (p.grafana.externalUrl = `https://grafana.example.com:${port}`) },
  'grafana.database.host': { field: 'grafana.database.host', set: (p, port) => (p.grafana.database.host = `grafana-db.monitoring-db.svc:${port}`) },
  'alerting.receivers[].url': {
    field: 'alerting.receivers[5].url',
    set: (p, port) => (p.alerting.receivers[5].url = `https://api.opsgenie.com:${port}/v2/heartbeats/x/ping`),
  },
  'dependencies.postgres[].host': {
    field: 'dependencies.postgres[0].host',
    set: (p, port) => (p.dependencies.postgres[0].host = `postgres-primary.grekko.svc:${port}`),
  },
  'thanos.remoteStores[].address': {
    field: 'thanos.remoteStores[0].address',
    set: (p, port) =>
      (p.thanos.remoteStores = [
        { name: 'staging', address: `thanos-grpc.staging.grekko.io:${port}`, cidrs: ['203.0.113.0/28'], tls: { caSecretName: 'staging-thanos-ca' } },
      ]),
  },
  'dependencies.redis[].address': { field: 'dependencies.redis[0].address', set: (p, port) => (p.dependencies.redis[0].address = `redis.grekko.svc:${port}`) },
  'dependencies.kafka[].brokers': {
    field: 'dependencies.kafka[0].brokers[2]',
    set: (p, port) => (p.dependencies.kafka[0].brokers[2] = `kafka-2.kafka-headless.grekko.svc:${port}`),
  },
  'dependencies.services[].url': {
    field: 'dependencies.services[0].url',
    set: (p, port) => (p.dependencies.services[0].url = `http://order-service.grekko.svc:${port}`),
  },
  'thanos.objectStorage.endpoint': {
    field: 'thanos.objectStorage.endpoint',
    set: (p, port) => (p.thanos.objectStorage.endpoint = `s3.eu-central-1.amazonaws.com:${port}`),
  },
  'dependencies.synthetic[].url': {
    field: 'dependencies.synthetic[0].url',
    set: (p, port) => (p.dependencies.synthetic[0].url = `http://order-service.grekko.svc:${port}/api/v1/orders/synthetic`),
  },
};

/** Schema paths of the profile whose key names an address: a host, an address, a URL, brokers, an endpoint or a registry. */
function addressPaths(schema: AnySchema, at = ''): string[] {
  if (schema === 'value') return /(host|hosts|address|url|brokers|endpoint|registry)$/i.test(at) ? [at] : [];
  if ('items' in schema) return addressPaths(schema.items, `${at}[]`);
  if ('values' in schema) return addressPaths(schema.values, `${at}.*`);
  const objects = 'by' in schema ? Object.values(schema.members) : [schema];
  return [...new Set(objects.flatMap((o) => Object.entries(o.fields).flatMap(([k, v]) => addressPaths(v, at === '' ? k : `${at}.${k}`))))];
}

const escape = (s: string) => s.replace(/[.[\]]/g, (c) => `\\${c}`);
const portCases: Array<[string, EnvironmentProfile, RegExp]> = Object.values(ADDRESS_FIELDS).flatMap(
  ({ field, set }): Array<[string, EnvironmentProfile, RegExp]> => [
    [
      `port 99999 in ${field}`,
      alter(PROFILES.production, (p) => set(p, '99999')),
      new RegExp(`^profile "production": ${escape(field)} is "[^"]*:99999[^"]*"; its port 99999 is outside 1\\.\\.65535: use a port number from 1 to 65535`),
    ],
    [
      `port 0 in ${field}`,
      alter(PROFILES.production, (p) => set(p, '0')),
      new RegExp(`^profile "production": ${escape(field)} is "[^"]*:0[^"]*"; its port 0 is outside 1\\.\\.65535`),
    ],
    [
      `a port name instead of a number in ${field}`,
      alter(PROFILES.production, (p) => set(p, 'https')),
      new RegExp(`^profile "production": ${escape(field)} is "[^"]*:https[^"]*"; its port "https" is not a number`),
    ],
  ],
);

describe('a port outside 1..65535 in any address of a profile fails synth, naming the field', () => {
  it('covers every address field the profile types declare', () => {
    // externalHosts are bare host names, refused with any port by the network checks.
    expect(
      addressPaths(PROFILE_KEYS as AnySchema)
        .filter((p) => p !== 'network.externalHosts')
        .sort(),
    ).toEqual(Object.keys(ADDRESS_FIELDS).sort());
  });

  it.each(portCases)('%s', (_what, profile, message) => {
    expect(() => validateProfile(profile)).toThrow(message);
  });

  it('accepts the highest port, 65535', () => {
    for (const { set } of Object.values(ADDRESS_FIELDS)) expect(() => validateProfile(alter(PROFILES.production, (p) => set(p, '65535')))).not.toThrow();
  });
});

describe('a bad profile fails synth with a message naming environment, field, value and fix', () => {
  it.each(cases)('%s', (_what, profile, message) => {
    expect(() => validateProfile(profile)).toThrow(message);
  });

  // One previous output for the whole table: a case that wrote to it would fail itself, since
  // each compares the folder before and after its own run.
  let previous: string;
  beforeAll(() => {
    previous = distWithPreviousOutput();
  });

  it.each(cases)('and leaves dist/ as it was: %s', (_what, profile) => {
    const dist = previous;
    const before = tree(dist);
    expect(() => synthesize(dist, [PROFILES.local, profile])).toThrow();
    expect(tree(dist)).toEqual(before);
  });

  it('accepts every shipped profile', () => {
    for (const p of Object.values(PROFILES)) expect(() => validateProfile(p)).not.toThrow();
  });

  it('accepts Thanos beside a single Prometheus replica, as in staging', () => {
    expect(PROFILES.staging.prometheus.replicas).toBe(1);
    expect(() => validateProfile(PROFILES.staging)).not.toThrow();
  });

  it('accepts a retention of "0d" (for ever) at any resolution that outlives the finer ones', () => {
    expect(() => validateProfile(alter(PROFILES.production, (p) => (p.thanos.compactor.retention.oneHour = '0d')))).not.toThrow();
  });
});

describe('the synth command', () => {
  it('a mistake that content throws while it loads exits 1 with the same one-line message, no stack trace, and leaves dist/ as it was', () => {
    const dist = distWithPreviousOutput();
    const before = tree(dist);
    // What a content file raises at load, before any profile is read (a panel 30 columns wide).
    const { code, written } = mainWith(
      '../stacks/environments',
      () => {
        throw new ConfigError(
          'dashboard "grekko-trading" (dashboards/trading.ts), panel "Feed age per symbol"',
          'w',
          30,
          'use a width from 1 to 24: the grid has 24 columns',
        );
      },
      [],
      { CDK8S_OUTDIR: dist },
    );
    expect(code).toBe(1);
    expect(written).toEqual([
      'synth failed: dashboard "grekko-trading" (dashboards/trading.ts), panel "Feed age per symbol": w is 30; use a width from 1 to 24: the grid has 24 columns\n',
      `${dist}/ was left as it was.\n`,
    ]);
    expect(tree(dist)).toEqual(before);
  });

  it("exits 1 on production's misspelt TSDB size cap, with the one-line message, and leaves dist/ as it was", () => {
    const dist = distWithPreviousOutput();
    const before = tree(dist);
    // stacks/production.ts as a typo would leave it: tsx runs it without checking its type.
    const { code, written } = mainWith(
      '../stacks/production',
      () => {
        const real = jest.requireActual('../stacks/production');
        const { retentionSizeGi, ...prometheus } = real.production.prometheus;
        return { production: { ...real.production, prometheus: { ...prometheus, retentionSizeGI: retentionSizeGi } } };
      },
      ['--outdir', dist],
    );
    expect(code).toBe(1);
    expect(written).toEqual([
      'synth failed: profile "production": prometheus.retentionSizeGI is 180; did you mean "retentionSizeGi"? no such key: prometheus takes replicas, resources, storage, retention, retentionSizeGi, externalUrl, scrapeIntervals\n',
      `${dist}/ was left as it was.\n`,
    ]);
    expect(tree(dist)).toEqual(before);
  });
});

describe("an alert's team: a misspelt or missing one fails synth, naming the alert, the field and the teams", () => {
  const rule: AlertRule = { alert: 'OrderBookStale', severity: 'warning', expr: 'up == 0', summary: 's', description: 'd' };
  const group = (extra: Partial<RuleGroup>): RuleGroup => ({ name: 'order-book', source: 'alerts/trading.ts', rules: [rule], ...extra });
  const failure = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('a misspelt team on a group', () => {
    expect(failure(() => withTeams([group({ team: 'tradng' as Team })]))).toBe(
      'rule group "order-book" (alerts/trading.ts): team is "tradng"; use one of devops, trading, risk',
    );
  });

  it('a misspelt team on an alert', () => {
    expect(failure(() => withTeams([group({ team: 'trading', rules: [{ ...rule, team: 'Risk' as Team }] })]))).toBe(
      'alert "OrderBookStale" (alerts/trading.ts): team is "Risk"; use one of devops, trading, risk',
    );
  });

  it('an alert that no team owns', () => {
    expect(failure(() => withTeams([group({})]))).toBe(
      'alert "OrderBookStale" (alerts/trading.ts): team is missing; name the team that owns it (devops, trading, risk) on the alert or its group',
    );
  });

  it('a team given as a plain label, which would bypass the check', () => {
    expect(failure(() => withTeams([group({ team: 'trading', rules: [{ ...rule, labels: { team: 'desk' } }] })]))).toBe(
      'alert "OrderBookStale" (alerts/trading.ts): labels.team is "desk"; set the team with the "team" field of the alert or its group',
    );
  });
});
