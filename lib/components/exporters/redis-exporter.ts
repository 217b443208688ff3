/**
 * redis_exporter for one Redis server: memory, clients, hits and misses, evictions (`redis_*`).
 * The password, when Redis wants one, comes from a Secret key through `secretKeyRef`
 * (`REDIS_PASSWORD`): the exporter's password file is a JSON map of addresses to passwords whose
 * format changed between releases, so a plain Secret key is the stable contract.
 */
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext } from '../../core/k8s';
import { Resources } from '../../core/workload';
import { expectSecret } from '../../core/secrets';
import { CaTrust, caMountsOf, caVolumesOf, optionalCaTrust } from '../../core/trust';
import { ExporterWorkload, secretEnv } from './common';
import { DEPENDENCIES_DEFAULTS, RedisTarget } from './profile';

export interface RedisExporterProps {
  readonly ctx: StackContext;
  readonly target: RedisTarget;
  readonly resources: Resources;
}

const PORT = 9121;
const D = DEPENDENCIES_DEFAULTS.redis;
const CA_DIR = '/etc/redis-exporter/ca';

export class RedisExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'redis-exporter', component: 'cache-metrics', image: IMAGES.redisExporter };
  public readonly workload: ExporterWorkload;

  constructor(scope: Construct, id: string, props: RedisExporterProps) {
    super(scope, id);
    const t = props.target;
    const key = t.passwordKey ?? D.passwordKey;
    if (t.secretName) {
      expectSecret(this, {
        name: t.secretName,
        keys: [key],
        usedBy: 'redis-exporter',
        description: `password of Redis at ${t.address}${t.user ? ` for ACL user "${t.user}"` : ''}`,
      });
    }
    const ca = redisCaTrust(t, CA_DIR);
    if (ca)
      expectSecret(this, {
        name: ca.secret.secretName,
        keys: [ca.secret.key],
        usedBy: 'redis-exporter',
        description: `CA certificate that signed the TLS certificate of Redis at ${t.address} (${t.name})`,
      });
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx: props.ctx,
      identity: RedisExporter.identity,
      dependency: t.name,
      port: PORT,
      args: redisExporterArgs(t, `:${PORT}`, CA_DIR),
      env: t.secretName ? [secretEnv('REDIS_PASSWORD', t.secretName, key)] : [],
      volumes: caVolumesOf(ca),
      volumeMounts: caMountsOf(ca),
      resources: props.resources,
      uid: 59000,
    });
  }
}

/**
 * The exporter's arguments. With a CA, `--tls-ca-cert-file` becomes the root pool the server's
 * certificate is verified against (oliver006/redis_exporter v1.74.0, exporter/tls.go,
 * `CreateClientTLSConfig`: `RootCAs` from the file, else the system pool).
 */
export function redisExporterArgs(t: RedisTarget, listen: string, caDir: string): string[] {
  return [
    `--redis.addr=${t.tls ? 'rediss' : 'redis'}://${t.address}`,
    ...(t.user ? [`--redis.user=${t.user}`] : []),
    ...caFlag(redisCaTrust(t, caDir)),
    `--web.listen-address=${listen}`,
  ];
}

/** The server's CA as the exporter mounts it in `caDir`, when the target uses TLS with a CA of its own. */
export function redisCaTrust(t: RedisTarget, caDir: string): CaTrust | undefined {
  return optionalCaTrust(t.tls && t.caSecretName ? { secretName: t.caSecretName, key: t.caKey ?? D.caKey } : undefined, {
    volumeName: 'server-ca',
    mountPath: caDir,
  });
}

function caFlag(ca: CaTrust | undefined): string[] {
  return ca ? [`--tls-ca-cert-file=${ca.file}`] : [];
}
