/**
 * The container metrics the kubelet serves on /metrics/cadvisor, read from github.com/google/cadvisor
 * at v0.47.3 (metrics/prometheus.go). cAdvisor's collector gives every container series `id`,
 * `name` and `image` (DefaultContainerLabels) plus each family's own labels; the kubelet passes
 * its own label function, which adds `container`, `pod` and `namespace`.
 *
 * Not proven here: that kubelet 1.28 embeds cAdvisor v0.47.3, and the labels the kubelet adds.
 * Both live in github.com/kubernetes/kubernetes (go.mod, pkg/kubelet/server/server.go), which could
 * not be read at v1.28.
 */
import { KUBERNETES_MINOR, KUBERNETES_REPO_UNREADABLE } from './kubernetes';
import { SourceFixture } from './types';

const FILE = 'metrics/prometheus.go';
const BASE = ['id', 'name', 'image'];
const KUBELET = { labels: ['namespace', 'pod', 'container'], reason: `added by the kubelet's container label function; ${KUBERNETES_REPO_UNREADABLE}` };

export const CADVISOR_SOURCE: SourceFixture = {
  component: 'cadvisor',
  catalogSources: ['cadvisor'],
  repository: 'google/cadvisor',
  tag: 'v0.47.3',
  pin: {
    kind: 'kubernetes',
    minor: KUBERNETES_MINOR,
    how: 'embedded in the kubelet; v0.47.3 is the version believed vendored by Kubernetes 1.28, not read from its go.mod',
  },
  naming: [
    {
      repository: 'google/cadvisor',
      tag: 'v0.47.3',
      path: FILE,
      says: 'DefaultContainerLabels: id (container name), name (first alias), image; each family adds its extraLabels',
    },
  ],
  metrics: [
    { name: 'container_cpu_usage_seconds_total', type: 'counter', labels: [...BASE, 'cpu'], file: FILE, untracedLabels: KUBELET },
    { name: 'container_memory_working_set_bytes', type: 'gauge', labels: BASE, file: FILE, untracedLabels: KUBELET },
    { name: 'container_cpu_cfs_throttled_periods_total', type: 'counter', labels: BASE, file: FILE, untracedLabels: KUBELET },
    { name: 'container_cpu_cfs_periods_total', type: 'counter', labels: BASE, file: FILE, untracedLabels: KUBELET },
    { name: 'container_network_receive_bytes_total', type: 'counter', labels: [...BASE, 'interface'], file: FILE, untracedLabels: KUBELET },
    { name: 'container_network_transmit_bytes_total', type: 'counter', labels: [...BASE, 'interface'], file: FILE, untracedLabels: KUBELET },
  ],
};
