/** The `grafana` part of a profile: replicas, storage, the database and the address people open. */
import { KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE } from '../../core/keys';
import type { ProfileChecks } from '../../core/checks';
import { addressPortProblem } from '../../core/addresses';
import { DNS_LABEL } from '../../core/syntax';
import type { Storage, WorkloadProfile } from '../../core/workload';

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
      /** @default GRAFANA_DEFAULTS.sslMode ('require') */
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

/** Grafana's database connection when the profile leaves it out. */
export const GRAFANA_DEFAULTS = { sslMode: 'require' } as const satisfies { sslMode: NonNullable<Extract<GrafanaDatabase, { kind: 'postgres' }>['sslMode']> };

const GRAFANA_DATABASE_KEYS: KeySchema<GrafanaDatabase> = {
  by: 'kind',
  members: {
    sqlite: { fields: { kind: VALUE } },
    postgres: { fields: { kind: VALUE, host: VALUE, database: VALUE, user: VALUE, secretName: VALUE, sslMode: VALUE } },
  },
};

export const GRAFANA_KEYS: KeySchema<GrafanaProfile> = {
  fields: { replicas: VALUE, resources: RESOURCES_KEYS, storage: STORAGE_KEYS, database: GRAFANA_DATABASE_KEYS, externalUrl: VALUE },
};

/** Checks the `grafana` part of a profile: SQLite allows one replica only. */
export function validateGrafanaProfile(p: GrafanaProfile, { fail, checkWorkload, checkStorage }: ProfileChecks): void {
  checkWorkload('grafana', p);
  checkStorage('grafana.storage', p.storage);
  const db = p.database;
  if (db?.kind === 'sqlite') {
    if (p.replicas > 1) {
      fail('grafana.replicas', p.replicas, 'use 1 with the SQLite database, or set grafana.database to an external "postgres" database to run more');
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
}
