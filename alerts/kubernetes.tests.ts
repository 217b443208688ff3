import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { millis, percent, tidy } from '../lib/core/units';
import { CLOCK_OFFSET, POD_RESTARTS_PER_HOUR, UTILISATION } from './thresholds';
import { TRADING_NAMESPACE } from '../metrics/system';

/** A point either side of the utilisation threshold. */
const under = tidy(UTILISATION - 0.01);
const over = tidy(UTILISATION + 0.01);

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
  [`kubelet_volume_stats_used_bytes{job="kubelet", node="n1", namespace="${TRADING_NAMESPACE}", persistentvolumeclaim="data-postgres-0"}`]: `${used}x20`,
  [`kubelet_volume_stats_capacity_bytes{job="kubelet", node="n1", namespace="${TRADING_NAMESPACE}", persistentvolumeclaim="data-postgres-0"}`]: '100x20',
});
const container = (c: string) => `${ksm}, namespace="${TRADING_NAMESPACE}", pod="order-service-7d9f", container="${c}"`;
const cadvisor = `job="cadvisor", node="n1", namespace="${TRADING_NAMESPACE}", pod="order-service-7d9f", container="app"`;
const app = { namespace: 'grekko', pod: 'order-service-7d9f', container: 'app' };
const requests = (cpuRequested: number) => ({
  [`kube_pod_container_resource_requests{${ksm}, namespace="${TRADING_NAMESPACE}", pod="a", container="app", node="n1", resource="cpu", unit="core"}`]: `${cpuRequested / 2}x20`,
  [`kube_pod_container_resource_requests{${ksm}, namespace="${TRADING_NAMESPACE}", pod="b", container="app", node="n1", resource="cpu", unit="core"}`]: `${cpuRequested / 2}x20`,
  // A finished pod's requests do not count.
  [`kube_pod_container_resource_requests{${ksm}, namespace="${TRADING_NAMESPACE}", pod="done", container="app", node="n1", resource="cpu", unit="core"}`]:
    '4x20',
  [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="a", phase="Running"}`]: '1x20',
  [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="b", phase="Pending"}`]: '1x20',
  [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="done", phase="Succeeded"}`]: '1x20',
  [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="done", phase="Running"}`]: '0x20',
  [`kube_node_status_allocatable{${ksm}, node="n1", resource="cpu", unit="core"}`]: '4x20',
  [`kube_node_status_allocatable{${ksm}, node="n2", resource="cpu", unit="core"}`]: '6x20',
});
const clock = (node: string, offsets: string) => ({ [`node_timex_offset_seconds{${nodeExp(node)}}`]: offsets });
const synced = (node: string, states: string) => ({ [`node_timex_sync_status{${nodeExp(node)}}`]: states });
/** A millisecond either side of the clock offset threshold. */
const skewUnder = tidy(CLOCK_OFFSET - 0.001);
const skewOver = tidy(CLOCK_OFFSET + 0.001);
const deployment = (name: string, spec: string, available: string) => ({
  [`kube_deployment_spec_replicas{${ksm}, namespace="${TRADING_NAMESPACE}", deployment="${name}"}`]: spec,
  [`kube_deployment_status_replicas_available{${ksm}, namespace="${TRADING_NAMESPACE}", deployment="${name}"}`]: available,
});
const statefulset = (name: string, spec: string, ready: string) => ({
  [`kube_statefulset_replicas{${ksm}, namespace="${TRADING_NAMESPACE}", statefulset="${name}"}`]: spec,
  [`kube_statefulset_status_replicas_ready{${ksm}, namespace="${TRADING_NAMESPACE}", statefulset="${name}"}`]: ready,
});
/** Allocatable cores of the cluster in `requests` (4 on n1, 6 on n2), and the quota's hard limit. */
const CLUSTER_CORES = 10;
const QUOTA = 10;
const quota = (used: number) => ({
  [`kube_resourcequota{${ksm}, namespace="${TRADING_NAMESPACE}", resourcequota="compute", resource="requests.cpu", type="used"}`]: `${used}x20`,
  [`kube_resourcequota{${ksm}, namespace="${TRADING_NAMESPACE}", resourcequota="compute", resource="requests.cpu", type="hard"}`]: '10x20',
});

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
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
    { name: `node CPU ${percent(under)} busy stays quiet`, series: cpu('n1', under), alerts: [{ at: '25m', alert: 'NodeCPUHigh', fires: [] }] },
    {
      name: `node CPU ${percent(over)} busy for 15 minutes warns`,
      series: cpu('n1', over),
      alerts: [{ at: '25m', alert: 'NodeCPUHigh', fires: [{ labels: { node: 'n1' }, value: over }] }],
    },
    { name: `node memory ${percent(under)} used stays quiet`, series: memory('n1', under), alerts: [{ at: '20m', alert: 'NodeMemoryHigh', fires: [] }] },
    {
      name: `node memory ${percent(over)} used warns`,
      series: memory('n1', over),
      alerts: [{ at: '20m', alert: 'NodeMemoryHigh', fires: [{ labels: { node: 'n1' }, value: over }] }],
    },
    {
      name: `a disk ${percent(under)} full stays quiet, and tmpfs never counts`,
      series: { ...disk('n1', under), ...disk('n2', 0.99, 'tmpfs') },
      alerts: [{ at: '20m', alert: 'NodeDiskSpaceHigh', fires: [] }],
    },
    {
      name: `a disk ${percent(over)} full warns`,
      series: disk('n1', over),
      alerts: [{ at: '20m', alert: 'NodeDiskSpaceHigh', fires: [{ labels: { node: 'n1', device: '/dev/sda1', mountpoint: '/' }, value: over }] }],
    },
    {
      name: `a volume ${percent(UTILISATION)} full stays quiet`,
      series: volume(Math.round(UTILISATION * 100)),
      alerts: [{ at: '10m', alert: 'PersistentVolumeFillingUp', fires: [] }],
    },
    {
      name: `a volume ${percent(over)} full warns`,
      series: volume(Math.round(over * 100)),
      alerts: [
        {
          at: '10m',
          alert: 'PersistentVolumeFillingUp',
          fires: [{ labels: { namespace: 'grekko', persistentvolumeclaim: 'data-postgres-0' }, value: Math.round(over * 100) / 100 }],
        },
      ],
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
      name: `${POD_RESTARTS_PER_HOUR + 1} restarts in an hour warn`,
      series: { [`kube_pod_container_status_restarts_total{${container('app')}}`]: '0x10 1x10 2x10 3x10 4x30' },
      alerts: [{ at: '60m', alert: 'KubePodRestartingFrequently', fires: [{ labels: app, value: POD_RESTARTS_PER_HOUR + 1 }] }],
    },
    {
      name: 'a pod pending for 15 minutes warns; a running pod does not',
      series: {
        [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="risk-service-0", phase="Pending"}`]: '1x20',
        [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="order-service-7d9f", phase="Pending"}`]: '0x20',
        [`kube_pod_status_phase{${ksm}, namespace="${TRADING_NAMESPACE}", pod="order-service-7d9f", phase="Running"}`]: '1x20',
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
      name: `memory at ${percent(UTILISATION)} of the limit stays quiet`,
      series: {
        [`container_memory_working_set_bytes{${cadvisor}}`]: `${Math.round(UTILISATION * 1000)}x20`,
        [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="memory", unit="byte"}`]: '1000x20',
      },
      alerts: [{ at: '18m', alert: 'KubeContainerMemoryNearLimit', fires: [] }],
    },
    {
      name: `memory at ${percent(over)} of the limit for 15 minutes warns`,
      series: {
        [`container_memory_working_set_bytes{${cadvisor}}`]: `${Math.round(over * 1000)}x20`,
        [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="memory", unit="byte"}`]: '1000x20',
      },
      alerts: [{ at: '18m', alert: 'KubeContainerMemoryNearLimit', fires: [{ labels: app, value: Math.round(over * 1000) / 1000 }] }],
    },
    {
      name: `CPU at ${percent(under)} of the limit stays quiet`,
      series: {
        [`container_cpu_usage_seconds_total{${cadvisor}, cpu="total"}`]: `0+${tidy(under * 60)}x30`,
        [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="cpu", unit="core"}`]: '1x30',
      },
      alerts: [{ at: '25m', alert: 'KubeContainerCPUNearLimit', fires: [] }],
    },
    {
      name: `CPU at ${percent(over)} of the limit for 15 minutes warns`,
      series: {
        [`container_cpu_usage_seconds_total{${cadvisor}, cpu="total"}`]: `0+${tidy(over * 60)}x30`,
        [`kube_pod_container_resource_limits{${container('app')}, node="n1", resource="cpu", unit="core"}`]: '1x30',
      },
      alerts: [{ at: '25m', alert: 'KubeContainerCPUNearLimit', fires: [{ labels: app, value: tidy(over * 60) / 60 }] }],
    },
    {
      name: `pods requesting ${tidy(UTILISATION * CLUSTER_CORES)} of ${CLUSTER_CORES} cores stay quiet (finished pods do not count)`,
      series: requests(tidy(UTILISATION * CLUSTER_CORES)),
      alerts: [{ at: '18m', alert: 'KubeClusterRequestsHigh', fires: [] }],
    },
    {
      name: `pods requesting ${tidy((UTILISATION + 0.02) * CLUSTER_CORES)} of ${CLUSTER_CORES} cores warn`,
      series: requests(tidy((UTILISATION + 0.02) * CLUSTER_CORES)),
      alerts: [
        {
          at: '18m',
          alert: 'KubeClusterRequestsHigh',
          fires: [{ labels: { resource: 'cpu' }, value: tidy((UTILISATION + 0.02) * CLUSTER_CORES) / CLUSTER_CORES }],
        },
      ],
    },
    {
      name: `a quota ${percent(UTILISATION)} used stays quiet`,
      series: quota(tidy(UTILISATION * QUOTA)),
      alerts: [{ at: '18m', alert: 'KubeQuotaAlmostFull', fires: [] }],
    },
    {
      name: `a quota ${percent(over)} used warns`,
      series: quota(tidy(over * QUOTA)),
      alerts: [
        {
          at: '18m',
          alert: 'KubeQuotaAlmostFull',
          fires: [{ labels: { namespace: 'grekko', resourcequota: 'compute', resource: 'requests.cpu' }, value: tidy(over * QUOTA) / QUOTA }],
        },
      ],
    },
    {
      name: 'a Deployment or StatefulSet one replica short for 15 minutes warns; a full one, and one short for 10 minutes of a rollout, stay quiet',
      series: {
        ...deployment('order-service', '3x25', '2x25'),
        ...deployment('risk-service', '3x25', '3x25'),
        ...deployment('portfolio-service', '3x25', '2x10 3x15'),
        ...statefulset('postgres', '3x25', '3x2 2x23'),
      },
      alerts: [
        { at: '14m', alert: 'KubeWorkloadReplicasUnavailable', fires: [] },
        {
          at: '20m',
          alert: 'KubeWorkloadReplicasUnavailable',
          fires: [
            { labels: { namespace: 'grekko', deployment: 'order-service', workload: 'deployment/order-service' }, value: 1 },
            { labels: { namespace: 'grekko', statefulset: 'postgres', workload: 'statefulset/postgres' }, value: 1 },
          ],
        },
      ],
    },
    {
      name: `a clock ${millis(skewOver)} off either way for 5 minutes warns; ${millis(skewUnder)} off stays quiet`,
      series: { ...clock('n1', `${skewUnder}x20`), ...clock('n2', `${skewOver}x20`), ...clock('n3', `-${skewOver}x20`) },
      alerts: [
        { at: '3m', alert: 'NodeClockSkew', fires: [] },
        {
          at: '10m',
          alert: 'NodeClockSkew',
          fires: [
            { labels: { node: 'n2' }, value: skewOver },
            { labels: { node: 'n3' }, value: skewOver },
          ],
        },
      ],
    },
    {
      name: 'a clock unsynchronised for 15 minutes warns; a synchronised one and a 4-minute loss of the time source stay quiet',
      series: { ...synced('n1', '1x30'), ...synced('n2', '1 1 0x28'), ...synced('n3', '1 1 0 0 0 0 1x24') },
      alerts: [
        { at: '15m', alert: 'NodeClockNotSynchronised', fires: [] },
        { at: '18m', alert: 'NodeClockNotSynchronised', fires: [{ labels: { node: 'n2' } }] },
      ],
    },
  ],
};
