/**
 * Node agents (one pod on every node, such as node-exporter and the log collector) run at the
 * `system-node-critical` priority: the scheduler preempts other pods to place them on a full node,
 * and the kubelet treats them as critical under node pressure.
 *
 * Since Kubernetes 1.17 the Priority admission plugin admits the system classes in any namespace,
 * but clusters may restrict them with the ResourceQuota admission plugin's `limitedResources`
 * (GKE does, for `system-node-critical` and `system-cluster-critical`): a pod of a limited class is
 * then admitted only in a namespace holding a ResourceQuota whose scope selector covers that class.
 * The stack ships that quota beside its node agents, so their pods are admitted everywhere. Its
 * only limit is a pod count far above any real cluster (one pod per agent on each of the 5,000
 * nodes Kubernetes supports): it exists to admit, not to cap. The pattern is the one of the
 * ResourceQuota priority scopes (kubernetes design-proposals, scheduling/pod-priority-resourcequota.md;
 * kubernetes/website release-1.28, examples/policy/priority-class-resourcequota.yaml), and the
 * Tigera operator ships the same quota for Calico's node agents. OpenShift admits the system
 * classes only in kube-system and openshift-* namespaces, quota or not.
 */
import { k8s } from 'cdk8s-plus-28';
import { Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MANAGED_BY, StackContext } from './k8s';
import { chartRegistry } from './registry';

export const NODE_CRITICAL_PRIORITY_CLASS = 'system-node-critical';

/** The largest cluster Kubernetes supports (kubernetes.io/docs/setup/best-practices/cluster-large). */
export const MAX_CLUSTER_NODES = 5000;

export interface NodeCriticalAgent {
  /** `DaemonSet/name` of the agent. */
  readonly workload: string;
}

const agents = chartRegistry<NodeCriticalAgent>();
const quotas = new WeakMap<Chart, k8s.KubeResourceQuota>();

/**
 * Declares a node agent of the chart of `scope` and returns the priority class its pods use;
 * the first call also adds the ResourceQuota that admits that class in the namespace. The quota
 * belongs to the stack, not to one component, so like the Namespace it carries no version label.
 */
export function nodeCriticalPriority(scope: IConstruct, ctx: StackContext, workload: string): string {
  agents.declare(scope, workload, { workload });
  const chart = Chart.of(scope);
  if (!quotas.has(chart)) {
    quotas.set(
      chart,
      new k8s.KubeResourceQuota(chart, `priority-quota-${NODE_CRITICAL_PRIORITY_CLASS}`, {
        metadata: {
          name: `${NODE_CRITICAL_PRIORITY_CLASS}-pods`,
          namespace: ctx.namespace,
          labels: {
            'app.kubernetes.io/name': 'node-agents',
            'app.kubernetes.io/instance': ctx.instance,
            'app.kubernetes.io/component': 'priority-quota',
            'app.kubernetes.io/part-of': ctx.partOf,
            'app.kubernetes.io/managed-by': MANAGED_BY,
          },
        },
        spec: {
          hard: { pods: k8s.Quantity.fromNumber(MAX_CLUSTER_NODES) },
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [NODE_CRITICAL_PRIORITY_CLASS] }] },
        },
      }),
    );
  }
  // One pod per agent on each node of the largest cluster.
  quotas.get(chart)!.addJsonPatch(JsonPatch.replace('/spec/hard/pods', k8s.Quantity.fromString(String(MAX_CLUSTER_NODES * agents.list(chart).length))));
  return NODE_CRITICAL_PRIORITY_CLASS;
}

/** The chart's node agents at `system-node-critical`, sorted by workload. */
export function nodeCriticalAgents(chart: Chart): NodeCriticalAgent[] {
  return agents.list(chart);
}
