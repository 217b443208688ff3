/**
 * The network part of an environment profile: which peers outside the stack's namespace its
 * NetworkPolicies admit (the monitored namespaces, the API server, the nodes, the ingress
 * controller, the alert receivers, cluster DNS), and the checks that run on it before anything is
 * built. Flows between the stack's own components are not configured here: they follow from the
 * components (lib/components/network-policies/policies.ts).
 */
import type { ProfileChecks } from '../../core/checks';
import { KeySchema, VALUE } from '../../core/keys';
import { DNS_LABEL } from '../../core/syntax';

/** Pods of another namespace (all of them, or those carrying `podLabels`). */
export interface NamespacePeer {
  readonly namespace: string;
  /** @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** An address range, with holes. */
export interface CidrPeer {
  readonly cidr: string;
  /** @default [] */
  readonly except?: readonly string[];
}

export type NetworkPeer = NamespacePeer | CidrPeer;

export interface NetworkProfile {
  /**
   * Namespaces of the monitored system. Prometheus scrapes their annotated Services and pods on
   * any port, and their pods may send spans (OTLP 4317/4318) and fetch sampling strategies.
   */
  readonly monitoredNamespaces: readonly string[];
  /**
   * Who may open the UIs and APIs (Grafana, Prometheus, Alertmanager, Kibana, the Jaeger UI):
   * usually the ingress controller's namespace. @default [] - reachable by `kubectl port-forward` only
   */
  readonly uiClients?: readonly NetworkPeer[];
  /**
   * The Kubernetes API server's endpoint addresses. Traffic to the `kubernetes` Service is
   * translated to these before policies apply, so a policy must name them, not the Service.
   */
  readonly apiServer: { readonly cidrs: readonly string[]; /** @default [443, 6443] */ readonly ports?: readonly number[] };
  /** The nodes' addresses: node-exporter listens on the host network (port 9100). */
  readonly nodeCidrs: readonly string[];
  /**
   * Where Alertmanager may send notifications when a receiver is outside the cluster (Slack,
   * PagerDuty, Opsgenie). @default - any public address (private ranges excluded), port 443
   */
  readonly receiverEgress?: {
    readonly cidrs: readonly string[];
    readonly except?: readonly string[];
    /** @default [443] */ readonly ports?: readonly number[];
  };
  /** Who may push metrics to the Pushgateway (CI runners). @default [] - nobody: pushes are refused */
  readonly pushgatewayClients?: readonly NetworkPeer[];
  /** Cluster DNS. @default - pods labelled `k8s-app: kube-dns` in `kube-system`, port 53 UDP and TCP */
  readonly dns?: NamespacePeer;
  /**
   * The listen addresses of a node-local DNS cache, where the cluster runs one (NodeLocal
   * DNSCache answers on a link-local address on every node, 169.254.20.10 in its manifests, and
   * the kubelet points pods there): pods' queries go to that address, not to kube-dns pods, so
   * it needs a rule of its own. @default [] - no node-local cache
   */
  readonly nodeLocalDns?: readonly string[];
  /**
   * Addresses of dependencies that are not in-cluster Services (a host other than
   * `<service>.<namespace>.svc`), by host name, such as a managed PostgreSQL. @default {}
   */
  readonly externalHosts?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The namespaces whose annotated Services and pods Prometheus discovers (the
 * `kubernetes-service-endpoints` and `kubernetes-pods` jobs) and may reach on any port: the
 * monitored system's. Discovery (lib/stack.ts) and egress (lib/components/network-policies/policies.ts) both read this
 * one list, so Prometheus never discovers a target its NetworkPolicy refuses (kube-dns's annotated
 * endpoint in kube-system, say, which would be down for ever). Empty means no annotated jobs at all:
 * an empty `namespaces.names` would make Prometheus discover every namespace.
 */
export function annotatedScrapeNamespaces(n: NetworkProfile): readonly string[] {
  return [...new Set(n.monitoredNamespaces)];
}

/** The private address ranges: never a receiver of notifications. */
export const PRIVATE_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

export const DEFAULT_DNS: NamespacePeer = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** An IPv4 or IPv6 CIDR with its prefix length in range. */
export function isCidr(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(s);
  return !!v6 && v6[1].includes(':') && Number(v6[2]) <= 128;
}

/** Checks the network section; `fail` throws a ConfigError naming the profile. */
export function validateNetworkProfile(n: NetworkProfile | undefined, { fail }: ProfileChecks): void {
  if (n === undefined || n === null)
    fail('network', n, 'define monitoredNamespaces, apiServer and nodeCidrs: every namespace gets default-deny NetworkPolicies');
  const net = n as NetworkProfile;
  const namespace = (field: string, v: unknown) => {
    if (typeof v !== 'string' || !DNS_LABEL.test(v) || v.length > 63) fail(field, v, 'use a namespace name (a DNS label)');
  };
  const cidrs = (field: string, list: unknown, opts: { nonEmpty: boolean }) => {
    if (!Array.isArray(list) || (opts.nonEmpty && list.length === 0)) fail(field, list, 'list one or more CIDRs, such as ["10.0.0.0/16"]');
    (list as unknown[]).forEach((c, i) => {
      if (!isCidr(c)) fail(`${field}[${i}]`, c, 'use a CIDR such as "10.0.0.0/16" or "fd00::/64"');
    });
  };
  const ports = (field: string, list: unknown) => {
    if (list === undefined) return;
    if (!Array.isArray(list) || list.length === 0) fail(field, list, 'list one or more TCP ports, such as [443]');
    (list as unknown[]).forEach((p, i) => {
      if (!Number.isInteger(p) || (p as number) < 1 || (p as number) > 65535) fail(`${field}[${i}]`, p, 'use a port number between 1 and 65535');
    });
  };
  const labels = (field: string, l: unknown) => {
    if (l === undefined) return;
    if (typeof l !== 'object' || l === null) fail(field, l, 'use a map of label names to values');
    for (const [k, v] of Object.entries(l as object)) {
      if (!LABEL_KEY.test(k)) fail(`${field}.${k}`, k, 'use a Kubernetes label name');
      if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) fail(`${field}.${k}`, v, 'use a Kubernetes label value');
    }
  };
  const peer = (field: string, p: NetworkPeer) => {
    if (p && 'namespace' in p) {
      namespace(`${field}.namespace`, p.namespace);
      labels(`${field}.podLabels`, p.podLabels);
    } else if (p && 'cidr' in p) {
      cidrs(`${field}.cidr`, [p.cidr], { nonEmpty: true });
      if (p.except !== undefined) cidrs(`${field}.except`, p.except, { nonEmpty: false });
    } else {
      fail(field, p, 'use { namespace, podLabels? } or { cidr, except? }');
    }
  };

  if (!Array.isArray(net.monitoredNamespaces))
    fail('network.monitoredNamespaces', net.monitoredNamespaces, 'list the namespaces of the monitored system, such as ["grekko"]');
  net.monitoredNamespaces.forEach((ns, i) => namespace(`network.monitoredNamespaces[${i}]`, ns));
  (net.uiClients ?? []).forEach((p, i) => peer(`network.uiClients[${i}]`, p));
  (net.pushgatewayClients ?? []).forEach((p, i) => peer(`network.pushgatewayClients[${i}]`, p));
  if (net.apiServer === undefined)
    fail(
      'network.apiServer',
      net.apiServer,
      'give the API server endpoint addresses: { cidrs: ["10.0.0.10/32"] } (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)',
    );
  cidrs('network.apiServer.cidrs', net.apiServer.cidrs, { nonEmpty: true });
  ports('network.apiServer.ports', net.apiServer.ports);
  cidrs('network.nodeCidrs', net.nodeCidrs, { nonEmpty: true });
  if (net.receiverEgress !== undefined) {
    cidrs('network.receiverEgress.cidrs', net.receiverEgress.cidrs, { nonEmpty: true });
    if (net.receiverEgress.except !== undefined) cidrs('network.receiverEgress.except', net.receiverEgress.except, { nonEmpty: false });
    ports('network.receiverEgress.ports', net.receiverEgress.ports);
  }
  if (net.dns !== undefined) peer('network.dns', net.dns);
  if (net.nodeLocalDns !== undefined) {
    if (!Array.isArray(net.nodeLocalDns))
      fail('network.nodeLocalDns', net.nodeLocalDns, 'list the addresses the node-local DNS cache listens on, such as ["169.254.20.10"]');
    net.nodeLocalDns.forEach((ip, i) => {
      if (!isCidr(typeof ip === 'string' ? `${ip}/${ip.includes(':') ? 128 : 32}` : ip))
        fail(`network.nodeLocalDns[${i}]`, ip, 'use an IP address such as "169.254.20.10", without a prefix length');
    });
  }
  for (const [host, list] of Object.entries(net.externalHosts ?? {})) {
    if (!/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(host)) fail(`network.externalHosts.${host}`, host, 'use a host name, without scheme or port');
    cidrs(`network.externalHosts.${host}`, list, { nonEmpty: true });
  }
}

const PEER_KEYS: KeySchema<NetworkPeer> = {
  by: 'key',
  members: {
    namespace: { fields: { namespace: VALUE, podLabels: VALUE } },
    cidr: { fields: { cidr: VALUE, except: VALUE } },
  },
};

export const NETWORK_KEYS: KeySchema<NetworkProfile> = {
  fields: {
    monitoredNamespaces: VALUE,
    uiClients: { items: PEER_KEYS },
    apiServer: { fields: { cidrs: VALUE, ports: VALUE } },
    nodeCidrs: VALUE,
    receiverEgress: { fields: { cidrs: VALUE, except: VALUE, ports: VALUE } },
    pushgatewayClients: { items: PEER_KEYS },
    dns: { fields: { namespace: VALUE, podLabels: VALUE } },
    nodeLocalDns: VALUE,
    externalHosts: VALUE,
  },
};
