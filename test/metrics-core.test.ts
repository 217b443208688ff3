import { parse } from 'yaml';
import { IMAGES } from '../lib/core/images';
import { annotatedPodsJob, annotatedServicesJob } from '../lib/components/prometheus/scrape';
import { receiversFor } from '../lib/rules/routes';
import { PROFILES } from '../stacks/environments';
import { ENVIRONMENTS, alter, find, ofKind, podTemplates, synth, synthProfile, totalRequests } from './support/synth';

/** Workloads allowed to run as root, and why (nothing else may). */
const ROOT_ALLOWED: Record<string, string> = { fluentd: 'reads root-owned container log files on the host; runs with no capability' };

const RECOMMENDED = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
];

function promConfig(env: (typeof ENVIRONMENTS)[number]): any {
  return parse(find(synth(env).objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
}

describe('every environment', () => {
  describe.each(ENVIRONMENTS)('%s', (env) => {
    const { objects } = synth(env);

    it('puts every namespaced object in the monitoring namespace and labels every object', () => {
      for (const o of objects as any[]) {
        const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind);
        if (!clusterScoped)
          expect({ kind: o.kind, name: o.metadata.name, ns: o.metadata.namespace }).toEqual({ kind: o.kind, name: o.metadata.name, ns: 'monitoring' });
        // The Namespace and the priority quota belong to the stack, not to one component: no version.
        const stackWide = ['Namespace', 'ResourceQuota'].includes(o.kind);
        if (!stackWide) {
          for (const l of RECOMMENDED) expect([o.kind, o.metadata.name, l, o.metadata.labels?.[l]]).toEqual([o.kind, o.metadata.name, l, expect.any(String)]);
        }
      }
    });

    it('runs only pinned images from the image list, pulled IfNotPresent', () => {
      const pinned = Object.values(IMAGES).map((i) => `${i.registry}/${i.repository}:${i.tag}`);
      for (const { owner, spec } of podTemplates(objects)) {
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          expect([owner.metadata.name, c.image]).toEqual([owner.metadata.name, expect.not.stringMatching(/:latest$|^[^:]+$/)]);
          expect(pinned).toContain(c.image);
          expect(c.imagePullPolicy).toBe('IfNotPresent');
        }
      }
    });

    it('gives every container requests, limits, probes and a non-root, no-escalation security context', () => {
      for (const { owner, spec } of podTemplates(objects)) {
        const root = owner.metadata.name in ROOT_ALLOWED;
        expect([owner.metadata.name, spec.securityContext?.runAsNonRoot]).toEqual([owner.metadata.name, !root]);
        for (const c of spec.containers) {
          const where = `${owner.metadata.name}/${c.name}`;
          expect([where, Object.keys(c.resources?.requests ?? {}).sort()]).toEqual([where, ['cpu', 'memory']]);
          expect([where, Object.keys(c.resources?.limits ?? {}).sort()]).toEqual([where, ['cpu', 'memory']]);
          // Batch pods (the index clean-up job) serve nothing to probe; their run time is bounded instead.
          const batch = owner.kind === 'CronJob' || owner.kind === 'Job';
          expect([where, batch || c.readinessProbe !== undefined, batch || c.livenessProbe !== undefined]).toEqual([where, true, true]);
          expect([where, c.securityContext.allowPrivilegeEscalation, c.securityContext.capabilities.drop]).toEqual([where, false, ['ALL']]);
          expect([where, c.securityContext.runAsNonRoot]).toEqual([where, !root]);
        }
      }
    });

    it('holds no secret value: no Secret objects, credentials only as file paths or Secret references', () => {
      expect(ofKind(objects, 'Secret')).toEqual([]);
      for (const { spec } of podTemplates(objects)) {
        for (const c of spec.containers) {
          for (const e of c.env ?? []) {
            if (/PASSWORD|SECRET|TOKEN|KEY/.test(e.name)) {
              expect([e.name, e.name.endsWith('__FILE') || (e.value === undefined && e.valueFrom?.secretKeyRef !== undefined)]).toEqual([e.name, true]);
            }
          }
        }
      }
      const am = parse(find(objects, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml']);
      const text = JSON.stringify(am);
      expect(text).not.toMatch(/hooks\.slack\.com|"routing_key"|"api_key"|"api_url"|"credentials"/);
    });

    it('scrapes the API server, kubelet, cAdvisor, annotated services and pods, itself and every component', () => {
      const jobs = promConfig(env).scrape_configs.map((j: any) => j.job_name);
      expect(jobs).toEqual(
        expect.arrayContaining([
          'apiserver',
          'kubelet',
          'cadvisor',
          'kubernetes-service-endpoints',
          'kubernetes-pods',
          'prometheus',
          'alertmanager',
          'grafana',
          'node-exporter',
          'kube-state-metrics',
        ]),
      );
    });

    it('lets Prometheus discover targets with read-only RBAC that includes endpointslices', () => {
      const role = find(objects, 'ClusterRole', 'monitoring-prometheus');
      const verbs = new Set(role.rules.flatMap((r: any) => r.verbs));
      expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
      expect(role.rules).toContainEqual({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] });
      for (const r of role.rules) {
        expect(r.resources ?? []).not.toContain('*');
        expect(r.resources ?? []).not.toContain('secrets');
      }
    });

    it('rolls Prometheus, Alertmanager and Grafana pods when their configuration changes', () => {
      for (const [kind, name] of [
        ['StatefulSet', 'prometheus'],
        ['StatefulSet', 'alertmanager'],
        ['Deployment', 'grafana'],
      ]) {
        expect(find(objects, kind, name).spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{16}$/);
      }
    });

    it('loads rule files from the rules ConfigMap', () => {
      expect(promConfig(env).rule_files).toEqual(['/etc/prometheus/rules/*.yaml']);
      const sts = find(objects, 'StatefulSet', 'prometheus');
      expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'rules', configMap: { name: 'prometheus-rules' } });
    });

    it('reads the Grafana admin password from a Secret file and keeps anonymous access off', () => {
      const deploy = find(objects, 'Deployment', 'grafana');
      const c = deploy.spec.template.spec.containers[0];
      expect(c.env).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD__FILE', value: '/etc/grafana/secrets/admin/admin-password' });
      expect(deploy.spec.template.spec.volumes).toContainEqual({ name: 'admin', secret: { secretName: 'grafana-admin', defaultMode: 0o440 } });
      expect(find(objects, 'ConfigMap', 'grafana-config').data['grafana.ini']).toMatch(/\[auth\.anonymous\]\nenabled = false/);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      const writable = c.volumeMounts
        .filter((m: any) => !m.readOnly)
        .map((m: any) => m.mountPath)
        .sort();
      expect(writable).toEqual(['/tmp', '/var/lib/grafana']);
    });

    it('starts Grafana without installing plugins from the internet (preinstall off, no auto-update)', () => {
      const ini = find(objects, 'ConfigMap', 'grafana-config').data['grafana.ini'] as string;
      const plugins = ini.split(/\n(?=\[)/).find((s) => s.startsWith('[plugins]\n')) ?? '';
      expect(plugins).toMatch(/^preinstall_disabled = true$/m);
      expect(plugins).toMatch(/^preinstall_auto_update = false$/m);
      // No environment variable overrides it (GF_PLUGINS_<KEY> wins over grafana.ini).
      const env = find(objects, 'Deployment', 'grafana').spec.template.spec.containers[0].env.map((e: any) => e.name);
      expect(env.filter((n: string) => n.startsWith('GF_PLUGINS_') || n === 'GF_INSTALL_PLUGINS')).toEqual([]);
    });

    it('provisions Prometheus and Alertmanager datasources and a dashboards provider in Grafana', () => {
      const cm = find(objects, 'ConfigMap', 'grafana-provisioning');
      const ds = parse(cm.data['datasources.yaml']).datasources;
      expect(ds.map((d: any) => [d.uid, d.type, d.url])).toEqual([
        // Through Thanos Query where Thanos runs: one deduplicated view of the HA pair and the bucket.
        ['prometheus', 'prometheus', PROFILES[env].thanos ? 'http://thanos-query.monitoring.svc:10902' : 'http://prometheus.monitoring.svc:9090'],
        ['alertmanager', 'alertmanager', 'http://alertmanager.monitoring.svc:9093'],
        ['logs-kubernetes', 'elasticsearch', `${env === 'local' ? 'http' : 'https'}://elasticsearch.monitoring.svc:9200`],
        ['jaeger', 'jaeger', 'http://jaeger-query.monitoring.svc:16686'],
      ]);
      const providers = parse(cm.data['dashboards.yaml']).providers;
      expect(providers[0]).toMatchObject({ type: 'file', options: { foldersFromFilesStructure: true } });
    });

    it('runs node-exporter on every node with read-only host mounts', () => {
      const ds = find(objects, 'DaemonSet', 'node-exporter').spec.template.spec;
      expect(ds.tolerations).toEqual([{ operator: 'Exists' }]);
      for (const m of ds.containers[0].volumeMounts) expect([m.name, m.readOnly]).toEqual([m.name, true]);
      expect(ds.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    });

    it('gives kube-state-metrics list and watch on exactly the resources it exports', () => {
      const role = find(objects, 'ClusterRole', 'monitoring-kube-state-metrics');
      const args: string[] = find(objects, 'Deployment', 'kube-state-metrics').spec.template.spec.containers[0].args;
      const exported = args
        .find((a) => a.startsWith('--resources='))!
        .slice('--resources='.length)
        .split(',')
        .sort();
      const granted = role.rules.flatMap((r: any) => r.resources).sort();
      expect(granted).toEqual(exported);
      for (const r of role.rules) expect(r.verbs).toEqual(['list', 'watch']);
    });

    it('mounts service-account tokens only in Prometheus, kube-state-metrics and Fluentd, which call the API', () => {
      const withToken = podTemplates(objects)
        .filter(({ spec }) => spec.automountServiceAccountToken !== false)
        .map(({ owner }) => owner.metadata.name)
        .sort();
      expect(withToken).toEqual(['fluentd', 'kube-state-metrics', 'prometheus']);
    });
  });
});

describe('annotation-driven discovery', () => {
  it('looks for annotated Services and pods in the monitored namespaces only, never the whole cluster', () => {
    for (const env of ENVIRONMENTS) {
      const jobs = promConfig(env).scrape_configs.filter((j: any) => j.job_name.startsWith('kubernetes-'));
      for (const j of jobs)
        expect([env, j.job_name, j.kubernetes_sd_configs[0].namespaces]).toEqual([env, j.job_name, { names: [...PROFILES[env].network.monitoredNamespaces] }]);
    }
  });

  it('leaves the annotated jobs out when no namespace is monitored, rather than discovering every namespace', () => {
    // With no annotated job no target carries a core service's job, so no interval can be given
    // to one; everything is scraped at 5 s for TradingServiceDown's three scrapes to fit its for.
    const { objects } = synthProfile(
      alter(PROFILES.local, (p) => {
        p.network.monitoredNamespaces = [];
        p.scrapeInterval = '5s';
        p.evaluationInterval = '5s';
        p.prometheus.scrapeIntervals = {};
      }),
    );
    const jobs = parse(find(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).scrape_configs.map((j: any) => j.job_name);
    expect(jobs).not.toContain('kubernetes-service-endpoints');
    expect(jobs).not.toContain('kubernetes-pods');
    expect(() => annotatedServicesJob([])).toThrow(/scrape job "kubernetes-service-endpoints": namespaces is "\[\]"; list the namespaces/);
    expect(() => annotatedPodsJob([])).toThrow(/scrape job "kubernetes-pods"/);
  });
});

describe('local (Phase 1)', () => {
  const { objects } = synth('local');

  it('runs one of everything on emptyDir volumes, with no PVC and no disruption budget', () => {
    expect(find(objects, 'StatefulSet', 'prometheus').spec.replicas).toBe(1);
    expect(find(objects, 'StatefulSet', 'alertmanager').spec.replicas).toBe(1);
    expect(find(objects, 'Deployment', 'grafana').spec.replicas).toBe(1);
    expect(find(objects, 'StatefulSet', 'prometheus').spec.volumeClaimTemplates).toBeUndefined();
    expect(ofKind(objects, 'PersistentVolumeClaim', 'PodDisruptionBudget')).toEqual([]);
  });

  it('keeps two days of metrics', () => {
    expect(find(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args).toContain('--storage.tsdb.retention.time=2d');
  });

  it('fits a laptop: at most 2 CPUs and 4 GiB requested in all', () => {
    const { cpu, memoryGi } = totalRequests(objects);
    expect(cpu).toBeLessThanOrEqual(2);
    expect(memoryGi).toBeLessThanOrEqual(4);
  });

  it('turns Alertmanager clustering off', () => {
    expect(find(objects, 'StatefulSet', 'alertmanager').spec.template.spec.containers[0].args).toContain('--cluster.listen-address=');
  });
});

describe('staging (Phase 2)', () => {
  const { objects } = synth('staging');

  it('keeps Prometheus data for 7 days on a persistent volume', () => {
    const sts = find(objects, 'StatefulSet', 'prometheus');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    expect(sts.spec.template.spec.containers[0].args).toContain('--storage.tsdb.retention.time=7d');
  });

  it('keeps Grafana state on a PVC and replaces rather than surges its pod', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'grafana-data').spec.resources.requests.storage).toBe('5Gi');
    expect(find(objects, 'Deployment', 'grafana').spec.strategy).toEqual({ type: 'Recreate' });
  });
});

describe('production (Phase 3)', () => {
  const { objects } = synth('production');
  const config = promConfig('production');

  it('runs Prometheus as an HA pair with a PVC per replica, retention by time and size, and a PDB', () => {
    const sts = find(objects, 'StatefulSet', 'prometheus');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('200Gi');
    const args = sts.spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=30d', '--storage.tsdb.retention.size=180GB']));
    expect(find(objects, 'PodDisruptionBudget', 'prometheus').spec.maxUnavailable).toBe(1);
  });

  it('labels each replica by pod name and drops that label from alerts so the pair deduplicates', () => {
    expect(config.global.external_labels.replica).toBe('${POD_NAME}');
    expect(config.alerting.alert_relabel_configs).toEqual([{ action: 'labeldrop', regex: 'replica' }]);
    const env = find(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  });

  it('sends alerts to every Alertmanager peer, not to a load-balanced Service', () => {
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      'alertmanager-0.alertmanager-headless.monitoring.svc:9093',
      'alertmanager-1.alertmanager-headless.monitoring.svc:9093',
      'alertmanager-2.alertmanager-headless.monitoring.svc:9093',
    ]);
  });

  it('meshes three Alertmanager peers over 9094 TCP and UDP, with a PDB', () => {
    const sts = find(objects, 'StatefulSet', 'alertmanager');
    expect(sts.spec.replicas).toBe(3);
    const c = sts.spec.template.spec.containers[0];
    expect(c.args.filter((a: string) => a.startsWith('--cluster.peer='))).toEqual([
      '--cluster.peer=alertmanager-0.alertmanager-headless.monitoring.svc:9094',
      '--cluster.peer=alertmanager-1.alertmanager-headless.monitoring.svc:9094',
      '--cluster.peer=alertmanager-2.alertmanager-headless.monitoring.svc:9094',
    ]);
    expect(c.ports).toEqual(
      expect.arrayContaining([
        { name: 'mesh-tcp', containerPort: 9094, protocol: 'TCP' },
        { name: 'mesh-udp', containerPort: 9094, protocol: 'UDP' },
      ]),
    );
    const headless = find(objects, 'Service', 'alertmanager-headless');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`)).toEqual(expect.arrayContaining(['9094/TCP', '9094/UDP']));
    expect(find(objects, 'PodDisruptionBudget', 'alertmanager').spec.maxUnavailable).toBe(1);
  });

  it('runs two Grafana replicas on the external PostgreSQL database, password from a Secret', () => {
    const d = find(objects, 'Deployment', 'grafana');
    expect(d.spec.replicas).toBe(2);
    const env = d.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'GF_DATABASE_TYPE', value: 'postgres' });
    expect(env).toContainEqual({ name: 'GF_DATABASE_PASSWORD__FILE', value: '/etc/grafana/secrets/database/password' });
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'database', secret: { secretName: 'grafana-database', defaultMode: 0o440 } });
  });

  it('spreads every replicated workload over distinct nodes, refusing to share one', () => {
    for (const { owner, spec, replicas } of podTemplates(objects)) {
      if ((replicas ?? 1) < 2) continue;
      const host = spec.topologySpreadConstraints.find((t: any) => t.topologyKey === 'kubernetes.io/hostname');
      expect([owner.metadata.name, host.whenUnsatisfiable]).toEqual([owner.metadata.name, 'DoNotSchedule']);
      expect(find(objects, 'PodDisruptionBudget', owner.metadata.name).spec.maxUnavailable).toBe(1);
    }
  });

  it("pages on-call for critical alerts, sends warnings to the team's chat, infos to a quiet channel, and the Watchdog to a heartbeat", () => {
    const am = parse(find(objects, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml']);
    const to = (labels: Record<string, string>) => receiversFor(am, { alertname: 'AnyAlert', ...labels });
    expect(to({ team: 'trading', severity: 'critical' })).toEqual(['oncall-pager', 'trading-alerts-chat']);
    expect(to({ team: 'trading', severity: 'warning' })).toEqual(['trading-alerts-chat']);
    expect(to({ team: 'risk', severity: 'warning' })).toEqual(['risk-chat']);
    expect(to({ team: 'devops', severity: 'warning' })).toEqual(['devops-chat']);
    expect(to({ team: 'trading', severity: 'info' })).toEqual(['trading-info-chat']);
    expect(to({ alertname: 'Watchdog', team: 'devops', severity: 'none' })).toEqual(['deadmans-switch']);
    const pager = am.receivers.find((r: any) => r.name === 'oncall-pager');
    expect(pager.opsgenie_configs[0].api_key_file).toBe('/etc/alertmanager/secrets/opsgenie-api-key');
  });
});

describe('the Secrets each environment expects', () => {
  const names = (env: (typeof ENVIRONMENTS)[number]) => synth(env).stack.expectedSecrets.map((s) => `${s.name}: ${s.keys.join(',')}`);

  /**
   * The logging pipeline's Secrets (see test/logging.test.ts); the CA Secret only where HTTP uses
   * TLS. Staging and production also store spans in Elasticsearch, with one user per Jaeger role.
   */
  const logging = (httpTls: boolean) => [
    ...(httpTls ? ['elasticsearch-ca: ca.crt'] : []),
    'elasticsearch-certs: ca.crt,tls.crt,tls.key',
    'elasticsearch-elastic: password',
    'elasticsearch-kibana-system: password',
    'elasticsearch-user-elasticsearch-exporter: password,username',
    'elasticsearch-user-fluentd: password,username',
    'elasticsearch-user-grafana: password,username',
    ...(httpTls
      ? [
          'elasticsearch-user-jaeger-collector: password,username',
          'elasticsearch-user-jaeger-index-cleaner: password,username',
          'elasticsearch-user-jaeger-query: password,username',
        ]
      : []),
    'elasticsearch-user-kibana-setup: password,username',
  ];

  it("local needs the Grafana admin Secret, the logging pipeline's and the PostgreSQL monitoring password", () => {
    expect(names('local')).toEqual([
      ...logging(false),
      'grafana-admin: admin-password,admin-user,secret-key',
      'kibana-encryption-keys: encryption-key,reporting-key,saved-objects-key',
      'postgres-exporter: password',
    ]);
  });

  it("staging adds the staging channel webhook, the Redis password and the bucket's credentials", () => {
    expect(names('staging')).toEqual([
      'alertmanager-receivers: slack-staging-webhook-url',
      ...logging(true),
      'grafana-admin: admin-password,admin-user,secret-key',
      'kibana-encryption-keys: encryption-key,reporting-key,saved-objects-key',
      'postgres-exporter: password',
      'redis-exporter: password',
      'thanos-objstore: access-key,secret-key',
    ]);
  });

  it("production adds the pager, chat webhooks, the Grafana database password, the Kafka credentials, the databases' CAs and the bucket's credentials", () => {
    expect(names('production')).toEqual([
      'alertmanager-receivers: opsgenie-api-key,slack-alerts-webhook-url,slack-devops-webhook-url,slack-info-webhook-url,slack-risk-webhook-url',
      'cache-ca: ca.crt',
      ...logging(true),
      'grafana-admin: admin-password,admin-user,secret-key',
      'grafana-database: password',
      'kafka-exporter: password',
      'kafka-exporter-ca: ca.crt',
      'kibana-encryption-keys: encryption-key,reporting-key,saved-objects-key',
      'postgres-exporter: password',
      'redis-exporter: password',
      'thanos-objstore: access-key,secret-key',
      'trading-db-ca: ca.crt',
    ]);
  });

  it.each(ENVIRONMENTS)('%s: every Secret a pod mounts is an expected Secret', (env) => {
    const { stack, objects } = synth(env);
    const expected = new Set(stack.expectedSecrets.map((s) => s.name));
    for (const { spec } of podTemplates(objects)) {
      for (const v of spec.volumes ?? []) {
        if (v.secret) expect(expected).toContain(v.secret.secretName);
        for (const src of v.projected?.sources ?? []) if (src.secret) expect(expected).toContain(src.secret.name);
      }
      for (const c of spec.containers) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) expect(expected).toContain(e.valueFrom.secretKeyRef.name);
    }
  });
});
