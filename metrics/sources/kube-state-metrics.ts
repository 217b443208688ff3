/**
 * kube-state-metrics, read from github.com/kubernetes/kube-state-metrics at v2.16.0. Each family is
 * defined in `internal/store/<kind>.go` and exported only when that store's resource (the key of
 * `availableStores` in internal/store/builder.go, the `--resources` value) is enabled. Every
 * family carries its store's default labels (`namespace` + `pod` + `uid` for pods, `node` for
 * nodes, `namespace` + the kind for the others) before its own.
 */
import { SourceFixture } from './types';

const POD = ['namespace', 'pod', 'uid'];
const store = (kind: string) => `internal/store/${kind}.go`;

export const KUBE_STATE_METRICS_SOURCE: SourceFixture = {
  component: 'kube-state-metrics',
  catalogSources: ['kube-state-metrics'],
  repository: 'kubernetes/kube-state-metrics',
  tag: 'v2.16.0',
  pin: { kind: 'image', image: 'kubeStateMetrics', imageTag: 'v2.16.0' },
  naming: [
    {
      repository: 'kubernetes/kube-state-metrics',
      tag: 'v2.16.0',
      path: 'internal/store/builder.go',
      says: 'availableStores maps "configmaps", "daemonsets", "deployments", "nodes", "pods", "resourcequotas", "statefulsets" (among others) to the build<Kind>Stores of internal/store/<kind>.go',
    },
  ],
  metrics: [
    {
      name: 'kube_node_info',
      type: 'gauge',
      labels: [
        'node',
        'kernel_version',
        'os_image',
        'container_runtime_version',
        'kubelet_version',
        'kubeproxy_version',
        'provider_id',
        'pod_cidr',
        'system_uuid',
        'internal_ip',
      ],
      file: store('node'),
    },
    { name: 'kube_node_status_condition', type: 'gauge', labels: ['node', 'condition', 'status'], file: store('node') },
    { name: 'kube_node_spec_unschedulable', type: 'gauge', labels: ['node'], file: store('node') },
    { name: 'kube_node_status_allocatable', type: 'gauge', labels: ['node', 'resource', 'unit'], file: store('node') },
    { name: 'kube_pod_status_phase', type: 'gauge', labels: [...POD, 'phase'], file: store('pod') },
    { name: 'kube_pod_container_status_waiting_reason', type: 'gauge', labels: [...POD, 'container', 'reason'], file: store('pod') },
    { name: 'kube_pod_container_status_restarts_total', type: 'counter', labels: [...POD, 'container'], file: store('pod') },
    { name: 'kube_pod_container_status_last_terminated_reason', type: 'gauge', labels: [...POD, 'container', 'reason'], file: store('pod') },
    { name: 'kube_pod_container_resource_requests', type: 'gauge', labels: [...POD, 'container', 'node', 'resource', 'unit'], file: store('pod') },
    { name: 'kube_pod_container_resource_limits', type: 'gauge', labels: [...POD, 'container', 'node', 'resource', 'unit'], file: store('pod') },
    { name: 'kube_pod_container_info', type: 'gauge', labels: [...POD, 'container', 'image_spec', 'image', 'image_id', 'container_id'], file: store('pod') },
    { name: 'kube_resourcequota', type: 'gauge', labels: ['namespace', 'resourcequota', 'resource', 'type'], file: store('resourcequota') },
    { name: 'kube_deployment_spec_replicas', type: 'gauge', labels: ['namespace', 'deployment'], file: store('deployment') },
    { name: 'kube_deployment_status_replicas_available', type: 'gauge', labels: ['namespace', 'deployment'], file: store('deployment') },
    { name: 'kube_deployment_status_replicas_updated', type: 'gauge', labels: ['namespace', 'deployment'], file: store('deployment') },
    { name: 'kube_deployment_status_observed_generation', type: 'gauge', labels: ['namespace', 'deployment'], file: store('deployment') },
    { name: 'kube_deployment_metadata_generation', type: 'gauge', labels: ['namespace', 'deployment'], file: store('deployment') },
    { name: 'kube_statefulset_replicas', type: 'gauge', labels: ['namespace', 'statefulset'], file: store('statefulset') },
    { name: 'kube_statefulset_status_replicas_ready', type: 'gauge', labels: ['namespace', 'statefulset'], file: store('statefulset') },
    { name: 'kube_statefulset_metadata_generation', type: 'gauge', labels: ['namespace', 'statefulset'], file: store('statefulset') },
    { name: 'kube_daemonset_status_desired_number_scheduled', type: 'gauge', labels: ['namespace', 'daemonset'], file: store('daemonset') },
    { name: 'kube_daemonset_status_number_ready', type: 'gauge', labels: ['namespace', 'daemonset'], file: store('daemonset') },
    { name: 'kube_configmap_metadata_resource_version', type: 'gauge', labels: ['namespace', 'configmap'], file: store('configmap') },
  ],
};

/** The `--resources` values whose stores internal/store/builder.go (v2.16.0) defines, as read there. */
export const KSM_STORE_RESOURCES: readonly string[] = ['configmaps', 'daemonsets', 'deployments', 'nodes', 'pods', 'resourcequotas', 'statefulsets'];
