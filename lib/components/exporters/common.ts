/**
 * What every exporter shares (the dependency exporters here and the elasticsearch_exporter): one
 * small Deployment per watched system (a ServiceAccount with no token, a Service with a `metrics`
 * port, a restricted container with probes), and the scrape job that finds all exporters of one
 * kind through their Services.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { declareSingleReplica, EXPORTER_SINGLE_REPLICA_REASON } from '../../core/availability';
import {
  ComponentIdentity,
  StackContext,
  fastFailover,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  podSelector,
  resources,
  restrictedContainer,
  selectorLabels,
} from '../../core/k8s';
import { Resources } from '../../core/workload';
import { ScrapeJob } from '../prometheus/scrape';

/** The Service label that names the dependency an exporter watches; becomes the `dependency` label of its series. */
export const DEPENDENCY_LABEL = 'monitoring/dependency';
const DEPENDENCY_META = '__meta_kubernetes_service_label_monitoring_dependency';

export interface ExporterWorkloadProps {
  readonly ctx: StackContext;
  readonly identity: ComponentIdentity;
  /** The dependency watched; names the objects (`<identity>-<dependency>`) and labels them. @default - one exporter, named after its identity */
  readonly dependency?: string;
  readonly port: number;
  /** Name of the container. @default - the identity's name */
  readonly containerName?: string;
  /** Replaces the image's entrypoint (a wrapper that reads credentials from files). @default - the image's entrypoint */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly k8s.EnvVar[];
  readonly volumes?: readonly k8s.Volume[];
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  readonly resources: Resources;
  /** Path that answers 200 while the exporter serves. @default '/' */
  readonly probePath?: string;
  /** How often the liveness probe asks, and how many failures restart the exporter. @default { periodSeconds: 20, failureThreshold: 6 } */
  readonly liveness?: { readonly periodSeconds: number; readonly failureThreshold: number };
  /** `enableServiceLinks` of the pod; false keeps the namespace's Services out of its environment. @default - Kubernetes' default (on) */
  readonly enableServiceLinks?: boolean;
  /** @default 65534 (nobody) */
  readonly uid?: number;
  /** Pod-template annotations (configuration checksums). @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/** One exporter Deployment and its Service. */
export class ExporterWorkload extends Construct {
  public readonly name: string;
  public readonly serviceName: string;
  public readonly port: number;
  /** The labels of its pods (and its Service's selector). */
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly identity: ComponentIdentity;

  constructor(scope: Construct, id: string, props: ExporterWorkloadProps) {
    super(scope, id);
    const { ctx, identity } = props;
    const name = props.dependency ? `${identity.name}-${props.dependency}` : identity.name;
    this.name = name;
    this.serviceName = name;
    this.port = props.port;
    const extra: Record<string, string> = props.dependency ? { [DEPENDENCY_LABEL]: props.dependency } : {};
    const selector = { ...selectorLabels(ctx, identity), ...extra };
    this.podLabels = { ...podSelector(ctx, identity), ...extra };
    this.identity = identity;
    const meta = () => metadata(ctx, identity, name, { labels: extra });

    new k8s.KubeServiceAccount(this, 'sa', { metadata: meta(), automountServiceAccountToken: false });
    declareSingleReplica(this, { workload: `Deployment/${name}`, reason: EXPORTER_SINGLE_REPLICA_REASON });
    new k8s.KubeService(this, 'service', {
      metadata: meta(),
      spec: { selector, ports: [{ name: 'metrics', port: props.port, targetPort: k8s.IntOrString.fromNumber(props.port) }] },
    });
    const probePath = props.probePath ?? '/';
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: meta(),
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: meta().labels, ...(props.podAnnotations ? { annotations: { ...props.podAnnotations } } : {}) },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: nonRootPod(props.uid ?? 65534),
            tolerations: fastFailover(1),
            enableServiceLinks: props.enableServiceLinks,
            containers: [
              {
                name: props.containerName ?? identity.name,
                image: image(ctx, identity.image),
                imagePullPolicy: 'IfNotPresent',
                command: props.command ? [...props.command] : undefined,
                args: props.args ? [...props.args] : undefined,
                env: props.env?.length ? [...props.env] : undefined,
                ports: [{ name: 'metrics', containerPort: props.port }],
                resources: resources(props.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe(probePath, props.port, { periodSeconds: 10 }),
                livenessProbe: httpProbe(probePath, props.port, props.liveness ?? { periodSeconds: 20, failureThreshold: 6 }),
                volumeMounts: props.volumeMounts?.length ? [...props.volumeMounts] : undefined,
              },
            ],
            volumes: props.volumes?.length ? [...props.volumes] : undefined,
          },
        },
      },
    });
  }
}

/**
 * Scrapes every exporter of one kind in the namespace, found by the `app.kubernetes.io/name` label
 * of its Service; each series carries `dependency` (which database, cache or broker it describes)
 * beside namespace, service and pod.
 */
export function exporterScrapeJob(opts: {
  readonly name: string;
  readonly namespace: string;
  readonly exporter: string;
  readonly interval?: string;
}): ScrapeJob {
  return {
    name: opts.name,
    discovery: { kind: 'kubernetes', role: 'endpointslice', namespaces: [opts.namespace] },
    ...(opts.interval ? { interval: opts.interval } : {}),
    relabelings: [
      {
        sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_name', '__meta_kubernetes_endpointslice_port_name'],
        regex: `${opts.exporter};metrics`,
        action: 'keep',
      },
      { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
      { sourceLabels: ['__meta_kubernetes_service_name'], targetLabel: 'service' },
      { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      { sourceLabels: [DEPENDENCY_META], regex: '(.+)', targetLabel: 'dependency' },
    ],
  };
}

/** An environment variable read from a Secret key (never a literal value). */
export function secretEnv(name: string, secretName: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** A Secret mounted read-only as files, with only the listed keys. */
export function secretVolume(volumeName: string, secretName: string, keys: readonly string[]): k8s.Volume {
  return { name: volumeName, secret: { secretName, defaultMode: 0o440, items: keys.map((k) => ({ key: k, path: k })) } };
}
