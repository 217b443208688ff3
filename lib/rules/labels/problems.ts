/**
 * Labels named where no series carries them: in an expression (a matcher, a `by`/`without` list,
 * an `on`/`ignoring` list, a `group_left`/`group_right` list), in an alert template (`$labels.x`)
 * or in a Grafana legend (`{{x}}`), checked against the labels the inference gives, and the
 * message that names the label, the clause, the nearest label and the labels available.
 */
import { closest, editDistance } from '../../core/names';
import { LABEL_NAME_BODY } from '../promql';
import { LabelSet, available } from './sets';

export type LabelUse = 'matcher' | 'by' | 'without' | 'on' | 'ignoring' | 'group_left' | 'group_right' | 'template' | 'legend' | 'variable';

/** A label an expression (or a template over its result) names that none of its series carries. */
export interface LabelProblem {
  readonly label: string;
  readonly use: LabelUse;
  /** The clause as written (`sum by (namespace, servce)`, `probe_success{prob="health"}`). */
  readonly clause: string;
  /** The labels that were available there, sorted. */
  readonly available: readonly string[];
  /** Why, when it is not simply that no series carries it. */
  readonly reason?: string;
}

/** The problem of naming `label` where the series carry `within`; undefined when they may carry it. */
export function labelProblem(label: string, use: LabelUse, clause: string, within: LabelSet, reason?: string): LabelProblem | undefined {
  if (within.open || label === '__name__' || within.names.has(label)) return undefined;
  return { label, use, clause, available: available(within), ...(reason ? { reason } : {}) };
}

/** A label a template names, with the text that names it. */
export interface TemplateLabelRef {
  readonly label: string;
  readonly text: string;
}

/**
 * The labels a Prometheus alert template reads: `$labels.x`, `.Labels.x`, `index $labels "x"`.
 * Inside `range` and `with` blocks the dot is another value (a `query` result), so `.Labels`
 * there is not the alert's; `$labels` always is.
 */
export function alertTemplateLabels(template: string): TemplateLabelRef[] {
  const out: TemplateLabelRef[] = [];
  let depth = 0;
  for (const action of template.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const body = action[1].trim();
    const dotIsAlert = depth === 0;
    if (/^(range|with)\b/.test(body)) depth++;
    else if (/^(if|block|define)\b/.test(body)) depth += depth > 0 ? 1 : 0;
    else if (/^end\b/.test(body) && depth > 0) depth--;
    const source = dotIsAlert ? '(?:\\$labels|(?<![\\w$])\\.Labels)' : '\\$labels';
    for (const m of body.matchAll(new RegExp(`${source}\\.(${LABEL_NAME_BODY})`, 'g'))) out.push({ label: m[1], text: action[0] });
    for (const m of body.matchAll(new RegExp(`\\bindex\\s+${source}\\s+"([^"]*)"`, 'g'))) out.push({ label: m[1], text: action[0] });
  }
  return out;
}

const LEGEND_LABEL = new RegExp(`\\{\\{\\s*(${LABEL_NAME_BODY})\\s*\\}\\}`, 'g');

/** The labels a Grafana legend reads: `{{x}}`, `{{ x }}`. */
export function legendLabels(legend: string): TemplateLabelRef[] {
  const out: TemplateLabelRef[] = [];
  for (const m of legend.matchAll(LEGEND_LABEL)) out.push({ label: m[1], text: m[0] });
  return out;
}

/** Checks template label references against a result; static labels are listed separately for the message. */
export function templateProblems(
  refs: readonly TemplateLabelRef[],
  result: LabelSet,
  use: LabelUse,
  reasonFor?: (label: string) => string | undefined,
): LabelProblem[] {
  const out: LabelProblem[] = [];
  for (const r of refs) {
    const p = labelProblem(r.label, use, r.text, result, reasonFor?.(r.label));
    if (p) out.push(p);
  }
  return out;
}

/** `label "servce" in "sum by (namespace, servce)": no series of this expression carries it; did you mean "service"? labels available: job, namespace, service` */
export function describeLabelProblem(p: LabelProblem): string {
  const hint = nearest(p.label, p.available);
  const why =
    p.reason ?? (p.use === 'template' || p.use === 'legend' ? "no series of the expression's result carries it" : 'no series of this expression carries it');
  const list = p.available.length ? `labels available: ${p.available.join(', ')}` : 'the series there carry no labels';
  return `label "${p.label}" in "${p.clause}": ${why}; ${hint.length ? `did you mean ${hint.map((h) => `"${h}"`).join(' or ')}? ` : ''}${list}`;
}

/** The closest candidates, only those at the least distance. */
export function nearest(name: string, candidates: readonly string[]): string[] {
  const near = closest(name, candidates);
  if (!near.length) return [];
  const best = editDistance(name, near[0]);
  return near.filter((c) => editDistance(name, c) === best);
}
