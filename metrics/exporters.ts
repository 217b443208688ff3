/**
 * Metrics of the exporters and components Grekko's rules and dashboards read, with the labels
 * their upstream projects document. Only what is used or likely to be charted is listed: adding a
 * metric here is what makes it usable in a rule.
 */
import { metricsFrom } from '../lib/metrics/catalog';
import { MetricDefinition } from '../lib/metrics/types';

const prom = metricsFrom('prometheus');
const scrape = metricsFrom('prometheus (every scrape target)');
const am = metricsFrom('alertmanager');
const node = metricsFrom('node-exporter');
const ksm = metricsFrom('kube-state-metrics');
const cadvisor = metricsFrom('cadvisor');
const kubelet = metricsFrom('kubelet');
const apiserver = metricsFrom('apiserver');
const pg = metricsFrom('postgres-exporter');
const redis = metricsFrom('redis-exporter');
const kafka = metricsFrom('kafka-exporter');
const blackbox = metricsFrom('blackbox-exporter');
const influx = metricsFrom('influxdb');

export const MONITORING_METRICS: readonly MetricDefinition[] = [
  scrape.gauge('up', '1', [], '1 when the last scrape of the target succeeded, 0 when it failed. Carries the target labels (job, namespace, service, pod, instance).'),
  scrape.gauge('scrape_duration_seconds', 'seconds', [], 'Duration of the last scrape of the target.'),
  scrape.gauge('scrape_samples_scraped', 'samples', [], 'Samples the target exposed in the last scrape.'),

  prom.counter('prometheus_rule_evaluation_failures_total', 'failures', ['rule_group'], 'Rule evaluations that failed.'),
  prom.counter('prometheus_rule_group_iterations_missed_total', 'iterations', ['rule_group'], 'Rule group evaluations skipped because the previous one was still running.'),
  prom.gauge('prometheus_config_last_reload_successful', '1', [], '1 when the last configuration reload succeeded.'),
  prom.gauge('prometheus_config_last_reload_success_timestamp_seconds', 'seconds', [], 'Unix time of the last successful configuration reload.'),
  prom.counter('prometheus_notifications_errors_total', 'errors', ['alertmanager'], 'Errors sending alerts to an Alertmanager.'),
  prom.counter('prometheus_notifications_sent_total', 'alerts', ['alertmanager'], 'Alerts sent to an Alertmanager.'),
  prom.counter('prometheus_notifications_dropped_total', 'alerts', [], 'Alerts dropped because of errors or a full queue.'),
  prom.gauge('prometheus_notifications_alertmanagers_discovered', 'alertmanagers', [], 'Alertmanagers Prometheus is sending to.'),
  prom.counter('prometheus_tsdb_wal_corruptions_total', 'corruptions', [], 'Corruptions found in the write-ahead log.'),
  prom.counter('prometheus_tsdb_compactions_failed_total', 'compactions', [], 'Block compactions that failed.'),
  prom.counter('prometheus_tsdb_head_truncations_failed_total', 'truncations', [], 'Head block truncations that failed.'),
  prom.counter('prometheus_tsdb_reloads_failures_total', 'reloads', [], 'Block reloads from disk that failed.'),
  prom.gauge('prometheus_tsdb_head_series', 'series', [], 'Series in the head block.'),

  am.counter('alertmanager_notifications_total', 'notifications', ['integration'], 'Notifications attempted, by integration (slack, opsgenie, webhook...).'),
  am.counter('alertmanager_notifications_failed_total', 'notifications', ['integration', 'reason'], 'Notifications that failed, by integration.'),
  am.gauge('alertmanager_config_last_reload_successful', '1', [], '1 when the last configuration reload succeeded.'),
  am.gauge('alertmanager_config_last_reload_success_timestamp_seconds', 'seconds', [], 'Unix time of the last successful configuration reload.'),
  am.gauge('alertmanager_cluster_members', 'peers', [], 'Peers this Alertmanager sees in its gossip cluster, itself included.'),
  am.gauge('alertmanager_cluster_failed_peers', 'peers', [], 'Peers this Alertmanager cannot reach.'),
  am.gauge('alertmanager_alerts', 'alerts', ['state'], 'Alerts held, by state (active, suppressed).'),
];

export const KUBERNETES_METRICS: readonly MetricDefinition[] = [
  node.counter('node_cpu_seconds_total', 'seconds', ['cpu', 'mode'], 'CPU time spent per CPU and mode (idle, user, system, iowait...).'),
  node.gauge('node_memory_MemTotal_bytes', 'bytes', [], 'Physical memory of the node.'),
  node.gauge('node_memory_MemAvailable_bytes', 'bytes', [], 'Memory available for new work without swapping.'),
  node.gauge('node_filesystem_avail_bytes', 'bytes', ['device', 'fstype', 'mountpoint'], 'Filesystem space available to non-root users.'),
  node.gauge('node_filesystem_size_bytes', 'bytes', ['device', 'fstype', 'mountpoint'], 'Filesystem size.'),
  node.gauge('node_filesystem_readonly', '1', ['device', 'fstype', 'mountpoint'], '1 when the filesystem is mounted read-only.'),
  node.gauge('node_load1', '1', [], 'One-minute load average.'),
  node.counter('node_network_receive_bytes_total', 'bytes', ['device'], 'Bytes received per network device.'),
  node.counter('node_network_transmit_bytes_total', 'bytes', ['device'], 'Bytes sent per network device.'),
  node.counter('node_disk_io_time_seconds_total', 'seconds', ['device'], 'Time spent doing I/O per disk.'),

  ksm.gauge('kube_node_info', '1', ['node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'internal_ip'], 'Always 1: one series per node, with its versions.'),
  ksm.gauge('kube_node_status_condition', '1', ['node', 'condition', 'status'], 'Node conditions: 1 for the status (true, false, unknown) the condition is in.'),
  ksm.gauge('kube_node_spec_unschedulable', '1', ['node'], '1 when the node is cordoned.'),
  ksm.gauge('kube_node_status_allocatable', 'varies', ['node', 'resource', 'unit'], 'Resources of the node available to pods (cpu in cores, memory in bytes).'),
  ksm.gauge('kube_pod_status_phase', '1', ['namespace', 'pod', 'phase'], '1 for the phase the pod is in (Pending, Running, Succeeded, Failed, Unknown).'),
  ksm.gauge('kube_pod_container_status_waiting_reason', '1', ['namespace', 'pod', 'container', 'reason'], '1 while the container waits for the reason given (CrashLoopBackOff, ImagePullBackOff...).'),
  ksm.counter('kube_pod_container_status_restarts_total', 'restarts', ['namespace', 'pod', 'container'], 'Container restarts.'),
  ksm.gauge('kube_pod_container_status_last_terminated_reason', '1', ['namespace', 'pod', 'container', 'reason'], '1 for the reason the container last terminated (OOMKilled, Error, Completed).'),
  ksm.gauge('kube_pod_container_resource_requests', 'varies', ['namespace', 'pod', 'container', 'node', 'resource', 'unit'], 'Resource requests of a container.'),
  ksm.gauge('kube_pod_container_resource_limits', 'varies', ['namespace', 'pod', 'container', 'node', 'resource', 'unit'], 'Resource limits of a container.'),
  ksm.gauge('kube_resourcequota', 'varies', ['namespace', 'resourcequota', 'resource', 'type'], 'Resource quota: type hard (the quota) or used.'),
  ksm.gauge('kube_deployment_spec_replicas', 'replicas', ['namespace', 'deployment'], 'Desired replicas of a Deployment.'),
  ksm.gauge('kube_deployment_status_replicas_available', 'replicas', ['namespace', 'deployment'], 'Available replicas of a Deployment.'),
  ksm.gauge('kube_deployment_metadata_generation', '1', ['namespace', 'deployment'], 'Generation of a Deployment: it increases with every change of its spec (a rollout).'),
  ksm.gauge('kube_statefulset_metadata_generation', '1', ['namespace', 'statefulset'], 'Generation of a StatefulSet: it increases with every change of its spec (a rollout).'),
  ksm.gauge('kube_configmap_metadata_resource_version', '1', ['namespace', 'configmap'], 'Resource version of a ConfigMap: it changes with every edit.'),

  cadvisor.counter('container_cpu_usage_seconds_total', 'seconds', ['namespace', 'pod', 'container', 'cpu'], 'CPU time used by a container.'),
  cadvisor.gauge('container_memory_working_set_bytes', 'bytes', ['namespace', 'pod', 'container'], 'Working set of a container: what the OOM killer compares with the limit.'),
  cadvisor.counter('container_cpu_cfs_throttled_periods_total', 'periods', ['namespace', 'pod', 'container'], 'CPU periods in which the container was throttled.'),
  cadvisor.counter('container_cpu_cfs_periods_total', 'periods', ['namespace', 'pod', 'container'], 'CPU periods in which the container was runnable.'),
  cadvisor.counter('container_network_receive_bytes_total', 'bytes', ['namespace', 'pod', 'interface'], 'Bytes received by a pod.'),
  cadvisor.counter('container_network_transmit_bytes_total', 'bytes', ['namespace', 'pod', 'interface'], 'Bytes sent by a pod.'),

  kubelet.gauge('kubelet_volume_stats_used_bytes', 'bytes', ['namespace', 'persistentvolumeclaim'], 'Bytes used on a mounted persistent volume.'),
  kubelet.gauge('kubelet_volume_stats_capacity_bytes', 'bytes', ['namespace', 'persistentvolumeclaim'], 'Capacity of a mounted persistent volume.'),
  kubelet.gauge('kubelet_running_pods', 'pods', [], 'Pods running on the node.'),

  apiserver.counter('apiserver_request_total', 'requests', ['verb', 'resource', 'code'], 'Requests to the Kubernetes API server.'),
  apiserver.histogram('apiserver_request_duration_seconds', 'seconds', ['verb', 'resource'], 'Latency of Kubernetes API requests.'),
];

export const DATASTORE_METRICS: readonly MetricDefinition[] = [
  pg.gauge('pg_up', '1', [], '1 when the exporter could connect to PostgreSQL.'),
  pg.gauge('pg_stat_activity_count', 'connections', ['datname', 'state'], 'Backends by database and state (active, idle, idle in transaction).'),
  pg.counter('pg_stat_database_blks_hit', 'blocks', ['datname'], 'Buffer cache hits per database.'),
  pg.counter('pg_stat_database_blks_read', 'blocks', ['datname'], 'Disk blocks read per database.'),
  pg.gauge('pg_database_size_bytes', 'bytes', ['datname'], 'Size of each database.'),
  pg.gauge('pg_stat_activity_max_tx_duration', 'seconds', ['datname', 'state'], 'Age of the oldest transaction, by database and state.'),
  pg.gauge('pg_settings_max_connections', 'connections', [], 'The max_connections setting.'),
  pg.gauge('pg_locks_count', 'locks', ['datname', 'mode'], 'Locks held, by database and lock mode (accessexclusivelock, rowexclusivelock...).'),
  pg.counter('pg_stat_database_deadlocks', 'deadlocks', ['datname'], 'Deadlocks detected in a database.'),
  pg.counter('pg_stat_database_xact_commit', 'transactions', ['datname'], 'Transactions committed.'),
  pg.counter('pg_stat_database_xact_rollback', 'transactions', ['datname'], 'Transactions rolled back.'),

  redis.gauge('redis_up', '1', [], '1 when the exporter could reach Redis.'),
  redis.gauge('redis_memory_used_bytes', 'bytes', [], 'Memory Redis has allocated.'),
  redis.gauge('redis_memory_max_bytes', 'bytes', [], 'The maxmemory setting (0 means no limit).'),
  redis.counter('redis_keyspace_hits_total', 'lookups', [], 'Key lookups that found the key.'),
  redis.counter('redis_keyspace_misses_total', 'lookups', [], 'Key lookups that missed.'),
  redis.gauge('redis_connected_clients', 'connections', [], 'Client connections.'),
  redis.gauge('redis_config_maxclients', 'connections', [], 'The maxclients setting.'),
  redis.counter('redis_rejected_connections_total', 'connections', [], 'Connections refused because of maxclients.'),
  redis.counter('redis_evicted_keys_total', 'keys', [], 'Keys evicted because of maxmemory.'),

  kafka.gauge('kafka_brokers', 'brokers', [], 'Brokers in the Kafka cluster.'),
  kafka.gauge('kafka_consumergroup_lag', 'messages', ['consumergroup', 'topic', 'partition'], 'Messages a consumer group is behind, per partition.'),
  kafka.gauge('kafka_consumergroup_lag_sum', 'messages', ['consumergroup', 'topic'], 'Messages a consumer group is behind, per topic.'),
  kafka.gauge('kafka_topic_partition_under_replicated_partition', '1', ['topic', 'partition'], '1 when the partition has fewer in-sync replicas than replicas.'),
  kafka.gauge('kafka_topic_partition_in_sync_replica', 'replicas', ['topic', 'partition'], 'In-sync replicas of the partition.'),
  kafka.gauge('kafka_topic_partition_leader', '1', ['topic', 'partition'], 'Broker id leading the partition; -1 when the partition is offline.'),
  kafka.gauge('kafka_topic_partition_replicas', 'replicas', ['topic', 'partition'], 'Replicas of the partition.'),
  kafka.gauge('kafka_topic_partition_current_offset', 'messages', ['topic', 'partition'], 'Latest offset of the partition (producer throughput as a rate).'),


  blackbox.gauge('probe_success', '1', [], '1 when the synthetic probe (HTTP, TCP, ICMP) succeeded.'),
  blackbox.gauge('probe_http_duration_seconds', 'seconds', ['phase'], 'Time per phase of the HTTP request (resolve, connect, tls, processing, transfer).'),
  blackbox.gauge('probe_duration_seconds', 'seconds', [], 'How long the probe took.'),
  blackbox.gauge('probe_http_status_code', '1', [], 'HTTP status code of the probe response.'),
  blackbox.gauge('probe_ssl_earliest_cert_expiry', 'seconds', [], 'Unix time the first certificate of the chain expires.'),

  influx.gauge('influxdb_uptime_seconds', 'seconds', [], 'Time since the InfluxDB server started.'),
  influx.counter('http_api_requests_total', 'requests', ['handler', 'method', 'path', 'status', 'response_code'], 'Requests to the InfluxDB HTTP API (writes and queries).'),
  influx.histogram('http_api_request_duration_seconds', 'seconds', ['handler', 'method', 'path', 'status', 'response_code'], 'Latency of InfluxDB HTTP API requests.'),
  influx.counter('qc_requests_total', 'queries', ['result', 'org'], 'Queries run by the query controller, by result.'),
  influx.gauge('storage_shard_disk_size', 'bytes', ['bucket', 'engine', 'id', 'path', 'walPath'], 'Disk used per storage shard.'),
];
