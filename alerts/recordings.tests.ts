import { RuleTestSuite } from '../lib/rules/testing';

const order = 'namespace="grekko", job="order-service", service="order-service"';
const at = (labels: string) => `{${labels}}`;

export const suite: RuleTestSuite = {
  source: 'alerts/recordings.ts',
  tests: [
    {
      name: 'orders per second are recorded per venue and outcome, summed over sides',
      series: {
        [`grekko_orders_total{${order}, pod="order-service-0", venue="coinbase", side="buy", outcome="filled"}`]: '0+60x30',
        [`grekko_orders_total{${order}, pod="order-service-0", venue="coinbase", side="sell", outcome="filled"}`]: '0+120x30',
        [`grekko_orders_total{${order}, pod="order-service-0", venue="coinbase", side="sell", outcome="rejected"}`]: '0+6x30',
      },
      queries: [
        {
          at: '10m',
          expr: 'service_venue_outcome:grekko_orders:rate5m',
          samples: [
            { labels: `service_venue_outcome:grekko_orders:rate5m${at(`${order}, venue="coinbase", outcome="filled"`)}`, value: 3 },
            { labels: `service_venue_outcome:grekko_orders:rate5m${at(`${order}, venue="coinbase", outcome="rejected"`)}`, value: 0.1 },
          ],
        },
      ],
    },
    {
      name: 'mean order execution latency is the rate of the sum over the rate of the count: 2 s over 50 orders a minute is 40 ms',
      series: {
        [`grekko_order_execution_duration_seconds_sum{${order}, pod="order-service-0", venue="coinbase", order_type="limit"}`]: '0+2x30',
        [`grekko_order_execution_duration_seconds_count{${order}, pod="order-service-0", venue="coinbase", order_type="limit"}`]: '0+50x30',
      },
      queries: [
        {
          at: '10m',
          expr: 'service_venue:grekko_order_execution_duration_seconds:mean5m',
          samples: [{ labels: `service_venue:grekko_order_execution_duration_seconds:mean5m${at(`${order}, venue="coinbase"`)}`, value: 0.04 }],
        },
      ],
    },
    {
      name: 'node CPU utilisation counts iowait as not busy: CPUs 70% and 50% busy make 60%',
      series: {
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="0", mode="idle"}': '0+12x30',
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="0", mode="iowait"}': '0+6x30',
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="0", mode="user"}': '0+42x30',
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="1", mode="idle"}': '0+30x30',
        'node_cpu_seconds_total{job="node-exporter", node="n1", cpu="1", mode="user"}': '0+30x30',
      },
      queries: [{ at: '10m', expr: 'node:node_cpu_utilisation:ratio_rate5m', samples: [{ labels: 'node:node_cpu_utilisation:ratio_rate5m{node="n1"}', value: 0.6 }] }],
    },
    {
      name: 'node memory utilisation is what is not available: 250 of 1000 bytes available is 75% used',
      series: {
        'node_memory_MemTotal_bytes{job="node-exporter", node="n1"}': '1000x10',
        'node_memory_MemAvailable_bytes{job="node-exporter", node="n1"}': '250x10',
      },
      queries: [{ at: '5m', expr: 'node:node_memory_utilisation:ratio', samples: [{ labels: 'node:node_memory_utilisation:ratio{node="n1"}', value: 0.75 }] }],
    },
    {
      name: 'container usage leaves out the pod-level cgroup series (container="")',
      series: {
        'container_memory_working_set_bytes{job="cadvisor", namespace="grekko", pod="order-service-0", container="order-service"}': '300x10',
        'container_memory_working_set_bytes{job="cadvisor", namespace="grekko", pod="order-service-0", container=""}': '320x10',
        'container_cpu_usage_seconds_total{job="cadvisor", namespace="grekko", pod="order-service-0", container="order-service", cpu="total"}': '0+15x30',
        'container_cpu_usage_seconds_total{job="cadvisor", namespace="grekko", pod="order-service-0", container="", cpu="total"}': '0+16x30',
      },
      queries: [
        {
          at: '10m',
          expr: 'namespace_pod_container:container_memory_working_set_bytes:sum',
          samples: [{ labels: 'namespace_pod_container:container_memory_working_set_bytes:sum{namespace="grekko", pod="order-service-0", container="order-service"}', value: 300 }],
        },
        {
          at: '10m',
          expr: 'namespace_pod_container:container_cpu_usage_seconds:rate5m',
          samples: [{ labels: 'namespace_pod_container:container_cpu_usage_seconds:rate5m{namespace="grekko", pod="order-service-0", container="order-service"}', value: 0.25 }],
        },
      ],
    },
  ],
};
