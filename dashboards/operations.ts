import {
  dashboardLink,
  defineDashboard,
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
import { DASHBOARD_TAG, TRADING_NAMESPACE } from '../metrics/system';
import { CERTIFICATE_EXPIRY_STEPS, ERROR_RATE_STEPS, LATENCY_P95_STEPS, TARGETS_UP_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const sel = 'namespace=~"$namespace", job=~"$service"';
const pods = 'namespace=~"$namespace"';

/** Operations: service status and health, resource utilisation, error rates and alerts, performance trends. */
export const operations = defineDashboard({
  uid: UIDS.operations,
  title: 'Grekko / Operations',
  folder: FOLDERS.grekko,
  tags: [DASHBOARD_TAG, 'operations'],
  source: SOURCE,
  description: 'What is down, what is failing, what is firing, and whether resources or latency are trending the wrong way.',
  linkTag: DASHBOARD_TAG,
  links: [dashboardLink('Kubernetes cluster', UIDS.kubernetes), dashboardLink('Alertmanager', UIDS.alertmanager)],
  annotations: CHANGE_ANNOTATIONS,
  variables: [namespaceVariable('up', TRADING_NAMESPACE), serviceVariable('up')],
  rows: [
    {
      title: 'Service status and health',
      panels: [
        statPanel({
          w: 4,
          h: 6,
          title: 'Targets up',
          unit: 'percentunit',
          thresholds: warnBelow(...TARGETS_UP_STEPS),
          query: q(`sum(up{${sel}}) / count(up{${sel}})`),
        }),
        statPanel({ w: 4, h: 6, title: 'Targets down', unit: 'short', thresholds: warnAt(1, 1), query: q(`count(up{${sel}} == 0) or vector(0)`) }),
        tablePanel({
          w: 16,
          h: 6,
          title: 'Targets down now',
          description: 'Every scrape target of the selected services that failed its last scrape. Runbook: service down.',
          queries: [q(`up{${sel}} == 0`)],
          columns: { job: 'Service', instance: 'Target', pod: 'Pod' },
          hide: ['__name__', 'Value', 'container', 'node', 'service', 'namespace'],
        }),
      ],
    },
    {
      title: 'Error rates and alerts',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'Share of requests failing (5xx) per service',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...ERROR_RATE_STEPS),
          queries: [q(`max by (job) (${SERVICE_RED.errorRatio}{${sel}})`, '{{job}}')],
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Firing alerts',
          links: [dashboardLink('Alertmanager', UIDS.alertmanager)],
          sortBy: 'severity',
          queries: [q('sum by (alertname, severity, namespace, job) (ALERTS{alertstate="firing"})')],
          columns: { alertname: 'Alert', severity: 'Severity', namespace: 'Namespace', job: 'Service', Value: 'Series' },
        }),
      ],
    },
    {
      title: 'Resource utilisation',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'CPU per pod',
          unit: 'cores',
          min: 0,
          queries: [q(`sum by (pod) (namespace_pod_container:container_cpu_usage_seconds:rate5m{${pods}})`, '{{pod}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Memory per pod',
          unit: 'bytes',
          min: 0,
          queries: [q(`sum by (pod) (namespace_pod_container:container_memory_working_set_bytes:sum{${pods}})`, '{{pod}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'CPU throttling per pod',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(0.25, 0.5),
          description: 'Share of scheduling periods in which the pod hit its CPU limit.',
          queries: [
            q(
              `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{${pods}, container!=""}[$__rate_interval])) / sum by (pod) (rate(container_cpu_cfs_periods_total{${pods}, container!=""}[$__rate_interval]))`,
              '{{pod}}',
            ),
          ],
        }),
      ],
    },
    {
      title: 'Performance trends',
      panels: [
        ...redPanels(SERVICE_RED),
        timeSeries({
          w: 12,
          h: 8,
          title: 'p95 latency: this week against last week',
          unit: 's',
          min: 0,
          thresholds: warnAt(...LATENCY_P95_STEPS),
          queries: [
            q(`histogram_quantile(0.95, sum by (le) (${SERVICE_RED.durationBuckets}{${sel}}))`, 'now'),
            q(`histogram_quantile(0.95, sum by (le) (${SERVICE_RED.durationBuckets}{${sel}} offset 1w))`, 'a week ago'),
          ],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Container restarts per hour',
          unit: 'short',
          min: 0,
          queries: [q(`sum by (pod) (increase(kube_pod_container_status_restarts_total{${pods}}[1h])) > 0`, '{{pod}}')],
        }),
      ],
    },
    {
      title: 'Security and agent coordination',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'Authentication failures per second',
          unit: 'short',
          min: 0,
          description: 'A sudden rise is a credential problem or an attack: check the method and the source in the logs.',
          queries: [q(`sum by (job, method) (rate(grekko_auth_attempts_total{${sel}, outcome="failure"}[$__rate_interval]))`, '{{job}} {{method}}')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Agent tasks assigned per second, and waiting',
          unit: 'short',
          queries: [
            q(`sum by (agent) (rate(grekko_agent_tasks_assigned_total{${sel}}[$__rate_interval]))`, '{{agent}}'),
            q(`sum(grekko_agent_tasks_pending{${sel}})`, 'waiting for an agent'),
          ],
        }),
      ],
    },
    {
      title: 'Health checks and synthetic transactions',
      panels: [
        tablePanel({
          w: 8,
          h: 8,
          title: 'Probes failing now',
          description: 'Health and readiness probes of the core services, and the synthetic order, that failed their last run (blackbox exporter).',
          queries: [q('probe_success == 0')],
          columns: { service: 'Service', probe: 'Probe', check: 'Check', instance: 'URL' },
          hide: ['__name__', 'Value', 'job', 'namespace', 'pod', 'container', 'node'],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Synthetic order round trip by phase',
          unit: 's',
          min: 0,
          stack: true,
          description: 'The end-to-end test order (dry run) through the order service: where its time goes.',
          queries: [q('max by (check, phase) (probe_http_duration_seconds{probe="synthetic"})', '{{check}} {{phase}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Probe duration and status',
          unit: 's',
          min: 0,
          queries: [
            q('max by (service, probe) (probe_duration_seconds)', '{{service}} {{probe}}'),
            q('max by (service, probe) (probe_http_status_code >= 400)', '{{service}} {{probe}} HTTP status'),
          ],
        }),
        statPanel({
          w: 24,
          h: 4,
          title: 'Soonest certificate expiry',
          unit: 's',
          thresholds: warnBelow(...CERTIFICATE_EXPIRY_STEPS),
          description: 'Time left before the first certificate of a probed HTTPS endpoint expires.',
          query: q('min(probe_ssl_earliest_cert_expiry - time())'),
        }),
      ],
    },
  ],
});
