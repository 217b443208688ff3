import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { millis } from '../lib/core/units';
import { TRADING_NAMESPACE } from '../metrics/system';

const order = `namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service"`;
const at = (labels: string) => `{${labels}}`;

// Per-minute increments of the input series; the expected values are computed from them.
const BUYS_FILLED = 60;
const SELLS_FILLED = 120;
const SELLS_REJECTED = 6;
const EXECUTION_SECONDS = 2;
const EXECUTIONS = 50;
/** CPU seconds per minute by mode: cpu 0 is 70% busy (iowait is not busy), cpu 1 50%. */
const CPU0 = { idle: 12, iowait: 6, user: 42 };
const CPU1 = { idle: 30, user: 30 };
const MEMORY_TOTAL = 1000;
const MEMORY_AVAILABLE = 250;
const CONTAINER_CPU_SECONDS = 15;

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'orders per second are recorded per venue and outcome, summed over sides',
      series: {
        [`grekko_orders_total{${order}, pod="order-service-0", venue="coinbase", side="buy", outcome="filled"}`]: `0+${BUYS_FILLED}x30`,
        [`grekko_orders_total{${order}, pod="order-service-0", venue="coinbase", side="sell", outcome="filled"}`]: `0+${SELLS_FILLED}x30`,
        [`grekko_orders_total{${order}, pod="order-service-0", venue="coinbase", side="sell", outcome="rejected"}`]: `0+${SELLS_REJECTED}x30`,
      },
      queries: [
        {
          at: '10m',
          expr: 'service_venue_outcome:grekko_orders:rate5m',
          samples: [
            {
              labels: `service_venue_outcome:grekko_orders:rate5m${at(`${order}, venue="coinbase", outcome="filled"`)}`,
              value: (BUYS_FILLED + SELLS_FILLED) / 60,
            },
            { labels: `service_venue_outcome:grekko_orders:rate5m${at(`${order}, venue="coinbase", outcome="rejected"`)}`, value: SELLS_REJECTED / 60 },
          ],
        },
      ],
    },
    {
      name: `mean order execution latency is the rate of the sum over the rate of the count: ${EXECUTION_SECONDS} s over ${EXECUTIONS} orders a minute is ${millis(EXECUTION_SECONDS / EXECUTIONS)}`,
      series: {
        [`grekko_order_execution_duration_seconds_sum{${order}, pod="order-service-0", venue="coinbase", order_type="limit"}`]: `0+${EXECUTION_SECONDS}x30`,
        [`grekko_order_execution_duration_seconds_count{${order}, pod="order-service-0", venue="coinbase", order_type="limit"}`]: `0+${EXECUTIONS}x30`,
      },
      queries: [
        {
          at: '10m',
          expr: 'service_venue:grekko_order_execution_duration_seconds:mean5m',
          samples: [
            {
              labels: `service_venue:grekko_order_execution_duration_seconds:mean5m${at(`${order}, venue="coinbase"`)}`,
              value: EXECUTION_SECONDS / EXECUTIONS,
            },
          ],
        },
      ],
    },
    {
      name: 'node CPU utilisation counts iowait as not busy: CPUs 70% and 50% busy make 60%',
      series: {
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="0", mode="idle"}': `0+${CPU0.idle}x30`,
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="0", mode="iowait"}': `0+${CPU0.iowait}x30`,
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="0", mode="user"}': `0+${CPU0.user}x30`,
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="1", mode="idle"}': `0+${CPU1.idle}x30`,
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="1", mode="user"}': `0+${CPU1.user}x30`,
      },
      queries: [
        {
          at: '10m',
          expr: 'node:node_cpu_utilisation:ratio_rate5m',
          samples: [{ labels: 'node:node_cpu_utilisation:ratio_rate5m{node="n1"}', value: (CPU0.user / 60 + CPU1.user / 60) / 2 }],
        },
      ],
    },
    {
      name: 'node memory utilisation is what is not available: 250 of 1000 bytes available is 75% used',
      series: {
        'node_memory_MemTotal_bytes{job="node-exporter", node="n1"}': `${MEMORY_TOTAL}x10`,
        'node_memory_MemAvailable_bytes{job="node-exporter", node="n1"}': `${MEMORY_AVAILABLE}x10`,
      },
      queries: [
        {
          at: '5m',
          expr: 'node:node_memory_utilisation:ratio',
          samples: [{ labels: 'node:node_memory_utilisation:ratio{node="n1"}', value: 1 - MEMORY_AVAILABLE / MEMORY_TOTAL }],
        },
      ],
    },
    {
      name: 'container usage leaves out the pod-level cgroup series (container="")',
      series: {
        [`container_memory_working_set_bytes{job="cadvisor", namespace="${TRADING_NAMESPACE}", pod="order-service-0", container="order-service"}`]: '300x10',
        [`container_memory_working_set_bytes{job="cadvisor", namespace="${TRADING_NAMESPACE}", pod="order-service-0", container=""}`]: '320x10',
        [`container_cpu_usage_seconds_total{job="cadvisor", namespace="${TRADING_NAMESPACE}", pod="order-service-0", container="order-service", cpu="total"}`]: `0+${CONTAINER_CPU_SECONDS}x30`,
        [`container_cpu_usage_seconds_total{job="cadvisor", namespace="${TRADING_NAMESPACE}", pod="order-service-0", container="", cpu="total"}`]: '0+16x30',
      },
      queries: [
        {
          at: '10m',
          expr: 'namespace_pod_container:container_memory_working_set_bytes:sum',
          samples: [
            {
              labels: 'namespace_pod_container:container_memory_working_set_bytes:sum{namespace="grekko", pod="order-service-0", container="order-service"}',
              value: 300,
            },
          ],
        },
        {
          at: '10m',
          expr: 'namespace_pod_container:container_cpu_usage_seconds:rate5m',
          samples: [
            {
              labels: 'namespace_pod_container:container_cpu_usage_seconds:rate5m{namespace="grekko", pod="order-service-0", container="order-service"}',
              value: CONTAINER_CPU_SECONDS / 60,
            },
          ],
        },
      ],
    },
  ],
};
