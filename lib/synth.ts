/**
 * Writes synthesized objects to disk: one folder per environment, one file per object, named so
 * that `kubectl apply -f dist/<env>/` creates them in a safe order (namespace, then identities and
 * RBAC, then configuration, then workloads). Every environment is built in memory first; only when
 * all succeeded are the folders swapped in, so a failure leaves the previous output untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from './core/errors';

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/** Apply order by kind: lower first. */
const KIND_RANK: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 2,
  StorageClass: 3,
  ResourceQuota: 5,
  ServiceAccount: 10,
  ClusterRole: 11,
  ClusterRoleBinding: 12,
  Role: 13,
  RoleBinding: 14,
  ConfigMap: 20,
  Secret: 21,
  PersistentVolumeClaim: 22,
  // Before any workload, so that every pod starts behind its policies.
  NetworkPolicy: 25,
  Service: 30,
  StatefulSet: 40,
  Deployment: 40,
  DaemonSet: 40,
  Job: 45,
  CronJob: 45,
  PodDisruptionBudget: 50,
};

export function applyRank(kind: string): number {
  return KIND_RANK[kind] ?? 90;
}

/** `20-configmap-prometheus-config.yaml`: stable from one synth to the next. */
export function manifestFileName(obj: KubeObject): string {
  const rank = String(applyRank(obj.kind)).padStart(2, '0');
  return `${rank}-${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`;
}

/** Objects sorted into apply order (kind rank, then name). */
export function inApplyOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => applyRank(a.kind) - applyRank(b.kind) || a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name));
}

export function toManifestYaml(obj: KubeObject): string {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Kubernetes refuses a ConfigMap or Secret whose data passes 1 MiB; other objects meet etcd's limit later. */
export const OBJECT_SIZE_LIMIT = 1024 * 1024;

/** Fails on an object Kubernetes would refuse for its size, naming it and its size. */
export function checkObjectSize(environment: string, obj: KubeObject): void {
  const bytes = Buffer.byteLength(JSON.stringify(obj));
  if (bytes > OBJECT_SIZE_LIMIT) {
    throw new ConfigError(
      `environment "${environment}"`,
      `${obj.kind} ${obj.metadata.name}`,
      `${Math.ceil(bytes / 1024)} KiB`,
      'Kubernetes refuses objects over 1 MiB: split what it holds over several objects, or trim it',
    );
  }
}

/**
 * Writes each environment's objects into `<outdir>/<env>/`, replacing what was there. Nothing is
 * touched until every file of every environment has been written to a scratch folder.
 */
export function writeEnvironments(outdir: string, envs: ReadonlyArray<{ readonly name: string; readonly objects: readonly KubeObject[] }>): string[] {
  const root = path.resolve(outdir);
  fs.mkdirSync(root, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(root, '.synth-'));
  const written: string[] = [];
  try {
    for (const env of envs) {
      const dir = path.join(scratch, env.name);
      fs.mkdirSync(dir);
      const seen = new Set<string>();
      for (const obj of env.objects) {
        const file = manifestFileName(obj);
        if (seen.has(file)) throw new Error(`environment "${env.name}": two objects would both be written to ${file}; give them distinct names`);
        seen.add(file);
        checkObjectSize(env.name, obj);
        fs.writeFileSync(path.join(dir, file), toManifestYaml(obj));
        written.push(path.join(outdir, env.name, file));
      }
    }
    for (const env of envs) {
      const target = path.join(root, env.name);
      const old = path.join(scratch, `${env.name}.old`);
      if (fs.existsSync(target)) fs.renameSync(target, old);
      fs.renameSync(path.join(scratch, env.name), target);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return written;
}
