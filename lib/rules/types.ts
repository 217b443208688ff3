/**
 * The rule API's types: alerts and recording rules as typed data, grouped into rule groups that
 * render into Prometheus rule files. Validation and rendering live beside this file.
 */

export type Severity = 'critical' | 'warning' | 'info';

/**
 * The teams of the monitoring strategy that own alerts: DevOps (the cluster, the datastores, the
 * monitoring stack), Trading (the exchanges and the order path) and Risk Management. The on-call
 * engineer is not a team of its own: critical alerts of every team page them.
 */
export const TEAMS = ['devops', 'trading', 'risk'] as const;
export type Team = (typeof TEAMS)[number];

export interface AlertRule {
  /** Alert name, unique across the stack, in UpperCamelCase (`OrderServiceDown`). */
  readonly alert: string;
  readonly severity: Severity;
  /** PromQL expression; every metric it names must be in the metrics catalog or a recording rule. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires, a Prometheus duration. @default - fires at once */
  readonly for?: string;
  /** How long the alert keeps firing after the expression stops holding. @default - stops at once */
  readonly keepFiringFor?: string;
  /** The team that owns the alert, rendered as its `team` label. @default - its group's team */
  readonly team?: Team;
  /** Extra labels, such as `service`; the team goes in `team`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line for a notification title; may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** What is wrong and what it affects. */
  readonly description: string;
  /** Path of the runbook in this repository (`docs/runbooks/service-down.md`); required for critical and warning. */
  readonly runbook?: string;
  /** Uid of the Grafana dashboard that explains the alert. */
  readonly dashboard?: string;
}

export interface RecordingRule {
  /** The recorded series name, `level:metric:operations` (`service:http_requests:rate5m`). */
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  /** Group name, unique across the stack. */
  readonly name: string;
  /** The source file that defines it, for error messages (`alerts/trading.ts`): `moduleSource(__filename)` of lib/rules/source.ts. */
  readonly source: string;
  /** Evaluation interval of this group. @default - the global evaluation interval */
  readonly interval?: string;
  /** The team that owns the group's alerts, unless an alert names its own (see `withTeams`). @default - none */
  readonly team?: Team;
  readonly rules: readonly Rule[];
}

export function isAlert(rule: Rule): rule is AlertRule {
  return (rule as AlertRule).alert !== undefined;
}

/** A Prometheus rule file: its name in the rules directory and its YAML document. */
export interface RuleFile {
  readonly fileName: string;
  readonly content: unknown;
}

/** An inhibition: while an alert matching `source` fires, alerts matching `target` with equal `equal` labels are muted. */
export interface InhibitRule {
  readonly sourceMatchers: readonly string[];
  readonly targetMatchers: readonly string[];
  readonly equal: readonly string[];
}
