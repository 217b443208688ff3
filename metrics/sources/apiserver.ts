/**
 * The Kubernetes API server's request metrics, read from github.com/kubernetes/apiserver (the
 * published staging copy of k8s.io/apiserver) at kubernetes-1.28.15. Both families are STABLE.
 */
import { KUBERNETES_MINOR, KUBERNETES_PATCH } from './kubernetes';
import { SourceFixture } from './types';

const METRICS = 'pkg/endpoints/metrics/metrics.go';

export const APISERVER_SOURCE: SourceFixture = {
  component: 'apiserver',
  catalogSources: ['apiserver'],
  repository: 'kubernetes/apiserver',
  tag: `kubernetes-${KUBERNETES_PATCH}`,
  pin: { kind: 'kubernetes', minor: KUBERNETES_MINOR, how: 'the control plane of the target cluster' },
  metrics: [
    {
      name: 'apiserver_request_total',
      type: 'counter',
      labels: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      file: METRICS,
    },
    {
      name: 'apiserver_request_duration_seconds',
      type: 'histogram',
      labels: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      file: METRICS,
    },
  ],
};
