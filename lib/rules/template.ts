/**
 * A small renderer for the alert templates Prometheus supports, so that a unit test can state the
 * labels and the value of an alert and get the annotations Prometheus will send. It covers
 * `{{ $labels.x }}`, `{{ $value }}`, the `humanize*` functions and `printf "%.Nf"`; anything else
 * throws, and the test then gives its annotations explicitly. promtool compares the result with
 * what Prometheus renders, so a difference shows up as a failing test, never as a silent pass.
 */
import { LABEL_NAME_BODY } from './promql';

export class UnsupportedTemplate extends Error {}

const LABEL_ACTION = new RegExp(`^\\$labels\\.(${LABEL_NAME_BODY})$`);

export function renderAlertTemplate(text: string, labels: Readonly<Record<string, string>>, value: number | undefined): string {
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_m, action: string) => evaluate(action.trim(), labels, value));
}

/** Whether a template mentions the alert's value. */
export function usesValue(text: string): boolean {
  return /\{\{[^}]*\$value/.test(text);
}

function evaluate(action: string, labels: Readonly<Record<string, string>>, value: number | undefined): string {
  const label = LABEL_ACTION.exec(action) ?? /^index \$labels "([^"]+)"$/.exec(action);
  if (label) return labels[label[1]] ?? '';
  const needValue = (): number => {
    if (value === undefined) throw new UnsupportedTemplate(`the template "{{ ${action} }}" needs the alert's value: give "value" in the expected alert`);
    return value;
  };
  if (action === '$value') return goFloat(needValue());
  const piped = /^\$value\s*\|\s*(humanize|humanize1024|humanizePercentage|humanizeDuration)$/.exec(action);
  if (piped) return FUNCTIONS[piped[1]](needValue());
  const printf = /^printf "%\.(\d)f" \$value$/.exec(action) ?? /^\$value \| printf "%\.(\d)f"$/.exec(action);
  if (printf) return needValue().toFixed(Number(printf[1]));
  throw new UnsupportedTemplate(`the template "{{ ${action} }}" is beyond what the test harness renders: give the expected annotations explicitly`);
}

const FUNCTIONS: Record<string, (v: number) => string> = {
  humanize(v) {
    if (v === 0 || !Number.isFinite(v)) return g4(v);
    let prefix = '';
    if (Math.abs(v) >= 1) {
      for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
        if (Math.abs(v) < 1000) break;
        prefix = p;
        v /= 1000;
      }
    } else {
      for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
        if (Math.abs(v) >= 1) break;
        prefix = p;
        v *= 1000;
      }
    }
    return `${g4(v)}${prefix}`;
  },
  humanize1024(v) {
    if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
    let prefix = '';
    for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
      if (Math.abs(v) < 1024) break;
      prefix = p;
      v /= 1024;
    }
    return `${g4(v)}${prefix}`;
  },
  humanizePercentage(v) {
    return `${g4(v * 100)}%`;
  },
  humanizeDuration(v) {
    if (!Number.isFinite(v)) return g4(v);
    if (v === 0) return '0s';
    if (Math.abs(v) >= 1) {
      const sign = v < 0 ? '-' : '';
      const a = Math.abs(v);
      const total = Math.trunc(a);
      const s = total % 60;
      const m = Math.trunc(total / 60) % 60;
      const h = Math.trunc(total / 3600) % 24;
      const d = Math.trunc(total / 86400);
      if (d) return `${sign}${d}d ${h}h ${m}m ${s}s`;
      if (h) return `${sign}${h}h ${m}m ${s}s`;
      if (m) return `${sign}${m}m ${s}s`;
      return `${sign}${g4(a)}s`;
    }
    let prefix = '';
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
    return `${g4(v)}${prefix}s`;
  },
};

/** Go's `%.4g`. */
function g4(v: number): string {
  return goG(v, 4);
}

/** Go's `%v` of a float64: the shortest representation, in exponent form below 1e-4 and from 1e6. */
function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mant, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

function goG(v: number, precision: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mantRaw, expText] = v.toExponential(precision - 1).split('e');
  const exp = Number(expText);
  const strip = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= precision) return `${strip(mantRaw)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return strip(v.toFixed(Math.max(0, precision - 1 - exp)));
}
