/**
 * Grekko's metrics catalog: every metric a rule or a dashboard may name. Rules naming anything
 * else fail synth; `docs/metrics.md` is generated from it (`npm run docs`).
 */
import { MetricsDocOptions, MetricsIndex } from '../lib/metrics/catalog';
import { DATASTORE_METRICS, KUBERNETES_METRICS, MONITORING_METRICS } from './exporters';
import { TRADING_METRICS } from './trading';
import { CORE_SERVICES, TRADING_NAMESPACE } from './system';
import { LOGGING_METRICS } from './logging';
import { TRACING_METRICS } from './tracing';
import { CI_METRICS, CI_SOURCE } from './ci';
import { THANOS_METRICS, THANOS_SOURCE } from './thanos';

export { TRADING_METRICS } from './trading';
export { CORE_SERVICES, DASHBOARD_TAG, TRACES_DATASOURCE, TRADING_NAMESPACE, TRADING_SERVICES } from './system';

export const METRICS = new MetricsIndex(
  [
    ...TRADING_METRICS,
    ...KUBERNETES_METRICS,
    ...DATASTORE_METRICS,
    ...LOGGING_METRICS,
    ...TRACING_METRICS,
    ...MONITORING_METRICS,
    ...THANOS_METRICS,
    ...CI_METRICS,
  ],
  'metrics catalog (metrics/)',
);

/** Sections of docs/metrics.md: the trading contract first, for the service teams. */
export const METRICS_DOC: Omit<MetricsDocOptions, 'usedBy' | 'generatedBy'> = {
  title: 'Metrics catalog',
  intro: `
Every metric the alert rules and dashboards of this repository use, with its type, unit, labels
and source. Synth fails when a rule names a metric that is not listed here, so this page is also
the contract the trading services must keep.

Prometheus adds the target labels to every series: \`job\`, \`instance\`, \`namespace\`, \`service\`,
\`pod\` (and \`container\`, \`node\` where known). Labels in the tables are the ones the metric carries
itself.`,
  sections: [
    {
      title: 'Trading services: the contract',
      intro: `
Each core trading service (${CORE_SERVICES.map((s) => `\`${s}\``).join(', ')}) runs in the
\`${TRADING_NAMESPACE}\` namespace behind a Service annotated \`prometheus.io/scrape: "true"\` (with
\`prometheus.io/port\`) and labelled \`app.kubernetes.io/name: <service>\`, which becomes the \`job\`
label. Counters end in \`_total\`, durations are in seconds, money in US dollars, ratios are
fractions (0.05, not 5).`,
      sources: ['every trading service', ...CORE_SERVICES, 'backup jobs', 'integrity checker'],
    },
    { title: 'Kubernetes', sources: ['node-exporter', 'kube-state-metrics', 'cadvisor', 'kubelet', 'apiserver'] },
    {
      title: 'Databases, message bus and probes',
      sources: ['postgres-exporter', 'redis-exporter', 'influxdb', 'kafka-exporter', 'elasticsearch-exporter', 'blackbox-exporter'],
    },
    { title: 'The logging pipeline', sources: ['fluentd'] },
    { title: 'Tracing', sources: [...new Set(TRACING_METRICS.map((m) => m.source))] },
    { title: 'The monitoring stack', sources: ['prometheus (every scrape target)', 'prometheus', 'alertmanager'] },
    {
      title: 'Thanos: long-term storage and the deduplicated query view',
      intro: `
Staging and production only. Scrape jobs \`thanos-sidecar\` (the sidecar in each Prometheus pod),
\`thanos-query\`, \`thanos-store\` and \`thanos-compact\`; \`job\` tells which component a series
comes from, since several share a family (\`thanos_objstore_*\`, \`grpc_server_*\`).`,
      sources: [THANOS_SOURCE],
    },
    {
      title: 'CI: code quality and tests',
      intro: `
CI cannot be scraped, so it pushes. At the end of every pipeline run on the default branch, the
pipeline of each trading-system repository pushes these gauges to the stack's Pushgateway
(\`pushgateway\` Service, port 9091) under the grouping key \`job="ci"\`, \`repository\`, \`branch\`,
replacing the values of its previous run:

\`\`\`sh
cat <<METRICS | curl --fail -X PUT --data-binary @- \\
  "http://pushgateway.monitoring.svc:9091/metrics/job/ci/repository/order-service/branch/main"
# TYPE grekko_ci_tests gauge
grekko_ci_tests{result="passed"} 412
grekko_ci_tests{result="failed"} 0
grekko_ci_tests{result="skipped"} 3
# TYPE grekko_ci_test_coverage_ratio gauge
grekko_ci_test_coverage_ratio 0.87
# TYPE grekko_ci_pipeline_success gauge
grekko_ci_pipeline_success 1
# TYPE grekko_ci_pipeline_duration_seconds gauge
grekko_ci_pipeline_duration_seconds 318
# TYPE grekko_ci_pipeline_last_run_timestamp_seconds gauge
grekko_ci_pipeline_last_run_timestamp_seconds $(date +%s)
# TYPE grekko_ci_lint_issues gauge
grekko_ci_lint_issues{severity="error"} 0
grekko_ci_lint_issues{severity="warning"} 7
# TYPE grekko_ci_dependency_vulnerabilities gauge
grekko_ci_dependency_vulnerabilities{severity="critical"} 0
grekko_ci_dependency_vulnerabilities{severity="high"} 1
METRICS
\`\`\`

Keep the \`# TYPE\` lines: the Pushgateway exposes a pushed metric without one as \`untyped\`, not as
the gauge this catalog lists. Prometheus scrapes the Pushgateway with \`honor_labels: true\`, so
the pushed \`job\`, \`repository\` and \`branch\` labels are kept. The Development dashboard reads
them.`,
      sources: [CI_SOURCE],
    },
  ],
};
