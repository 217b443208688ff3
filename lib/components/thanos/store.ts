/**
 * The Thanos store gateway: serves the blocks in the bucket over gRPC (StoreAPI) to Query. Each
 * replica serves every block (no sharding), so replicas are for availability; the volume only
 * caches index headers, which are rebuilt from the bucket when it is lost.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { StackContext, checksum, disruptionBudget, metadata, selectorLabels, statefulStorage } from '../../core/k8s';
import { THANOS_IDENTITIES } from './layout';
import { ObjstoreAccess } from './objstore';
import { thanosPodTemplate, thanosServicePorts } from './pod';
import { ThanosStoreProfile } from './profile';

const DATA_DIR = '/var/thanos/store';

export interface StoreProps {
  readonly ctx: StackContext;
  readonly profile: ThanosStoreProfile;
  readonly access: ObjstoreAccess;
  /** The rendered objstore.yml: a change rolls the pods. */
  readonly objstoreYaml: string;
}

export class ThanosStore extends Construct {
  /** The headless Service: its `grpc` port's SRV records name every replica. */
  public readonly serviceName = THANOS_IDENTITIES.store.name;

  constructor(scope: Construct, id: string, props: StoreProps) {
    super(scope, id);
    const { ctx, profile, access } = props;
    const ident = THANOS_IDENTITIES.store;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { clusterIp: 'None', selector, ports: thanosServicePorts(true) },
    });
    const storage = statefulStorage('data', profile.storage, selector);
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: metadata(ctx, ident, name),
      spec: {
        serviceName: name,
        replicas: profile.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: thanosPodTemplate({
          ctx,
          identity: ident,
          name,
          selector,
          replicas: profile.replicas,
          resources: profile.resources,
          args: ['store', `--data-dir=${DATA_DIR}`, ...access.args],
          env: access.env,
          volumes: [...access.volumes, ...storage.volumes],
          mounts: [...access.mounts, { name: 'data', mountPath: DATA_DIR }],
          grpc: true,
          annotations: { 'checksum/config': checksum(props.objstoreYaml) },
        }),
        volumeClaimTemplates: storage.volumeClaimTemplates.length ? storage.volumeClaimTemplates : undefined,
        persistentVolumeClaimRetentionPolicy: storage.volumeClaimTemplates.length ? { whenDeleted: 'Delete', whenScaled: 'Delete' } : undefined,
      },
    });
    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }
}
