/**
 * postgres_exporter for one PostgreSQL server: connection counts, locks, transaction and
 * database statistics (`pg_*`). It logs in as a `pg_monitor` role whose password is mounted from
 * a Secret and read as a file (`DATA_SOURCE_PASS_FILE`); the manifest holds only the address.
 */
import { Construct } from 'constructs';
import { IMAGES } from '../../images';
import { ComponentIdentity, StackContext } from '../../k8s';
import { Resources } from '../../profile';
import { expectSecret } from '../../secrets';
import { ExporterWorkload, secretVolume } from './common';
import { PostgresTarget } from './types';

export interface PostgresExporterProps {
  readonly ctx: StackContext;
  readonly target: PostgresTarget;
  readonly resources: Resources;
}

const PORT = 9187;
const SECRET_DIR = '/etc/postgres-exporter/secret';

export class PostgresExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'postgres-exporter', component: 'database-metrics', image: IMAGES.postgresExporter };
  public readonly workload: ExporterWorkload;

  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    super(scope, id);
    const t = props.target;
    const key = t.passwordKey ?? 'password';
    expectSecret(this, {
      name: t.secretName,
      keys: [key],
      usedBy: 'postgres-exporter',
      description: `password of the PostgreSQL role "${t.user}" (granted pg_monitor) on ${t.host}`,
    });
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx: props.ctx,
      identity: PostgresExporter.identity,
      dependency: t.name,
      port: PORT,
      args: [`--web.listen-address=:${PORT}`],
      env: postgresExporterEnv(t, SECRET_DIR),
      volumes: [secretVolume('credentials', t.secretName, [key])],
      volumeMounts: [{ name: 'credentials', mountPath: SECRET_DIR, readOnly: true }],
      resources: props.resources,
    });
  }
}

/** The exporter's connection settings: address and user in clear, the password as a file path. */
export function postgresExporterEnv(t: PostgresTarget, secretDir: string): Array<{ name: string; value: string }> {
  return [
    { name: 'DATA_SOURCE_URI', value: `${t.host}/${t.database}?sslmode=${t.sslMode ?? 'require'}` },
    { name: 'DATA_SOURCE_USER', value: t.user },
    { name: 'DATA_SOURCE_PASS_FILE', value: `${secretDir}/${t.passwordKey ?? 'password'}` },
  ];
}
