import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { stringify } from 'yaml';
import { TRACING_METRICS } from '../alerts/catalog-tracing';
import { TRACING_RULES } from '../alerts/tracing';
import { AlertRule, RuleGroup, isAlert } from '../lib/rules/types';
import { isDuration } from '../lib/units';
import { describeWithTools, promtool, run } from './support/tools';

const REPO = path.join(__dirname, '..');
const alerts = TRACING_RULES.rules.filter(isAlert);

/** Metric names an expression selects, and whether it parsed cleanly. */
function metricsOf(expr: string): { names: string[]; errors: number } {
  const tree = parser.parse(expr);
  const names = new Set<string>();
  let errors = 0;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) errors++;
      if (n.name === 'Identifier' && n.node.parent?.name === 'VectorSelector') names.add(expr.slice(n.from, n.to));
    },
  });
  return { names: [...names], errors };
}

/** The group as a plain Prometheus rule file (runbook links as repository paths). */
function toRuleFile(g: RuleGroup): string {
  return stringify(
    {
      groups: [
        {
          name: g.name,
          ...(g.interval ? { interval: g.interval } : {}),
          rules: g.rules.map((r) =>
            isAlert(r)
              ? {
                  alert: r.alert,
                  expr: r.expr,
                  ...(r.for ? { for: r.for } : {}),
                  labels: { ...(r.labels ?? {}), severity: r.severity },
                  annotations: { summary: r.summary, description: r.description, ...(r.runbook ? { runbook_url: r.runbook } : {}) },
                }
              : { record: r.record, expr: r.expr, ...(r.labels ? { labels: r.labels } : {}) },
          ),
        },
      ],
    },
    { lineWidth: 0 },
  );
}

describe('the tracing alerts', () => {
  it('cover spans refused, spans dropped, a filling exporter queue, storage write failures and Jaeger down', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      ['JaegerCollectorDown', 'JaegerExporterQueueNearFull', 'JaegerQueryDown', 'JaegerSpansDropped', 'JaegerSpansRefused', 'JaegerStorageWriteFailures'].sort(),
    );
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s parses, names only catalogued metrics, and has a summary, description, duration and runbook', (_name, a: AlertRule) => {
    const { names, errors } = metricsOf(a.expr);
    expect(errors).toBe(0);
    const known = new Set(['up', ...TRACING_METRICS.map((m) => m.name)]);
    for (const n of names) expect([n, known.has(n)]).toEqual([n, true]);
    expect(['critical', 'warning', 'info']).toContain(a.severity);
    expect(a.summary.length).toBeGreaterThan(10);
    expect(a.description.length).toBeGreaterThan(20);
    if (a.for !== undefined) expect(isDuration(a.for)).toBe(true);
    expect(a.runbook).toMatch(/^docs\/runbooks\/.+\.md$/);
    expect(fs.existsSync(path.join(REPO, a.runbook!))).toBe(true);
  });

  it('describe every catalogued metric once, with a type, unit and source', () => {
    expect(new Set(TRACING_METRICS.map((m) => m.name)).size).toBe(TRACING_METRICS.length);
    for (const m of TRACING_METRICS) {
      expect(m.source).toBe('jaeger');
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
    }
  });
});

/**
 * The alert promtool should see: its labels, and its annotations with the templates filled in
 * from those labels and the alert's value as humanizePercentage prints it.
 */
function fired(alertname: string, labels: Record<string, string>, percentage?: string): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  const a = alerts.find((x) => x.alert === alertname)!;
  const fill = (t: string) =>
    t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, l: string) => labels[l] ?? '').replace(/\{\{ \$value \| humanizePercentage \}\}/g, () => percentage ?? '');
  return {
    exp_labels: { ...labels, severity: a.severity },
    exp_annotations: { summary: fill(a.summary), description: fill(a.description), runbook_url: a.runbook! },
  };
}

describeWithTools('the tracing rule file, checked by promtool', [promtool], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracing-rules-'));
  const rules = path.join(dir, 'tracing.yaml');
  fs.writeFileSync(rules, toRuleFile(TRACING_RULES));
  const collector = 'job="jaeger-collector",namespace="monitoring"';

  /** Runs one promtool unit-test file of the given cases; returns its output. */
  function testRules(name: string, tests: unknown[]): { status: number; out: string } {
    const file = path.join(dir, `${name}.test.yaml`);
    fs.writeFileSync(file, stringify({ rule_files: [rules], evaluation_interval: '1m', tests }, { lineWidth: 0 }));
    const r = run(promtool.path!, ['test', 'rules', file]);
    return { status: r.status, out: r.stdout + r.stderr };
  }

  it('passes promtool check rules', () => {
    const r = run(promtool.path!, ['check', 'rules', rules]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining(`SUCCESS: ${alerts.length} rules found`) });
  });

  it('fires JaegerCollectorDown when no collector is up for 5 minutes, and stays quiet while one of two is', () => {
    const r = testRules('collector-down', [
      {
        interval: '1m',
        input_series: [{ series: `up{${collector},pod="a"}`, values: '1 1 0x10' }],
        alert_rule_test: [
          { eval_time: '5m', alertname: 'JaegerCollectorDown', exp_alerts: [] },
          { eval_time: '9m', alertname: 'JaegerCollectorDown', exp_alerts: [fired('JaegerCollectorDown', {})] },
        ],
      },
      {
        interval: '1m',
        input_series: [
          { series: `up{${collector},pod="a"}`, values: '0x10' },
          { series: `up{${collector},pod="b"}`, values: '1x10' },
        ],
        alert_rule_test: [{ eval_time: '10m', alertname: 'JaegerCollectorDown', exp_alerts: [] }],
      },
      {
        // The local single process counts as a collector, and as a query instance.
        interval: '1m',
        input_series: [{ series: 'up{job="jaeger",namespace="monitoring",pod="c"}', values: '0x15' }],
        alert_rule_test: [
          { eval_time: '15m', alertname: 'JaegerCollectorDown', exp_alerts: [fired('JaegerCollectorDown', {})] },
          { eval_time: '15m', alertname: 'JaegerQueryDown', exp_alerts: [fired('JaegerQueryDown', {})] },
        ],
      },
    ]);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('fires JaegerSpansRefused at 2% refused and stays quiet at 0.5%', () => {
    const series = (refusedPerMinute: number) => [
      { series: `otelcol_receiver_accepted_spans_total{${collector},pod="a",receiver="otlp",transport="grpc"}`, values: '0+600x30' },
      { series: `otelcol_receiver_refused_spans_total{${collector},pod="a",receiver="otlp",transport="grpc"}`, values: `0+${refusedPerMinute}x30` },
    ];
    const r = testRules('refused', [
      {
        interval: '1m',
        input_series: series(12),
        alert_rule_test: [{ eval_time: '25m', alertname: 'JaegerSpansRefused', exp_alerts: [fired('JaegerSpansRefused', { job: 'jaeger-collector', namespace: 'monitoring' }, '1.961%')] }],
      },
      { interval: '1m', input_series: series(3), alert_rule_test: [{ eval_time: '25m', alertname: 'JaegerSpansRefused', exp_alerts: [] }] },
    ]);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('fires JaegerSpansDropped when the exporter gives up on spans or its queue overflows, and stays quiet otherwise', () => {
    const expected = fired('JaegerSpansDropped', { job: 'jaeger-collector', namespace: 'monitoring' });
    const failed = (send: string, enqueue: string) => [
      { series: `otelcol_exporter_send_failed_spans_total{${collector},pod="a",exporter="jaeger_storage_exporter"}`, values: send },
      { series: `otelcol_exporter_enqueue_failed_spans_total{${collector},pod="a",exporter="jaeger_storage_exporter"}`, values: enqueue },
    ];
    const r = testRules('dropped', [
      { interval: '1m', input_series: failed('0+60x20', '0x20'), alert_rule_test: [{ eval_time: '15m', alertname: 'JaegerSpansDropped', exp_alerts: [expected] }] },
      { interval: '1m', input_series: failed('0x20', '0+60x20'), alert_rule_test: [{ eval_time: '15m', alertname: 'JaegerSpansDropped', exp_alerts: [expected] }] },
      { interval: '1m', input_series: failed('0x20', '0x20'), alert_rule_test: [{ eval_time: '15m', alertname: 'JaegerSpansDropped', exp_alerts: [] }] },
    ]);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('fires JaegerExporterQueueNearFull at 90% full for 10 minutes and stays quiet at 75%', () => {
    const queue = (size: number) => [
      { series: `otelcol_exporter_queue_size{${collector},pod="a",exporter="jaeger_storage_exporter",data_type="traces"}`, values: `${size}x20` },
      { series: `otelcol_exporter_queue_capacity{${collector},pod="a",exporter="jaeger_storage_exporter",data_type="traces"}`, values: '200x20' },
    ];
    const r = testRules('queue', [
      {
        interval: '1m',
        input_series: queue(180),
        alert_rule_test: [
          { eval_time: '5m', alertname: 'JaegerExporterQueueNearFull', exp_alerts: [] },
          { eval_time: '15m', alertname: 'JaegerExporterQueueNearFull', exp_alerts: [fired('JaegerExporterQueueNearFull', { job: 'jaeger-collector', namespace: 'monitoring', pod: 'a' }, '90%')] },
        ],
      },
      { interval: '1m', input_series: queue(150), alert_rule_test: [{ eval_time: '15m', alertname: 'JaegerExporterQueueNearFull', exp_alerts: [] }] },
    ]);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('fires JaegerStorageWriteFailures at 2% of documents failing and stays quiet at 0.5%', () => {
    const writes = (errorsPerMinute: number) => [
      { series: `jaeger_bulk_index_attempts_total{${collector},pod="a"}`, values: '0+600x30' },
      { series: `jaeger_bulk_index_errors_total{${collector},pod="a"}`, values: `0+${errorsPerMinute}x30` },
    ];
    const r = testRules('storage', [
      {
        interval: '1m',
        input_series: writes(12),
        alert_rule_test: [{ eval_time: '25m', alertname: 'JaegerStorageWriteFailures', exp_alerts: [fired('JaegerStorageWriteFailures', { job: 'jaeger-collector', namespace: 'monitoring' }, '2%')] }],
      },
      { interval: '1m', input_series: writes(3), alert_rule_test: [{ eval_time: '25m', alertname: 'JaegerStorageWriteFailures', exp_alerts: [] }] },
    ]);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('reports a wrong expectation, so the checks are real', () => {
    const r = testRules('wrong', [
      {
        interval: '1m',
        input_series: [{ series: `up{${collector},pod="a"}`, values: '1x10' }],
        alert_rule_test: [{ eval_time: '10m', alertname: 'JaegerCollectorDown', exp_alerts: [fired('JaegerCollectorDown', {})] }],
      },
    ]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/FAILED/);
  });
});
