/**
 * The Elasticsearch setup Job, safe to run any number of times: it applies the lifecycle
 * policies, index templates and data streams declared with `addDataStream`, a role and a user per
 * client registered with `addClient`, and the `kibana_system` password. Its script is setup.sh
 * beside this file followed by one line per object; its request bodies are rendered here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { ComponentIdentity, StackContext } from '../../core/k8s';
import { CaSecret, optionalCaTrust } from '../../core/trust';
import { addSetupJob } from './client';
import { ElasticsearchClientWithRoles, KibanaSystemCredentials, clientSecretName, renderRole, userRoles } from './client-registry';
import { DataStreamSpec, renderIndexTemplate, renderLifecyclePolicy } from './data-streams';

/** Everything the setup Job applies, read at synth time after every registration. */
export interface ElasticsearchSetup {
  readonly streams: readonly DataStreamSpec[];
  readonly clients: readonly ElasticsearchClientWithRoles[];
  /** @default - the kibana_system password is left alone */
  readonly kibanaSystem?: KibanaSystemCredentials;
  /** Nodes of the cluster (the replica count of the index templates). */
  readonly nodes: number;
}

/**
 * The functions of the setup script (setup.sh beside this file). Every request creates or
 * replaces (PUT), or treats "already exists" as success, so a second run leaves the cluster
 * exactly as the first did. Secrets are read from files and sent in request bodies.
 */
const SETUP_PRELUDE = readFileSync(join(__dirname, 'setup.sh'), 'utf8').trimEnd();

/** setup.sh: the prelude, then lifecycle policies, templates and data streams, then roles and users, then kibana_system. */
export function renderSetupScript(s: ElasticsearchSetup): string {
  const lines: string[] = [SETUP_PRELUDE];
  for (const d of s.streams) {
    lines.push(`expect_ok "lifecycle policy ${d.name}" "$(call PUT /_ilm/policy/${d.name} ilm-${d.name}.json)"`);
    lines.push(`expect_ok "index template ${d.name}" "$(call PUT /_index_template/${d.name} template-${d.name}.json)"`);
    for (const ds of d.dataStreams) lines.push(`ensure_data_stream ${ds}`);
  }
  for (const c of s.clients) {
    lines.push(`expect_ok "role ${c.name}" "$(call PUT /_security/role/${c.name} role-${c.name}.json)"`);
    lines.push(`put_user ${clientSecretName(c.name)} '${JSON.stringify(userRoles(c))}'`);
  }
  if (s.kibanaSystem) lines.push(`set_builtin_password kibana_system ${s.kibanaSystem.secretName}/${s.kibanaSystem.passwordKey}`);
  lines.push('echo "setup complete"');
  return `${lines.join('\n')}\n`;
}

/** The files of the setup Job, sorted by name: its script and the JSON bodies it sends. */
export function renderSetupFiles(s: ElasticsearchSetup): Record<string, string> {
  const files: Record<string, string> = { 'setup.sh': renderSetupScript(s) };
  for (const d of s.streams) {
    files[`ilm-${d.name}.json`] = JSON.stringify(renderLifecyclePolicy(d), null, 2);
    files[`template-${d.name}.json`] = JSON.stringify(renderIndexTemplate(d, s.nodes), null, 2);
  }
  for (const c of s.clients) files[`role-${c.name}.json`] = JSON.stringify(renderRole(c), null, 2);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** The Secrets (and keys) the setup Job reads: the superuser's, every client's, kibana_system's. */
export function setupSecrets(superuserSecret: string, s: ElasticsearchSetup): Array<{ name: string; keys: string[] }> {
  const out = [{ name: superuserSecret, keys: ['password'] }];
  for (const c of s.clients) out.push({ name: clientSecretName(c.name), keys: ['username', 'password'] });
  if (s.kibanaSystem) out.push({ name: s.kibanaSystem.secretName, keys: [s.kibanaSystem.passwordKey] });
  return out;
}

export interface ElasticsearchSetupJobProps {
  readonly ctx: StackContext;
  /** Identity of the setup Job's objects. */
  readonly identity: ComponentIdentity;
  /** Base name of the Job and its ConfigMap. */
  readonly name: string;
  readonly serviceAccountName: string;
  /** The cluster's URL. */
  readonly url: string;
  /** Secret with the `elastic` password (key `password`). */
  readonly superuserSecret: string;
  /** CA Secret and key, when HTTP uses TLS. @default - plain http */
  readonly ca?: CaSecret;
  /** What the Job applies; read at synth time. */
  readonly setup: () => ElasticsearchSetup;
}

/** Adds the setup Job and its ConfigMap to `scope`; returns the Job's name (which carries a digest of what it applies). */
export function addElasticsearchSetupJob(scope: Construct, p: ElasticsearchSetupJobProps): string {
  // The whole CA Secret, each key a file under its own name.
  const ca = optionalCaTrust(p.ca, { volumeName: 'ca', mountPath: '/ca', onlyKey: false });
  return addSetupJob(scope, {
    ctx: p.ctx,
    identity: p.identity,
    name: p.name,
    serviceAccountName: p.serviceAccountName,
    files: () => renderSetupFiles(p.setup()),
    env: [
      { name: 'ES_URL', value: p.url },
      { name: 'CREDENTIALS_DIR', value: '/secrets' },
      { name: 'SUPERUSER_CREDENTIALS', value: p.superuserSecret },
      ...(ca ? [{ name: 'CA_FILE', value: ca.file }] : []),
    ],
    volumes: () => [
      {
        mountPath: '/secrets',
        volume: {
          name: 'secrets',
          projected: {
            defaultMode: 0o440,
            sources: setupSecrets(p.superuserSecret, p.setup()).map((s) => ({
              secret: { name: s.name, items: s.keys.map((k) => ({ key: k, path: `${s.name}/${k}` })) },
            })),
          },
        },
      },
      ...(ca ? [{ mountPath: ca.mount.mountPath, volume: ca.volume }] : []),
    ],
  });
}
