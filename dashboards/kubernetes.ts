import { defineDashboard, labelVariable, q, statPanel, tablePanel, timeSeries, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { CLOCK_OFFSET_STEPS, UTILISATION_COMMITTED_STEPS, UTILISATION_NEAR_FULL_STEPS, UTILISATION_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const node = 'node=~"$node"';
const ns = 'namespace=~"$namespace"';
const NODE_DEVICES = 'device!~"lo|veth.*|cali.*|cni.*|flannel.*|docker.*"';

/** Kubernetes cluster: nodes, pods, restarts, requests against limits and capacity, quotas, workloads. */
export const kubernetes = defineDashboard({
  uid: UIDS.kubernetes,
  title: 'Platform / Kubernetes cluster',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'kubernetes'],
  source: SOURCE,
  description: 'Node health and utilisation, pod phases and restarts, what pods request and are limited to against what nodes offer, and quota usage.',
  linkTag: DASHBOARD_TAG,
  variables: [labelVariable('node', 'Node', 'kube_node_info', 'node'), labelVariable('namespace', 'Namespace', 'kube_pod_status_phase', 'namespace')],
  rows: [
    {
      title: 'Nodes',
      panels: [
        statPanel({
          w: 6,
          h: 4,
          title: 'Nodes ready',
          unit: 'short',
          background: false,
          query: q('sum(kube_node_status_condition{condition="Ready", status="true"})'),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Nodes not ready',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q('sum(kube_node_status_condition{condition="Ready", status!="true"})'),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Nodes under pressure',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q('sum(kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure", status="true"})'),
        }),
        statPanel({ w: 6, h: 4, title: 'Nodes cordoned', unit: 'short', thresholds: warnAt(1, 2), query: q('sum(kube_node_spec_unschedulable)') }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'CPU utilisation',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: warnAt(...UTILISATION_STEPS),
          queries: [q(`node:node_cpu_utilisation:ratio_rate5m{${node}}`, '{{node}}')],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Memory utilisation',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: warnAt(...UTILISATION_STEPS),
          queries: [q(`node:node_memory_utilisation:ratio{${node}}`, '{{node}}')],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Disk used per filesystem',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: warnAt(...UTILISATION_STEPS),
          queries: [
            q(
              `1 - node_filesystem_avail_bytes{${node}, fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{${node}, fstype!~"tmpfs|overlay|squashfs"}`,
              '{{node}} {{mountpoint}}',
            ),
          ],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Network traffic',
          unit: 'Bps',
          queries: [
            q(`sum by (node) (rate(node_network_receive_bytes_total{${node}, ${NODE_DEVICES}}[$__rate_interval]))`, '{{node}} in'),
            q(`-sum by (node) (rate(node_network_transmit_bytes_total{${node}, ${NODE_DEVICES}}[$__rate_interval]))`, '{{node}} out'),
          ],
        }),
      ],
    },
    {
      title: 'Pods',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Pods by phase',
          unit: 'short',
          stack: true,
          queries: [q(`sum by (phase) (kube_pod_status_phase{${ns}})`, '{{phase}}')],
        }),
        tablePanel({
          w: 8,
          h: 8,
          title: 'Most restarted pods, last hour',
          sortBy: 'Value',
          queries: [q(`topk(10, sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${ns}}[1h])) > 0)`)],
          columns: { namespace: 'Namespace', pod: 'Pod', Value: 'Restarts' },
        }),
        tablePanel({
          w: 8,
          h: 8,
          title: 'Containers waiting',
          queries: [q(`sum by (namespace, pod, container, reason) (kube_pod_container_status_waiting_reason{${ns}}) > 0`)],
          columns: { namespace: 'Namespace', pod: 'Pod', container: 'Container', reason: 'Reason' },
          hide: ['Value'],
        }),
      ],
    },
    {
      title: 'Requests against limits and capacity',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'CPU requested against allocatable, per node',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...UTILISATION_COMMITTED_STEPS),
          queries: [
            q(
              `sum by (node) (kube_pod_container_resource_requests{resource="cpu", ${node}}) / sum by (node) (kube_node_status_allocatable{resource="cpu", ${node}})`,
              '{{node}}',
            ),
          ],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Memory requested against allocatable, per node',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...UTILISATION_COMMITTED_STEPS),
          queries: [
            q(
              `sum by (node) (kube_pod_container_resource_requests{resource="memory", ${node}}) / sum by (node) (kube_node_status_allocatable{resource="memory", ${node}})`,
              '{{node}}',
            ),
          ],
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'CPU per namespace: used, requested, limit',
          unit: 'cores',
          queries: [
            q(`sum by (namespace) (namespace_pod_container:container_cpu_usage_seconds:rate5m{${ns}})`),
            q(`sum by (namespace) (kube_pod_container_resource_requests{resource="cpu", ${ns}})`),
            q(`sum by (namespace) (kube_pod_container_resource_limits{resource="cpu", ${ns}})`),
          ],
          columns: { namespace: 'Namespace', 'Value #A': 'Used', 'Value #B': 'Requested', 'Value #C': 'Limit' },
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Memory per namespace: used, requested, limit',
          unit: 'bytes',
          queries: [
            q(`sum by (namespace) (namespace_pod_container:container_memory_working_set_bytes:sum{${ns}})`),
            q(`sum by (namespace) (kube_pod_container_resource_requests{resource="memory", ${ns}})`),
            q(`sum by (namespace) (kube_pod_container_resource_limits{resource="memory", ${ns}})`),
          ],
          columns: { namespace: 'Namespace', 'Value #A': 'Used', 'Value #B': 'Requested', 'Value #C': 'Limit' },
        }),
      ],
    },
    {
      title: 'Quotas and workloads',
      panels: [
        tablePanel({
          w: 12,
          h: 8,
          title: 'Resource quota used',
          unit: 'percentunit',
          thresholds: warnAt(...UTILISATION_NEAR_FULL_STEPS),
          sortBy: 'Value',
          queries: [
            q(
              `sum by (namespace, resourcequota, resource) (kube_resourcequota{${ns}, type="used"}) / sum by (namespace, resourcequota, resource) (kube_resourcequota{${ns}, type="hard"} > 0)`,
            ),
          ],
          columns: { namespace: 'Namespace', resourcequota: 'Quota', resource: 'Resource', Value: 'Used' },
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Workloads short of replicas',
          queries: [
            q(
              `label_replace(kube_deployment_spec_replicas{${ns}} - kube_deployment_status_replicas_available{${ns}} > 0, "workload", "$1", "deployment", "(.+)")`,
            ),
            q(`label_replace(kube_statefulset_replicas{${ns}} - kube_statefulset_status_replicas_ready{${ns}} > 0, "workload", "$1", "statefulset", "(.+)")`),
            q(
              `label_replace(kube_daemonset_status_desired_number_scheduled{${ns}} - kube_daemonset_status_number_ready{${ns}} > 0, "workload", "$1", "daemonset", "(.+)")`,
            ),
          ],
          columns: { namespace: 'Namespace', workload: 'Workload', 'Value #A': 'Deployment', 'Value #B': 'StatefulSet', 'Value #C': 'DaemonSet' },
          hide: ['deployment', 'statefulset', 'daemonset', 'job', 'instance', 'pod', 'container', 'node', 'service'],
        }),
      ],
    },
    {
      title: 'Node load, disks, clocks and pod network',
      panels: [
        timeSeries({
          w: 6,
          h: 8,
          title: 'Load per core (1 min)',
          unit: 'short',
          min: 0,
          thresholds: warnAt(1, 2),
          queries: [q(`max by (node) (node_load1{${node}}) / count by (node) (node_cpu_seconds_total{${node}, mode="idle"})`, '{{node}}')],
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Disk busy time',
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: warnAt(...UTILISATION_NEAR_FULL_STEPS),
          queries: [q(`max by (node, device) (rate(node_disk_io_time_seconds_total{${node}}[$__rate_interval]))`, '{{node}} {{device}}')],
        }),
        statPanel({
          w: 6,
          h: 8,
          title: 'Read-only filesystems',
          unit: 'short',
          thresholds: warnAt(1, 1),
          description: 'A filesystem remounted read-only after an error: pods writing to it fail.',
          query: q(`count(node_filesystem_readonly{${node}, fstype!~"tmpfs|overlay|squashfs"} == 1) or vector(0)`),
        }),
        timeSeries({
          w: 6,
          h: 8,
          title: 'Pods running per node',
          unit: 'short',
          min: 0,
          queries: [q(`sum by (node) (kubelet_running_pods{${node}})`, '{{node}}')],
        }),
        timeSeries({
          w: 18,
          h: 8,
          title: 'Clock offset from the time reference',
          unit: 's',
          min: 0,
          thresholds: warnAt(...CLOCK_OFFSET_STEPS),
          description:
            'How far each node clock is from its NTP or chrony source. Order latency and market-data age are differences of timestamps taken on different nodes.',
          queries: [q(`max by (node) (abs(node_timex_offset_seconds{${node}}))`, '{{node}}')],
        }),
        statPanel({
          w: 6,
          h: 8,
          title: 'Nodes without a time source',
          unit: 'short',
          thresholds: warnAt(1, 1),
          description: 'Nodes whose kernel does not consider the clock synchronised: it drifts freely.',
          query: q(`count(max by (node) (node_timex_sync_status{${node}}) == 0) or vector(0)`),
        }),
        timeSeries({
          w: 24,
          h: 8,
          title: 'Pod network traffic per namespace',
          unit: 'Bps',
          queries: [
            q(`sum by (namespace) (rate(container_network_receive_bytes_total{${ns}}[$__rate_interval]))`, '{{namespace}} in'),
            q(`-sum by (namespace) (rate(container_network_transmit_bytes_total{${ns}}[$__rate_interval]))`, '{{namespace}} out'),
          ],
        }),
      ],
    },
    {
      title: 'Kubernetes API server',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'API requests per second by code',
          unit: 'reqps',
          stack: true,
          queries: [q('sum by (code) (rate(apiserver_request_total[$__rate_interval]))', '{{code}}')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'API request latency (p99) by verb',
          unit: 's',
          min: 0,
          thresholds: warnAt(1, 4),
          queries: [
            q(
              'histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{verb!~"WATCH|CONNECT"}[$__rate_interval])))',
              '{{verb}}',
            ),
          ],
        }),
      ],
    },
  ],
});
