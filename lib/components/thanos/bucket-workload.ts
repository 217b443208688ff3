/**
 * The shape the store gateway and the compactor share: a StatefulSet of a Thanos process that
 * reads the bucket (objstore.yml and its credentials) and works in a data directory on its own
 * volume, behind a headless Service.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentIdentity, StackContext, checksum, metadata, selectorLabels, statefulStorage } from '../../core/k8s';
import { Resources, Storage } from '../../core/workload';
import { ObjstoreAccess } from './objstore';
import { thanosPodTemplate, thanosServicePorts } from './pod';

export interface BucketWorkloadOptions {
  readonly ctx: StackContext;
  readonly identity: ComponentIdentity;
  readonly replicas: number;
  readonly resources: Resources;
  readonly storage: Storage;
  /** Where the volume is mounted. */
  readonly dataDir: string;
  /** The subcommand and its flags, `--data-dir` included; the objstore flags follow them. */
  readonly args: readonly string[];
  /** Flags after the objstore ones. @default - none */
  readonly trailingArgs?: readonly string[];
  readonly access: ObjstoreAccess;
  /** The rendered objstore.yml: a change rolls the pods. */
  readonly objstoreYaml: string;
  /** Whether it serves gRPC (StoreAPI). */
  readonly grpc: boolean;
  /** Start and replace the replicas side by side rather than one by one. */
  readonly parallel: boolean;
}

/** Declares the headless Service and the StatefulSet in `scope`; returns the selector of its pods. */
export function bucketWorkload(scope: Construct, o: BucketWorkloadOptions): Record<string, string> {
  const name = o.identity.name;
  const selector = selectorLabels(o.ctx, o.identity);
  new k8s.KubeService(scope, 'service', {
    metadata: metadata(o.ctx, o.identity, name),
    spec: { clusterIp: 'None', selector, ports: thanosServicePorts(o.grpc) },
  });
  const storage = statefulStorage('data', o.storage, selector);
  new k8s.KubeStatefulSet(scope, 'statefulset', {
    metadata: metadata(o.ctx, o.identity, name),
    spec: {
      serviceName: name,
      replicas: o.replicas,
      ...(o.parallel ? { podManagementPolicy: 'Parallel' } : {}),
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate' },
      template: thanosPodTemplate({
        ctx: o.ctx,
        identity: o.identity,
        name,
        selector,
        replicas: o.replicas,
        resources: o.resources,
        args: [...o.args, ...o.access.args, ...(o.trailingArgs ?? [])],
        env: o.access.env,
        volumes: [...o.access.volumes, ...storage.volumes],
        mounts: [...o.access.mounts, { name: 'data', mountPath: o.dataDir }],
        grpc: o.grpc,
        annotations: { 'checksum/config': checksum(o.objstoreYaml) },
      }),
      volumeClaimTemplates: storage.volumeClaimTemplates.length ? storage.volumeClaimTemplates : undefined,
      persistentVolumeClaimRetentionPolicy: storage.volumeClaimTemplates.length ? { whenDeleted: 'Delete', whenScaled: 'Delete' } : undefined,
    },
  });
  return selector;
}
