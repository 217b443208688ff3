/**
 * Thanos in staging and production: the sidecar in every Prometheus pod, Query deduplicating the
 * HA pair over the sidecars and the store gateway, the compactor applying the profile's
 * retention, credentials only through the Secret, Grafana reading through Query, and every flow
 * admitted by a NetworkPolicy. Local runs none of it.
 */
import { parse } from 'yaml';
import { KubeObject } from '../lib/synth';
import { credentialKeys, objstoreAccess, objstoreConfig, objstoreYaml } from '../lib/components/thanos/objstore';
import { ObjectStorage, bucketNameProblem, endpointHost } from '../lib/components/thanos/profile';
import { PROFILES, THANOS_CONTENT, contentFor } from '../stacks/environments';
import { NetEndpoint, allowed } from './support/netpol';
import { alter, find, ofKind, synth, synthProfile } from './support/synth';
import { validateProfile } from '../lib/profile';
import { UIDS as DASHBOARD_UIDS } from '../dashboards/common';

const THANOS_WORKLOADS = ['Deployment/thanos-query', 'StatefulSet/thanos-store', 'StatefulSet/thanos-compact'];

const podSpec = (o: any) => o.spec.template.spec;
const container = (o: any, name: string) => podSpec(o).containers.find((c: any) => c.name === name);
const datasources = (objects: readonly KubeObject[]) => parse(find(objects, 'ConfigMap', 'grafana-provisioning').data['datasources.yaml']).datasources;

describe.each(['staging', 'production'] as const)('%s runs Thanos', (env) => {
  const { objects, stack } = synth(env);
  const profile = PROFILES[env];
  const t = profile.thanos!;
  const prometheus = find(objects, 'StatefulSet', 'prometheus');

  it('with a sidecar in every Prometheus pod that reads the TSDB and uploads to the bucket, and Prometheus cutting fixed 2-hour blocks', () => {
    const sidecar = container(prometheus, 'thanos-sidecar');
    expect(sidecar.image).toBe('quay.io/thanos/thanos:v0.42.4');
    expect(sidecar.args).toEqual([
      'sidecar',
      '--tsdb.path=/prometheus',
      '--prometheus.url=http://localhost:9090',
      '--grpc-address=0.0.0.0:10901',
      '--http-address=0.0.0.0:10902',
      '--objstore.config-file=/etc/thanos/objstore/objstore.yml',
    ]);
    expect(sidecar.volumeMounts).toContainEqual({ name: 'data', mountPath: '/prometheus' });
    // The pod's user (Prometheus's) owns the blocks: the sidecar sets no other.
    expect(sidecar.securityContext.runAsUser).toBeUndefined();
    expect(podSpec(prometheus).securityContext.runAsUser).toBe(65534);
    expect(sidecar.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const args = container(prometheus, 'prometheus').args;
    expect(args).toEqual(expect.arrayContaining(['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h']));
    expect(prometheus.spec.replicas).toBe(profile.prometheus.replicas);
  });

  it("puts the sidecar's gRPC and HTTP ports on the headless Service, so that Query finds every replica by its SRV records", () => {
    const headless = find(objects, 'Service', 'prometheus-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.ports).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'grpc', port: 10901 }), expect.objectContaining({ name: 'thanos-http', port: 10902 })]),
    );
  });

  it('has Query deduplicate on the replica label over the sidecars and the store gateway', () => {
    const query = find(objects, 'Deployment', 'thanos-query');
    expect(query.spec.replicas).toBe(t.query.replicas);
    const args = container(query, 'thanos-query').args;
    expect(args[0]).toBe('query');
    expect(args).toContain('--query.replica-label=replica');
    expect(args).toContain('--endpoint.sd-config-file=/etc/thanos/query/endpoints.yaml');
    const endpoints = parse(find(objects, 'ConfigMap', 'thanos-query-endpoints').data['endpoints.yaml']);
    expect(endpoints).toEqual({
      endpoints: [{ address: 'dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc' }, { address: 'dnssrv+_grpc._tcp.thanos-store.monitoring.svc' }],
    });
    // The store gateway's Service is headless too: one SRV record per replica.
    expect(find(objects, 'Service', 'thanos-store').spec.clusterIP).toBe('None');
    // With two Prometheus replicas the label Query drops is the one that tells them apart.
    if (profile.prometheus.replicas > 1) expect(stack.prometheus.renderConfig().global).toMatchObject({ external_labels: { replica: '${POD_NAME}' } });
  });

  it('runs one compactor, which applies the profile retention to each resolution and keeps running', () => {
    const compact = find(objects, 'StatefulSet', 'thanos-compact');
    expect(compact.spec.replicas).toBe(1);
    const args = container(compact, 'thanos-compact').args;
    expect(args[0]).toBe('compact');
    expect(args).toContain('--wait');
    expect(args).toEqual(
      expect.arrayContaining([
        `--retention.resolution-raw=${t.compactor.retention.raw}`,
        `--retention.resolution-5m=${t.compactor.retention.fiveMinutes}`,
        `--retention.resolution-1h=${t.compactor.retention.oneHour}`,
      ]),
    );
  });

  it('gives the store gateway and the compactor the volumes of the profile', () => {
    for (const [name, storage] of [
      ['thanos-store', t.store.storage],
      ['thanos-compact', t.compactor.storage],
    ] as const) {
      const s = find(objects, 'StatefulSet', name);
      if (storage.kind === 'pvc') expect(s.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(`${storage.sizeGi}Gi`);
    }
  });

  it('keeps every credential in the Secret: objstore.yml holds placeholders, each set from a secretKeyRef in every container that reads it', () => {
    const text: string = find(objects, 'ConfigMap', 'thanos-objstore-config').data['objstore.yml'];
    const doc = parse(text);
    expect(doc.type).toBe('S3');
    expect(doc.config).toMatchObject({ bucket: t.objectStorage.bucket, access_key: '$(THANOS_S3_ACCESS_KEY)', secret_key: '$(THANOS_S3_SECRET_KEY)' });
    const placeholders = [...text.matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((m) => m[1]).sort();
    const readers = [
      container(prometheus, 'thanos-sidecar'),
      container(find(objects, 'StatefulSet', 'thanos-store'), 'thanos-store'),
      container(find(objects, 'StatefulSet', 'thanos-compact'), 'thanos-compact'),
    ];
    for (const c of readers) {
      // Thanos refuses to start on an unset placeholder: every one must be set in every reader.
      expect(c.env.map((e: any) => e.name).sort()).toEqual(placeholders);
      for (const e of c.env) expect(e).toEqual({ name: e.name, valueFrom: { secretKeyRef: { name: 'thanos-objstore', key: expect.any(String) } } });
    }
    const thanosObjects = (objects as any[]).filter((o) => JSON.stringify(o.metadata.labels ?? {}).includes('thanos'));
    expect(JSON.stringify(thanosObjects)).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
    expect(stack.expectedSecrets.find((s) => s.name === 'thanos-objstore')?.keys).toEqual(['access-key', 'secret-key']);
  });

  it("routes Grafana's default datasource, uid prometheus, through Query; alerting stays on Prometheus", () => {
    const ds = datasources(objects).find((d: any) => d.uid === 'prometheus');
    expect(ds).toMatchObject({ isDefault: true, type: 'prometheus', url: 'http://thanos-query.monitoring.svc:10902' });
    expect(ds.jsonData).toMatchObject({ prometheusType: 'Thanos', timeInterval: profile.scrapeInterval });
    const config = stack.prometheus.renderConfig() as any;
    expect(config.alerting.alertmanagers).toBeDefined();
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yaml']);
  });

  it('scrapes the sidecars, Query, the store gateway and the compactor under the agreed job names', () => {
    const jobs = stack.prometheus.jobs.map((j) => j.name);
    expect(jobs).toEqual(expect.arrayContaining(['thanos-sidecar', 'thanos-query', 'thanos-store', 'thanos-compact']));
  });

  describe('and a NetworkPolicy admits each Thanos flow, and only those', () => {
    const policies = (objects as any[]).filter((o) => o.kind === 'NetworkPolicy');
    const podOf = (key: string): NetEndpoint => {
      const [kind, name] = key.split('/');
      return { namespace: 'monitoring', labels: find(objects, kind, name).spec.template.metadata.labels };
    };
    const can = (from: NetEndpoint, to: NetEndpoint, port: number) => allowed(policies, { from, to, port, protocol: 'TCP' });
    const prom = podOf('StatefulSet/prometheus');
    const query = podOf('Deployment/thanos-query');
    const store = podOf('StatefulSet/thanos-store');
    const compact = podOf('StatefulSet/thanos-compact');
    const grafana = podOf('Deployment/grafana');
    const s3 = { ip: '52.219.170.1' };

    it('Query reaches the sidecars and the store gateway on gRPC', () => {
      expect(can(query, prom, 10901)).toBe(true);
      expect(can(query, store, 10901)).toBe(true);
      expect(can(grafana, prom, 10901)).toBe(false);
    });

    it('Grafana and the ingress reach Query over HTTP', () => {
      expect(can(grafana, query, 10902)).toBe(true);
      const ingress = profile.network.uiClients![0] as { namespace: string; podLabels: Record<string, string> };
      expect(can({ namespace: ingress.namespace, labels: ingress.podLabels }, query, 10902)).toBe(true);
      expect(can({ namespace: 'default', labels: { app: 'curl' } }, query, 10902)).toBe(false);
    });

    it('Prometheus scrapes all four HTTP ports', () => {
      for (const target of [prom, query, store, compact]) expect(can(prom, target, 10902)).toBe(true);
    });

    it('the sidecar, the store gateway and the compactor reach the object store on its ports; Query and private ranges stay closed', () => {
      for (const client of [prom, store, compact]) {
        expect(can(client, s3, 443)).toBe(true);
        expect(can(client, s3, 80)).toBe(false);
        expect(can(client, { ip: '10.1.2.3' }, 443)).toBe(false);
      }
      expect(can(query, s3, 443)).toBe(false);
    });

    it('every Thanos workload has a policy of its own', () => {
      for (const key of THANOS_WORKLOADS) {
        const labels = (podOf(key) as { labels: Record<string, string> }).labels;
        const own = policies.filter(
          (p) =>
            Object.entries(p.spec.podSelector.matchLabels ?? {}).length && Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v),
        );
        expect([key, own.length]).toEqual([key, 1]);
      }
    });
  });
});

describe('production', () => {
  const { objects } = synth('production');

  it('runs two Query replicas and two store gateways, spread over nodes, each under a disruption budget', () => {
    for (const [kind, name] of [
      ['Deployment', 'thanos-query'],
      ['StatefulSet', 'thanos-store'],
    ]) {
      const w = find(objects, kind, name);
      expect(w.spec.replicas).toBe(2);
      expect(find(objects, 'PodDisruptionBudget', name).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: w.spec.selector.matchLabels } });
      expect(podSpec(w).topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' });
    }
  });

  it('keeps raw data 30 days, 5-minute data a year and 1-hour data three years', () => {
    expect(PROFILES.production.thanos!.compactor.retention).toEqual({ raw: '30d', fiveMinutes: '365d', oneHour: '1095d' });
  });
});

describe('local stays Prometheus alone', () => {
  const { objects, stack } = synth('local');

  it('has no Thanos object, no sidecar, no block-duration flags', () => {
    expect((objects as any[]).filter((o) => o.metadata.name.startsWith('thanos'))).toEqual([]);
    const prometheus = find(objects, 'StatefulSet', 'prometheus');
    expect(podSpec(prometheus).containers.map((c: any) => c.name)).toEqual(['prometheus']);
    expect(container(prometheus, 'prometheus').args.some((a: string) => a.includes('block-duration'))).toBe(false);
    expect(stack.thanos).toBeUndefined();
  });

  it("Grafana's default datasource reads Prometheus itself", () => {
    const ds = datasources(objects).find((d: any) => d.uid === 'prometheus');
    expect(ds.url).toBe('http://prometheus.monitoring.svc:9090');
    expect(ds.jsonData.prometheusType).toBeUndefined();
  });
});

describe('objstore.yml', () => {
  const egress = { cidrs: ['0.0.0.0/0'], ports: [443] };
  const s3: ObjectStorage = { provider: 's3', bucket: 'metrics', region: 'eu-central-1', egress };

  it('reaches AWS S3 in the region when no endpoint is given', () => {
    expect(objstoreConfig(s3).config).toMatchObject({ endpoint: 's3.eu-central-1.amazonaws.com', region: 'eu-central-1' });
  });

  it('takes an S3-compatible endpoint as a URL: the host and port for the client, plain HTTP only when the URL says so', () => {
    expect(objstoreConfig({ ...s3, endpoint: 'http://minio.storage.svc:9000' }).config).toMatchObject({ endpoint: 'minio.storage.svc:9000', insecure: true });
    expect(objstoreConfig({ ...s3, endpoint: 'https://minio.example.com' }).config).not.toHaveProperty('insecure');
    expect(objstoreConfig({ ...s3, endpoint: 'https://minio.example.com' }).config).toMatchObject({ endpoint: 'minio.example.com' });
  });

  it('reads the Azure account key from the Secret and names the container and account in the file', () => {
    const az: ObjectStorage = { provider: 'azure', bucket: 'metrics', storageAccount: 'grekkometrics', egress };
    expect(objstoreConfig(az)).toEqual({
      type: 'AZURE',
      config: { storage_account: 'grekkometrics', storage_account_key: '$(THANOS_AZURE_STORAGE_ACCOUNT_KEY)', container: 'metrics' },
    });
    expect(objstoreAccess(az).env).toEqual([
      { name: 'THANOS_AZURE_STORAGE_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'thanos-objstore', key: 'storage-account-key' } } },
    ]);
  });

  it("leaves GCS's service_account empty and mounts the key file that Google's default credentials read", () => {
    const gcs: ObjectStorage = { provider: 'gcs', bucket: 'grekko-metrics', secretName: 'gcs-key', egress };
    expect(objstoreConfig(gcs)).toEqual({ type: 'GCS', config: { bucket: 'grekko-metrics' } });
    const a = objstoreAccess(gcs);
    expect(a.env).toEqual([{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/thanos/gcs/service-account.json' }]);
    expect(a.volumes).toContainEqual({
      name: 'gcs-credentials',
      secret: { secretName: 'gcs-key', defaultMode: 0o440, items: [{ key: 'service-account-json', path: 'service-account.json' }] },
    });
    expect(a.mounts).toContainEqual({ name: 'gcs-credentials', mountPath: '/etc/thanos/gcs', readOnly: true });
  });

  it('reads a credential back as the same string whatever YAML characters it holds, once Thanos puts it in place of its placeholder', () => {
    const secret = '*Kx9#/+a: b==';
    // Thanos substitutes $(VAR) in the file's text before parsing it.
    const text = objstoreYaml(s3)
      .replace(/\$\(THANOS_S3_SECRET_KEY\)/, secret)
      .replace(/\$\(THANOS_S3_ACCESS_KEY\)/, 'AKIDEXAMPLE');
    expect(parse(text).config).toMatchObject({ access_key: 'AKIDEXAMPLE', secret_key: secret });
  });

  it('declares the credential keys each provider reads', () => {
    expect(credentialKeys('s3').map((k) => k.key)).toEqual(['access-key', 'secret-key']);
    expect(credentialKeys('azure').map((k) => k.key)).toEqual(['storage-account-key']);
    expect(credentialKeys('gcs').map((k) => k.key)).toEqual(['service-account-json']);
  });
});

describe('bucket names', () => {
  it.each([
    ['s3', 'grekko-production-metrics'],
    ['s3', 'metrics.grekko.io'],
    ['gcs', 'grekko_metrics'],
    ['gcs', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}`],
    ['azure', 'metrics-2026'],
  ] as const)('%s accepts %s', (provider, name) => {
    expect(bucketNameProblem(provider, name)).toBeUndefined();
  });

  it.each([
    ['s3', 'ab', /3 to 63/],
    ['s3', 'Grekko-Metrics', /lowercase/],
    ['s3', 'grekko..metrics', /two dots/],
    ['s3', '192.168.5.4', /not an IP address/],
    ['s3', 'grekko_metrics', /lowercase letters, digits, "\." and "-"/],
    ['gcs', 'goog-metrics', /"goog"/],
    ['gcs', `${'a'.repeat(64)}.b`, /each dot-separated part/],
    ['gcs', 'a'.repeat(64), /3 to 63/],
    ['azure', 'metrics--grekko', /two dashes/],
    ['azure', 'metrics-', /end with "-"/],
    ['azure', 'metrics.grekko', /lowercase letters, digits and "-"/],
  ] as const)('%s refuses %s', (provider, name, why) => {
    expect(bucketNameProblem(provider, name)).toMatch(why);
  });
});

describe('endpoints', () => {
  it('are host names with an optional port, or http(s) URLs without a path', () => {
    expect(endpointHost('s3.eu-central-1.amazonaws.com')).toEqual({ host: 's3.eu-central-1.amazonaws.com' });
    expect(endpointHost('https://minio.example.com:9000')).toEqual({ host: 'minio.example.com', port: '9000', scheme: 'https' });
    expect(endpointHost('https://minio.example.com/bucket')).toBeUndefined();
    expect(endpointHost('not a host')).toBeUndefined();
  });
});

describe('the Thanos alerts and dashboard', () => {
  const ruleFiles = [
    { fileName: 'availability.yaml', content: {} },
    { fileName: 'thanos-stand-in.yaml', content: {} },
  ];
  const dashboards = [
    { uid: 'overview', folder: 'Grekko', model: {} },
    { uid: 'thanos-stand-in', folder: 'Monitoring', model: {} },
  ];
  const names = { ruleFile: 'thanos-stand-in.yaml', dashboardUid: 'thanos-stand-in' };

  it('are left out where the profile runs no Thanos, by file name and uid', () => {
    const c = contentFor(PROFILES.local, { ruleFiles, dashboards }, names);
    expect(c.ruleFiles.map((f) => f.fileName)).toEqual(['availability.yaml']);
    expect(c.dashboards.map((d) => d.uid)).toEqual(['overview']);
  });

  it('are loaded where it runs Thanos', () => {
    const c = contentFor(PROFILES.production, { ruleFiles, dashboards }, names);
    expect(c.ruleFiles).toHaveLength(2);
    expect(c.dashboards).toHaveLength(2);
  });

  it('are the real ones: local loads no Thanos alert and no Thanos dashboard, production loads both', () => {
    const loaded = (env: 'local' | 'production'): { rules: string[]; dashboards: string[] } => {
      const maps = ofKind(synth(env).objects, 'ConfigMap') as Array<{ metadata: { name: string }; data?: Record<string, string> }>;
      return {
        rules: maps.filter((m) => m.metadata.name.startsWith('prometheus-rules')).flatMap((m) => Object.keys(m.data ?? {})),
        dashboards: maps.map((m) => m.metadata.name).filter((n) => n.startsWith('grafana-dashboard-')),
      };
    };
    expect(THANOS_CONTENT).toEqual({ ruleFile: 'thanos.yaml', dashboardUid: DASHBOARD_UIDS.thanos });
    expect(loaded('production').rules).toContain(THANOS_CONTENT.ruleFile);
    expect(loaded('production').dashboards).toContain('grafana-dashboard-thanos');
    expect(loaded('local').rules).not.toContain(THANOS_CONTENT.ruleFile);
    expect(loaded('local').dashboards).not.toContain('grafana-dashboard-thanos');
  });
});

describe('remote stores: one Grafana over several clusters', () => {
  const remote = {
    name: 'staging',
    address: 'thanos-grpc.staging.grekko.io:443',
    cidrs: ['203.0.113.0/28'],
    tls: { caSecretName: 'staging-thanos-ca', clientCertSecretName: 'staging-thanos-client' },
  };
  const withRemote = alter(PROFILES.production, (p) => (p.thanos.remoteStores = [remote]));
  const { objects, stack } = synthProfile(withRemote);
  const query = find(objects, 'Deployment', 'thanos-query');

  it('Query reads the remote StoreAPI over TLS, with the CA and client certificate mounted where the endpoint list names them', () => {
    const endpoints = parse(find(objects, 'ConfigMap', 'thanos-query-endpoints').data['endpoints.yaml']).endpoints;
    const entry = endpoints.find((e: any) => e.address === remote.address);
    expect(entry.client_config.tls_config).toEqual({
      enabled: true,
      ca_file: '/etc/thanos/remote/staging/ca/ca.crt',
      cert_file: '/etc/thanos/remote/staging/client/tls.crt',
      key_file: '/etc/thanos/remote/staging/client/tls.key',
    });
    const mounts = container(query, 'thanos-query').volumeMounts.map((m: any) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/etc/thanos/remote/staging/ca', '/etc/thanos/remote/staging/client']));
    // The local endpoints keep the plain in-cluster connection.
    expect(endpoints.filter((e: any) => e.client_config === undefined)).toHaveLength(2);
  });

  it('lists the CA and client certificate Secrets for the operator, and no value in any manifest', () => {
    const secrets = new Map(stack.expectedSecrets.map((s) => [s.name, s.keys]));
    expect(secrets.get('staging-thanos-ca')).toEqual(['ca.crt']);
    expect(secrets.get('staging-thanos-client')).toEqual(['tls.crt', 'tls.key']);
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });

  it('opens Query, and only Query, to the remote addresses on the remote port', () => {
    const policies = (objects as any[]).filter((o) => o.kind === 'NetworkPolicy');
    const pod = (kind: string, name: string): NetEndpoint => ({ namespace: 'monitoring', labels: find(objects, kind, name).spec.template.metadata.labels });
    const can = (from: NetEndpoint, ip: string, port: number) => allowed(policies, { from, to: { ip }, port, protocol: 'TCP' });
    expect(can(pod('Deployment', 'thanos-query'), '203.0.113.5', 443)).toBe(true);
    expect(can(pod('Deployment', 'thanos-query'), '203.0.113.200', 443)).toBe(false);
    expect(can(pod('Deployment', 'grafana'), '203.0.113.5', 443)).toBe(false);
  });

  it.each([
    [
      'an address without a port',
      { address: 'thanos-grpc.staging.grekko.io' },
      /thanos\.remoteStores\[0\]\.address is "thanos-grpc\.staging\.grekko\.io"; use host:port/,
    ],
    [
      'an address with a scheme',
      { address: 'https://thanos-grpc.staging.grekko.io:443' },
      /thanos\.remoteStores\[0\]\.address is "https:.*"; use host:port .* \(no scheme\)/,
    ],
    ['no CA', { tls: {} }, /thanos\.remoteStores\[0\]\.tls\.caSecretName is missing; name the Secret with the CA .* TLS only/],
    ['an address range that is not a CIDR', { cidrs: ['203.0.113.0'] }, /thanos\.remoteStores\[0\]\.cidrs\[0\] is "203\.0\.113\.0"; use a CIDR/],
    ['a misspelt key', { adress: 'x:1' }, /thanos\.remoteStores\[0\]\.adress is "x:1"; did you mean "address"\?/],
  ])('refuses %s', (_, change, message) => {
    expect(() => validateProfile(alter(PROFILES.production, (p) => (p.thanos.remoteStores = [{ ...remote, ...change }])))).toThrow(message);
  });

  it('refuses two remote stores of one name', () => {
    expect(() =>
      validateProfile(alter(PROFILES.production, (p) => (p.thanos.remoteStores = [remote, { ...remote, address: 'other.example.com:443' }]))),
    ).toThrow(/thanos\.remoteStores\[1\]\.name is "staging"; give every remote store a distinct name/);
  });
});
