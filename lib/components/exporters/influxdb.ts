/**
 * InfluxDB 2.x serves Prometheus metrics on `/metrics` of its HTTP API port (writes, queries,
 * storage, tasks), so it needs no exporter: one scrape job per server, through its Service.
 */
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { DEPENDENCIES_DEFAULTS, InfluxdbTarget } from './profile';

/** The scrape job of one InfluxDB server; its series carry `dependency` like the exporters' do. */
export function influxdbScrapeJob(t: InfluxdbTarget): ScrapeJob {
  const job = serviceJob({
    name: `influxdb-${t.name}`,
    namespace: t.namespace,
    service: t.service,
    port: t.port ?? DEPENDENCIES_DEFAULTS.influxdb.port,
    metricsPath: '/metrics',
  });
  return { ...job, relabelings: [...(job.relabelings ?? []), { targetLabel: 'dependency', replacement: t.name }] };
}
