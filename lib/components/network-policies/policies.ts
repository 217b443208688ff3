/**
 * NetworkPolicies: every pod of the namespace starts with nothing allowed in or out (default
 * deny, both directions) except cluster DNS; then each flow the stack needs is declared once,
 * with its reason, through `allow()`. A flow between two of the stack's own pod groups gives the
 * source an egress rule and the target an ingress rule; a flow to or from a peer outside the
 * namespace (the monitored namespaces, the API server, the nodes, the receivers) gives only the
 * stack's side its rule. Each pod group gets one NetworkPolicy named after it.
 *
 * `declareStackFlows()` states the flows of a MonitoringStack from its components, so a component
 * added to the stack gets its policy here, next to the others, where a reviewer sees them all.
 */
import { portOfAddress } from '../../core/addresses';
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { MonitoringStack } from '../../stack';
import { ConfigError } from '../../core/errors';
import { ComponentIdentity, StackContext, metadata, podSelector } from '../../core/k8s';
import { CidrPeer, DEFAULT_DNS, NamespacePeer, NetworkPeer, NetworkProfile, PRIVATE_RANGES, annotatedScrapeNamespaces } from './profile';
import { Alertmanager } from '../alertmanager/alertmanager';
import { Grafana } from '../grafana/grafana';
import { KubeStateMetrics } from '../kube-state-metrics/kube-state-metrics';
import { Pushgateway } from '../pushgateway/pushgateway';
import { Prometheus } from '../prometheus/prometheus';
import { Elasticsearch, ELASTICSEARCH_SETUP_COMPONENT, ELASTICSEARCH_TRANSPORT_PORT } from '../elasticsearch/elasticsearch';
import { Kibana, KIBANA_SETUP_COMPONENT } from '../kibana/kibana';
import { Fluentd } from '../fluentd/fluentd';
import { ElasticsearchExporter } from '../elasticsearch/exporter';
import { Jaeger } from '../jaeger/jaeger';
import { JAEGER_INDEX_CLEANER_COMPONENT } from '../jaeger/index-cleaner';
import { JAEGER_PORTS } from '../jaeger/layout';

/** A set of the stack's own pods, selected by labels; its NetworkPolicy carries its name. */
export interface PodGroup {
  /** Name of the group's NetworkPolicy, such as `prometheus` or `elasticsearch-setup`. */
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  /** The component the pods belong to: its recommended labels go on the policy. */
  readonly identity: ComponentIdentity;
}

export interface PortSpec {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** One side of a flow: the stack's own pods, or peers outside the namespace. */
export type FlowEnd = { readonly pods: PodGroup } | { readonly peers: readonly NetworkPeer[]; /** How the docs name these peers. */ readonly label: string };

export interface Flow {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** Destination ports. @default - every port */
  readonly ports?: readonly PortSpec[];
  /** Why the flow exists, for reviewers and docs/security.md. */
  readonly why: string;
}

export interface NetworkPoliciesProps {
  readonly ctx: StackContext;
  readonly profile: NetworkProfile;
}

interface GroupRules {
  readonly group: PodGroup;
  readonly ingress: k8s.NetworkPolicyIngressRule[];
  readonly egress: k8s.NetworkPolicyEgressRule[];
}

/** The namespace-wide policies belong to no component; their version is the revision of their design. */
const NAMESPACE_POLICIES: ComponentIdentity = { name: 'network-policies', component: 'network-policy', image: { registry: '', repository: '', tag: '1' } };

export class NetworkPolicies extends Construct {
  private readonly ctx: StackContext;
  private readonly groups = new Map<string, GroupRules>();
  private readonly declared: Flow[] = [];

  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    this.ctx = props.ctx;
    const meta = (name: string): k8s.ObjectMeta => metadata(this.ctx, NAMESPACE_POLICIES, name);
    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    const dns = props.profile.dns ?? DEFAULT_DNS;
    new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: meta('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [peerOf(dns), ...(props.profile.nodeLocalDns ?? []).map((ip) => peerOf({ cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32` }))],
            ports: [53, 53].map((port, i) => ({ port: k8s.IntOrString.fromNumber(port), protocol: i === 0 ? 'UDP' : 'TCP' })),
          },
        ],
      },
    });
  }

  /** Allows one flow; both of the stack's ends get their rule. Returns the flow. */
  public allow(flow: Flow): Flow {
    if (!('pods' in flow.from) && !('pods' in flow.to)) {
      throw new ConfigError(
        'network policies',
        'flow',
        flow.why,
        "one end of a flow must be pods of the stack: policies can only govern the stack's own namespace",
      );
    }
    for (const end of [flow.from, flow.to]) {
      if (!('pods' in end) && end.peers.length === 0)
        throw new ConfigError('network policies', `flow "${flow.why}" peers`, end.peers, 'name at least one peer');
    }
    const ports = flow.ports?.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
    const peersOf = (end: FlowEnd): k8s.NetworkPolicyPeer[] =>
      'pods' in end ? [{ podSelector: { matchLabels: { ...end.pods.selector } } }] : end.peers.map(peerOf);
    if ('pods' in flow.from) this.rules(flow.from.pods).egress.push({ to: peersOf(flow.to), ...(ports ? { ports } : {}) });
    if ('pods' in flow.to) this.rules(flow.to.pods).ingress.push({ from: peersOf(flow.from), ...(ports ? { ports } : {}) });
    this.declared.push(flow);
    return flow;
  }

  /** Every flow allowed, in declaration order. */
  public get flows(): readonly Flow[] {
    return [...this.declared];
  }

  private rules(group: PodGroup): GroupRules {
    const known = this.groups.get(group.name);
    if (known) {
      if (JSON.stringify(known.group.selector) !== JSON.stringify(group.selector)) {
        throw new ConfigError(
          'network policies',
          `pod group "${group.name}"`,
          group.selector,
          `use one selector per group name (already ${JSON.stringify(known.group.selector)})`,
        );
      }
      return known;
    }
    const g: GroupRules = { group, ingress: [], egress: [] };
    this.groups.set(group.name, g);
    new k8s.KubeNetworkPolicy(this, `group-${group.name}`, {
      metadata: metadata(this.ctx, group.identity, group.name),
      spec: {
        podSelector: { matchLabels: { ...group.selector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({ produce: () => (g.ingress.length ? g.ingress : undefined) }) as unknown as k8s.NetworkPolicyIngressRule[],
        egress: Lazy.any({ produce: () => (g.egress.length ? g.egress : undefined) }) as unknown as k8s.NetworkPolicyEgressRule[],
      },
    });
    return g;
  }
}

function peerOf(p: NetworkPeer): k8s.NetworkPolicyPeer {
  if ('cidr' in p) return { ipBlock: { cidr: p.cidr, ...(p.except?.length ? { except: [...p.except] } : {}) } };
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
    ...(p.podLabels ? { podSelector: { matchLabels: { ...p.podLabels } } } : {}),
  };
}

/** The stack's pods of one component identity. */
export function group(ctx: StackContext, id: ComponentIdentity, name: string = id.name, extra: Readonly<Record<string, string>> = {}): PodGroup {
  return { name, selector: { ...podSelector(ctx, id), ...extra }, identity: id };
}

/**
 * Where a `host` (or `host:port`) lives: an in-cluster Service's namespace, or the profile's
 * addresses for it. A Service of the stack's own namespace is refused: that namespace's
 * default-deny policies select every pod in it, the dependency's pods included, and no rule
 * admits traffic into pods the stack does not own, so the connection could never be made.
 */
export function peersOfHost(host: string, net: NetworkProfile, where: string, field: string, ownNamespace: string): NetworkPeer[] {
  const name = host.replace(/:\d+$/, '');
  const svc = /^(?:[a-z0-9-]+\.)+?([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(name);
  if (svc && svc[1] === ownNamespace) {
    throw new ConfigError(
      where,
      field,
      host,
      `"${name}" is a Service in the monitoring namespace "${ownNamespace}", whose default-deny NetworkPolicies block every connection to pods the stack does not own; run the dependency in a namespace of its own (such as "${name.split('.')[0]}.${ownNamespace}-db.svc") or outside the cluster (with network.externalHosts)`,
    );
  }
  if (svc) return [{ namespace: svc[1] }];
  const cidrs = net.externalHosts?.[name];
  if (!cidrs) {
    throw new ConfigError(
      where,
      'network.externalHosts',
      name,
      `"${name}" is not an in-cluster Service (<service>.<namespace>.svc): give its addresses in network.externalHosts, such as { "${name}": ["203.0.113.10/32"] }`,
    );
  }
  return cidrs.map((cidr) => ({ cidr }));
}

/** The port of a `host:port` (the profile checks have refused any port outside 1..65535). */
function portOf(hostPort: string): number {
  const port = portOfAddress(hostPort);
  if (port === undefined) throw new Error(`no port in "${hostPort}"`);
  return Number(port);
}

/** Host and port of a URL (the scheme's default port when none is written). */
function urlTarget(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
}

const tcp = (...ports: number[]): PortSpec[] => ports.map((port) => ({ port }));

/**
 * The flows of a MonitoringStack: scrapes, alerting, datasources, log and span shipping, the
 * Elasticsearch and Alertmanager meshes, the setup Jobs, OTLP ingest, the exporters' targets, the
 * API server for the components that call it, the UIs for their clients.
 */
export function declareStackFlows(net: NetworkPolicies, stack: MonitoringStack, profile: NetworkProfile): void {
  const ctx = stack.context;
  const where = `profile "${stack.profile.name}"`;
  const pods = (g: PodGroup): FlowEnd => ({ pods: g });
  const outside = (label: string, peers: readonly NetworkPeer[]): FlowEnd => ({ label, peers });
  const allow = (from: FlowEnd, to: FlowEnd, ports: readonly PortSpec[] | undefined, why: string) => net.allow({ from, to, ports, why });

  const prometheus = group(ctx, Prometheus.identity);
  const alertmanager = group(ctx, Alertmanager.identity);
  const grafana = group(ctx, Grafana.identity);
  const ksm = group(ctx, KubeStateMetrics.identity);
  const es = group(ctx, Elasticsearch.identity);
  const esSetup = group(ctx, { ...Elasticsearch.identity, component: ELASTICSEARCH_SETUP_COMPONENT }, 'elasticsearch-setup');
  const kibana = group(ctx, Kibana.identity);
  const kibanaSetup = group(ctx, { ...Kibana.identity, component: KIBANA_SETUP_COMPONENT }, 'kibana-setup');
  const fluentd = group(ctx, Fluentd.identity);
  const esExporter = group(ctx, ElasticsearchExporter.identity);

  const monitored: NamespacePeer[] = profile.monitoredNamespaces.map((namespace) => ({ namespace }));
  const uiClients = profile.uiClients ?? [];
  const apiServer = outside(
    'the Kubernetes API server',
    profile.apiServer.cidrs.map((cidr) => ({ cidr })),
  );
  const apiPorts = tcp(...(profile.apiServer.ports ?? [443, 6443]));
  const ui = (target: PodGroup, ports: PortSpec[], what: string) => {
    if (uiClients.length) allow(outside('UI clients (ingress)', uiClients), pods(target), ports, `people reach ${what} through the ingress`);
  };

  // Metrics: Prometheus scrapes every target, reads the API for discovery, alerts Alertmanager.
  allow(pods(prometheus), apiServer, apiPorts, 'service discovery, API server metrics, kubelet and cAdvisor metrics through the API server proxy');
  allow(
    pods(prometheus),
    outside(
      'node addresses',
      profile.nodeCidrs.map((cidr) => ({ cidr })),
    ),
    tcp(stack.nodeExporter.port),
    "node-exporter listens on each node's host network",
  );
  const annotated: NamespacePeer[] = annotatedScrapeNamespaces(profile).map((namespace) => ({ namespace }));
  if (annotated.length)
    allow(
      pods(prometheus),
      outside('monitored namespaces', annotated),
      undefined,
      'annotated Services and pods of the monitored system, on whatever port they annotate',
    );
  allow(pods(prometheus), pods(prometheus), tcp(stack.prometheus.port), 'each Prometheus replica scrapes every replica, itself included');
  allow(pods(prometheus), pods(alertmanager), tcp(stack.alertmanager.port), 'alerts to every Alertmanager peer; Alertmanager metrics');
  allow(pods(prometheus), pods(grafana), tcp(stack.grafana.port), 'Grafana metrics');
  allow(pods(prometheus), pods(ksm), tcp(stack.kubeStateMetrics.port), 'kube-state-metrics');
  allow(pods(prometheus), pods(fluentd), tcp(stack.logging.fluentd.metricsPort), 'Fluentd buffer and output metrics');
  allow(pods(prometheus), pods(esExporter), tcp(stack.logging.exporter.port), 'Elasticsearch metrics through the exporter');
  for (const w of stack.jaeger.workloads) allow(pods(prometheus), pods(group(ctx, w.ident, w.name)), tcp(JAEGER_PORTS.metrics), `${w.name} metrics`);
  ui(prometheus, tcp(stack.prometheus.port), 'the Prometheus UI');

  // The Pushgateway: CI pushes its results, Prometheus scrapes them.
  if (stack.pushgateway) {
    const pushgateway = group(ctx, Pushgateway.identity);
    allow(pods(prometheus), pods(pushgateway), tcp(stack.pushgateway.port), 'results CI pushed to the Pushgateway');
    const pushers = profile.pushgatewayClients ?? [];
    if (pushers.length) allow(outside('CI runners', pushers), pods(pushgateway), tcp(stack.pushgateway.port), 'CI pushes test and pipeline results');
  }

  // Alerting: the mesh and the receivers.
  if (stack.alertmanager.replicas > 1) {
    allow(
      pods(alertmanager),
      pods(alertmanager),
      [
        { port: stack.alertmanager.meshPort, protocol: 'TCP' },
        { port: stack.alertmanager.meshPort, protocol: 'UDP' },
      ],
      'Alertmanager peers gossip silences and notifications',
    );
  }
  const receiverPeers = new Map<string, { peers: NetworkPeer[]; ports: Set<number> }>();
  const external = profile.receiverEgress ?? { cidrs: ['0.0.0.0/0'], except: PRIVATE_RANGES };
  const externalPeers: CidrPeer[] = external.cidrs.map((cidr) => ({ cidr, ...(external.except?.length ? { except: external.except } : {}) }));
  const addReceiver = (key: string, peers: NetworkPeer[], port: number) => {
    const r = receiverPeers.get(key) ?? { peers, ports: new Set<number>() };
    r.ports.add(port);
    receiverPeers.set(key, r);
  };
  for (const r of stack.profile.alerting.receivers) {
    if (r.kind === 'null') continue;
    if (r.kind === 'webhook') {
      const t = urlTarget(r.url);
      if (/\.svc(\.cluster\.local)?$/.test(t.host)) {
        addReceiver(t.host, peersOfHost(t.host, profile, where, `alerting.receivers.${r.name}.url`, ctx.namespace), t.port);
        continue;
      }
      addReceiver('external', externalPeers, t.port);
      continue;
    }
    for (const port of external.ports ?? [443]) addReceiver('external', externalPeers, port);
  }
  for (const [key, r] of receiverPeers) {
    allow(
      pods(alertmanager),
      outside(key === 'external' ? 'alert receivers (internet)' : `receiver ${key}`, r.peers),
      tcp(...[...r.ports].sort((a, b) => a - b)),
      'notifications to the receivers',
    );
  }
  allow(pods(grafana), pods(alertmanager), tcp(stack.alertmanager.port), "Grafana's Alertmanager datasource");
  ui(alertmanager, tcp(stack.alertmanager.port), 'the Alertmanager UI');

  // Grafana and its datasources.
  allow(pods(grafana), pods(prometheus), tcp(stack.prometheus.port), "Grafana's Prometheus datasource");
  allow(pods(grafana), pods(es), tcp(stack.logging.elasticsearch.port), "Grafana's logs datasource");
  const db = stack.profile.grafana.database;
  if (db.kind === 'postgres')
    allow(
      pods(grafana),
      outside(`database ${db.host}`, peersOfHost(db.host, profile, where, 'grafana.database.host', ctx.namespace)),
      tcp(db.host.includes(':') ? portOf(db.host) : 5432),
      "Grafana's shared PostgreSQL database",
    );
  ui(grafana, tcp(stack.grafana.port), 'Grafana');
  allow(pods(ksm), apiServer, apiPorts, 'kube-state-metrics lists and watches the objects it describes');

  // Logging: writers and readers of Elasticsearch, the transport between its nodes.
  if (stack.logging.elasticsearch.nodes > 1)
    allow(pods(es), pods(es), tcp(ELASTICSEARCH_TRANSPORT_PORT), 'Elasticsearch nodes discover each other and replicate shards (transport, TLS)');
  allow(pods(esSetup), pods(es), tcp(stack.logging.elasticsearch.port), 'the setup Job applies users, roles, lifecycle policies and templates');
  allow(pods(fluentd), pods(es), tcp(stack.logging.elasticsearch.port), 'Fluentd ships logs');
  allow(pods(fluentd), apiServer, apiPorts, 'Fluentd adds pod and namespace metadata to each log line');
  allow(pods(kibana), pods(es), tcp(stack.logging.elasticsearch.port), 'Kibana reads logs and keeps its saved objects');
  allow(pods(kibanaSetup), pods(kibana), tcp(stack.logging.kibana.port), "the setup Job provisions data views through Kibana's API");
  allow(pods(esExporter), pods(es), tcp(stack.logging.elasticsearch.port), 'the exporter reads cluster, node and index statistics');
  ui(kibana, tcp(stack.logging.kibana.port), 'Kibana');

  // Tracing: OTLP in from the monitored namespaces, spans to Elasticsearch, the UI for Grafana.
  for (const w of stack.jaeger.workloads) {
    const g = group(ctx, w.ident, w.name);
    if (w.role !== 'query' && monitored.length) {
      allow(
        outside('monitored namespaces', monitored),
        pods(g),
        tcp(JAEGER_PORTS.otlpGrpc, JAEGER_PORTS.otlpHttp, JAEGER_PORTS.samplingHttp, JAEGER_PORTS.samplingGrpc),
        'the trading services send spans (OTLP) and fetch sampling strategies',
      );
    }
    if (w.role !== 'collector') {
      allow(pods(grafana), pods(g), tcp(JAEGER_PORTS.queryHttp), "Grafana's Jaeger datasource");
      ui(g, tcp(JAEGER_PORTS.queryHttp), 'the Jaeger UI');
    }
    if (w.credentials) allow(pods(g), pods(es), tcp(stack.logging.elasticsearch.port), `${w.name} ${w.role === 'collector' ? 'writes' : 'reads'} spans`);
  }
  if (stack.jaeger.hasIndexCleaner) {
    const cleaner = group(ctx, { ...Jaeger.identity('collector'), component: JAEGER_INDEX_CLEANER_COMPONENT }, 'jaeger-index-cleaner');
    allow(pods(cleaner), pods(es), tcp(stack.logging.elasticsearch.port), 'the daily clean-up deletes span indices past the retention');
  }

  // The monitored system's dependencies: each exporter reaches its own target only.
  const deps = stack.dependencies;
  if (deps) {
    const exporterFlows = (
      w: { name: string; port: number; podLabels: Readonly<Record<string, string>>; identity: ComponentIdentity },
      targets: string[],
      what: string,
    ) => {
      const g: PodGroup = { name: w.name, selector: w.podLabels, identity: w.identity };
      allow(pods(prometheus), pods(g), tcp(w.port), `${w.name} metrics`);
      const byNamespace = new Map<string, { peers: NetworkPeer[]; ports: Set<number> }>();
      for (const t of targets) {
        const peers = peersOfHost(t, profile, where, `dependencies (${what})`, ctx.namespace);
        const key = JSON.stringify(peers);
        const e = byNamespace.get(key) ?? { peers, ports: new Set<number>() };
        e.ports.add(portOf(t));
        byNamespace.set(key, e);
      }
      for (const e of byNamespace.values()) allow(pods(g), outside(what, e.peers), tcp(...[...e.ports].sort((a, b) => a - b)), `${w.name} reads ${what}`);
    };
    deps.postgres.forEach((x, i) => exporterFlows(x.workload, [stack.profile.dependencies!.postgres![i].host], 'its PostgreSQL server'));
    deps.redis.forEach((x, i) => exporterFlows(x.workload, [stack.profile.dependencies!.redis![i].address], 'its Redis server'));
    deps.kafka.forEach((x, i) => exporterFlows(x.workload, [...stack.profile.dependencies!.kafka![i].brokers], 'its Kafka brokers'));
    if (deps.blackbox) {
      const d = stack.profile.dependencies!;
      const urls = [...(d.services ?? []).flatMap((s) => [s.url]), ...(d.synthetic ?? []).map((c) => c.url)].map(urlTarget);
      exporterFlows(
        deps.blackbox.workload,
        [...urls.map((u) => `${u.host}:${u.port}`), ...deps.blackbox.tlsEndpoints.map((t) => t.address)],
        'the probed services and TLS endpoints',
      );
    }
    for (const t of stack.profile.dependencies?.influxdb ?? []) {
      if (!annotatedScrapeNamespaces(profile).includes(t.namespace))
        allow(pods(prometheus), outside(`namespace ${t.namespace}`, [{ namespace: t.namespace }]), undefined, `InfluxDB ${t.name} serves its own metrics`);
    }
  }
}
