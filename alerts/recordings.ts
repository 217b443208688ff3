/**
 * Recording rules shared by alerts and dashboards: series that are expensive to compute at query
 * time or that several panels and alerts read, recorded once so that a dashboard and the alert
 * that sends people to it show the same number. The services' RED series live with their alerts
 * in services.ts; SLO series come from the SLO generator (lib/rules/slo.ts). Names follow
 * `level:metric:operations`, the level naming the labels kept.
 */
import { RuleGroup } from '../lib/rules/types';
import { moduleSource } from '../lib/rules/source';

const SOURCE = moduleSource(__filename);
const service = 'namespace, job, service';

/** Orders and their execution, per venue, for the Executive and Trading dashboards and the order alerts. */
export const tradingRecordings: RuleGroup = {
  name: 'trading-recordings',
  source: SOURCE,
  rules: [
    { record: 'service_venue_outcome:grekko_orders:rate5m', expr: `sum by (${service}, venue, outcome) (rate(grekko_orders_total[5m]))` },
    {
      record: 'service_venue:grekko_order_execution_duration_seconds:mean5m',
      expr: `sum by (${service}, venue) (rate(grekko_order_execution_duration_seconds_sum[5m])) / sum by (${service}, venue) (rate(grekko_order_execution_duration_seconds_count[5m]))`,
    },
    {
      record: 'venue_le:grekko_order_execution_duration_seconds_bucket:rate5m',
      expr: 'sum by (venue, le) (rate(grekko_order_execution_duration_seconds_bucket[5m]))',
    },
  ],
};

/** Node and container utilisation, for the Kubernetes and Operations dashboards and the resource alerts. */
export const usageRecordings: RuleGroup = {
  name: 'resource-usage-recordings',
  source: SOURCE,
  rules: [
    {
      // Busy share of the node's CPUs: every mode but idle, iowait and steal.
      record: 'node:node_cpu_utilisation:ratio_rate5m',
      expr: '1 - avg by (node) (sum without (mode) (rate(node_cpu_seconds_total{mode=~"idle|iowait|steal"}[5m])))',
    },
    { record: 'node:node_memory_utilisation:ratio', expr: '1 - sum by (node) (node_memory_MemAvailable_bytes) / sum by (node) (node_memory_MemTotal_bytes)' },
    {
      // container!="" drops the pod-level cgroup series cAdvisor also exposes.
      record: 'namespace_pod_container:container_cpu_usage_seconds:rate5m',
      expr: 'sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))',
    },
    {
      record: 'namespace_pod_container:container_memory_working_set_bytes:sum',
      expr: 'sum by (namespace, pod, container) (container_memory_working_set_bytes{container!=""})',
    },
  ],
};

export const groups: readonly RuleGroup[] = [tradingRecordings, usageRecordings];
