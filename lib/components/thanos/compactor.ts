/**
 * The Thanos compactor: the only process that changes the bucket. It compacts the sidecars'
 * 2-hour blocks into larger ones, downsamples them to 5-minute and 1-hour resolution, and
 * deletes each resolution past its retention. Exactly one runs per bucket (`--wait` keeps it
 * running); its volume is scratch space for the blocks it is working on.
 *
 * The replicas' blocks stay apart in the bucket (each carries its own `replica` label) and Query
 * deduplicates them when it reads. `--deduplication.replica-label` would merge them for good, but
 * it is experimental, cannot be undone, and merges Prometheus replicas' differing samples
 * correctly only with the penalty algorithm (`--deduplication.func=penalty`); it is not used, at
 * the cost of keeping each replica's copy of the data.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { declareSingleReplica } from '../../core/availability';
import { StackContext, checksum, metadata, selectorLabels, statefulStorage } from '../../core/k8s';
import { THANOS_IDENTITIES } from './layout';
import { ObjstoreAccess } from './objstore';
import { thanosPodTemplate, thanosServicePorts } from './pod';
import { ThanosCompactorProfile, ThanosRetention } from './profile';

const DATA_DIR = '/var/thanos/compact';

export interface CompactorProps {
  readonly ctx: StackContext;
  readonly profile: ThanosCompactorProfile;
  readonly access: ObjstoreAccess;
  /** The rendered objstore.yml: a change rolls the pod. */
  readonly objstoreYaml: string;
}

/** The retention flags, one per resolution. */
export function retentionArgs(r: ThanosRetention): string[] {
  return [`--retention.resolution-raw=${r.raw}`, `--retention.resolution-5m=${r.fiveMinutes}`, `--retention.resolution-1h=${r.oneHour}`];
}

export class ThanosCompactor extends Construct {
  public readonly serviceName = THANOS_IDENTITIES.compact.name;

  constructor(scope: Construct, id: string, props: CompactorProps) {
    super(scope, id);
    const { ctx, profile, access } = props;
    const ident = THANOS_IDENTITIES.compact;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    declareSingleReplica(this, {
      workload: `StatefulSet/${name}`,
      reason:
        'two compactors on one bucket would compact and delete the same blocks at once; while it is away nothing is lost: the sidecars keep uploading and Query keeps answering, and compaction, downsampling and retention catch up when it is back on another node',
    });
    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { clusterIp: 'None', selector, ports: thanosServicePorts(false) },
    });
    const storage = statefulStorage('data', profile.storage, selector);
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: metadata(ctx, ident, name),
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: thanosPodTemplate({
          ctx,
          identity: ident,
          name,
          selector,
          replicas: 1,
          resources: profile.resources,
          args: ['compact', '--wait', `--data-dir=${DATA_DIR}`, ...access.args, ...retentionArgs(profile.retention)],
          env: access.env,
          volumes: [...access.volumes, ...storage.volumes],
          mounts: [...access.mounts, { name: 'data', mountPath: DATA_DIR }],
          grpc: false,
          annotations: { 'checksum/config': checksum(props.objstoreYaml) },
        }),
        volumeClaimTemplates: storage.volumeClaimTemplates.length ? storage.volumeClaimTemplates : undefined,
        persistentVolumeClaimRetentionPolicy: storage.volumeClaimTemplates.length ? { whenDeleted: 'Delete', whenScaled: 'Delete' } : undefined,
      },
    });
  }
}
