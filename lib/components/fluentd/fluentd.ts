/**
 * Fluentd as a DaemonSet: tails every container's log on its node with the CRI parser (joining
 * partial lines), adds Kubernetes metadata (read-only RBAC on pods and namespaces), names the
 * fields as LOG_FIELDS says, and ships to Elasticsearch through a file buffer on the node.
 *
 * Logs are delayed, never dropped, while Elasticsearch is away: the buffer lives on a hostPath
 * that survives pod restarts, retries back off exponentially and never give up, and when the
 * buffer reaches its cap Fluentd stops reading (`overflow_action block`) rather than discarding;
 * the unread lines wait in the container log files on the node. Its Prometheus endpoint (24231)
 * exposes the buffer, retry and error figures the logging alerts watch.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { hostPathVolume, nodeAgentDaemonSet, nodeAgentService } from '../../core/node-agent';
import { ComponentIdentity, StackContext, checksum, clusterMetadata, emptyDir, httpProbe, image, metadata, resources } from '../../core/k8s';
import { FLUENTD_DEFAULTS, FluentdProfile } from './profile';
import { credentialsVolume, elasticsearchCaTrust } from '../elasticsearch/client';
import { caMountsOf, caVolumesOf } from '../../core/trust';
import { IElasticsearchEndpoint } from '../elasticsearch/endpoint';
import { LOG_FIELDS } from '../logging/log-fields';

export interface FluentdProps {
  readonly ctx: StackContext;
  readonly profile: FluentdProfile;
  readonly elasticsearch: IElasticsearchEndpoint;
  /** Data stream (or index) the logs go to. */
  readonly dataStream: string;
}

const METRICS_PORT = 24231;
const STATE_DIR = '/var/lib/fluentd';
const CONFIG_DIR = '/etc/fluentd';
const CREDENTIALS_DIR = '/var/run/secrets/elasticsearch';
const CA_DIR = '/var/run/secrets/elasticsearch-ca';

/** What the generated fluent.conf needs to know. */
export interface FluentdConfigOptions {
  readonly elasticsearchUrl: string;
  readonly dataStream: string;
  /** CA file to verify Elasticsearch with, for https. */
  readonly caFile?: string;
  readonly usernameFile: string;
  readonly passwordFile: string;
  /** Glob of this DaemonSet's own log files, which are never read. */
  readonly ownLogs: string;
  readonly profile: FluentdProfile;
}

export class Fluentd extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'fluentd', component: 'log-collector', image: IMAGES.fluentd };

  public readonly serviceName = 'fluentd';
  public readonly metricsPort = METRICS_PORT;
  /** The generated fluent.conf. */
  public readonly config: string;
  /** Directory on every node holding the buffer and read positions. */
  public readonly hostPath: string;

  constructor(scope: Construct, id: string, props: FluentdProps) {
    super(scope, id);
    const { ctx, profile, elasticsearch: es } = props;
    const ident = Fluentd.identity;
    const name = ident.name;
    this.hostPath = profile.hostPath ?? FLUENTD_DEFAULTS.hostPath(ctx.namespace);

    const creds = es.addClient({
      name: 'fluentd',
      indices: [props.dataStream],
      // Append only: create_doc writes new documents and can neither read, overwrite nor delete.
      indexPrivileges: ['create_doc', 'auto_configure'],
      clusterPrivileges: ['monitor'],
    });

    const ca = elasticsearchCaTrust(es, 'ca', CA_DIR);
    this.config = renderFluentdConfig({
      elasticsearchUrl: es.url,
      dataStream: props.dataStream,
      caFile: ca?.file,
      usernameFile: `${CREDENTIALS_DIR}/username`,
      passwordFile: `${CREDENTIALS_DIR}/password`,
      // /var/log/containers/<pod>_<namespace>_<container>-<id>.log
      ownLogs: `/var/log/containers/${name}-*_${ctx.namespace}_${name}-*.log`,
      profile,
    });

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: true });
    const role = new k8s.KubeClusterRole(this, 'role', {
      metadata: clusterMetadata(ctx, ident, name),
      rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: clusterMetadata(ctx, ident, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ctx.namespace }],
    });
    new k8s.KubeConfigMap(this, 'config', { metadata: metadata(ctx, ident, `${name}-config`), data: { 'fluent.conf': this.config } });
    nodeAgentService(this, 'service', ctx, ident, METRICS_PORT);

    nodeAgentDaemonSet(this, 'daemonset', {
      ctx,
      identity: ident,
      // Reading other pods' log files (owned by root, mode 0640) needs root; it gets no capability.
      runAsUser: 0,
      automountServiceAccountToken: true,
      securityException: {
        controls: ['HostPath Volumes', 'Volume Types', 'Running as Non-root', 'Running as Non-root user'],
        needs: ['hostPath /var/log (read-only)', `hostPath ${this.hostPath} (buffer and read positions)`, 'runAsUser 0'],
        reason:
          "container logs exist only on each node's disk (/var/log/pods, root-owned, mode 0640), and the buffer must outlive the pod so that no log is lost on a restart; it runs with no capability, no privilege escalation, RuntimeDefault seccomp and a read-only root filesystem",
      },
      podAnnotations: { 'checksum/config': checksum(this.config) },
      enableServiceLinks: false,
      // The file buffer survives a restart, so there is no need to flush it before stopping.
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name,
          image: image(ctx, ident.image),
          imagePullPolicy: 'IfNotPresent',
          // The image's entrypoint rewrites its own config files; run fluentd on ours directly.
          command: ['tini', '--', 'fluentd', '--config', `${CONFIG_DIR}/fluent.conf`, '--plugin', '/fluentd/plugins'],
          env: [
            // Lets the metadata filter watch only this node's pods.
            { name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ],
          ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
          resources: resources(profile.resources),
          securityContext: {
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
          readinessProbe: httpProbe('/metrics', METRICS_PORT, { periodSeconds: 15 }),
          livenessProbe: httpProbe('/metrics', METRICS_PORT, { initialDelaySeconds: 30, periodSeconds: 30, failureThreshold: 5 }),
          volumeMounts: [
            { name: 'varlog', mountPath: '/var/log', readOnly: true },
            { name: 'state', mountPath: STATE_DIR },
            { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
            { name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true },
            ...caMountsOf(ca),
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        // Container logs (/var/log/containers links to /var/log/pods).
        hostPathVolume('varlog', '/var/log', 'Directory'),
        // Buffer and read positions: on the node, so a new pod resumes where the old one stopped.
        hostPathVolume('state', this.hostPath, 'DirectoryOrCreate'),
        { name: 'config', configMap: { name: `${name}-config` } },
        credentialsVolume('credentials', creds, 0o400),
        ...caVolumesOf(ca),
        emptyDir('tmp'),
      ],
    });
  }
}

/** Fluentd's size notation: whole MiB or GiB. */
function size(bytes: number): string {
  const mi = Math.round(bytes / 1024 ** 2);
  return mi % 1024 === 0 ? `${mi / 1024}g` : `${mi}m`;
}

/** A Ruby expression (in a record_transformer) matching `<name>=<hex>` or `"<name>":"<hex>"` in the message. */
function idFromMessage(names: string, hexDigits: number): string {
  return `\${(m = record["message"].to_s.match(/\\b(?:${names})["']?\\s*[:=]\\s*["']?([0-9a-fA-F]{${hexDigits}})\\b/)) ? m[1].downcase : nil}`;
}

/** The fluent.conf of the DaemonSet. */
export function renderFluentdConfig(o: FluentdConfigOptions): string {
  const b = o.profile.buffer;
  const D = FLUENTD_DEFAULTS.buffer;
  const url = new URL(o.elasticsearchUrl);
  const F = LOG_FIELDS;
  return `# Generated: container logs on this node -> Elasticsearch data stream "${o.dataStream}".
# Logs are delayed, never dropped, while Elasticsearch is unreachable (file buffer, retry forever,
# block when full). Field names: see LOG_FIELDS (lib/components/logging/log-fields.ts).

<system>
  log_level info
  <log>
    format json
  </log>
</system>

# Prometheus metrics on :${METRICS_PORT}/metrics: output buffer, retries and errors.
<source>
  @type prometheus
  @id in_prometheus
  bind 0.0.0.0
  port ${METRICS_PORT}
  metrics_path /metrics
</source>

<source>
  @type prometheus_output_monitor
  @id in_prometheus_output_monitor
  interval 10
</source>

# Fluentd's own log goes to its container output only (and that file is never tailed).
<label @FLUENT_LOG>
  <match **>
    @type null
  </match>
</label>

<source>
  @type tail
  @id in_tail_container_logs
  @label @CONTAINERS
  path /var/log/containers/*.log
  exclude_path ["${o.ownLogs}"]
  pos_file ${STATE_DIR}/containers.log.pos
  pos_file_compaction_interval 1h
  tag kubernetes.*
  read_from_head true
  follow_inodes true
  refresh_interval 10
  rotate_wait 5
  <parse>
    @type cri
  </parse>
</source>

<label @CONTAINERS>
  # CRI splits long lines into partial (P) records closed by a full (F) one: join them.
  <filter kubernetes.**>
    @type concat
    @id filter_concat_cri_partials
    key message
    use_partial_cri_logtag true
    partial_cri_logtag_key logtag
    partial_cri_stream_key stream
    separator ""
    flush_interval 5
    timeout_label @ENRICH
  </filter>

  <match kubernetes.**>
    @type relabel
    @label @ENRICH
  </match>
</label>

<label @ENRICH>
  <filter kubernetes.**>
    @type kubernetes_metadata
    @id filter_kubernetes_metadata
    skip_container_metadata true
    skip_master_url true
    skip_namespace_metadata true
  </filter>

  # One flat set of field names for every log line (LOG_FIELDS).
  <filter kubernetes.**>
    @type record_transformer
    @id filter_log_fields
    enable_ruby true
    renew_record true
    keep_keys message
    <record>
      ${F.stream} \${record["stream"]}
      ${F.level} \${(m = record["message"].to_s.match(/\\blevel["']?\\s*[:=]\\s*["']?(trace|debug|info|notice|warn|warning|error|err|fatal|critical|panic)\\b/i)) ? m[1].downcase : nil}
      ${F.namespace} \${record.dig("kubernetes", "namespace_name")}
      ${F.pod} \${record.dig("kubernetes", "pod_name")}
      ${F.container} \${record.dig("kubernetes", "container_name")}
      ${F.node} \${record.dig("kubernetes", "host")}
      ${F.app} \${(l = record.dig("kubernetes", "labels")) ? (l["app_kubernetes_io/name"] || l["app"]) : nil}
      ${F.traceId} ${idFromMessage('trace[_.-]?id', 32)}
      ${F.spanId} ${idFromMessage('span[_.-]?id', 16)}
    </record>
  </filter>

  <filter kubernetes.**>
    @type prometheus
    @id filter_prometheus_records
    <metric>
      name fluentd_input_status_num_records_total
      type counter
      desc Container log records read on this node.
    </metric>
  </filter>

  <match kubernetes.**>
    @type elasticsearch
    @id out_elasticsearch
    hosts ${url.protocol}//${url.host}
    user "#{File.read('${o.usernameFile}').strip}"
    password "#{File.read('${o.passwordFile}').strip}"
${o.caFile ? `    ca_file ${o.caFile}\n    ssl_verify true\n    ssl_version TLSv1_2\n` : ''}    index_name ${o.dataStream}
    # Data streams take "create" only; documents are never overwritten.
    write_operation create
    include_timestamp true
    time_precision 9
    suppress_type_name true
    # Start even when Elasticsearch is down: the buffer takes the logs meanwhile.
    verify_es_version_at_startup false
    default_elasticsearch_version 8
    reconnect_on_error true
    reload_connections false
    reload_on_failure false
    request_timeout 30s
    log_es_400_reason true
    <buffer>
      @type file
      path ${STATE_DIR}/buffer/elasticsearch
      total_limit_size ${size(b.totalLimitGi * 1024 ** 3)}
      chunk_limit_size ${size((b.chunkLimitMi ?? D.chunkLimitMi) * 1024 ** 2)}
      flush_mode interval
      flush_interval ${b.flushInterval ?? D.flushInterval}
      flush_thread_count ${b.flushThreads ?? D.flushThreads}
      flush_at_shutdown false
      overflow_action block
      retry_type exponential_backoff
      retry_wait 1s
      retry_exponential_backoff_base 2
      retry_max_interval ${b.retryMaxInterval ?? D.retryMaxInterval}
      retry_randomize true
      retry_forever true
    </buffer>
  </match>
</label>

# Records Elasticsearch rejected (a mapping conflict, HTTP 400) cannot be retried: print them to
# Fluentd's own output for inspection.
<label @ERROR>
  <match **>
    @type stdout
  </match>
</label>
`;
}
