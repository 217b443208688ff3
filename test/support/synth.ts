/** Synthesizes environments in memory for tests, once per environment per test file. */
import { parseQuantity } from '../../lib/core/units';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentProfile } from '../../lib/profile';
import { MonitoringStack } from '../../lib/stack';
import { KubeObject } from '../../lib/synth';
import { Elasticsearch } from '../../lib/components/elasticsearch/elasticsearch';
import { PROFILES, THANOS_CONTENT, buildStack } from '../../stacks/environments';
import { ALERT_GROUPS } from '../../alerts';
import { DASHBOARDS } from '../../dashboards';
import type { RuleGroup } from '../../lib/rules/types';

export const ENVIRONMENTS: readonly EnvironmentName[] = ENVIRONMENT_NAMES;

export interface Synthesized {
  readonly stack: MonitoringStack;
  readonly objects: KubeObject[];
  /** The environment's Elasticsearch (logs, and spans in staging and production). */
  readonly elasticsearch: Elasticsearch;
}

/** Builds a profile's chart exactly as stacks/environments.ts does. */
export function buildTestStack(profile: EnvironmentProfile): { stack: MonitoringStack; elasticsearch: Elasticsearch } {
  const stack = buildStack(profile);
  return { stack, elasticsearch: stack.logging.elasticsearch };
}

const cache = new Map<string, Synthesized>();

export function synth(env: EnvironmentName): Synthesized {
  let s = cache.get(env);
  if (!s) {
    const { stack, elasticsearch } = buildTestStack(PROFILES[env]);
    s = { stack, elasticsearch, objects: stack.toJson() as KubeObject[] };
    cache.set(env, s);
  }
  return s;
}

export function synthProfile(profile: EnvironmentProfile): Synthesized {
  const { stack, elasticsearch } = buildTestStack(profile);
  return { stack, elasticsearch, objects: stack.toJson() as KubeObject[] };
}

export function find(objects: readonly KubeObject[], kind: string, name: string): any {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} named ${name}; have ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

export function ofKind(objects: readonly KubeObject[], ...kinds: string[]): any[] {
  return objects.filter((x) => kinds.includes(x.kind));
}

/** Every pod template (workloads) with its owner. */
export function podTemplates(objects: readonly KubeObject[]): Array<{ owner: KubeObject; spec: any; replicas: number | undefined }> {
  const out: Array<{ owner: KubeObject; spec: any; replicas: number | undefined }> = [];
  for (const o of objects as any[]) {
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) out.push({ owner: o, spec: o.spec.template.spec, replicas: o.spec.replicas });
    if (o.kind === 'CronJob') out.push({ owner: o, spec: o.spec.jobTemplate.spec.template.spec, replicas: undefined });
  }
  return out;
}

/** A deep copy of a profile with changes applied by a function, for bad-input tests. */
export function alter(profile: EnvironmentProfile, change: (p: any) => void): EnvironmentProfile {
  const copy = JSON.parse(JSON.stringify(profile));
  change(copy);
  return copy;
}

/** Sums pod requests: DaemonSets count once (one node), other workloads by replicas. */
export function totalRequests(objects: readonly KubeObject[]): { cpu: number; memoryGi: number } {
  let cpu = 0;
  let mem = 0;
  for (const { spec, replicas } of podTemplates(objects)) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      if (spec.initContainers?.includes(c)) continue; // init containers do not run alongside
      cpu += (parseQuantity(c.resources.requests.cpu) ?? 0) * (replicas ?? 1);
      mem += (parseQuantity(c.resources.requests.memory) ?? 0) * (replicas ?? 1);
    }
  }
  return { cpu, memoryGi: mem / 1024 ** 3 };
}

/** The rule groups and dashboards an environment loads: the Thanos ones only where Thanos runs (stacks/environments.ts contentFor). */
export function loadedContent(env: EnvironmentName): { groups: readonly RuleGroup[]; dashboards: typeof DASHBOARDS } {
  if (PROFILES[env].thanos) return { groups: ALERT_GROUPS, dashboards: DASHBOARDS };
  return {
    groups: ALERT_GROUPS.filter((g) => `${g.source.split('/').pop()!.replace(/\.ts$/, '')}.yaml` !== THANOS_CONTENT.ruleFile),
    dashboards: DASHBOARDS.filter((d) => d.uid !== THANOS_CONTENT.dashboardUid),
  };
}
