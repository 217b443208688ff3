/**
 * Checks rule groups before anything is rendered: PromQL syntax, durations, unique names, the
 * annotations every alert needs, runbooks (and their anchors) that exist, metrics that are in the
 * catalog or recorded by a rule, and labels that the series of each expression carry: matchers,
 * grouping and matching lists, and `$labels` in alert templates (lib/rules/labels/). The first
 * problem throws a ConfigError naming the alert, its source file, the field, the bad value and
 * the fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../core/errors';
import { MetricsIndex } from '../metrics/catalog';
import { closest as closestNames, editDistance } from '../core/names';
import { LABEL_NAME } from '../core/syntax';
import { isDuration } from '../core/units';
import { LabelProblem, alertTemplateLabels, describeLabelProblem, templateProblems } from './labels/problems';
import { LabelSet } from './labels/sets';
import { inferLabels } from './labels/inference';
import { seriesLabelsOf } from './labels/series';
import { markdownAnchors } from './markdown-anchors';
import { LABEL_NAME_BODY, parsePromQL, selectorMatchers, syntaxTree, walk } from './promql';
import { AlertRule, RecordingRule, RuleGroup, Severity, isAlert } from './types';

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** Series Prometheus itself produces from rules, which no exporter exposes. */
export const BUILTIN_SERIES: readonly string[] = ['ALERTS', 'ALERTS_FOR_STATE'];

/**
 * What is wrong with the selectors of ALERTS and ALERTS_FOR_STATE in an expression. One that names
 * alerts (`alertname="X"`, or `=~"X|Y"` of plain names) selects series only of alerts that exist,
 * and ALERTS only in the states Prometheus writes a sample for (`pending`, `firing`: an inactive
 * alert writes none, `AlertingRule.Eval` in rules/alerting.go at v2.42.0 and v3.5.0). A misspelt
 * name or state never selects anything, so what reads it never fires or shows nothing. Alert names
 * are not checked when `alertNames` is undefined.
 */
export function alertSelectorProblems(expr: string, alertNames: ReadonlySet<string> | undefined): Array<{ label: string; value: string; fix: string }> {
  const out: Array<{ label: string; value: string; fix: string }> = [];
  walk(syntaxTree(expr), (n) => {
    if (n.type.name !== 'VectorSelector') return;
    const { metric, matchers } = selectorMatchers(expr, n);
    if (!BUILTIN_SERIES.includes(metric)) return;
    for (const m of matchers) {
      const plain = /^[A-Za-z0-9_]+(\|[A-Za-z0-9_]+)*$/.test(m.value ?? '');
      const values = m.op === 'EqlSingle' ? [m.value ?? ''] : m.op === 'EqlRegex' && plain ? m.value!.split('|') : [];
      for (const v of values) {
        if (m.name === 'alertname' && alertNames && !alertNames.has(v)) {
          const hint = closestNames(v, [...alertNames])[0];
          out.push({
            label: m.name,
            value: v,
            fix: `no alert is named "${v}", so ${metric}{alertname="${v}"} never selects a series; ${hint ? `did you mean "${hint}"? ` : ''}name an alert that exists`,
          });
        }
        if (m.name === 'alertstate' && metric === 'ALERTS' && !ALERT_STATES.includes(v)) {
          out.push({ label: m.name, value: v, fix: `ALERTS carries alertstate "pending" or "firing" only; use one of them` });
        }
      }
    }
  });
  return out;
}

/** The values of ALERTS' `alertstate` label (rules/alerting.go, `AlertState.String` and `Eval`, at v2.42.0 and v3.5.0). */
const ALERT_STATES: readonly string[] = ['pending', 'firing'];

export interface RuleValidationOptions {
  /** The metrics every expression may name. */
  readonly catalog: MetricsIndex;
  /** The folder runbook paths are relative to (the repository root). */
  readonly repositoryRoot: string;
  /** Where runbooks must live, relative to the root. @default 'docs/runbooks/' */
  readonly runbookDir?: string;
  /** Whether `dashboard` may be used: dashboard links need a Grafana URL. @default false */
  readonly dashboardLinks?: boolean;
  /** The uids of the dashboards Grafana provisions; an alert's `dashboard` must be one. @default - any uid */
  readonly dashboardUids?: ReadonlySet<string>;
  /** Labels scrape jobs attach to every series. @default DEFAULT_TARGET_LABELS of lib/rules/labels/series.ts */
  readonly targetLabels?: readonly string[];
  /** Catalog sources whose series may carry labels no list names. @default DEFAULT_OPEN_SOURCES of lib/rules/labels/series.ts */
  readonly openSources?: readonly string[];
}

const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;
const GROUP_NAME = /^[a-z0-9][-a-z0-9.]*$/;
/** `level:metric:operations`: a label name, then one or more colon-separated parts that may start with a digit. */
const RECORD_NAME = new RegExp(`^${LABEL_NAME_BODY}(:[a-zA-Z0-9_]+)+$`);
const RESERVED_LABELS = new Set(['alertname', 'severity', '__name__']);
const DURATION_FIX = 'use a Prometheus duration such as "30s", "5m" or "1h30m" (units ms, s, m, h, d, w, y)';

/** Where a rule lives, for messages: `alert "HighErrorRate" (alerts/trading.ts)`. */
export function ruleLocation(rule: AlertRule | RecordingRule, group: RuleGroup): string {
  return isAlert(rule) ? `alert "${rule.alert}" (${group.source})` : `recording rule "${rule.record}" (${group.source})`;
}

/** The metric names the groups record. */
export function recordedNames(groups: readonly RuleGroup[]): Set<string> {
  const out = new Set<string>();
  for (const g of groups) for (const r of g.rules) if (!isAlert(r)) out.add(r.record);
  return out;
}

/** Groups found sound, by catalog and options: synth checks the same content for every environment. */
const SOUND = new WeakMap<readonly RuleGroup[], WeakMap<MetricsIndex, Set<string>>>();

function optionsKey(opts: RuleValidationOptions): string {
  return JSON.stringify([
    opts.repositoryRoot,
    opts.runbookDir,
    opts.dashboardLinks ?? false,
    opts.dashboardUids ? [...opts.dashboardUids].sort() : null,
    opts.targetLabels,
    opts.openSources,
  ]);
}

/** Throws a ConfigError on the first problem in the groups; returns quietly when they are sound. */
export function validateRuleGroups(groups: readonly RuleGroup[], opts: RuleValidationOptions): void {
  let byCatalog = SOUND.get(groups);
  if (!byCatalog) SOUND.set(groups, (byCatalog = new WeakMap()));
  let sound = byCatalog.get(opts.catalog);
  if (!sound) byCatalog.set(opts.catalog, (sound = new Set()));
  const key = optionsKey(opts);
  if (sound.has(key)) return;
  checkRuleGroups(groups, opts);
  sound.add(key);
}

function checkRuleGroups(groups: readonly RuleGroup[], opts: RuleValidationOptions): void {
  const anchorsOf = new Map<string, string[]>();
  const runbookDir = opts.runbookDir ?? 'docs/runbooks/';
  const groupNames = new Map<string, RuleGroup>();
  const alertNames = new Map<string, RuleGroup>();
  const recorded = recordedNames(groups);
  const seriesLabels = seriesLabelsOf(opts.catalog.all, groups, {
    ...(opts.targetLabels ? { targetLabels: opts.targetLabels } : {}),
    ...(opts.openSources ? { openSources: opts.openSources } : {}),
    builtinSeries: BUILTIN_SERIES,
  });

  for (const g of groups) {
    const where = `rule group "${g.name}" (${g.source ?? 'unknown file'})`;
    if (typeof g.source !== 'string' || g.source === '')
      throw new ConfigError(where, 'source', g.source, 'name the file that defines the group, such as "alerts/trading.ts"');
    if (!GROUP_NAME.test(g.name ?? '')) throw new ConfigError(where, 'name', g.name, 'use lowercase letters, digits, "-" and "."');
    const prev = groupNames.get(g.name);
    if (prev) throw new ConfigError(where, 'name', g.name, `give every group a distinct name; ${prev.source} already defines it`);
    groupNames.set(g.name, g);
    if (g.interval !== undefined && !isDuration(g.interval)) throw new ConfigError(where, 'interval', g.interval, DURATION_FIX);
    if (!Array.isArray(g.rules) || g.rules.length === 0) throw new ConfigError(where, 'rules', g.rules, 'give the group at least one rule');

    for (const r of g.rules) {
      if (isAlert(r)) {
        const at = ruleLocation(r, g);
        if (!ALERT_NAME.test(r.alert)) throw new ConfigError(at, 'alert', r.alert, 'use an UpperCamelCase name such as "OrderServiceDown"');
        const dup = alertNames.get(r.alert);
        if (dup) throw new ConfigError(at, 'alert', r.alert, `it is already defined in ${dup.source} (group "${dup.name}"); give every alert a distinct name`);
        alertNames.set(r.alert, g);
        checkAlert(r, at);
      } else {
        const at = ruleLocation(r, g);
        if ((r as { alert?: unknown }).alert !== undefined)
          throw new ConfigError(at, 'record', r.record, 'a rule is either an alert or a recording rule, not both');
        if (!RECORD_NAME.test(r.record ?? ''))
          throw new ConfigError(at, 'record', r.record, 'use the "level:metric:operations" form, such as "service:http_requests:rate5m"');
        if (opts.catalog.has(r.record))
          throw new ConfigError(
            at,
            'record',
            r.record,
            `the catalog already has a metric of that name (${opts.catalog.lookup(r.record)?.source}); pick another name`,
          );
        checkLabels(r.labels, at);
        checkExpr(r.expr, at);
        checkExprLabels(r.expr, at);
      }
    }
  }

  // Only once every alert name is known: a rule may read the ALERTS of an alert defined after it.
  for (const g of groups) for (const r of g.rules) checkAlertSelectors(r.expr, ruleLocation(r, g));

  function checkAlertSelectors(expr: string, at: string): void {
    const p = alertSelectorProblems(expr, new Set(alertNames.keys()))[0];
    if (p) throw new ConfigError(at, 'expr', p.value, p.fix);
  }

  function checkAlert(a: AlertRule, at: string): void {
    if (!SEVERITIES.includes(a.severity)) throw new ConfigError(at, 'severity', a.severity, `use one of ${SEVERITIES.join(', ')}`);
    if (a.for !== undefined && !isDuration(a.for)) throw new ConfigError(at, 'for', a.for, DURATION_FIX);
    if (a.keepFiringFor !== undefined && !isDuration(a.keepFiringFor)) throw new ConfigError(at, 'keepFiringFor', a.keepFiringFor, DURATION_FIX);
    for (const f of ['summary', 'description'] as const) {
      if (typeof a[f] !== 'string' || a[f].trim() === '') {
        throw new ConfigError(at, f, a[f], f === 'summary' ? 'write one line for the notification title' : 'say what is wrong and what it affects');
      }
      checkTemplate(a[f], at, f);
    }
    checkLabels(a.labels, at);
    if (a.runbook === undefined || a.runbook === '') {
      if (a.severity !== 'info') {
        throw new ConfigError(at, 'runbook', a.runbook, `${a.severity} alerts need a runbook: write ${runbookDir}<name>.md and set runbook to its path`);
      }
    } else {
      const file = a.runbook.split('#')[0];
      if (!file.startsWith(runbookDir) || !file.endsWith('.md')) {
        throw new ConfigError(at, 'runbook', a.runbook, `use the path of a Markdown file under ${runbookDir}, such as "${runbookDir}service-down.md"`);
      }
      if (!fs.existsSync(path.join(opts.repositoryRoot, file))) {
        throw new ConfigError(at, 'runbook', a.runbook, `no such file in the repository; write it or correct the path`);
      }
      const hash = a.runbook.indexOf('#');
      if (hash >= 0) checkAnchor(a.runbook, a.runbook.slice(hash + 1), path.join(opts.repositoryRoot, file), at, anchorsOf);
    }
    if (a.dashboard !== undefined) {
      if (!opts.dashboardLinks)
        throw new ConfigError(
          at,
          'dashboard',
          a.dashboard,
          'dashboard links need a Grafana URL: set dashboardBaseUrl where the rules are rendered, or leave dashboard out',
        );
      if (!/^[a-zA-Z0-9_-]{1,40}$/.test(a.dashboard))
        throw new ConfigError(at, 'dashboard', a.dashboard, 'use a Grafana dashboard uid: letters, digits, "-" and "_", at most 40 characters');
      if (opts.dashboardUids && !opts.dashboardUids.has(a.dashboard)) {
        throw new ConfigError(at, 'dashboard', a.dashboard, `no provisioned dashboard has this uid; use one of ${[...opts.dashboardUids].sort().join(', ')}`);
      }
    }
    checkExpr(a.expr, at);
    const result = checkExprLabels(a.expr, at);
    const statics = Object.keys(a.labels ?? {});
    for (const f of ['summary', 'description'] as const) {
      const reason = (l: string) =>
        statics.includes(l)
          ? `it is a static label of this rule, and Prometheus fills $labels from the series of the expression's result only; write its value into the text`
          : undefined;
      const p = templateProblems(alertTemplateLabels(a[f]), result, 'template', reason)[0];
      if (p) throw new ConfigError(at, f, p.label, describeLabelProblem(p));
    }
  }

  /** Every label the expression names must be carried by a series it reads; returns the result's labels. */
  function checkExprLabels(expr: string, at: string): LabelSet {
    const inf = inferLabels(expr, seriesLabels);
    const p: LabelProblem | undefined = inf.problems[0];
    if (p) throw new ConfigError(at, 'expr', p.label, describeLabelProblem(p));
    return inf.result;
  }

  function checkLabels(labels: Readonly<Record<string, string>> | undefined, at: string): void {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (!LABEL_NAME.test(k) || k.startsWith('__'))
        throw new ConfigError(at, `labels.${k}`, k, 'use a Prometheus label name: letters, digits and "_", not starting with "__"');
      if (RESERVED_LABELS.has(k)) throw new ConfigError(at, `labels.${k}`, v, `leave "${k}" out: it is set from the rule itself`);
      if (typeof v !== 'string' || v === '') throw new ConfigError(at, `labels.${k}`, v, 'use a non-empty string');
    }
  }

  function checkExpr(expr: string, at: string): void {
    if (typeof expr !== 'string') throw new ConfigError(at, 'expr', expr, 'write a PromQL expression');
    const parsed = parsePromQL(expr);
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0];
      throw new ConfigError(
        at,
        'expr',
        expr,
        `it is not valid PromQL: syntax error at line ${e.line}, column ${e.column} (near "${e.near}"); correct the expression`,
      );
    }
    for (const p of parsed.metricPatterns) {
      throw new ConfigError(at, 'expr', expr, `it selects metrics by a pattern (__name__${p.pattern}), which the catalog cannot check; name each metric`);
    }
    for (const m of parsed.metrics) {
      if (opts.catalog.has(m.name) || recorded.has(m.name) || BUILTIN_SERIES.includes(m.name)) continue;
      const hint = closest(m.name, [...opts.catalog.series, ...recorded]);
      throw new ConfigError(
        at,
        'metric in expr',
        m.name,
        `it is neither in the metrics catalog nor recorded by a rule; ${hint ? `did you mean "${hint}"? ` : ''}add it to the catalog with its type, unit, labels and source, or fix the name`,
      );
    }
  }
}

/**
 * The anchor of a runbook link must be a heading of the file, slugged as GitHub does
 * (lowercase, punctuation dropped, spaces to "-", repeated headings suffixed -1, -2).
 */
function checkAnchor(link: string, anchor: string, file: string, at: string, anchorsOf: Map<string, string[]>): void {
  let anchors = anchorsOf.get(file);
  if (!anchors) anchorsOf.set(file, (anchors = markdownAnchors(fs.readFileSync(file, 'utf8'))));
  if (anchors.includes(anchor)) return;
  const hint = closestNames(anchor, anchors);
  throw new ConfigError(
    at,
    'runbook',
    link,
    `the file has no heading with the anchor "#${anchor}"; ${hint.length ? `did you mean ${hint.map((h) => `"#${h}"`).join(' or ')}? ` : ''}anchors in ${link.split('#')[0]}: ${anchors.length ? anchors.map((x) => `#${x}`).join(', ') : 'none'}`,
  );
}

/**
 * Template sanity: balanced `{{ }}` and only the variables Prometheus gives alert templates.
 * `promtool check rules` parses them fully in the tests.
 */
function checkTemplate(text: string, at: string, field: string): void {
  const opens = text.split('{{').length - 1;
  const closes = text.split('}}').length - 1;
  if (opens !== closes) throw new ConfigError(at, field, text, 'balance every "{{" with "}}"');
  // The variable names Prometheus gives templates, not label names: `$labels.x` stops at the dot.
  for (const m of text.matchAll(/\$([a-zA-Z_]+)/g)) {
    if (!['labels', 'value', 'externalLabels', 'externalURL'].includes(m[1])) {
      throw new ConfigError(at, field, text, `"$${m[1]}" is not a template variable; use $labels.<name>, $value, $externalLabels or $externalURL`);
    }
  }
}

/** The candidate nearest to a name, when it is close enough to be a typo. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > 4) continue;
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 6)) ? best : undefined;
}
