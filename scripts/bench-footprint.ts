/**
 * `npm run bench:footprint`: what each environment asks of the cluster, by component: CPU and
 * memory requests of the long-running pods (DaemonSets counted for one node, other workloads by
 * their replicas; Jobs and CronJobs left out) and the persistent volume claimed. Prints figures
 * from the synthesized objects; nothing is asserted.
 */
import { App } from 'cdk8s';
import { parseQuantity } from '../lib/core/units';
import { ENVIRONMENT_NAMES } from '../lib/profile';
import { KubeObject } from '../lib/synth';
import { PROFILES, buildStack } from '../stacks/environments';

interface Row {
  cpu: number;
  memoryGi: number;
  volumeGi: number;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const GI = 1024 ** 3;

function footprint(objects: readonly KubeObject[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  const row = (name: string): Row => rows.get(name) ?? rows.set(name, { cpu: 0, memoryGi: 0, volumeGi: 0 }).get(name)!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests of every kind, read by field
  for (const o of objects as any[]) {
    const name: string = o.metadata?.labels?.['app.kubernetes.io/name'] ?? o.metadata?.name;
    if (o.kind === 'PersistentVolumeClaim') row(name).volumeGi += (parseQuantity(o.spec.resources.requests.storage) ?? 0) / GI;
    if (!LONG_RUNNING.has(o.kind)) continue;
    const replicas = o.kind === 'DaemonSet' ? 1 : (o.spec.replicas ?? 1);
    const r = row(name);
    for (const c of o.spec.template.spec.containers) {
      r.cpu += (parseQuantity(c.resources?.requests?.cpu ?? '0') ?? 0) * replicas;
      r.memoryGi += ((parseQuantity(c.resources?.requests?.memory ?? '0') ?? 0) * replicas) / GI;
    }
    for (const v of o.spec.volumeClaimTemplates ?? []) r.volumeGi += ((parseQuantity(v.spec.resources.requests.storage) ?? 0) * replicas) / GI;
  }
  return rows;
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits).padStart(8);
for (const env of ENVIRONMENT_NAMES) {
  const objects = buildStack(PROFILES[env], new App()).toJson() as KubeObject[];
  const rows = [...footprint(objects).entries()].filter(([, r]) => r.cpu || r.memoryGi || r.volumeGi).sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((t, [, r]) => ({ cpu: t.cpu + r.cpu, memoryGi: t.memoryGi + r.memoryGi, volumeGi: t.volumeGi + r.volumeGi }), {
    cpu: 0,
    memoryGi: 0,
    volumeGi: 0,
  });
  process.stdout.write(`\n${env}\n${'component'.padEnd(28)}     cpu  mem GiB   pvc GiB\n`);
  for (const [name, r] of [...rows, ['total', total] as const]) {
    process.stdout.write(`${name.padEnd(28)}${fmt(r.cpu)}${fmt(r.memoryGi)}${fmt(r.volumeGi, 0)}\n`);
  }
}
