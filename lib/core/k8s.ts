/**
 * Small building blocks shared by the components: recommended labels, security contexts,
 * resources, storage, spreading, disruption budgets and config checksums. Components use the L1
 * classes of cdk8s-plus-28 (`k8s.Kube*`) so that every field of the output is deliberate.
 */
import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { ImageRef, imageUri } from './images';
import { Resources, SpreadPolicy, Storage } from './workload';

/** Whom an object belongs to: its namespace and the instance and part-of of its recommended labels. */
export interface StackIdentity {
  /** Namespace of every namespaced object. */
  readonly namespace: string;
  /** `app.kubernetes.io/instance`: the deployment this object belongs to (the environment). */
  readonly instance: string;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf: string;
}

/** How the stack deploys its workloads: where images come from and how replicas spread. */
export interface DeploymentPolicy {
  /** Mirror that replaces every image's registry host. @default - upstream registries */
  readonly imageRegistry?: string;
  /** How replicated workloads are spread over nodes. */
  readonly spread: SpreadPolicy;
}

/**
 * What a component is given about the stack it belongs to: its identity and the deployment policy.
 * Each helper below asks only for the part it reads.
 */
export interface StackContext extends StackIdentity, DeploymentPolicy {}

export const MANAGED_BY = 'cdk8s';

/** Identity of one component: feeds its labels and selectors. */
export interface ComponentIdentity {
  /** `app.kubernetes.io/name`, also the base of object names. */
  readonly name: string;
  /** `app.kubernetes.io/component`, such as `metrics-server` or `alert-router`. */
  readonly component: string;
  readonly image: ImageRef;
}

/** The Kubernetes recommended labels of one component. */
export function recommendedLabels(ctx: StackIdentity, id: ComponentIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': ctx.instance,
    'app.kubernetes.io/version': id.image.tag.replace(/^v/, ''),
    'app.kubernetes.io/component': id.component,
    'app.kubernetes.io/part-of': ctx.partOf,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** The labels that select a component's pods: stable across version bumps. */
export function selectorLabels(ctx: StackIdentity, id: ComponentIdentity): Record<string, string> {
  return { 'app.kubernetes.io/name': id.name, 'app.kubernetes.io/instance': ctx.instance };
}

/**
 * The labels that select exactly one component's pods: name, instance and component, so that a
 * component's setup Job (same name, another component) is never taken for the component itself.
 */
export function podSelector(ctx: StackIdentity, id: ComponentIdentity): Record<string, string> {
  return { ...selectorLabels(ctx, id), 'app.kubernetes.io/component': id.component };
}

export function metadata(
  ctx: StackIdentity,
  id: ComponentIdentity,
  name: string,
  extra: { annotations?: Record<string, string>; labels?: Record<string, string> } = {},
): k8s.ObjectMeta {
  return {
    name,
    namespace: ctx.namespace,
    labels: { ...recommendedLabels(ctx, id), ...(extra.labels ?? {}) },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

/** Metadata of a cluster-scoped object: no namespace, a name prefixed with it to stay unique. */
export function clusterMetadata(ctx: StackIdentity, id: ComponentIdentity, name: string): k8s.ObjectMeta {
  return { name: `${ctx.namespace}-${name}`, labels: recommendedLabels(ctx, id) };
}

export function image(ctx: Pick<DeploymentPolicy, 'imageRegistry'>, ref: ImageRef): string {
  return imageUri(ref, ctx.imageRegistry);
}

export function resources(r: Resources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** The Pod Security Standard "restricted" container context. */
export function restrictedContainer(opts: { readOnlyRootFilesystem?: boolean } = {}): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem ?? true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod-level context: a fixed non-root user and group that owns mounted volumes. */
export function nonRootPod(uid: number, gid: number = uid): k8s.PodSecurityContext {
  return {
    runAsUser: uid,
    runAsGroup: gid,
    runAsNonRoot: true,
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** An emptyDir volume, with an optional size limit. */
export function emptyDir(name: string, sizeLimitGi?: number, medium?: 'Memory'): k8s.Volume {
  return {
    name,
    emptyDir: {
      ...(sizeLimitGi !== undefined ? { sizeLimit: k8s.Quantity.fromString(`${sizeLimitGi}Gi`) } : {}),
      ...(medium ? { medium } : {}),
    },
  };
}

/**
 * Data storage of a StatefulSet: an emptyDir volume for `emptyDir` storage, or a volume claim
 * template (a PVC per replica) for `pvc` storage.
 */
export function statefulStorage(
  volumeName: string,
  storage: Storage,
  labels: Record<string, string>,
): { volumes: k8s.Volume[]; volumeClaimTemplates: k8s.KubePersistentVolumeClaimProps[] } {
  if (storage.kind === 'emptyDir') {
    return { volumes: [emptyDir(volumeName, storage.sizeLimitGi)], volumeClaimTemplates: [] };
  }
  return {
    volumes: [],
    volumeClaimTemplates: [
      {
        metadata: { name: volumeName, labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
          resources: { requests: { storage: k8s.Quantity.fromString(`${storage.sizeGi}Gi`) } },
        },
      },
    ],
  };
}

/** Spreads replicas over nodes (and zones, when the cluster has them). Nothing for one replica. */
export function spreadConstraints(
  ctx: Pick<DeploymentPolicy, 'spread'>,
  selector: Record<string, string>,
  replicas: number,
): k8s.TopologySpreadConstraint[] | undefined {
  if (replicas < 2) return undefined;
  return [
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: ctx.spread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    },
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    },
  ];
}

/** A PodDisruptionBudget allowing one pod down at a time; only for more than one replica. */
export function disruptionBudget(
  scope: Construct,
  ctx: StackIdentity,
  id: ComponentIdentity,
  name: string,
  selector: Record<string, string>,
  replicas: number,
): k8s.KubePodDisruptionBudget | undefined {
  if (replicas < 2) return undefined;
  return new k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata: metadata(ctx, id, name),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
}

/** A short, stable digest of configuration text, for pod-template annotations that roll pods on change. */
export function checksum(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** YAML for configuration files: stable key order as given, no line folding. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A tcp/http probe shorthand. */
export function httpProbe(
  path: string,
  port: number,
  opts: { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number; timeoutSeconds?: number } = {},
): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromNumber(port) },
    initialDelaySeconds: opts.initialDelaySeconds ?? 0,
    periodSeconds: opts.periodSeconds ?? 10,
    timeoutSeconds: opts.timeoutSeconds ?? 5,
    failureThreshold: opts.failureThreshold ?? 3,
  };
}

/**
 * Tolerations that let a single-replica workload leave a failed node after 30 s instead of the
 * default 300 s, so that it is rescheduled elsewhere within about a minute of the node's loss.
 * Nothing for a replicated workload: its other replicas serve meanwhile.
 */
export function fastFailover(replicas: number): k8s.Toleration[] | undefined {
  if (replicas > 1) return undefined;
  return ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
    key,
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 30,
  }));
}
