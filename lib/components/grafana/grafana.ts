/**
 * Grafana as a Deployment: provisioned datasources, a dashboards provider reading one ConfigMap
 * per dashboard, the admin password and secret key from a Secret (`__FILE` variables), anonymous
 * access off, a read-only root filesystem with writable data and tmp volumes. More than one
 * replica needs the external PostgreSQL database of the profile.
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConfigError } from '../../core/errors';
import { IMAGES } from '../../core/images';
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
  selectorLabels,
  spreadConstraints,
  toYaml,
} from '../../core/k8s';
import { publishEndpoint } from '../../core/endpoints';
import { GrafanaDatasource } from './datasource';
import { grafanaFlows } from './flows';
import {
  DATA_DIR,
  folderVolume,
  GRAFANA_PORT,
  PROVISIONING_DIR,
  SECRETS_DIR,
  dashboardJson,
  dashboardMounts,
  dashboardVolumes,
  renderDatasources,
  renderIni,
  renderProviders,
} from './config';
import { Flow, FlowContext } from '../network-policies/flows';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { GRAFANA_DEFAULTS, GrafanaProfile } from './profile';
import { expectSecret } from '../../core/secrets';
import type { GrafanaDashboard } from '../../dashboards/provisioning';

export interface GrafanaProps {
  readonly ctx: StackContext;
  readonly profile: GrafanaProfile;
  /** Secret with keys `admin-user`, `admin-password` and `secret-key`. @default 'grafana-admin' */
  readonly adminSecretName?: string;
}

const PORT = GRAFANA_PORT;
const CONFIGMAP_LIMIT = 1024 * 1024;

/**
 * The address people open Grafana at: the profile's `externalUrl`, else the in-cluster address.
 * Alert rules are rendered before the chart exists, so this is a function of the profile alone.
 */
export function grafanaPublicUrl(namespace: string, profile: GrafanaProfile): string {
  return profile.externalUrl ?? `http://grafana.${namespace}.svc:${PORT}`;
}

export class Grafana extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'grafana', component: 'dashboards', image: IMAGES.grafana };

  public readonly url: string;
  /** The address people open Grafana at (`root_url`); links in alerts point here. */
  public readonly publicUrl: string;
  public readonly serviceName: string;
  public readonly port = PORT;
  public readonly replicas: number;
  public readonly adminSecretName: string;

  private readonly provisionedDatasources: GrafanaDatasource[] = [];
  private readonly dashboards: GrafanaDashboard[] = [];
  private readonly ctx: StackContext;
  private readonly database: GrafanaProfile['database'];

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const { ctx, profile } = props;
    this.ctx = ctx;
    this.database = profile.database;
    const ident = Grafana.identity;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    this.replicas = profile.replicas;
    this.serviceName = name;
    this.url = `http://${name}.${ctx.namespace}.svc:${PORT}`;
    this.publicUrl = grafanaPublicUrl(ctx.namespace, profile);
    publishEndpoint(this, { name: 'grafana', url: this.url, description: 'Grafana: dashboards (sign in with the grafana-admin Secret)' });
    this.adminSecretName = props.adminSecretName ?? 'grafana-admin';
    if (profile.storage.kind === 'pvc' && profile.replicas > 1) {
      throw new ConfigError('grafana', 'storage.kind', 'pvc', 'use "emptyDir" storage with more than one replica: shared state lives in the external database');
    }

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    expectSecret(this, {
      name: this.adminSecretName,
      keys: ['admin-user', 'admin-password', 'secret-key'],
      usedBy: 'grafana',
      description: 'Grafana admin login, and the key that encrypts datasource secrets in its database',
    });

    const ini = renderIni(profile.externalUrl);
    new k8s.KubeConfigMap(this, 'config', { metadata: metadata(ctx, ident, `${name}-config`), data: { 'grafana.ini': ini } });
    const datasourcesYaml = Lazy.any({ produce: () => toYaml(this.renderDatasources()) });
    const providersYaml = toYaml(renderProviders());
    new k8s.KubeConfigMap(this, 'provisioning', {
      metadata: metadata(ctx, ident, `${name}-provisioning`),
      data: { 'datasources.yaml': datasourcesYaml as unknown as string, 'dashboards.yaml': providersYaml },
    });

    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { selector, ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });

    if (profile.storage.kind === 'pvc') {
      new k8s.KubePersistentVolumeClaim(this, 'pvc', {
        metadata: metadata(ctx, ident, `${name}-data`),
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(profile.storage.storageClass ? { storageClassName: profile.storage.storageClass } : {}),
          resources: { requests: { storage: k8s.Quantity.fromString(`${profile.storage.sizeGi}Gi`) } },
        },
      });
    }

    const secretFiles = (f: string) => `${SECRETS_DIR}/admin/${f}`;
    const db = profile.database;
    if (db.kind === 'postgres') {
      expectSecret(this, { name: db.secretName, keys: ['password'], usedBy: 'grafana', description: `password of PostgreSQL user "${db.user}" on ${db.host}` });
    }
    const env: k8s.EnvVar[] = [
      { name: 'GF_PATHS_CONFIG', value: '/etc/grafana/config/grafana.ini' },
      { name: 'GF_PATHS_DATA', value: DATA_DIR },
      { name: 'GF_PATHS_PROVISIONING', value: PROVISIONING_DIR },
      { name: 'GF_SECURITY_ADMIN_USER__FILE', value: secretFiles('admin-user') },
      { name: 'GF_SECURITY_ADMIN_PASSWORD__FILE', value: secretFiles('admin-password') },
      { name: 'GF_SECURITY_SECRET_KEY__FILE', value: secretFiles('secret-key') },
      ...(db.kind === 'postgres'
        ? [
            { name: 'GF_DATABASE_TYPE', value: 'postgres' },
            { name: 'GF_DATABASE_HOST', value: db.host },
            { name: 'GF_DATABASE_NAME', value: db.database },
            { name: 'GF_DATABASE_USER', value: db.user },
            { name: 'GF_DATABASE_SSL_MODE', value: db.sslMode ?? GRAFANA_DEFAULTS.sslMode },
            { name: 'GF_DATABASE_PASSWORD__FILE', value: `${SECRETS_DIR}/database/password` },
          ]
        : [{ name: 'GF_DATABASE_TYPE', value: 'sqlite3' }]),
    ];

    const dataVolume: k8s.Volume =
      profile.storage.kind === 'pvc' ? { name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } } : emptyDir('data', profile.storage.sizeLimitGi);

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: metadata(ctx, ident, name),
      spec: {
        replicas: profile.replicas,
        selector: { matchLabels: selector },
        // One writable volume cannot be attached to two pods: replace rather than surge.
        strategy:
          profile.storage.kind === 'pvc'
            ? { type: 'Recreate' }
            : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: metadata(ctx, ident, name).labels,
            annotations: {
              'checksum/config': Lazy.any({ produce: () => checksum(ini, toYaml(this.renderDatasources()), providersYaml) }) as unknown as string,
            },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: nonRootPod(472),
            topologySpreadConstraints: spreadConstraints(ctx, selector, profile.replicas),
            containers: [
              {
                name: 'grafana',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                env,
                ports: [{ name: 'http', containerPort: PORT }],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe('/api/health', PORT, { periodSeconds: 10 }),
                livenessProbe: httpProbe('/api/health', PORT, { initialDelaySeconds: 60, periodSeconds: 15, failureThreshold: 6 }),
                volumeMounts: Lazy.any({
                  produce: () => [
                    { name: 'config', mountPath: '/etc/grafana/config', readOnly: true },
                    { name: 'provisioning', mountPath: `${PROVISIONING_DIR}/datasources/datasources.yaml`, subPath: 'datasources.yaml', readOnly: true },
                    { name: 'provisioning', mountPath: `${PROVISIONING_DIR}/dashboards/dashboards.yaml`, subPath: 'dashboards.yaml', readOnly: true },
                    ...dashboardMounts(this.dashboards),
                    { name: 'data', mountPath: DATA_DIR },
                    { name: 'tmp', mountPath: '/tmp' },
                    { name: 'admin', mountPath: `${SECRETS_DIR}/admin`, readOnly: true },
                    ...(db.kind === 'postgres' ? [{ name: 'database', mountPath: `${SECRETS_DIR}/database`, readOnly: true }] : []),
                    ...this.datasourceSecretMounts(),
                  ],
                }) as unknown as k8s.VolumeMount[],
              },
            ],
            volumes: Lazy.any({
              produce: () => [
                { name: 'config', configMap: { name: `${name}-config` } },
                { name: 'provisioning', configMap: { name: `${name}-provisioning` } },
                ...dashboardVolumes(this.dashboards),
                dataVolume,
                emptyDir('tmp'),
                { name: 'admin', secret: { secretName: this.adminSecretName, defaultMode: 0o440 } },
                ...(db.kind === 'postgres' ? [{ name: 'database', secret: { secretName: db.secretName, defaultMode: 0o440 } }] : []),
                ...this.datasourceSecretVolumes(),
              ],
            }) as unknown as k8s.Volume[],
          },
        },
      },
    });

    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }

  public scrapeJobs(): ScrapeJob[] {
    return [serviceJob({ name: 'grafana', namespace: this.ctx.namespace, service: this.serviceName, port: 'http' })];
  }

  public flows(net: FlowContext): Flow[] {
    return grafanaFlows({ port: PORT, database: this.database }, net);
  }

  /** Provisions a datasource; uids and names must be unique. */
  public addDatasource(ds: GrafanaDatasource): GrafanaDatasource {
    for (const ref of [...Object.values(ds.secureJsonFromSecret ?? {}), ...(ds.basicAuthUserFromSecret ? [ds.basicAuthUserFromSecret] : [])]) {
      expectSecret(this, { name: ref.secretName, keys: [ref.key], usedBy: 'grafana', description: `credential of the "${ds.name}" datasource` });
    }
    if (this.provisionedDatasources.some((d) => d.uid === ds.uid || d.name === ds.name)) {
      throw new ConfigError(`grafana datasource "${ds.name}"`, 'uid', ds.uid, 'give every datasource a distinct name and uid');
    }
    this.provisionedDatasources.push(ds);
    return ds;
  }

  /** Provisions a dashboard from its own ConfigMap, in the given folder. */
  public addDashboard(d: GrafanaDashboard): GrafanaDashboard {
    if (!/^[a-z0-9][-a-z0-9]{0,39}$/.test(d.uid)) {
      throw new ConfigError(`dashboard "${d.uid}"`, 'uid', d.uid, 'use at most 40 lowercase letters, digits and "-"');
    }
    const clash = this.dashboards.find((x) => x.uid === d.uid);
    if (clash) throw new ConfigError(`dashboard "${d.uid}"`, 'uid', d.uid, 'give every dashboard a distinct uid');
    // The folder is a directory name (Grafana takes the folder title from it) and names a volume.
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9 _-]{0,38}[A-Za-z0-9])?$/.test(d.folder) || d.folder.toLowerCase() === 'general') {
      throw new ConfigError(
        `dashboard "${d.uid}"`,
        'folder',
        d.folder,
        'use at most 40 letters, digits, spaces, "_" and "-", starting and ending with a letter or digit, and not "General" (the root of Grafana)',
      );
    }
    const twin = this.dashboards.find((x) => x.folder !== d.folder && folderVolume(x.folder) === folderVolume(d.folder));
    if (twin)
      throw new ConfigError(
        `dashboard "${d.uid}"`,
        'folder',
        d.folder,
        `use the same spelling as dashboard "${twin.uid}" (folder "${twin.folder}"), or a folder name that differs in more than case, spaces and "_"`,
      );
    const json = dashboardJson(d.model);
    if (Buffer.byteLength(json) > CONFIGMAP_LIMIT * 0.9) {
      throw new ConfigError(
        `dashboard "${d.uid}"`,
        'size',
        `${Buffer.byteLength(json)} bytes`,
        'keep a dashboard under 900 KiB (the ConfigMap limit is 1 MiB): split it',
      );
    }
    this.dashboards.push(d);
    new k8s.KubeConfigMap(this, `dashboard-${d.uid}`, {
      metadata: metadata(this.ctx, Grafana.identity, `grafana-dashboard-${d.uid}`, {
        labels: { 'grafana.com/dashboard': 'true' },
        annotations: { 'grafana.com/folder': d.folder },
      }),
      data: { [`${d.uid}.json`]: json },
    });
    return d;
  }

  public get provisionedDashboards(): readonly GrafanaDashboard[] {
    return [...this.dashboards];
  }

  /** The datasources provisioning document. */
  public renderDatasources(): Record<string, unknown> {
    return renderDatasources(this.provisionedDatasources);
  }

  private datasourceSecrets(): string[] {
    const names = new Set<string>();
    for (const d of this.provisionedDatasources) {
      for (const ref of Object.values(d.secureJsonFromSecret ?? {})) names.add(ref.secretName);
      if (d.basicAuthUserFromSecret) names.add(d.basicAuthUserFromSecret.secretName);
    }
    return [...names].sort();
  }

  private datasourceSecretMounts(): k8s.VolumeMount[] {
    return this.datasourceSecrets().map((s) => ({ name: `ds-${s}`, mountPath: `${SECRETS_DIR}/datasources/${s}`, readOnly: true }));
  }

  private datasourceSecretVolumes(): k8s.Volume[] {
    return this.datasourceSecrets().map((s) => ({ name: `ds-${s}`, secret: { secretName: s, defaultMode: 0o440 } }));
  }
}
