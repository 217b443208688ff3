/**
 * Pod Security Standards (Kubernetes 1.28): the checks of the "baseline" and "restricted" levels
 * over a pod spec, and the register of the stack's exceptions. Every workload must meet
 * "restricted" unless its component declares, with `podSecurityException()`, the level it meets
 * instead and why; the namespace then enforces the loosest declared level and warns and audits at
 * "restricted", so that anything else falling short is reported on apply.
 */
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartRegistry } from './registry';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** The Kubernetes release whose Pod Security Standards the namespace labels pin. */
export const POD_SECURITY_VERSION = 'v1.28';

export const LEVEL_ORDER: Readonly<Record<PodSecurityLevel, number>> = { restricted: 0, baseline: 1, privileged: 2 };

/** One control of the standard that a pod fails. */
export interface PodSecurityViolation {
  /** The level the control belongs to: failing a baseline control makes the pod "privileged". */
  readonly level: 'baseline' | 'restricted';
  /** The control, as the standard names it: `Host Namespaces`, `Running as Non-root`... */
  readonly control: string;
  /** Which field of which container. */
  readonly detail: string;
}

/** A workload that cannot meet "restricted", the level it meets instead, and why. */
export interface PodSecurityException {
  /** `Kind/name` of the workload, such as `DaemonSet/node-exporter`. */
  readonly workload: string;
  /** The level the workload meets. */
  readonly level: 'baseline' | 'privileged';
  /** The controls of the standard it fails, as the standard names them (`Host Namespaces`...): nothing else may fail. */
  readonly controls: readonly string[];
  /** The host access or privilege it needs, each item one field of the pod. */
  readonly needs: readonly string[];
  /** Why it needs it, for docs/security.md and reviewers. */
  readonly reason: string;
}

const registry = chartRegistry<PodSecurityException>();

/** Declares a workload's exception to "restricted" in the chart of `scope`. */
export function podSecurityException(scope: IConstruct, exception: PodSecurityException): PodSecurityException {
  return registry.declare(scope, exception.workload, { ...exception, controls: [...exception.controls].sort(), needs: [...exception.needs] });
}

/** The chart's exceptions, sorted by workload. */
export function podSecurityExceptions(chart: Chart): PodSecurityException[] {
  return registry.list(chart);
}

/** The loosest level among the exceptions: what the namespace must admit. */
export function requiredNamespaceLevel(exceptions: readonly PodSecurityException[]): PodSecurityLevel {
  return exceptions.reduce<PodSecurityLevel>((lvl, e) => (LEVEL_ORDER[e.level] > LEVEL_ORDER[lvl] ? e.level : lvl), 'restricted');
}

/** The labels that make the API server enforce, warn and audit pod security in a namespace. */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
  };
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The controls of the Pod Security Standards (1.28) a pod fails, from its spec (as JSON) and its
 * annotations (AppArmor). An empty list means the pod meets "restricted".
 */
export function podSecurityViolations(spec: any, annotations: Readonly<Record<string, string>> = {}): PodSecurityViolation[] {
  const out: PodSecurityViolation[] = [];
  const fail = (level: 'baseline' | 'restricted', control: string, detail: string) => out.push({ level, control, detail });
  const psc = spec.securityContext ?? {};
  const containers: Array<{ where: string; c: any }> = [
    ...(spec.initContainers ?? []).map((c: any) => ({ where: `initContainers[${c.name}]`, c })),
    ...(spec.containers ?? []).map((c: any) => ({ where: `containers[${c.name}]`, c })),
    ...(spec.ephemeralContainers ?? []).map((c: any) => ({ where: `ephemeralContainers[${c.name}]`, c })),
  ];

  // Baseline.
  if (psc.windowsOptions?.hostProcess) fail('baseline', 'HostProcess', 'securityContext.windowsOptions.hostProcess');
  for (const { where, c } of containers)
    if (c.securityContext?.windowsOptions?.hostProcess) fail('baseline', 'HostProcess', `${where}.securityContext.windowsOptions.hostProcess`);
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) fail('baseline', 'Host Namespaces', `spec.${f}`);
  for (const { where, c } of containers) if (c.securityContext?.privileged) fail('baseline', 'Privileged Containers', `${where}.securityContext.privileged`);
  for (const { where, c } of containers) {
    for (const cap of c.securityContext?.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) fail('baseline', 'Capabilities', `${where} adds ${cap}`);
  }
  for (const v of spec.volumes ?? []) if (v.hostPath) fail('baseline', 'HostPath Volumes', `volumes[${v.name}] hostPath ${v.hostPath.path}`);
  for (const { where, c } of containers) for (const p of c.ports ?? []) if (p.hostPort) fail('baseline', 'Host Ports', `${where} hostPort ${p.hostPort}`);
  for (const [k, v] of Object.entries(annotations)) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'runtime/default' && !v.startsWith('localhost/'))
      fail('baseline', 'AppArmor', `${k}: ${v}`);
  }
  const selinux = (where: string, o: any) => {
    if (!o) return;
    if (!SELINUX_TYPES.has(o.type ?? '')) fail('baseline', 'SELinux', `${where}.seLinuxOptions.type ${o.type}`);
    if (o.user || o.role) fail('baseline', 'SELinux', `${where}.seLinuxOptions user or role`);
  };
  selinux('securityContext', psc.seLinuxOptions);
  for (const { where, c } of containers) selinux(`${where}.securityContext`, c.securityContext?.seLinuxOptions);
  for (const { where, c } of containers)
    if (c.securityContext?.procMount && c.securityContext.procMount !== 'Default') fail('baseline', '/proc Mount Type', `${where}.securityContext.procMount`);
  if (psc.seccompProfile?.type === 'Unconfined') fail('baseline', 'Seccomp', 'securityContext.seccompProfile Unconfined');
  for (const { where, c } of containers)
    if (c.securityContext?.seccompProfile?.type === 'Unconfined') fail('baseline', 'Seccomp', `${where}.securityContext.seccompProfile Unconfined`);
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) fail('baseline', 'Sysctls', `securityContext.sysctls ${s.name}`);

  // Restricted.
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) fail('restricted', 'Volume Types', `volumes[${v.name}] is ${type}`);
  }
  for (const { where, c } of containers)
    if (c.securityContext?.allowPrivilegeEscalation !== false)
      fail('restricted', 'Privilege Escalation', `${where}.securityContext.allowPrivilegeEscalation is not false`);
  for (const { where, c } of containers) {
    const nonRoot = c.securityContext?.runAsNonRoot ?? psc.runAsNonRoot;
    if (nonRoot !== true) fail('restricted', 'Running as Non-root', `${where} runAsNonRoot is not true`);
    const uid = c.securityContext?.runAsUser ?? psc.runAsUser;
    if (uid === 0) fail('restricted', 'Running as Non-root user', `${where} runs as user 0`);
  }
  if (psc.runAsUser === 0) fail('restricted', 'Running as Non-root user', 'securityContext.runAsUser is 0');
  for (const { where, c } of containers) {
    const type = c.securityContext?.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (type !== 'RuntimeDefault' && type !== 'Localhost') fail('restricted', 'Seccomp', `${where} seccompProfile is ${type ?? 'unset'}`);
  }
  for (const { where, c } of containers) {
    const caps = c.securityContext?.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) fail('restricted', 'Capabilities', `${where} does not drop ALL`);
    for (const cap of caps.add ?? []) if (cap !== 'NET_BIND_SERVICE') fail('restricted', 'Capabilities', `${where} adds ${cap}`);
  }
  return out;
}

/** The strictest level a pod meets, from its violations. */
export function levelOf(violations: readonly PodSecurityViolation[]): PodSecurityLevel {
  if (violations.some((v) => v.level === 'baseline')) return 'privileged';
  if (violations.length) return 'baseline';
  return 'restricted';
}
