/**
 * postgres_exporter for one PostgreSQL server: connection counts, locks, transaction and
 * database statistics (`pg_*`). It logs in as a `pg_monitor` role whose password is mounted from
 * a Secret and read as a file (`DATA_SOURCE_PASS_FILE`); the manifest holds only the address.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext } from '../../core/k8s';
import { Resources } from '../../core/workload';
import { expectSecret } from '../../core/secrets';
import { CaTrust, optionalCaTrust } from '../../core/trust';
import { ExporterWorkload, secretVolume } from './common';
import { DEPENDENCIES_DEFAULTS, PostgresTarget } from './profile';

export interface PostgresExporterProps {
  readonly ctx: StackContext;
  readonly target: PostgresTarget;
  readonly resources: Resources;
}

const PORT = 9187;
const D = DEPENDENCIES_DEFAULTS.postgres;
const SECRET_DIR = '/etc/postgres-exporter/secret';
const CA_DIR = '/etc/postgres-exporter/ca';
/** Turns on the per-statement collector, disabled by default (v0.17.1, collector/pg_stat_statements.go). */
export const STAT_STATEMENTS_FLAG = '--collector.stat_statements';

export class PostgresExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'postgres-exporter', component: 'database-metrics', image: IMAGES.postgresExporter };
  public readonly workload: ExporterWorkload;

  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    super(scope, id);
    const t = props.target;
    const key = t.passwordKey ?? D.passwordKey;
    expectSecret(this, {
      name: t.secretName,
      keys: [key],
      usedBy: 'postgres-exporter',
      description: `password of the PostgreSQL role "${t.user}" (granted pg_monitor) on ${t.host}`,
    });
    const volumes = [secretVolume('credentials', t.secretName, [key])];
    const volumeMounts: k8s.VolumeMount[] = [{ name: 'credentials', mountPath: SECRET_DIR, readOnly: true }];
    const ca = postgresCaTrust(t, CA_DIR);
    if (ca) {
      expectSecret(this, {
        name: ca.secret.secretName,
        keys: [ca.secret.key],
        usedBy: 'postgres-exporter',
        description: `CA certificate that signed the certificate of PostgreSQL at ${t.host} (${t.name})`,
      });
      volumes.push(ca.volume);
      volumeMounts.push(ca.mount);
    }
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx: props.ctx,
      identity: PostgresExporter.identity,
      dependency: t.name,
      port: PORT,
      args: [`--web.listen-address=:${PORT}`, ...((t.statStatements ?? D.statStatements) ? [STAT_STATEMENTS_FLAG] : [])],
      env: postgresExporterEnv(t, SECRET_DIR, CA_DIR),
      volumes,
      volumeMounts,
      resources: props.resources,
    });
  }
}

/**
 * The exporter's connection settings: address and user in clear, the password and the server's
 * CA as file paths (`sslrootcert`, a libpq connection parameter that lib/pq, the exporter's
 * driver, reads as well).
 */
export function postgresExporterEnv(t: PostgresTarget, secretDir: string, caDir: string): Array<{ name: string; value: string }> {
  const trust = postgresCaTrust(t, caDir);
  const ca = trust ? `&sslrootcert=${trust.file}` : '';
  return [
    { name: 'DATA_SOURCE_URI', value: `${t.host}/${t.database}?sslmode=${t.sslMode ?? D.sslMode}${ca}` },
    { name: 'DATA_SOURCE_USER', value: t.user },
    { name: 'DATA_SOURCE_PASS_FILE', value: `${secretDir}/${t.passwordKey ?? D.passwordKey}` },
  ];
}

/** The server's CA as the exporter mounts it in `caDir`, when the target names one. */
export function postgresCaTrust(t: PostgresTarget, caDir: string): CaTrust | undefined {
  return optionalCaTrust(t.caSecretName ? { secretName: t.caSecretName, key: t.caKey ?? D.caKey } : undefined, { volumeName: 'server-ca', mountPath: caDir });
}
