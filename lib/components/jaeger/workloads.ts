/**
 * The Kubernetes objects of Jaeger's processes: the ServiceAccount they share, one Deployment
 * (with its ConfigMap and disruption budget) per role, and the two Services clients use.
 */
import { caMountsOf, caVolumesOf } from '../../core/trust';
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ComponentIdentity,
  StackContext,
  checksum,
  disruptionBudget,
  emptyDir,
  httpProbe,
  image,
  metadata,
  nonRootPod,
  resources,
  restrictedContainer,
  selectorLabels,
  spreadConstraints,
} from '../../core/k8s';
import { Resources } from '../../core/workload';
import { ElasticsearchCredentials, IElasticsearchEndpoint } from '../elasticsearch/endpoint';
import {
  CONFIG_DIR,
  ES_CREDENTIALS_DIR,
  JAEGER_PORTS,
  JaegerRole,
  SAMPLING_CONFIGMAP,
  SAMPLING_DIR,
  SERVICE_ACCOUNT,
  receivesSpans,
  servesQueries,
  elasticsearchCa,
} from './layout';

/** One Jaeger process: its role, its Deployment's name and size, its Elasticsearch user. */
export interface Workload {
  readonly role: JaegerRole;
  readonly identity: ComponentIdentity;
  readonly name: string;
  readonly replicas: number;
  readonly resources: Resources;
  readonly credentials?: ElasticsearchCredentials;
}

/** The labels that select the pods of one workload and no other. */
export function podSelector(ctx: StackContext, w: Workload): Record<string, string> {
  return { ...selectorLabels(ctx, w.identity), 'app.kubernetes.io/component': w.identity.component };
}

/** The ServiceAccount every Jaeger pod runs as, without a token. */
export function addServiceAccount(scope: Construct, ctx: StackContext, ident: ComponentIdentity): void {
  new k8s.KubeServiceAccount(scope, 'sa', { metadata: metadata(ctx, ident, SERVICE_ACCOUNT), automountServiceAccountToken: false });
}

/** The ConfigMap of the sampling strategies document. */
export function addSamplingConfigMap(scope: Construct, ctx: StackContext, ident: ComponentIdentity, samplingJson: string): void {
  new k8s.KubeConfigMap(scope, 'sampling', { metadata: metadata(ctx, ident, SAMPLING_CONFIGMAP), data: { 'strategies.json': samplingJson } });
}

export interface WorkloadOptions {
  readonly ctx: StackContext;
  readonly workload: Workload;
  /** The Elasticsearch spans are kept in, if any: its CA Secret is mounted beside the credentials. */
  readonly elasticsearch?: IElasticsearchEndpoint;
  /** The sampling strategies document; a change rolls the processes that serve it. */
  readonly samplingJson: string;
  /** The process's configuration file, produced when the chart is synthesized. */
  readonly configYaml: () => string;
}

/** The Deployment of one process, its configuration ConfigMap and, when replicated, its disruption budget. */
export function addWorkload(parent: Construct, opts: WorkloadOptions): void {
  const { ctx, workload: w, samplingJson, configYaml } = opts;
  const scope = new Construct(parent, w.role);
  const selector = podSelector(ctx, w);
  const configName = `${w.name}-config`;
  const configText = Lazy.any({ produce: () => configYaml() }) as unknown as string;
  new k8s.KubeConfigMap(scope, 'config', { metadata: metadata(ctx, w.identity, configName), data: { 'config.yaml': configText } });

  const receives = receivesSpans(w.role);
  const serves = servesQueries(w.role);
  const ports: k8s.ContainerPort[] = [
    ...(receives
      ? [
          { name: 'otlp-grpc', containerPort: JAEGER_PORTS.otlpGrpc },
          { name: 'otlp-http', containerPort: JAEGER_PORTS.otlpHttp },
          { name: 'sampling-http', containerPort: JAEGER_PORTS.samplingHttp },
          { name: 'sampling-grpc', containerPort: JAEGER_PORTS.samplingGrpc },
        ]
      : []),
    ...(serves
      ? [
          { name: 'http', containerPort: JAEGER_PORTS.queryHttp },
          { name: 'grpc', containerPort: JAEGER_PORTS.queryGrpc },
        ]
      : []),
    { name: 'health', containerPort: JAEGER_PORTS.health },
    { name: 'metrics', containerPort: JAEGER_PORTS.metrics },
  ];

  const c = w.credentials;
  const es = opts.elasticsearch;
  // Only the roles with Elasticsearch credentials reach it.
  const ca = c ? elasticsearchCa(es) : undefined;
  const volumes: k8s.Volume[] = [
    { name: 'config', configMap: { name: configName } },
    ...(receives ? [{ name: 'sampling', configMap: { name: SAMPLING_CONFIGMAP } }] : []),
    emptyDir('tmp'),
    ...(c ? [{ name: 'es-credentials', secret: { secretName: c.secretName, defaultMode: 0o440, items: [{ key: c.passwordKey, path: 'password' }] } }] : []),
    ...caVolumesOf(ca),
  ];
  const mounts: k8s.VolumeMount[] = [
    { name: 'config', mountPath: CONFIG_DIR + '/config', readOnly: true },
    ...(receives ? [{ name: 'sampling', mountPath: SAMPLING_DIR, readOnly: true }] : []),
    { name: 'tmp', mountPath: '/tmp' },
    ...(c ? [{ name: 'es-credentials', mountPath: ES_CREDENTIALS_DIR, readOnly: true }] : []),
    ...caMountsOf(ca),
  ];

  new k8s.KubeDeployment(scope, 'deployment', {
    metadata: metadata(ctx, w.identity, w.name),
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: selector },
      // Memory storage lives in one pod: two at once would split the traces between them.
      strategy:
        w.role === 'all-in-one'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
      template: {
        metadata: {
          labels: metadata(ctx, w.identity, w.name).labels,
          annotations: {
            'checksum/config': Lazy.any({ produce: () => checksum(configYaml(), receives ? samplingJson : '') }) as unknown as string,
          },
        },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          securityContext: nonRootPod(10001),
          // Lets the collector flush its queue to storage on shutdown.
          terminationGracePeriodSeconds: 60,
          topologySpreadConstraints: spreadConstraints(ctx, selector, w.replicas),
          containers: [
            {
              name: 'jaeger',
              image: image(ctx, w.identity.image),
              imagePullPolicy: 'IfNotPresent',
              args: [`--config=${CONFIG_DIR}/config/config.yaml`],
              env: c ? [{ name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: c.secretName, key: c.usernameKey } } }] : [],
              ports,
              resources: resources(w.resources),
              securityContext: restrictedContainer(),
              readinessProbe: httpProbe('/status', JAEGER_PORTS.health, { periodSeconds: 10, failureThreshold: 3 }),
              livenessProbe: httpProbe('/status', JAEGER_PORTS.health, { initialDelaySeconds: 10, periodSeconds: 15, failureThreshold: 6 }),
              // Connecting to Elasticsearch and installing templates can take a while after a restart.
              startupProbe: httpProbe('/status', JAEGER_PORTS.health, { periodSeconds: 5, failureThreshold: 36 }),
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  });
  disruptionBudget(scope, ctx, w.identity, w.name, selector, w.replicas);
}

/**
 * The two Services, which exist in every shape so that clients never change their endpoints:
 * spans and sampling go to the process that receives them, people and Grafana to the one that
 * answers queries (the same all-in-one process with memory storage).
 */
export function addServices(
  scope: Construct,
  ctx: StackContext,
  workloads: readonly Workload[],
  names: { readonly collector: string; readonly query: string },
): void {
  const receiver = workloads.find((w) => receivesSpans(w.role))!;
  const server = workloads.find((w) => servesQueries(w.role))!;
  const tcp = (name: string, port: number, appProtocol?: string): k8s.ServicePort => ({
    name,
    port,
    targetPort: k8s.IntOrString.fromNumber(port),
    protocol: 'TCP',
    ...(appProtocol ? { appProtocol } : {}),
  });
  new k8s.KubeService(scope, 'collector-service', {
    metadata: metadata(ctx, receiver.identity, names.collector),
    spec: {
      selector: podSelector(ctx, receiver),
      ports: [
        tcp('otlp-grpc', JAEGER_PORTS.otlpGrpc, 'grpc'),
        tcp('otlp-http', JAEGER_PORTS.otlpHttp, 'http'),
        tcp('sampling-http', JAEGER_PORTS.samplingHttp, 'http'),
        tcp('sampling-grpc', JAEGER_PORTS.samplingGrpc, 'grpc'),
        tcp('metrics', JAEGER_PORTS.metrics, 'http'),
      ],
    },
  });
  new k8s.KubeService(scope, 'query-service', {
    metadata: metadata(ctx, server.identity, names.query),
    spec: {
      selector: podSelector(ctx, server),
      ports: [
        tcp('http', JAEGER_PORTS.queryHttp, 'http'),
        tcp('grpc', JAEGER_PORTS.queryGrpc, 'grpc'),
        // The all-in-one process is scraped once, through the collector Service.
        ...(server.role === 'query' ? [tcp('metrics', JAEGER_PORTS.metrics, 'http')] : []),
      ],
    },
  });
}
