/**
 * Each threshold is one named value in alerts/thresholds.ts. These tests find literal copies of
 * them in the content (alerts, dashboards, the metrics catalog, the runbooks), and prove that a
 * changed value reaches every alert expression, annotation, SLO and panel that showed the old one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as THRESHOLDS from '../alerts/thresholds';
import { NamedThreshold, findCopiesInMarkdown, findCopiesInSource, formatCopy, namedThresholds } from '../lib/rules/threshold-copies';
import { millis, percent, seconds } from '../lib/units';

const ROOT = path.resolve(__dirname, '..');
const MODULE = 'alerts/thresholds.ts';
const NAMED = namedThresholds(THRESHOLDS, THRESHOLDS.UNITS);

function files(dir: string, keep: (f: string) => boolean): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .filter(keep)
    .sort()
    .map((f) => `${dir}/${f}`);
}

const SOURCES = [
  ...files('alerts', (f) => f.endsWith('.ts') && !f.endsWith('.tests.ts') && f !== 'thresholds.ts'),
  ...files('dashboards', (f) => f.endsWith('.ts')),
  ...files('metrics', (f) => f.endsWith('.ts')),
];
const RUNBOOKS = files('docs/runbooks', (f) => f.endsWith('.md'));
/** Help texts in the catalog are arguments, not `description:` properties: read those that speak of a threshold. */
const CATALOG_PROSE = /objective|threshold|alert|warn|SLO/i;

function copiesIn(file: string) {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  if (file.endsWith('.md')) return findCopiesInMarkdown(file, text, NAMED);
  return findCopiesInSource(file, text, NAMED, file.startsWith('metrics/') ? { proseMatching: CATALOG_PROSE } : {});
}

describe('the thresholds module', () => {
  it('declares the unit of every value it exports, and exports every value it declares', () => {
    const values = Object.entries(THRESHOLDS).filter(([, v]) => typeof v === 'number' || Array.isArray(v)).map(([k]) => k).sort();
    expect(values).toEqual(Object.keys(THRESHOLDS.UNITS).sort());
  });

  it('holds the strategy\'s thresholds as the strategy states them', () => {
    // /work/shared/monitoring-strategy.md, "Warning Alerts" and "Service Level Objectives".
    expect(percent(THRESHOLDS.ERROR_RATE)).toBe('5%');
    expect(millis(THRESHOLDS.LATENCY_P95)).toBe('100 ms');
    expect(percent(THRESHOLDS.UTILISATION)).toBe('80%');
    expect(millis(THRESHOLDS.ORDER_EXECUTION_MEAN)).toBe('50 ms');
    expect(percent(THRESHOLDS.AVAILABILITY)).toBe('99.9%');
    expect(seconds(THRESHOLDS.MARKET_DATA_FRESHNESS)).toBe('1 second');
    expect(seconds(THRESHOLDS.RECOVERY_TIME)).toBe('5 minutes');
  });

  it('orders every pair of dashboard steps as warning, then critical', () => {
    for (const [name, unit] of Object.entries(THRESHOLDS.UNITS)) {
      const v = (THRESHOLDS as Record<string, unknown>)[name];
      if (!Array.isArray(v)) continue;
      expect([name, unit, v.length]).toEqual([name, unit, 2]);
    }
  });
});

describe('the copy check', () => {
  const named: NamedThreshold[] = [
    { name: 'ERROR_RATE', value: 0.05, unit: 'ratio' },
    { name: 'LATENCY_P95', value: 0.1, unit: 'seconds' },
    { name: 'UTILISATION', value: 0.8, unit: 'ratio' },
    { name: 'BACKUP_MAX_AGE', value: 93600, unit: 'seconds' },
    { name: 'KAFKA_CONSUMER_LAG', value: 1000, unit: 'count' },
    { name: 'AVAILABILITY', value: 0.999, unit: 'objective' },
  ];
  const render = (text: string, md = false) => (md ? findCopiesInMarkdown('x.md', text, named) : findCopiesInSource('x.ts', text, named)).map((c) => formatCopy(c, MODULE));

  it('reports PromQL comparisons, colour steps, SLO bounds and phrases that copy a threshold, with file, line and name', () => {
    const source = [
      "expr: 'service:http_request_errors:ratio_rate5m > 0.05',",
      "description: 'More than 5% of the requests have failed.',",
      "timeSeries({ w: 8, h: 8, title: 'Latency', unit: 's', thresholds: warnAt(0.1, 0.25) }),",
      "statPanel({ w: 6, h: 4, title: 'Used', unit: 'percentunit', thresholds: warnAt(0.8, 0.9) }),",
      "expr: 'age > 26 * 3600', summary: 'p95 above 100ms',",
      "sli: { kind: 'latency', thresholdSeconds: 0.1 }, objective: 99.9,",
      "description: 'more than 1000 messages behind, 26 hours old',",
    ].join('\n');
    expect(render(source)).toEqual([
      'x.ts:1: "> 0.05" copies ERROR_RATE; use the name from alerts/thresholds.ts',
      'x.ts:2: "5%" copies ERROR_RATE; use the name from alerts/thresholds.ts',
      'x.ts:3: "warnAt(0.1, 0.25)" copies LATENCY_P95; use the name from alerts/thresholds.ts',
      'x.ts:4: "warnAt(0.8, 0.9)" copies UTILISATION; use the name from alerts/thresholds.ts',
      'x.ts:5: "> 26 * 3600" copies BACKUP_MAX_AGE; use the name from alerts/thresholds.ts',
      'x.ts:5: "100ms" copies LATENCY_P95; use the name from alerts/thresholds.ts',
      'x.ts:6: "thresholdSeconds: 0.1" copies LATENCY_P95; use the name from alerts/thresholds.ts',
      'x.ts:6: "objective: 99.9" copies AVAILABILITY; use the name from alerts/thresholds.ts',
      'x.ts:7: "more than 1000" copies KAFKA_CONSUMER_LAG; use the name from alerts/thresholds.ts',
      'x.ts:7: "26 hours" copies BACKUP_MAX_AGE; use the name from alerts/thresholds.ts',
    ]);
    expect(render('Slow responses: P95 above 100 ms, more than 5 % failing, 99.9% available.', true)).toEqual([
      'x.md:1: "100 ms" copies LATENCY_P95; use the name from alerts/thresholds.ts',
      'x.md:1: "5 %" copies ERROR_RATE; use the name from alerts/thresholds.ts',
      'x.md:1: "99.9%" copies AVAILABILITY; use the name from alerts/thresholds.ts',
    ]);
  });

  it('tells a threshold from the same number in another unit, another place or another number', () => {
    const source = [
      // 0.1 of a ratio panel is not the 0.1 s latency; 0.5% is not 5%; 15% is not 5%.
      "statPanel({ w: 6, h: 4, title: 'Throttled', unit: 'percentunit', thresholds: warnAt(0.1, 0.5) }),",
      "description: 'slippage above 0.5%, or 15% of the budget; 99.9 ms; count(x > 0) == 1',",
      // Titles and queries' function arguments are no threshold context.
      "timeSeries({ title: 'Depth within 5% of mid', queries: [q('histogram_quantile(0.05, x)')] }),",
      "expr: 'kafka_brokers < 1 or x == 0',",
    ].join('\n');
    expect(render(source)).toEqual([]);
  });
});

describe('content', () => {
  it.each([...SOURCES, ...RUNBOOKS])('%s writes no threshold as a literal', (file) => {
    expect(copiesIn(file).map((c) => formatCopy(c, MODULE))).toEqual([]);
  });
});
