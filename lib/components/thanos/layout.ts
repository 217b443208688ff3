/**
 * Where Thanos's parts listen and what they are called: ports (Thanos's defaults), object and
 * Service names, the identities their labels come from, and the paths inside their pods.
 */
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackIdentity } from '../../core/k8s';

/** Thanos's default listen ports: gRPC (StoreAPI) 10901, HTTP (metrics, probes, UI, query API) 10902. */
export const THANOS_PORTS = { grpc: 10901, http: 10902 } as const;

export type ThanosRole = 'query' | 'store' | 'compact';

/** The identity of each Thanos workload: distinct names, so that no two share a pod selector. */
export const THANOS_IDENTITIES: Readonly<Record<ThanosRole, ComponentIdentity>> = {
  query: { name: 'thanos-query', component: 'query-layer', image: IMAGES.thanos },
  store: { name: 'thanos-store', component: 'store-gateway', image: IMAGES.thanos },
  compact: { name: 'thanos-compact', component: 'compactor', image: IMAGES.thanos },
};

/** The identity of what the Thanos workloads share (objstore.yml, the ServiceAccount): no pods of its own. */
export const THANOS_SHARED: ComponentIdentity = { name: 'thanos', component: 'long-term-storage', image: IMAGES.thanos };

/** The UID the Thanos image runs as (its Dockerfile's `USER 1001`). */
export const THANOS_UID = 1001;

/** The ConfigMap holding objstore.yml, with placeholders where the credentials go. */
export const OBJSTORE_CONFIGMAP = 'thanos-objstore-config';
export const OBJSTORE_DIR = '/etc/thanos/objstore';
export const OBJSTORE_FILE = `${OBJSTORE_DIR}/objstore.yml`;
/** Where the GCS service-account key is mounted (read through GOOGLE_APPLICATION_CREDENTIALS). */
export const GCS_CREDENTIALS_DIR = '/etc/thanos/gcs';

/** The ConfigMap of Query's endpoint list. */
export const QUERY_ENDPOINTS_CONFIGMAP = 'thanos-query-endpoints';
export const QUERY_ENDPOINTS_DIR = '/etc/thanos/query';

/** The in-cluster URL of Thanos Query's HTTP API (what Grafana reads). */
export function thanosQueryUrl(ctx: Pick<StackIdentity, 'namespace'>): string {
  return `http://${THANOS_IDENTITIES.query.name}.${ctx.namespace}.svc:${THANOS_PORTS.http}`;
}
