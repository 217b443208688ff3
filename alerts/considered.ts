/**
 * Every alert of the lists a seasoned SRE measures a Kubernetes monitoring stack against, and what
 * this stack decided about it: the mixins kube-prometheus renders (node, kubernetes,
 * alertmanager, prometheus, kube-state-metrics, prometheus-operator, grafana, and its own general
 * rules) and the well-known sets of the blackbox, postgres, redis and kafka exporters. Each is
 * adopted (written anew here, under our name, with our threshold), covered by alerts we already
 * have, or declined: nothing in this stack for it to watch, or noise for a trading system.
 *
 * Read at the refs that match the versions lib/core/images.ts pins. The expressions and words of
 * our alerts are our own; only the upstream names are recorded here, so that a reviewer can hold
 * the list against its source. docs/alerts.md renders it (`npm run docs`); test/considered.test.ts
 * holds it complete and every name it gives of ours to an alert that exists.
 */
import { millis, percent } from '../lib/core/units';
import type { ConsideredAlert, Decision, UpstreamList } from '../lib/rules/docs';
import { CLOCK_OFFSET, ORDER_EXECUTION_MEAN, UTILISATION } from './thresholds';

/** kube-prometheus v0.16.0 pins Prometheus 3.5.0, Alertmanager 0.28.1, kube-state-metrics 2.16.0, node-exporter 1.9.1 and blackbox_exporter 0.27.0: the versions of lib/core/images.ts. */
const KP_REF = 'v0.16.0';
const KP_LOCK = 'locked by kube-prometheus v0.16.0 (jsonnetfile.lock.json), whose pinned versions are ours';
const K8S_MIXIN_REF = '7218cf5c216d806ef27ad2d6418ece021fbe80cf';
const KP_MAIN_REF = '4d719f1dea8853540b3823ab1fbe6be74a9953b3';

const kubernetesMixin = (file: string): UpstreamList => ({
  name: `kubernetes-mixin ${file}`,
  repository: 'kubernetes-monitoring/kubernetes-mixin',
  path: `alerts/${file}.libsonnet`,
  ref: K8S_MIXIN_REF,
  refNote: KP_LOCK,
});
const awesome = (exporter: string): UpstreamList => ({
  name: `awesome-prometheus-alerts ${exporter}`,
  repository: 'samber/awesome-prometheus-alerts',
  path: `_data/rules.yml (${exporter})`,
  ref: 'a8533189af0246de5e21a6d8d25bd37816894f07',
  refNote: 'the list has no releases; the commit read, written for the exporter whose metrics this stack scrapes',
});

export const LISTS = {
  node: {
    name: 'node-mixin',
    repository: 'prometheus/node_exporter',
    path: 'docs/node-mixin/alerts/alerts.libsonnet',
    ref: 'v1.9.1',
    refNote: 'the node-exporter tag the stack pins',
  },
  apps: kubernetesMixin('apps_alerts'),
  resources: kubernetesMixin('resource_alerts'),
  storage: kubernetesMixin('storage_alerts'),
  system: kubernetesMixin('system_alerts'),
  apiserver: kubernetesMixin('kube_apiserver'),
  kubelet: kubernetesMixin('kubelet'),
  scheduler: kubernetesMixin('kube_scheduler'),
  controllerManager: kubernetesMixin('kube_controller_manager'),
  alertmanager: {
    name: 'alertmanager-mixin',
    repository: 'prometheus/alertmanager',
    path: 'doc/alertmanager-mixin/alerts.libsonnet',
    ref: 'v0.28.1',
    refNote: 'the Alertmanager tag the stack pins',
  },
  prometheus: {
    name: 'prometheus-mixin',
    repository: 'prometheus/prometheus',
    path: 'documentation/prometheus-mixin/alerts.libsonnet',
    ref: 'v3.5.0',
    refNote: 'the Prometheus tag the stack pins (kube-prometheus leaves out its three HA-group alerts; they are here)',
  },
  kubeStateMetrics: {
    name: 'kube-state-metrics-mixin',
    repository: 'kubernetes/kube-state-metrics',
    path: 'jsonnet/kube-state-metrics-mixin/alerts.libsonnet',
    ref: 'v2.16.0',
    refNote: 'the kube-state-metrics tag the stack pins',
  },
  kubePrometheusGeneral: {
    name: 'kube-prometheus general',
    repository: 'prometheus-operator/kube-prometheus',
    path: 'jsonnet/kube-prometheus/components/mixin/alerts/general.libsonnet',
    ref: KP_REF,
    refNote: 'the release whose pinned versions are ours',
  },
  kubePrometheusNode: {
    name: 'kube-prometheus node',
    repository: 'prometheus-operator/kube-prometheus',
    path: 'jsonnet/kube-prometheus/components/mixin/alerts/node.libsonnet',
    ref: KP_REF,
    refNote: 'the release whose pinned versions are ours',
  },
  kubePrometheusMain: {
    name: 'kube-prometheus main (added after v0.16.0)',
    repository: 'prometheus-operator/kube-prometheus',
    path: 'manifests/*-prometheusRule.yaml',
    ref: KP_MAIN_REF,
    refNote: 'the rendered manifests of main list 139 rules; these five names are the ones v0.16.0 does not have yet',
  },
  prometheusOperator: {
    name: 'prometheus-operator mixin',
    repository: 'prometheus-operator/prometheus-operator',
    path: 'jsonnet/mixin/alerts/alerts.libsonnet',
    ref: 'ca4b38b8c7de21cb2d07c6981bfaa46cb5eea8eb',
    refNote: `${KP_LOCK}; read in the release's rendered manifests/prometheusOperator-prometheusRule.yaml`,
  },
  grafana: {
    name: 'grafana-mixin',
    repository: 'grafana/grafana',
    path: 'grafana-mixin/alerts/alerts.libsonnet',
    ref: '3cdec6626521b1126db47c3b816ffdc485f1291f',
    refNote: `${KP_LOCK}; read in the release's rendered manifests/grafana-prometheusRule.yaml`,
  },
  blackbox: awesome('blackbox_exporter'),
  postgres: awesome('postgres_exporter'),
  redis: awesome('redis_exporter'),
  kafka: awesome('kafka_exporter (danielqsj)'),
} satisfies Record<string, UpstreamList>;

const covered = (by: string | readonly string[], note?: string): Decision => ({ kind: 'covered', by: typeof by === 'string' ? [by] : by, note });
const notApplicable = (why: string): Decision => ({ kind: 'declined', reason: 'not applicable', why });
const noise = (why: string): Decision => ({ kind: 'declined', reason: 'noise', why });
const adopted = (as: string | readonly string[], threshold: string, why: string): Decision => ({
  kind: 'adopted',
  as: typeof as === 'string' ? [as] : as,
  threshold,
  why,
});

const NO_CONTROL_PLANE_JOB =
  'no scrape job reads the scheduler or the controller manager (the stack scrapes the API server, kubelets and cAdvisor); they belong to whoever runs the cluster, and on managed clusters are not reachable';
const NO_OPERATOR = 'the stack renders plain manifests with cdk8s; no Prometheus Operator runs';
const NO_REMOTE_WRITE =
  'Prometheus does not remote-write: long-term storage is Thanos, whose sidecar uploads blocks (ThanosSidecarUploadFailures, ThanosSidecarNoUpload)';
const NO_HPA = 'no workload of the stack or of the trading namespace is scaled by a HorizontalPodAutoscaler: replica counts are fixed in the profiles';
const CLOCK = adopted(
  'NodeClockSkew',
  `|offset| > ${millis(CLOCK_OFFSET)} for 5m (CLOCK_OFFSET)`,
  `money moves on timestamps: order latency, slippage windows and market-data age are differences of stamps taken on different nodes. A fifth of the ${millis(ORDER_EXECUTION_MEAN)} order objective; the mixin's line is as wide as the whole objective`,
);
const REPLICAS = adopted(
  'KubeWorkloadReplicasUnavailable',
  'any replica short for 15m',
  'the trading services and the HA pairs of the stack run several replicas so that a node loss or a rollout costs nothing; fewer than asked means that promise is gone before anything is down',
);

/** The opening of the section of docs/alerts.md that lists these decisions. */
export const CONSIDERED_INTRO = `
The alerts a Kubernetes monitoring stack is usually measured against, each decided here: the
mixins kube-prometheus renders and the well-known sets of the blackbox, postgres, redis and kafka
exporters, read at the refs that match the pinned versions. **Adopted** alerts were written anew
for this stack, under the name shown, with their own threshold and tests; **covered** ones detect
what alerts above already detect; **declined** ones have nothing in this stack to watch (not
applicable) or would page a trading desk for what is no incident (noise). The list is
\`alerts/considered.ts\`; test/considered.test.ts holds it complete.`;

/** The same decision, for the same reason, as an alert listed before it in the same list. */
interface SameAs {
  readonly sameAs: string;
}
const sameAs = (name: string): SameAs => ({ sameAs: name });

type Entry = readonly [name: string, decision: Decision | SameAs];

function from(list: UpstreamList, entries: readonly Entry[]): ConsideredAlert[] {
  const out: ConsideredAlert[] = [];
  for (const [name, d] of entries) {
    const decision = 'sameAs' in d ? out.find((c) => c.name === d.sameAs)?.decision : d;
    if (!decision) throw new Error(`alerts/considered.ts: ${name} of ${list.name} is decided "same as ${(d as SameAs).sameAs}", which is not listed before it`);
    out.push({ name, list, decision });
  }
  return out;
}

export const CONSIDERED: readonly ConsideredAlert[] = [
  ...from(LISTS.node, [
    ['NodeFilesystemSpaceFillingUp', covered('NodeDiskSpaceHigh', `a fixed ${percent(UTILISATION)} line for 15 minutes, the strategy's utilisation threshold`)],
    ['NodeFilesystemAlmostOutOfSpace', covered('NodeDiskSpaceHigh')],
    [
      'NodeFilesystemFilesFillingUp',
      noise('inode exhaustion on container hosts with a few large data volumes is rare; the volumes are watched by size (PersistentVolumeFillingUp)'),
    ],
    ['NodeFilesystemAlmostOutOfFiles', sameAs('NodeFilesystemFilesFillingUp')],
    [
      'NodeNetworkReceiveErrs',
      noise(
        'interface error counters are not in the catalog; lost packets reach the services as errors and latency, which are alerted where they hurt (HighErrorRate, HighLatencyP95)',
      ),
    ],
    ['NodeNetworkTransmitErrs', sameAs('NodeNetworkReceiveErrs')],
    [
      'NodeHighNumberConntrackEntriesUsed',
      noise('a full conntrack table shows as failed connections, which DatabaseConnectionFailures, HighErrorRate and the probes catch with the service named'),
    ],
    ['NodeTextFileCollectorScrapeError', notApplicable('node-exporter runs without a textfile directory: nothing writes .prom files on the nodes')],
    ['NodeClockSkewDetected', CLOCK],
    [
      'NodeClockNotSynchronising',
      adopted(
        'NodeClockNotSynchronised',
        'sync status 0 through 5m, for 10m',
        'a clock without its time source drifts by milliseconds an hour; warned before NodeClockSkew follows',
      ),
    ],
    [
      'NodeRAIDDegraded',
      notApplicable(
        "the data of the stack lives on PersistentVolumes (PersistentVolumeFillingUp) and in the databases; disks and RAID of the nodes are the cluster owner's, and node_md_* is not in the catalog",
      ),
    ],
    ['NodeRAIDDiskFailure', sameAs('NodeRAIDDegraded')],
    [
      'NodeFileDescriptorLimit',
      noise('containers hit their own limits, not the node-wide one; a service out of descriptors fails its requests (HighErrorRate) or restarts'),
    ],
    ['NodeCPUHighUsage', covered('NodeCPUHigh')],
    ['NodeSystemSaturation', covered('NodeCPUHigh', 'load per core is on the Kubernetes dashboard')],
    ['NodeMemoryMajorPagesFaults', noise('nodes run without swap; memory pressure shows as NodeMemoryHigh and OOM kills')],
    ['NodeMemoryHighUtilization', covered('NodeMemoryHigh')],
    ['NodeDiskIOSaturation', noise('disk busy time is charted; the databases say they are slow first (PostgresSlowQueries, SLO burn)')],
    ['NodeSystemdServiceFailed', notApplicable("node-exporter runs without the systemd collector; the operating system of the nodes is the cluster owner's")],
    ['NodeSystemdServiceCrashlooping', sameAs('NodeSystemdServiceFailed')],
    ['NodeBondingDegraded', notApplicable("node network links are the cluster owner's, and node_bonding_* is not in the catalog")],
  ]),
  ...from(LISTS.kubePrometheusNode, [
    ['NodeNetworkInterfaceFlapping', noise('virtual interfaces of pods come and go with every pod; a real link flap shows as probe and scrape failures')],
  ]),
  ...from(LISTS.kubePrometheusGeneral, [
    ['TargetDown', covered('PrometheusScrapeTargetsDown')],
    ['Watchdog', covered('Watchdog')],
    ['InfoInhibitor', notApplicable('infos here never page and go to a quiet channel; there is nothing for an inhibitor to hold back')],
  ]),
  ...from(LISTS.apps, [
    ['KubePodCrashLooping', covered('KubePodCrashLooping')],
    ['KubePodNotReady', covered(['KubePodPending', 'ServiceNotReady', 'KubeWorkloadReplicasUnavailable'])],
    ['KubeDeploymentGenerationMismatch', covered('KubeWorkloadReplicasUnavailable', 'a rollout that fails leaves replicas unavailable')],
    ['KubeDeploymentReplicasMismatch', REPLICAS],
    ['KubeDeploymentRolloutStuck', covered('KubeWorkloadReplicasUnavailable')],
    ['KubeStatefulSetReplicasMismatch', REPLICAS],
    ['KubeStatefulSetGenerationMismatch', covered('KubeWorkloadReplicasUnavailable')],
    ['KubeStatefulSetUpdateNotRolledOut', covered('KubeWorkloadReplicasUnavailable')],
    [
      'KubeDaemonSetRolloutStuck',
      covered(['FluentdNotRunningOnNode', 'PrometheusScrapeTargetsDown'], 'the two DaemonSets are Fluentd and node-exporter, each watched per node'),
    ],
    ['KubeDaemonSetNotScheduled', covered(['FluentdNotRunningOnNode', 'PrometheusScrapeTargetsDown'])],
    ['KubeDaemonSetMisScheduled', noise('a DaemonSet pod on a node it should leave does no harm here; the per-node alerts catch missing ones')],
    ['KubeContainerWaiting', covered(['KubePodPending', 'KubePodCrashLooping'])],
    [
      'KubeJobNotCompleted',
      covered(
        ['ElasticsearchDiskAboveLowWatermark', 'FluentdOutputErrors', 'ElasticsearchUnreachable'],
        "the stack's jobs are the Jaeger index clean-up, whose failure shows as Elasticsearch filling up, and the run-once Elasticsearch and Kibana setup Jobs, which create the users Fluentd and the exporter log in as; the trading system's backups report their own outcome (BackupFailed)",
      ),
    ],
    ['KubeJobFailed', sameAs('KubeJobNotCompleted')],
    ['KubeHpaReplicasMismatch', notApplicable(NO_HPA)],
    ['KubeHpaMaxedOut', notApplicable(NO_HPA)],
    [
      'KubePdbNotEnoughHealthyPods',
      covered('KubeWorkloadReplicasUnavailable', 'every PodDisruptionBudget here selects the pods of one Deployment or StatefulSet'),
    ],
  ]),
  ...from(LISTS.resources, [
    ['KubeCPUOvercommit', covered('KubeClusterRequestsHigh', `warns at ${percent(UTILISATION)} of allocatable, before a lost node leaves pods unschedulable`)],
    ['KubeMemoryOvercommit', covered('KubeClusterRequestsHigh')],
    ['KubeCPUQuotaOvercommit', noise('quotas are set per namespace by their owners; KubeQuotaAlmostFull says when one will refuse pods')],
    ['KubeMemoryQuotaOvercommit', sameAs('KubeCPUQuotaOvercommit')],
    ['KubeQuotaAlmostFull', covered('KubeQuotaAlmostFull')],
    ['KubeQuotaFullyUsed', covered('KubeQuotaAlmostFull')],
    ['KubeQuotaExceeded', covered('KubeQuotaAlmostFull')],
    ['CPUThrottlingHigh', covered('KubeContainerCPUNearLimit', 'throttling follows from use near the limit; the throttled share itself is charted')],
  ]),
  ...from(LISTS.storage, [
    ['KubePersistentVolumeFillingUp', covered('PersistentVolumeFillingUp')],
    ['KubePersistentVolumeInodesFillingUp', noise('the volumes hold databases and indices of few large files')],
    [
      'KubePersistentVolumeErrors',
      covered(['KubePodPending', 'KubeWorkloadReplicasUnavailable'], 'a volume that fails to bind or attach keeps its pod from starting'),
    ],
  ]),
  ...from(LISTS.system, [
    ['KubeVersionMismatch', noise("a version skew during an upgrade of the cluster is expected and brief; the upgrade is the cluster owner's")],
    [
      'KubeClientErrors',
      noise('a client failing against the API server is blind to objects; the components that matter say so (SLI-absent alerts, scrape failures)'),
    ],
  ]),
  ...from(LISTS.apiserver, [
    [
      'KubeAPIErrorBudgetBurn',
      notApplicable("the API server's objective belongs to whoever runs the cluster; its request rate and latency are charted for context"),
    ],
    [
      'KubeClientCertificateExpiration',
      notApplicable(
        'apiserver_client_certificate_expiration_seconds is not in the catalog; certificates of the control plane belong to whoever runs the cluster. The certificates the trading system depends on are probed (TLSCertificateExpiresSoon)',
      ),
    ],
    ['KubeAggregatedAPIErrors', notApplicable('no aggregated API is installed by the stack')],
    ['KubeAggregatedAPIDown', sameAs('KubeAggregatedAPIErrors')],
    ['KubeAPIDown', covered('PrometheusScrapeTargetsDown', 'the apiserver job is scraped and counted with the others')],
    [
      'KubeAPITerminatedRequests',
      notApplicable('API server flow control belongs to whoever runs the cluster; apiserver_request_terminations_total is not in the catalog'),
    ],
  ]),
  ...from(LISTS.kubelet, [
    ['KubeNodeNotReady', covered('KubeNodeNotReady')],
    ['KubeNodePressure', covered(['NodeMemoryHigh', 'NodeDiskSpaceHigh'], 'pressure conditions are on the Kubernetes dashboard')],
    ['KubeNodeUnreachable', covered('KubeNodeNotReady')],
    [
      'KubeletTooManyPods',
      noise('a node at its pod limit takes no new pods, which then stay Pending (KubePodPending): the symptom is alerted, the count per node is charted'),
    ],
    ['KubeNodeReadinessFlapping', covered('KubeNodeNotReady')],
    ['KubeNodeEviction', covered(['KubePodPending', 'KubeWorkloadReplicasUnavailable'])],
    ['KubeletPlegDurationHigh', noise('a slow kubelet shows as a node going NotReady (KubeNodeNotReady); the PLEG histogram is not scraped')],
    [
      'KubeletPodStartUpLatencyHigh',
      covered('SLOServiceRecoveryErrorBudgetBurnSlow', 'the recovery objective measures how long a trading service takes to come back'),
    ],
    [
      'KubeletClientCertificateExpiration',
      covered(
        'KubeNodeNotReady',
        'kubelet_certificate_manager_* is not scraped; a kubelet whose certificate lapses stops reporting and its node goes NotReady',
      ),
    ],
    [
      'KubeletServerCertificateExpiration',
      covered('PrometheusScrapeTargetsDown', "the kubelet and cadvisor jobs scrape over the kubelet's serving certificate and fail when it lapses"),
    ],
    ['KubeletClientCertificateRenewalErrors', covered('KubeNodeNotReady')],
    ['KubeletServerCertificateRenewalErrors', covered('PrometheusScrapeTargetsDown')],
    ['KubeletDown', covered(['PrometheusScrapeTargetsDown', 'KubeNodeNotReady'])],
  ]),
  ...from(LISTS.scheduler, [['KubeSchedulerDown', notApplicable(NO_CONTROL_PLANE_JOB)]]),
  ...from(LISTS.controllerManager, [['KubeControllerManagerDown', notApplicable(NO_CONTROL_PLANE_JOB)]]),
  ...from(LISTS.kubePrometheusMain, [
    ['AlertmanagerClusterFailedPeers', covered('AlertmanagerClusterDegraded')],
    ['KubeAPIInstanceUnreachable', covered('PrometheusScrapeTargetsDown')],
    ['KubeletInstanceUnreachable', covered(['PrometheusScrapeTargetsDown', 'KubeNodeNotReady'])],
    ['KubeSchedulerInstanceUnreachable', notApplicable(NO_CONTROL_PLANE_JOB)],
    ['KubeControllerManagerInstanceUnreachable', notApplicable(NO_CONTROL_PLANE_JOB)],
  ]),
  ...from(LISTS.alertmanager, [
    ['AlertmanagerFailedReload', covered('AlertmanagerConfigReloadFailed')],
    ['AlertmanagerMembersInconsistent', covered('AlertmanagerClusterDegraded')],
    ['AlertmanagerFailedToSendAlerts', covered('AlertmanagerNotificationsFailing')],
    [
      'AlertmanagerClusterFailedToSendAlerts',
      covered('AlertmanagerNotificationsFailing', "per pod and integration; the dead-man's switch (Watchdog) pages when none gets through"),
    ],
    ['AlertmanagerConfigInconsistent', noise('the three pods mount one ConfigMap; they differ only for the minute a reload takes')],
    ['AlertmanagerClusterDown', covered(['AlertmanagerClusterDegraded', 'Watchdog'])],
    ['AlertmanagerClusterCrashlooping', covered(['KubePodCrashLooping', 'AlertmanagerClusterDegraded'])],
  ]),
  ...from(LISTS.prometheus, [
    ['PrometheusBadConfig', covered('PrometheusConfigReloadFailed')],
    [
      'PrometheusSDRefreshFailure',
      covered(
        ['PrometheusScrapeTargetsDown', 'SLOOrderServiceAvailabilitySLIAbsent'],
        'targets that vanish make the SLI-absent alerts of the trading services fire',
      ),
    ],
    [
      'PrometheusKubernetesListWatchFailures',
      covered(['SLOOrderServiceAvailabilitySLIAbsent', 'InfluxDBDown'], 'a target lost to discovery makes its absent alert fire'),
    ],
    ['PrometheusNotificationQueueRunningFull', covered('PrometheusNotificationsFailing')],
    ['PrometheusErrorSendingAlertsToSomeAlertmanagers', covered('PrometheusNotificationsFailing')],
    ['PrometheusNotConnectedToAlertmanagers', covered('PrometheusNotConnectedToAlertmanagers')],
    ['PrometheusTSDBReloadsFailing', covered('PrometheusTSDBFailing')],
    ['PrometheusTSDBCompactionsFailing', covered('PrometheusTSDBFailing')],
    ['PrometheusNotIngestingSamples', covered(['Watchdog', 'PrometheusScrapeTargetsDown'])],
    ['PrometheusDuplicateTimestamps', noise('targets here expose plain /metrics without timestamps')],
    ['PrometheusOutOfOrderTimestamps', sameAs('PrometheusDuplicateTimestamps')],
    ['PrometheusRemoteStorageFailures', notApplicable(NO_REMOTE_WRITE)],
    ['PrometheusRemoteWriteBehind', notApplicable(NO_REMOTE_WRITE)],
    ['PrometheusRemoteWriteDesiredShards', notApplicable(NO_REMOTE_WRITE)],
    ['PrometheusRuleFailures', covered('PrometheusRuleEvaluationFailures')],
    [
      'PrometheusMissingRuleEvaluations',
      adopted(
        'PrometheusRuleEvaluationsMissed',
        'any skipped evaluation in 10m, for 15m',
        'the risk and order alerts are only as timely as their evaluation: a group that keeps overrunning its interval sees a limit breach minutes late',
      ),
    ],
    ['PrometheusTargetLimitHit', notApplicable('no scrape job sets target_limit')],
    ['PrometheusLabelLimitHit', notApplicable('no scrape job sets label limits')],
    ['PrometheusScrapeBodySizeLimitHit', notApplicable('no scrape job sets body_size_limit')],
    ['PrometheusScrapeSampleLimitHit', notApplicable('no scrape job sets sample_limit')],
    ['PrometheusTargetSyncFailure', covered('PrometheusScrapeTargetsDown')],
    [
      'PrometheusHighQueryLoad',
      noise('the query load is Grafana and the rules; dashboards slow down before anything fails, and the engine latency is charted'),
    ],
    ['PrometheusErrorSendingAlertsToAnyAlertmanager', covered(['PrometheusNotificationsFailing', 'Watchdog'])],
    [
      'PrometheusHAGroupDown',
      covered(
        ['PrometheusScrapeTargetsDown', 'Watchdog'],
        "the prometheus job scrapes both replicas of the pair: one down is half the job's targets, both down silence the Watchdog",
      ),
    ],
    ['PrometheusHAGroupCrashlooping', covered('KubePodCrashLooping')],
    ['PrometheusHAGroupNotIngestingSamples', covered('Watchdog')],
  ]),
  ...from(LISTS.kubeStateMetrics, [
    [
      'KubeStateMetricsListErrors',
      covered(
        'PrometheusScrapeTargetsDown',
        'its --resources flag and its RBAC are rendered from one list, so it is allowed to list what it is asked to watch',
      ),
    ],
    ['KubeStateMetricsWatchErrors', covered('PrometheusScrapeTargetsDown')],
    ['KubeStateMetricsShardingMismatch', notApplicable('kube-state-metrics is not sharded: each replica exports every object')],
    ['KubeStateMetricsShardsMissing', sameAs('KubeStateMetricsShardingMismatch')],
  ]),
  ...from(LISTS.prometheusOperator, [
    ['PrometheusOperatorListErrors', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorWatchErrors', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorSyncFailed', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorReconcileErrors', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorStatusUpdateErrors', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorNodeLookupErrors', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorNotReady', notApplicable(NO_OPERATOR)],
    ['PrometheusOperatorRejectedResources', notApplicable(NO_OPERATOR)],
    ['ConfigReloaderSidecarErrors', covered(['PrometheusConfigReloadFailed', 'AlertmanagerConfigReloadFailed'])],
  ]),
  ...from(LISTS.grafana, [
    [
      'GrafanaRequestsFailing',
      noise('Grafana is for people looking at dashboards; alerting does not pass through it, and the grafana target is watched by PrometheusScrapeTargetsDown'),
    ],
  ]),
  ...from(LISTS.blackbox, [
    [
      'Blackbox probe failed',
      covered(
        ['ServiceHealthCheckFailing', 'SyntheticCheckFailing', 'TLSHandshakeFailing', 'ServiceNotReady'],
        'one alert per kind of probe, each with its own urgency',
      ),
    ],
    [
      'Blackbox probe HTTP failure',
      covered(['ServiceHealthCheckFailing', 'SyntheticCheckFailing'], 'the probe modules fail on an unexpected status, so probe_success says it'),
    ],
    ['Blackbox probe low uptime', covered('SLOOrderServiceAvailabilityErrorBudgetBurnSlow', 'availability is held to the SLOs of each service')],
    [
      'Blackbox slow probe',
      noise("a probe round trip includes the probe's own path; service latency is measured where it is served (HighLatencyP95, OrderExecutionSlow)"),
    ],
    ['Blackbox probe slow HTTP', sameAs('Blackbox slow probe')],
    ['Blackbox probe slow ping', notApplicable('no ICMP probe is configured')],
    ['Blackbox SSL certificate will expire very soon', covered('TLSCertificateExpiresVerySoon')],
    ['Blackbox SSL certificate expired', covered(['TLSCertificateExpiresVerySoon', 'TLSHandshakeFailing'])],
    [
      'Blackbox configuration reload failure',
      notApplicable('blackbox.yml is checked by the real blackbox_exporter --config.check in the tests, and the pod restarts on a change of it'),
    ],
    ['Blackbox SSL certificate will expire soon', covered('TLSCertificateExpiresSoon')],
  ]),
  ...from(LISTS.postgres, [
    ['Postgresql down', covered('PostgresDown')],
    [
      'Postgresql replication role changed',
      notApplicable('the postgres-exporter job reads one primary (postgres-primary); no replica is scraped and pg_replication_* is not in the catalog'),
    ],
    ['Postgresql bloat index high (> 80%)', notApplicable('the bloat series come from custom exporter queries this stack does not install')],
    ['Postgresql bloat table high (> 80%)', sameAs('Postgresql bloat index high (> 80%)')],
    ['Postgresql long-running transaction', covered('PostgresSlowQueries')],
    ['Postgresql low cache hit rate', noise('the cache hit ratio is charted; the symptom that matters, slow queries, is alerted')],
    ['Postgresql not enough connections', noise('a quiet hour is not a fault; services that cannot connect raise DatabaseConnectionFailures')],
    ['Postgresql too many locks acquired', covered('PostgresLockContention')],
    ['Postgresql max connections reached', covered(['PostgresConnectionsNearLimit', 'DatabaseConnectionFailures'])],
    ['Postgresql too many connections', covered('PostgresConnectionsNearLimit')],
    [
      'Postgresql restarted',
      covered(
        ['PostgresDown', 'DatabaseConnectionFailures'],
        'a restart long enough to matter pages as PostgresDown; a quick one shows as failed connections of the services',
      ),
    ],
    [
      'Postgresql exporter error',
      covered('PostgresDown', 'pg_up goes to 0 when the exporter cannot reach the server; a single failing collector query leaves a gap in its panels only'),
    ],
    ['Postgresql commit rate low', noise('the commit rate follows the market; the order path is held to its own objectives')],
    [
      'Postgresql table not auto vacuumed',
      noise('autovacuum is left at its defaults; a table it cannot keep up with shows first as slow queries (PostgresSlowQueries)'),
    ],
    ['Postgresql table not auto analyzed', sameAs('Postgresql table not auto vacuumed')],
    ['Postgresql dead locks', covered('PostgresLockContention')],
    [
      'Postgresql high rollback rate',
      covered(['OrderFailureRateHigh', 'HighErrorRate'], 'rollbacks surface as failed orders and requests of the service that made them'),
    ],
    ['Postgresql low XID consumption', sameAs('Postgresql commit rate low')],
    ['Postgresql unused replication slot', sameAs('Postgresql replication role changed')],
    ['Postgresql too many dead tuples', sameAs('Postgresql table not auto vacuumed')],
    ['Postgresql invalid index', notApplicable('needs a custom exporter query this stack does not install')],
    ['Postgresql replication lag', sameAs('Postgresql replication role changed')],
    ['Postgresql too many checkpoints requested', noise('a tuning signal for a DBA, not an incident')],
    ['Postgresql SSL compression active', notApplicable('SSL compression is gone from PostgreSQL 14 and later')],
    [
      'Postgresql configuration changed',
      noise(
        'settings change with deliberate deploys, which appear as info events (TradingServiceDeployed, TradingConfigurationChanged); pg_settings_* beyond max_connections is not in the catalog',
      ),
    ],
  ]),
  ...from(LISTS.redis, [
    ['Redis down', covered('RedisDown')],
    ['Redis missing master', notApplicable('the redis-exporter job reads one Redis per environment (cache), with no replicas and no cluster mode')],
    ['Redis too many masters', sameAs('Redis missing master')],
    ['Redis disconnected slaves', sameAs('Redis missing master')],
    ['Redis replication broken', sameAs('Redis missing master')],
    ['Redis cluster state not ok', sameAs('Redis missing master')],
    ['Redis master link down', sameAs('Redis missing master')],
    ['Redis cluster slot fail', sameAs('Redis missing master')],
    ['Redis out of system memory', covered(['KubeContainerMemoryNearLimit', 'RedisMemoryHigh'], "in a pod the limit that counts is the container's")],
    ['Redis out of configured maxmemory', covered('RedisMemoryHigh')],
    ['Redis cluster flapping', sameAs('Redis missing master')],
    ['Redis too many connections', covered('RedisConnectionsNearLimit')],
    ['Redis not enough connections', noise('few clients at a quiet hour is not a fault')],
    [
      'Redis rejected connections',
      adopted(
        'RedisRejectingConnections',
        'any refusal in 5m',
        'a refused client is a request of the order path that ran without its cache or failed: past the near-limit warning, it is already happening',
      ),
    ],
    ['Redis cluster slot pfail', sameAs('Redis missing master')],
    ['Redis missing backup', notApplicable('Redis holds a cache that rebuilds; the system of record is PostgreSQL, whose backups are watched (BackupStale)')],
  ]),
  ...from(LISTS.kafka, [
    ['Kafka topics replicas', covered('KafkaUnderReplicatedPartitions')],
    ['Kafka consumer group lag', covered('KafkaConsumerLagHigh')],
    ['Kafka consumer group lag increasing', covered('KafkaConsumerLagHigh')],
  ]),
];
