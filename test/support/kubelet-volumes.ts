/**
 * Lays out a pod's volumes and mounts on disk from the synthesized objects the way the kubelet
 * does, so tests can point real programs (promtool, amtool) and faithful readers at the files a
 * container sees.
 *
 * ConfigMap, Secret, projected and downwardAPI volumes are written as the kubelet's atomic writer
 * writes them (kubernetes/kubernetes pkg/volume/util/atomic_writer.go, `AtomicWriter.Write`): the
 * payload goes into a timestamped directory `..<UTC time as 2006_01_02_15_04_05>.<random>`
 * (`newTimestampDir`), nested item paths as subdirectories of it; `..data` is a symlink to that
 * directory; each top-level entry of the payload, file or directory, is a symlink
 * `<name> -> ..data/<name>` (`createUserVisibleFiles`). A mount without `subPath` shows the
 * volume's directory itself; a `subPath` mount shows the entry the sub path resolves to (symlinks
 * followed), a regular file or a real directory, and is never updated afterwards. Mount points
 * are real directories. emptyDir, hostPath and claims start empty, in each container: what an
 * init container writes into a shared emptyDir is not replayed.
 *
 * Secret values never appear in the manifests: a Secret's keys come from the chart's declared
 * Secrets (lib/core/secrets.ts) and each file holds a fake value. The ServiceAccount token volume is
 * added, as the API server's ServiceAccount admission does, unless the pod or its ServiceAccount
 * turns automounting off.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExpectedSecret } from '../../lib/core/secrets';
import type { KubeObject } from '../../lib/synth';

export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The files one container sees, under a scratch root. */
export interface ContainerFiles {
  readonly container: string;
  /** The scratch folder standing for the container's `/`. */
  readonly root: string;
  /** Where a container path lies on this machine (symlinks not followed). */
  hostPath(containerPath: string): string;
  /** What a container path is once every symlink is followed. */
  kindOf(containerPath: string): 'file' | 'directory' | 'missing';
  /** The content of a file at a container path (symlinks followed). */
  read(containerPath: string): string;
}

export interface MaterializedPod {
  /** Scratch folder of the pod: one folder per container, and the volumes behind subPath mounts. */
  readonly root: string;
  readonly containers: ReadonlyMap<string, ContainerFiles>;
  /** The container's files; throws naming the containers there are. */
  container(name: string): ContainerFiles;
}

export interface MaterializeOptions {
  /** Every object of the environment (ConfigMaps, ServiceAccounts). */
  readonly objects: readonly KubeObject[];
  /** The pod template's spec. */
  readonly podSpec: any;
  /** Names the scratch folder and the errors. */
  readonly podName: string;
  /** A StatefulSet's `volumeClaimTemplates`: each gives the pod a claim volume of its name. */
  readonly volumeClaimTemplates?: readonly any[];
  /** Secrets the chart expects, with their keys (`expectedSecrets(stack)`). */
  readonly secrets: readonly ExpectedSecret[];
  /** When the volumes are written: names the timestamped directories. @default now */
  readonly now?: Date;
  /** Parent folder of the scratch folder. @default the system temp folder */
  readonly scratch?: string;
}

interface FileProjection {
  readonly data: string;
  readonly mode: number;
}

/** The kubelet's timestamped directory prefix, `..2006_01_02_15_04_05.` in UTC. */
export function timestampPrefix(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

/**
 * Writes a payload into `targetDir` as the atomic writer does: files under a timestamped
 * directory, `..data` pointing at it, a symlink per top-level entry.
 */
export function writeAtomically(targetDir: string, payload: ReadonlyMap<string, FileProjection>, now: Date): void {
  fs.mkdirSync(targetDir, { recursive: true });
  const tsDir = fs.mkdtempSync(path.join(targetDir, timestampPrefix(now)));
  fs.chmodSync(tsDir, 0o755);
  for (const [rel, file] of payload) {
    const clean = path.posix.normalize(rel);
    const parts = clean.split('/');
    if (path.posix.isAbsolute(rel) || parts.includes('..') || parts[0].startsWith('..')) {
      throw new Error(`invalid volume item path ${JSON.stringify(rel)}: must be relative, without ".." and not start with ".."`);
    }
    const full = path.join(tsDir, clean);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.data);
    fs.chmodSync(full, file.mode);
  }
  fs.symlinkSync(path.basename(tsDir), path.join(targetDir, '..data'));
  for (const rel of payload.keys()) {
    const top = path.posix.normalize(rel).split('/')[0];
    const link = path.join(targetDir, top);
    if (!isSymlink(link)) fs.symlinkSync(path.posix.join('..data', top), link);
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Lays out every container (init containers included) of a pod. */
export function materializePod(opts: MaterializeOptions): MaterializedPod {
  const now = opts.now ?? new Date();
  const root = fs.mkdtempSync(path.join(opts.scratch ?? os.tmpdir(), `pod-${opts.podName}-`));
  const spec = opts.podSpec;
  const volumes: any[] = [
    ...(spec.volumes ?? []),
    ...(opts.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: t.metadata.name } })),
  ];
  const saMount = serviceAccountVolume(opts, spec);
  if (saMount) volumes.push(saMount);
  const byName = new Map<string, any>(volumes.map((v) => [v.name, v]));

  // Volumes behind subPath mounts are written once per pod, as the kubelet writes each volume once.
  const staged = new Map<string, string>();
  const stagedVolume = (name: string): string => {
    let dir = staged.get(name);
    if (!dir) {
      dir = path.join(root, '.volumes', name);
      writeVolume(dir, volumeOf(name), opts, now);
      staged.set(name, dir);
    }
    return dir;
  };
  const volumeOf = (name: string): any => {
    const v = byName.get(name);
    if (!v) throw new Error(`pod ${opts.podName}: a volumeMount names volume "${name}", which the pod does not have`);
    return v;
  };

  const containers = new Map<string, ContainerFiles>();
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const croot = path.join(root, c.name);
    fs.mkdirSync(croot, { recursive: true });
    const mounts: any[] = [...(c.volumeMounts ?? [])];
    if (saMount && !mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT))
      mounts.push({ name: saMount.name, mountPath: SERVICE_ACCOUNT_MOUNT, readOnly: true });
    // Parents before children, as the runtime mounts them.
    mounts.sort((a, b) => depth(a.mountPath) - depth(b.mountPath));
    for (const m of mounts) {
      const dest = path.join(croot, m.mountPath);
      const v = volumeOf(m.name);
      if (!m.subPath) {
        writeVolume(dest, v, opts, now);
        continue;
      }
      const source = path.join(stagedVolume(m.name), m.subPath);
      let real: string;
      try {
        real = fs.realpathSync(source);
      } catch {
        throw new Error(
          `pod ${opts.podName} container ${c.name}: subPath "${m.subPath}" of volume "${m.name}" does not exist, so ${m.mountPath} cannot be mounted`,
        );
      }
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (fs.statSync(real).isDirectory()) fs.cpSync(real, dest, { recursive: true, dereference: false, verbatimSymlinks: true });
      else fs.copyFileSync(real, dest);
    }
    containers.set(c.name, containerFiles(c.name, croot));
  }
  return {
    root,
    containers,
    container(name: string): ContainerFiles {
      const f = containers.get(name);
      if (!f) throw new Error(`pod ${opts.podName} has no container "${name}"; it has ${[...containers.keys()].join(', ')}`);
      return f;
    },
  };
}

function depth(p: string): number {
  return path.posix.normalize(p).split('/').filter(Boolean).length;
}

function containerFiles(name: string, root: string): ContainerFiles {
  const hostPath = (p: string) => path.join(root, p);
  return {
    container: name,
    root,
    hostPath,
    kindOf(p: string) {
      try {
        const real = fs.realpathSync(hostPath(p));
        if (real !== root && !real.startsWith(root + path.sep)) return 'missing';
        const st = fs.statSync(real);
        return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'missing';
      } catch {
        return 'missing';
      }
    },
    read(p: string) {
      return fs.readFileSync(hostPath(p), 'utf8');
    },
  };
}

/** The token volume the ServiceAccount admission adds unless automounting is off. */
function serviceAccountVolume(opts: MaterializeOptions, spec: any): any | undefined {
  const saName = spec.serviceAccountName ?? 'default';
  const sa: any = opts.objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === saName);
  const automount = spec.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  if (!automount) return undefined;
  return {
    name: 'kube-api-access',
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace' }] } },
      ],
    },
  };
}

function writeVolume(dir: string, v: any, opts: MaterializeOptions, now: Date): void {
  if (v.configMap || v.secret || v.projected || v.downwardAPI) {
    writeAtomically(dir, payloadOf(v, opts), now);
    return;
  }
  if (v.emptyDir || v.hostPath || v.persistentVolumeClaim || v.ephemeral) {
    fs.mkdirSync(dir, { recursive: true });
    return;
  }
  throw new Error(`pod ${opts.podName}: volume "${v.name}" is of a kind this layout does not know: ${Object.keys(v).join(', ')}`);
}

function payloadOf(v: any, opts: MaterializeOptions): Map<string, FileProjection> {
  const out = new Map<string, FileProjection>();
  const add = (source: { keys: Map<string, string> | undefined; items?: any[]; optional?: boolean; what: string }, defaultMode: number) => {
    if (!source.keys) {
      if (source.optional) return;
      throw new Error(`pod ${opts.podName}: volume "${v.name}" needs ${source.what}, which the environment neither creates nor expects`);
    }
    const items: any[] = source.items ?? [...source.keys.keys()].map((key) => ({ key, path: key }));
    for (const item of items) {
      const data = source.keys.get(item.key);
      if (data === undefined) {
        if (source.optional) continue;
        throw new Error(
          `pod ${opts.podName}: volume "${v.name}" projects key "${item.key}" of ${source.what}, which has keys ${[...source.keys.keys()].join(', ')}`,
        );
      }
      out.set(item.path, { data, mode: item.mode ?? defaultMode });
    }
  };
  if (v.configMap)
    add(
      { keys: configMapKeys(opts, v.configMap.name), items: v.configMap.items, optional: v.configMap.optional, what: `ConfigMap "${v.configMap.name}"` },
      v.configMap.defaultMode ?? 0o644,
    );
  if (v.secret)
    add(
      { keys: secretKeys(opts, v.secret.secretName), items: v.secret.items, optional: v.secret.optional, what: `Secret "${v.secret.secretName}"` },
      v.secret.defaultMode ?? 0o644,
    );
  if (v.downwardAPI)
    for (const item of v.downwardAPI.items ?? []) out.set(item.path, { data: 'downward-api-value', mode: item.mode ?? v.downwardAPI.defaultMode ?? 0o644 });
  if (v.projected) {
    const mode = v.projected.defaultMode ?? 0o644;
    for (const s of v.projected.sources ?? []) {
      if (s.configMap)
        add(
          { keys: configMapKeys(opts, s.configMap.name), items: s.configMap.items, optional: s.configMap.optional, what: `ConfigMap "${s.configMap.name}"` },
          mode,
        );
      if (s.secret) add({ keys: secretKeys(opts, s.secret.name), items: s.secret.items, optional: s.secret.optional, what: `Secret "${s.secret.name}"` }, mode);
      if (s.serviceAccountToken) out.set(s.serviceAccountToken.path, { data: 'fake-service-account-token', mode });
      if (s.downwardAPI) for (const item of s.downwardAPI.items ?? []) out.set(item.path, { data: 'downward-api-value', mode: item.mode ?? mode });
    }
  }
  return out;
}

function configMapKeys(opts: MaterializeOptions, name: string): Map<string, string> | undefined {
  // kube-root-ca.crt is published into every namespace by the cluster.
  if (name === 'kube-root-ca.crt') return new Map([['ca.crt', '-----BEGIN CERTIFICATE-----\nfake cluster CA\n-----END CERTIFICATE-----\n']]);
  const cm: any = opts.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!cm) return undefined;
  return new Map<string, string>([
    ...Object.entries((cm.data ?? {}) as Record<string, string>),
    ...Object.entries((cm.binaryData ?? {}) as Record<string, string>).map(
      ([k, b64]) => [k, Buffer.from(b64, 'base64').toString('latin1')] as [string, string],
    ),
  ]);
}

function secretKeys(opts: MaterializeOptions, name: string): Map<string, string> | undefined {
  const declared = opts.secrets.find((s) => s.name === name);
  if (declared) return new Map(declared.keys.map((k) => [k, `fake value of ${name}/${k}\n`]));
  const created: any = opts.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
  if (!created) return undefined;
  return new Map(Object.keys({ ...(created.data ?? {}), ...(created.stringData ?? {}) }).map((k) => [k, `fake value of ${name}/${k}\n`]));
}
