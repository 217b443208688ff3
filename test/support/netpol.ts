/**
 * Evaluates NetworkPolicies the way the API defines them, so that tests can ask "may this pod open
 * a connection to that one on this port": a connection is allowed when the source's egress allows
 * it (or no policy selects the source for egress) and the target's ingress allows it (likewise).
 * Only the policies of one namespace are given; endpoints outside it are judged by their own
 * side alone. IPv4 only.
 */
import { KubeObject } from '../../lib/synth';

/** One end of a connection: a pod (namespace and labels) or a bare address (a node, the internet). */
export type NetEndpoint = { readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly ip?: string } | { readonly ip: string };

export interface Connection {
  readonly from: NetEndpoint;
  readonly to: NetEndpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (base.includes(':') || ip.includes(':')) return false;
  const n = Number(bits);
  const mask = n === 0 ? 0 : 2 ** 32 - 2 ** (32 - n);
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base) & mask) >>> 0;
}

function matches(selector: any, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function peerMatches(peer: any, policyNamespace: string, ep: NetEndpoint): boolean {
  if (peer.ipBlock) {
    const ip = ep.ip;
    if (!ip || !inCidr(ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((c: string) => inCidr(ip, c));
  }
  if (!('namespace' in ep)) return false;
  if (peer.namespaceSelector) {
    if (!matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': ep.namespace })) return false;
  } else if (ep.namespace !== policyNamespace) {
    return false;
  }
  return matches(peer.podSelector, ep.labels);
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || (p.endPort ? port >= p.port && port <= p.endPort : p.port === port)));
}

function selected(policy: any, ep: NetEndpoint): boolean {
  return 'namespace' in ep && ep.namespace === policy.metadata.namespace && matches(policy.spec.podSelector, ep.labels);
}

/** Whether the policies let the connection through. */
export function allowed(policies: readonly KubeObject[], c: Connection): boolean {
  const protocol = c.protocol ?? 'TCP';
  const nps = policies.filter((p) => p.kind === 'NetworkPolicy') as any[];
  const egressOf = nps.filter((p) => selected(p, c.from) && (p.spec.policyTypes ?? ['Ingress']).includes('Egress'));
  const ingressOf = nps.filter((p) => selected(p, c.to) && (p.spec.policyTypes ?? ['Ingress']).includes('Ingress'));
  const egressOk =
    egressOf.length === 0 ||
    egressOf.some((p) =>
      (p.spec.egress ?? []).some(
        (r: any) =>
          portMatches(r.ports, c.port, protocol) && (!r.to || r.to.length === 0 || r.to.some((peer: any) => peerMatches(peer, p.metadata.namespace, c.to))),
      ),
    );
  const ingressOk =
    ingressOf.length === 0 ||
    ingressOf.some((p) =>
      (p.spec.ingress ?? []).some(
        (r: any) =>
          portMatches(r.ports, c.port, protocol) &&
          (!r.from || r.from.length === 0 || r.from.some((peer: any) => peerMatches(peer, p.metadata.namespace, c.from))),
      ),
    );
  return egressOk && ingressOk;
}
