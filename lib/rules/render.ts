/**
 * Rule groups rendered into Prometheus rule files: one file per source file (alerts/trading.ts →
 * trading.yaml), alerts with a `severity` label and `summary`, `description`, `runbook_url` and
 * `dashboard_url` annotations.
 */
import * as path from 'node:path';
import { ConfigError } from '../core/errors';
import { RuleValidationOptions, validateRuleGroups } from './validate';
import { AlertRule, RecordingRule, RuleGroup, isAlert } from './types';

/**
 * A rendered rule file: its name in Prometheus's rules folder and its content, to be written as
 * YAML. The same shape as the RuleFile that Prometheus.addRuleFile takes, declared here so that
 * the rule API does not import the Prometheus component.
 */
export interface RuleFile {
  readonly fileName: string;
  readonly content: unknown;
}

export interface RuleRenderOptions {
  /** Prefix of every `runbook_url`; the runbook's repository path is appended. */
  readonly runbookBaseUrl: string;
  /** Prefix of every `dashboard_url` (Grafana's `https://grafana.example/d/`); the uid is appended. @default - alerts carry no dashboard link */
  readonly dashboardBaseUrl?: string;
}

/** The rule file a source file renders to: `alerts/trading.ts` → `trading.yaml`. */
export function ruleFileName(source: string): string {
  return `${path
    .basename(source)
    .replace(/\.[cm]?[jt]s$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')}.yaml`;
}

export function alertLabels(a: AlertRule): Record<string, string> {
  return { ...(a.labels ?? {}), severity: a.severity };
}

export function alertAnnotations(a: AlertRule, opts: RuleRenderOptions): Record<string, string> {
  const out: Record<string, string> = { summary: a.summary, description: a.description };
  if (a.runbook) out.runbook_url = `${opts.runbookBaseUrl}${a.runbook}`;
  if (a.dashboard && opts.dashboardBaseUrl) out.dashboard_url = `${opts.dashboardBaseUrl}${a.dashboard}`;
  return out;
}

export function renderRule(r: AlertRule | RecordingRule, opts: RuleRenderOptions): Record<string, unknown> {
  if (isAlert(r)) {
    return {
      alert: r.alert,
      expr: r.expr,
      ...(r.for ? { for: r.for } : {}),
      ...(r.keepFiringFor ? { keep_firing_for: r.keepFiringFor } : {}),
      labels: alertLabels(r),
      annotations: alertAnnotations(r, opts),
    };
  }
  return { record: r.record, expr: r.expr, ...(r.labels && Object.keys(r.labels).length ? { labels: { ...r.labels } } : {}) };
}

export function renderRuleGroup(g: RuleGroup, opts: RuleRenderOptions): Record<string, unknown> {
  return { name: g.name, ...(g.interval ? { interval: g.interval } : {}), rules: g.rules.map((r) => renderRule(r, opts)) };
}

/** Renders groups into rule files without validating them (see `buildRuleFiles`). */
export function renderRuleFiles(groups: readonly RuleGroup[], opts: RuleRenderOptions): RuleFile[] {
  const bySource = new Map<string, RuleGroup[]>();
  for (const g of groups) bySource.set(g.source, [...(bySource.get(g.source) ?? []), g]);
  const files = new Map<string, { source: string; groups: RuleGroup[] }>();
  for (const [source, gs] of bySource) {
    const fileName = ruleFileName(source);
    const clash = files.get(fileName);
    if (clash)
      throw new ConfigError(`rule groups of ${source}`, 'file name', fileName, `${clash.source} renders to the same file; rename one of the two source files`);
    files.set(fileName, { source, groups: gs });
  }
  return [...files.entries()].map(([fileName, f]) => ({ fileName, content: { groups: f.groups.map((g) => renderRuleGroup(g, opts)) } }));
}

/** Validates the groups, then renders them: what a stack loads into Prometheus. */
export function buildRuleFiles(groups: readonly RuleGroup[], opts: Omit<RuleValidationOptions, 'dashboardLinks'> & RuleRenderOptions): RuleFile[] {
  validateRuleGroups(groups, { ...opts, dashboardLinks: opts.dashboardBaseUrl !== undefined });
  return renderRuleFiles(groups, opts);
}
