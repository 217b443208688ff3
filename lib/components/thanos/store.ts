/**
 * The Thanos store gateway: serves the blocks in the bucket over gRPC (StoreAPI) to Query. Each
 * replica serves every block (no sharding), so replicas are for availability; the volume only
 * caches index headers, which are rebuilt from the bucket when it is lost.
 */
import { Construct } from 'constructs';
import { StackContext, disruptionBudget } from '../../core/k8s';
import { bucketWorkload } from './bucket-workload';
import { THANOS_IDENTITIES } from './layout';
import { ObjstoreAccess } from './objstore';
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
    const { ctx, profile } = props;
    const ident = THANOS_IDENTITIES.store;
    const name = ident.name;
    const selector = bucketWorkload(this, {
      ctx,
      identity: ident,
      replicas: profile.replicas,
      resources: profile.resources,
      storage: profile.storage,
      dataDir: DATA_DIR,
      args: ['store', `--data-dir=${DATA_DIR}`],
      access: props.access,
      objstoreYaml: props.objstoreYaml,
      grpc: true,
      parallel: true,
    });
    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }
}
