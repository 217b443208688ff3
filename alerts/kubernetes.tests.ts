import { RuleTestSuite } from '../lib/rules/testing';

/** kube-state-metrics target labels, which every alert must drop. */
const ksm = 'job="kube-state-metrics", service="kube-state-metrics", instance="10.0.0.9:8080"';
const nodeExp = (node: string) => `job="node-exporter", namespace="monitoring", pod="node-exporter-${node}", node="${node}"`;
const cpu = (node: string, busy: number) => ({
  [`node_cpu_seconds_total{${nodeExp(node)}, cpu="0", mode="idle"}`]: `0+${60 * (1 - busy)}x30`,
  [`node_cpu_seconds_total{${nodeExp(node)}, cpu="0", mode="user"}`]: `0+${60 * busy}x30`,
});
const memory = (node: string, used: number) => ({
  [`node_memory_MemAvailable_bytes{${nodeExp(node)}}`]: `${1000 * (1 - used)}x30`,
  [`node_memory_MemTotal_bytes{${nodeExp(node)}}`]: '1000x30',
});
const disk = (node: string, used: number, fstype = 'ext4') => ({
  [`node_filesystem_avail_bytes{${nodeExp(node)}, device="/dev/sda1", fstype="${fstype}", mountpoint="/"}`]: `${1000 * (1 - used)}x30`,
  [`node_filesystem_size_bytes{${nodeExp(node)}, device="/dev/sda1", fstype="${fstype}", mountpoint="/"}`]: '1000x30',
});
const volume = (used: number) => ({
  'kubelet_volume_stats_used_bytes{job="kubelet", node="n1", namespace="grekko", persistentvolumeclaim="data-postgres-0"}': `${used}x20`,
  'kubelet_volume_stats_capacity_bytes{job="kubelet", node="n1", namespace="grekko", persistentvolumeclaim="data-postgres-0"}': '100x20',
});
const container = (c: string) => `${ksm}, namespace="grekko", pod="order-service-7d9f", container="${c}"`;
const cadvisor = 'job="cadvisor", node="n1", namespace="grekko", pod="order-service-7d9f", container="app"';
const app = { namespace: 'grekko', pod: 'order-service-7d9f', container: 'app' };
const requests = (cpuRequested: number) => ({
  [`kube_pod_container_resource_requests{${ksm}, namespace="grekko", pod="a", container="app", node="n1", resource="cpu", unit="core"}`]: `${cpuRequested / 2}x20`,
  [`kube_pod_container_resource_requests{${ksm}, namespace="grekko", pod="b", container="app", node="n1", resource="cpu", unit="core"}`]: `${cpuRequested / 2}x20`,
  // A finished pod's requests do not count.
  [`kube_pod_container_resource_requests{${ksm}, namespace="grekko", pod="done", container="app", node="n1", resource="cpu", unit="core"}`]: '4x20',
  [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="a", phase="Running"}`]: '1x20',
  [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="b", phase="Pending"}`]: '1x20',
  [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="done", phase="Succeeded"}`]: '1x20',
  [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="done", phase="Running"}`]: '0x20',
  [`kube_node_status_allocatable{${ksm}, node="n1", resource="cpu", unit="core"}`]: '4x20',
  [`kube_node_status_allocatable{${ksm}, node="n2", resource="cpu", unit="core"}`]: '6x20',
});
const quota = (used: number) => ({
  [`kube_resourcequota{${ksm}, namespace="grekko", resourcequota="compute", resource="requests.cpu", type="used"}`]: `${used}x20`,
  [`kube_resourcequota{${ksm}, namespace="grekko", resourcequota="compute", resource="requests.cpu", type="hard"}`]: '10x20',
});

export const suite: RuleTestSuite = {
  source: 'alerts/kubernetes.ts',
  tests: [
    {
      name: 'a node not ready for 15 minutes warns; a 10-minute blip does not',
      series: {
        [`kube_node_status_condition{${ksm}, node="n1", condition="Ready", status="true"}`]: '1 1 0 0 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1',
        [`kube_node_status_condition{${ksm}, node="n2", condition="Ready", status="true"}`]: '1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
      },
      alerts: [
        { at: '13m', alert: 'KubeNodeNotReady', fires: [] },
        { at: '17m', alert: 'KubeNodeNotReady', fires: [{ labels: { node: 'n2' } }] },
      ],
    },
    { name: 'node CPU 79% busy stays quiet', series: cpu('n1', 0.79), alerts: [{ at: '25m', alert: 'NodeCPUHigh', fires: [] }] },
    { name: 'node CPU 81% busy for 15 minutes warns', series: cpu('n1', 0.81), alerts: [{ at: '25m', alert: 'NodeCPUHigh', fires: [{ labels: { node: 'n1' }, value: 0.81 }] }] },
    { name: 'node memory 79% used stays quiet', series: memory('n1', 0.79), alerts: [{ at: '20m', alert: 'NodeMemoryHigh', fires: [] }] },
    { name: 'node memory 81% used warns', series: memory('n1', 0.81), alerts: [{ at: '20m', alert: 'NodeMemoryHigh', fires: [{ labels: { node: 'n1' }, value: 0.81 }] }] },
    { name: 'a disk 79% full stays quiet, and tmpfs never counts', series: { ...disk('n1', 0.79), ...disk('n2', 0.99, 'tmpfs') }, alerts: [{ at: '20m', alert: 'NodeDiskSpaceHigh', fires: [] }] },
    {
      name: 'a disk 81% full warns',
      series: disk('n1', 0.81),
      alerts: [{ at: '20m', alert: 'NodeDiskSpaceHigh', fires: [{ labels: { node: 'n1', device: '/dev/sda1', mountpoint: '/' }, value: 0.81 }] }],
    },
    { name: 'a volume 80% full stays quiet', series: volume(80), alerts: [{ at: '10m', alert: 'PersistentVolumeFillingUp', fires: [] }] },
    {
      name: 'a volume 81% full warns',
      series: volume(81),
      alerts: [{ at: '10m', alert: 'PersistentVolumeFillingUp', fires: [{ labels: { namespace: 'grekko', persistentvolumeclaim: 'data-postgres-0' }, value: 0.81 }] }],
    },
    {
      name: 'a container in CrashLoopBackOff for 15 minutes warns; 10 minutes does not',
      series: { [`kube_pod_container_status_waiting_reason{${container('app')}, reason="CrashLoopBackOff"}`]: '0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1' },
      alerts: [
        { at: '11m', alert: 'KubePodCrashLooping', fires: [] },
        { at: '17m', alert: 'KubePodCrashLooping', fires: [{ labels: app }] },
      ],
    },
    {
      name: '3 restarts in an hour stay quiet',
      series: { [`kube_pod_container_status_restarts_total{${container('app')}}`]: '0x10 1x10 2x10 3x40' },
      alerts: [{ at: '60m', alert: 'KubePodRestartingFrequently', fires: [] }],
    },
    {
      name: '4 restarts in an hour warn',
      series: { [`kube_pod_container_status_restarts_total{${container('app')}}`]: '0x10 1x10 2x10 3x10 4x30' },
      alerts: [{ at: '60m', alert: 'KubePodRestartingFrequently', fires: [{ labels: app, value: 4 }] }],
    },
    {
      name: 'a pod pending for 15 minutes warns; a running pod does not',
      series: {
        [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="risk-service-0", phase="Pending"}`]: '1x20',
        [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="order-service-7d9f", phase="Pending"}`]: '0x20',
        [`kube_pod_status_phase{${ksm}, namespace="grekko", pod="order-service-7d9f", phase="Running"}`]: '1x20',
      },
      alerts: [
        { at: '10m', alert: 'KubePodPending', fires: [] },
        { at: '16m', alert: 'KubePodPending', fires: [{ labels: { namespace: 'grekko', pod: 'risk-service-0' } }] },
      ],
    },
    {
      name: 'an OOM kill followed by a restart warns; an old OOM kill does not',
      series: {
        [`kube_pod_container_status_restarts_total{${container('app')}}`]: '0x10 1x20',
        [`kube_pod_container_status_last_terminated_reason{${container('app')}, reason="OOMKilled"}`]: '0x10 1x20',
      },
      alerts: [
        { at: '5m', alert: 'KubeContainerOOMKilled', fires: [] },
        { at: '12m', alert: 'KubeContainerOOMKilled', fires: [{ labels: app, value: 1 }] },
        { at: '25m', alert: 'KubeContainerOOMKilled', fires: [] },
      ],
    },
    {
      name: 'memory at 80% of the limit stays quiet',
      series: { [`container_memory_working_set_bytes{${cadvisor}}`]: '800x20', [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="memory", unit="byte"}`]: '1000x20' },
      alerts: [{ at: '18m', alert: 'KubeContainerMemoryNearLimit', fires: [] }],
    },
    {
      name: 'memory at 81% of the limit for 15 minutes warns',
      series: { [`container_memory_working_set_bytes{${cadvisor}}`]: '810x20', [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="memory", unit="byte"}`]: '1000x20' },
      alerts: [{ at: '18m', alert: 'KubeContainerMemoryNearLimit', fires: [{ labels: app, value: 0.81 }] }],
    },
    {
      name: 'CPU at 79% of the limit stays quiet',
      series: { [`container_cpu_usage_seconds_total{${cadvisor}, cpu="total"}`]: '0+47.4x30', [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="cpu", unit="core"}`]: '1x30' },
      alerts: [{ at: '25m', alert: 'KubeContainerCPUNearLimit', fires: [] }],
    },
    {
      name: 'CPU at 81% of the limit for 15 minutes warns',
      series: { [`container_cpu_usage_seconds_total{${cadvisor}, cpu="total"}`]: '0+48.6x30', [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="cpu", unit="core"}`]: '1x30' },
      alerts: [{ at: '25m', alert: 'KubeContainerCPUNearLimit', fires: [{ labels: app, value: 0.81 }] }],
    },
    { name: 'pods requesting 8 of 10 cores stay quiet (finished pods do not count)', series: requests(8), alerts: [{ at: '18m', alert: 'KubeClusterRequestsHigh', fires: [] }] },
    { name: 'pods requesting 8.2 of 10 cores warn', series: requests(8.2), alerts: [{ at: '18m', alert: 'KubeClusterRequestsHigh', fires: [{ labels: { resource: 'cpu' }, value: 0.82 }] }] },
    { name: 'a quota 80% used stays quiet', series: quota(8), alerts: [{ at: '18m', alert: 'KubeQuotaAlmostFull', fires: [] }] },
    {
      name: 'a quota 81% used warns',
      series: quota(8.1),
      alerts: [{ at: '18m', alert: 'KubeQuotaAlmostFull', fires: [{ labels: { namespace: 'grekko', resourcequota: 'compute', resource: 'requests.cpu' }, value: 0.81 }] }],
    },
  ],
};
