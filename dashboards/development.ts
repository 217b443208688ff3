import {
  defineDashboard,
  traceSearchLink,
  labelVariable,
  namespaceVariable,
  q,
  redPanels,
  serviceVariable,
  statPanel,
  tablePanel,
  timeSeries,
  warnAt,
  warnBelow,
} from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, SERVICE_RED, UIDS } from './common';
import { CHANGE_ANNOTATIONS } from './annotations';
import { DASHBOARD_TAG, TRACES_DATASOURCE, TRADING_NAMESPACE } from '../metrics/system';
import { LATENCY_P95_STEPS, ROLLOUTS_IN_PROGRESS_STEPS, TEST_COVERAGE_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const sel = 'namespace=~"$namespace", job=~"$service"';
const ns = 'namespace=~"$namespace"';
const repo = 'repository=~"$repository", branch="main"';

/** Development: rate, errors and duration per service, deployment status, code quality and tests from CI. */
export const development = defineDashboard({
  uid: UIDS.development,
  title: 'Grekko / Development',
  folder: FOLDERS.grekko,
  tags: [DASHBOARD_TAG, 'development', 'ci'],
  source: SOURCE,
  description: 'How each service behaves (RED), what is deployed, and the health of the code on main as CI reports it.',
  linkTag: DASHBOARD_TAG,
  links: [traceSearchLink('Traces of ${service}', TRACES_DATASOURCE, '${service}')],
  annotations: CHANGE_ANNOTATIONS,
  variables: [
    namespaceVariable(SERVICE_RED.requests, TRADING_NAMESPACE),
    serviceVariable(SERVICE_RED.requests),
    labelVariable('repository', 'Repository', 'grekko_ci_tests', 'repository'),
  ],
  rows: [
    {
      title: 'Application metrics',
      panels: [
        ...redPanels(SERVICE_RED),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Busiest routes',
          unit: 'reqps',
          sortBy: 'Value',
          queries: [q(`topk(10, sum by (job, route) (rate(http_requests_total{${sel}}[$__rate_interval])))`)],
          columns: { job: 'Service', route: 'Route', Value: 'Requests/s' },
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Slowest routes (p95)',
          unit: 's',
          sortBy: 'Value',
          thresholds: warnAt(...LATENCY_P95_STEPS),
          queries: [q(`topk(10, histogram_quantile(0.95, sum by (job, route, le) (rate(http_request_duration_seconds_bucket{${sel}}[$__rate_interval]))))`)],
          columns: { job: 'Service', route: 'Route', Value: 'p95' },
        }),
      ],
    },
    {
      title: 'Deployment status',
      panels: [
        tablePanel({
          w: 12,
          h: 8,
          title: 'Deployments: desired, available, up to date',
          queries: [
            q(`kube_deployment_spec_replicas{${ns}}`),
            q(`kube_deployment_status_replicas_available{${ns}}`),
            q(`kube_deployment_status_replicas_updated{${ns}}`),
          ],
          columns: { deployment: 'Deployment', 'Value #A': 'Desired', 'Value #B': 'Available', 'Value #C': 'Up to date' },
          hide: ['__name__', 'namespace', 'job', 'instance', 'pod', 'container', 'node', 'service'],
        }),
        statPanel({
          w: 4,
          h: 8,
          title: 'Rollouts in progress',
          unit: 'short',
          thresholds: warnAt(...ROLLOUTS_IN_PROGRESS_STEPS),
          description: 'Deployments whose controller has not yet acted on the latest spec, or with replicas on an older template.',
          query: q(
            `count((kube_deployment_metadata_generation{${ns}} != kube_deployment_status_observed_generation{${ns}}) or (kube_deployment_status_replicas_updated{${ns}} != kube_deployment_spec_replicas{${ns}})) or vector(0)`,
          ),
        }),
        tablePanel({
          w: 8,
          h: 8,
          title: 'Images running',
          description: 'The image tag of each container is the version deployed.',
          queries: [q(`count by (container, image) (kube_pod_container_info{${ns}})`)],
          columns: { container: 'Container', image: 'Image', Value: 'Pods' },
        }),
      ],
    },
    {
      title: 'Code quality and tests (main branch)',
      panels: [
        statPanel({
          w: 6,
          h: 5,
          title: 'Tests passing',
          unit: 'percentunit',
          thresholds: warnBelow(1, 0.98),
          query: q(`sum(grekko_ci_tests{${repo}, result="passed"}) / sum(grekko_ci_tests{${repo}, result!="skipped"})`),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Line coverage',
          unit: 'percentunit',
          thresholds: warnBelow(...TEST_COVERAGE_STEPS),
          query: q(`min(grekko_ci_test_coverage_ratio{${repo}})`),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Pipelines failing',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q(`count(grekko_ci_pipeline_success{${repo}} == 0) or vector(0)`),
        }),
        statPanel({
          w: 6,
          h: 5,
          title: 'Critical or high vulnerabilities',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q(`sum(grekko_ci_dependency_vulnerabilities{${repo}, severity=~"critical|high"}) or vector(0)`),
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Coverage over time',
          unit: 'percentunit',
          max: 1,
          thresholds: warnBelow(...TEST_COVERAGE_STEPS),
          queries: [q(`grekko_ci_test_coverage_ratio{${repo}}`, '{{repository}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Lint findings by severity',
          unit: 'short',
          stack: true,
          queries: [q(`sum by (severity) (grekko_ci_lint_issues{${repo}})`, '{{severity}}')],
        }),
        tablePanel({
          w: 8,
          h: 8,
          title: 'Last pipeline per repository',
          queries: [
            q(`grekko_ci_pipeline_success{${repo}}`),
            q(`grekko_ci_pipeline_duration_seconds{${repo}}`),
            q(`time() - grekko_ci_pipeline_last_run_timestamp_seconds{${repo}}`),
          ],
          columns: { repository: 'Repository', 'Value #A': 'Passed', 'Value #B': 'Duration (s)', 'Value #C': 'Age (s)' },
          hide: ['__name__', 'branch', 'job', 'instance', 'namespace', 'pod', 'container', 'node', 'service'],
        }),
      ],
    },
  ],
});
