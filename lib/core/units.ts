/** Durations and Kubernetes quantities: parsing and validation shared by profiles and rules. */

const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

/** A Prometheus duration such as `30s`, `5m`, `1h30m`, `30d`: units in descending order, integers only. */
const PROM_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds in a Prometheus duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text === '' || text === '0') return text === '0' ? 0 : undefined;
  const m = PROM_DURATION.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (let i = 0; i < DURATION_UNITS.length; i++) {
    const group = m[i + 1];
    if (group !== undefined) total += Number(group) * DURATION_UNITS[i][1];
  }
  return total;
}

export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && parseDuration(text) !== undefined;
}

/** Formats milliseconds as the shortest Prometheus duration (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of DURATION_UNITS) {
    if (unit === 'y') continue; // years are ambiguous to readers; use days
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** The numeric value of a Kubernetes quantity (`250m` → 0.25, `1Gi` → 1073741824), or undefined. */
export function parseQuantity(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

/**
 * A number as people write it: floating-point noise rounded away at 12 significant digits
 * (`0.05 * 0.8` → 0.04, `1 - 0.999` → 0.001). For values derived from other values.
 */
export function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/** A ratio as a percentage for text: `percent(0.05)` → "5%", `percent(0.005)` → "0.5%". */
export function percent(ratio: number): string {
  return `${tidy(ratio * 100)}%`;
}

/** Seconds as milliseconds for text: `millis(0.1)` → "100 ms". */
export function millis(seconds: number): string {
  return `${tidy(seconds * 1000)} ms`;
}

/**
 * Seconds in the largest whole unit for text: `seconds(5)` → "5 seconds", `seconds(1)` →
 * "1 second", `seconds(300)` → "5 minutes", `seconds(93600)` → "26 hours".
 */
export function seconds(value: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [unit, size] of units) {
    if (value >= size && Number.isInteger(tidy(value / size))) {
      const n = tidy(value / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return millis(value);
}
