/**
 * Unit tests for rules as typed data, rendered into promtool test files and run with
 * `promtool test rules`. A test gives input series in promtool's notation and says, at given
 * times, which alerts fire with which labels (or that none does). The harness adds what follows
 * from the rule itself: its static labels, `severity`, and the annotations rendered from its
 * templates, so a test reads like the behaviour it proves.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { RuleFile } from './types';
import { ConfigError } from '../core/errors';
import { MetricsIndex } from '../metrics/catalog';
import { isDuration } from '../core/units';
import { metricNames, seriesMetricName } from './promql';
import { RuleRenderOptions, alertAnnotations, alertLabels, ruleFileName } from './render';
import { renderAlertTemplate } from './template';
import { AlertRule, RuleGroup, isAlert } from './types';
import { BUILTIN_SERIES, recordedNames } from './validate';

/** How long one `promtool test rules` run may take before it is stopped and reported. */
const PROMTOOL_TIMEOUT_MS = 300_000;

export interface ExpectedAlert {
  /** Labels the alert carries from its expression (`service`, `namespace`...); the rule's own labels and `severity` are added. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** The expression's value, needed when an annotation shows `$value`. */
  readonly value?: number;
  /** The annotations exactly, when the harness cannot render the templates. @default - rendered from the rule */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface AlertExpectation {
  /** Evaluation time from the start of the series (`10m`). */
  readonly at: string;
  readonly alert: string;
  /** The alerts firing at that time; `[]` means the alert stays quiet. */
  readonly fires: readonly ExpectedAlert[];
}

export interface QueryExpectation {
  readonly at: string;
  readonly expr: string;
  /** Expected samples: a series selector with all labels (`{service="orders"}`) and its value. */
  readonly samples: ReadonlyArray<{ readonly labels: string; readonly value: number }>;
}

export interface RuleTest {
  /** What the case proves: "a 4.9% error rate stays quiet". */
  readonly name: string;
  /** Step between input samples. @default '1m' */
  readonly interval?: string;
  /** Input series: selector → values in promtool's expanding notation (`0+51x30`, `1 1 _ stale`). */
  readonly series: Readonly<Record<string, string>>;
  readonly alerts?: readonly AlertExpectation[];
  readonly queries?: readonly QueryExpectation[];
}

/** The tests of one source file's rules (`alerts/trading.tests.ts` for `alerts/trading.ts`). */
export interface RuleTestSuite {
  /** The rules' source file. */
  readonly source: string;
  readonly tests: readonly RuleTest[];
  /**
   * How often promtool evaluates every group in these tests (promtool's file-wide
   * `evaluation_interval`; it ignores a group's own interval). @default '1m', or the runner's
   */
  readonly evaluationInterval?: string;
}

/** A series selector for test input from a metric and its labels: `up{job="fluentd", node="node-a"}`. */
export function selector(metric: string, labels: Readonly<Record<string, string>>): string {
  return `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(', ')}}`;
}

/** For each alert, how many cases show it firing and how many show it quiet. */
export interface AlertCoverage {
  readonly alert: string;
  readonly source: string;
  readonly firing: number;
  readonly quiet: number;
}

export function alertsOf(groups: readonly RuleGroup[]): Array<{ rule: AlertRule; group: RuleGroup }> {
  return groups.flatMap((g) => g.rules.filter(isAlert).map((rule) => ({ rule, group: g })));
}

export function coverage(groups: readonly RuleGroup[], suites: readonly RuleTestSuite[]): AlertCoverage[] {
  const counts = new Map<string, { firing: number; quiet: number }>();
  for (const s of suites) {
    for (const t of s.tests) {
      for (const a of t.alerts ?? []) {
        const c = counts.get(a.alert) ?? { firing: 0, quiet: 0 };
        if (a.fires.length > 0) c.firing++;
        else c.quiet++;
        counts.set(a.alert, c);
      }
    }
  }
  return alertsOf(groups).map(({ rule, group }) => ({ alert: rule.alert, source: group.source, ...(counts.get(rule.alert) ?? { firing: 0, quiet: 0 }) }));
}

/** Checks the tests against the rules and the catalog: known alerts, durations, series metrics that exist. */
export function validateRuleTests(groups: readonly RuleGroup[], suites: readonly RuleTestSuite[], catalog: MetricsIndex): void {
  const alerts = new Map(alertsOf(groups).map((a) => [a.rule.alert, a]));
  const recorded = recordedNames(groups);
  for (const s of suites) {
    for (const t of s.tests) {
      const where = `rule test "${t.name}" (${s.source})`;
      if (t.interval !== undefined && !isDuration(t.interval)) throw new ConfigError(where, 'interval', t.interval, 'use a Prometheus duration such as "1m"');
      for (const series of Object.keys(t.series)) {
        const name = seriesMetricName(series);
        if (name === undefined) throw new ConfigError(where, 'series', series, 'write one series selector, such as \'http_requests_total{code="500"}\'');
        if (!catalog.has(name) && !recorded.has(name) && !BUILTIN_SERIES.includes(name)) {
          throw new ConfigError(where, 'series', series, `metric "${name}" is not in the metrics catalog; use the name the exporter or service exposes`);
        }
      }
      for (const a of t.alerts ?? []) {
        if (!alerts.has(a.alert)) throw new ConfigError(where, 'alerts.alert', a.alert, 'name an alert that exists');
        if (!isDuration(a.at)) throw new ConfigError(where, 'alerts.at', a.at, 'use a Prometheus duration such as "10m"');
      }
      for (const q of t.queries ?? []) if (!isDuration(q.at)) throw new ConfigError(where, 'queries.at', q.at, 'use a Prometheus duration such as "10m"');
    }
  }
}

/** The promtool test file of one suite; `ruleFileNames` are the rule files it loads (paths relative to the test file). */
export function renderPromtoolTests(
  groups: readonly RuleGroup[],
  suite: RuleTestSuite,
  ruleFileNames: readonly string[],
  opts: RuleRenderOptions & { readonly evaluationInterval?: string; readonly groupEvalOrder?: readonly string[] },
): Record<string, unknown> {
  const alerts = new Map(alertsOf(groups).map((a) => [a.rule.alert, a.rule]));
  return {
    rule_files: [...ruleFileNames],
    evaluation_interval: suite.evaluationInterval ?? opts.evaluationInterval ?? '1m',
    ...(opts.groupEvalOrder ? { group_eval_order: [...opts.groupEvalOrder] } : {}),
    tests: suite.tests.map((t) => {
      const out: Record<string, unknown> = {
        name: t.name,
        interval: t.interval ?? '1m',
        input_series: Object.entries(t.series).map(([series, values]) => ({ series, values })),
      };
      if (t.alerts?.length) {
        out.alert_rule_test = t.alerts.map((a) => {
          const rule = alerts.get(a.alert);
          if (!rule) throw new ConfigError(`rule test "${t.name}" (${suite.source})`, 'alerts.alert', a.alert, 'name an alert that exists');
          return {
            eval_time: a.at,
            alertname: a.alert,
            exp_alerts: a.fires.map((f) => {
              const labels = { ...alertLabels(rule), ...(f.labels ?? {}) };
              return { exp_labels: labels, exp_annotations: f.annotations ? { ...f.annotations } : expectedAnnotations(rule, labels, f.value, opts) };
            }),
          };
        });
      }
      if (t.queries?.length) {
        out.promql_expr_test = t.queries.map((q) => ({
          expr: q.expr,
          eval_time: q.at,
          exp_samples: q.samples.map((s) => ({ labels: s.labels, value: s.value })),
        }));
      }
      return out;
    }),
  };
}

function expectedAnnotations(rule: AlertRule, labels: Record<string, string>, value: number | undefined, opts: RuleRenderOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(alertAnnotations(rule, opts))) out[k] = renderAlertTemplate(v, labels, value);
  return out;
}

export interface PromtoolRun {
  /** The rules' source file of the suite. */
  readonly source: string;
  readonly status: number;
  readonly output: string;
  /** The folder holding the rule and test files; kept only when a run failed. */
  readonly dir: string;
}

/** The rule files a suite needs: its own, and those recording series its rules read. */
export function ruleFilesFor(source: string, groups: readonly RuleGroup[]): string[] {
  const recordedBy = new Map<string, string>();
  for (const g of groups) for (const r of g.rules) if (!isAlert(r)) recordedBy.set(r.record, g.source);
  const needed = new Set<string>([source]);
  const queue = [source];
  while (queue.length) {
    const src = queue.pop()!;
    for (const g of groups.filter((x) => x.source === src)) {
      for (const r of g.rules) {
        for (const m of metricNames(r.expr)) {
          const from = recordedBy.get(m);
          if (from && !needed.has(from)) {
            needed.add(from);
            queue.push(from);
          }
        }
      }
    }
  }
  return [...needed].map(ruleFileName);
}

/**
 * The two orders a Prometheus may evaluate rule groups in, relative to each other. Each group runs
 * on its own timer, offset within its interval by a hash of the group (rules/group.go
 * `EvalTimestamp` at v3.5.0, rules/manager.go at v2.42.0), so a group that reads a series another
 * group records sees that record from the same evaluation round or from the one before, depending
 * on the groups' offsets. promtool evaluates the groups of a test file one after another in each
 * round, in `group_eval_order`; without it, in an order that changes from run to run (Go map
 * order, `orderedGroups` in cmd/promtool/unittest.go at v2.42.0 and v3.5.0). A rule test holds only
 * if it holds both ways:
 *
 * - `records first`: every group after the groups whose records it reads, so each record is fresh;
 * - `readers first`: every group before them, so each record read is one round old, at every step
 *   of a chain of groups.
 */
export const GROUP_ORDERS = ['records first', 'readers first'] as const;
export type GroupOrder = (typeof GROUP_ORDERS)[number];

/**
 * The names of `groups` in `order`: groups that record series come before (records first) or after
 * (readers first) the groups reading them, and otherwise keep their given order.
 */
export function groupEvalOrder(groups: readonly RuleGroup[], order: GroupOrder): string[] {
  const recordedBy = new Map<string, string>();
  for (const g of groups) for (const r of g.rules) if (!isAlert(r)) recordedBy.set(r.record, g.name);
  const reads = new Map<string, Set<string>>(
    groups.map((g) => [
      g.name,
      new Set(
        g.rules
          .flatMap((r) => metricNames(r.expr))
          .map((m) => recordedBy.get(m))
          .filter((n): n is string => n !== undefined && n !== g.name),
      ),
    ]),
  );
  const placed: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const place = (name: string): void => {
    if (done.has(name) || visiting.has(name)) return; // a cycle keeps the given order
    visiting.add(name);
    for (const dep of reads.get(name) ?? []) place(dep);
    visiting.delete(name);
    done.add(name);
    placed.push(name);
  };
  for (const g of groups) place(g.name);
  return order === 'records first' ? placed : placed.reverse();
}

/** The result of `promtool test rules <file>` run in `dir`. */
export function promtoolTestRules(promtool: string, dir: string, file: string): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      promtool,
      ['test', 'rules', file],
      // The SLO suite evaluates days of series at 15 s steps: about 80 s on an idle 2-core machine.
      { cwd: dir, encoding: 'utf8', timeout: PROMTOOL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        const killed = err && 'killed' in err && err.killed ? `\npromtool was stopped after ${PROMTOOL_TIMEOUT_MS / 1000} s` : '';
        resolve({ status, output: `${stdout ?? ''}${stderr ?? ''}${killed}` });
      },
    );
  });
}

/** One `promtool test rules` run of a test file under one of the GROUP_ORDERS. */
export interface OrderedRun {
  readonly order: GroupOrder;
  readonly status: number;
  readonly output: string;
}

/**
 * Writes the test file `render` gives for each of the GROUP_ORDERS of `groups` (the groups its rule
 * files load) into `dir`, as `<name>.<order>.test.yaml`, and runs `promtool test rules` on each,
 * at once.
 */
export function runInEveryGroupOrder(
  promtool: string,
  dir: string,
  name: string,
  groups: readonly RuleGroup[],
  render: (groupEvalOrder: string[]) => Record<string, unknown>,
): Promise<OrderedRun[]> {
  return Promise.all(
    GROUP_ORDERS.map((order) => {
      const file = `${name}.${order.replace(/ /g, '-')}.test.yaml`;
      fs.writeFileSync(path.join(dir, file), stringify(render(groupEvalOrder(groups, order)), { lineWidth: 0 }));
      return promtoolTestRules(promtool, dir, file).then((r) => ({ ...r, order }));
    }),
  );
}

/**
 * Writes the rule files and, per suite, one test file for each of the GROUP_ORDERS into a scratch
 * folder, and runs `promtool test rules` on each test file, all at once. Each test file loads the
 * rule file of its suite and those whose recording rules it reads. A suite passes when both orders
 * pass; its output names the order of each run.
 */
export async function runPromtoolTests(
  promtool: string,
  ruleFiles: readonly RuleFile[],
  groups: readonly RuleGroup[],
  suites: readonly RuleTestSuite[],
  opts: RuleRenderOptions,
): Promise<PromtoolRun[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-tests-'));
  for (const f of ruleFiles) fs.writeFileSync(path.join(dir, f.fileName), typeof f.content === 'string' ? f.content : stringify(f.content, { lineWidth: 0 }));
  const runs = await Promise.all(
    suites.map(async (s) => {
      const files = ruleFilesFor(s.source, groups);
      const loaded = groups.filter((g) => files.includes(ruleFileName(g.source)));
      const name = path.basename(s.source).replace(/\.[jt]s$/, '');
      const results = await runInEveryGroupOrder(promtool, dir, name, loaded, (groupEvalOrder) =>
        renderPromtoolTests(groups, s, files, { ...opts, groupEvalOrder }),
      );
      const failed = results.find((r) => r.status !== 0);
      return {
        source: s.source,
        status: failed ? failed.status : 0,
        output: results.map((r) => `groups evaluated ${r.order} (${r.status === 0 ? 'passed' : 'FAILED'}):\n${r.output}`).join('\n'),
        dir,
      } satisfies PromtoolRun;
    }),
  );
  // Keep the files of a failed run for inspection; drop them otherwise.
  if (runs.every((r) => r.status === 0)) fs.rmSync(dir, { recursive: true, force: true });
  return runs;
}
