/**
 * The monitoring of the monitored system's dependencies, built from the profile's `dependencies`:
 * an exporter per database, cache and broker, the InfluxDB scrape, and the blackbox probes of the
 * services. Each exporter reaches its own targets only.
 */
import { Construct } from 'constructs';
import { StackContext } from '../../core/k8s';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { Flow, FlowContext, clientFlows, flow, outside, pods, scrapeFlow, urlTarget } from '../network-policies/flows';
import { annotatedScrapeNamespaces } from '../network-policies/profile';
import { BlackboxExporter, TlsEndpoint } from './blackbox-exporter';
import { ExporterWorkload, exporterScrapeJob } from './common';
import { influxdbScrapeJob } from './influxdb';
import { KafkaExporter } from './kafka-exporter';
import { PostgresExporter } from './postgres-exporter';
import { RedisExporter } from './redis-exporter';
import { DEPENDENCIES_DEFAULTS, DependenciesProfile, InfluxdbTarget } from './profile';

export interface DependencyMonitoringProps {
  readonly ctx: StackContext;
  readonly profile: DependenciesProfile;
}

/** An exporter and the `host:port` targets it reads. */
interface Reach {
  readonly workload: ExporterWorkload;
  readonly targets: readonly string[];
  /** How the docs name the targets: `its PostgreSQL server`. */
  readonly what: string;
}

export class DependencyMonitoring extends Construct {
  public readonly postgres: readonly PostgresExporter[];
  public readonly redis: readonly RedisExporter[];
  public readonly kafka: readonly KafkaExporter[];
  /** @default - none when no service is probed */
  public readonly blackbox?: BlackboxExporter;

  private readonly jobs: ScrapeJob[] = [];
  private readonly reach: Reach[] = [];
  private readonly influxdb: readonly InfluxdbTarget[];

  constructor(scope: Construct, id: string, props: DependencyMonitoringProps) {
    super(scope, id);
    const { ctx, profile: d } = props;
    const res = d.exporterResources ?? DEPENDENCIES_DEFAULTS.exporterResources;
    const ns = ctx.namespace;

    this.postgres = (d.postgres ?? []).map((t) => {
      const e = new PostgresExporter(this, `postgres-${t.name}`, { ctx, target: t, resources: res });
      this.reach.push({ workload: e.workload, targets: [t.host], what: 'its PostgreSQL server' });
      return e;
    });
    if (this.postgres.length) this.jobs.push(exporterScrapeJob({ name: 'postgres-exporter', namespace: ns, exporter: PostgresExporter.identity.name }));

    this.redis = (d.redis ?? []).map((t) => {
      const e = new RedisExporter(this, `redis-${t.name}`, { ctx, target: t, resources: res });
      this.reach.push({ workload: e.workload, targets: [t.address], what: 'its Redis server' });
      return e;
    });
    if (this.redis.length) this.jobs.push(exporterScrapeJob({ name: 'redis-exporter', namespace: ns, exporter: RedisExporter.identity.name }));

    this.kafka = (d.kafka ?? []).map((t) => {
      const e = new KafkaExporter(this, `kafka-${t.name}`, { ctx, target: t, resources: res });
      this.reach.push({ workload: e.workload, targets: [...t.brokers], what: 'its Kafka brokers' });
      return e;
    });
    if (this.kafka.length) this.jobs.push(exporterScrapeJob({ name: 'kafka-exporter', namespace: ns, exporter: KafkaExporter.identity.name }));

    this.influxdb = d.influxdb ?? [];
    for (const t of this.influxdb) this.jobs.push(influxdbScrapeJob(t));

    // Every dependency reached over TLS from the first byte gets its certificate watched.
    const tlsEndpoints: TlsEndpoint[] = [
      ...(d.redis ?? []).filter((t) => t.tls).map((t) => ({ name: t.name, address: t.address, caSecretName: t.caSecretName, caKey: t.caKey })),
      ...(d.kafka ?? [])
        .filter((t) => t.tls)
        .flatMap((t) => t.brokers.map((b) => ({ name: t.name, address: b, caSecretName: t.tls!.caSecretName, caKey: t.tls!.caKey }))),
    ];
    const services = d.services ?? [];
    const synthetic = d.synthetic ?? [];
    if (services.length || synthetic.length || tlsEndpoints.length) {
      const bb = new BlackboxExporter(this, 'blackbox', { ctx, services, synthetic, tlsEndpoints, resources: res });
      this.blackbox = bb;
      const probed = [...services.map((s) => s.url), ...synthetic.map((c) => c.url)].map(urlTarget).map((u) => `${u.host}:${u.port}`);
      this.reach.push({ workload: bb.workload, targets: [...probed, ...bb.tlsEndpoints.map((t) => t.address)], what: 'the probed services and TLS endpoints' });
      this.jobs.push(serviceJob({ name: 'blackbox-exporter', namespace: ns, service: bb.workload.serviceName, port: 'metrics' }));
      this.jobs.push(...bb.scrapeJobs());
    }
  }

  public scrapeJobs(): ScrapeJob[] {
    return [...this.jobs];
  }

  /** Prometheus scrapes each exporter; each exporter reaches its own targets, and nothing else. */
  public flows(net: FlowContext): Flow[] {
    const flows: Flow[] = [];
    for (const r of this.reach) {
      const w = r.workload;
      const g = { name: w.name, selector: w.podLabels, identity: w.identity };
      flows.push(scrapeFlow(net, g, w.port, `${w.name} metrics`));
      flows.push(...clientFlows(net, g, r.targets, r.what, `dependencies (${r.what})`, `${w.name} reads ${r.what}`));
    }
    const annotated = annotatedScrapeNamespaces(net.network);
    for (const t of this.influxdb) {
      if (!annotated.includes(t.namespace)) {
        flows.push(
          flow(pods(net.scraper), outside(`namespace ${t.namespace}`, [{ namespace: t.namespace }]), undefined, `InfluxDB ${t.name} serves its own metrics`),
        );
      }
    }
    return flows;
  }
}
