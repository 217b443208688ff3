/**
 * Workloads that run one replica on purpose, and why. Every other long-running workload of a
 * highly available environment runs two or more replicas, spread over nodes, under a disruption
 * budget; these are declared here by their components so that the availability checks and
 * docs/security.md work from one list.
 */
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartRegistry } from './registry';

export interface SingleReplicaDeclaration {
  /** `Kind/name` of the workload, such as `Deployment/kube-state-metrics`. */
  readonly workload: string;
  /** Why one replica is right, and what happens while it is away. */
  readonly reason: string;
}

const registry = chartRegistry<SingleReplicaDeclaration>();

/** Declares that a workload of the chart of `scope` runs one replica on purpose. */
export function declareSingleReplica(scope: IConstruct, d: SingleReplicaDeclaration): SingleReplicaDeclaration {
  return registry.declare(scope, d.workload, { ...d });
}

/** The chart's single-replica declarations, sorted by workload. */
export function singleReplicaDeclarations(chart: Chart): SingleReplicaDeclaration[] {
  return registry.list(chart);
}

/** What a single exporter's absence costs: the reason shared by every exporter. */
export const EXPORTER_SINGLE_REPLICA_REASON =
  'a stateless exporter: a second replica would double every series it exports and the load on what it watches; if its node is lost it leaves within 30 s and starts on another node, so its series have a gap of about a minute';
