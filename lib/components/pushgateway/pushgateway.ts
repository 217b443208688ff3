/**
 * The Prometheus Pushgateway: where batch jobs that cannot be scraped (CI pipelines) push their
 * last results, for Prometheus to scrape with `honor_labels: true` so that the pushed `job` and
 * grouping labels are kept. One replica by design: pushes to two replicas would split the groups
 * between them. Pushed groups are persisted to a file on an emptyDir volume every few minutes, so
 * they survive a container restart; a new pod starts empty until the next push.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConfigError } from '../../core/errors';
import { publishEndpoint } from '../../core/endpoints';
import { IMAGES } from '../../core/images';
import { declareSingleReplica } from '../../core/availability';
import {
  ComponentIdentity,
  StackContext,
  emptyDir,
  fastFailover,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
} from '../../core/k8s';
import { Flow, FlowContext, flow, group, outside, pods, scrapeFlow, tcp } from '../network-policies/flows';
import { PUSHGATEWAY_DEFAULTS, PushgatewayProfile } from './profile';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';

export interface PushgatewayProps {
  readonly ctx: StackContext;
  readonly profile: PushgatewayProfile;
}

const PORT = 9091;
const DATA_DIR = '/data';

export class Pushgateway extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'pushgateway', component: 'push-metrics', image: IMAGES.pushgateway };
  public readonly serviceName = 'pushgateway';
  public readonly port = PORT;
  /** Where batch jobs push: `<url>/metrics/job/<job>/<label>/<value>...`. */
  public readonly url: string;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: PushgatewayProps) {
    super(scope, id);
    const { ctx, profile } = props;
    const ident = Pushgateway.identity;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    const persistInterval = profile.persistenceInterval ?? PUSHGATEWAY_DEFAULTS.persistenceInterval;
    if (!/^\d+[smh]$/.test(persistInterval))
      throw new ConfigError('pushgateway', 'persistenceInterval', persistInterval, 'use a duration such as "5m" (units s, m, h)');
    this.namespace = ctx.namespace;
    this.url = `http://${name}.${ctx.namespace}.svc:${PORT}`;
    publishEndpoint(this, { name: 'pushgateway', url: this.url, description: 'Pushgateway: where CI pushes its test, coverage and pipeline results' });

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    declareSingleReplica(this, {
      workload: `Deployment/${name}`,
      reason:
        'pushes to two replicas would split the pushed groups between them, and Prometheus would see each half in turn; if its node is lost it leaves within 30 s and starts empty on another node until CI pushes again',
    });
    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { selector, ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: metadata(ctx, ident, name),
      spec: {
        replicas: 1,
        // Never two at once: the old pod writes its persistence file until it stops.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata(ctx, ident, name).labels },
          spec: {
            serviceAccountName: name,
            tolerations: fastFailover(1),
            automountServiceAccountToken: false,
            securityContext: nonRootPod(65534),
            containers: [
              {
                name: 'pushgateway',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                args: [`--web.listen-address=:${PORT}`, `--persistence.file=${DATA_DIR}/pushgateway.db`, `--persistence.interval=${persistInterval}`],
                ports: [{ name: 'http', containerPort: PORT }],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                volumeMounts: [{ name: 'data', mountPath: DATA_DIR }],
                readinessProbe: httpProbe('/-/ready', PORT),
                livenessProbe: httpProbe('/-/healthy', PORT, { initialDelaySeconds: 5, periodSeconds: 15 }),
              },
            ],
            volumes: [emptyDir('data', 1)],
          },
        },
      },
    });
  }

  /** The scrape job: pushed `job` and grouping labels win over the target's (`honor_labels`). */
  public scrapeJobs(): ScrapeJob[] {
    return [{ ...serviceJob({ name: 'pushgateway', namespace: this.namespace, service: this.serviceName, port: 'http' }), honorLabels: true }];
  }

  public flows(net: FlowContext): Flow[] {
    const own = group(net.ctx, Pushgateway.identity);
    const pushers = net.network.pushgatewayClients ?? [];
    return [
      scrapeFlow(net, own, PORT, 'results CI pushed to the Pushgateway'),
      ...(pushers.length ? [flow(outside('CI runners', pushers), pods(own), tcp(PORT), 'CI pushes test and pipeline results')] : []),
    ];
  }
}
