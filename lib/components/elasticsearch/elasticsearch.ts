/**
 * Elasticsearch as a StatefulSet, without an operator. One node uses single-node discovery; three
 * or five master-and-data nodes discover each other through a headless Service that publishes
 * not-ready addresses, bootstrap once from `cluster.initial_master_nodes`, start in parallel,
 * keep a PVC each, spread over nodes and allow one node down at a time.
 *
 * Security is on: the `elastic` password comes from a Secret (written into the keystore as the
 * bootstrap password by an init container, never into an environment variable), transport TLS
 * always and HTTP TLS when the profile asks, both from a certificate Secret.
 *
 * A setup Job, safe to run any number of times, applies what the stack declares: a
 * least-privilege role and user per client (`addClient`), the `kibana_system` password, index
 * lifecycle policies, index templates and data streams (`addDataStream`). Its name carries a
 * digest of what it applies, so a change creates a new Job that runs once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConfigError } from '../../core/errors';
import { IMAGES, ImageRef } from '../../core/images';
import {
  ComponentIdentity,
  StackContext,
  checksum,
  disruptionBudget,
  emptyDir,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  podSelector,
  selectorLabels,
  spreadConstraints,
  statefulStorage,
  toYaml,
} from '../../core/k8s';
import { ElasticsearchProfile, elasticsearchHeapMi } from '../logging/profile';
import { podSecurityException } from '../../core/pod-security';
import { expectSecret } from '../../core/secrets';
import { addSetupJob } from './client';
import { ElasticsearchClient, ElasticsearchCredentials, IElasticsearchEndpoint } from './endpoint';

export interface ElasticsearchProps {
  readonly ctx: StackContext;
  readonly profile: ElasticsearchProfile;
  /** @default IMAGES.elasticsearch */
  readonly image?: ImageRef;
  /** `cluster.name`. @default '<instance>-logs' */
  readonly clusterName?: string;
  /** Secret holding the `elastic` superuser's password under key `password`. @default 'elasticsearch-elastic' */
  readonly superuserSecretName?: string;
  /** Secret with the nodes' certificate: `ca.crt`, `tls.crt`, `tls.key`. @default 'elasticsearch-certs' */
  readonly certificateSecretName?: string;
  /** Secret with only the CA certificate (`ca.crt`), mounted by clients when HTTP uses TLS. @default 'elasticsearch-ca' */
  readonly caSecretName?: string;
}

/** A client that also gets built-in roles (such as `kibana_admin`) besides its own role. */
export interface ElasticsearchClientWithRoles extends ElasticsearchClient {
  /** Reserved roles granted on top of the client's own role. @default [] */
  readonly builtinRoles?: readonly string[];
}

/** An index template with a lifecycle policy, and the data streams created from it up front. */
export interface DataStreamSpec {
  /** Name of the index template and of its lifecycle policy. */
  readonly name: string;
  /** Index patterns the template applies to, such as `logs-kubernetes-*`. */
  readonly indexPatterns: readonly string[];
  /** Data streams created by the setup Job (writers then need only `create_doc`). */
  readonly dataStreams: readonly string[];
  /** Days an index is kept after it rolls over; then the policy deletes it. */
  readonly retentionDays: number;
  /** Roll over at this primary shard size. @default 25 */
  readonly rolloverShardSizeGi?: number;
  /** Roll over at least this often, so that deletion works in whole days. @default '1d' */
  readonly rolloverMaxAge?: string;
  /** Index mappings. */
  readonly mappings: Readonly<Record<string, unknown>>;
  /** Template priority; above 100 overrides the built-in `logs-*-*` template. @default 200 */
  readonly priority?: number;
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

const HTTP_PORT = 9200;
const TRANSPORT_PORT = 9300;
/** The port the nodes talk to each other on (always TLS). */
export const ELASTICSEARCH_TRANSPORT_PORT = TRANSPORT_PORT;
/** `app.kubernetes.io/component` of the setup Job's pods. */
export const ELASTICSEARCH_SETUP_COMPONENT = 'log-store-setup';
const HOME = '/usr/share/elasticsearch';
const CLIENT_NAME = /^[a-z][a-z0-9-]{0,40}$/;
const INIT_RESOURCES = { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

export class Elasticsearch extends Construct implements IKibanaBackend {
  public static readonly identity: ComponentIdentity = { name: 'elasticsearch', component: 'log-store', image: IMAGES.elasticsearch };

  public readonly url: string;
  public readonly version: string;
  public readonly caSecretName?: string;
  public readonly caKey?: string;
  public readonly serviceName: string;
  public readonly headlessServiceName: string;
  public readonly port = HTTP_PORT;
  public readonly nodes: number;
  public readonly clusterName: string;
  /** Name of the setup Job (it changes with what the Job applies). */
  public readonly setupJobName: string;

  private readonly ctx: StackContext;
  private readonly ident: ComponentIdentity;
  private readonly profile: ElasticsearchProfile;
  private readonly superuserSecret: string;
  private readonly clients = new Map<string, ElasticsearchClientWithRoles>();
  private readonly streams = new Map<string, DataStreamSpec>();
  private kibanaSystem?: KibanaSystemCredentials;

  constructor(scope: Construct, id: string, props: ElasticsearchProps) {
    super(scope, id);
    const { ctx, profile } = props;
    this.ctx = ctx;
    this.profile = profile;
    this.ident = { ...Elasticsearch.identity, image: props.image ?? IMAGES.elasticsearch };
    const ident = this.ident;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    // Services, the budget and the spread count the component's pods only, never its setup Job's.
    const pods = podSelector(ctx, ident);
    this.nodes = profile.nodes;
    this.version = ident.image.tag.replace(/^v/, '');
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    this.clusterName = props.clusterName ?? `${ctx.instance}-logs`;
    const scheme = profile.httpTls ? 'https' : 'http';
    this.url = `${scheme}://${name}.${ctx.namespace}.svc:${HTTP_PORT}`;
    this.superuserSecret = props.superuserSecretName ?? 'elasticsearch-elastic';
    const certSecret = props.certificateSecretName ?? 'elasticsearch-certs';
    if (profile.httpTls) {
      this.caSecretName = props.caSecretName ?? 'elasticsearch-ca';
      this.caKey = 'ca.crt';
      expectSecret(this, {
        name: this.caSecretName,
        keys: [this.caKey],
        usedBy: 'elasticsearch clients',
        description: 'the CA certificate that signed the Elasticsearch node certificate (the certificate only, no key)',
      });
    }
    expectSecret(this, {
      name: this.superuserSecret,
      keys: ['password'],
      usedBy: 'elasticsearch',
      description: 'password of the "elastic" superuser (used only by the nodes\' probes and the setup Job)',
    });
    expectSecret(this, {
      name: certSecret,
      keys: ['ca.crt', 'tls.crt', 'tls.key'],
      usedBy: 'elasticsearch',
      description: `node certificate and key for transport${profile.httpTls ? ' and HTTP' : ''} TLS, and the CA that signed it`,
    });

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { selector: pods, ports: [{ name: 'http', port: HTTP_PORT, targetPort: k8s.IntOrString.fromNumber(HTTP_PORT) }] },
    });
    new k8s.KubeService(this, 'headless', {
      metadata: metadata(ctx, ident, this.headlessServiceName),
      spec: {
        clusterIp: 'None',
        // Nodes must find each other before any of them is ready.
        publishNotReadyAddresses: true,
        selector: pods,
        ports: [
          { name: 'http', port: HTTP_PORT, targetPort: k8s.IntOrString.fromNumber(HTTP_PORT) },
          { name: 'transport', port: TRANSPORT_PORT, targetPort: k8s.IntOrString.fromNumber(TRANSPORT_PORT) },
        ],
      },
    });

    const configYaml = toYaml(this.renderConfig());
    new k8s.KubeConfigMap(this, 'config', { metadata: metadata(ctx, ident, `${name}-config`), data: { 'elasticsearch.yml': configYaml } });

    const heap = elasticsearchHeapMi(profile);
    const storage = statefulStorage('data', profile.storage, selector);
    const probeCurl = [
      'curl -s -o /dev/null -w "%{http_code}" --max-time 4',
      // The node checks itself over loopback: its certificate names the Services, not 127.0.0.1.
      ...(profile.httpTls ? ['-k'] : []),
      `-u "elastic:$(cat /mnt/elastic/password)"`,
      `"${scheme}://127.0.0.1:${HTTP_PORT}/_cluster/health?local=true"`,
    ].join(' ');

    const initContainers: k8s.Container[] = [];
    if (profile.maxMapCount === 'init-container') {
      podSecurityException(this, {
        workload: `StatefulSet/${name}`,
        level: 'privileged',
        controls: ['Privileged Containers', 'Privilege Escalation', 'Running as Non-root', 'Running as Non-root user', 'Capabilities'],
        needs: ['initContainers[max-map-count] privileged, as root'],
        reason:
          "vm.max_map_count is a node-wide kernel setting that no pod-level sysctl may change; only the init step runs privileged (sysctl, then exits), Elasticsearch itself runs restricted. Set maxMapCount to 'node' where the node image sets it, and the pod meets restricted",
      });
      initContainers.push({
        name: 'max-map-count',
        image: image(ctx, ident.image),
        imagePullPolicy: 'IfNotPresent',
        command: ['sysctl', '-w', 'vm.max_map_count=262144'],
        resources: resources({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } }),
        // Changing a node's kernel setting needs root and privilege; nothing else runs this way.
        securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true },
      });
    }
    initContainers.push({
      name: 'config',
      image: image(ctx, ident.image),
      imagePullPolicy: 'IfNotPresent',
      command: ['bash', '-c', PREPARE_CONFIG],
      env: [
        { name: 'ES_PATH_CONF', value: '/mnt/config' },
        { name: 'ES_TMPDIR', value: '/tmp' },
      ],
      resources: resources(INIT_RESOURCES),
      securityContext: restrictedContainer(),
      volumeMounts: [
        { name: 'config', mountPath: '/mnt/config' },
        { name: 'elasticsearch-yml', mountPath: '/mnt/elasticsearch-yml', readOnly: true },
        { name: 'elastic', mountPath: '/mnt/elastic', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    });

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: metadata(ctx, ident, name),
      spec: {
        serviceName: this.headlessServiceName,
        replicas: profile.nodes,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: metadata(ctx, ident, name).labels, annotations: { 'checksum/config': checksum(configYaml) } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: nonRootPod(1000),
            terminationGracePeriodSeconds: 120,
            enableServiceLinks: false,
            topologySpreadConstraints: spreadConstraints(ctx, pods, profile.nodes),
            initContainers,
            containers: [
              {
                name: 'elasticsearch',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'ES_JAVA_OPTS', value: `-Xms${heap}m -Xmx${heap}m` },
                  { name: 'ES_TMPDIR', value: '/tmp' },
                ],
                ports: [
                  { name: 'http', containerPort: HTTP_PORT },
                  { name: 'transport', containerPort: TRANSPORT_PORT },
                ],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                readinessProbe: { exec: { command: ['bash', '-c', `[ "$(${probeCurl})" = 200 ]`] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(TRANSPORT_PORT) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                // Recovering shards after a restart can take minutes.
                startupProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(HTTP_PORT) }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 },
                volumeMounts: [
                  { name: 'config', mountPath: `${HOME}/config` },
                  { name: 'certs', mountPath: `${HOME}/config/certs`, readOnly: true },
                  { name: 'data', mountPath: `${HOME}/data` },
                  { name: 'logs', mountPath: `${HOME}/logs` },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'elastic', mountPath: '/mnt/elastic', readOnly: true },
                ],
              },
            ],
            volumes: [
              emptyDir('config'),
              emptyDir('logs'),
              emptyDir('tmp'),
              { name: 'elasticsearch-yml', configMap: { name: `${name}-config` } },
              { name: 'certs', secret: { secretName: certSecret, defaultMode: 0o440 } },
              { name: 'elastic', secret: { secretName: this.superuserSecret, defaultMode: 0o440 } },
              ...storage.volumes,
            ],
          },
        },
        volumeClaimTemplates: storage.volumeClaimTemplates.length ? storage.volumeClaimTemplates : undefined,
        persistentVolumeClaimRetentionPolicy: storage.volumeClaimTemplates.length ? { whenDeleted: 'Retain', whenScaled: 'Retain' } : undefined,
      },
    });
    disruptionBudget(this, ctx, ident, name, pods, profile.nodes);

    this.setupJobName = this.addSetupJob();
  }

  /**
   * Registers a client: the setup Job creates a role with exactly these privileges and a user
   * with it, whose name and password it reads from the returned Secret (keys `username`,
   * `password`; create it before deploying). Names must be unique.
   */
  public addClient(client: ElasticsearchClientWithRoles): ElasticsearchCredentials {
    const where = `elasticsearch client "${client.name}"`;
    if (!CLIENT_NAME.test(client.name ?? ''))
      throw new ConfigError(where, 'name', client.name, 'use lowercase letters, digits and "-", starting with a letter, at most 41 characters');
    if (this.clients.has(client.name)) throw new ConfigError(where, 'name', client.name, 'register every client once, with a distinct name');
    const builtin = client.builtinRoles ?? [];
    if (client.indices.length === 0 && (client.clusterPrivileges ?? []).length === 0 && builtin.length === 0) {
      throw new ConfigError(where, 'indices', client.indices, 'grant at least one index pattern, cluster privilege or built-in role');
    }
    if (client.indices.length > 0 && client.indexPrivileges.length === 0) {
      throw new ConfigError(where, 'indexPrivileges', client.indexPrivileges, 'name the index privileges on those patterns, such as "create_doc" or "read"');
    }
    for (const p of [...client.indexPrivileges, ...(client.clusterPrivileges ?? []), ...builtin]) {
      if (!/^[a-z_:.*/]+$/.test(p))
        throw new ConfigError(where, 'privilege', p, 'use Elasticsearch privilege and role names such as "create_doc", "monitor" or "kibana_admin"');
    }
    if (['all', 'manage', 'superuser'].some((p) => [...client.indexPrivileges, ...(client.clusterPrivileges ?? []), ...builtin].includes(p))) {
      throw new ConfigError(
        where,
        'privileges',
        [...client.indexPrivileges, ...(client.clusterPrivileges ?? []), ...builtin],
        'grant only what the client needs; "all", "manage" and "superuser" are refused',
      );
    }
    this.clients.set(client.name, client);
    const secretName = clientSecretName(client.name);
    expectSecret(this, {
      name: secretName,
      keys: ['username', 'password'],
      usedBy: `${client.name}, elasticsearch setup job`,
      description: `Elasticsearch user of ${client.name}: any username (such as "${client.name}") and a random password; the setup Job creates the user`,
    });
    return { secretName, usernameKey: 'username', passwordKey: 'password' };
  }

  /** The built-in `kibana_system` user: the setup Job sets its password from this Secret. */
  public kibanaSystemCredentials(): KibanaSystemCredentials {
    if (!this.kibanaSystem) {
      this.kibanaSystem = { username: 'kibana_system', secretName: 'elasticsearch-kibana-system', passwordKey: 'password' };
      expectSecret(this, {
        name: this.kibanaSystem.secretName,
        keys: [this.kibanaSystem.passwordKey],
        usedBy: 'kibana, elasticsearch setup job',
        description: 'password of the built-in "kibana_system" user Kibana connects as; the setup Job sets it',
      });
    }
    return this.kibanaSystem;
  }

  /** Declares an index template with its lifecycle policy; the setup Job applies both. */
  public addDataStream(spec: DataStreamSpec): DataStreamSpec {
    const where = `elasticsearch data stream template "${spec.name}"`;
    if (!/^[a-z][a-z0-9._-]*$/.test(spec.name)) throw new ConfigError(where, 'name', spec.name, 'use lowercase letters, digits, ".", "_" and "-"');
    if (this.streams.has(spec.name)) throw new ConfigError(where, 'name', spec.name, 'declare every template once');
    if (!Number.isInteger(spec.retentionDays) || spec.retentionDays < 1) {
      throw new ConfigError(where, 'retentionDays', spec.retentionDays, 'use a whole number of days, 1 or more');
    }
    for (const ds of spec.dataStreams) {
      if (!spec.indexPatterns.some((p) => new RegExp(`^${p.split('*').map(escapeRegex).join('.*')}$`).test(ds))) {
        throw new ConfigError(where, 'dataStreams', ds, `name a data stream matched by the index patterns ${spec.indexPatterns.join(', ')}`);
      }
    }
    this.streams.set(spec.name, spec);
    return spec;
  }

  /** Registered clients, in registration order. */
  public get registeredClients(): readonly ElasticsearchClientWithRoles[] {
    return [...this.clients.values()];
  }

  /** elasticsearch.yml. */
  public renderConfig(): Record<string, unknown> {
    const p = this.profile;
    const nodeNames = Array.from({ length: p.nodes }, (_, i) => `${this.ident.name}-${i}`);
    const tls = (on: boolean) =>
      on ? { enabled: true, key: 'certs/tls.key', certificate: 'certs/tls.crt', certificate_authorities: ['certs/ca.crt'] } : { enabled: false };
    return {
      'cluster.name': this.clusterName,
      'node.name': '${POD_NAME}',
      'node.roles': ['master', 'data', 'ingest'],
      'network.host': '0.0.0.0',
      'http.port': HTTP_PORT,
      'transport.port': TRANSPORT_PORT,
      'path.data': `${HOME}/data`,
      'path.logs': `${HOME}/logs`,
      ...(p.nodes === 1
        ? { 'discovery.type': 'single-node' }
        : {
            'discovery.seed_hosts': [`${this.headlessServiceName}.${this.ctx.namespace}.svc`],
            ...(p.clusterFormed ? {} : { 'cluster.initial_master_nodes': nodeNames }),
          }),
      ...(p.maxMapCount === 'disable-mmap' ? { 'node.store.allow_mmap': false } : {}),
      'xpack.security.enabled': true,
      'xpack.security.enrollment.enabled': false,
      'xpack.security.transport.ssl': { ...tls(true), verification_mode: 'certificate' },
      'xpack.security.http.ssl': tls(p.httpTls),
      // A log store needs neither machine learning nor the GeoIP downloader (which calls out to the internet).
      'xpack.ml.enabled': false,
      'ingest.geoip.downloader.enabled': false,
      'action.destructive_requires_name': true,
    };
  }

  /** The files of the setup Job: its script and the JSON bodies it sends. */
  public setupFiles(): Record<string, string> {
    const files: Record<string, string> = { 'setup.sh': this.renderSetupScript() };
    for (const s of this.streams.values()) {
      files[`ilm-${s.name}.json`] = JSON.stringify(lifecyclePolicy(s), null, 2);
      files[`template-${s.name}.json`] = JSON.stringify(this.indexTemplate(s), null, 2);
    }
    for (const c of this.clients.values()) {
      files[`role-${c.name}.json`] = JSON.stringify(
        {
          cluster: [...(c.clusterPrivileges ?? [])],
          indices: c.indices.length ? [{ names: [...c.indices], privileges: [...c.indexPrivileges] }] : [],
          metadata: { managed_by: 'elasticsearch-setup-job' },
        },
        null,
        2,
      );
    }
    return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  }

  private indexTemplate(s: DataStreamSpec): Record<string, unknown> {
    return {
      index_patterns: [...s.indexPatterns],
      data_stream: {},
      priority: s.priority ?? 200,
      template: {
        settings: {
          'index.lifecycle.name': s.name,
          'index.number_of_shards': 1,
          // One copy on another node when there is another node; a single node stays green.
          'index.number_of_replicas': Math.min(1, this.nodes - 1),
          'index.codec': 'best_compression',
        },
        mappings: s.mappings,
      },
      _meta: { managed_by: 'elasticsearch-setup-job' },
    };
  }

  private renderSetupScript(): string {
    const lines: string[] = [SETUP_PRELUDE];
    for (const s of this.streams.values()) {
      lines.push(`expect_ok "lifecycle policy ${s.name}" "$(call PUT /_ilm/policy/${s.name} ilm-${s.name}.json)"`);
      lines.push(`expect_ok "index template ${s.name}" "$(call PUT /_index_template/${s.name} template-${s.name}.json)"`);
      for (const ds of s.dataStreams) lines.push(`ensure_data_stream ${ds}`);
    }
    for (const c of this.clients.values()) {
      const roles = [c.name, ...(c.builtinRoles ?? [])];
      lines.push(`expect_ok "role ${c.name}" "$(call PUT /_security/role/${c.name} role-${c.name}.json)"`);
      lines.push(`put_user ${clientSecretName(c.name)} '${JSON.stringify(roles)}'`);
    }
    if (this.kibanaSystem) lines.push(`set_builtin_password kibana_system ${this.kibanaSystem.secretName}/${this.kibanaSystem.passwordKey}`);
    lines.push('echo "setup complete"');
    return `${lines.join('\n')}\n`;
  }

  private setupSecrets(): Array<{ name: string; keys: string[] }> {
    const out = [{ name: this.superuserSecret, keys: ['password'] }];
    for (const c of this.clients.keys()) out.push({ name: clientSecretName(c), keys: ['username', 'password'] });
    if (this.kibanaSystem) out.push({ name: this.kibanaSystem.secretName, keys: [this.kibanaSystem.passwordKey] });
    return out;
  }

  private addSetupJob(): string {
    return addSetupJob(this, {
      ctx: this.ctx,
      ident: { ...this.ident, component: ELASTICSEARCH_SETUP_COMPONENT },
      name: `${this.ident.name}-setup`,
      serviceAccountName: this.ident.name,
      files: () => this.setupFiles(),
      env: [
        { name: 'ES_URL', value: this.url },
        { name: 'CREDENTIALS_DIR', value: '/secrets' },
        { name: 'SUPERUSER_CREDENTIALS', value: this.superuserSecret },
        ...(this.caSecretName ? [{ name: 'CA_FILE', value: `/ca/${this.caKey}` }] : []),
      ],
      volumes: () => [
        {
          mountPath: '/secrets',
          volume: {
            name: 'secrets',
            projected: {
              defaultMode: 0o440,
              sources: this.setupSecrets().map((s) => ({ secret: { name: s.name, items: s.keys.map((k) => ({ key: k, path: `${s.name}/${k}` })) } })),
            },
          },
        },
        ...(this.caSecretName ? [{ mountPath: '/ca', volume: { name: 'ca', secret: { secretName: this.caSecretName, defaultMode: 0o440 } } }] : []),
      ],
    });
  }
}

/** The Secret holding a client's Elasticsearch username and password. */
export function clientSecretName(client: string): string {
  return `elasticsearch-user-${client}`;
}

function lifecyclePolicy(s: DataStreamSpec): Record<string, unknown> {
  return {
    policy: {
      _meta: { managed_by: 'elasticsearch-setup-job', retention_days: s.retentionDays },
      phases: {
        hot: {
          min_age: '0ms',
          actions: { rollover: { max_primary_shard_size: `${s.rolloverShardSizeGi ?? 25}gb`, max_age: s.rolloverMaxAge ?? '1d' } },
        },
        delete: { min_age: `${s.retentionDays}d`, actions: { delete: {} } },
      },
    },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Init container: a writable copy of the config directory, our elasticsearch.yml, and the bootstrap password in the keystore. */
const PREPARE_CONFIG = `set -euo pipefail
cp -a ${HOME}/config/. "$ES_PATH_CONF"/
cp /mnt/elasticsearch-yml/elasticsearch.yml "$ES_PATH_CONF"/elasticsearch.yml
[ -f "$ES_PATH_CONF"/elasticsearch.keystore ] || elasticsearch-keystore create
elasticsearch-keystore add --force --stdin bootstrap.password < /mnt/elastic/password
echo "config prepared in $ES_PATH_CONF"
`;

/**
 * The functions of the setup script (elasticsearch-setup.sh beside this file). Every request
 * creates or replaces (PUT), or treats "already exists" as success, so a second run leaves the
 * cluster exactly as the first did. Secrets are read from files and sent in request bodies.
 */
const SETUP_PRELUDE = readFileSync(join(__dirname, 'setup.sh'), 'utf8').trimEnd();
