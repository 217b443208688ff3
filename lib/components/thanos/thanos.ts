/**
 * Thanos beside the Prometheus pods: long-term metrics in object storage and one deduplicated
 * query view over the HA pair. The sidecar in each Prometheus pod (sidecar.ts) uploads blocks and
 * serves recent data; Query (query.ts) merges the sidecars and the store gateway (store.ts), and
 * Grafana's default datasource reads it; the compactor (compactor.ts) compacts, downsamples and
 * applies retention in the bucket. objstore.yml (objstore.ts) is rendered once into a ConfigMap,
 * without credentials; the Secret it reads them from is declared here and created by the Pulumi
 * program from secret config.
 *
 * The stack builds the sidecar description first (`Thanos.sidecar`), hands it to Prometheus,
 * then creates this construct with the Prometheus it serves.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { StackContext, metadata } from '../../core/k8s';
import { expectSecret } from '../../core/secrets';
import { GrafanaDatasource } from '../grafana/datasource';
import { Flow, FlowContext } from '../network-policies/flows';
import type { MetricsReadPath, PrometheusPod, PrometheusSidecar } from '../prometheus/sidecar';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { ThanosCompactor } from './compactor';
import { thanosFlows } from './flows';
import { OBJSTORE_CONFIGMAP, THANOS_SHARED, thanosQueryUrl } from './layout';
import { credentialKeys, credentialsSecret, objstoreAccess, objstoreYaml } from './objstore';
import { THANOS_SERVICE_ACCOUNT } from './pod';
import { ThanosProfile } from './profile';
import { ThanosQuery } from './query';
import { remoteAccess } from './remote';
import { SIDECAR_PORT_NAMES, thanosSidecar } from './sidecar';
import { ThanosStore } from './store';

/** The Prometheus Thanos serves: its headless Service names the sidecars; its datasource is routed through Query. */
export interface IThanosPrometheus {
  readonly headlessServiceName: string;
  grafanaDatasource(via?: MetricsReadPath): GrafanaDatasource;
}

export interface ThanosProps {
  readonly ctx: StackContext;
  readonly profile: ThanosProfile;
  readonly prometheus: IThanosPrometheus;
}

export class Thanos extends Construct {
  /** The sidecar every Prometheus pod runs with this profile. */
  public static sidecar(ctx: StackContext, profile: ThanosProfile): (pod: PrometheusPod) => PrometheusSidecar {
    return thanosSidecar({ ctx, profile: profile.sidecar, objectStorage: profile.objectStorage, objstoreYaml: objstoreYaml(profile.objectStorage) });
  }

  /** In-cluster URL of Query's HTTP API and UI. */
  public readonly queryUrl: string;
  public readonly query: ThanosQuery;
  public readonly store: ThanosStore;
  public readonly compactor: ThanosCompactor;

  private readonly props: ThanosProps;

  constructor(scope: Construct, id: string, props: ThanosProps) {
    super(scope, id);
    this.props = props;
    const { ctx, profile } = props;
    const o = profile.objectStorage;
    const ident = THANOS_SHARED;
    this.queryUrl = thanosQueryUrl(ctx);

    const objstore = objstoreYaml(o);
    new k8s.KubeConfigMap(this, 'objstore', { metadata: metadata(ctx, ident, OBJSTORE_CONFIGMAP), data: { 'objstore.yml': objstore } });
    const keys = credentialKeys(o.provider);
    expectSecret(this, {
      name: credentialsSecret(o),
      keys: keys.map((k) => k.key),
      usedBy: 'thanos',
      description: `credentials of the ${o.provider.toUpperCase()} bucket "${o.bucket}" that the Thanos sidecar, store gateway and compactor use: ${keys.map((k) => `${k.key} is ${k.description}`).join('; ')}`,
    });
    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, THANOS_SERVICE_ACCOUNT), automountServiceAccountToken: false });

    const access = objstoreAccess(o);
    this.store = new ThanosStore(this, 'store', { ctx, profile: profile.store, access, objstoreYaml: objstore });
    this.compactor = new ThanosCompactor(this, 'compactor', { ctx, profile: profile.compactor, access, objstoreYaml: objstore });
    const remote = remoteAccess(profile.remoteStores ?? []);
    for (const secret of remote.secrets) expectSecret(this, { ...secret, usedBy: 'thanos-query' });
    const srv = (service: string) => `dnssrv+_grpc._tcp.${service}.${ctx.namespace}.svc`;
    this.query = new ThanosQuery(this, 'query', {
      ctx,
      profile: profile.query,
      endpoints: [srv(props.prometheus.headlessServiceName), srv(this.store.serviceName)],
      remote,
    });
  }

  /** One job per part: the sidecar of each Prometheus pod, Query, the store gateway and the compactor. */
  public scrapeJobs(): ScrapeJob[] {
    const namespace = this.props.ctx.namespace;
    return [
      serviceJob({ name: 'thanos-sidecar', namespace, service: this.props.prometheus.headlessServiceName, port: SIDECAR_PORT_NAMES.http }),
      serviceJob({ name: 'thanos-query', namespace, service: this.query.serviceName, port: 'http' }),
      serviceJob({ name: 'thanos-store', namespace, service: this.store.serviceName, port: 'http' }),
      serviceJob({ name: 'thanos-compact', namespace, service: this.compactor.serviceName, port: 'http' }),
    ];
  }

  /** Grafana's default Prometheus datasource (uid unchanged), reading through Query. */
  public datasources(): GrafanaDatasource[] {
    return [
      this.props.prometheus.grafanaDatasource({
        url: this.queryUrl,
        jsonData: { prometheusType: 'Thanos', prometheusVersion: IMAGES.thanos.tag.replace(/^v/, '') },
      }),
    ];
  }

  public flows(net: FlowContext): Flow[] {
    return thanosFlows(this.props.profile, net);
  }
}
