/**
 * Thanos Query: the one PromQL endpoint Grafana reads. It fans every query out to the sidecar of
 * each Prometheus replica (recent data) and to the store gateway (the bucket), and merges the
 * replicas' series by dropping the `replica` label: the HA pair answers as one Prometheus, with
 * no disagreement between refreshes and no gap while one replica restarts. The query API
 * deduplicates unless a request says `dedup=false` (pkg/api/query/v1.go, parseEnableDedupParam).
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { StackContext, checksum, disruptionBudget, metadata, selectorLabels, toYaml } from '../../core/k8s';
import { WorkloadProfile } from '../../core/workload';
import { QUERY_ENDPOINTS_CONFIGMAP, QUERY_ENDPOINTS_DIR, THANOS_IDENTITIES } from './layout';
import { thanosPodTemplate, thanosServicePorts } from './pod';
import type { RemoteAccess } from './remote';

/** The external label that tells the Prometheus replicas apart, and along which Query deduplicates. */
export const REPLICA_LABEL = 'replica';

export interface QueryProps {
  readonly ctx: StackContext;
  readonly profile: WorkloadProfile;
  /** Where Query finds its StoreAPIs: `dnssrv+` names of headless Services' `grpc` ports. */
  readonly endpoints: readonly string[];
  /** Other clusters' StoreAPIs, with their TLS files. @default - none */
  readonly remote?: RemoteAccess;
}

/** The endpoint list (`--endpoint.sd-config-file`): every address is looked up again at each DNS interval. */
export function queryEndpointsConfig(endpoints: readonly string[], remote: ReadonlyArray<Record<string, unknown>> = []): Record<string, unknown> {
  return { endpoints: [...endpoints.map((address) => ({ address })), ...remote] };
}

export class ThanosQuery extends Construct {
  public readonly serviceName = THANOS_IDENTITIES.query.name;

  constructor(scope: Construct, id: string, props: QueryProps) {
    super(scope, id);
    const { ctx, profile } = props;
    const ident = THANOS_IDENTITIES.query;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    const endpointsYaml = toYaml(queryEndpointsConfig(props.endpoints, props.remote?.endpoints));
    new k8s.KubeConfigMap(this, 'endpoints', { metadata: metadata(ctx, ident, QUERY_ENDPOINTS_CONFIGMAP), data: { 'endpoints.yaml': endpointsYaml } });
    new k8s.KubeService(this, 'service', { metadata: metadata(ctx, ident, name), spec: { selector, ports: thanosServicePorts(true) } });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: metadata(ctx, ident, name),
      spec: {
        replicas: profile.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: thanosPodTemplate({
          ctx,
          identity: ident,
          name,
          selector,
          replicas: profile.replicas,
          resources: profile.resources,
          args: [
            'query',
            `--endpoint.sd-config-file=${QUERY_ENDPOINTS_DIR}/endpoints.yaml`,
            `--query.replica-label=${REPLICA_LABEL}`,
            // Long ranges read 5-minute or 1-hour data (step / 5) instead of every raw sample.
            '--query.auto-downsampling',
          ],
          volumes: [{ name: 'endpoints', configMap: { name: QUERY_ENDPOINTS_CONFIGMAP } }, ...(props.remote?.volumes ?? [])],
          mounts: [{ name: 'endpoints', mountPath: QUERY_ENDPOINTS_DIR, readOnly: true }, ...(props.remote?.mounts ?? [])],
          grpc: true,
          annotations: { 'checksum/config': checksum(endpointsYaml) },
        }),
      },
    });
    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }
}
