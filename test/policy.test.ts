/**
 * The policy suite: every object of every environment against the stack's security and
 * availability rules. Pod security (the Kubernetes standards, with declared exceptions only),
 * service-account tokens only where the API is called, read-only RBAC without wildcards, pinned
 * images, resources and probes, no secret in any manifest, Services that select something, every
 * reference resolved, network policies that let exactly the stack's flows through, and in
 * production a ready replica of every component after the loss of any one node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { singleReplicaDeclarations } from '../lib/core/availability';
import { LEVEL_ORDER, POD_SECURITY_VERSION, levelOf, podSecurityExceptions, podSecurityViolations, requiredNamespaceLevel } from '../lib/core/pod-security';
import { EnvironmentName } from '../lib/profile';
import { KubeObject } from '../lib/synth';
import { PROFILES } from '../stacks/environments';
import { SECURITY_DOC, renderSecurityDoc } from '../scripts/security-doc';
import { NetEndpoint, allowed } from './support/netpol';
import { schemaProblems } from './support/schema';
import { schemaProblems128 } from './support/schema-k8s128';
import { ENVIRONMENTS, alter, synth, synthProfile } from './support/synth';

/** The workloads that write or read the object store: the Prometheus pods (their sidecar), the store gateway, the compactor. */
const OBJECT_STORE_CLIENTS = ['StatefulSet/prometheus', 'StatefulSet/thanos-store', 'StatefulSet/thanos-compact'];

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet'];

interface Workload {
  readonly key: string;
  readonly obj: any;
  readonly template: any;
  readonly spec: any;
  readonly labels: Record<string, string>;
}

function workloads(objects: readonly KubeObject[]): Workload[] {
  return (objects as any[])
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((o) => {
      const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
      return { key: `${o.kind}/${o.metadata.name}`, obj: o, template, spec: template.spec, labels: template.metadata?.labels ?? {} };
    });
}

const containersOf = (spec: any): any[] => [...(spec.initContainers ?? []), ...spec.containers];
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Every string in a value, with its path. */
function strings(value: unknown, at: string, out: Array<{ at: string; s: string }> = []): Array<{ at: string; s: string }> {
  if (typeof value === 'string') out.push({ at, s: value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
  return out;
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Literals that look like credentials, wherever they appear. */
const SECRET_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['Slack webhook', /hooks\.slack\.com\/services\/T[A-Z0-9]+\//],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ['JSON web token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./],
  ['credentials in a URL', /[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]+:[^\s/@'"$]+@/i],
  ['PagerDuty or Opsgenie key in a URL', /[?&](routing_key|apiKey|api_key|token)=[A-Za-z0-9]/],
];

/** `password: hunter2`, `"token": "abc"`, `password "x"`: a credential-named key with a literal value. */
const CREDENTIAL_ASSIGNMENT = /(?<![/\w.-])(password|passwd|secret|token|api[_-]?key|credentials)["']?\s*[:=]?\s*["']([^"'\s]{6,})["']/gi;
/** Values that are references, not credentials: files, environment, templates, Ruby file reads. */
const REFERENCE = /^(\/|\$|#\{|\{\{|\$__file|\$\{|file:|env:)/;

function secretFindings(obj: KubeObject): string[] {
  const found: string[] = [];
  for (const { at, s } of strings(obj, `${obj.kind}/${obj.metadata.name}`)) {
    for (const [what, re] of SECRET_PATTERNS) if (re.test(s)) found.push(`${at}: ${what}`);
    for (const m of s.matchAll(CREDENTIAL_ASSIGNMENT)) if (!REFERENCE.test(m[2])) found.push(`${at}: ${m[1]} set to a literal`);
    // Long random-looking tokens: 32+ characters of mixed case and digits with high entropy.
    for (const tok of s.split(/[^A-Za-z0-9+/=_-]+/)) {
      if (tok.length >= 32 && /[a-z]/.test(tok) && /[A-Z]/.test(tok) && /\d/.test(tok) && entropy(tok) > 4.5)
        found.push(`${at}: random-looking literal ${tok.slice(0, 8)}...`);
    }
  }
  return found;
}

const NODES = 3;

describe.each(ENVIRONMENTS)('%s: every object meets the policy', (env: EnvironmentName) => {
  const { objects, stack } = synth(env);
  const all = workloads(objects);
  const exceptions = podSecurityExceptions(stack);
  const ns = PROFILES[env].namespace;
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');

  it('is checked in full: every object is a known kind of the stack', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'DaemonSet',
        'Deployment',
        'Namespace',
        'NetworkPolicy',
        'Service',
        'ServiceAccount',
        'StatefulSet',
      ]),
    );
    expect(objects.length).toBeGreaterThan(90);
  });

  it('pods at a system priority class are admitted on clusters that limit those classes by quota (GKE): a scoped ResourceQuota covers every one, on every node of a 5,000-node cluster', () => {
    const quotas = objects.filter((o: any) => o.kind === 'ResourceQuota') as any[];
    const problems: string[] = [];
    const classes = new Map<string, number>();
    for (const w of all) {
      const pc = w.spec.priorityClassName;
      if (!pc || !pc.startsWith('system-')) continue;
      if (w.obj.kind !== 'DaemonSet') problems.push(`${w.key}: ${pc} is for node agents only`);
      classes.set(pc, (classes.get(pc) ?? 0) + 1);
    }
    expect(classes.size).toBeGreaterThan(0);
    for (const [pc, daemonSets] of classes) {
      const admitting = quotas.filter(
        (q) =>
          q.metadata.namespace === ns &&
          (q.spec.scopeSelector?.matchExpressions ?? []).some((e: any) => e.scopeName === 'PriorityClass' && e.operator === 'In' && e.values.includes(pc)),
      );
      if (admitting.length === 0) problems.push(`${pc}: no ResourceQuota scoped to it in ${ns}`);
      for (const q of admitting) {
        if (Number(q.spec.hard.pods) < daemonSets * 5000) problems.push(`${q.metadata.name}: pods ${q.spec.hard.pods} < ${daemonSets} agents x 5000 nodes`);
        if (Object.keys(q.spec.hard).some((k) => k !== 'pods'))
          problems.push(`${q.metadata.name}: limits ${Object.keys(q.spec.hard)}, which would require requests of every pod it covers`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe('pod security', () => {
    it('every workload meets "restricted", except the declared ones, which fail exactly the controls they declare', () => {
      const problems: string[] = [];
      for (const w of all) {
        const v = podSecurityViolations(w.spec, w.template.metadata?.annotations ?? {});
        const e = exceptions.find((x) => x.workload === w.key);
        if (!e) {
          for (const x of v) problems.push(`${w.key}: ${x.control} (${x.detail})`);
          continue;
        }
        if (levelOf(v) !== e.level) problems.push(`${w.key}: meets ${levelOf(v)}, declares ${e.level}`);
        const failed = [...new Set(v.map((x) => x.control))].sort();
        if (JSON.stringify(failed) !== JSON.stringify(e.controls)) problems.push(`${w.key}: fails ${failed.join(', ')}; declares ${e.controls.join(', ')}`);
      }
      expect(problems).toEqual([]);
    });

    it('only the node agents and the Elasticsearch kernel-setting step are exceptions', () => {
      const allowedExceptions = ['DaemonSet/fluentd', 'DaemonSet/node-exporter', 'StatefulSet/elasticsearch'];
      expect(exceptions.map((e) => e.workload).filter((w) => !allowedExceptions.includes(w))).toEqual([]);
      expect(exceptions.map((e) => e.workload)).toEqual(expect.arrayContaining(['DaemonSet/fluentd', 'DaemonSet/node-exporter']));
      const es = PROFILES[env].logging.elasticsearch.maxMapCount === 'init-container';
      expect(exceptions.some((e) => e.workload === 'StatefulSet/elasticsearch')).toBe(es);
      for (const e of exceptions) expect(e.reason.length).toBeGreaterThan(40);
    });

    it('the exceptions keep every other protection: no capability, no escalation and RuntimeDefault seccomp in the long-running containers, non-root where the host access allows', () => {
      for (const e of exceptions) {
        const w = all.find((x) => x.key === e.workload)!;
        for (const c of w.spec.containers) {
          expect([w.key, c.name, c.securityContext.capabilities?.drop]).toEqual([w.key, c.name, ['ALL']]);
          expect([w.key, c.name, c.securityContext.allowPrivilegeEscalation, c.securityContext.privileged]).toEqual([w.key, c.name, false, false]);
          expect([w.key, c.securityContext.seccompProfile?.type ?? w.spec.securityContext?.seccompProfile?.type]).toEqual([w.key, 'RuntimeDefault']);
        }
        for (const v of w.spec.volumes ?? [])
          if (v.hostPath)
            expect([w.key, v.name, w.spec.containers.some((c: any) => (c.volumeMounts ?? []).some((m: any) => m.name === v.name))]).toEqual([
              w.key,
              v.name,
              true,
            ]);
      }
      const ne = all.find((w) => w.key === 'DaemonSet/node-exporter')!;
      expect(ne.spec.securityContext.runAsNonRoot).toBe(true);
      expect(ne.spec.containers[0].volumeMounts.every((m: any) => m.readOnly)).toBe(true);
    });

    it('every container has a read-only root filesystem', () => {
      const writable = all.flatMap((w) =>
        containersOf(w.spec)
          .filter((c) => c.securityContext?.readOnlyRootFilesystem !== true)
          .map((c) => `${w.key}/${c.name}`),
      );
      expect(writable).toEqual([]);
    });

    it(`the namespace enforces the level the node agents need and warns and audits at "restricted", for Kubernetes ${POD_SECURITY_VERSION}`, () => {
      const namespace = objects.find((o) => o.kind === 'Namespace')!;
      const labels = namespace.metadata.labels!;
      const needed = all.reduce(
        (lvl, w) => {
          const l = levelOf(podSecurityViolations(w.spec));
          return LEVEL_ORDER[l] > LEVEL_ORDER[lvl] ? l : lvl;
        },
        'restricted' as keyof typeof LEVEL_ORDER,
      );
      expect(labels['pod-security.kubernetes.io/enforce']).toBe(needed);
      expect(labels['pod-security.kubernetes.io/enforce']).toBe(requiredNamespaceLevel(exceptions));
      expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
      for (const m of ['enforce', 'warn', 'audit']) expect(labels[`pod-security.kubernetes.io/${m}-version`]).toBe(POD_SECURITY_VERSION);
    });

    it('mounts a service-account token only into pods that call the Kubernetes API, and every such pod has RBAC', () => {
      const sas = new Map((objects as any[]).filter((o) => o.kind === 'ServiceAccount').map((o) => [o.metadata.name, o]));
      for (const sa of sas.values()) expect([sa.metadata.name, typeof sa.automountServiceAccountToken]).toEqual([sa.metadata.name, 'boolean']);
      const bound = new Set(
        (objects as any[])
          .filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
          .flatMap((b) => b.subjects.filter((s: any) => s.kind === 'ServiceAccount').map((s: any) => s.name)),
      );
      const withToken = all
        .filter((w) => w.spec.automountServiceAccountToken ?? sas.get(w.spec.serviceAccountName)?.automountServiceAccountToken ?? true)
        .map((w) => w.key);
      expect(withToken.sort()).toEqual(['DaemonSet/fluentd', 'Deployment/kube-state-metrics', 'StatefulSet/prometheus']);
      for (const w of all) {
        const token = withToken.includes(w.key);
        expect([w.key, token]).toEqual([w.key, bound.has(w.spec.serviceAccountName)]);
      }
    });

    it('RBAC reads only: no wildcard, no write verb, no Secrets, no escalation', () => {
      const problems: string[] = [];
      for (const r of (objects as any[]).filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
        for (const rule of r.rules) {
          for (const f of ['verbs', 'resources', 'apiGroups', 'nonResourceURLs', 'resourceNames'])
            if ((rule[f] ?? []).includes('*')) problems.push(`${r.metadata.name}: * in ${f}`);
          for (const v of rule.verbs) if (!['get', 'list', 'watch'].includes(v)) problems.push(`${r.metadata.name}: verb ${v}`);
          if ((rule.resources ?? []).some((x: string) => x === 'secrets' || x.startsWith('secrets/'))) problems.push(`${r.metadata.name}: reads Secrets`);
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('containers', () => {
    it('run images pinned to a release tag, never latest', () => {
      for (const w of all)
        for (const c of containersOf(w.spec))
          expect([w.key, c.image]).toEqual([w.key, expect.stringMatching(/^[^\s:]+(:\d+)?\/[^\s:]+:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]*$/)]);
    });

    it('set cpu and memory requests and limits', () => {
      for (const w of all) {
        for (const c of containersOf(w.spec)) {
          for (const f of ['requests', 'limits'])
            for (const r of ['cpu', 'memory']) expect([w.key, c.name, f, r, typeof c.resources?.[f]?.[r]]).toEqual([w.key, c.name, f, r, 'string']);
        }
      }
    });

    it('have readiness and liveness probes when they run for good', () => {
      for (const w of all.filter((x) => LONG_RUNNING.includes(x.obj.kind))) {
        for (const c of w.spec.containers) expect([w.key, c.name, !!c.readinessProbe, !!c.livenessProbe]).toEqual([w.key, c.name, true, true]);
      }
    });
  });

  describe('secrets', () => {
    it('no Secret object, no secret-looking literal in any string of any object', () => {
      expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
      expect(objects.flatMap(secretFindings)).toEqual([]);
    });

    it('environment variables named like credentials hold a file path or come from a Secret', () => {
      for (const w of all) {
        for (const c of containersOf(w.spec)) {
          for (const e of c.env ?? []) {
            if (!/PASS|SECRET|TOKEN|API_?KEY|CREDENTIAL/i.test(e.name) || e.valueFrom) continue;
            // A path to a mounted file, or the name of a Secret whose files are mounted.
            const secretNames = stack.expectedSecrets.map((s) => s.name);
            expect([w.key, e.name, e.value.startsWith('/') || secretNames.includes(e.value)]).toEqual([w.key, e.name, true]);
          }
        }
      }
    });

    it('no secret reaches a command line: no argument or command expands a variable read from a Secret', () => {
      const problems: string[] = [];
      for (const w of all) {
        for (const c of containersOf(w.spec)) {
          const fromSecrets = new Set((c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.name));
          for (const a of [...(c.command ?? []), ...(c.args ?? [])]) {
            for (const m of String(a).matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) if (fromSecrets.has(m[1])) problems.push(`${w.key} ${c.name}: ${a}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('the scan finds a planted credential, so it is not blind', () => {
      const cm: any = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
        data: { 'a.yml': 'api_url: https://hooks.slack.com/services/T0000/B0000/xyz\npassword: "hunter2hunter2"' },
      };
      expect(secretFindings(cm)).toHaveLength(2);
      expect(secretFindings({ ...cm, data: { k: 'aK9fQ2mZ7xP4wL8sR1tY6uV3nB5cE0hJgDqWe' } } as any)).toHaveLength(1);
    });
  });

  describe('references', () => {
    it("every Service selects the pods of exactly one workload (never a component's setup Job beside it)", () => {
      for (const s of (objects as any[]).filter((o) => o.kind === 'Service')) {
        expect([s.metadata.name, typeof s.spec.selector]).toEqual([s.metadata.name, 'object']);
        expect([s.metadata.name, all.filter((w) => selects(s.spec.selector, w.labels)).map((w) => w.obj.kind)]).toEqual([
          s.metadata.name,
          [expect.stringMatching(/^(Deployment|StatefulSet|DaemonSet)$/)],
        ]);
      }
    });

    it('every ConfigMap and ServiceAccount referenced is created by the stack; every Secret is an expected one, with the keys read', () => {
      const have = (kind: string) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.name));
      const configMaps = have('ConfigMap');
      const serviceAccounts = have('ServiceAccount');
      const expected = new Map(stack.expectedSecrets.map((s) => [s.name, new Set(s.keys)]));
      const problems: string[] = [];
      const secret = (who: string, name: string, keys: string[]) => {
        if (!expected.has(name)) problems.push(`${who}: Secret ${name} is not expected`);
        else for (const k of keys) if (!expected.get(name)!.has(k)) problems.push(`${who}: Secret ${name} key ${k} is not expected`);
      };
      const configMap = (who: string, name: string) => {
        if (!configMaps.has(name)) problems.push(`${who}: ConfigMap ${name} does not exist`);
      };
      for (const w of all) {
        if (!serviceAccounts.has(w.spec.serviceAccountName)) problems.push(`${w.key}: ServiceAccount ${w.spec.serviceAccountName}`);
        for (const v of w.spec.volumes ?? []) {
          if (v.configMap) configMap(w.key, v.configMap.name);
          if (v.secret)
            secret(
              w.key,
              v.secret.secretName,
              (v.secret.items ?? []).map((i: any) => i.key),
            );
          for (const src of v.projected?.sources ?? []) {
            if (src.configMap) configMap(w.key, src.configMap.name);
            if (src.secret)
              secret(
                w.key,
                src.secret.name,
                (src.secret.items ?? []).map((i: any) => i.key),
              );
          }
        }
        for (const c of containersOf(w.spec)) {
          for (const e of c.env ?? []) {
            if (e.valueFrom?.secretKeyRef) secret(w.key, e.valueFrom.secretKeyRef.name, [e.valueFrom.secretKeyRef.key]);
            if (e.valueFrom?.configMapKeyRef) configMap(w.key, e.valueFrom.configMapKeyRef.name);
          }
          for (const f of c.envFrom ?? []) {
            if (f.secretRef) secret(w.key, f.secretRef.name, []);
            if (f.configMapRef) configMap(w.key, f.configMapRef.name);
          }
        }
        for (const p of w.spec.imagePullSecrets ?? []) secret(w.key, p.name, []);
      }
      for (const b of (objects as any[]).filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')) {
        for (const s of b.subjects)
          if (s.kind === 'ServiceAccount' && !serviceAccounts.has(s.name)) problems.push(`${b.metadata.name}: ServiceAccount ${s.name}`);
        if (!have(b.roleRef.kind).has(b.roleRef.name)) problems.push(`${b.metadata.name}: ${b.roleRef.kind} ${b.roleRef.name}`);
      }
      expect(problems).toEqual([]);
    });

    it('every expected Secret is documented in docs/secrets.md, which the README points to', () => {
      const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'secrets.md'), 'utf8');
      for (const s of stack.expectedSecrets) for (const k of s.keys) expect(doc).toContain(`| \`${s.name}\` | \`${k}\` |`);
      expect(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')).toContain('(docs/secrets.md)');
    });
  });

  describe('schema', () => {
    it('validates against Kubernetes 1.28, the API the stack targets (cdk8s-plus-28)', () => {
      expect(schemaProblems128(objects)).toEqual([]);
    });

    it('validates against a current Kubernetes release (kubernetes-models)', () => {
      expect(schemaProblems(objects)).toEqual([]);
    });
  });

  describe('network policies', () => {
    const podOf = (key: string): NetEndpoint => {
      const w = all.find((x) => x.key === key);
      if (!w) throw new Error(`no workload ${key}; have ${all.map((x) => x.key).join(', ')}`);
      return { namespace: ns, labels: w.labels };
    };
    const can = (from: NetEndpoint, to: NetEndpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => allowed(policies, { from, to, port, protocol });
    const trading: NetEndpoint = { namespace: 'grekko', labels: { app: 'order-service' } };
    const stranger: NetEndpoint = { namespace: 'default', labels: { app: 'curl' } };
    const dns: NetEndpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    const net = PROFILES[env].network;
    const ip = (cidr: string) => cidr.split('/')[0].replace(/\.0$/, '.7');

    it('deny everything in and out by default, except DNS', () => {
      const deny = policies.find((p) => p.metadata.name === 'default-deny') as any;
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      for (const w of all) {
        if (w.spec.hostNetwork) continue;
        expect([w.key, can(podOf(w.key), dns, 53, 'UDP'), can(podOf(w.key), dns, 53, 'TCP')]).toEqual([w.key, true, true]);
        expect([w.key, 'to the internet', can(podOf(w.key), { ip: '203.0.113.9' }, 443)]).toEqual([
          w.key,
          'to the internet',
          // Alertmanager reaches its receivers; with Thanos, the pods writing or reading the bucket reach the object store.
          env !== 'local' && (w.key === 'StatefulSet/alertmanager' || (PROFILES[env].thanos !== undefined && OBJECT_STORE_CLIENTS.includes(w.key))),
        ]);
        expect([w.key, 'from another namespace', can(stranger, podOf(w.key), 8080)]).toEqual([w.key, 'from another namespace', false]);
      }
    });

    it('give every workload on the pod network a policy of its own', () => {
      const groups = policies.filter((p: any) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0) as any[];
      for (const w of all.filter((x) => !x.spec.hostNetwork)) {
        expect([w.key, groups.filter((p) => selects(p.spec.podSelector.matchLabels, w.labels)).length]).toEqual([w.key, 1]);
      }
    });

    it("let Prometheus reach every target of its own scrape configuration in the namespace, and the nodes' exporters", () => {
      const prom = podOf('StatefulSet/prometheus');
      const services = (objects as any[]).filter((o) => o.kind === 'Service');
      let checked = 0;
      for (const job of stack.prometheus.jobs) {
        if (job.discovery.kind !== 'kubernetes' || JSON.stringify(job.discovery.namespaces) !== JSON.stringify([ns])) continue;
        const keep = job.relabelings?.find((r) => r.action === 'keep');
        const [svcRe, portName] = keep!.regex!.split(';');
        const byName = keep!.sourceLabels![0] === '__meta_kubernetes_service_name';
        const targets = services.filter((s) => new RegExp(`^${svcRe}$`).test(byName ? s.metadata.name : s.metadata.labels['app.kubernetes.io/name']));
        expect([job.name, targets.length > 0]).toEqual([job.name, true]);
        for (const s of targets) {
          const port = s.spec.ports.find((p: any) => p.name === portName.replace(/\\/g, ''));
          for (const w of all.filter((x) => selects(s.spec.selector, x.labels))) {
            const to: NetEndpoint = w.spec.hostNetwork ? { ip: ip(net.nodeCidrs[0]) } : podOf(w.key);
            expect([job.name, w.key, port.targetPort, can(prom, to, port.targetPort)]).toEqual([job.name, w.key, port.targetPort, true]);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(8);
      expect(can(prom, { ip: ip(net.apiServer.cidrs[0]) }, 443)).toBe(true);
      expect(can(prom, { namespace: 'grekko', labels: { app: 'order-service' } }, 8080)).toBe(true);
    });

    it('let each Prometheus replica scrape the other replicas and itself on 9090, and nothing else reach them there but Grafana', () => {
      const prom = podOf('StatefulSet/prometheus');
      expect(can(prom, prom, stack.prometheus.port)).toBe(true);
      expect(can(podOf('Deployment/grafana'), prom, stack.prometheus.port)).toBe(true);
      expect(can(podOf('StatefulSet/alertmanager'), prom, stack.prometheus.port)).toBe(false);
      expect(can(prom, prom, 9091)).toBe(false);
    });

    it('discover annotated Services and pods only in the namespaces the egress policy lets Prometheus reach on any port', () => {
      const prom = podOf('StatefulSet/prometheus');
      const config = parse((objects as any[]).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config').data['prometheus.yml']);
      const jobs = config.scrape_configs.filter((j: any) => ['kubernetes-service-endpoints', 'kubernetes-pods'].includes(j.job_name));
      expect(jobs.map((j: any) => j.job_name).sort()).toEqual(['kubernetes-pods', 'kubernetes-service-endpoints']);
      // What discovery finds: only the namespaces listed, never the whole cluster (no list means every namespace).
      const discovered = jobs.map((j: any) =>
        j.kubernetes_sd_configs
          .map((c: any) => c.namespaces?.names ?? ['*every namespace*'])
          .flat()
          .sort(),
      );
      // What the egress policy admits, from the policy objects: namespaces reachable by any pod on an arbitrary annotated port.
      const prometheusPolicy = policies.find((p: any) => p.metadata.name === 'prometheus') as any;
      const candidates = new Set<string>(['kube-system', 'default', ns, 'grekko', ...discovered.flat()]);
      for (const rule of prometheusPolicy.spec.egress)
        for (const peer of rule.to ?? []) {
          const name = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
          if (name) candidates.add(name);
        }
      const annotatedPort = 9464;
      const admitted = [...candidates].filter((n) => can(prom, { namespace: n, labels: { app: 'annotated-workload' } }, annotatedPort)).sort();
      for (const names of discovered) expect(names).toEqual(admitted);
      // kube-dns's annotated metrics endpoint is neither discovered nor reachable.
      expect(discovered.flat()).not.toContain('kube-system');
      expect(can(prom, { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, 9153)).toBe(false);
    });

    it('let Grafana reach each of its datasources, and nothing else of the stack', () => {
      const grafana = podOf('Deployment/grafana');
      const ds = parse(
        (objects as any[]).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-provisioning').data['datasources.yaml'],
      ).datasources;
      for (const d of ds) {
        const u = new URL(d.url);
        const svc = (objects as any[]).find((o) => o.kind === 'Service' && o.metadata.name === u.hostname.split('.')[0]);
        for (const w of all.filter((x) => selects(svc.spec.selector, x.labels)))
          expect([d.name, w.key, can(grafana, podOf(w.key), Number(u.port))]).toEqual([d.name, w.key, true]);
      }
      expect(can(grafana, podOf('StatefulSet/elasticsearch'), 9300)).toBe(false);
      expect(can(grafana, podOf('Deployment/kube-state-metrics'), 8080)).toBe(false);
    });

    it('let the logging and tracing writers and readers reach Elasticsearch, and the nodes talk to each other', () => {
      const es = podOf('StatefulSet/elasticsearch');
      // Whoever names Elasticsearch's URL in its pod spec or in a ConfigMap it mounts.
      const configMaps = new Map((objects as any[]).filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, JSON.stringify(o.data)]));
      const mentions = (w: Workload) =>
        [JSON.stringify(w.spec), ...(w.spec.volumes ?? []).filter((v: any) => v.configMap).map((v: any) => configMaps.get(v.configMap.name) ?? '')].some((t) =>
          t.includes(stack.logging.elasticsearch.url),
        );
      const clients = all.filter((w) => mentions(w) && w.key !== 'StatefulSet/elasticsearch');
      // Fluentd, Kibana, Grafana, the exporter, the setup Job; and Jaeger's collector, query and cleaner when it stores spans there.
      expect(clients.length).toBe(env === 'local' ? 5 : 8);
      for (const w of clients) expect([w.key, can(podOf(w.key), es, 9200)]).toEqual([w.key, true]);
      expect(can(podOf('DaemonSet/fluentd'), es, 9200)).toBe(true);
      expect(can(podOf('Deployment/kibana'), es, 9200)).toBe(true);
      expect(can(es, es, 9300)).toBe(PROFILES[env].logging.elasticsearch.nodes > 1);
      expect(can(podOf('StatefulSet/prometheus'), es, 9200)).toBe(false);
    });

    it('take spans (OTLP) and sampling requests from the monitored namespaces only', () => {
      const collector = all.find((w) => w.key === 'Deployment/jaeger-collector' || w.key === 'Deployment/jaeger')!;
      for (const port of [4317, 4318, 5778, 5779]) expect([port, can(trading, podOf(collector.key), port)]).toEqual([port, true]);
      expect(can(stranger, podOf(collector.key), 4317)).toBe(false);
      expect(can(trading, podOf('StatefulSet/prometheus'), 9090)).toBe(false);
    });

    it('let Alertmanager peers gossip over TCP and UDP, Prometheus alert them, and notifications leave only for public addresses', () => {
      const am = podOf('StatefulSet/alertmanager');
      const clustered = PROFILES[env].alertmanager.replicas > 1;
      expect([can(am, am, 9094, 'TCP'), can(am, am, 9094, 'UDP')]).toEqual([clustered, clustered]);
      expect(can(podOf('StatefulSet/prometheus'), am, 9093)).toBe(true);
      const notifies = PROFILES[env].alerting.receivers.some((r) => r.kind !== 'null');
      expect(can(am, { ip: '203.0.113.9' }, 443)).toBe(notifies);
      expect(can(am, { ip: '10.1.2.3' }, 443)).toBe(false);
      expect(can(am, { ip: '203.0.113.9' }, 25)).toBe(false);
    });

    it('let each exporter reach its own dependency, and no other', () => {
      const d = PROFILES[env].dependencies!;
      const pg = podOf('Deployment/postgres-exporter-trading-db');
      const redis = podOf('Deployment/redis-exporter-cache');
      const dbPort = Number(d.postgres![0].host.split(':')[1]);
      const redisPort = Number(d.redis![0].address.split(':')[1]);
      expect(can(pg, { namespace: 'grekko', labels: { app: 'postgres' } }, dbPort)).toBe(true);
      expect(can(pg, { namespace: 'grekko', labels: { app: 'redis' } }, redisPort)).toBe(false);
      expect(can(redis, { namespace: 'grekko', labels: { app: 'redis' } }, redisPort)).toBe(true);
      expect(can(podOf('Deployment/kafka-exporter-events'), { namespace: 'grekko', labels: {} }, Number(d.kafka![0].brokers[0].split(':')[1]))).toBe(true);
      expect(can(podOf('Deployment/blackbox-exporter'), trading, 8080)).toBe(true);
      expect(can(podOf('Deployment/blackbox-exporter'), { ip: '203.0.113.9' }, 80)).toBe(false);
    });

    it('let the API clients (Prometheus, kube-state-metrics, Fluentd) reach the API server, and no one else', () => {
      const api: NetEndpoint = { ip: ip(net.apiServer.cidrs[0]) };
      for (const w of all.filter((x) => !x.spec.hostNetwork)) {
        const calls = ['StatefulSet/prometheus', 'Deployment/kube-state-metrics', 'DaemonSet/fluentd'].includes(w.key);
        expect([w.key, can(podOf(w.key), api, 443)]).toEqual([w.key, calls]);
      }
    });

    it('open the UIs to the configured clients only', () => {
      const clients = net.uiClients ?? [];
      const ingress: NetEndpoint = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
      for (const [key, port] of [
        ['Deployment/grafana', 3000],
        ['StatefulSet/prometheus', 9090],
        ['Deployment/kibana', 5601],
      ] as const) {
        expect([key, can(ingress, podOf(key), port)]).toEqual([key, clients.length > 0]);
      }
    });
  });
});

describe('production survives the loss of any one node', () => {
  const { objects, stack } = synth('production');
  const all = workloads(objects).filter((w) => ['Deployment', 'StatefulSet'].includes(w.obj.kind));
  const pdbs = (objects as any[]).filter((o) => o.kind === 'PodDisruptionBudget');
  const singles = singleReplicaDeclarations(stack);

  it('every replicated workload has a disruption budget that lets one pod go at a time, and never blocks a drain', () => {
    for (const w of all.filter((x) => x.obj.spec.replicas > 1)) {
      const budgets = pdbs.filter((p) => selects(p.spec.selector.matchLabels, w.labels));
      expect([w.key, budgets.length]).toEqual([w.key, 1]);
      const p = budgets[0].spec;
      const allowedDown = p.maxUnavailable !== undefined ? p.maxUnavailable : w.obj.spec.replicas - p.minAvailable;
      expect([w.key, allowedDown]).toEqual([w.key, 1]);
    }
    // A budget over a Job's pods too would stop every eviction (a Job cannot be scaled).
    const everyPod = workloads(objects);
    for (const p of pdbs)
      expect([p.metadata.name, everyPod.filter((w) => selects(p.spec.selector.matchLabels, w.labels)).map((w) => w.obj.kind)]).toEqual([
        p.metadata.name,
        [expect.stringMatching(/^(Deployment|StatefulSet)$/)],
      ]);
  });

  it('every replicated workload is spread over nodes, required: two of its replicas never share a node', () => {
    for (const w of all.filter((x) => x.obj.spec.replicas > 1)) {
      const c = (w.spec.topologySpreadConstraints ?? []).find((x: any) => x.topologyKey === 'kubernetes.io/hostname');
      expect([w.key, c?.whenUnsatisfiable, c?.maxSkew, selects(c?.labelSelector?.matchLabels ?? { none: 'x' }, w.labels)]).toEqual([
        w.key,
        'DoNotSchedule',
        1,
        true,
      ]);
    }
  });

  it('every single-replica workload is declared with its reason and leaves a failed node within 30 s', () => {
    const one = all
      .filter((x) => x.obj.spec.replicas === 1)
      .map((x) => x.key)
      .sort();
    expect(singles.map((s) => s.workload).sort()).toEqual(one);
    for (const w of all.filter((x) => x.obj.spec.replicas === 1)) {
      const t = (w.spec.tolerations ?? []).filter((x: any) => x.effect === 'NoExecute').map((x: any) => [x.key, x.tolerationSeconds]);
      expect([w.key, t]).toEqual([
        w.key,
        [
          ['node.kubernetes.io/not-ready', 30],
          ['node.kubernetes.io/unreachable', 30],
        ],
      ]);
    }
    // The components that carry the stack's purpose are all replicated.
    expect(one.filter((k) => /prometheus|alertmanager|grafana|elasticsearch$|kibana|jaeger/.test(k))).toEqual([]);
  });

  it(`on a cluster of ${NODES} nodes, losing any one node (or draining it) leaves a ready replica of every replicated component, and Elasticsearch a majority`, () => {
    // Placement under maxSkew 1 / DoNotSchedule: round-robin over the nodes, at most one per node.
    for (const w of all.filter((x) => x.obj.spec.replicas > 1)) {
      const r = w.obj.spec.replicas;
      expect([w.key, r <= NODES]).toEqual([w.key, true]);
      const placement = Array.from({ length: r }, (_, i) => i % NODES);
      for (let lost = 0; lost < NODES; lost++) {
        const left = placement.filter((n) => n !== lost).length;
        expect([w.key, lost, left >= 1]).toEqual([w.key, lost, true]);
        if (w.key === 'StatefulSet/elasticsearch') expect(left).toBeGreaterThan(r / 2);
      }
      // A drain evicts through the budget: at most one replica down at a time.
      const pdb = pdbs.find((p) => selects(p.spec.selector.matchLabels, w.labels));
      expect([w.key, r - pdb.spec.maxUnavailable >= 1]).toEqual([w.key, true]);
    }
  });

  it('DaemonSets run on every node, tolerating every taint, and roll one node in ten at a time', () => {
    for (const d of (objects as any[]).filter((o) => o.kind === 'DaemonSet')) {
      expect([d.metadata.name, d.spec.template.spec.tolerations]).toEqual([d.metadata.name, [{ operator: 'Exists' }]]);
      expect(d.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('10%');
    }
  });
});

describe('docs/security.md', () => {
  const doc = fs.readFileSync(SECURITY_DOC, 'utf8');

  it('is current: regenerate it with `npm run docs:security` when a flow, an exception or a replica count changes', () => {
    expect(doc).toBe(renderSecurityDoc());
  });

  it('lists every exception, every single-replica workload and every network policy of every environment; the README points to it', () => {
    for (const env of ENVIRONMENTS) {
      const { objects, stack } = synth(env);
      for (const e of podSecurityExceptions(stack))
        for (const c of e.controls) expect([e.workload, c, doc.includes(e.workload) && doc.includes(c)]).toEqual([e.workload, c, true]);
      for (const s of singleReplicaDeclarations(stack)) expect([s.workload, doc.includes(s.workload)]).toEqual([s.workload, true]);
      for (const p of objects.filter((o) => o.kind === 'NetworkPolicy'))
        expect([p.metadata.name, doc.includes(`\`${p.metadata.name}\``)]).toEqual([p.metadata.name, true]);
    }
    expect(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')).toContain('(docs/security.md)');
  });
});

describe('the checks are not blind', () => {
  it('the pod security check finds each baseline and restricted failure it names', () => {
    const spec = {
      hostNetwork: true,
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
      containers: [{ name: 'c', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
    };
    const controls = new Set(podSecurityViolations(spec).map((v) => v.control));
    for (const c of [
      'Host Namespaces',
      'HostPath Volumes',
      'Privileged Containers',
      'Capabilities',
      'Host Ports',
      'Volume Types',
      'Privilege Escalation',
      'Running as Non-root',
      'Seccomp',
    ])
      expect([c, controls.has(c)]).toEqual([c, true]);
    expect(levelOf(podSecurityViolations(spec))).toBe('privileged');
  });

  it('the 1.28 schema refuses a field added after 1.28 that the current schema accepts', () => {
    const svc: any = JSON.parse(JSON.stringify(synth('local').objects.find((o) => o.kind === 'Service')));
    svc.spec.trafficDistribution = 'PreferClose';
    expect(schemaProblems([svc])).toEqual([]);
    expect(schemaProblems128([svc]).map((p) => p.error)).toEqual(['Service.spec.trafficDistribution is not a field in Kubernetes 1.28']);
  });
});

describe('a wrong network section stops synth with the field and the fix', () => {
  const cases: Array<[string, (p: any) => void, RegExp]> = [
    ['no network section', (p) => delete p.network, /profile "production": network is missing; define monitoredNamespaces, apiServer and nodeCidrs/],
    ['a malformed CIDR', (p) => (p.network.nodeCidrs = ['10.0.16.0/33']), /network\.nodeCidrs\[0\] is "10\.0\.16\.0\/33"; use a CIDR/],
    ['an empty API server list', (p) => (p.network.apiServer.cidrs = []), /network\.apiServer\.cidrs is \[\]; list one or more CIDRs/],
    ['a bad namespace', (p) => (p.network.monitoredNamespaces = ['Grekko']), /network\.monitoredNamespaces\[0\] is "Grekko"; use a namespace name/],
    ['a bad receiver port', (p) => (p.network.receiverEgress.ports = [0]), /network\.receiverEgress\.ports\[0\] is 0; use a port number/],
    [
      'a database outside the cluster with no address',
      (p) => (p.grafana.database.host = 'grafana.db.example.com:5432'),
      /network\.externalHosts is "grafana\.db\.example\.com"; "grafana\.db\.example\.com" is not an in-cluster Service .* give its addresses in network\.externalHosts/,
    ],
  ];
  it.each(cases)('%s', (_name, change, message) => {
    expect(() => synthProfile(alter(PROFILES.production, change))).toThrow(message);
  });

  it('with a node-local DNS cache, every pod may query it on 53 (UDP and TCP); without one, that address stays closed', () => {
    const withCache = synthProfile(alter(PROFILES.production, (p) => (p.network.nodeLocalDns = ['169.254.20.10']))).objects.filter(
      (o) => o.kind === 'NetworkPolicy',
    );
    const without = synth('production').objects.filter((o) => o.kind === 'NetworkPolicy');
    const grafana = workloads(synth('production').objects).find((w) => w.key === 'Deployment/grafana')!;
    for (const protocol of ['UDP', 'TCP'] as const) {
      expect(allowed(withCache, { from: { namespace: 'monitoring', labels: grafana.labels }, to: { ip: '169.254.20.10' }, port: 53, protocol })).toBe(true);
      expect(allowed(without, { from: { namespace: 'monitoring', labels: grafana.labels }, to: { ip: '169.254.20.10' }, port: 53, protocol })).toBe(false);
    }
    expect(allowed(withCache, { from: { namespace: 'monitoring', labels: grafana.labels }, to: { ip: '169.254.20.10' }, port: 80 })).toBe(false);
    expect(() => synthProfile(alter(PROFILES.production, (p) => (p.network.nodeLocalDns = ['169.254.20.10/32'])))).toThrow(
      /network\.nodeLocalDns\[0\] is "169\.254\.20\.10\/32"; use an IP address such as "169\.254\.20\.10", without a prefix length/,
    );
  });

  it("a database inside the monitoring namespace is refused: its default deny would block Grafana's migrations", () => {
    expect(() => synthProfile(alter(PROFILES.production, (p) => (p.grafana.database.host = 'grafana-db.monitoring.svc:5432')))).toThrow(
      /grafana\.database\.host is "grafana-db\.monitoring\.svc:5432"; .*default-deny NetworkPolicies block every connection to pods the stack does not own; run the dependency in a namespace of its own/,
    );
  });

  it("production's Grafana reaches its PostgreSQL database in its own namespace on 5432, and nothing else there", () => {
    const { objects } = synth('production');
    const grafana = workloads(objects).find((w) => w.key === 'Deployment/grafana')!;
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const [host, port] = PROFILES.production.grafana.database.kind === 'postgres' ? PROFILES.production.grafana.database.host.split(':') : [];
    const dbNamespace = host.split('.')[1];
    expect(dbNamespace).not.toBe('monitoring');
    expect(
      allowed(policies, {
        from: { namespace: 'monitoring', labels: grafana.labels },
        to: { namespace: dbNamespace, labels: { app: 'postgres' } },
        port: Number(port),
      }),
    ).toBe(true);
    expect(
      allowed(policies, { from: { namespace: 'monitoring', labels: grafana.labels }, to: { namespace: dbNamespace, labels: { app: 'postgres' } }, port: 5433 }),
    ).toBe(false);
  });

  it('a database outside the cluster with its addresses gets an egress rule to them', () => {
    const { objects } = synthProfile(
      alter(PROFILES.production, (p) => {
        p.grafana.database.host = 'grafana.db.example.com:5432';
        p.network.externalHosts = { 'grafana.db.example.com': ['203.0.113.10/32'] };
      }),
    );
    const grafana = workloads(objects).find((w) => w.key === 'Deployment/grafana')!;
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(allowed(policies, { from: { namespace: 'monitoring', labels: grafana.labels }, to: { ip: '203.0.113.10' }, port: 5432 })).toBe(true);
    expect(allowed(policies, { from: { namespace: 'monitoring', labels: grafana.labels }, to: { ip: '203.0.113.11' }, port: 5432 })).toBe(false);
  });
});
