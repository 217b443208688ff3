/**
 * objstore.yml, the object store configuration every Thanos process that touches the bucket
 * reads (`--objstore.config-file`), and how its credentials reach the process. The file holds no
 * secret: its credential fields are `$(THANOS_...)` placeholders, which Thanos replaces from the
 * environment when it reads the file (and refuses to start when one is unset); the variables come
 * from the Secret through `secretKeyRef`. GCS has no placeholder: with `service_account` empty,
 * objstore's GCS client falls back to Google's default credentials, which read the key file named
 * by GOOGLE_APPLICATION_CREDENTIALS, mounted from the Secret.
 */
import { k8s } from 'cdk8s-plus-28';
import { toYaml } from '../../core/k8s';
import { GCS_CREDENTIALS_DIR, OBJSTORE_CONFIGMAP, OBJSTORE_DIR, OBJSTORE_FILE } from './layout';
import { ObjectStorage, THANOS_DEFAULTS, endpointHost } from './profile';

/** One key of the credentials Secret: what it holds, and the variable or file it becomes. */
export interface CredentialKey {
  readonly key: string;
  readonly description: string;
  /** The environment variable set from it. @default - mounted as a file instead */
  readonly env?: string;
}

/** The credential keys each provider reads from the Secret. */
export function credentialKeys(provider: ObjectStorage['provider']): readonly CredentialKey[] {
  switch (provider) {
    case 's3':
      return [
        { key: 'access-key', env: 'THANOS_S3_ACCESS_KEY', description: 'the access key id of the S3 user that reads and writes the bucket' },
        { key: 'secret-key', env: 'THANOS_S3_SECRET_KEY', description: 'the secret access key of that S3 user' },
      ];
    case 'azure':
      return [{ key: 'storage-account-key', env: 'THANOS_AZURE_STORAGE_ACCOUNT_KEY', description: 'an access key of the Azure storage account' }];
    case 'gcs':
      return [{ key: 'service-account-json', description: 'the JSON key of a Google service account with read and write access to the bucket' }];
  }
}

const placeholder = (env: string): string => `$(${env})`;

/** The objstore.yml document: `type` and `config` as objstore's client factory reads them. */
export function objstoreConfig(o: ObjectStorage): Record<string, unknown> {
  const env = Object.fromEntries(credentialKeys(o.provider).map((c) => [c.key, c.env ?? '']));
  if (o.provider === 's3') {
    const e = o.endpoint !== undefined ? endpointHost(o.endpoint) : undefined;
    const endpoint = e ? `${e.host}${e.port ? `:${e.port}` : ''}` : `s3.${o.region}.amazonaws.com`;
    return {
      type: 'S3',
      config: {
        bucket: o.bucket,
        endpoint,
        ...(o.region ? { region: o.region } : {}),
        // minio's client takes a host; the scheme is this flag (HTTPS unless the URL says http).
        ...(e?.scheme === 'http' ? { insecure: true } : {}),
        access_key: placeholder(env['access-key']),
        secret_key: placeholder(env['secret-key']),
      },
    };
  }
  if (o.provider === 'azure') {
    return {
      type: 'AZURE',
      config: {
        storage_account: o.storageAccount,
        storage_account_key: placeholder(env['storage-account-key']),
        container: o.bucket,
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      },
    };
  }
  // No service_account: the client reads GOOGLE_APPLICATION_CREDENTIALS.
  return { type: 'GCS', config: { bucket: o.bucket } };
}

/**
 * objstore.yml as text, each placeholder single-quoted: the value Thanos puts in its place is
 * then read as a string whatever characters it holds (a `#`, a leading `*`), bar a quote.
 */
export function objstoreYaml(o: ObjectStorage): string {
  return toYaml(objstoreConfig(o)).replace(/: (\$\([A-Z0-9_]+\))$/gm, ": '$1'");
}

/** The Secret with the credentials. */
export function credentialsSecret(o: ObjectStorage): string {
  return o.secretName ?? THANOS_DEFAULTS.objectStorage.secretName;
}

/** What a container needs to reach the bucket: the config file, and the credentials beside it. */
export interface ObjstoreAccess {
  readonly args: readonly string[];
  readonly env: k8s.EnvVar[];
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
}

/** The flag, variables, volumes and mounts that give a Thanos container access to the bucket. */
export function objstoreAccess(o: ObjectStorage): ObjstoreAccess {
  const secretName = credentialsSecret(o);
  const keys = credentialKeys(o.provider);
  const env: k8s.EnvVar[] = keys.filter((k) => k.env).map((k) => ({ name: k.env!, valueFrom: { secretKeyRef: { name: secretName, key: k.key } } }));
  const volumes: k8s.Volume[] = [{ name: 'objstore', configMap: { name: OBJSTORE_CONFIGMAP } }];
  const mounts: k8s.VolumeMount[] = [{ name: 'objstore', mountPath: OBJSTORE_DIR, readOnly: true }];
  if (o.provider === 'gcs') {
    env.push({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${GCS_CREDENTIALS_DIR}/service-account.json` });
    volumes.push({
      name: 'gcs-credentials',
      secret: { secretName, defaultMode: 0o440, items: [{ key: 'service-account-json', path: 'service-account.json' }] },
    });
    mounts.push({ name: 'gcs-credentials', mountPath: GCS_CREDENTIALS_DIR, readOnly: true });
  }
  return { args: [`--objstore.config-file=${OBJSTORE_FILE}`], env, volumes, mounts };
}
