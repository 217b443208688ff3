/**
 * What every Thanos workload's pod has in common: the image and user, restricted security, the
 * HTTP probes every Thanos process serves (`/-/ready`, `/-/healthy` on 10902), its ports, and
 * spreading and fast failover by replica count.
 */
import { k8s } from 'cdk8s-plus-28';
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
  spreadConstraints,
} from '../../core/k8s';
import { Resources } from '../../core/workload';
import { THANOS_PORTS, THANOS_UID } from './layout';

/** The ServiceAccount every Thanos pod runs as; none calls the Kubernetes API, so no token. */
export const THANOS_SERVICE_ACCOUNT = 'thanos';

export interface ThanosPodOptions {
  readonly ctx: StackContext;
  readonly identity: ComponentIdentity;
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly replicas: number;
  readonly resources: Resources;
  /** The subcommand and its flags. */
  readonly args: readonly string[];
  readonly env?: readonly k8s.EnvVar[];
  readonly volumes: readonly k8s.Volume[];
  readonly mounts: readonly k8s.VolumeMount[];
  /** Whether the process serves gRPC (StoreAPI) beside HTTP. */
  readonly grpc: boolean;
  readonly annotations?: Record<string, string>;
}

/** The Thanos container's ports. */
export function thanosContainerPorts(grpc: boolean): k8s.ContainerPort[] {
  return [{ name: 'http', containerPort: THANOS_PORTS.http }, ...(grpc ? [{ name: 'grpc', containerPort: THANOS_PORTS.grpc }] : [])];
}

/** The Service ports of a Thanos workload. */
export function thanosServicePorts(grpc: boolean): k8s.ServicePort[] {
  const port = (name: string, n: number): k8s.ServicePort => ({ name, port: n, targetPort: k8s.IntOrString.fromNumber(n), protocol: 'TCP', appProtocol: name });
  return [port('http', THANOS_PORTS.http), ...(grpc ? [port('grpc', THANOS_PORTS.grpc)] : [])];
}

/** The pod template of one Thanos workload. */
export function thanosPodTemplate(o: ThanosPodOptions): k8s.PodTemplateSpec {
  const listen = [`--http-address=0.0.0.0:${THANOS_PORTS.http}`, ...(o.grpc ? [`--grpc-address=0.0.0.0:${THANOS_PORTS.grpc}`] : [])];
  const [command, ...flags] = o.args;
  return {
    metadata: { labels: metadata(o.ctx, o.identity, o.name).labels, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      serviceAccountName: THANOS_SERVICE_ACCOUNT,
      automountServiceAccountToken: false,
      securityContext: nonRootPod(THANOS_UID),
      topologySpreadConstraints: spreadConstraints(o.ctx, o.selector, o.replicas),
      tolerations: fastFailover(o.replicas),
      containers: [
        {
          name: o.identity.name,
          image: image(o.ctx, o.identity.image),
          imagePullPolicy: 'IfNotPresent',
          args: [command, ...listen, ...flags],
          ...(o.env?.length ? { env: [...o.env] } : {}),
          ports: thanosContainerPorts(o.grpc),
          resources: resources(o.resources),
          securityContext: restrictedContainer(),
          readinessProbe: httpProbe('/-/ready', THANOS_PORTS.http, { periodSeconds: 10, failureThreshold: 3 }),
          livenessProbe: httpProbe('/-/healthy', THANOS_PORTS.http, { periodSeconds: 15, failureThreshold: 6 }),
          // The store gateway reads every block's index header at start, which takes a while on a large bucket.
          startupProbe: httpProbe('/-/healthy', THANOS_PORTS.http, { periodSeconds: 10, failureThreshold: 60 }),
          volumeMounts: [...o.mounts],
        },
      ],
      volumes: [...o.volumes],
    },
  };
}
