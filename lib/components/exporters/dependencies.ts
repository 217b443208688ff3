/**
 * The monitoring of the monitored system's dependencies, built from the profile's `dependencies`:
 * an exporter per database, cache and broker, the InfluxDB scrape, and the blackbox probes of the
 * services, each registered with Prometheus as a scrape job.
 */
import { Construct } from 'constructs';
import { StackContext } from '../../core/k8s';
import { Prometheus } from '../prometheus/prometheus';
import { serviceJob } from '../prometheus/scrape';
import { BlackboxExporter, TlsEndpoint } from './blackbox-exporter';
import { exporterScrapeJob } from './common';
import { influxdbScrapeJob } from './influxdb';
import { KafkaExporter } from './kafka-exporter';
import { PostgresExporter } from './postgres-exporter';
import { RedisExporter } from './redis-exporter';
import { DEPENDENCIES_DEFAULTS, DependenciesProfile } from './profile';

export interface DependencyMonitoringProps {
  readonly ctx: StackContext;
  readonly profile: DependenciesProfile;
  /** Receives the scrape jobs. */
  readonly prometheus: Prometheus;
}

export class DependencyMonitoring extends Construct {
  public readonly postgres: readonly PostgresExporter[];
  public readonly redis: readonly RedisExporter[];
  public readonly kafka: readonly KafkaExporter[];
  /** @default - none when no service is probed */
  public readonly blackbox?: BlackboxExporter;

  constructor(scope: Construct, id: string, props: DependencyMonitoringProps) {
    super(scope, id);
    const { ctx, profile: d, prometheus } = props;
    const res = d.exporterResources ?? DEPENDENCIES_DEFAULTS.exporterResources;
    const ns = ctx.namespace;

    this.postgres = (d.postgres ?? []).map((t) => new PostgresExporter(this, `postgres-${t.name}`, { ctx, target: t, resources: res }));
    if (this.postgres.length)
      prometheus.addScrapeJob(exporterScrapeJob({ name: 'postgres-exporter', namespace: ns, exporter: PostgresExporter.identity.name }));

    this.redis = (d.redis ?? []).map((t) => new RedisExporter(this, `redis-${t.name}`, { ctx, target: t, resources: res }));
    if (this.redis.length) prometheus.addScrapeJob(exporterScrapeJob({ name: 'redis-exporter', namespace: ns, exporter: RedisExporter.identity.name }));

    this.kafka = (d.kafka ?? []).map((t) => new KafkaExporter(this, `kafka-${t.name}`, { ctx, target: t, resources: res }));
    if (this.kafka.length) prometheus.addScrapeJob(exporterScrapeJob({ name: 'kafka-exporter', namespace: ns, exporter: KafkaExporter.identity.name }));

    for (const t of d.influxdb ?? []) prometheus.addScrapeJob(influxdbScrapeJob(t));

    // Every dependency reached over TLS from the first byte gets its certificate watched.
    const tlsEndpoints: TlsEndpoint[] = [
      ...(d.redis ?? []).filter((t) => t.tls).map((t) => ({ name: t.name, address: t.address, caSecretName: t.caSecretName, caKey: t.caKey })),
      ...(d.kafka ?? [])
        .filter((t) => t.tls)
        .flatMap((t) => t.brokers.map((b) => ({ name: t.name, address: b, caSecretName: t.tls!.caSecretName, caKey: t.tls!.caKey }))),
    ];
    if ((d.services ?? []).length || (d.synthetic ?? []).length || tlsEndpoints.length) {
      const bb = new BlackboxExporter(this, 'blackbox', { ctx, services: d.services ?? [], synthetic: d.synthetic ?? [], tlsEndpoints, resources: res });
      this.blackbox = bb;
      prometheus.addScrapeJob(serviceJob({ name: 'blackbox-exporter', namespace: ns, service: bb.workload.serviceName, port: 'metrics' }));
      for (const job of bb.scrapeJobs()) prometheus.addScrapeJob(job);
    }
  }
}
