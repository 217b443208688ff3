import { renderBlackboxConfig } from '../lib/components/exporters/blackbox-exporter';
import { influxdbScrapeJob } from '../lib/components/exporters/influxdb';
import { postgresExporterEnv } from '../lib/components/exporters/postgres-exporter';
import { DEPENDENCIES_DEFAULTS } from '../lib/components/exporters/profile';
import { redisExporterArgs } from '../lib/components/exporters/redis-exporter';

describe('what a dependency target that says little gets', () => {
  it('PostgreSQL: TLS required, the password read from the key "password", the CA from "ca.crt"', () => {
    const env = postgresExporterEnv(
      { name: 'db', host: 'db:5432', database: 'app', user: 'monitor', secretName: 'db-monitor', caSecretName: 'db-ca' },
      '/s',
      '/ca',
    );
    expect(env).toEqual([
      { name: 'DATA_SOURCE_URI', value: 'db:5432/app?sslmode=require&sslrootcert=/ca/ca.crt' },
      { name: 'DATA_SOURCE_USER', value: 'monitor' },
      { name: 'DATA_SOURCE_PASS_FILE', value: '/s/password' },
    ]);
    expect(DEPENDENCIES_DEFAULTS.postgres).toMatchObject({ sslMode: 'require', passwordKey: 'password', caKey: 'ca.crt', statStatements: false });
  });

  it('Redis over TLS: the CA from "ca.crt" given as the root pool', () => {
    expect(redisExporterArgs({ name: 'cache', address: 'cache:6380', tls: true, caSecretName: 'cache-ca' }, ':9121', '/ca')).toContain(
      '--tls-ca-cert-file=/ca/ca.crt',
    );
  });

  it('InfluxDB: scraped on its Service port named http', () => {
    const job = influxdbScrapeJob({ name: 'ts', namespace: 'grekko', service: 'influxdb' });
    expect(job.relabelings?.[0]).toEqual({
      sourceLabels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
      regex: 'influxdb;http',
      action: 'keep',
    });
    expect(DEPENDENCIES_DEFAULTS.influxdb.port).toBe('http');
  });

  it('a synthetic check: a GET that must answer 200, with no extra header', () => {
    const modules = (renderBlackboxConfig([{ name: 'order', service: 'order-service', url: 'http://order/dry-run' }]) as any).modules;
    expect(modules.synthetic_order.http).toMatchObject({ method: 'GET', valid_status_codes: [200] });
    expect(modules.synthetic_order.http).not.toHaveProperty(['headers']);
  });
});
