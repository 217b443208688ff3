import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { TRADING_NAMESPACE } from '../metrics/system';

const ksm = 'job="kube-state-metrics", service="kube-state-metrics", instance="10.0.0.9:8080"';
const order = `namespace="${TRADING_NAMESPACE}", job="order-service", service="order-service", pod="order-service-0"`;
const orderLabels = { namespace: 'grekko', job: 'order-service', service: 'order-service' };

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: 'a Deployment rollout informs for 10 minutes',
      series: { [`kube_deployment_metadata_generation{${ksm}, namespace="${TRADING_NAMESPACE}", deployment="order-service"}`]: '4x10 5x30' },
      alerts: [
        { at: '9m', alert: 'TradingServiceDeployed', fires: [] },
        { at: '12m', alert: 'TradingServiceDeployed', fires: [{ labels: { namespace: 'grekko', deployment: 'order-service' }, value: 1 }] },
        { at: '25m', alert: 'TradingServiceDeployed', fires: [] },
      ],
    },
    {
      name: 'a StatefulSet rollout informs; one outside the trading namespace does not',
      series: {
        [`kube_statefulset_metadata_generation{${ksm}, namespace="${TRADING_NAMESPACE}", statefulset="risk-service"}`]: '1x5 2x10',
        [`kube_statefulset_metadata_generation{${ksm}, namespace="other", statefulset="x"}`]: '1x5 2x10',
      },
      alerts: [{ at: '8m', alert: 'TradingServiceDeployed', fires: [{ labels: { namespace: 'grekko', statefulset: 'risk-service' }, value: 1 }] }],
    },
    {
      name: 'an edited ConfigMap informs; an untouched one does not',
      series: {
        [`kube_configmap_metadata_resource_version{${ksm}, namespace="${TRADING_NAMESPACE}", configmap="order-limits"}`]: '1000x5 1042x10',
        [`kube_configmap_metadata_resource_version{${ksm}, namespace="${TRADING_NAMESPACE}", configmap="static"}`]: '7x15',
      },
      alerts: [
        { at: '4m', alert: 'TradingConfigurationChanged', fires: [] },
        { at: '8m', alert: 'TradingConfigurationChanged', fires: [{ labels: { namespace: 'grekko', configmap: 'order-limits' }, value: 1 }] },
      ],
    },
    {
      name: 'a Prometheus reload informs',
      series: { 'prometheus_config_last_reload_success_timestamp_seconds{namespace="monitoring", job="prometheus", pod="prometheus-0"}': '100x5 400x10' },
      alerts: [
        { at: '4m', alert: 'MonitoringConfigurationReloaded', fires: [] },
        { at: '8m', alert: 'MonitoringConfigurationReloaded', fires: [{ labels: { namespace: 'monitoring', job: 'prometheus' }, value: 1 }] },
      ],
    },
    {
      name: 'a maintenance window informs while it lasts',
      series: { [`grekko_maintenance_mode{${order}}`]: '0 0 1 1 1 0' },
      alerts: [
        { at: '1m', alert: 'ScheduledMaintenance', fires: [] },
        { at: '3m', alert: 'ScheduledMaintenance', fires: [{ labels: orderLabels }] },
        { at: '5m', alert: 'ScheduledMaintenance', fires: [] },
      ],
    },
    {
      name: 'a cordoned node informs',
      series: { [`kube_node_spec_unschedulable{${ksm}, node="n1"}`]: '0 0 1 1' },
      alerts: [
        { at: '1m', alert: 'NodeCordoned', fires: [] },
        { at: '3m', alert: 'NodeCordoned', fires: [{ labels: { node: 'n1' } }] },
      ],
    },
    {
      name: 'a changed latency budget informs; steady thresholds do not',
      series: {
        [`grekko_performance_threshold{${order}, threshold="order_latency_budget_seconds"}`]: '0.05x5 0.08x10',
        [`grekko_performance_threshold{${order}, threshold="max_slippage_ratio"}`]: '0.005x15',
      },
      alerts: [
        { at: '4m', alert: 'PerformanceThresholdChanged', fires: [] },
        { at: '8m', alert: 'PerformanceThresholdChanged', fires: [{ labels: { ...orderLabels, threshold: 'order_latency_budget_seconds' }, value: 1 }] },
      ],
    },
  ],
};
