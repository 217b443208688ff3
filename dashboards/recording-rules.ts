/**
 * Recording rules the dashboards read instead of heavy raw queries: per-service RED series, the
 * 30-day SLO error ratio, node and container utilisation, and trading rates. Typed rule groups
 * for the rule API (lib/rules/types.ts); names follow `level:metric:operations`.
 */
import type { RuleGroup } from '../lib/rules/types';

const SOURCE = 'dashboards/recording-rules.ts';

/** The availability objective of every trading service (strategy: 99.9% uptime). */
export const AVAILABILITY_OBJECTIVE = 0.999;

export const DASHBOARD_RECORDING_RULES: readonly RuleGroup[] = [
  {
    name: 'grekko-service-red',
    source: SOURCE,
    rules: [
      { record: 'job:http_requests:rate5m', expr: 'sum by (namespace, job) (rate(http_requests_total[5m]))' },
      { record: 'job:http_request_errors:rate5m', expr: 'sum by (namespace, job) (rate(http_requests_total{code=~"5.."}[5m]))' },
      {
        record: 'job:http_request_errors:ratio_rate5m',
        // A service with no 5xx at all has no error series: count it as 0, not as missing.
        expr: '(job:http_request_errors:rate5m or job:http_requests:rate5m * 0) / job:http_requests:rate5m',
      },
      { record: 'job_le:http_request_duration_seconds_bucket:rate5m', expr: 'sum by (namespace, job, le) (rate(http_request_duration_seconds_bucket[5m]))' },
    ],
  },
  {
    name: 'grekko-service-slo',
    source: SOURCE,
    interval: '5m',
    rules: [
      // Mean of the 5-minute ratio over 30 days: what the error budget is spent against.
      { record: 'job:http_request_errors:ratio_rate30d', expr: 'avg_over_time(job:http_request_errors:ratio_rate5m[30d])' },
      {
        record: 'job:http_request_error_budget:remaining_ratio30d',
        expr: `1 - job:http_request_errors:ratio_rate30d / ${+(1 - AVAILABILITY_OBJECTIVE).toFixed(6)}`,
      },
    ],
  },
  {
    name: 'grekko-trading',
    source: SOURCE,
    rules: [
      { record: 'exchange_status:grekko_orders:rate5m', expr: 'sum by (exchange, status) (rate(grekko_orders_total[5m]))' },
      { record: 'exchange_le:grekko_order_execution_duration_seconds_bucket:rate5m', expr: 'sum by (exchange, le) (rate(grekko_order_execution_duration_seconds_bucket[5m]))' },
      {
        record: 'exchange:grekko_order_execution_duration_seconds:mean5m',
        expr: 'sum by (exchange) (rate(grekko_order_execution_duration_seconds_sum[5m])) / sum by (exchange) (rate(grekko_order_execution_duration_seconds_count[5m]))',
      },
    ],
  },
  {
    name: 'grekko-node-and-container-usage',
    source: SOURCE,
    rules: [
      {
        record: 'node:node_cpu_utilisation:ratio_rate5m',
        expr: '1 - avg by (node) (sum without (mode) (rate(node_cpu_seconds_total{mode=~"idle|iowait|steal"}[5m])))',
      },
      { record: 'node:node_memory_utilisation:ratio', expr: '1 - sum by (node) (node_memory_MemAvailable_bytes) / sum by (node) (node_memory_MemTotal_bytes)' },
      {
        record: 'namespace_pod_container:container_cpu_usage_seconds:rate5m',
        expr: 'sum by (namespace, pod, container, node) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[5m]))',
      },
      {
        record: 'namespace_pod_container:container_memory_working_set_bytes:sum',
        expr: 'sum by (namespace, pod, container, node) (container_memory_working_set_bytes{container!="", image!=""})',
      },
    ],
  },
];
