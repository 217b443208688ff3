/**
 * The language components state their network flows in. A flow joins two ends, one of which is
 * the stack's own pods; each component offers the flows it needs through `FlowSource`, and the
 * stack hands them all to NetworkPolicies (policies.ts), which turns them into policy rules.
 */
import { portOfAddress } from '../../core/addresses';
import { ConfigError } from '../../core/errors';
import { ComponentIdentity, StackContext, podSelector } from '../../core/k8s';
import { NetworkPeer, NetworkProfile } from './profile';

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
export type FlowEnd =
  | { readonly pods: PodGroup }
  | {
      readonly peers: readonly NetworkPeer[];
      /** How the docs name these peers. */
      readonly label: string;
    };

export interface Flow {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** Destination ports. @default - every port */
  readonly ports?: readonly PortSpec[];
  /** Why the flow exists, for reviewers and docs/security.md. */
  readonly why: string;
}

/** What a component knows of the cluster around it when it states its flows. */
export interface FlowContext {
  readonly ctx: StackContext;
  readonly network: NetworkProfile;
  /** Where the profile comes from, for messages: `profile "production"`. */
  readonly where: string;
  /** Prometheus's pods: every scrape comes from them. */
  readonly scraper: PodGroup;
  /** Grafana's pods: every datasource is read by them. */
  readonly dashboards: PodGroup;
  /** The Kubernetes API server, on its ports. */
  readonly apiServer: FlowEnd;
  readonly apiPorts: readonly PortSpec[];
}

/** A component that needs network flows: the stack allows each one it returns. */
export interface FlowSource {
  flows(net: FlowContext): readonly Flow[];
}

/** The stack's pods of one component identity. */
export function group(ctx: StackContext, id: ComponentIdentity, name: string = id.name, extra: Readonly<Record<string, string>> = {}): PodGroup {
  return { name, selector: { ...podSelector(ctx, id), ...extra }, identity: id };
}

export const pods = (g: PodGroup): FlowEnd => ({ pods: g });
export const outside = (label: string, peers: readonly NetworkPeer[]): FlowEnd => ({ label, peers });
export const tcp = (...ports: number[]): PortSpec[] => ports.map((port) => ({ port }));
export const flow = (from: FlowEnd, to: FlowEnd, ports: readonly PortSpec[] | undefined, why: string): Flow => ({ from, to, ports, why });

/** People reach a UI through the ingress: a flow from the profile's UI clients, none without them. */
export function uiFlows(net: FlowContext, target: PodGroup, ports: PortSpec[], what: string): Flow[] {
  const clients = net.network.uiClients ?? [];
  return clients.length ? [flow(outside('UI clients (ingress)', clients), pods(target), ports, `people reach ${what} through the ingress`)] : [];
}

/** Prometheus scrapes a group of the stack's pods on one port. */
export function scrapeFlow(net: FlowContext, target: PodGroup, port: number, why: string): Flow {
  return flow(pods(net.scraper), pods(target), tcp(port), why);
}

/**
 * Where a `host` (or `host:port`) lives: an in-cluster Service's namespace, or the profile's
 * addresses for it. A Service of the stack's own namespace is refused: that namespace's
 * default-deny policies select every pod in it, the dependency's pods included, and no rule
 * admits traffic into pods the stack does not own, so the connection could never be made.
 */
export function peersOfHost(host: string, net: FlowContext, field: string): NetworkPeer[] {
  const ownNamespace = net.ctx.namespace;
  const name = host.replace(/:\d+$/, '');
  const svc = /^(?:[a-z0-9-]+\.)+?([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(name);
  if (svc && svc[1] === ownNamespace) {
    throw new ConfigError(
      net.where,
      field,
      host,
      `"${name}" is a Service in the monitoring namespace "${ownNamespace}", whose default-deny NetworkPolicies block every connection to pods the stack does not own; run the dependency in a namespace of its own (such as "${name.split('.')[0]}.${ownNamespace}-db.svc") or outside the cluster (with network.externalHosts)`,
    );
  }
  if (svc) return [{ namespace: svc[1] }];
  const cidrs = net.network.externalHosts?.[name];
  if (!cidrs) {
    throw new ConfigError(
      net.where,
      'network.externalHosts',
      name,
      `"${name}" is not an in-cluster Service (<service>.<namespace>.svc): give its addresses in network.externalHosts, such as { "${name}": ["203.0.113.10/32"] }`,
    );
  }
  return cidrs.map((cidr) => ({ cidr }));
}

/** The port of a `host:port` (the profile checks have refused any port outside 1..65535). */
export function portOf(hostPort: string): number {
  const port = portOfAddress(hostPort);
  if (port === undefined) throw new Error(`no port in "${hostPort}"`);
  return Number(port);
}

/** Host and port of a URL (the scheme's default port when none is written). */
export function urlTarget(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
}

/**
 * The flows of one client of outside services: to each set of peers (grouped by where they live),
 * the ports of the targets there. Targets are `host:port`.
 */
export function clientFlows(net: FlowContext, client: PodGroup, targets: readonly string[], what: string, field: string, why: string): Flow[] {
  const byPeers = new Map<string, { peers: NetworkPeer[]; ports: Set<number> }>();
  for (const t of targets) {
    const peers = peersOfHost(t, net, field);
    const key = JSON.stringify(peers);
    const e = byPeers.get(key) ?? { peers, ports: new Set<number>() };
    e.ports.add(portOf(t));
    byPeers.set(key, e);
  }
  return [...byPeers.values()].map((e) => flow(pods(client), outside(what, e.peers), tcp(...[...e.ports].sort((a, b) => a - b)), why));
}
