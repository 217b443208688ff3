/**
 * NetworkPolicies: every pod of the namespace starts with nothing allowed in or out (default
 * deny, both directions) except cluster DNS; then each flow the stack needs is declared once,
 * with its reason, through `allow()`. A flow between two of the stack's own pod groups gives the
 * source an egress rule and the target an ingress rule; a flow to or from a peer outside the
 * namespace (the monitored namespaces, the API server, the nodes, the receivers) gives only the
 * stack's side its rule. Each pod group gets one NetworkPolicy named after it.
 *
 * Components state their flows (flows.ts); the stack hands them here, so a reviewer sees every
 * policy in one list (docs/security.md).
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConfigError } from '../../core/errors';
import { ComponentIdentity, StackContext, metadata } from '../../core/k8s';
import { Flow, FlowEnd, PodGroup } from './flows';
import { DEFAULT_DNS, NetworkPeer, NetworkProfile } from './profile';

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
