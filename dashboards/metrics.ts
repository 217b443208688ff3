/**
 * The metrics the dashboards read, as catalog entries (name, type, unit, labels, source). For the
 * exporters these are the names and labels the exporters really expose; for the trading services
 * and CI they are the contract those must expose. Labels list what the metric itself carries; the
 * target labels (job, instance, namespace, service, pod, container, node) come from the scrape.
 * When the stack-wide metrics catalog exists, it must contain every entry here; the dashboard
 * check takes whichever catalog it is given.
 */
import type { MetricDefinition, MetricType } from '../lib/metrics/types';

function family(source: string) {
  return (name: string, type: MetricType, unit: string, help: string, labels: readonly string[] = []): MetricDefinition => ({ name, type, unit, help, labels, source });
}

const prometheus = family('prometheus');
const alertmanager = family('alertmanager');
const node = family('node-exporter');
const ksm = family('kube-state-metrics');
const cadvisor = family('cadvisor');
const postgres = family('postgres-exporter');
const redis = family('redis-exporter');
const kafka = family('kafka-exporter');
const es = family('elasticsearch-exporter');
const fluentd = family('fluentd');
const jaeger = family('jaeger');
const influxdb = family('influxdb');
const service = family('trading-services');
const ci = family('ci');

const ES_NODE = ['cluster', 'host', 'name', 'es_client_node', 'es_data_node', 'es_ingest_node', 'es_master_node'];
const PG_DB = ['datid', 'datname'];
const INFLUX_HTTP = ['handler', 'method', 'path', 'response_code', 'status', 'user_agent'];
const INFLUX_SHARD = ['bucket', 'engine', 'id', 'path', 'walPath'];

export const DASHBOARD_METRICS: readonly MetricDefinition[] = [
  // Series Prometheus itself writes for every target and alert rule.
  prometheus('up', 'gauge', '1', '1 when the last scrape of the target succeeded, 0 when it failed'),
  prometheus('scrape_duration_seconds', 'gauge', 'seconds', 'How long the last scrape of the target took'),
  prometheus('ALERTS', 'gauge', '1', 'One series per pending or firing alert, with the alert labels', ['alertname', 'alertstate', 'severity', 'team']),
  // Prometheus's own metrics.
  prometheus('prometheus_config_last_reload_successful', 'gauge', '1', 'Whether the last configuration reload succeeded'),
  prometheus('prometheus_tsdb_head_series', 'gauge', '1', 'Series in the head block (active series)'),
  prometheus('prometheus_tsdb_head_samples_appended_total', 'counter', '1', 'Samples appended to the head block', ['type']),
  prometheus('prometheus_tsdb_storage_blocks_bytes', 'gauge', 'bytes', 'Bytes used by persisted blocks'),
  prometheus('prometheus_tsdb_wal_storage_size_bytes', 'gauge', 'bytes', 'Size of the write-ahead log'),
  prometheus('prometheus_tsdb_compactions_failed_total', 'counter', '1', 'Failed compactions'),
  prometheus('prometheus_rule_group_last_duration_seconds', 'gauge', 'seconds', 'Duration of the last evaluation of a rule group', ['rule_group']),
  prometheus('prometheus_rule_group_interval_seconds', 'gauge', 'seconds', 'Evaluation interval of a rule group', ['rule_group']),
  prometheus('prometheus_rule_group_iterations_missed_total', 'counter', '1', 'Rule group evaluations skipped because the previous one was still running', ['rule_group']),
  prometheus('prometheus_rule_evaluation_failures_total', 'counter', '1', 'Failed rule evaluations', ['rule_group']),
  prometheus('prometheus_notifications_queue_length', 'gauge', '1', 'Alert notifications waiting to be sent'),
  prometheus('prometheus_notifications_queue_capacity', 'gauge', '1', 'Capacity of the alert notification queue'),
  prometheus('prometheus_notifications_dropped_total', 'counter', '1', 'Alert notifications dropped'),
  prometheus('prometheus_notifications_errors_total', 'counter', '1', 'Errors sending alert notifications, per Alertmanager', ['alertmanager']),
  prometheus('prometheus_notifications_alertmanagers_discovered', 'gauge', '1', 'Alertmanagers discovered and active'),
  prometheus('prometheus_engine_query_duration_seconds', 'summary', 'seconds', 'Query timings, per execution phase', ['slice']),
  prometheus('process_resident_memory_bytes', 'gauge', 'bytes', 'Resident memory of the process (every Go and prom-client process exposes it; read here for Prometheus)'),
  // Alertmanager.
  alertmanager('alertmanager_alerts', 'gauge', '1', 'Alerts held, by state', ['state']),
  alertmanager('alertmanager_alerts_received_total', 'counter', '1', 'Alerts received from Prometheus', ['status', 'version']),
  alertmanager('alertmanager_alerts_invalid_total', 'counter', '1', 'Alerts received that were invalid', ['version']),
  alertmanager('alertmanager_notifications_total', 'counter', '1', 'Notification attempts, per integration', ['integration']),
  alertmanager('alertmanager_notifications_failed_total', 'counter', '1', 'Failed notifications, per integration and reason', ['integration', 'reason']),
  alertmanager('alertmanager_notification_latency_seconds', 'histogram', 'seconds', 'Latency of notifications', ['integration']),
  alertmanager('alertmanager_silences', 'gauge', '1', 'Silences, by state', ['state']),
  alertmanager('alertmanager_cluster_members', 'gauge', '1', 'Peers in the gossip cluster'),
  alertmanager('alertmanager_cluster_health_score', 'gauge', '1', 'Gossip health score; 0 is healthy, higher is worse'),
  alertmanager('alertmanager_config_last_reload_successful', 'gauge', '1', 'Whether the last configuration reload succeeded'),
  // Nodes.
  node('node_cpu_seconds_total', 'counter', 'seconds', 'CPU time per CPU and mode', ['cpu', 'mode']),
  node('node_memory_MemTotal_bytes', 'gauge', 'bytes', 'Total memory'),
  node('node_memory_MemAvailable_bytes', 'gauge', 'bytes', 'Memory available for new work without swapping'),
  node('node_filesystem_avail_bytes', 'gauge', 'bytes', 'Filesystem space available to non-root users', ['device', 'fstype', 'mountpoint']),
  node('node_filesystem_size_bytes', 'gauge', 'bytes', 'Filesystem size', ['device', 'fstype', 'mountpoint']),
  node('node_network_receive_bytes_total', 'counter', 'bytes', 'Bytes received per network device', ['device']),
  node('node_network_transmit_bytes_total', 'counter', 'bytes', 'Bytes sent per network device', ['device']),
  // Kubernetes objects.
  ksm('kube_node_info', 'info', '1', 'Node information', ['node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'internal_ip', 'pod_cidr', 'provider_id', 'system_uuid']),
  ksm('kube_node_status_condition', 'gauge', '1', 'Node conditions', ['node', 'condition', 'status']),
  ksm('kube_node_spec_unschedulable', 'gauge', '1', 'Whether the node is cordoned', ['node']),
  ksm('kube_node_status_allocatable', 'gauge', '1', 'Resources allocatable to pods, per resource and unit', ['node', 'resource', 'unit']),
  ksm('kube_pod_status_phase', 'gauge', '1', 'Pod phase (one series per phase, 1 for the current one)', ['namespace', 'pod', 'uid', 'phase']),
  ksm('kube_pod_container_status_restarts_total', 'counter', '1', 'Container restarts', ['namespace', 'pod', 'uid', 'container']),
  ksm('kube_pod_container_status_waiting_reason', 'gauge', '1', 'Why a container is waiting', ['namespace', 'pod', 'uid', 'container', 'reason']),
  ksm('kube_pod_container_resource_requests', 'gauge', '1', 'Resources a container requests', ['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit']),
  ksm('kube_pod_container_resource_limits', 'gauge', '1', 'Resource limits of a container', ['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit']),
  ksm('kube_resourcequota', 'gauge', '1', 'Resource quota: hard limit and usage, per resource', ['namespace', 'resourcequota', 'resource', 'type']),
  ksm('kube_deployment_spec_replicas', 'gauge', '1', 'Desired replicas of a Deployment', ['namespace', 'deployment']),
  ksm('kube_deployment_status_replicas_available', 'gauge', '1', 'Available replicas of a Deployment', ['namespace', 'deployment']),
  ksm('kube_deployment_status_replicas_updated', 'gauge', '1', 'Replicas of a Deployment running the current template', ['namespace', 'deployment']),
  ksm('kube_deployment_metadata_generation', 'gauge', '1', 'Generation of the Deployment spec', ['namespace', 'deployment']),
  ksm('kube_deployment_status_observed_generation', 'gauge', '1', 'Generation the Deployment controller has acted on', ['namespace', 'deployment']),
  ksm('kube_statefulset_replicas', 'gauge', '1', 'Desired replicas of a StatefulSet', ['namespace', 'statefulset']),
  ksm('kube_statefulset_status_replicas_ready', 'gauge', '1', 'Ready replicas of a StatefulSet', ['namespace', 'statefulset']),
  ksm('kube_daemonset_status_desired_number_scheduled', 'gauge', '1', 'Nodes that should run the DaemonSet pod', ['namespace', 'daemonset']),
  ksm('kube_daemonset_status_number_ready', 'gauge', '1', 'Nodes running a ready DaemonSet pod', ['namespace', 'daemonset']),
  // Containers (cAdvisor in the kubelet).
  cadvisor('container_cpu_usage_seconds_total', 'counter', 'seconds', 'CPU time used by a container', ['cpu', 'id', 'image', 'name']),
  cadvisor('container_cpu_cfs_throttled_periods_total', 'counter', '1', 'CFS periods in which the container was throttled', ['id', 'image', 'name']),
  cadvisor('container_cpu_cfs_periods_total', 'counter', '1', 'CFS periods elapsed while the container ran', ['id', 'image', 'name']),
  cadvisor('container_memory_working_set_bytes', 'gauge', 'bytes', 'Working set memory of a container (what the OOM killer looks at)', ['id', 'image', 'name']),
  // PostgreSQL.
  postgres('pg_up', 'gauge', '1', 'Whether the exporter could connect to PostgreSQL'),
  postgres('pg_settings_max_connections', 'gauge', '1', 'Configured max_connections'),
  postgres('pg_stat_activity_count', 'gauge', '1', 'Connections, by database and state', ['datname', 'state', 'usename', 'application_name', 'backend_type']),
  postgres('pg_stat_activity_max_tx_duration', 'gauge', 'seconds', 'Age of the oldest open transaction, by database and state', ['datname', 'state', 'usename', 'application_name', 'backend_type']),
  postgres('pg_stat_database_numbackends', 'gauge', '1', 'Backends connected to a database', PG_DB),
  postgres('pg_stat_database_xact_commit', 'counter', '1', 'Committed transactions', PG_DB),
  postgres('pg_stat_database_xact_rollback', 'counter', '1', 'Rolled-back transactions', PG_DB),
  postgres('pg_stat_database_blks_hit', 'counter', '1', 'Disk blocks found in the buffer cache', PG_DB),
  postgres('pg_stat_database_blks_read', 'counter', '1', 'Disk blocks read from disk', PG_DB),
  postgres('pg_stat_database_deadlocks', 'counter', '1', 'Deadlocks detected', PG_DB),
  postgres('pg_stat_database_temp_bytes', 'counter', 'bytes', 'Bytes written to temporary files by queries', PG_DB),
  postgres('pg_stat_database_tup_fetched', 'counter', '1', 'Rows fetched by queries', PG_DB),
  postgres('pg_stat_database_tup_inserted', 'counter', '1', 'Rows inserted', PG_DB),
  postgres('pg_stat_database_tup_updated', 'counter', '1', 'Rows updated', PG_DB),
  postgres('pg_stat_database_tup_deleted', 'counter', '1', 'Rows deleted', PG_DB),
  postgres('pg_locks_count', 'gauge', '1', 'Locks held, by database and mode', ['datname', 'mode']),
  postgres('pg_database_size_bytes', 'gauge', 'bytes', 'Size of a database', ['datname']),
  postgres('pg_stat_statements_calls_total', 'counter', '1', 'Calls per statement (needs the stat_statements collector and the pg_stat_statements extension)', ['user', 'datname', 'queryid']),
  postgres('pg_stat_statements_seconds_total', 'counter', 'seconds', 'Time spent per statement (needs the stat_statements collector and the pg_stat_statements extension)', ['user', 'datname', 'queryid']),
  // Redis.
  redis('redis_up', 'gauge', '1', 'Whether the exporter could reach Redis'),
  redis('redis_memory_used_bytes', 'gauge', 'bytes', 'Memory used by Redis'),
  redis('redis_memory_max_bytes', 'gauge', 'bytes', 'maxmemory (0 when unlimited)'),
  redis('redis_connected_clients', 'gauge', '1', 'Client connections'),
  redis('redis_blocked_clients', 'gauge', '1', 'Clients blocked on a blocking call'),
  redis('redis_rejected_connections_total', 'counter', '1', 'Connections rejected because of maxclients'),
  redis('redis_keyspace_hits_total', 'counter', '1', 'Successful key lookups'),
  redis('redis_keyspace_misses_total', 'counter', '1', 'Failed key lookups'),
  redis('redis_commands_processed_total', 'counter', '1', 'Commands processed'),
  redis('redis_commands_total', 'counter', '1', 'Calls per command', ['cmd']),
  redis('redis_commands_duration_seconds_total', 'counter', 'seconds', 'Time spent per command', ['cmd']),
  redis('redis_evicted_keys_total', 'counter', '1', 'Keys evicted because of maxmemory'),
  redis('redis_expired_keys_total', 'counter', '1', 'Keys expired'),
  redis('redis_db_keys', 'gauge', '1', 'Keys per database', ['db']),
  // Kafka.
  kafka('kafka_brokers', 'gauge', '1', 'Brokers in the cluster'),
  kafka('kafka_topic_partitions', 'gauge', '1', 'Partitions of a topic', ['topic']),
  kafka('kafka_topic_partition_current_offset', 'gauge', '1', 'Newest offset of a partition', ['topic', 'partition']),
  kafka('kafka_topic_partition_leader', 'gauge', '1', 'Leader broker id of a partition', ['topic', 'partition']),
  kafka('kafka_topic_partition_in_sync_replica', 'gauge', '1', 'In-sync replicas of a partition', ['topic', 'partition']),
  kafka('kafka_topic_partition_replicas', 'gauge', '1', 'Replicas of a partition', ['topic', 'partition']),
  kafka('kafka_topic_partition_under_replicated_partition', 'gauge', '1', '1 when the partition is under-replicated', ['topic', 'partition']),
  kafka('kafka_consumergroup_current_offset', 'gauge', '1', 'Committed offset of a consumer group on a partition', ['consumergroup', 'topic', 'partition']),
  kafka('kafka_consumergroup_lag', 'gauge', '1', 'Messages a consumer group is behind on a partition', ['consumergroup', 'topic', 'partition']),
  kafka('kafka_consumergroup_lag_sum', 'gauge', '1', 'Messages a consumer group is behind on a topic', ['consumergroup', 'topic']),
  kafka('kafka_consumergroup_members', 'gauge', '1', 'Members of a consumer group', ['consumergroup']),
  // Elasticsearch.
  es('elasticsearch_cluster_health_status', 'gauge', '1', '1 for the current cluster colour', ['cluster', 'color']),
  es('elasticsearch_cluster_health_number_of_nodes', 'gauge', '1', 'Nodes in the cluster', ['cluster']),
  es('elasticsearch_cluster_health_unassigned_shards', 'gauge', '1', 'Unassigned shards', ['cluster']),
  es('elasticsearch_cluster_health_relocating_shards', 'gauge', '1', 'Relocating shards', ['cluster']),
  es('elasticsearch_cluster_health_initializing_shards', 'gauge', '1', 'Initializing shards', ['cluster']),
  es('elasticsearch_jvm_memory_used_bytes', 'gauge', 'bytes', 'JVM memory used, per area', [...ES_NODE, 'area']),
  es('elasticsearch_jvm_memory_max_bytes', 'gauge', 'bytes', 'JVM memory maximum, per area', [...ES_NODE, 'area']),
  es('elasticsearch_jvm_gc_collection_seconds_sum', 'counter', 'seconds', 'Time spent in garbage collection, per collector', [...ES_NODE, 'gc']),
  es('elasticsearch_filesystem_data_available_bytes', 'gauge', 'bytes', 'Free space on a data path', [...ES_NODE, 'mount', 'path']),
  es('elasticsearch_filesystem_data_size_bytes', 'gauge', 'bytes', 'Size of a data path', [...ES_NODE, 'mount', 'path']),
  es('elasticsearch_indices_indexing_index_total', 'counter', '1', 'Documents indexed', ES_NODE),
  es('elasticsearch_indices_search_query_total', 'counter', '1', 'Search queries', ES_NODE),
  es('elasticsearch_indices_search_query_time_seconds', 'counter', 'seconds', 'Time spent on search queries', ES_NODE),
  es('elasticsearch_indices_store_size_bytes', 'gauge', 'bytes', 'Size of the indices on a node', ES_NODE),
  es('elasticsearch_thread_pool_rejected_count', 'counter', '1', 'Tasks rejected by a thread pool', [...ES_NODE, 'type']),
  // Fluentd (fluent-plugin-prometheus: in_prometheus_output_monitor and the record counter).
  fluentd('fluentd_input_status_num_records_total', 'counter', '1', 'Records read, per tag', ['tag', 'hostname']),
  fluentd('fluentd_output_status_emit_records', 'gauge', '1', 'Records an output plugin has emitted', ['plugin_id', 'type']),
  fluentd('fluentd_output_status_buffer_total_bytes', 'gauge', 'bytes', 'Bytes held in an output buffer', ['plugin_id', 'type']),
  fluentd('fluentd_output_status_buffer_queue_length', 'gauge', '1', 'Chunks queued in an output buffer', ['plugin_id', 'type']),
  fluentd('fluentd_output_status_buffer_available_space_ratio', 'gauge', 'percent', 'Free space left in an output buffer, in percent', ['plugin_id', 'type']),
  fluentd('fluentd_output_status_retry_count', 'gauge', '1', 'Retries of an output plugin', ['plugin_id', 'type']),
  fluentd('fluentd_output_status_num_errors', 'gauge', '1', 'Errors of an output plugin', ['plugin_id', 'type']),
  // Jaeger v2 (OpenTelemetry Collector internal telemetry on :8888).
  jaeger('otelcol_receiver_accepted_spans_total', 'counter', '1', 'Spans accepted by a receiver', ['receiver', 'transport']),
  jaeger('otelcol_receiver_refused_spans_total', 'counter', '1', 'Spans refused by a receiver', ['receiver', 'transport']),
  jaeger('otelcol_exporter_sent_spans_total', 'counter', '1', 'Spans an exporter wrote to storage', ['exporter']),
  jaeger('otelcol_exporter_send_failed_spans_total', 'counter', '1', 'Spans an exporter failed to write', ['exporter']),
  jaeger('otelcol_exporter_queue_size', 'gauge', '1', 'Batches waiting in an exporter queue', ['exporter', 'data_type']),
  jaeger('otelcol_exporter_queue_capacity', 'gauge', '1', 'Capacity of an exporter queue', ['exporter', 'data_type']),
  jaeger('otelcol_process_memory_rss_bytes', 'gauge', 'bytes', 'Resident memory of the collector'),
  jaeger('otelcol_process_cpu_seconds_total', 'counter', 'seconds', 'CPU time of the collector'),
  // InfluxDB 2.x /metrics.
  influxdb('influxdb_uptime_seconds', 'gauge', 'seconds', 'InfluxDB uptime', ['id']),
  influxdb('http_api_requests_total', 'counter', '1', 'HTTP API requests', INFLUX_HTTP),
  influxdb('http_api_request_duration_seconds', 'histogram', 'seconds', 'HTTP API response time', INFLUX_HTTP),
  influxdb('qc_requests_total', 'counter', '1', 'Flux query requests, by result', ['org', 'result']),
  influxdb('qc_executing_active', 'gauge', '1', 'Queries executing', ['org']),
  influxdb('qc_queueing_active', 'gauge', '1', 'Queries queueing', ['org']),
  influxdb('storage_writer_ok_points', 'histogram', '1', 'Points per successful shard write (its _sum counts points)', ['path']),
  influxdb('storage_writer_err_points', 'histogram', '1', 'Points per failed shard write', ['path']),
  influxdb('storage_writer_dropped_points', 'histogram', '1', 'Points dropped by partial writes', ['path']),
  influxdb('storage_bucket_series_num', 'gauge', '1', 'Series cardinality per bucket', ['bucket']),
  influxdb('storage_tsm_files_disk_bytes', 'gauge', 'bytes', 'TSM data on disk, per shard', [...INFLUX_SHARD, 'level']),
  influxdb('storage_wal_size', 'gauge', 'bytes', 'Write-ahead log size, per shard', INFLUX_SHARD),
  // Trading services: the contract every service exposes (prom-client conventions).
  service('http_requests_total', 'counter', '1', 'HTTP requests served, by method, route template and status code', ['method', 'route', 'code']),
  service('http_request_duration_seconds', 'histogram', 'seconds', 'HTTP request latency, by method, route template and status code', ['method', 'route', 'code']),
  service('grekko_build_info', 'info', '1', 'Version of the running service', ['version', 'revision']),
  service('grekko_orders_total', 'counter', '1', 'Orders submitted, by exchange, side and final status (filled, partially_filled, rejected, cancelled, failed)', ['exchange', 'side', 'status']),
  service('grekko_order_execution_duration_seconds', 'histogram', 'seconds', 'Time from order decision to exchange acknowledgement', ['exchange']),
  service('grekko_order_slippage_ratio', 'histogram', 'ratio', 'Fill price against the decision price, as a signed ratio', ['exchange', 'side']),
  service('grekko_trading_volume_usd_total', 'counter', 'USD', 'Notional traded', ['exchange']),
  service('grekko_fees_usd_total', 'counter', 'USD', 'Fees paid to exchanges and networks', ['exchange']),
  service('grekko_pnl_realized_usd', 'gauge', 'USD', 'Realized profit and loss since inception, per strategy', ['strategy']),
  service('grekko_pnl_unrealized_usd', 'gauge', 'USD', 'Unrealized profit and loss of open positions, per strategy', ['strategy']),
  service('grekko_position_notional_usd', 'gauge', 'USD', 'Signed notional of an open position', ['exchange', 'symbol', 'strategy']),
  service('grekko_risk_exposure_usd', 'gauge', 'USD', 'Gross exposure, per asset', ['asset']),
  service('grekko_risk_exposure_limit_usd', 'gauge', 'USD', 'Configured exposure limit, per asset', ['asset']),
  service('grekko_risk_var_usd', 'gauge', 'USD', 'Value at risk of the portfolio', ['horizon', 'confidence']),
  service('grekko_risk_max_drawdown_ratio', 'gauge', 'ratio', 'Maximum drawdown over the window', ['window']),
  service('grekko_risk_sharpe_ratio', 'gauge', '1', 'Sharpe ratio over the window', ['window']),
  service('grekko_circuit_breaker_open', 'gauge', '1', '1 while a trading circuit breaker is open', ['breaker']),
  service('grekko_circuit_breaker_trips_total', 'counter', '1', 'Circuit breaker trips', ['breaker', 'reason']),
  service('grekko_compliance_violations_total', 'counter', '1', 'Compliance rule violations detected', ['rule']),
  service('grekko_market_data_last_update_timestamp_seconds', 'gauge', 'seconds', 'Unix time of the last market data update per feed', ['exchange', 'symbol']),
  service('grekko_market_data_messages_total', 'counter', '1', 'Market data messages received', ['exchange', 'channel']),
  service('grekko_orderbook_spread_ratio', 'gauge', 'ratio', 'Best ask minus best bid over mid price', ['exchange', 'symbol']),
  service('grekko_orderbook_depth_usd', 'gauge', 'USD', 'Notional within 1% of mid, per side', ['exchange', 'symbol', 'side']),
  service('grekko_exchange_api_requests_total', 'counter', '1', 'Calls to exchange APIs (Coinbase...), by endpoint and status code', ['exchange', 'endpoint', 'code']),
  service('grekko_exchange_api_request_duration_seconds', 'histogram', 'seconds', 'Latency of exchange API calls', ['exchange', 'endpoint']),
  service('grekko_exchange_rate_limit_remaining', 'gauge', '1', 'Requests left in the current rate-limit window', ['exchange']),
  service('grekko_exchange_rate_limit', 'gauge', '1', 'Requests allowed per rate-limit window', ['exchange']),
  service('grekko_wallet_transactions_total', 'counter', '1', 'On-chain transactions through MetaMask, by network and status', ['network', 'status']),
  service('grekko_wallet_gas_used_total', 'counter', '1', 'Gas units consumed by confirmed transactions', ['network']),
  service('grekko_wallet_connected', 'gauge', '1', '1 while the wallet connection is up', ['network']),
  service('grekko_agent_consensus_duration_seconds', 'histogram', 'seconds', 'Time for agents to reach consensus on a decision', ['decision']),
  service('grekko_agent_tasks_total', 'counter', '1', 'Tasks distributed to agents, by agent and outcome', ['agent', 'outcome']),
  service('grekko_events_processed_total', 'counter', '1', 'Events processed from the bus, by event type and outcome', ['event_type', 'outcome']),
  service('grekko_auth_failures_total', 'counter', '1', 'Failed authentications, by reason', ['reason']),
  // CI: pushed by every pipeline run on the default branch to a Pushgateway (job="ci").
  ci('grekko_ci_tests', 'gauge', '1', 'Tests in the last run, by result (passed, failed, skipped)', ['repository', 'branch', 'result']),
  ci('grekko_ci_test_coverage_ratio', 'gauge', 'ratio', 'Line coverage of the last run', ['repository', 'branch']),
  ci('grekko_ci_pipeline_duration_seconds', 'gauge', 'seconds', 'Duration of the last pipeline run', ['repository', 'branch']),
  ci('grekko_ci_pipeline_success', 'gauge', '1', '1 when the last pipeline run passed', ['repository', 'branch']),
  ci('grekko_ci_pipeline_last_run_timestamp_seconds', 'gauge', 'seconds', 'Unix time the last pipeline run finished', ['repository', 'branch']),
  ci('grekko_ci_lint_issues', 'gauge', '1', 'Lint and static-analysis findings of the last run, by severity', ['repository', 'branch', 'severity']),
  ci('grekko_ci_dependency_vulnerabilities', 'gauge', '1', 'Known vulnerabilities in dependencies, by severity', ['repository', 'branch', 'severity']),
];
