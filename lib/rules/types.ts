/**
 * The rule API's types: alerts and recording rules as typed data, grouped into rule groups that
 * render into Prometheus rule files. Validation and rendering live beside this file.
 */

export type Severity = 'critical' | 'warning' | 'info';

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
  /** Extra labels, such as `service` or `team`. */
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
