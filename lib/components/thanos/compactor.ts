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
import { Construct } from 'constructs';
import { declareSingleReplica } from '../../core/availability';
import { StackContext } from '../../core/k8s';
import { bucketWorkload } from './bucket-workload';
import { THANOS_IDENTITIES } from './layout';
import { ObjstoreAccess } from './objstore';
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
    const { ctx, profile } = props;
    const ident = THANOS_IDENTITIES.compact;
    const name = ident.name;
    declareSingleReplica(this, {
      workload: `StatefulSet/${name}`,
      reason:
        'two compactors on one bucket would compact and delete the same blocks at once; while it is away nothing is lost: the sidecars keep uploading and Query keeps answering, and compaction, downsampling and retention catch up when it is back on another node',
    });
    bucketWorkload(this, {
      ctx,
      identity: ident,
      replicas: 1,
      resources: profile.resources,
      storage: profile.storage,
      dataDir: DATA_DIR,
      args: ['compact', '--wait', `--data-dir=${DATA_DIR}`],
      trailingArgs: retentionArgs(profile.retention),
      access: props.access,
      objstoreYaml: props.objstoreYaml,
      grpc: false,
      parallel: false,
    });
  }
}
