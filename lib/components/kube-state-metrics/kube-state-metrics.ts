/**
 * kube-state-metrics: the state of Kubernetes objects as metrics (`kube_*`). The resources it
 * watches are listed once and drive both its `--resources` flag and its RBAC, so it can read
 * exactly what it exports and nothing else. No Secrets. ConfigMaps are listed and watched for
 * `kube_configmap_metadata_resource_version` (configuration changes): the ConfigMap families of
 * kube-state-metrics (internal/store/configmap.go) carry metadata only (info, creation time,
 * resource version, allow-listed labels and annotations), never the data.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import {
  ComponentIdentity,
  StackContext,
  clusterMetadata,
  disruptionBudget,
  fastFailover,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
  spreadConstraints,
} from '../../core/k8s';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { Flow, FlowContext, flow, group, pods, scrapeFlow } from '../network-policies/flows';
import { declareSingleReplica } from '../../core/availability';
import { WorkloadProfile } from '../../core/workload';

export interface KubeStateMetricsProps {
  readonly ctx: StackContext;
  readonly profile: WorkloadProfile;
}

/** Exported resource (as kube-state-metrics names it) → API group and plural resource. */
export const KSM_RESOURCES: ReadonlyArray<{ readonly name: string; readonly apiGroup: string; readonly resource: string }> = [
  { name: 'configmaps', apiGroup: '', resource: 'configmaps' },
  { name: 'cronjobs', apiGroup: 'batch', resource: 'cronjobs' },
  { name: 'daemonsets', apiGroup: 'apps', resource: 'daemonsets' },
  { name: 'deployments', apiGroup: 'apps', resource: 'deployments' },
  { name: 'horizontalpodautoscalers', apiGroup: 'autoscaling', resource: 'horizontalpodautoscalers' },
  { name: 'jobs', apiGroup: 'batch', resource: 'jobs' },
  { name: 'limitranges', apiGroup: '', resource: 'limitranges' },
  { name: 'namespaces', apiGroup: '', resource: 'namespaces' },
  { name: 'nodes', apiGroup: '', resource: 'nodes' },
  { name: 'persistentvolumeclaims', apiGroup: '', resource: 'persistentvolumeclaims' },
  { name: 'persistentvolumes', apiGroup: '', resource: 'persistentvolumes' },
  { name: 'poddisruptionbudgets', apiGroup: 'policy', resource: 'poddisruptionbudgets' },
  { name: 'pods', apiGroup: '', resource: 'pods' },
  { name: 'replicasets', apiGroup: 'apps', resource: 'replicasets' },
  { name: 'resourcequotas', apiGroup: '', resource: 'resourcequotas' },
  { name: 'services', apiGroup: '', resource: 'services' },
  { name: 'statefulsets', apiGroup: 'apps', resource: 'statefulsets' },
  { name: 'storageclasses', apiGroup: 'storage.k8s.io', resource: 'storageclasses' },
  { name: 'endpointslices', apiGroup: 'discovery.k8s.io', resource: 'endpointslices' },
];

const PORT = 8080;
const TELEMETRY_PORT = 8081;

export class KubeStateMetrics extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'kube-state-metrics', component: 'cluster-state-metrics', image: IMAGES.kubeStateMetrics };
  public readonly serviceName = 'kube-state-metrics';
  public readonly port = PORT;
  private readonly ctx: StackContext;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    const { ctx, profile } = props;
    this.ctx = ctx;
    const ident = KubeStateMetrics.identity;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: true });
    if (profile.replicas === 1) {
      declareSingleReplica(this, {
        workload: `Deployment/${name}`,
        reason:
          'every replica exports every object, so a second one would double all kube_* series (sharding them is worth it only on clusters of thousands of objects); if its node is lost it leaves within 30 s and starts on another node: a gap of about a minute in the kube_* series',
      });
    }
    const byGroup = new Map<string, string[]>();
    for (const r of KSM_RESOURCES) byGroup.set(r.apiGroup, [...(byGroup.get(r.apiGroup) ?? []), r.resource]);
    const role = new k8s.KubeClusterRole(this, 'role', {
      metadata: clusterMetadata(ctx, ident, name),
      rules: [...byGroup.entries()].map(([group, res]) => ({ apiGroups: [group], resources: res, verbs: ['list', 'watch'] })),
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: clusterMetadata(ctx, ident, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ctx.namespace }],
    });

    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: {
        selector,
        ports: [
          { name: 'metrics', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) },
          { name: 'telemetry', port: TELEMETRY_PORT, targetPort: k8s.IntOrString.fromNumber(TELEMETRY_PORT) },
        ],
      },
    });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: metadata(ctx, ident, name),
      spec: {
        replicas: profile.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata(ctx, ident, name).labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            securityContext: nonRootPod(65534),
            topologySpreadConstraints: spreadConstraints(ctx, selector, profile.replicas),
            tolerations: fastFailover(profile.replicas),
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [
              {
                name: 'kube-state-metrics',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                args: [`--port=${PORT}`, `--telemetry-port=${TELEMETRY_PORT}`, `--resources=${KSM_RESOURCES.map((r) => r.name).join(',')}`],
                ports: [
                  { name: 'metrics', containerPort: PORT },
                  { name: 'telemetry', containerPort: TELEMETRY_PORT },
                ],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe('/readyz', TELEMETRY_PORT),
                livenessProbe: httpProbe('/livez', PORT, { initialDelaySeconds: 5, periodSeconds: 15 }),
              },
            ],
          },
        },
      },
    });
    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }

  public scrapeJobs(): ScrapeJob[] {
    return [
      {
        ...serviceJob({ name: 'kube-state-metrics', namespace: this.ctx.namespace, service: this.serviceName, port: 'metrics' }),
        // Its series describe other objects: keep their namespace and pod labels.
        honorLabels: true,
      },
    ];
  }

  public flows(net: FlowContext): Flow[] {
    const own = group(this.ctx, KubeStateMetrics.identity);
    return [
      scrapeFlow(net, own, PORT, 'kube-state-metrics'),
      flow(pods(own), net.apiServer, net.apiPorts, 'kube-state-metrics lists and watches the objects it describes'),
    ];
  }
}
