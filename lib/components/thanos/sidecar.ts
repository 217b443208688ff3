/**
 * The Thanos sidecar, a second container in each Prometheus pod: it serves the pod's TSDB to
 * Query over gRPC (StoreAPI) and uploads every block Prometheus cuts to the bucket. Prometheus
 * must then cut fixed 2-hour blocks and never compact them itself (min = max block duration),
 * or the sidecar would upload overlapping blocks; the compactor compacts in the bucket instead.
 * Prometheus receives this as a plain description (containers, volumes, ports, arguments) and
 * knows nothing else of Thanos.
 */
import { k8s } from 'cdk8s-plus-28';
import { DeploymentPolicy, httpProbe, image, resources, restrictedContainer } from '../../core/k8s';
import { IMAGES } from '../../core/images';
import { AgentProfile } from '../../core/workload';
import type { PrometheusPod, PrometheusSidecar } from '../prometheus/sidecar';
import { THANOS_PORTS } from './layout';
import { objstoreAccess } from './objstore';
import { ObjectStorage } from './profile';

/** The Prometheus block length the sidecar uploads; both flags equal turns local compaction off. */
export const BLOCK_DURATION = '2h';

/** The port names of the sidecar, on the pod and on Prometheus's headless Service. */
export const SIDECAR_PORT_NAMES = { grpc: 'grpc', http: 'thanos-http' } as const;

export interface SidecarOptions {
  readonly ctx: Pick<DeploymentPolicy, 'imageRegistry'>;
  readonly profile: AgentProfile;
  readonly objectStorage: ObjectStorage;
  /** The rendered objstore.yml: a change rolls the Prometheus pods. */
  readonly objstoreYaml: string;
}

/** The sidecar, as Prometheus takes it: built from the pod it joins (data volume, path, port). */
export function thanosSidecar(opts: SidecarOptions): (pod: PrometheusPod) => PrometheusSidecar {
  const access = objstoreAccess(opts.objectStorage);
  return (pod) => ({
    prometheusArgs: [`--storage.tsdb.min-block-duration=${BLOCK_DURATION}`, `--storage.tsdb.max-block-duration=${BLOCK_DURATION}`],
    containers: [
      {
        name: 'thanos-sidecar',
        image: image(opts.ctx, IMAGES.thanos),
        imagePullPolicy: 'IfNotPresent',
        args: [
          'sidecar',
          `--tsdb.path=${pod.dataDir}`,
          `--prometheus.url=http://localhost:${pod.port}`,
          `--grpc-address=0.0.0.0:${THANOS_PORTS.grpc}`,
          `--http-address=0.0.0.0:${THANOS_PORTS.http}`,
          ...access.args,
        ],
        env: access.env,
        ports: [
          { name: SIDECAR_PORT_NAMES.grpc, containerPort: THANOS_PORTS.grpc },
          { name: SIDECAR_PORT_NAMES.http, containerPort: THANOS_PORTS.http },
        ],
        resources: resources(opts.profile.resources),
        // The pod's user (Prometheus's): the sidecar reads the blocks and writes its upload record beside them.
        securityContext: restrictedContainer(),
        readinessProbe: httpProbe('/-/ready', THANOS_PORTS.http, { periodSeconds: 10, failureThreshold: 3 }),
        livenessProbe: httpProbe('/-/healthy', THANOS_PORTS.http, { periodSeconds: 15, failureThreshold: 6 }),
        volumeMounts: [{ name: pod.dataVolume, mountPath: pod.dataDir }, ...access.mounts],
      },
    ],
    volumes: access.volumes,
    servicePorts: [
      { name: SIDECAR_PORT_NAMES.grpc, port: THANOS_PORTS.grpc, targetPort: k8s.IntOrString.fromNumber(THANOS_PORTS.grpc), appProtocol: 'grpc' },
      { name: SIDECAR_PORT_NAMES.http, port: THANOS_PORTS.http, targetPort: k8s.IntOrString.fromNumber(THANOS_PORTS.http), appProtocol: 'http' },
    ],
    configText: opts.objstoreYaml,
  });
}
