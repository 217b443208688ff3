/**
 * The Prometheus elasticsearch_exporter: cluster health, node (JVM, disk, thread pools) and index
 * figures of the whole cluster through one client user with the `monitor` privileges only. Its
 * credentials are read from files into the process environment by a shell wrapper, so neither the
 * manifest nor the command line holds them.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { declareSingleReplica, EXPORTER_SINGLE_REPLICA_REASON } from '../../core/availability';
import {
  ComponentIdentity,
  StackContext,
  fastFailover,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
} from '../../core/k8s';
import { AgentProfile } from '../../core/workload';
import { caVolumes, credentialsVolume } from './client';
import { IElasticsearchEndpoint } from './endpoint';

export interface ElasticsearchExporterProps {
  readonly ctx: StackContext;
  readonly profile: AgentProfile;
  readonly elasticsearch: IElasticsearchEndpoint;
}

const PORT = 9114;
const CREDENTIALS_DIR = '/var/run/secrets/elasticsearch';
const CA_DIR = '/var/run/secrets/elasticsearch-ca';

export class ElasticsearchExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'elasticsearch-exporter', component: 'log-store-metrics', image: IMAGES.elasticsearchExporter };
  public readonly serviceName = 'elasticsearch-exporter';
  public readonly port = PORT;
  public readonly args: readonly string[];

  constructor(scope: Construct, id: string, props: ElasticsearchExporterProps) {
    super(scope, id);
    const { ctx, profile, elasticsearch: es } = props;
    const ident = ElasticsearchExporter.identity;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    const creds = es.addClient({
      name: 'elasticsearch-exporter',
      indices: ['*'],
      indexPrivileges: ['monitor'],
      clusterPrivileges: ['monitor'],
    });
    this.args = [
      `--es.uri=${es.url}`,
      // Every node's JVM, disk and thread-pool figures, from one exporter.
      '--es.all',
      '--es.indices',
      '--es.timeout=20s',
      ...(es.caSecretName ? [`--es.ca=${CA_DIR}/ca.crt`] : []),
      `--web.listen-address=:${PORT}`,
    ];

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    declareSingleReplica(this, { workload: `Deployment/${name}`, reason: EXPORTER_SINGLE_REPLICA_REASON });
    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { selector, ports: [{ name: 'metrics', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: metadata(ctx, ident, name),
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata(ctx, ident, name).labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: nonRootPod(65534),
            tolerations: fastFailover(1),
            enableServiceLinks: false,
            containers: [
              {
                name: 'exporter',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                command: [
                  '/bin/sh',
                  '-c',
                  `ES_USERNAME="$(cat ${CREDENTIALS_DIR}/username)" ES_PASSWORD="$(cat ${CREDENTIALS_DIR}/password)" exec /bin/elasticsearch_exporter "$@"`,
                  'elasticsearch_exporter',
                ],
                args: [...this.args],
                ports: [{ name: 'metrics', containerPort: PORT }],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe('/healthz', PORT),
                livenessProbe: httpProbe('/healthz', PORT, { periodSeconds: 30, failureThreshold: 5 }),
                volumeMounts: [
                  { name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true },
                  ...(es.caSecretName ? [{ name: 'ca', mountPath: CA_DIR, readOnly: true }] : []),
                ],
              },
            ],
            volumes: [credentialsVolume('credentials', creds), ...caVolumes('ca', es)],
          },
        },
      },
    });
  }
}
