/**
 * Rule groups rendered into Prometheus rule files: one file per source file (alerts/trading.ts →
 * trading.yaml), alerts with a `severity` label and `summary`, `description`, `runbook_url` and
 * `dashboard_url` annotations.
 */
import * as path from 'node:path';
import type { RuleFile } from './types';
import { ConfigError } from '../core/errors';
import { RuleValidationOptions, validateRuleGroups } from './validate';
import { AlertRule, RecordingRule, RuleGroup, TEAMS, Team, isAlert } from './types';

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

/** The labels an alert carries besides those of its expression: its own, `team` and `severity`. */
export function alertLabels(a: AlertRule): Record<string, string> {
  return { ...(a.labels ?? {}), ...(a.team ? { team: a.team } : {}), severity: a.severity };
}

export interface TeamDefaults {
  /** The team of each service, by its `service` label: an alert with a static `service` label belongs to that service's team. */
  readonly services?: Readonly<Record<string, Team>>;
  /** The team of the alerts that name none and whose group and service name none either. @default - none */
  readonly team?: Team;
}

/**
 * The groups with every alert's team settled: the alert's own `team`, else the team of its static
 * `service` label, else its group's, else `defaults.team`. Throws a ConfigError for an alert left
 * without a team, a team that is not one of TEAMS, or a team given as a plain label.
 */
export function withTeams(groups: readonly RuleGroup[], defaults: TeamDefaults = {}): RuleGroup[] {
  const known: readonly string[] = TEAMS;
  const check = (value: unknown, at: string, field: string): void => {
    if (value !== undefined && !known.includes(value as string)) throw new ConfigError(at, field, value, `use one of ${TEAMS.join(', ')}`);
  };
  return groups.map((g) => {
    check(g.team, `rule group "${g.name}" (${g.source})`, 'team');
    const rules = g.rules.map((r) => {
      if (!isAlert(r)) return r;
      const at = `alert "${r.alert}" (${g.source})`;
      if (r.labels?.team !== undefined) throw new ConfigError(at, 'labels.team', r.labels.team, 'set the team with the "team" field of the alert or its group');
      check(r.team, at, 'team');
      const service = r.labels?.service;
      const team = r.team ?? (service !== undefined ? defaults.services?.[service] : undefined) ?? g.team ?? defaults.team;
      if (team === undefined) throw new ConfigError(at, 'team', team, `name the team that owns it (${TEAMS.join(', ')}) on the alert or its group`);
      return { ...r, team };
    });
    return { ...g, rules };
  });
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
