/**
 * An error in the input of the stack (a profile, a rule, a dashboard): the message names where the
 * bad value lives, the field, the value and what would be right.
 */
export class ConfigError extends Error {
  constructor(
    /** Where the value lives: `profile "staging"`, `alert "ServiceDown" (alerts/availability.ts)`. */
    public readonly where: string,
    /** The field, as a dotted path: `prometheus.replicas`. */
    public readonly field: string,
    /** The offending value. */
    public readonly value: unknown,
    /** What would be right. */
    public readonly fix: string,
  ) {
    super(`${where}: ${field} is ${formatValue(value)}; ${fix}`);
    this.name = 'ConfigError';
  }
}

export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
