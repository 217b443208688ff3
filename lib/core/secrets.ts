/**
 * The Secrets a stack references but never creates: components declare them here, so that the
 * README, the Pulumi program (which creates them from stack secrets) and the policy tests all work
 * from one list.
 */
import type { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartRegistry } from './registry';

export interface ExpectedSecret {
  /** Secret name in the stack's namespace. */
  readonly name: string;
  /** Keys the stack reads. */
  readonly keys: readonly string[];
  /** The component that reads it. */
  readonly usedBy: string;
  /** What the values are, for the operator creating the Secret. */
  readonly description: string;
}

const registry = chartRegistry<ExpectedSecret>();

/** Declares that the chart of `scope` expects a Secret; keys of repeated declarations are merged. */
export function expectSecret(scope: IConstruct, secret: ExpectedSecret): ExpectedSecret {
  const prev = registry.find(scope, secret.name);
  const merged: ExpectedSecret = prev
    ? {
        name: secret.name,
        keys: [...new Set([...prev.keys, ...secret.keys])].sort(),
        usedBy: prev.usedBy === secret.usedBy ? prev.usedBy : `${prev.usedBy}, ${secret.usedBy}`,
        description: prev.description === secret.description ? prev.description : `${prev.description}; ${secret.description}`,
      }
    : { ...secret, keys: [...new Set(secret.keys)].sort() };
  return registry.declare(scope, secret.name, merged);
}

/** Every Secret the chart expects, sorted by name. */
export function expectedSecrets(chart: Chart): ExpectedSecret[] {
  return registry.list(chart);
}
