/**
 * What an environment says about Thanos: the object store blocks go to (and the egress that
 * reaches it), the resources of the sidecar, Query, the store gateway and the compactor, and how
 * long each resolution is kept. Without a `thanos` section the environment runs Prometheus alone.
 */
import type { ProfileChecks } from '../../core/checks';
import { addressPortProblem } from '../../core/addresses';
import { AGENT_KEYS, KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE, WORKLOAD_KEYS } from '../../core/keys';
import { DNS_LABEL } from '../../core/syntax';
import { parseDuration } from '../../core/units';
import type { AgentProfile, Storage, WorkloadProfile } from '../../core/workload';
import { isCidr } from '../network-policies/profile';

export type ObjectStorageProvider = 's3' | 'gcs' | 'azure';

/** Where the object store is on the network: NetworkPolicies cannot name hosts, so its addresses. */
export interface ObjectStorageEgress {
  readonly cidrs: readonly string[];
  /** Ranges inside `cidrs` that stay closed, such as the private ones. @default - none */
  readonly except?: readonly string[];
  readonly ports: readonly number[];
}

export interface ObjectStorage {
  readonly provider: ObjectStorageProvider;
  /** The bucket (S3, GCS) or container (Azure) the blocks are written to. */
  readonly bucket: string;
  /**
   * S3: the S3-compatible endpoint, a host name (`s3.eu-central-1.amazonaws.com`, with an
   * optional `:port`) or an `http://` / `https://` URL. Azure: the endpoint suffix, a host name.
   * GCS takes none. @default - S3: `s3.<region>.amazonaws.com`; Azure: `blob.core.windows.net`,
   * the public Azure cloud (objstore's own default)
   */
  readonly endpoint?: string;
  /** The S3 region. @default - S3 only; the endpoint's own region */
  readonly region?: string;
  /** The Azure storage account the container belongs to (not a secret). Azure only. */
  readonly storageAccount?: string;
  /**
   * The Secret holding the credentials (keys by provider: see docs/secrets.md).
   * @default THANOS_DEFAULTS.objectStorage.secretName: 'thanos-objstore'
   */
  readonly secretName?: string;
  /** The NetworkPolicy egress of the sidecar, store gateway and compactor to the object store. */
  readonly egress: ObjectStorageEgress;
}

/** How long each resolution is kept in the bucket, as Prometheus durations; `0d` keeps it for ever. */
export interface ThanosRetention {
  /** Raw samples. */
  readonly raw: string;
  /** 5-minute downsampled data. */
  readonly fiveMinutes: string;
  /** 1-hour downsampled data. */
  readonly oneHour: string;
}

export interface ThanosStoreProfile extends WorkloadProfile {
  /** The store gateway's cache of index headers (rebuilt from the bucket when lost). */
  readonly storage: Storage;
}

export interface ThanosCompactorProfile extends WorkloadProfile {
  /** Where the compactor downloads blocks to compact and downsample them. */
  readonly storage: Storage;
  readonly retention: ThanosRetention;
}

/**
 * Another cluster's Thanos Query (or sidecars) this Query reads beside its own, so that one Grafana
 * shows staging and production side by side (lib/components/thanos/remote.ts renders it).
 */
export interface RemoteStore {
  /** A short name for the remote, such as `staging`: it names its volumes and its flow. */
  readonly name: string;
  /** `host:port` of the remote StoreAPI (gRPC), such as `thanos-grpc.staging.example.com:443`. */
  readonly address: string;
  /** Where the remote is on the network: the NetworkPolicy egress of Query (policies cannot name hosts). */
  readonly cidrs: readonly string[];
  readonly tls: {
    /** The Secret with the CA (`ca.crt`) that signs the remote's certificate. */
    readonly caSecretName: string;
    /** The name the remote's certificate carries, when it is not the address's host. @default - the host */
    readonly serverName?: string;
    /** A `kubernetes.io/tls` Secret (`tls.crt`, `tls.key`) Query presents when the remote asks for a client certificate. @default - none */
    readonly clientCertSecretName?: string;
  };
}

export const REMOTE_STORE_KEYS: KeySchema<RemoteStore> = {
  fields: { name: VALUE, address: VALUE, cidrs: VALUE, tls: { fields: { caSecretName: VALUE, serverName: VALUE, clientCertSecretName: VALUE } } },
};

export interface ThanosProfile {
  readonly objectStorage: ObjectStorage;
  /** The sidecar container in each Prometheus pod. */
  readonly sidecar: AgentProfile;
  readonly query: WorkloadProfile;
  readonly store: ThanosStoreProfile;
  /** Exactly one replica: two compactors on one bucket would compact the same blocks. */
  readonly compactor: ThanosCompactorProfile;
  /** Remote StoreAPIs Query reads too, over TLS. @default - none */
  readonly remoteStores?: readonly RemoteStore[];
  /** The number of active series, for the storage estimate. @default - no estimate */
  readonly activeSeries?: number;
}

/** The default of every optional field of the Thanos profile, by the field's path. */
export const THANOS_DEFAULTS = {
  objectStorage: {
    /** `objectStorage.secretName`: the Secret with the object store's credentials. */
    secretName: 'thanos-objstore',
  },
} as const;

export const THANOS_KEYS: KeySchema<ThanosProfile> = {
  fields: {
    objectStorage: {
      fields: {
        provider: VALUE,
        bucket: VALUE,
        endpoint: VALUE,
        region: VALUE,
        storageAccount: VALUE,
        secretName: VALUE,
        egress: { fields: { cidrs: VALUE, except: VALUE, ports: VALUE } },
      },
    },
    sidecar: AGENT_KEYS,
    query: WORKLOAD_KEYS,
    store: { fields: { replicas: VALUE, resources: RESOURCES_KEYS, storage: STORAGE_KEYS } },
    compactor: {
      fields: { replicas: VALUE, resources: RESOURCES_KEYS, storage: STORAGE_KEYS, retention: { fields: { raw: VALUE, fiveMinutes: VALUE, oneHour: VALUE } } },
    },
    remoteStores: { items: REMOTE_STORE_KEYS },
    activeSeries: VALUE,
  },
};

const PROVIDERS: readonly ObjectStorageProvider[] = ['s3', 'gcs', 'azure'];
const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why a bucket (or Azure container) name is refused by its provider, or undefined when it is valid. */
export function bucketNameProblem(provider: ObjectStorageProvider, name: unknown): string | undefined {
  if (typeof name !== 'string') return 'name the bucket';
  if (provider === 's3') {
    if (name.length < 3 || name.length > 63) return 'an S3 bucket name has 3 to 63 characters';
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
      return 'an S3 bucket name has lowercase letters, digits, "." and "-", and starts and ends with a letter or digit';
    if (name.includes('..')) return 'an S3 bucket name has no two dots in a row';
    if (IPV4.test(name)) return 'an S3 bucket name is not an IP address';
    return undefined;
  }
  if (provider === 'gcs') {
    const max = name.includes('.') ? 222 : 63;
    if (name.length < 3 || name.length > max) return 'a GCS bucket name has 3 to 63 characters (up to 222 when it has dots)';
    if (name.split('.').some((part) => part.length > 63)) return 'each dot-separated part of a GCS bucket name has at most 63 characters';
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name))
      return 'a GCS bucket name has lowercase letters, digits, "-", "_" and ".", and starts and ends with a letter or digit';
    if (name.startsWith('goog')) return 'a GCS bucket name cannot start with "goog"';
    return undefined;
  }
  if (name.length < 3 || name.length > 63) return 'an Azure container name has 3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return 'an Azure container name has lowercase letters, digits and "-", and starts with a letter or digit';
  if (name.includes('--')) return 'an Azure container name has no two dashes in a row';
  if (name.endsWith('-')) return 'an Azure container name does not end with "-"';
  return undefined;
}

/** The host (and port) of an endpoint written as a host name or an http(s) URL; undefined when it is neither. */
export function endpointHost(endpoint: string): { host: string; port?: string; scheme?: 'http' | 'https' } | undefined {
  const url = /^(https?):\/\/([^/?#@]+)\/?$/.exec(endpoint);
  const authority = url ? url[2] : endpoint;
  const m = /^([^:]+)(?::(\d+))?$/.exec(authority);
  if (!m || !HOST.test(m[1])) return undefined;
  return { host: m[1], ...(m[2] ? { port: m[2] } : {}), ...(url ? { scheme: url[1] as 'http' | 'https' } : {}) };
}

/** Milliseconds of a retention, `0d` (for ever) as Infinity. */
function retentionMs(d: string): number {
  const ms = parseDuration(d) as number;
  return ms === 0 ? Infinity : ms;
}

/** The compactor refuses to start with less raw retention than this while it downsamples (40 h). */
const RAW_MIN_MS = 40 * 3600_000;
/** ... and with less 5-minute retention than this (10 days). */
const FIVE_MINUTES_MIN_MS = 10 * 86400_000;

/** Checks the `thanos` part of a profile; throws through `checks.fail`. */
export function validateThanosProfile(t: ThanosProfile | undefined, checks: ProfileChecks): void {
  if (t === undefined) return;
  const { fail, checkResources, checkWorkload, checkStorage, checkDuration } = checks;
  const o = t.objectStorage;
  if (o === undefined || o === null) {
    fail('thanos.objectStorage', o, 'name the bucket Thanos writes blocks to: { provider: "s3", bucket, region, endpoint, egress: { cidrs, ports } }');
  }
  if (!PROVIDERS.includes(o.provider)) fail('thanos.objectStorage.provider', o.provider, `use one of ${PROVIDERS.map((p) => `"${p}"`).join(', ')}`);
  const bucket = bucketNameProblem(o.provider, o.bucket);
  if (bucket) fail('thanos.objectStorage.bucket', o.bucket, `${bucket}, such as "grekko-production-metrics"`);
  if (o.endpoint !== undefined) {
    if (o.provider === 'gcs') fail('thanos.objectStorage.endpoint', o.endpoint, 'leave it out with GCS: the client always reaches storage.googleapis.com');
    const port = addressPortProblem(o.endpoint, /^[a-z]+:\/\//i.test(o.endpoint) ? 'url' : 'address');
    if (port) fail('thanos.objectStorage.endpoint', o.endpoint, port);
    const e = typeof o.endpoint === 'string' ? endpointHost(o.endpoint) : undefined;
    if (!e) {
      fail(
        'thanos.objectStorage.endpoint',
        o.endpoint,
        'use a host name with an optional port, such as "s3.eu-central-1.amazonaws.com", or an http(s) URL without a path, such as "https://minio.example.com:9000"',
      );
    }
    if (o.provider === 'azure' && e && (e.scheme || e.port)) {
      fail(
        'thanos.objectStorage.endpoint',
        o.endpoint,
        'use the endpoint suffix alone, a host name such as "blob.core.windows.net" (the client always speaks HTTPS)',
      );
    }
  }
  if (o.region !== undefined && (o.provider !== 's3' || typeof o.region !== 'string' || !/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(o.region))) {
    fail(
      'thanos.objectStorage.region',
      o.region,
      o.provider === 's3' ? 'use an S3 region name such as "eu-central-1"' : 'leave it out: only S3 takes a region',
    );
  }
  if (o.provider === 's3' && o.endpoint === undefined && o.region === undefined) {
    fail('thanos.objectStorage.endpoint', o.endpoint, 'give the S3 endpoint (such as "s3.eu-central-1.amazonaws.com"), or the region to reach AWS S3 in');
  }
  if (o.provider === 'azure') {
    if (typeof o.storageAccount !== 'string' || !/^[a-z0-9]{3,24}$/.test(o.storageAccount))
      fail('thanos.objectStorage.storageAccount', o.storageAccount, 'name the Azure storage account: 3 to 24 lowercase letters and digits');
  } else if (o.storageAccount !== undefined) {
    fail('thanos.objectStorage.storageAccount', o.storageAccount, 'leave it out: only Azure takes a storage account');
  }
  if (o.secretName !== undefined && (typeof o.secretName !== 'string' || !DNS_LABEL.test(o.secretName) || o.secretName.length > 63)) {
    fail('thanos.objectStorage.secretName', o.secretName, 'use a Secret name: lowercase letters, digits and "-"');
  }
  const eg = o.egress;
  if (eg === undefined) {
    fail(
      'thanos.objectStorage.egress',
      eg,
      'give the addresses and ports of the object store, such as { cidrs: ["0.0.0.0/0"], except: [private ranges], ports: [443] }',
    );
  }
  const cidrs = (field: string, list: unknown, nonEmpty: boolean) => {
    if (!Array.isArray(list) || (nonEmpty && list.length === 0)) fail(field, list, 'list one or more CIDRs, such as ["0.0.0.0/0"]');
    (list as unknown[]).forEach((c, i) => {
      if (!isCidr(c)) fail(`${field}[${i}]`, c, 'use a CIDR such as "52.219.0.0/16" or "fd00::/64"');
    });
  };
  cidrs('thanos.objectStorage.egress.cidrs', eg.cidrs, true);
  if (eg.except !== undefined) cidrs('thanos.objectStorage.egress.except', eg.except, false);
  if (!Array.isArray(eg.ports) || eg.ports.length === 0) fail('thanos.objectStorage.egress.ports', eg.ports, 'list one or more TCP ports, such as [443]');
  eg.ports.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 1 || p > 65535) fail(`thanos.objectStorage.egress.ports[${i}]`, p, 'use a port number between 1 and 65535');
  });

  if (t.sidecar === undefined) fail('thanos.sidecar', t.sidecar, 'set the resources of the sidecar container in each Prometheus pod');
  checkResources('thanos.sidecar.resources', t.sidecar.resources);
  checkWorkload('thanos.query', t.query);
  checkWorkload('thanos.store', t.store);
  checkStorage('thanos.store.storage', t.store.storage);
  checkWorkload('thanos.compactor', t.compactor);
  if (t.compactor.replicas !== 1) {
    fail('thanos.compactor.replicas', t.compactor.replicas, 'use 1: two compactors on one bucket would compact and delete the same blocks at once');
  }
  checkStorage('thanos.compactor.storage', t.compactor.storage);
  const r = t.compactor.retention;
  if (r === undefined)
    fail('thanos.compactor.retention', r, 'set how long raw, 5-minute and 1-hour data are kept, such as { raw: "30d", fiveMinutes: "365d", oneHour: "1095d" }');
  for (const k of ['raw', 'fiveMinutes', 'oneHour'] as const) checkDuration(`thanos.compactor.retention.${k}`, r[k]);
  if (retentionMs(r.raw) < RAW_MIN_MS) {
    fail(
      'thanos.compactor.retention.raw',
      r.raw,
      'keep raw data at least 40h (the compactor builds 5-minute data from 40-hour blocks and refuses to start with less), or "0d" for ever',
    );
  }
  if (retentionMs(r.fiveMinutes) < FIVE_MINUTES_MIN_MS) {
    fail(
      'thanos.compactor.retention.fiveMinutes',
      r.fiveMinutes,
      'keep 5-minute data at least 10d (the compactor builds 1-hour data from 10-day blocks and refuses to start with less), or "0d" for ever',
    );
  }
  if (retentionMs(r.fiveMinutes) < retentionMs(r.raw)) {
    fail(
      'thanos.compactor.retention.fiveMinutes',
      r.fiveMinutes,
      `keep 5-minute data at least as long as raw data (${r.raw}): a coarser resolution outlives a finer one`,
    );
  }
  if (retentionMs(r.oneHour) < retentionMs(r.fiveMinutes)) {
    fail(
      'thanos.compactor.retention.oneHour',
      r.oneHour,
      `keep 1-hour data at least as long as 5-minute data (${r.fiveMinutes}): a coarser resolution outlives a finer one`,
    );
  }
  validateRemoteStores(t.remoteStores, checks);
  if (t.activeSeries !== undefined && (!Number.isInteger(t.activeSeries) || t.activeSeries < 1)) {
    fail('thanos.activeSeries', t.activeSeries, 'use a whole number of active series, such as 300000 (prometheus_tsdb_head_series)');
  }
}

/** Checks `thanos.remoteStores`; throws through `checks.fail`. */
export function validateRemoteStores(list: readonly RemoteStore[] | undefined, { fail }: ProfileChecks): void {
  if (list === undefined) return;
  if (!Array.isArray(list))
    fail('thanos.remoteStores', list, 'list the remote StoreAPIs, such as [{ name: "staging", address: "thanos.staging.example.com:443", cidrs, tls }]');
  const seen = new Set<string>();
  list.forEach((r, i) => {
    const at = `thanos.remoteStores[${i}]`;
    if (typeof r.name !== 'string' || !DNS_LABEL.test(r.name) || r.name.length > 40) {
      fail(`${at}.name`, r.name, 'use a short lowercase name such as "staging" (letters, digits and "-", at most 40)');
    }
    if (seen.has(r.name)) fail(`${at}.name`, r.name, 'give every remote store a distinct name');
    seen.add(r.name);
    const port = addressPortProblem(r.address, 'address');
    if (port) fail(`${at}.address`, r.address, port);
    const host = typeof r.address === 'string' ? endpointHost(r.address) : undefined;
    if (!host || host.scheme || !host.port) {
      fail(`${at}.address`, r.address, 'use host:port of the remote gRPC StoreAPI, such as "thanos-grpc.staging.example.com:443" (no scheme)');
    }
    if (!Array.isArray(r.cidrs) || r.cidrs.length === 0)
      fail(`${at}.cidrs`, r.cidrs, 'list the addresses the remote is reached at, such as ["203.0.113.0/28"]');
    (r.cidrs as readonly unknown[]).forEach((c, j) => {
      if (!isCidr(c)) fail(`${at}.cidrs[${j}]`, c, 'use a CIDR such as "203.0.113.0/28"');
    });
    if (r.tls === undefined || typeof r.tls.caSecretName !== 'string' || !DNS_LABEL.test(r.tls.caSecretName)) {
      fail(
        `${at}.tls.caSecretName`,
        r.tls?.caSecretName,
        'name the Secret with the CA (ca.crt) that signs the remote certificate: the connection leaves the cluster, so it is TLS only',
      );
    }
    if (r.tls.clientCertSecretName !== undefined && !DNS_LABEL.test(r.tls.clientCertSecretName)) {
      fail(`${at}.tls.clientCertSecretName`, r.tls.clientCertSecretName, 'use a Secret name: lowercase letters, digits and "-"');
    }
    if (r.tls.serverName !== undefined && (typeof r.tls.serverName !== 'string' || !endpointHost(r.tls.serverName) || r.tls.serverName.includes(':'))) {
      fail(`${at}.tls.serverName`, r.tls.serverName, 'use the host name in the remote certificate, such as "thanos-grpc.staging.example.com"');
    }
  });
}
