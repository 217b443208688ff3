/**
 * The logging alert group: rendered to a Prometheus rule file here (the rule API renders it in the
 * stack), checked by the real promtool, unit-tested with promtool's rule tests, and its metrics
 * checked against the real elasticsearch_exporter.
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loggingMetrics } from '../alerts/catalog-logging';
import { loggingAlerts } from '../alerts/logging';
import { AlertRule, isAlert } from '../lib/rules/types';
import { describeWithTools, findTool, promtool, run } from './support/tools';

const ROOT = path.join(__dirname, '..');
const alerts = loggingAlerts.rules.filter(isAlert);

function ruleFile(): string {
  return stringify(
    {
      groups: [
        {
          name: loggingAlerts.name,
          rules: alerts.map((a: AlertRule) => ({
            alert: a.alert,
            expr: a.expr,
            ...(a.for ? { for: a.for } : {}),
            labels: { severity: a.severity, ...(a.labels ?? {}) },
            annotations: { summary: a.summary, description: a.description, ...(a.runbook ? { runbook_url: a.runbook } : {}) },
          })),
        },
      ],
    },
    { lineWidth: 0 },
  );
}

describe('the logging alert group', () => {
  it('gives every critical and warning alert a runbook that exists in the repository', () => {
    for (const a of alerts) {
      if (a.severity === 'info') continue;
      expect([a.alert, a.runbook]).toEqual([a.alert, expect.stringMatching(/^docs\/runbooks\/[a-z0-9-]+\.md$/)]);
      expect([a.alert, fs.existsSync(path.join(ROOT, a.runbook!))]).toEqual([a.alert, true]);
    }
  });

  it('uses only elasticsearch_ and fluentd_ metrics listed in the logging catalog', () => {
    const catalog = new Set(loggingMetrics.map((m) => m.name));
    for (const a of alerts) {
      for (const name of a.expr.match(/\b(?:elasticsearch|fluentd)_[a-z0-9_]+\b/g) ?? []) expect([a.alert, name, catalog.has(name)]).toEqual([a.alert, name, true]);
    }
  });

  it('has unique UpperCamelCase alert names and pages only for red, unreachable, disk past the high watermark and a nearly full buffer', () => {
    const names = alerts.map((a) => a.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(alerts.filter((a) => a.severity === 'critical').map((a) => a.alert).sort()).toEqual([
      'ElasticsearchClusterRed',
      'ElasticsearchDiskAboveHighWatermark',
      'ElasticsearchUnreachable',
      'FluentdBufferNearlyFull',
    ]);
  });
});

/** An expected firing alert for promtool: labels, and the annotations rendered as Prometheus would. */
function firing(alertname: string, labels: Record<string, string>, value = ''): Record<string, unknown> {
  const a = alerts.find((x) => x.alert === alertname)!;
  const render = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, k) => labels[k] ?? '').replace(/\{\{ \$value[^}]*\}\}/g, value);
  return {
    exp_labels: { severity: a.severity, ...(a.labels ?? {}), ...labels },
    exp_annotations: { summary: render(a.summary), description: render(a.description), runbook_url: a.runbook },
  };
}

describeWithTools('the logging rules with promtool', [promtool], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logging-rules-'));
  const rules = path.join(dir, 'logging.yaml');
  fs.writeFileSync(rules, ruleFile());

  it('renders the red-cluster alert as a critical page with its runbook', () => {
    expect(firing('ElasticsearchClusterRed', { es_cluster: 'production-logs' })).toEqual({
      exp_labels: { severity: 'critical', service: 'elasticsearch', es_cluster: 'production-logs' },
      exp_annotations: { summary: 'Elasticsearch cluster production-logs is red', description: expect.stringContaining('primary shard'), runbook_url: 'docs/runbooks/elasticsearch-cluster-red.md' },
    });
  });

  it('pass promtool check rules', () => {
    const r = run(promtool.path!, ['check', 'rules', rules]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining(`SUCCESS: ${alerts.length} rules found`) });
  });

  const red = 'elasticsearch_cluster_health_status{job="elasticsearch",es_cluster="production-logs",color="red"}';
  const yellow = 'elasticsearch_cluster_health_status{job="elasticsearch",es_cluster="production-logs",color="yellow"}';
  const cases = {
    rule_files: [rules],
    evaluation_interval: '1m',
    tests: [
      {
        name: 'a red cluster pages after 5 minutes',
        interval: '1m',
        input_series: [
          { series: red, values: '0 1x15' },
          { series: yellow, values: '0x15' },
        ],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'ElasticsearchClusterRed', exp_alerts: [] },
          {
            eval_time: '7m',
            alertname: 'ElasticsearchClusterRed',
            exp_alerts: [firing('ElasticsearchClusterRed', { es_cluster: 'production-logs' })],
          },
        ],
      },
      {
        name: 'a yellow cluster during a 20-minute rolling restart does not alert; 40 minutes warns',
        interval: '1m',
        input_series: [
          { series: red, values: '0x60' },
          { series: yellow, values: '1x20 0x5 1x35' },
        ],
        alert_rule_test: [
          { eval_time: '20m', alertname: 'ElasticsearchClusterYellow', exp_alerts: [] },
          { eval_time: '55m', alertname: 'ElasticsearchClusterYellow', exp_alerts: [] },
          {
            eval_time: '58m',
            alertname: 'ElasticsearchClusterYellow',
            exp_alerts: [firing('ElasticsearchClusterYellow', { es_cluster: 'production-logs' })],
          },
        ],
      },
      {
        name: 'a buffer at 40% free warns, at 5% free pages',
        interval: '1m',
        input_series: [
          { series: 'fluentd_output_status_buffer_available_space_ratio{job="fluentd",node="node-a",plugin_id="out_elasticsearch",type="elasticsearch"}', values: '100 40x20 5x10' },
          { series: 'fluentd_output_status_buffer_available_space_ratio{job="fluentd",node="node-b",plugin_id="out_elasticsearch",type="elasticsearch"}', values: '100x31' },
        ],
        alert_rule_test: [
          { eval_time: '15m', alertname: 'FluentdBufferFilling', exp_alerts: [firing('FluentdBufferFilling', { node: 'node-a', plugin_id: 'out_elasticsearch' }, '40')] },
          { eval_time: '15m', alertname: 'FluentdBufferNearlyFull', exp_alerts: [] },
          { eval_time: '28m', alertname: 'FluentdBufferNearlyFull', exp_alerts: [firing('FluentdBufferNearlyFull', { node: 'node-a', plugin_id: 'out_elasticsearch' }, '5')] },
        ],
      },
      {
        name: 'a node without a running Fluentd warns; one with it does not',
        interval: '1m',
        input_series: [
          { series: 'kube_node_info{job="kube-state-metrics",node="node-a"}', values: '1x30' },
          { series: 'kube_node_info{job="kube-state-metrics",node="node-b"}', values: '1x30' },
          { series: 'up{job="fluentd",node="node-a",pod="fluentd-abc"}', values: '1x30' },
          { series: 'up{job="fluentd",node="node-b",pod="fluentd-def"}', values: '0x30' },
        ],
        alert_rule_test: [
          { eval_time: '20m', alertname: 'FluentdNotRunningOnNode', exp_alerts: [firing('FluentdNotRunningOnNode', { node: 'node-b' })] },
        ],
      },
      {
        name: 'Elasticsearch unreachable for 10 minutes pages; a running exporter is no ExporterDown',
        interval: '1m',
        input_series: [
          { series: 'elasticsearch_cluster_health_up{job="elasticsearch",pod="elasticsearch-exporter-1"}', values: '1 0x20' },
          { series: 'up{job="elasticsearch",pod="elasticsearch-exporter-1"}', values: '1x20' },
        ],
        alert_rule_test: [
          { eval_time: '12m', alertname: 'ElasticsearchUnreachable', exp_alerts: [firing('ElasticsearchUnreachable', { job: 'elasticsearch' })] },
          { eval_time: '20m', alertname: 'ElasticsearchExporterDown', exp_alerts: [] },
        ],
      },
      {
        name: 'a node reading no log line for an hour warns',
        interval: '1m',
        input_series: [
          { series: 'fluentd_input_status_num_records_total{job="fluentd",node="node-a"}', values: '0+100x90' },
          { series: 'fluentd_input_status_num_records_total{job="fluentd",node="node-b"}', values: '0+100x10 1000x80' },
        ],
        alert_rule_test: [
          { eval_time: '90m', alertname: 'FluentdNoLogsFromNode', exp_alerts: [firing('FluentdNoLogsFromNode', { node: 'node-b' })] },
        ],
      },
    ],
  };

  it('fire as the promtool rule tests expect', () => {
    const file = path.join(dir, 'logging.test.yaml');
    fs.writeFileSync(file, stringify(cases, { lineWidth: 0 }));
    const r = run(promtool.path!, ['test', 'rules', file]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
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
      name: 'elasticsearch-0', host: '10.0.0.1', ip: '10.0.0.1', roles: ['master', 'data', 'ingest'],
      jvm: { mem: { heap_used_in_bytes: 900, heap_max_in_bytes: 1000, heap_committed_in_bytes: 1000, non_heap_used_in_bytes: 1, non_heap_committed_in_bytes: 1, pools: {} }, gc: { collectors: {} }, buffer_pools: {} },
      fs: { total: { total_in_bytes: 1000, free_in_bytes: 100, available_in_bytes: 100 }, data: [{ path: '/usr/share/elasticsearch/data', mount: '/data', type: 'ext4', total_in_bytes: 1000, free_in_bytes: 100, available_in_bytes: 100 }] },
      indices: { docs: { count: 1, deleted: 0 }, store: { size_in_bytes: 1 } },
      thread_pool: { write: { threads: 1, queue: 0, active: 0, rejected: 3, largest: 1, completed: 1 } },
      breakers: { parent: { limit_size_in_bytes: 1, estimated_size_in_bytes: 1, overhead: 1, tripped: 2 } },
    };
    const health = { cluster_name: 'production-logs', status: 'red', number_of_nodes: 3, number_of_data_nodes: 3, active_primary_shards: 1, active_shards: 1, relocating_shards: 0, initializing_shards: 0, unassigned_shards: 2, delayed_unassigned_shards: 0, number_of_pending_tasks: 0, number_of_in_flight_fetch: 0, task_max_waiting_in_queue_millis: 0, active_shards_percent_as_number: 33 };
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
          http.get(`http://127.0.0.1:${webPort}/metrics`, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve(body));
          }).on('error', reject);
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
    const exposed = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    for (const m of loggingMetrics.filter((x) => x.source === 'elasticsearch-exporter')) expect([m.name, exposed.has(m.name)]).toEqual([m.name, true]);
    expect(text).toMatch(/^elasticsearch_cluster_health_status\{cluster="production-logs",color="red"\} 1$/m);
  });
});
