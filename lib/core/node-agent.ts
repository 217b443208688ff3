/**
 * The node-agent pattern (node-exporter, the log collector): one pod on every Linux node, tainted
 * ones included, at the node-critical priority, rolled over at most a tenth of the nodes at a
 * time, reaching into the host (host paths, host namespaces) under a declared pod-security
 * exception, and scraped pod by pod through a headless Service.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentIdentity, StackContext, metadata, selectorLabels } from './k8s';
import { PodSecurityException, podSecurityException } from './pod-security';
import { nodeCriticalPriority } from './priority';

export interface NodeAgentProps {
  readonly ctx: StackContext;
  readonly identity: ComponentIdentity;
  /** User and group the pod runs as; 0 (root) only where reading the host needs it. */
  readonly runAsUser: number;
  /** Whether the pod gets a token for the API server (an agent that reads pod metadata needs one). */
  readonly automountServiceAccountToken: boolean;
  /** Why the pod cannot meet "restricted": the controls it needs and the reason, declared as its exception. */
  readonly securityException: Pick<PodSecurityException, 'controls' | 'needs' | 'reason'>;
  /** Share the node's network and process namespaces, so the figures are the node's. @default false */
  readonly hostNamespaces?: boolean;
  /** Pod-template annotations (configuration checksums). @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** `enableServiceLinks` of the pod. @default - Kubernetes' default (on) */
  readonly enableServiceLinks?: boolean;
  /** @default - Kubernetes' default (30 s) */
  readonly terminationGracePeriodSeconds?: number;
  readonly containers: k8s.Container[];
  readonly volumes: k8s.Volume[];
}

/** A directory (or file) of the node, mounted into the agent. */
export function hostPathVolume(name: string, path: string, type?: 'Directory' | 'DirectoryOrCreate'): k8s.Volume {
  return { name, hostPath: { path, ...(type ? { type } : {}) } };
}

/** The agent's headless Service: Prometheus reaches every pod on its `metrics` port. */
export function nodeAgentService(scope: Construct, id: string, ctx: StackContext, identity: ComponentIdentity, port: number): k8s.KubeService {
  return new k8s.KubeService(scope, id, {
    metadata: metadata(ctx, identity, identity.name),
    spec: {
      clusterIp: 'None',
      selector: selectorLabels(ctx, identity),
      ports: [{ name: 'metrics', port, targetPort: k8s.IntOrString.fromNumber(port) }],
    },
  });
}

/** The agent's DaemonSet, named after its identity, with its pod-security exception and node-critical priority declared. */
export function nodeAgentDaemonSet(scope: Construct, id: string, p: NodeAgentProps): k8s.KubeDaemonSet {
  const { ctx, identity } = p;
  const name = identity.name;
  const workload = `DaemonSet/${name}`;
  podSecurityException(scope, { workload, level: 'privileged', ...p.securityException });
  const root = p.runAsUser === 0;
  return new k8s.KubeDaemonSet(scope, id, {
    metadata: metadata(ctx, identity, name),
    spec: {
      selector: { matchLabels: selectorLabels(ctx, identity) },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
      template: {
        metadata: { labels: metadata(ctx, identity, name).labels, ...(p.podAnnotations ? { annotations: { ...p.podAnnotations } } : {}) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: p.automountServiceAccountToken,
          ...(p.hostNamespaces ? { hostNetwork: true, hostPid: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
          priorityClassName: nodeCriticalPriority(scope, ctx, workload),
          securityContext: { runAsUser: p.runAsUser, runAsGroup: p.runAsUser, runAsNonRoot: !root, seccompProfile: { type: 'RuntimeDefault' } },
          // Every node, whatever its taints: an agent missing from a node leaves that node unwatched.
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          enableServiceLinks: p.enableServiceLinks,
          terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
          containers: p.containers,
          volumes: p.volumes,
        },
      },
    },
  });
}
