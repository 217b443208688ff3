/** The Debian programs the end-to-end pipeline runs, found on this machine or reported missing. */
import * as fs from 'node:fs';
import { Tool, findTool } from '../../support/tools';

/** PostgreSQL's server programs live in a versioned folder, off PATH: take the newest. */
function postgresTool(program: string): Tool {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions.map((v) => `${base}/${v}/bin/${program}`).find((p) => fs.existsSync(p));
  return { name: program, path: found, installHint: 'apt-get update && apt-get install -y postgresql' };
}

export const E2E_TOOLS = {
  prometheus: findTool('prometheus', 'prometheus'),
  alertmanager: findTool('prometheus-alertmanager', 'prometheus-alertmanager'),
  nodeExporter: findTool('prometheus-node-exporter', 'prometheus-node-exporter'),
  blackboxExporter: findTool('prometheus-blackbox-exporter', 'prometheus-blackbox-exporter'),
  postgresExporter: findTool('prometheus-postgres-exporter', 'prometheus-postgres-exporter'),
  redisExporter: findTool('prometheus-redis-exporter', 'prometheus-redis-exporter'),
  redisServer: findTool('redis-server', 'redis-server'),
  initdb: postgresTool('initdb'),
  postgres: postgresTool('postgres'),
  psql: findTool('psql', 'postgresql-client'),
  setpriv: findTool('setpriv', 'util-linux'),
  pushgateway: findTool('prometheus-pushgateway', 'prometheus-pushgateway'),
  openssl: findTool('openssl', 'openssl'),
} as const;

export const ALL_E2E_TOOLS: readonly Tool[] = Object.values(E2E_TOOLS);

/** The one-line install command for everything the pipeline needs. */
export const E2E_APT_PACKAGES =
  'prometheus prometheus-alertmanager prometheus-node-exporter prometheus-blackbox-exporter prometheus-postgres-exporter prometheus-redis-exporter prometheus-pushgateway postgresql redis-server openssl';

/** What the catalog check runs beyond the pipeline's programs. */
export const CATALOG_TOOLS = {
  pushgateway: E2E_TOOLS.pushgateway,
  elasticsearchExporter: findTool('prometheus-elasticsearch-exporter', 'prometheus-elasticsearch-exporter'),
  openssl: E2E_TOOLS.openssl,
} as const;
