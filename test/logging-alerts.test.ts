/**
 * Facts of the logging alerts that the rule API does not check: which of them page, that they
 * read the logging catalog, and that the catalog matches the real elasticsearch_exporter. The
 * rules themselves are validated and rendered by lib/rules, and proven by promtool in
 * alerts/logging.tests.ts.
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { LOGGING_METRICS } from '../metrics/logging';
import { logging } from '../alerts/logging';
import { metricNames } from '../lib/rules/promql';
import { isAlert } from '../lib/rules/types';
import { describeWithTools, findTool } from './support/tools';

const alerts = logging.rules.filter(isAlert);

describe('the logging alert group', () => {
  it('reads elasticsearch_ and fluentd_ metrics only from the logging catalog', () => {
    const catalog = new Set(LOGGING_METRICS.map((m) => m.name));
    for (const a of alerts) {
      for (const name of metricNames(a.expr).filter((n) => /^(elasticsearch|fluentd)_/.test(n)))
        expect([a.alert, name, catalog.has(name)]).toEqual([a.alert, name, true]);
    }
  });

  it('pages only for red, unreachable, disk past the high watermark and a nearly full buffer', () => {
    expect(
      alerts
        .filter((a) => a.severity === 'critical')
        .map((a) => a.alert)
        .sort(),
    ).toEqual(['ElasticsearchClusterRed', 'ElasticsearchDiskAboveHighWatermark', 'ElasticsearchUnreachable', 'FluentdBufferNearlyFull']);
  });
});

const exporter = findTool('prometheus-elasticsearch-exporter', 'prometheus-elasticsearch-exporter');

describeWithTools('the elasticsearch_exporter metrics in the catalog', [exporter], () => {
  let server: http.Server;
  let child: ChildProcess;
  const esPort = 19200 + (process.pid % 500);
  const webPort = 19800 + (process.pid % 150);

  beforeAll(async () => {
    // A stand-in Elasticsearch answering the exporter's requests with a red three-node cluster.
    const node = {
      name: 'elasticsearch-0',
      host: '10.0.0.1',
      ip: '10.0.0.1',
      roles: ['master', 'data', 'ingest'],
      jvm: {
        mem: {
          heap_used_in_bytes: 900,
          heap_max_in_bytes: 1000,
          heap_committed_in_bytes: 1000,
          non_heap_used_in_bytes: 1,
          non_heap_committed_in_bytes: 1,
          pools: {},
        },
        gc: { collectors: { young: { collection_count: 5, collection_time_in_millis: 120 }, old: { collection_count: 1, collection_time_in_millis: 40 } } },
        buffer_pools: {},
      },
      fs: {
        total: { total_in_bytes: 1000, free_in_bytes: 100, available_in_bytes: 100 },
        data: [{ path: '/usr/share/elasticsearch/data', mount: '/data', type: 'ext4', total_in_bytes: 1000, free_in_bytes: 100, available_in_bytes: 100 }],
      },
      indices: { docs: { count: 1, deleted: 0 }, store: { size_in_bytes: 1 } },
      thread_pool: { write: { threads: 1, queue: 0, active: 0, rejected: 3, largest: 1, completed: 1 } },
      breakers: { parent: { limit_size_in_bytes: 1, estimated_size_in_bytes: 1, overhead: 1, tripped: 2 } },
    };
    const health = {
      cluster_name: 'production-logs',
      status: 'red',
      number_of_nodes: 3,
      number_of_data_nodes: 3,
      active_primary_shards: 1,
      active_shards: 1,
      relocating_shards: 0,
      initializing_shards: 0,
      unassigned_shards: 2,
      delayed_unassigned_shards: 0,
      number_of_pending_tasks: 0,
      number_of_in_flight_fetch: 0,
      task_max_waiting_in_queue_millis: 0,
      active_shards_percent_as_number: 33,
    };
    const answers: Array<[RegExp, unknown]> = [
      [/^\/_cluster\/health/, health],
      [/^\/_nodes/, { cluster_name: 'production-logs', nodes: { a: node } }],
      [/^\/$/, { name: 'elasticsearch-0', cluster_name: 'production-logs', cluster_uuid: 'u', version: { number: '8.19.15' } }],
    ];
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const answer = answers.find(([re]) => re.test(req.url ?? ''));
      res.statusCode = answer ? 200 : 404;
      res.end(JSON.stringify(answer ? answer[1] : {}));
    });
    await new Promise<void>((resolve) => server.listen(esPort, '127.0.0.1', resolve));
    child = spawn(exporter.path!, [`--es.uri=http://127.0.0.1:${esPort}`, '--es.all', `--web.listen-address=127.0.0.1:${webPort}`], { stdio: 'ignore' });
  });

  afterAll(() => {
    child?.kill();
    server?.close();
  });

  async function scrape(): Promise<string> {
    for (let i = 0; i < 50; i++) {
      try {
        const text = await new Promise<string>((resolve, reject) => {
          http
            .get(`http://127.0.0.1:${webPort}/metrics`, (res) => {
              let body = '';
              res.on('data', (c) => (body += c));
              res.on('end', () => resolve(body));
            })
            .on('error', reject);
        });
        if (text.includes('elasticsearch_cluster_health_status')) return text;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the exporter never served its metrics');
  }

  it('exposes every catalogued metric, and reports the red cluster as the alert reads it', async () => {
    const text = await scrape();
    const exposed = new Set(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/[{ ]/)[0]),
    );
    for (const m of LOGGING_METRICS.filter((x) => x.source === 'elasticsearch-exporter')) expect([m.name, exposed.has(m.name)]).toEqual([m.name, true]);
    expect(text).toMatch(/^elasticsearch_cluster_health_status\{cluster="production-logs",color="red"\} 1$/m);
  });

  it('labels each catalogued metric as the catalog says, once the scrape job renames `cluster` to `es_cluster`', async () => {
    const text = await scrape();
    const labelsOf = new Map<string, string[]>();
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
      if (!m || labelsOf.has(m[1])) continue;
      labelsOf.set(m[1], [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((x) => (x[1] === 'cluster' ? 'es_cluster' : x[1])).sort());
    }
    for (const m of LOGGING_METRICS.filter((x) => x.source === 'elasticsearch-exporter'))
      expect([m.name, labelsOf.get(m.name)]).toEqual([m.name, [...m.labels].sort()]);
  });
});
