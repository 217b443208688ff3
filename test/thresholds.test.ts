/**
 * Each threshold is one named value in alerts/thresholds.ts. These tests find literal copies of
 * them in the content (alerts, dashboards, the metrics catalog, the runbooks), and prove that a
 * changed value reaches every alert expression, annotation, SLO and panel that showed the old one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as THRESHOLDS from '../alerts/thresholds';
import { NamedThreshold, findCopiesInMarkdown, findCopiesInSource, formatCopy, namedThresholds } from '../lib/rules/threshold-copies';
import { millis, percent, seconds, tidy } from '../lib/core/units';

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

describe('the formatters', () => {
  it('write ratios and times as people read them, without floating-point noise', () => {
    expect([percent(0.05), percent(0.005), percent(0.999), percent(1 - 0.8), percent(0.0101)]).toEqual(['5%', '0.5%', '99.9%', '20%', '1.01%']);
    expect([millis(0.1), millis(0.05 * 0.8), millis(0.5), millis(0.051000000000000004)]).toEqual(['100 ms', '40 ms', '500 ms', '51 ms']);
    expect([seconds(1), seconds(5), seconds(30), seconds(300), seconds(26 * 3600), seconds(2 * 86400), seconds(0.5)]).toEqual([
      '1 second',
      '5 seconds',
      '30 seconds',
      '5 minutes',
      '26 hours',
      '2 days',
      '500 ms',
    ]);
    expect([tidy(0.05 * 0.8), tidy(1 - 0.999), tidy(0.1 * 3)]).toEqual([0.04, 0.001, 0.3]);
  });
});

describe('the thresholds module', () => {
  it('declares the unit of every value it exports, and exports every value it declares', () => {
    const values = Object.entries(THRESHOLDS)
      .filter(([, v]) => typeof v === 'number' || Array.isArray(v))
      .map(([k]) => k)
      .sort();
    expect(values).toEqual(Object.keys(THRESHOLDS.UNITS).sort());
  });

  it("holds the strategy's thresholds as the strategy states them", () => {
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
  const render = (text: string, md = false) =>
    (md ? findCopiesInMarkdown('x.md', text, named) : findCopiesInSource('x.ts', text, named)).map((c) => formatCopy(c, MODULE));

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

// --- A changed threshold reaches everything that showed it ----------------------------------

import * as ts from 'typescript';
import type { DashboardDefinition } from '../lib/dashboards';
import type { SLOSpec } from '../lib/rules/slo';
import type { AlertRule, RuleGroup } from '../lib/rules/types';

const THRESHOLDS_FILE = path.join(ROOT, 'alerts/thresholds.ts');

/**
 * alerts/thresholds.ts with one value rewritten in its source, so that every value derived from it
 * there (dashboard steps, the rate-limit headroom) follows, as it would after an edit.
 */
function thresholdsWith(name: string, value: number): Record<string, unknown> {
  const source = fs.readFileSync(THRESHOLDS_FILE, 'utf8');
  const declaration = new RegExp(`(export const ${name}(?:: \\w+)? = )[^;]+;`);
  if (!declaration.test(source)) throw new Error(`alerts/thresholds.ts declares no ${name}`);
  const js = ts.transpileModule(source.replace(declaration, `$1${value};`), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', js)((p: string) => require(path.resolve(ROOT, 'alerts', p)), module, module.exports);
  return module.exports;
}

interface Built {
  readonly alerts: ReadonlyMap<string, string>;
  readonly slos: readonly SLOSpec[];
  readonly panels: ReadonlyMap<string, readonly number[]>;
  readonly catalogHelp: ReadonlyMap<string, string>;
}

/** What people see of every alert (expression, summary, description), SLO and panel threshold, built from the given thresholds. */
function build(thresholds?: Record<string, unknown>): Built {
  let built: Built | undefined;
  jest.isolateModules(() => {
    if (thresholds) jest.doMock('../alerts/thresholds', () => thresholds);
    const { ALERT_GROUPS } = require('../alerts') as { ALERT_GROUPS: readonly RuleGroup[] };
    const { SLOS } = require('../alerts/slos') as { SLOS: readonly SLOSpec[] };
    const { DASHBOARDS } = require('../dashboards') as { DASHBOARDS: readonly DashboardDefinition[] };
    const { METRICS } = require('../metrics') as { METRICS: { all: ReadonlyArray<{ name: string; help: string }> } };
    const alerts = new Map<string, string>();
    for (const g of ALERT_GROUPS)
      for (const r of g.rules)
        if ('alert' in r) alerts.set((r as AlertRule).alert, [r.expr, (r as AlertRule).summary, (r as AlertRule).description].join('\n'));
    const panels = new Map<string, number[]>();
    for (const d of DASHBOARDS) {
      const walk = (ps: readonly any[]) => {
        for (const p of ps) {
          if (p.panels) walk(p.panels);
          const steps = p.fieldConfig?.defaults?.thresholds?.steps as Array<{ value: number | null }> | undefined;
          if (steps)
            panels.set(
              `${d.uid} / ${p.title}`,
              steps.map((s) => s.value).filter((v): v is number => v !== null),
            );
        }
      };
      walk(d.model.panels ?? []);
    }
    built = { alerts, slos: SLOS, panels, catalogHelp: new Map(METRICS.all.map((m) => [m.name, m.help])) };
  });
  return built!;
}

const BASELINE = build();

/** A rendering as a pattern that does not match inside a longer number: "5%" not in "15%", "> 0.8" not in "> 0.85". */
function shows(text: string, rendering: string): boolean {
  return new RegExp(`(?<![\\d.])${rendering.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d]|\\.\\d)`).test(text);
}

interface Scenario {
  readonly threshold: string;
  readonly to: number;
  /** What the alerts showed and must now show instead, by default for all of `alerts`. */
  readonly old: readonly string[];
  readonly new: readonly string[];
  /** Alerts that show the threshold, with their own renderings where they differ. */
  readonly alerts: ReadonlyArray<string | readonly [string, { readonly old: readonly string[]; readonly new: readonly string[] }]>;
  /** Further alerts that may change with it (generated SLO alerts whose description quotes the SLO). */
  readonly alsoChanging?: RegExp;
  /** Panels (`uid / title`) and the steps they must now have. */
  readonly panels: Readonly<Record<string, readonly number[]>>;
  /** SLOs, the field that must now hold the value, and optionally what their description must now say. */
  readonly slos?: Readonly<
    Record<string, { readonly field: 'objective' | 'thresholdSeconds' | 'boundSeconds'; readonly value: number; readonly says?: string }>
  >;
  /** What the generated SLO alerts of `alsoChanging` must now say. */
  readonly sloSays?: string;
  /** Catalog help texts that quote the threshold, and what they must now say. */
  readonly help?: Readonly<Record<string, string>>;
}

const SCENARIOS: readonly Scenario[] = [
  {
    threshold: 'ERROR_RATE',
    to: 0.03,
    old: ['> 0.05', '5%'],
    new: ['> 0.03', '3%'],
    alerts: [
      'HighErrorRate',
      'OrderFailureRateHigh',
      'MetaMaskTransactionFailures',
      'AgentEventProcessingErrors',
      'ThanosBucketOperationsFailing',
      'ThanosQueryStoreApiErrors',
    ],
    panels: {
      'grekko-operations / Share of requests failing (5xx) per service': [0.006, 0.03],
      'grekko-operations / Errors: share of requests failing (5xx)': [0.006, 0.03],
      'grekko-development / Errors: share of requests failing (5xx)': [0.006, 0.03],
      'grekko-trading / Coinbase API errors (5xx and 429)': [0.006, 0.03],
      'grekko-trading / On-chain transaction success': [0.97, 0.99],
      'platform-kafka / Event processing errors in the services': [0.006, 0.03],
      'thanos / Store API calls failing': [0.006, 0.03],
      'thanos / Store API calls failing on the called side': [0.006, 0.03],
      'thanos / Failing operations, by component': [0.006, 0.03],
    },
  },
  {
    threshold: 'LATENCY_P95',
    to: 0.2,
    old: ['> 0.1', '100 ms'],
    new: ['> 0.2', '200 ms'],
    alerts: ['HighLatencyP95'],
    alsoChanging: /^SLOApiLatencyErrorBudgetBurn/,
    panels: {
      'grekko-operations / p95 latency: this week against last week': [0.2, 0.5],
      'grekko-operations / Duration: p50 / p95 / p99 latency': [0.2, 0.5],
      'grekko-development / Duration: p50 / p95 / p99 latency': [0.2, 0.5],
      'grekko-development / Slowest routes (p95)': [0.2, 0.5],
    },
    slos: { 'api-latency': { field: 'thresholdSeconds', value: 0.2, says: 'P95 stays under 200 ms' } },
    sloSays: 'served within 200 ms',
    help: { http_request_duration_seconds: 'Buckets must include 0.05, 0.2 and 0.5 so that the 200 ms P95 objective can be measured.' },
  },
  {
    threshold: 'UTILISATION',
    to: 0.7,
    old: ['> 0.8', '80%'],
    new: ['> 0.7', '70%'],
    alerts: [
      'NodeCPUHigh',
      'NodeMemoryHigh',
      'NodeDiskSpaceHigh',
      'PersistentVolumeFillingUp',
      'KubeContainerMemoryNearLimit',
      'KubeContainerCPUNearLimit',
      'KubeClusterRequestsHigh',
      'KubeQuotaAlmostFull',
      'PostgresConnectionsNearLimit',
      'RedisMemoryHigh',
      'RedisConnectionsNearLimit',
      // Its description says what follows, not the number.
      ['JaegerExporterQueueNearFull', { old: ['> 0.8'], new: ['> 0.7'] }],
      // The headroom left is what utilisation leaves.
      ['CoinbaseRateLimitApproaching', { old: ['< 0.2', '80%'], new: ['< 0.3', '70%'] }],
    ],
    panels: {
      'platform-kubernetes / CPU utilisation': [0.7, 0.85],
      'platform-kubernetes / Memory utilisation': [0.7, 0.85],
      'platform-kubernetes / Disk used per filesystem': [0.7, 0.85],
      'platform-kubernetes / CPU requested against allocatable, per node': [0.7, 1],
      'platform-kubernetes / Memory requested against allocatable, per node': [0.7, 1],
      'platform-kubernetes / Resource quota used': [0.7, 0.925],
      'platform-kubernetes / Disk busy time': [0.7, 0.925],
      'platform-postgresql / Connections used': [0.7, 0.85],
      'platform-redis / Memory used of maxmemory': [0.7, 0.85],
      'platform-jaeger / Fullest exporter queue': [0.5, 0.7],
      'platform-jaeger / Exporter queue fill': [0.5, 0.7],
      'grekko-trading / Coinbase rate limit left': [0.15, 0.3],
    },
  },
  {
    threshold: 'ORDER_EXECUTION_MEAN',
    to: 0.04,
    old: ['> 0.05', '50 ms'],
    new: ['> 0.04', '40 ms'],
    alerts: ['OrderExecutionSlow'],
    alsoChanging: /^SLOOrderExecutionLatencyErrorBudgetBurn/,
    panels: {
      'grekko-trading / Execution latency': [0.032, 0.04],
      'grekko-executive / Mean order execution latency': [0.032, 0.04],
    },
    slos: { 'order-execution-latency': { field: 'boundSeconds', value: 0.04, says: 'averages under 40 ms' } },
    sloSays: 'stays under 40 ms',
    help: { grekko_order_execution_duration_seconds: 'Time from order submission to the venue acknowledging it. Buckets must include 0.025, 0.04 and 0.1.' },
  },
  {
    threshold: 'AVAILABILITY',
    to: 0.995,
    old: ['99.9%'],
    new: ['99.5%'],
    // Freshness and recovery keep the availability objective.
    alerts: [],
    alsoChanging: /^SLO(\w+Availability|MarketDataFreshness|ServiceRecovery)ErrorBudgetBurn/,
    panels: {},
    slos: {
      'order-service-availability': { field: 'objective', value: 99.5, says: 'is available 99.5% of the time' },
      'market-data-freshness': { field: 'objective', value: 99.5, says: 'in 99.5% of minutes' },
      'service-recovery': { field: 'objective', value: 99.5 },
    },
    sloSays: 'Objective 99.5%',
  },
  {
    threshold: 'MARKET_DATA_FRESHNESS',
    to: 2,
    old: ['under 1 second'],
    new: ['under 2 seconds'],
    alerts: ['MarketDataStale'],
    alsoChanging: /^SLOMarketDataFreshnessErrorBudgetBurn/,
    panels: { 'grekko-trading / Stalest feed age': [1, 2], 'grekko-trading / Feed age per symbol': [1, 2] },
    slos: { 'market-data-freshness': { field: 'boundSeconds', value: 2, says: 'fresher than 2 seconds' } },
    sloSays: 'fresher than 2 seconds',
  },
  {
    threshold: 'RECOVERY_TIME',
    to: 600,
    old: ['5 minutes'],
    new: ['10 minutes'],
    alerts: [],
    alsoChanging: /^SLOServiceRecoveryErrorBudgetBurn/,
    panels: {},
    slos: { 'service-recovery': { field: 'boundSeconds', value: 600, says: 'back within 10 minutes' } },
    sloSays: 'back within 10 minutes',
  },
  {
    threshold: 'RISK_LIMIT_WARNING',
    to: 0.85,
    old: ['>= 0.9', '90%'],
    new: ['>= 0.85', '85%'],
    alerts: ['RiskLimitNearlyReached'],
    panels: { 'grekko-trading / Risk limit use': [0.85, 1], 'grekko-executive / Most used risk limit': [0.85, 1] },
  },
  {
    threshold: 'SLIPPAGE',
    to: 0.01,
    old: ['> 0.005', '0.5%', '50 bps'],
    new: ['> 0.01', '1%', '100 bps'],
    alerts: ['OrderSlippageHigh'],
    panels: { 'grekko-executive / Mean slippage, last 24 h': [0.004, 0.01] },
  },
  {
    threshold: 'KAFKA_CONSUMER_LAG',
    to: 500,
    old: ['> 1000', 'more than 1000'],
    new: ['> 500', 'more than 500'],
    alerts: ['KafkaConsumerLagHigh'],
    panels: { 'platform-kafka / Total consumer lag': [500, 5000], 'platform-kafka / Consumer lag per group and topic': [500, 5000] },
  },
  {
    threshold: 'ELASTICSEARCH_DISK_LOW_WATERMARK',
    to: 0.8,
    old: ['> 0.85', 'the 85% low watermark'],
    new: ['> 0.8', 'the 80% low watermark'],
    alerts: ['ElasticsearchDiskAboveLowWatermark'],
    panels: { 'platform-logging / Disk used on data paths': [0.8, 0.9] },
  },
];

describe('a changed threshold', () => {
  describe.each(SCENARIOS.map((s) => [`${s.threshold} moved to ${s.to}`, s] as const))('%s', (_, s) => {
    const mutated = build(thresholdsWith(s.threshold, s.to));
    const expected = s.alerts.map((a) => (typeof a === 'string' ? ([a, { old: s.old, new: s.new }] as const) : a));

    it('shows the new value in every alert expression and annotation that showed the old one, and the old one nowhere there', () => {
      for (const [alert, r] of expected) {
        const before = BASELINE.alerts.get(alert)!;
        const after = mutated.alerts.get(alert)!;
        expect([alert, r.old.filter((o) => !shows(before, o))]).toEqual([alert, []]);
        expect([alert, r.old.filter((o) => shows(after, o)), r.new.filter((n) => !shows(after, n))]).toEqual([alert, [], []]);
      }
    });

    it('changes no other alert', () => {
      const changed = [...BASELINE.alerts].filter(([name, text]) => mutated.alerts.get(name) !== text).map(([name]) => name);
      const others = changed.filter((name) => !expected.some(([a]) => a === name) && !(s.alsoChanging?.test(name) ?? false));
      expect(others).toEqual([]);
      if (s.alsoChanging) {
        const generated = changed.filter((name) => s.alsoChanging!.test(name));
        expect(generated.length).toBeGreaterThan(0);
        for (const name of generated) expect([name, shows(mutated.alerts.get(name)!, s.sloSays!)]).toEqual([name, true]);
      }
    });

    it('colours every panel that drew the old value at the new one, and changes no other panel', () => {
      for (const [panel, steps] of Object.entries(s.panels)) expect([panel, mutated.panels.get(panel)]).toEqual([panel, steps]);
      const changed = [...BASELINE.panels].filter(([k, v]) => JSON.stringify(mutated.panels.get(k)) !== JSON.stringify(v)).map(([k]) => k);
      expect(changed.sort()).toEqual(Object.keys(s.panels).sort());
    });

    it('puts the new value into the SLOs and catalog help texts that read it', () => {
      for (const [name, want] of Object.entries(s.slos ?? {})) {
        const slo = mutated.slos.find((x) => x.name === name)!;
        const got = want.field === 'objective' ? slo.objective : (slo.sli as unknown as Record<string, number>)[want.field];
        expect([name, want.field, got]).toEqual([name, want.field, want.value]);
        if (want.says) expect([name, slo.description.includes(want.says)]).toEqual([name, true]);
      }
      for (const [metric, help] of Object.entries(s.help ?? {})) expect(mutated.catalogHelp.get(metric)).toContain(help);
    });
  });
});
