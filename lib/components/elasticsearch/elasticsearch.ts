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
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES, ImageRef } from '../../core/images';
import {
  ComponentIdentity,
  StackContext,
  checksum,
  disruptionBudget,
  emptyDir,
  metadata,
  nonRootPod,
  podSelector,
  selectorLabels,
  spreadConstraints,
  statefulStorage,
  toYaml,
} from '../../core/k8s';
import { ElasticsearchProfile } from './profile';
import { expectSecret } from '../../core/secrets';
import { ElasticsearchClientWithRoles, ElasticsearchClients, IKibanaBackend, KibanaSystemCredentials } from './client-registry';
import { ELASTICSEARCH_HTTP_PORT, ELASTICSEARCH_TRANSPORT_PORT, renderElasticsearchConfig } from './config';
import { DataStreamSpec, checkDataStream } from './data-streams';
import { elasticsearchContainer, nodeInitContainers } from './nodes';
import { ElasticsearchCredentials } from './endpoint';
import { ElasticsearchSetup, addElasticsearchSetupJob, renderSetupFiles } from './setup';

export { ELASTICSEARCH_TRANSPORT_PORT } from './config';
export type { DataStreamSpec } from './data-streams';
export type { ElasticsearchClientWithRoles, IKibanaBackend, KibanaSystemCredentials } from './client-registry';
export { clientSecretName } from './client-registry';

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

const HTTP_PORT = ELASTICSEARCH_HTTP_PORT;
const TRANSPORT_PORT = ELASTICSEARCH_TRANSPORT_PORT;
/** `app.kubernetes.io/component` of the setup Job's pods. */
export const ELASTICSEARCH_SETUP_COMPONENT = 'log-store-setup';

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
  private readonly clients = new ElasticsearchClients(this);
  private readonly streams = new Map<string, DataStreamSpec>();

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

    const storage = statefulStorage('data', profile.storage, selector);
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
            initContainers: nodeInitContainers(this, ctx, ident, profile),
            containers: [elasticsearchContainer(ctx, ident, profile)],
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
    return this.clients.add(client);
  }

  /** The built-in `kibana_system` user: the setup Job sets its password from this Secret. */
  public kibanaSystemCredentials(): KibanaSystemCredentials {
    return this.clients.kibanaSystemCredentials();
  }

  /** Declares an index template with its lifecycle policy; the setup Job applies both. */
  public addDataStream(spec: DataStreamSpec): DataStreamSpec {
    checkDataStream(spec, new Set(this.streams.keys()));
    this.streams.set(spec.name, spec);
    return spec;
  }

  /** Registered clients, in registration order. */
  public get registeredClients(): readonly ElasticsearchClientWithRoles[] {
    return this.clients.registered;
  }

  /** elasticsearch.yml. */
  public renderConfig(): Record<string, unknown> {
    return renderElasticsearchConfig({
      profile: this.profile,
      clusterName: this.clusterName,
      name: this.ident.name,
      headlessServiceName: this.headlessServiceName,
      namespace: this.ctx.namespace,
    });
  }

  /** The files of the setup Job: its script and the JSON bodies it sends. */
  public setupFiles(): Record<string, string> {
    return renderSetupFiles(this.setup());
  }

  private setup(): ElasticsearchSetup {
    return { streams: [...this.streams.values()], clients: this.clients.registered, kibanaSystem: this.clients.kibanaSystemUser, nodes: this.nodes };
  }

  private addSetupJob(): string {
    return addElasticsearchSetupJob(this, {
      ctx: this.ctx,
      identity: { ...this.ident, component: ELASTICSEARCH_SETUP_COMPONENT },
      name: `${this.ident.name}-setup`,
      serviceAccountName: this.ident.name,
      url: this.url,
      superuserSecret: this.superuserSecret,
      ca: this.caSecretName && this.caKey ? { secretName: this.caSecretName, key: this.caKey } : undefined,
      setup: () => this.setup(),
    });
  }
}
