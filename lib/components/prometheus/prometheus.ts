/**
 * Prometheus as a StatefulSet: generated prometheus.yml from typed scrape jobs, rule files from
 * ConfigMaps, least-privilege service discovery RBAC, and, with more than one replica, an HA pair
 * (per-pod `replica` external label dropped from alerts, a PVC per replica, a disruption budget and
 * pods spread over nodes).
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import {
  ComponentIdentity,
  StackContext,
  checksum,
  clusterMetadata,
  disruptionBudget,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
  spreadConstraints,
  statefulStorage,
  toYaml,
} from '../../core/k8s';
import { publishEndpoint } from '../../core/endpoints';
import { PrometheusProfile } from './profile';
import { parseDuration } from '../../core/units';
import { ConfigError } from '../../core/errors';
import { ScrapeJob, renderScrapeJob, renderRelabel, Relabel, serviceJob } from './scrape';
import { GrafanaDatasource } from '../grafana/datasource';
import { Flow, FlowContext } from '../network-policies/flows';
import { prometheusFlows } from './flows';
import type { RuleFile } from '../../rules/types';
import type { MetricsReadPath, PrometheusPod, PrometheusSidecar } from './sidecar';
import { RuleFileText, packRuleFiles, ruleConfigMapName, splitRuleFile } from './rule-configmaps';
import { checkJobIntervals, jobIntervalTiming, scrapeTimeout, withJobIntervals } from './job-intervals';

/** Anything that receives alerts from Prometheus: every peer is listed, never a load-balanced Service. */
export interface IAlertReceiver {
  /** `host:port` of every Alertmanager peer. */
  readonly peerAddresses: readonly string[];
}

export interface PrometheusProps {
  readonly ctx: StackContext;
  readonly profile: PrometheusProfile;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** Labels attached to every alert and remote-written series. @default {} */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Where alerts go. @default - alerting disabled */
  readonly alertmanager?: IAlertReceiver;
  /** The uid of the Grafana datasource an exemplar's trace id opens in. @default - no exemplar links */
  readonly traceDatasourceUid?: string;
  /**
   * A container that joins every Prometheus pod (such as one that ships its blocks), built from
   * the pod's layout. @default - Prometheus alone
   */
  readonly sidecar?: (pod: PrometheusPod) => PrometheusSidecar;
}

/** The uid of the Prometheus datasource in Grafana. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

const PORT = 9090;
const CONFIG_DIR = '/etc/prometheus/config';
const RULES_DIR = '/etc/prometheus/rules';
const DATA_DIR = '/prometheus';

export class Prometheus extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'prometheus', component: 'metrics-server', image: IMAGES.prometheus };

  /** In-cluster URL of the Prometheus API and UI. */
  public readonly url: string;
  public readonly serviceName: string;
  public readonly port = PORT;
  public readonly replicas: number;
  /** The ServiceAccount Prometheus runs as (it calls the Kubernetes API for discovery). */
  public readonly serviceAccountName: string;
  /** The namespace the replicas run in. */
  public readonly namespace: string;
  /** The headless Service that names every replica (and its sidecar's ports, if any). */
  public readonly headlessServiceName: string;

  private readonly added: ScrapeJob[] = [];
  private readonly ruleFiles = new Map<string, RuleFileText>();
  /** The rules ConfigMaps, one per bin of packed rule files. */
  private readonly ruleConfigMapObjects: k8s.KubeConfigMap[] = [];
  private ruleBins: RuleFileText[][] = [];
  private readonly props: PrometheusProps;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    this.props = props;
    const { ctx, profile } = props;
    const ident = Prometheus.identity;
    const name = ident.name;
    const selector = selectorLabels(ctx, ident);
    this.replicas = profile.replicas;
    this.serviceName = name;
    this.serviceAccountName = name;
    this.namespace = ctx.namespace;
    this.url = `http://${name}.${ctx.namespace}.svc:${PORT}`;
    publishEndpoint(this, { name: 'prometheus', url: this.url, description: 'Prometheus: query API and UI (PromQL), also where Grafana reads metrics' });

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: true });

    // Service discovery needs read access to these, and nothing else.
    const role = new k8s.KubeClusterRole(this, 'role', {
      metadata: clusterMetadata(ctx, ident, name),
      rules: [
        { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
        { nonResourceUrLs: ['/metrics', '/metrics/cadvisor'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: clusterMetadata(ctx, ident, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ctx.namespace }],
    });

    const configText = Lazy.any({ produce: () => toYaml(this.renderConfig()) });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: metadata(ctx, ident, `${name}-config`),
      data: { 'prometheus.yml': configText as unknown as string },
    });
    this.syncRuleConfigMaps();

    new k8s.KubeService(this, 'service', {
      metadata: metadata(ctx, ident, name),
      spec: { selector, ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }] },
    });
    const headless = `${name}-headless`;
    this.headlessServiceName = headless;
    const sidecar = props.sidecar?.({ dataVolume: 'data', dataDir: DATA_DIR, port: PORT });
    new k8s.KubeService(this, 'headless', {
      metadata: metadata(ctx, ident, headless),
      spec: {
        clusterIp: 'None',
        selector,
        ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT) }, ...(sidecar?.servicePorts ?? [])],
      },
    });

    const storage = statefulStorage('data', profile.storage, selector);
    // The sidecar's volumes join the pod's, after the data volume.
    storage.volumes.push(...(sidecar?.volumes ?? []));
    const rulesVolume = Lazy.any({ produce: () => this.rulesVolume() }) as unknown as k8s.Volume;
    const args = [
      `--config.file=${CONFIG_DIR}/prometheus.yml`,
      `--storage.tsdb.path=${DATA_DIR}`,
      `--storage.tsdb.retention.time=${profile.retention}`,
      ...(profile.retentionSizeGi !== undefined ? [`--storage.tsdb.retention.size=${profile.retentionSizeGi}GB`] : []),
      `--web.listen-address=:${PORT}`,
      // Links in notifications open where people reach Prometheus; routes stay at / for in-cluster clients.
      `--web.external-url=${profile.externalUrl ?? this.url}`,
      '--web.route-prefix=/',
      // Keep exemplars (trace ids attached to histogram samples) so Grafana can link to traces.
      '--enable-feature=exemplar-storage',
      ...(sidecar?.prometheusArgs ?? []),
    ];

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: metadata(ctx, ident, name),
      spec: {
        serviceName: headless,
        replicas: profile.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: {
            labels: metadata(ctx, ident, name).labels,
            annotations: {
              // A change of configuration or rules rolls the pods, one at a time.
              'checksum/config': Lazy.any({
                produce: () => checksum(JSON.stringify(this.renderConfig()), ...Object.entries(this.ruleFileData()).flat()),
              }) as unknown as string,
              ...(sidecar ? { 'checksum/sidecar': checksum(sidecar.configText) } : {}),
            },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            securityContext: nonRootPod(65534),
            terminationGracePeriodSeconds: 600,
            topologySpreadConstraints: spreadConstraints(ctx, selector, profile.replicas),
            containers: [
              {
                name: 'prometheus',
                image: image(ctx, ident.image),
                imagePullPolicy: 'IfNotPresent',
                args,
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                ports: [{ name: 'http', containerPort: PORT }],
                resources: resources(profile.resources),
                securityContext: restrictedContainer(),
                readinessProbe: httpProbe('/-/ready', PORT, { periodSeconds: 5, failureThreshold: 3 }),
                livenessProbe: httpProbe('/-/healthy', PORT, { periodSeconds: 15, failureThreshold: 6 }),
                // WAL replay after a restart can take minutes on a large head block.
                startupProbe: httpProbe('/-/ready', PORT, { periodSeconds: 10, failureThreshold: 60 }),
                volumeMounts: [
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  { name: 'rules', mountPath: RULES_DIR, readOnly: true },
                  { name: 'data', mountPath: DATA_DIR },
                ],
              },
              ...(sidecar?.containers ?? []),
            ],
            volumes: [{ name: 'config', configMap: { name: `${name}-config` } }, rulesVolume, ...storage.volumes],
          },
        },
        volumeClaimTemplates: storage.volumeClaimTemplates.length ? storage.volumeClaimTemplates : undefined,
        persistentVolumeClaimRetentionPolicy: storage.volumeClaimTemplates.length ? { whenDeleted: 'Retain', whenScaled: 'Retain' } : undefined,
      },
    });
    disruptionBudget(this, ctx, ident, name, selector, profile.replicas);
  }

  /** Its own job: every replica scrapes every replica, itself included. */
  public scrapeJobs(): ScrapeJob[] {
    return [serviceJob({ name: 'prometheus', namespace: this.namespace, service: this.serviceName, port: 'http' })];
  }

  /** Grafana's default datasource; exemplars carrying a trace id link a latency point to its trace. */
  public datasources(): GrafanaDatasource[] {
    return [this.grafanaDatasource()];
  }

  /**
   * The default datasource (uid `prometheus`, which every dashboard names), reading Prometheus
   * itself or, with `via`, whatever answers PromQL in its place over these metrics.
   */
  public grafanaDatasource(via?: MetricsReadPath): GrafanaDatasource {
    const traces = this.props.traceDatasourceUid;
    return {
      name: 'Prometheus',
      uid: PROMETHEUS_DATASOURCE_UID,
      type: 'prometheus',
      url: via?.url ?? this.url,
      isDefault: true,
      jsonData: {
        timeInterval: this.props.scrapeInterval,
        httpMethod: 'POST',
        ...(traces ? { exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: traces }] } : {}),
        ...(via?.jsonData ?? {}),
      },
    };
  }

  public flows(net: FlowContext): Flow[] {
    return prometheusFlows(this, net);
  }

  /** Adds a scrape job; job names must be unique. */
  public addScrapeJob(job: ScrapeJob): ScrapeJob {
    if (this.added.some((j) => j.name === job.name)) {
      throw new ConfigError(`prometheus "${this.node.path}"`, 'scrape job name', job.name, 'give every scrape job a distinct name');
    }
    if (job.interval !== undefined && parseDuration(job.interval) === undefined) {
      throw new ConfigError(`scrape job "${job.name}"`, 'interval', job.interval, 'use a Prometheus duration such as "30s"');
    }
    this.added.push(job);
    return job;
  }

  /**
   * Adds a rule file, loaded from one of the rules ConfigMaps. A file over RULE_CONFIGMAP_BUDGET
   * is split by rule group into `<name>-1.yaml`, `<name>-2.yaml`, ... (rule-configmaps.ts).
   */
  public addRuleFile(file: RuleFile): RuleFile {
    if (!/^[a-z0-9][-a-z0-9_.]*\.ya?ml$/.test(file.fileName)) {
      throw new ConfigError(`prometheus rule file`, 'fileName', file.fileName, 'use a lowercase file name ending in .yaml');
    }
    const parts = splitRuleFile(file.fileName, file.content);
    for (const p of parts) {
      if (this.ruleFiles.has(p.fileName)) {
        throw new ConfigError(`prometheus rule file`, 'fileName', p.fileName, 'give every rule file a distinct name');
      }
    }
    for (const p of parts) this.ruleFiles.set(p.fileName, p);
    this.syncRuleConfigMaps();
    return file;
  }

  /** The rules ConfigMaps' names, each with the rule files it holds: `prometheus-rules`, then `prometheus-rules-2`, ... */
  public ruleConfigMaps(): ReadonlyArray<{ readonly name: string; readonly files: Readonly<Record<string, string>> }> {
    return this.ruleBins.map((bin, i) => ({
      name: ruleConfigMapName(`${this.serviceName}-rules`, i),
      files: Object.fromEntries(bin.map((f) => [f.fileName, f.text])),
    }));
  }

  /** Re-packs the rule files and keeps one ConfigMap per bin (at least one, possibly empty). */
  private syncRuleConfigMaps(): void {
    this.ruleBins = packRuleFiles([...this.ruleFiles.values()]);
    const wanted = Math.max(1, this.ruleBins.length);
    const { ctx } = this.props;
    while (this.ruleConfigMapObjects.length < wanted) {
      const i = this.ruleConfigMapObjects.length;
      this.ruleConfigMapObjects.push(
        new k8s.KubeConfigMap(this, i === 0 ? 'rules' : `rules-${i + 1}`, {
          metadata: metadata(ctx, Prometheus.identity, ruleConfigMapName(`${this.serviceName}-rules`, i)),
          data: Lazy.any({ produce: () => this.ruleConfigMaps()[i]?.files ?? {} }) as unknown as Record<string, string>,
        }),
      );
    }
    while (this.ruleConfigMapObjects.length > wanted) this.node.tryRemoveChild(this.ruleConfigMapObjects.pop()!.node.id);
  }

  /** One ConfigMap volume, or a projected volume of every rules ConfigMap when there are several. */
  private rulesVolume(): k8s.Volume {
    const names = this.ruleConfigMapObjects.map((_, i) => ruleConfigMapName(`${this.serviceName}-rules`, i));
    if (names.length === 1) return { name: 'rules', configMap: { name: names[0] } };
    return { name: 'rules', projected: { sources: names.map((n) => ({ configMap: { name: n } })) } };
  }

  /** The global scrape and evaluation intervals and each job's own interval, where it sets one. */
  public get timing(): {
    readonly scrapeInterval: string;
    readonly evaluationInterval: string;
    readonly jobs: ReadonlyArray<{ readonly name: string; readonly interval?: string }>;
  } {
    const own = this.props.profile.scrapeIntervals ?? {};
    checkJobIntervals(this.added, own);
    return {
      scrapeInterval: this.props.scrapeInterval,
      evaluationInterval: this.props.evaluationInterval,
      jobs: jobIntervalTiming(this.added, own),
    };
  }

  /** The scrape jobs, in the order they were added. */
  public get jobs(): readonly ScrapeJob[] {
    return [...this.added];
  }

  /** Rule files by name, as the YAML text Prometheus loads, across every rules ConfigMap. */
  public ruleFileData(): Record<string, string> {
    const data: Record<string, string> = {};
    for (const [k, v] of [...this.ruleFiles.entries()].sort(([a], [b]) => a.localeCompare(b))) data[k] = v.text;
    return data;
  }

  /** The prometheus.yml document. */
  public renderConfig(): Record<string, unknown> {
    const { profile, alertmanager } = this.props;
    const external: Record<string, string> = { ...(this.props.externalLabels ?? {}) };
    const ha = profile.replicas > 1;
    if (ha) external.replica = '${POD_NAME}';
    const alertRelabel: Relabel[] = ha ? [{ action: 'labeldrop', regex: 'replica' }] : [];
    const config: Record<string, unknown> = {
      global: {
        scrape_interval: this.props.scrapeInterval,
        scrape_timeout: scrapeTimeout(this.props.scrapeInterval),
        evaluation_interval: this.props.evaluationInterval,
        external_labels: external,
      },
      rule_files: [`${RULES_DIR}/*.yaml`],
    };
    if (alertmanager) {
      config.alerting = {
        ...(alertRelabel.length ? { alert_relabel_configs: alertRelabel.map(renderRelabel) } : {}),
        alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [...alertmanager.peerAddresses] }] }],
      };
    }
    const own = this.props.profile.scrapeIntervals ?? {};
    checkJobIntervals(this.added, own);
    config.scrape_configs = withJobIntervals(this.added, own).map(renderScrapeJob);
    return config;
  }
}
