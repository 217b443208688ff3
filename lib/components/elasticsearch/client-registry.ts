/**
 * The clients of one Elasticsearch cluster: the least-privilege users the setup Job creates, the
 * Secrets their credentials live in, and the built-in `kibana_system` user whose password it sets.
 */
import { Construct } from 'constructs';
import { ConfigError } from '../../core/errors';
import { expectSecret } from '../../core/secrets';
import { ElasticsearchClient, ElasticsearchCredentials, IElasticsearchEndpoint } from './endpoint';

/** A client that also gets built-in roles (such as `kibana_admin`) besides its own role. */
export interface ElasticsearchClientWithRoles extends ElasticsearchClient {
  /** Reserved roles granted on top of the client's own role. @default [] */
  readonly builtinRoles?: readonly string[];
}

/** Where Kibana reads the password of the built-in `kibana_system` user. */
export interface KibanaSystemCredentials {
  readonly username: 'kibana_system';
  readonly secretName: string;
  readonly passwordKey: string;
}

/** Anything Kibana can connect to: an endpoint that also manages the `kibana_system` password. */
export interface IKibanaBackend extends IElasticsearchEndpoint {
  addClient(client: ElasticsearchClientWithRoles): ElasticsearchCredentials;
  kibanaSystemCredentials(): KibanaSystemCredentials;
}

const CLIENT_NAME = /^[a-z][a-z0-9-]{0,40}$/;
/** Privileges no client is ever granted. */
const REFUSED = ['all', 'manage', 'superuser'];

/** The Secret holding a client's Elasticsearch username and password. */
export function clientSecretName(client: string): string {
  return `elasticsearch-user-${client}`;
}

/** Refuses a client whose name is taken or malformed, or that asks for nothing or for too much. */
export function checkClient(client: ElasticsearchClientWithRoles, registered: ReadonlySet<string>): void {
  const where = `elasticsearch client "${client.name}"`;
  if (!CLIENT_NAME.test(client.name ?? ''))
    throw new ConfigError(where, 'name', client.name, 'use lowercase letters, digits and "-", starting with a letter, at most 41 characters');
  if (registered.has(client.name)) throw new ConfigError(where, 'name', client.name, 'register every client once, with a distinct name');
  const builtin = client.builtinRoles ?? [];
  const cluster = client.clusterPrivileges ?? [];
  if (client.indices.length === 0 && cluster.length === 0 && builtin.length === 0) {
    throw new ConfigError(where, 'indices', client.indices, 'grant at least one index pattern, cluster privilege or built-in role');
  }
  if (client.indices.length > 0 && client.indexPrivileges.length === 0) {
    throw new ConfigError(where, 'indexPrivileges', client.indexPrivileges, 'name the index privileges on those patterns, such as "create_doc" or "read"');
  }
  const all = [...client.indexPrivileges, ...cluster, ...builtin];
  for (const p of all) {
    if (!/^[a-z_:.*/]+$/.test(p))
      throw new ConfigError(where, 'privilege', p, 'use Elasticsearch privilege and role names such as "create_doc", "monitor" or "kibana_admin"');
  }
  if (REFUSED.some((p) => all.includes(p))) {
    throw new ConfigError(where, 'privileges', all, 'grant only what the client needs; "all", "manage" and "superuser" are refused');
  }
}

/** The client's own role (`PUT /_security/role/<name>`): exactly its privileges. */
export function renderRole(c: ElasticsearchClientWithRoles): Record<string, unknown> {
  return {
    cluster: [...(c.clusterPrivileges ?? [])],
    indices: c.indices.length ? [{ names: [...c.indices], privileges: [...c.indexPrivileges] }] : [],
    metadata: { managed_by: 'elasticsearch-setup-job' },
  };
}

/** The roles the setup Job gives a client's user: its own, then the built-in ones. */
export function userRoles(c: ElasticsearchClientWithRoles): string[] {
  return [c.name, ...(c.builtinRoles ?? [])];
}

/** The clients registered with one cluster; each registration declares the Secret it needs on `scope`. */
export class ElasticsearchClients {
  private readonly clients = new Map<string, ElasticsearchClientWithRoles>();
  private kibanaSystem?: KibanaSystemCredentials;

  constructor(private readonly scope: Construct) {}

  /** Registers a client and returns where its credentials live; see `Elasticsearch.addClient`. */
  public add(client: ElasticsearchClientWithRoles): ElasticsearchCredentials {
    checkClient(client, new Set(this.clients.keys()));
    this.clients.set(client.name, client);
    const secretName = clientSecretName(client.name);
    expectSecret(this.scope, {
      name: secretName,
      keys: ['username', 'password'],
      usedBy: `${client.name}, elasticsearch setup job`,
      description: `Elasticsearch user of ${client.name}: any username (such as "${client.name}") and a random password; the setup Job creates the user`,
    });
    return { secretName, usernameKey: 'username', passwordKey: 'password' };
  }

  /** The built-in `kibana_system` user, declared on first use. */
  public kibanaSystemCredentials(): KibanaSystemCredentials {
    if (!this.kibanaSystem) {
      this.kibanaSystem = { username: 'kibana_system', secretName: 'elasticsearch-kibana-system', passwordKey: 'password' };
      expectSecret(this.scope, {
        name: this.kibanaSystem.secretName,
        keys: [this.kibanaSystem.passwordKey],
        usedBy: 'kibana, elasticsearch setup job',
        description: 'password of the built-in "kibana_system" user Kibana connects as; the setup Job sets it',
      });
    }
    return this.kibanaSystem;
  }

  /** Registered clients, in registration order. */
  public get registered(): readonly ElasticsearchClientWithRoles[] {
    return [...this.clients.values()];
  }

  /** The `kibana_system` credentials, once Kibana asked for them. */
  public get kibanaSystemUser(): KibanaSystemCredentials | undefined {
    return this.kibanaSystem;
  }
}
