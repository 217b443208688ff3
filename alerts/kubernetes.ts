/**
 * The cluster the trading system runs on. Strategy: node health, pod status (running, pending,
 * failed, restarts), requests against limits and quotas, and resource utilisation (UTILISATION).
 * kube-state-metrics series are always aggregated by the labels of the object they describe, so
 * that the labels of the kube-state-metrics pod itself never reach an alert.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { millis, percent } from '../lib/core/units';
import { CLOCK_OFFSET, POD_RESTARTS_PER_HOUR, UTILISATION } from './thresholds';

const SOURCE = moduleSource(__filename);

const fsFilter = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"';

export const nodes: RuleGroup = {
  name: 'kubernetes-nodes',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'KubeNodeNotReady',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: 'max by (node) (kube_node_status_condition{condition="Ready", status="true"}) == 0',
      for: '15m',
      summary: 'Node {{ $labels.node }} is not ready',
      description: 'Node {{ $labels.node }} has not been Ready for 15 minutes; its pods are being evicted or cannot start.',
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'NodeCPUHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `node:node_cpu_utilisation:ratio_rate5m > ${UTILISATION}`,
      for: '15m',
      summary: 'Node {{ $labels.node }} CPU at {{ $value | humanizePercentage }}',
      description: `More than ${percent(UTILISATION)} of the CPU of node {{ $labels.node }} has been busy for 15 minutes.`,
      runbook: 'docs/runbooks/performance-degradation.md',
    },
    {
      alert: 'NodeMemoryHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `node:node_memory_utilisation:ratio > ${UTILISATION}`,
      for: '15m',
      summary: 'Node {{ $labels.node }} memory at {{ $value | humanizePercentage }}',
      description: `More than ${percent(UTILISATION)} of the memory of node {{ $labels.node }} has been in use for 15 minutes.`,
      runbook: 'docs/runbooks/performance-degradation.md',
    },
    {
      alert: 'NodeDiskSpaceHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
1 - max by (node, device, mountpoint) (node_filesystem_avail_bytes{${fsFilter}})
  / max by (node, device, mountpoint) (node_filesystem_size_bytes{${fsFilter}})
> ${UTILISATION}`,
      for: '15m',
      summary: 'Disk {{ $labels.mountpoint }} on {{ $labels.node }} is {{ $value | humanizePercentage }} full',
      description: `The filesystem at {{ $labels.mountpoint }} on node {{ $labels.node }} has been more than ${percent(UTILISATION)} full for 15 minutes.`,
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'PersistentVolumeFillingUp',
      severity: 'warning',
      expr: `
  max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes)
/
  max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)
> ${UTILISATION}`,
      for: '5m',
      summary: 'Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full',
      description: `The persistent volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has been more than ${percent(UTILISATION)} full for 5 minutes.`,
      runbook: 'docs/runbooks/kubernetes.md',
    },
  ],
};

export const workloads: RuleGroup = {
  name: 'kubernetes-workloads',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'KubePodCrashLooping',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: 'max by (namespace, pod, container) (max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m])) >= 1',
      for: '15m',
      summary: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping',
      description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.',
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'KubePodRestartingFrequently',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `max by (namespace, pod, container) (changes(kube_pod_container_status_restarts_total[1h])) > ${POD_RESTARTS_PER_HOUR}`,
      summary: '{{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value }} times in an hour',
      description: `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has restarted more than ${POD_RESTARTS_PER_HOUR} times in the last hour.`,
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'KubePodPending',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: 'max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown"}) == 1',
      for: '15m',
      summary: '{{ $labels.namespace }}/{{ $labels.pod }} has not started for 15 minutes',
      description:
        'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending or Unknown for 15 minutes: unschedulable, waiting for a volume, or its node is lost.',
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'KubeContainerOOMKilled',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
  max by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[10m])) > 0
and on (namespace, pod, container)
  max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}) == 1`,
      summary: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) was OOM-killed',
      description:
        'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted in the last 10 minutes after running out of memory.',
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'KubeWorkloadReplicasUnavailable',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
  label_replace(
      max by (namespace, deployment) (kube_deployment_spec_replicas)
    - max by (namespace, deployment) (kube_deployment_status_replicas_available),
    "workload", "deployment/$1", "deployment", "(.+)")
  > 0
or
  label_replace(
      max by (namespace, statefulset) (kube_statefulset_replicas)
    - max by (namespace, statefulset) (kube_statefulset_status_replicas_ready),
    "workload", "statefulset/$1", "statefulset", "(.+)")
  > 0`,
      for: '15m',
      summary: '{{ $labels.namespace }}/{{ $labels.workload }} is {{ $value }} replicas short',
      description:
        'For 15 minutes {{ $labels.namespace }}/{{ $labels.workload }} has had {{ $value }} fewer available replicas than it asks for: a rollout is stuck, or pods cannot start or stay ready. The redundancy the replica count promises is gone.',
      runbook: 'docs/runbooks/kubernetes.md#replicas-unavailable',
    },
  ],
};

export const resources: RuleGroup = {
  name: 'kubernetes-resources',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'KubeContainerMemoryNearLimit',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
  namespace_pod_container:container_memory_working_set_bytes:sum
/
  max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"})
> ${UTILISATION}`,
      for: '15m',
      summary: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses {{ $value | humanizePercentage }} of its memory limit',
      description: `The container has used more than ${percent(UTILISATION)} of its memory limit for 15 minutes; at 100% it is OOM-killed.`,
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'KubeContainerCPUNearLimit',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
  namespace_pod_container:container_cpu_usage_seconds:rate5m
/
  max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="cpu"})
> ${UTILISATION}`,
      for: '15m',
      summary: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses {{ $value | humanizePercentage }} of its CPU limit',
      description: `The container has used more than ${percent(UTILISATION)} of its CPU limit for 15 minutes and is being throttled.`,
      runbook: 'docs/runbooks/performance-degradation.md',
    },
    {
      alert: 'KubeClusterRequestsHigh',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
  sum by (resource) (
    max by (namespace, pod, container, resource) (kube_pod_container_resource_requests{resource=~"cpu|memory"})
    * on (namespace, pod) group_left ()
    (max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"}) == 1)
  )
/
  sum by (resource) (max by (node, resource) (kube_node_status_allocatable{resource=~"cpu|memory"}))
> ${UTILISATION}`,
      for: '15m',
      summary: 'Pods request {{ $value | humanizePercentage }} of the cluster {{ $labels.resource }}',
      description: `Running and pending pods have requested more than ${percent(UTILISATION)} of the allocatable {{ $labels.resource }} of the cluster for 15 minutes; a node failure would leave pods unschedulable.`,
      runbook: 'docs/runbooks/kubernetes.md',
    },
    {
      alert: 'KubeQuotaAlmostFull',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `
  max by (namespace, resourcequota, resource) (kube_resourcequota{type="used"})
/
  max by (namespace, resourcequota, resource) (kube_resourcequota{type="hard"} > 0)
> ${UTILISATION}`,
      for: '15m',
      summary: 'Quota {{ $labels.resourcequota }} in {{ $labels.namespace }}: {{ $labels.resource }} at {{ $value | humanizePercentage }}',
      description: `More than ${percent(UTILISATION)} of the {{ $labels.resource }} quota of {{ $labels.namespace }} has been used for 15 minutes; new pods will be refused.`,
      runbook: 'docs/runbooks/kubernetes.md',
    },
  ],
};

/**
 * Time on the nodes. Orders, fills and market data are stamped on the node that handles them, and
 * latency, slippage windows and freshness are differences of those stamps: a node whose clock
 * drifts or has lost its time source makes every such measurement wrong without any error.
 */
export const nodeClock: RuleGroup = {
  name: 'node-clock',
  source: SOURCE,
  team: 'devops',
  rules: [
    {
      alert: 'NodeClockSkew',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: `max by (node) (abs(node_timex_offset_seconds)) > ${CLOCK_OFFSET}`,
      for: '5m',
      summary: 'The clock of node {{ $labels.node }} is {{ $value | humanizeDuration }} off',
      description: `For 5 minutes the clock of node {{ $labels.node }} has been more than ${millis(CLOCK_OFFSET)} away from its time reference; latencies and data ages measured across nodes are wrong by as much.`,
      runbook: 'docs/runbooks/clock-skew.md#node-clock-skew',
    },
    {
      alert: 'NodeClockNotSynchronised',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.kubernetes,
      expr: 'max by (node) (max_over_time(node_timex_sync_status[5m])) == 0',
      for: '10m',
      summary: 'Node {{ $labels.node }} has lost its time source',
      description:
        'For 15 minutes the kernel of node {{ $labels.node }} has not considered its clock synchronised: the NTP or chrony daemon is down or cannot reach its servers, and the clock drifts freely.',
      runbook: 'docs/runbooks/clock-skew.md#node-clock-not-synchronised',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([nodes, workloads, resources, nodeClock]);
