import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../alerts';
import { MetricsIndex } from '../lib/metrics/catalog';
import { parsePromQL } from '../lib/rules/promql';
import { buildRuleFiles } from '../lib/rules/render';
import { AlertRule, RuleGroup } from '../lib/rules/types';
import { METRICS } from '../metrics';

const good: AlertRule = {
  alert: 'OrderServiceErrors',
  severity: 'warning',
  expr: 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) > 1',
  for: '5m',
  summary: 'errors',
  description: 'errors happen',
  runbook: 'docs/runbooks/high-error-rates.md',
};
const group = (...rules: AlertRule[]): RuleGroup => ({ name: 'orders', source: 'alerts/orders.ts', rules });
const build = (...groups: RuleGroup[]) =>
  buildRuleFiles(groups, { catalog: METRICS, repositoryRoot: REPOSITORY_ROOT, runbookBaseUrl: 'https://example.test/' });

describe('a bad rule fails synth with a message naming the alert, its file, the problem and the fix', () => {
  const cases: Array<[string, RuleGroup[], RegExp]> = [
    [
      'invalid PromQL',
      [group({ ...good, expr: 'sum(rate(http_requests_total[5m]) > 1' })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): expr is "sum\(rate\(http_requests_total\[5m\]\) > 1"; it is not valid PromQL: syntax error at line 1, column \d+ .*; correct the expression$/,
    ],
    [
      'a duplicate alert name',
      [group(good), { name: 'more-orders', source: 'alerts/more.ts', rules: [good] }],
      /^alert "OrderServiceErrors" \(alerts\/more\.ts\): alert is "OrderServiceErrors"; it is already defined in alerts\/orders\.ts \(group "orders"\); give every alert a distinct name$/,
    ],
    [
      'a critical alert without a runbook',
      [group({ ...good, severity: 'critical', runbook: undefined })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): runbook is missing; critical alerts need a runbook: write docs\/runbooks\/<name>\.md and set runbook to its path$/,
    ],
    [
      'a runbook that does not exist',
      [group({ ...good, runbook: 'docs/runbooks/nope.md' })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): runbook is "docs\/runbooks\/nope\.md"; no such file in the repository; write it or correct the path$/,
    ],
    [
      'a metric missing from the catalog (with the likely name)',
      [group({ ...good, expr: 'rate(http_request_total[5m]) > 1' })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): metric in expr is "http_request_total"; it is neither in the metrics catalog nor recorded by a rule; did you mean "http_requests_total"\? add it to the catalog/,
    ],
    [
      'for: "5 minutes"',
      [group({ ...good, for: '5 minutes' })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): for is "5 minutes"; use a Prometheus duration such as "30s", "5m" or "1h30m"/,
    ],
    [
      'an unknown severity',
      [group({ ...good, severity: 'page' as never })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): severity is "page"; use one of critical, warning, info$/,
    ],
    [
      'ALERTS of an alert that does not exist (with the likely name)',
      [
        group(good, {
          ...good,
          alert: 'OrderServiceErrorsLately',
          severity: 'info',
          expr: 'max_over_time(ALERTS{alertname="OrderServiceEror", alertstate="firing"}[30m])',
        }),
      ],
      /^alert "OrderServiceErrorsLately" \(alerts\/orders\.ts\): expr is "OrderServiceEror"; no alert is named "OrderServiceEror", so ALERTS\{alertname="OrderServiceEror"\} never selects a series; did you mean "OrderServiceErrors"\? name an alert that exists$/,
    ],
    [
      'ALERTS_FOR_STATE of alerts of which one does not exist',
      [group(good, { ...good, alert: 'Held', severity: 'info', expr: 'ALERTS_FOR_STATE{alertname=~"OrderServiceErrors|Nope"} > 0' })],
      /^alert "Held" \(alerts\/orders\.ts\): expr is "Nope"; no alert is named "Nope", so ALERTS_FOR_STATE\{alertname="Nope"\} never selects a series; name an alert that exists$/,
    ],
    [
      'ALERTS in a state Prometheus never writes',
      [group(good, { ...good, alert: 'OrderServiceErrorsLately', severity: 'info', expr: 'ALERTS{alertname="OrderServiceErrors", alertstate="active"}' })],
      /^alert "OrderServiceErrorsLately" \(alerts\/orders\.ts\): expr is "active"; ALERTS carries alertstate "pending" or "firing" only; use one of them$/,
    ],
    [
      'a missing summary',
      [group({ ...good, summary: '' })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): summary is ""; write one line for the notification title$/,
    ],
    [
      'a missing description',
      [group({ ...good, description: undefined as never })],
      /^alert "OrderServiceErrors" \(alerts\/orders\.ts\): description is missing; say what is wrong/,
    ],
    [
      'a metric chosen by a name pattern',
      [group({ ...good, expr: '{__name__=~"http_.*"} > 1' })],
      /expr is .*; it selects metrics by a pattern \(__name__=~"http_\.\*"\), which the catalog cannot check; name each metric$/,
    ],
    ['a misspelt template variable', [group({ ...good, summary: '{{ $label.service }} fails' })], /summary is .*"\$label" is not a template variable/],
    [
      'a severity label set by hand',
      [group({ ...good, labels: { severity: 'critical' } })],
      /labels\.severity is "critical"; leave "severity" out: it is set from the rule itself$/,
    ],
    [
      'a lowercase alert name',
      [group({ ...good, alert: 'order_errors' })],
      /^alert "order_errors" \(alerts\/orders\.ts\): alert is "order_errors"; use an UpperCamelCase name/,
    ],
    [
      'a recording rule without the level:metric:operation form',
      [{ name: 'rec', source: 'alerts/rec.ts', rules: [{ record: 'errors', expr: 'rate(http_requests_total[5m])' }] }],
      /^recording rule "errors" \(alerts\/rec\.ts\): record is "errors"; use the "level:metric:operations" form/,
    ],
  ];

  it.each(cases)('%s', (_what, groups, message) => {
    expect(() => build(...groups)).toThrow(message);
  });

  it('accepts ALERTS of an alert of a later group, firing or pending', () => {
    const lately: RuleGroup = {
      name: 'lately',
      source: 'alerts/lately.ts',
      rules: [
        {
          ...good,
          alert: 'OrderServiceErrorsLately',
          severity: 'info',
          expr: 'max_over_time(ALERTS{alertname=~"OrderServiceErrors", alertstate=~"pending|firing"}[30m])',
        },
      ],
    };
    expect(() => build(lately, group(good))).not.toThrow();
  });

  it('accepts a metric produced by a recording rule of another group', () => {
    const rec: RuleGroup = {
      name: 'rec',
      source: 'alerts/rec.ts',
      rules: [{ record: 'service:errors:rate5m', expr: 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m]))' }],
    };
    expect(() => build(group({ ...good, expr: 'service:errors:rate5m > 1' }), rec)).not.toThrow();
  });

  it('renders severity, summary, description and an absolute runbook_url', () => {
    const [file] = build(group(good));
    expect(file.fileName).toBe('orders.yaml');
    expect(file.content).toEqual({
      groups: [
        {
          name: 'orders',
          rules: [
            {
              alert: 'OrderServiceErrors',
              expr: good.expr,
              for: '5m',
              labels: { severity: 'warning' },
              annotations: { summary: 'errors', description: 'errors happen', runbook_url: 'https://example.test/docs/runbooks/high-error-rates.md' },
            },
          ],
        },
      ],
    });
  });
});

describe('synth with a bad rule', () => {
  it('fails naming the alert and its file, and leaves dist/ as it was', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    fs.writeFileSync(path.join(dist, 'marker'), 'previous output');
    jest.isolateModules(() => {
      jest.doMock('../alerts/services', () => {
        const real = jest.requireActual('../alerts/services');
        const broken = { ...real.services, rules: real.services.rules.map((r: AlertRule) => (r.alert === 'HighErrorRate' ? { ...r, for: '5 minutes' } : r)) };
        return { ...real, services: broken, groups: [broken] };
      });
      const { synthesize } = require('../stacks/main');
      const { PROFILES } = require('../stacks/environments');
      expect(() => synthesize(dist, [PROFILES.local])).toThrow(
        /^alert "HighErrorRate" \(alerts\/services\.ts\): for is "5 minutes"; use a Prometheus duration/,
      );
    });
    expect(fs.readdirSync(dist)).toEqual(['marker']);
  });
});

describe('PromQL from the syntax tree', () => {
  it('finds metric names in selectors, ranges, subqueries and __name__ matchers, not in label values or functions', () => {
    const p = parsePromQL('sum by (job) (rate(a_total{x="b_total"}[5m])) / on (job) max_over_time(c[1h:5m]) and {__name__="d"} unless absent(e)');
    expect(p.errors).toEqual([]);
    expect(p.metrics.map((m) => m.name)).toEqual(['a_total', 'c', 'd', 'e']);
  });
  it('reads thresholds on either side of a comparison', () => {
    expect(parsePromQL('x > 0.05').thresholds).toEqual([{ operator: '>', value: '0.05' }]);
    expect(parsePromQL('0.8 < y').thresholds).toEqual([{ operator: '>', value: '0.8' }]);
  });
});

describe('the metrics catalog', () => {
  it('covers the _bucket, _sum and _count series of a histogram', () => {
    for (const s of ['http_request_duration_seconds_bucket', 'http_request_duration_seconds_sum', 'http_request_duration_seconds_count'])
      expect(METRICS.lookup(s)?.name).toBe('http_request_duration_seconds');
    expect(METRICS.has('http_request_duration_seconds')).toBe(false);
  });
  it('rejects a metric defined twice', () => {
    const m = { name: 'x_total', type: 'counter' as const, unit: '1', help: 'x', labels: [], source: 'a' };
    expect(() => new MetricsIndex([m, { ...m, source: 'b' }])).toThrow(
      /metric "x_total" \(b\): name is "x_total"; define each metric once; it is also defined for a/,
    );
  });
  it('states the trading contract with _total counters and base units', () => {
    for (const m of METRICS.all.filter((x) => x.name.startsWith('grekko_') || x.name.startsWith('http_request'))) {
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
      if (m.unit === 'seconds') expect(m.name).toMatch(/_seconds$/);
    }
  });
});
