/**
 * Remote StoreAPIs: another cluster's Thanos Query (or sidecars) that this Query reads beside its
 * own, so that one Grafana shows staging and production side by side. Each remote series keeps
 * the external labels of the Prometheus it came from (`cluster`, `environment`), so the two stay
 * apart and deduplication on `replica` still merges only each pair.
 *
 * The connection crosses clusters, so it is TLS only: the CA that signs the remote's certificate,
 * and a client certificate when the remote asks for one, come from Secrets mounted read-only and
 * named per endpoint in Query's endpoint list (`client_config.tls_config` of an `endpoints` entry,
 * cmd/thanos/endpointset.go at v0.42.4).
 */
import { k8s } from 'cdk8s-plus-28';
import { caTrust } from '../../core/trust';
import type { RemoteStore } from './profile';

/** What Query needs for its remote stores: endpoint entries, volumes, mounts and the Secrets it reads. */
export interface RemoteAccess {
  readonly endpoints: ReadonlyArray<Record<string, unknown>>;
  readonly volumes: readonly k8s.Volume[];
  readonly mounts: readonly k8s.VolumeMount[];
  readonly secrets: ReadonlyArray<{ readonly name: string; readonly keys: readonly string[]; readonly description: string }>;
}

const REMOTE_DIR = '/etc/thanos/remote';

export function remoteAccess(list: readonly RemoteStore[]): RemoteAccess {
  const endpoints: Array<Record<string, unknown>> = [];
  const volumes: k8s.Volume[] = [];
  const mounts: k8s.VolumeMount[] = [];
  const secrets: Array<{ name: string; keys: string[]; description: string }> = [];
  for (const r of list) {
    const ca = caTrust({ secretName: r.tls.caSecretName }, { volumeName: `remote-${r.name}-ca`, mountPath: `${REMOTE_DIR}/${r.name}/ca` });
    volumes.push(ca.volume);
    mounts.push(ca.mount);
    secrets.push({
      name: r.tls.caSecretName,
      keys: [ca.secret.key],
      description: `CA certificate Thanos Query verifies the remote store "${r.name}" (${r.address}) against`,
    });
    const tls: Record<string, unknown> = { enabled: true, ca_file: ca.file };
    const cert = r.tls.clientCertSecretName;
    if (cert) {
      const dir = `${REMOTE_DIR}/${r.name}/client`;
      volumes.push({
        name: `remote-${r.name}-client`,
        secret: {
          secretName: cert,
          defaultMode: 0o440,
          items: [
            { key: 'tls.crt', path: 'tls.crt' },
            { key: 'tls.key', path: 'tls.key' },
          ],
        },
      });
      mounts.push({ name: `remote-${r.name}-client`, mountPath: dir, readOnly: true });
      secrets.push({
        name: cert,
        keys: ['tls.crt', 'tls.key'],
        description: `client certificate and key Thanos Query presents to the remote store "${r.name}" (${r.address})`,
      });
      tls.cert_file = `${dir}/tls.crt`;
      tls.key_file = `${dir}/tls.key`;
    }
    endpoints.push({ address: r.address, client_config: { tls_config: tls, ...(r.tls.serverName ? { server_name: r.tls.serverName } : {}) } });
  }
  return { endpoints, volumes, mounts, secrets };
}
