/**
 * Thanos alerts: long-term storage (sidecar uploads, the bucket, the compactor) and the
 * deduplicated query view (Thanos Query and the store gateway it reads old blocks through).
 *
 * None of them pages. The strategy's critical alerts are a trading service down, a database
 * unreachable, risk, security, and data lost or corrupted. Nothing here stops trading or alerting:
 * Prometheus evaluates every rule and Grafana reads Prometheus itself, and a block that did not
 * reach the bucket is still on Prometheus's disk until its retention deletes it, days later. Each
 * is a warning: a ticket to fix within the working day, before a risk becomes a loss.
 *
 * Scrape jobs `thanos-sidecar` (in each Prometheus pod), `thanos-query`, `thanos-store` and
 * `thanos-compact`, in the stack's namespace. Where Thanos does not run there is no series of
 * these jobs, and no alert here can fire: none reads the absence of a series.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';
import { formatDuration, percent, seconds } from '../lib/core/units';
import { ERROR_RATE, THANOS_COMPACT_ITERATION_MAX_AGE, THANOS_UPLOAD_MAX_AGE } from './thresholds';

const SOURCE = moduleSource(__filename);

const SIDECAR = 'job="thanos-sidecar"';
const QUERY = 'job="thanos-query"';
const STORE = 'job="thanos-store"';
const COMPACT = 'job="thanos-compact"';
/** The components that read or write the bucket. */
const BUCKET_CLIENTS = 'job=~"thanos-sidecar|thanos-store|thanos-compact"';
/** gRPC codes that mean the called side failed, not that the call was wrong or cancelled; the dashboard reads them too. */
export const SERVER_SIDE_CODES = 'grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"';

/**
 * How long the rules remember a target or an upload: a component whose pods are all gone has no
 * `up` series left, and a restarted sidecar reports no upload until its next block; looking back
 * a day keeps both in view without ever reading the absence of a series.
 */
const MEMORY = '1d';

/** Jobs that had scrape targets in the last day and have none up now (all down, or all pods gone). */
const noneUp = (job: string) => `count by (namespace, job) (max_over_time(up{${job}}[${MEMORY}]))\nunless\ncount by (namespace, job) (up{${job}} == 1)`;

const range = (secs: number) => formatDuration(secs * 1000);

export const thanos: RuleGroup = {
  name: 'thanos',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'ThanosSidecarPrometheusUnreachable',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: `thanos_sidecar_prometheus_up{${SIDECAR}} == 0`,
      for: '5m',
      summary: 'The Thanos sidecar in {{ $labels.pod }} cannot reach its Prometheus',
      description:
        'For 5 minutes the heartbeat of the sidecar to the Prometheus in the same pod has failed. Thanos Query gets no recent data of this replica through it, so the deduplicated view rests on the other replica, or has a gap. A warning: Prometheus itself, its rules and the dashboards are not affected.',
      runbook: 'docs/runbooks/thanos-sidecar.md#prometheus-unreachable',
    },
    {
      alert: 'ThanosSidecarUploadFailures',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: `sum by (namespace, pod) (rate(thanos_shipper_upload_failures_total{${SIDECAR}}[5m])) > 0`,
      for: '15m',
      summary: 'The Thanos sidecar in {{ $labels.pod }} fails to upload blocks',
      description:
        'For 15 minutes the sidecar has failed to ship TSDB blocks to the bucket; it retries at every sync. Until it succeeds those blocks exist only on the Prometheus disk and are lost when its retention deletes them: a risk of losing long-term data, a warning, not yet a loss.',
      runbook: 'docs/runbooks/thanos-sidecar.md#upload-failures',
    },
    {
      alert: 'ThanosSidecarNoUpload',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      // The newest upload time seen in a day, zeros left out: a restarted sidecar reports 0 until
      // its next block, and that 0 must neither fire nor hide the upload before the restart.
      expr: `time() - max by (namespace, pod) (max_over_time(thanos_objstore_bucket_last_successful_upload_time{${SIDECAR}}[${MEMORY}]) > 0)\n> ${THANOS_UPLOAD_MAX_AGE / 3600} * 3600`,
      summary: 'No block from {{ $labels.pod }} has reached the bucket for {{ $value | humanizeDuration }}',
      description: `The sidecar has uploaded no block for more than ${seconds(THANOS_UPLOAD_MAX_AGE)}, while Prometheus cuts one every 2 hours. Those blocks are only on the Prometheus disk and are lost when its retention deletes them: a risk to long-term data, a warning.`,
      runbook: 'docs/runbooks/thanos-sidecar.md#no-upload',
    },
    {
      alert: 'ThanosBucketOperationsFailing',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: [
        `sum by (namespace, job) (rate(thanos_objstore_bucket_operation_failures_total{${BUCKET_CLIENTS}}[5m]))`,
        '/',
        `sum by (namespace, job) (rate(thanos_objstore_bucket_operations_total{${BUCKET_CLIENTS}}[5m]))`,
        `> ${ERROR_RATE}`,
      ].join('\n'),
      for: '15m',
      summary: '{{ $labels.job }} sees {{ $value | humanizePercentage }} of its bucket operations fail',
      description: `For 15 minutes more than ${percent(ERROR_RATE)} of the object-storage operations of this component have failed: uploads (sidecar), block reads (store gateway) or compaction (compactor) stall. A warning: nothing in the bucket is lost yet.`,
      runbook: 'docs/runbooks/thanos-bucket.md',
    },
    {
      alert: 'ThanosCompactHalted',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: `thanos_compact_halted{${COMPACT}} == 1`,
      for: '5m',
      summary: 'The Thanos compactor {{ $labels.pod }} has halted',
      description:
        'The compactor met an error it does not retry (overlapping or corrupt blocks, most often) and stopped working while staying up. No compaction, downsampling or retention runs: the bucket grows and long-range queries slow down. A warning: no data is lost while it is halted.',
      runbook: 'docs/runbooks/thanos-compact.md#halted',
    },
    {
      alert: 'ThanosCompactDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: noneUp(COMPACT),
      for: '15m',
      summary: 'The Thanos compactor in {{ $labels.namespace }} is not running',
      description:
        'For 15 minutes no compactor target has been up, where one was in the last day. Compaction, downsampling and retention wait: the bucket grows. A warning: the data in the bucket is untouched.',
      runbook: 'docs/runbooks/thanos-compact.md#not-running',
    },
    {
      alert: 'ThanosCompactNotCompleting',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      // Only for a compactor that has been scraped for the whole window (a new one has not had the
      // time), and not while it is halted (ThanosCompactHalted says so).
      expr: [
        `max by (namespace, pod) (increase(thanos_compact_iterations_total{${COMPACT}}[${range(THANOS_COMPACT_ITERATION_MAX_AGE)}])) == 0`,
        `and on (namespace, pod) max by (namespace, pod) (thanos_compact_iterations_total{${COMPACT}} offset ${range(THANOS_COMPACT_ITERATION_MAX_AGE)})`,
        `unless on (namespace, pod) thanos_compact_halted{${COMPACT}} == 1`,
      ].join('\n'),
      summary: 'The Thanos compactor {{ $labels.pod }} has completed no iteration for ' + seconds(THANOS_COMPACT_ITERATION_MAX_AGE),
      description: `The compactor is running but has not finished a compaction iteration in ${seconds(THANOS_COMPACT_ITERATION_MAX_AGE)}: it fails and retries, restarts before finishing, or is stuck. Compaction, downsampling and retention wait. A warning: the data in the bucket is untouched.`,
      runbook: 'docs/runbooks/thanos-compact.md#not-completing',
    },
    {
      alert: 'ThanosStoreDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: noneUp(STORE),
      for: '5m',
      summary: 'The Thanos store gateway in {{ $labels.namespace }} is down',
      description:
        'For 5 minutes no store gateway target has been up, where one was in the last day. Thanos Query answers from the sidecars only: nothing older than the Prometheus retention. A warning: Prometheus, its rules and the dashboards are not affected, and the bucket is untouched.',
      runbook: 'docs/runbooks/thanos-query.md#store-gateway-down',
    },
    {
      alert: 'ThanosQueryDown',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: noneUp(QUERY),
      for: '5m',
      summary: 'No Thanos Query instance is up in {{ $labels.namespace }}',
      description:
        'For 5 minutes no Thanos Query target has been up, where one was in the last day: the deduplicated view over both Prometheus replicas and the bucket cannot be queried. A warning, not a page, even in production: alert rules run in Prometheus and Grafana reads Prometheus directly, so no trading service, alert or dashboard depends on it, and no data is lost.',
      runbook: 'docs/runbooks/thanos-query.md#query-down',
    },
    {
      alert: 'ThanosQueryStoreApiErrors',
      severity: 'warning',
      dashboard: DASHBOARD_UIDS.thanos,
      expr: [
        `sum by (namespace, job) (rate(grpc_client_handled_total{${QUERY}, ${SERVER_SIDE_CODES}}[5m]))`,
        '/',
        `sum by (namespace, job) (rate(grpc_client_handled_total{${QUERY}}[5m]))`,
        `> ${ERROR_RATE}`,
      ].join('\n'),
      for: '10m',
      summary: 'Thanos Query sees {{ $value | humanizePercentage }} of its Store API calls fail',
      description: `For 10 minutes more than ${percent(ERROR_RATE)} of the gRPC calls Thanos Query makes to the sidecars and the store gateway have ended with a code that means the called side failed (Unavailable, Internal, DeadlineExceeded and the like). Query results are partial: series of a replica or of the bucket are missing. A warning, as ThanosQueryDown.`,
      runbook: 'docs/runbooks/thanos-query.md#store-api-errors',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([thanos]);
