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
  scrape.gauge(
    'up',
    '1',
    [],
    '1 when the last scrape of the target succeeded, 0 when it failed. Carries the target labels (job, namespace, service, pod, instance).',
  ),
  scrape.gauge('scrape_duration_seconds', 'seconds', [], 'Duration of the last scrape of the target.'),
  scrape.gauge('scrape_samples_scraped', 'samples', [], 'Samples the target exposed in the last scrape.'),

  prom.counter('prometheus_rule_evaluation_failures_total', 'failures', ['rule_group'], 'Rule evaluations that failed.'),
  prom.counter(
    'prometheus_rule_group_iterations_missed_total',
    'iterations',
    ['rule_group'],
    'Rule group evaluations skipped because the previous one was still running.',
  ),
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
  prom.counter('prometheus_tsdb_head_samples_appended_total', 'samples', ['type'], 'Samples appended to the head block, by sample type (float, histogram).'),
  prom.gauge('prometheus_tsdb_storage_blocks_bytes', 'bytes', [], 'Bytes used by the persisted blocks.'),
  prom.gauge('prometheus_tsdb_wal_storage_size_bytes', 'bytes', [], 'Size of the write-ahead log.'),
  prom.gauge('prometheus_rule_group_last_duration_seconds', 'seconds', ['rule_group'], 'Duration of the last evaluation of a rule group.'),
  prom.gauge('prometheus_rule_group_interval_seconds', 'seconds', ['rule_group'], 'Evaluation interval of a rule group.'),
  prom.gauge('prometheus_notifications_queue_length', 'alerts', [], 'Alerts waiting to be sent to the Alertmanagers.'),
  prom.gauge('prometheus_notifications_queue_capacity', 'alerts', [], 'Capacity of the alert notification queue.'),
  prom.summary(
    'prometheus_engine_query_duration_seconds',
    'seconds',
    ['slice'],
    'Query timings by execution phase (inner_eval, prepare_time, queue_time, result_sort), as quantiles.',
  ),
  prom.gauge(
    'process_resident_memory_bytes',
    'bytes',
    [],
    'Resident memory of the process. Every Go exporter and prom-client process exposes it; the dashboards read it for Prometheus (job="prometheus").',
  ),

  am.counter('alertmanager_notifications_total', 'notifications', ['integration'], 'Notifications attempted, by integration (slack, opsgenie, webhook...).'),
  am.counter('alertmanager_notifications_failed_total', 'notifications', ['integration', 'reason'], 'Notifications that failed, by integration.'),
  am.gauge('alertmanager_config_last_reload_successful', '1', [], '1 when the last configuration reload succeeded.'),
  am.gauge('alertmanager_config_last_reload_success_timestamp_seconds', 'seconds', [], 'Unix time of the last successful configuration reload.'),
  am.gauge('alertmanager_cluster_members', 'peers', [], 'Peers this Alertmanager sees in its gossip cluster, itself included.'),
  am.gauge('alertmanager_cluster_failed_peers', 'peers', [], 'Peers this Alertmanager cannot reach.'),
  am.gauge('alertmanager_alerts', 'alerts', ['state'], 'Alerts held, by state (active, suppressed).'),
  am.counter(
    'alertmanager_alerts_received_total',
    'alerts',
    ['status', 'version'],
    'Alerts received from Prometheus, by status (firing, resolved) and API version.',
  ),
  am.counter('alertmanager_alerts_invalid_total', 'alerts', ['version'], 'Alerts received that failed validation.'),
  am.histogram('alertmanager_notification_latency_seconds', 'seconds', ['integration'], 'Time to deliver a notification, by integration.'),
  am.gauge('alertmanager_silences', 'silences', ['state'], 'Silences, by state (active, pending, expired).'),
  am.gauge('alertmanager_cluster_health_score', '1', [], 'Gossip health score: 0 is healthy, higher is worse.'),
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
  node.gauge('node_timex_offset_seconds', 'seconds', [], 'Offset of the system clock from its time reference, as the kernel keeps it (adjtimex).'),
  node.gauge('node_timex_sync_status', '1', [], '1 when the kernel considers the clock synchronised to its time reference (NTP, chrony, PTP).'),

  // kube-state-metrics exposes its *_info families as gauges of value 1 (TYPE gauge in the text format).
  ksm.gauge(
    'kube_node_info',
    '1',
    ['node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'internal_ip', 'pod_cidr', 'provider_id', 'system_uuid'],
    'Always 1: one series per node, with its versions.',
  ),
  ksm.gauge(
    'kube_node_status_condition',
    '1',
    ['node', 'condition', 'status'],
    'Node conditions: 1 for the status (true, false, unknown) the condition is in.',
  ),
  ksm.gauge('kube_node_spec_unschedulable', '1', ['node'], '1 when the node is cordoned.'),
  ksm.gauge('kube_node_status_allocatable', 'varies', ['node', 'resource', 'unit'], 'Resources of the node available to pods (cpu in cores, memory in bytes).'),
  ksm.gauge(
    'kube_pod_status_phase',
    '1',
    ['namespace', 'pod', 'uid', 'phase'],
    '1 for the phase the pod is in (Pending, Running, Succeeded, Failed, Unknown).',
  ),
  ksm.gauge(
    'kube_pod_container_status_waiting_reason',
    '1',
    ['namespace', 'pod', 'uid', 'container', 'reason'],
    '1 while the container waits for the reason given (CrashLoopBackOff, ImagePullBackOff...).',
  ),
  ksm.counter('kube_pod_container_status_restarts_total', 'restarts', ['namespace', 'pod', 'uid', 'container'], 'Container restarts.'),
  ksm.gauge(
    'kube_pod_container_status_last_terminated_reason',
    '1',
    ['namespace', 'pod', 'uid', 'container', 'reason'],
    '1 for the reason the container last terminated (OOMKilled, Error, Completed).',
  ),
  ksm.gauge(
    'kube_pod_container_resource_requests',
    'varies',
    ['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit'],
    'Resource requests of a container.',
  ),
  ksm.gauge(
    'kube_pod_container_resource_limits',
    'varies',
    ['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit'],
    'Resource limits of a container.',
  ),
  ksm.gauge('kube_resourcequota', 'varies', ['namespace', 'resourcequota', 'resource', 'type'], 'Resource quota: type hard (the quota) or used.'),
  ksm.gauge('kube_deployment_spec_replicas', 'replicas', ['namespace', 'deployment'], 'Desired replicas of a Deployment.'),
  ksm.gauge('kube_deployment_status_replicas_available', 'replicas', ['namespace', 'deployment'], 'Available replicas of a Deployment.'),
  ksm.gauge(
    'kube_pod_container_info',
    '1',
    ['namespace', 'pod', 'uid', 'container', 'image', 'image_id', 'image_spec', 'container_id'],
    'Always 1: one series per container, with the image it runs (its tag is the version deployed).',
  ),
  ksm.gauge('kube_deployment_status_replicas_updated', 'replicas', ['namespace', 'deployment'], 'Replicas of a Deployment running its current pod template.'),
  ksm.gauge(
    'kube_deployment_status_observed_generation',
    '1',
    ['namespace', 'deployment'],
    'Generation the Deployment controller has acted on; behind metadata_generation while a rollout starts.',
  ),
  ksm.gauge('kube_statefulset_replicas', 'replicas', ['namespace', 'statefulset'], 'Desired replicas of a StatefulSet.'),
  ksm.gauge('kube_statefulset_status_replicas_ready', 'replicas', ['namespace', 'statefulset'], 'Ready replicas of a StatefulSet.'),
  ksm.gauge('kube_daemonset_status_desired_number_scheduled', 'nodes', ['namespace', 'daemonset'], 'Nodes that should run the DaemonSet pod.'),
  ksm.gauge('kube_daemonset_status_number_ready', 'nodes', ['namespace', 'daemonset'], 'Nodes running a ready DaemonSet pod.'),
  ksm.gauge(
    'kube_deployment_metadata_generation',
    '1',
    ['namespace', 'deployment'],
    'Generation of a Deployment: it increases with every change of its spec (a rollout).',
  ),
  ksm.gauge(
    'kube_statefulset_metadata_generation',
    '1',
    ['namespace', 'statefulset'],
    'Generation of a StatefulSet: it increases with every change of its spec (a rollout).',
  ),
  ksm.gauge('kube_configmap_metadata_resource_version', '1', ['namespace', 'configmap'], 'Resource version of a ConfigMap: it changes with every edit.'),

  cadvisor.counter(
    'container_cpu_usage_seconds_total',
    'seconds',
    ['namespace', 'pod', 'container', 'cpu', 'id', 'image', 'name'],
    'CPU time used by a container.',
  ),
  cadvisor.gauge(
    'container_memory_working_set_bytes',
    'bytes',
    ['namespace', 'pod', 'container', 'id', 'image', 'name'],
    'Working set of a container: what the OOM killer compares with the limit.',
  ),
  cadvisor.counter(
    'container_cpu_cfs_throttled_periods_total',
    'periods',
    ['namespace', 'pod', 'container', 'id', 'image', 'name'],
    'CPU periods in which the container was throttled.',
  ),
  cadvisor.counter(
    'container_cpu_cfs_periods_total',
    'periods',
    ['namespace', 'pod', 'container', 'id', 'image', 'name'],
    'CPU periods in which the container was runnable.',
  ),
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
  pg.gauge(
    'pg_stat_activity_count',
    'connections',
    ['datname', 'state', 'usename', 'application_name', 'backend_type'],
    'Backends by database and state (active, idle, idle in transaction).',
  ),
  pg.counter('pg_stat_database_blks_hit', 'blocks', ['datid', 'datname'], 'Buffer cache hits per database.'),
  pg.counter('pg_stat_database_blks_read', 'blocks', ['datid', 'datname'], 'Disk blocks read per database.'),
  pg.gauge('pg_database_size_bytes', 'bytes', ['datname'], 'Size of each database.'),
  pg.gauge(
    'pg_stat_activity_max_tx_duration',
    'seconds',
    ['datname', 'state', 'usename', 'application_name', 'backend_type'],
    'Age of the oldest transaction, by database and state.',
  ),
  pg.gauge('pg_settings_max_connections', 'connections', [], 'The max_connections setting.'),
  pg.gauge('pg_locks_count', 'locks', ['datname', 'mode'], 'Locks held, by database and lock mode (accessexclusivelock, rowexclusivelock...).'),
  pg.counter('pg_stat_database_deadlocks', 'deadlocks', ['datid', 'datname'], 'Deadlocks detected in a database.'),
  pg.counter('pg_stat_database_xact_commit', 'transactions', ['datid', 'datname'], 'Transactions committed.'),
  pg.gauge('pg_stat_database_numbackends', 'connections', ['datid', 'datname'], 'Backends connected to each database.'),
  pg.counter('pg_stat_database_temp_bytes', 'bytes', ['datid', 'datname'], 'Bytes queries wrote to temporary files (work_mem too small).'),
  pg.counter('pg_stat_database_tup_fetched', 'rows', ['datid', 'datname'], 'Rows fetched by queries.'),
  pg.counter('pg_stat_database_tup_inserted', 'rows', ['datid', 'datname'], 'Rows inserted.'),
  pg.counter('pg_stat_database_tup_updated', 'rows', ['datid', 'datname'], 'Rows updated.'),
  pg.counter('pg_stat_database_tup_deleted', 'rows', ['datid', 'datname'], 'Rows deleted.'),
  pg.counter(
    'pg_stat_statements_calls_total',
    'calls',
    ['user', 'datname', 'queryid'],
    'Calls per statement. Needs the pg_stat_statements extension and the exporter flag --collector.stat_statements.',
  ),
  pg.counter(
    'pg_stat_statements_seconds_total',
    'seconds',
    ['user', 'datname', 'queryid'],
    'Time spent per statement. Needs the pg_stat_statements extension and the exporter flag --collector.stat_statements.',
  ),
  pg.counter('pg_stat_database_xact_rollback', 'transactions', ['datid', 'datname'], 'Transactions rolled back.'),

  redis.gauge('redis_up', '1', [], '1 when the exporter could reach Redis.'),
  redis.gauge('redis_memory_used_bytes', 'bytes', [], 'Memory Redis has allocated.'),
  redis.gauge('redis_memory_max_bytes', 'bytes', [], 'The maxmemory setting (0 means no limit).'),
  redis.counter('redis_keyspace_hits_total', 'lookups', [], 'Key lookups that found the key.'),
  redis.counter('redis_keyspace_misses_total', 'lookups', [], 'Key lookups that missed.'),
  redis.gauge('redis_connected_clients', 'connections', [], 'Client connections.'),
  redis.gauge('redis_config_maxclients', 'connections', [], 'The maxclients setting.'),
  redis.counter('redis_rejected_connections_total', 'connections', [], 'Connections refused because of maxclients.'),
  redis.counter('redis_evicted_keys_total', 'keys', [], 'Keys evicted because of maxmemory.'),
  redis.counter('redis_expired_keys_total', 'keys', [], 'Keys removed because their TTL expired.'),
  redis.gauge('redis_blocked_clients', 'connections', [], 'Clients blocked on a blocking call (BLPOP, XREAD...).'),
  redis.counter('redis_commands_processed_total', 'commands', [], 'Commands processed.'),
  redis.counter('redis_commands_total', 'commands', ['cmd'], 'Calls per command.'),
  redis.counter('redis_commands_duration_seconds_total', 'seconds', ['cmd'], 'Time spent per command.'),
  redis.gauge('redis_db_keys', 'keys', ['db'], 'Keys per database.'),

  kafka.gauge('kafka_brokers', 'brokers', [], 'Brokers in the Kafka cluster.'),
  kafka.gauge('kafka_consumergroup_lag', 'messages', ['consumergroup', 'topic', 'partition'], 'Messages a consumer group is behind, per partition.'),
  kafka.gauge('kafka_consumergroup_lag_sum', 'messages', ['consumergroup', 'topic'], 'Messages a consumer group is behind, per topic.'),
  kafka.gauge(
    'kafka_topic_partition_under_replicated_partition',
    '1',
    ['topic', 'partition'],
    '1 when the partition has fewer in-sync replicas than replicas.',
  ),
  kafka.gauge('kafka_topic_partition_in_sync_replica', 'replicas', ['topic', 'partition'], 'In-sync replicas of the partition.'),
  kafka.gauge('kafka_topic_partition_leader', '1', ['topic', 'partition'], 'Broker id leading the partition; -1 when the partition is offline.'),
  kafka.gauge('kafka_topic_partition_replicas', 'replicas', ['topic', 'partition'], 'Replicas of the partition.'),
  kafka.gauge('kafka_topic_partitions', 'partitions', ['topic'], 'Partitions of a topic.'),
  kafka.gauge(
    'kafka_consumergroup_current_offset',
    'messages',
    ['consumergroup', 'topic', 'partition'],
    'Offset a consumer group has committed on a partition (consumer throughput as a rate).',
  ),
  kafka.gauge('kafka_consumergroup_members', 'members', ['consumergroup'], 'Members of a consumer group.'),
  kafka.gauge('kafka_topic_partition_current_offset', 'messages', ['topic', 'partition'], 'Latest offset of the partition (producer throughput as a rate).'),

  // `probe` (health, readiness, synthetic) and `check` (the synthetic check's name) come from the probe scrape jobs.
  blackbox.gauge('probe_success', '1', ['probe', 'check'], '1 when the probe (HTTP, TCP, ICMP) succeeded.'),
  blackbox.gauge(
    'probe_http_duration_seconds',
    'seconds',
    ['probe', 'check', 'phase'],
    'Time per phase of the HTTP request (resolve, connect, tls, processing, transfer).',
  ),
  blackbox.gauge('probe_duration_seconds', 'seconds', ['probe', 'check'], 'How long the probe took.'),
  blackbox.gauge('probe_http_status_code', '1', ['probe', 'check'], 'HTTP status code of the probe response.'),
  blackbox.gauge(
    'probe_ssl_earliest_cert_expiry',
    'seconds',
    ['probe', 'dependency'],
    'Unix time the first certificate of the chain expires. Only probes over TLS report it: the TLS handshakes with the dependencies (job blackbox-tls, probe="tls", with their dependency label) and HTTPS probes.',
  ),

  influx.gauge('influxdb_uptime_seconds', 'seconds', ['id'], 'Time since the InfluxDB server started.'),
  influx.counter(
    'http_api_requests_total',
    'requests',
    ['handler', 'method', 'path', 'status', 'response_code', 'user_agent'],
    'Requests to the InfluxDB HTTP API (writes and queries).',
  ),
  influx.histogram(
    'http_api_request_duration_seconds',
    'seconds',
    ['handler', 'method', 'path', 'status', 'response_code', 'user_agent'],
    'Latency of InfluxDB HTTP API requests.',
  ),
  influx.counter('qc_requests_total', 'queries', ['result', 'org'], 'Queries run by the query controller, by result.'),
  influx.gauge('qc_executing_active', 'queries', ['org'], 'Queries executing now.'),
  influx.gauge('qc_queueing_active', 'queries', ['org'], 'Queries waiting in the query controller queue.'),
  influx.histogram('storage_writer_ok_points', 'points', ['path'], 'Points per successful shard write; the rate of its _sum is points written per second.'),
  influx.histogram('storage_writer_err_points', 'points', ['path'], 'Points per failed shard write.'),
  influx.histogram('storage_writer_dropped_points', 'points', ['path'], 'Points dropped by partial writes.'),
  influx.gauge('storage_bucket_series_num', 'series', ['bucket'], 'Series cardinality per bucket.'),
  influx.gauge('storage_tsm_files_disk_bytes', 'bytes', ['bucket', 'engine', 'id', 'path', 'walPath'], 'TSM data on disk, per shard.'),
  influx.gauge('storage_wal_size', 'bytes', ['bucket', 'engine', 'id', 'path', 'walPath'], 'Write-ahead log size, per shard.'),
  influx.gauge('storage_shard_disk_size', 'bytes', ['bucket', 'engine', 'id', 'path', 'walPath'], 'Disk used per storage shard.'),
];
