/**
 * Alertmanager as a StatefulSet. Its alertmanager.yml is generated from the profile's routing:
 * receivers read their credentials from a mounted Secret through the `*_file` fields, so the
 * generated configuration holds no secret. With more than one replica the peers form a gossip
 * mesh on port 9094 (TCP and UDP) and a disruption budget keeps a quorum up.
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import {
  ComponentIdentity,
  StackContext,
  checksum,
  disruptionBudget,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
  spreadConstraints,
  statefulStorage,
  toYaml,
} from '../../core/k8s';
import { publishEndpoint } from '../../core/endpoints';
import { AlertRouting, AlertmanagerProfile, Receiver } from './profile';
import { DEFAULT_INHIBIT_RULES, SECRETS_DIR, renderAlertmanagerConfig } from './config';

export { DEFAULT_INHIBIT_RULES, renderAlertmanagerConfig, secretFile } from './config';
import { expectSecret } from '../../core/secrets';
import { IAlertReceiver } from '../prometheus/prometheus';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { GrafanaDatasource } from '../grafana/datasource';
import { Flow, FlowContext, group } from '../network-policies/flows';
import { alertmanagerFlows } from './flows';
import type { InhibitRule } from '../../rules/types';

export interface AlertmanagerProps {
  readonly ctx: StackContext;
  readonly profile: AlertmanagerProfile;
  readonly routing: AlertRouting;
  /** Inhibitions beside the defaults (DEFAULT_INHIBIT_RULES). @default - none */
  readonly inhibitRules?: readonly InhibitRule[];
  /** Name of the Secret holding receiver credentials, one key per credential. @default 'alertmanager-receivers' */
  readonly receiversSecretName?: string;
}

const PORT = 9093;
const MESH_PORT = 9094;
const CONFIG_DIR = '/etc/alertmanager/config';
const DATA_DIR = '/alertmanager';

export class Alertmanager extends Construct implements IAlertReceiver {
  public static readonly identity: ComponentIdentity = { name: 'alertmanager', component: 'alert-router', image: IMAGES.alertmanager };

  public readonly url: string;
  public readonly serviceName: string;
  public readonly port = PORT;
  /** The gossip port of the peers' mesh (TCP and UDP). */
  public readonly meshPort = MESH_PORT;
  public readonly replicas: number;
  public readonly peerAddresses: readonly string[];
  /** The Secret the receivers read credentials from, when any receiver needs one. */
  public readonly receiversSecretName: string | undefined;

  private readonly props: AlertmanagerProps;
  private readonly inhibitRules: InhibitRule[];

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id);
    this.props = props;
    this.inhibitRules = [...DEFAULT_INHIBIT_RULES, ...(props.inhibitRules ?? [])];
    const { ctx, profile } = props;
    const ident = Alertmanager.identity;
    const name = ident.name;
    const headless = `${name}-headless`;
    const selector = selectorLabels(ctx, ident);
    this.replicas = profile.replicas;
    this.serviceName = name;
    this.url = `http://${name}.${ctx.namespace}.svc:${PORT}`;
    publishEndpoint(this, { name: 'alertmanager', url: this.url, description: 'Alertmanager: UI and API for alerts and silences' });
    const peer = (i: number, port: number) => `${name}-${i}.${headless}.${ctx.namespace}.svc:${port}`;
    this.peerAddresses = Array.from({ length: profile.replicas }, (_, i) => peer(i, PORT));
    const needsSecret = props.routing.receivers.some((r) => secretKeysOf(r).length > 0);
    this.receiversSecretName = needsSecret ? (props.receiversSecretName ?? 'alertmanager-receivers') : undefined;

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    if (this.receiversSecretName) {
      expectSecret(this, {
        name: this.receiversSecretName,
        keys: props.routing.receivers.flatMap(secretKeysOf),
        usedBy: 'alertmanager',
        description: 'receiver credentials (webhook URLs, routing and API keys), one key per credential',
      });
    }

    new k8s.KubeConfigMap(this, 'config', {
      metadata: metadata(ctx, ident, `${name}-config`),
      data: { 'alertmanager.yml': Lazy.any({ produce: () => toYaml(this.renderConfig()) }) as unknown as string },
    });

    const ports = [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }];
    new k8s.KubeService(this, 'service', { metadata: metadata(ctx, ident, name), spec: { selector, ports } });
    new k8s.KubeService(this, 'headless', {
      metadata: metadata(ctx, ident, headless),
      spec: {
        clusterIp: 'None',
        // Peers must find each other before they are ready, or the mesh never forms.
        publishNotReadyAddresses: true,
        selector,
        ports: [
          ...ports,
          { name: 'mesh-tcp', port: MESH_PORT, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(MESH_PORT) },
          { name: 'mesh-udp', port: MESH_PORT, protocol: 'UDP', targetPort: k8s.IntOrString.fromNumber(MESH_PORT) },
        ],
      },
    });

    const clustered = profile.replicas > 1;
    const args = [
      `--config.file=${CONFIG_DIR}/alertmanager.yml`,
      `--storage.path=${DATA_DIR}`,
      `--web.listen-address=:${PORT}`,
      // Silence and alert links in notifications open where people reach Alertmanager; routes stay at /.
      `--web.external-url=${profile.externalUrl ?? this.url}`,
      '--web.route-prefix=/',
      '--data.retention=120h',
      ...(clustered
        ? [
            `--cluster.listen-address=0.0.0.0:${MESH_PORT}`,
            `--cluster.advertise-address=$(POD_IP):${MESH_PORT}`,
            ...Array.from({ length: profile.replicas }, (_, i) => `--cluster.peer=${peer(i, MESH_PORT)}`),
            '--cluster.reconnect-timeout=5m',
          ]
        : ['--cluster.listen-address=']),
    ];
    const storage = statefulStorage('data', profile.storage, selector);

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: metadata(ctx, ident, name),
      spec: {
        serviceName: headless,
        replicas: profile.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: metadata(ctx, ident, name).labels,
            annotations: { 'checksum/config': Lazy.any({ produce: () => checksum(toYaml(this.renderConfig())) }) as unknown as string },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: nonRootPod(65534),
            topologySpreadConstraints: spreadConstraints(ctx, selector, profile.replicas),
            containers: [
              {
                name: 'alertmanager',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                args,
                env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
                ports: [
                  { name: 'http', containerPort: PORT },
                  ...(clustered
                    ? [
                        { name: 'mesh-tcp', containerPort: MESH_PORT, protocol: 'TCP' },
                        { name: 'mesh-udp', containerPort: MESH_PORT, protocol: 'UDP' },
                      ]
                    : []),
                ],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe('/-/ready', PORT, { periodSeconds: 5 }),
                livenessProbe: httpProbe('/-/healthy', PORT, { periodSeconds: 15, failureThreshold: 6 }),
                volumeMounts: [
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  { name: 'data', mountPath: DATA_DIR },
                  ...(this.receiversSecretName ? [{ name: 'receivers', mountPath: SECRETS_DIR, readOnly: true }] : []),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${name}-config` } },
              ...(this.receiversSecretName ? [{ name: 'receivers', secret: { secretName: this.receiversSecretName, defaultMode: 0o440 } }] : []),
              ...storage.volumes,
            ],
          },
        },
        volumeClaimTemplates: storage.volumeClaimTemplates.length ? storage.volumeClaimTemplates : undefined,
      },
    });

    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }

  public scrapeJobs(): ScrapeJob[] {
    return [serviceJob({ name: 'alertmanager', namespace: this.props.ctx.namespace, service: this.serviceName, port: 'http' })];
  }

  public datasources(): GrafanaDatasource[] {
    return [
      {
        name: 'Alertmanager',
        uid: 'alertmanager',
        type: 'alertmanager',
        url: this.url,
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      },
    ];
  }

  public flows(net: FlowContext): Flow[] {
    const { ctx, routing } = this.props;
    return alertmanagerFlows(
      { pods: group(ctx, Alertmanager.identity), port: PORT, meshPort: MESH_PORT, replicas: this.replicas, receivers: routing.receivers },
      net,
    );
  }

  /** Adds an inhibition rule to the defaults. */
  public addInhibitRule(rule: InhibitRule): InhibitRule {
    this.inhibitRules.push(rule);
    return rule;
  }

  /** The alertmanager.yml document. */
  public renderConfig(): Record<string, unknown> {
    return renderAlertmanagerConfig(this.props.routing, this.inhibitRules);
  }
}

/** The keys of the receivers Secret that a receiver reads. */
export function secretKeysOf(r: Receiver): string[] {
  switch (r.kind) {
    case 'null':
      return [];
    case 'webhook':
      return r.authorization ? [r.authorization.secretKey] : [];
    default:
      return [r.secretKey];
  }
}
