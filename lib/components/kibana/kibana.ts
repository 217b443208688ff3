/**
 * Kibana as a Deployment, the same version as Elasticsearch (checked), connected as the built-in
 * `kibana_system` user whose password, like the encryption keys every replica must share, goes
 * from a Secret into Kibana's keystore (never into the environment). A setup Job provisions data
 * views idempotently through Kibana's API, as a user with the `kibana_admin` role only.
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
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  podSelector,
  selectorLabels,
  spreadConstraints,
  toYaml,
} from '../../core/k8s';
import { KibanaProfile } from './profile';
import { expectSecret } from '../../core/secrets';
import { parseQuantity } from '../../core/units';
import { IKibanaBackend } from '../elasticsearch/client-registry';
import { addSetupJob, credentialsVolume, elasticsearchCaTrust } from '../elasticsearch/client';
import { caMountsOf, caVolumesOf } from '../../core/trust';

/** A Kibana data view over an index pattern. */
export interface KibanaDataView {
  /** Stable id (links and saved searches use it). */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Index pattern, such as `logs-kubernetes-*`. */
  readonly pattern: string;
  /** @default '@timestamp' */
  readonly timeField?: string;
}

export interface KibanaProps {
  readonly ctx: StackContext;
  readonly profile: KibanaProfile;
  readonly elasticsearch: IKibanaBackend;
  /** @default IMAGES.kibana; must carry the Elasticsearch version */
  readonly image?: ImageRef;
  /**
   * Secret with the keys every replica shares (at least 32 characters each): `encryption-key`
   * (sessions), `saved-objects-key` (encrypted saved objects), `reporting-key` (reports).
   * @default 'kibana-encryption-keys'
   */
  readonly encryptionKeysSecretName?: string;
}

const PORT = 5601;
/** `app.kubernetes.io/component` of the setup Job's pods. */
export const KIBANA_SETUP_COMPONENT = 'log-ui-setup';
const HOME = '/usr/share/kibana';
/** Where the Elasticsearch CA is mounted (beside kibana.yml, in the writable config directory). */
const CA_DIR = `${HOME}/config/certs`;
const MI = 1024 ** 2;
const SETUP_SCRIPT = readFileSync(join(__dirname, 'setup.sh'), 'utf8');
const INIT_RESOURCES = { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } };

export class Kibana extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'kibana', component: 'log-ui', image: IMAGES.kibana };

  public readonly url: string;
  public readonly serviceName: string;
  public readonly port = PORT;
  public readonly version: string;
  public readonly replicas: number;

  private readonly dataViews: KibanaDataView[] = [];
  private readonly ctx: StackContext;
  private readonly ident: ComponentIdentity;

  constructor(scope: Construct, id: string, props: KibanaProps) {
    super(scope, id);
    const { ctx, profile, elasticsearch: es } = props;
    this.ctx = ctx;
    this.ident = { ...Kibana.identity, image: props.image ?? IMAGES.kibana };
    const ident = this.ident;
    const name = ident.name;
    this.version = ident.image.tag.replace(/^v/, '');
    if (this.version !== es.version) {
      throw new ConfigError(
        'kibana',
        'image.tag',
        ident.image.tag,
        `use the Elasticsearch version ${es.version} (lib/core/images.ts): Kibana refuses to start against a different version`,
      );
    }
    const selector = selectorLabels(ctx, ident);
    // Services, the budget and the spread count the component's pods only, never its setup Job's.
    const pods = podSelector(ctx, ident);
    this.replicas = profile.replicas;
    this.serviceName = name;
    this.url = `http://${name}.${ctx.namespace}.svc:${PORT}`;
    const keysSecret = props.encryptionKeysSecretName ?? 'kibana-encryption-keys';
    expectSecret(this, {
      name: keysSecret,
      keys: ['encryption-key', 'reporting-key', 'saved-objects-key'],
      usedBy: 'kibana',
      description: 'encryption keys shared by every Kibana replica (sessions, saved objects, reports), 32 characters or more each',
    });
    const system = es.kibanaSystemCredentials();

    const ca = elasticsearchCaTrust(es, 'ca', CA_DIR);
    const configYaml = toYaml(renderKibanaConfig(es.url, ca?.file));
    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'config', { metadata: metadata(ctx, ident, `${name}-config`), data: { 'kibana.yml': configYaml } });
    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { selector: pods, ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });

    const memLimitMi = Math.floor((parseQuantity(profile.resources.limits.memory) ?? 0) / MI);
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: metadata(ctx, ident, name),
      spec: {
        replicas: profile.replicas,
        selector: { matchLabels: selector },
        // Kibana migrates its saved objects when its version changes, and two versions must never
        // run side by side: replace all pods at once rather than roll.
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: metadata(ctx, ident, name).labels, annotations: { 'checksum/config': checksum(configYaml) } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: nonRootPod(1000),
            enableServiceLinks: false,
            topologySpreadConstraints: spreadConstraints(ctx, pods, profile.replicas),
            initContainers: [
              {
                name: 'keystore',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                command: ['bash', '-c', PREPARE_KEYSTORE],
                env: [{ name: 'KBN_PATH_CONF', value: '/mnt/config' }],
                resources: resources(INIT_RESOURCES),
                securityContext: restrictedContainer(),
                volumeMounts: [
                  { name: 'config', mountPath: '/mnt/config' },
                  { name: 'kibana-yml', mountPath: '/mnt/kibana-yml', readOnly: true },
                  { name: 'keys', mountPath: '/mnt/keys', readOnly: true },
                  { name: 'system', mountPath: '/mnt/system', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            containers: [
              {
                name: 'kibana',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                // Node's heap within the container's memory, leaving room for native memory.
                env: [{ name: 'NODE_OPTIONS', value: `--max-old-space-size=${Math.floor(memLimitMi * 0.7)}` }],
                ports: [{ name: 'http', containerPort: PORT }],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                // /login answers 200 only once Kibana has connected and migrated; 503 before.
                readinessProbe: httpProbe('/login', PORT, { periodSeconds: 10, failureThreshold: 3 }),
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(PORT) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                startupProbe: httpProbe('/login', PORT, { periodSeconds: 10, failureThreshold: 60 }),
                volumeMounts: [
                  { name: 'config', mountPath: `${HOME}/config` },
                  ...caMountsOf(ca),
                  { name: 'data', mountPath: `${HOME}/data` },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              emptyDir('config'),
              emptyDir('data'),
              emptyDir('tmp'),
              { name: 'kibana-yml', configMap: { name: `${name}-config` } },
              { name: 'keys', secret: { secretName: keysSecret, defaultMode: 0o440 } },
              { name: 'system', secret: { secretName: system.secretName, items: [{ key: system.passwordKey, path: 'password' }], defaultMode: 0o440 } },
              ...caVolumesOf(ca),
            ],
          },
        },
      },
    });
    disruptionBudget(this, ctx, ident, name, pods, profile.replicas);

    this.addSetupJob(es);
  }

  /** Provisions a data view (created or replaced by the setup Job). Ids must be unique. */
  public addDataView(view: KibanaDataView): KibanaDataView {
    if (!/^[a-z0-9][-a-z0-9_]*$/.test(view.id))
      throw new ConfigError(`kibana data view "${view.name}"`, 'id', view.id, 'use lowercase letters, digits, "-" and "_"');
    if (this.dataViews.some((v) => v.id === view.id))
      throw new ConfigError(`kibana data view "${view.name}"`, 'id', view.id, 'give every data view a distinct id');
    this.dataViews.push(view);
    return view;
  }

  public get provisionedDataViews(): readonly KibanaDataView[] {
    return [...this.dataViews];
  }

  /** The setup Job's files: its script and one request body per data view. */
  public setupFiles(): Record<string, string> {
    const files: Record<string, string> = { 'setup.sh': SETUP_SCRIPT };
    for (const v of this.dataViews) {
      files[`data-view-${v.id}.json`] = JSON.stringify(
        { data_view: { id: v.id, name: v.name, title: v.pattern, timeFieldName: v.timeField ?? '@timestamp' }, override: true },
        null,
        2,
      );
    }
    return files;
  }

  private addSetupJob(es: IKibanaBackend): void {
    const creds = es.addClient({ name: 'kibana-setup', indices: [], indexPrivileges: [], builtinRoles: ['kibana_admin'] });
    addSetupJob(this, {
      ctx: this.ctx,
      identity: { ...this.ident, component: KIBANA_SETUP_COMPONENT },
      name: `${this.ident.name}-setup`,
      serviceAccountName: this.ident.name,
      files: () => this.setupFiles(),
      env: [
        { name: 'KIBANA_URL', value: this.url },
        { name: 'CREDENTIALS_DIR', value: '/credentials' },
      ],
      volumes: () => [{ mountPath: '/credentials', volume: credentialsVolume('credentials', creds) }],
    });
  }
}

/** kibana.yml: secrets are in the keystore, not here. With `caFile`, Kibana verifies Elasticsearch's certificate and host name against that CA. */
export function renderKibanaConfig(elasticsearchUrl: string, caFile?: string): Record<string, unknown> {
  return {
    'server.host': '0.0.0.0',
    'server.port': PORT,
    'server.name': 'kibana',
    'path.data': `${HOME}/data`,
    'elasticsearch.hosts': [elasticsearchUrl],
    'elasticsearch.username': 'kibana_system',
    ...(caFile ? { 'elasticsearch.ssl.certificateAuthorities': [caFile], 'elasticsearch.ssl.verificationMode': 'full' } : {}),
    'status.allowAnonymous': false,
    'telemetry.optIn': false,
    'telemetry.allowChangingOptInStatus': false,
    'newsfeed.enabled': false,
    logging: {
      appenders: { json: { type: 'console', layout: { type: 'json' } } },
      root: { appenders: ['json'], level: 'info' },
    },
  };
}

/** Init container: a writable config directory with kibana.yml and a keystore holding every secret setting. */
const PREPARE_KEYSTORE = `set -euo pipefail
cp -a ${HOME}/config/. "$KBN_PATH_CONF"/
cp /mnt/kibana-yml/kibana.yml "$KBN_PATH_CONF"/kibana.yml
[ -f "$KBN_PATH_CONF"/kibana.keystore ] || kibana-keystore create
kibana-keystore add --force --stdin elasticsearch.password < /mnt/system/password
kibana-keystore add --force --stdin xpack.security.encryptionKey < /mnt/keys/encryption-key
kibana-keystore add --force --stdin xpack.encryptedSavedObjects.encryptionKey < /mnt/keys/saved-objects-key
kibana-keystore add --force --stdin xpack.reporting.encryptionKey < /mnt/keys/reporting-key
echo "keystore prepared in $KBN_PATH_CONF"
`;
