/**
 * The review of a change as one Markdown report for a pull request: a summary paragraph with the
 * counts of every section, then Alerts and rules, Routing, Dashboards and Manifests (per
 * environment), from the synthesized output of both versions.
 */
import { snapshotRules } from './rule-diff';
import { EnvRules, RulesReport, renderRules } from './rules-section';
import { diffDashboard, isDashboardChanged, renderDashboard } from './dashboards';
import { Manifest, alertmanagerConfigOf, dashboardsOf, ruleFilesOf } from './manifests';
import { diffObjects, objectsChangeCount, renderObjects } from './objects';
import { diffRouting, renderRouting, routeOf } from './routing';

export interface ReviewInput {
  /** The git ref the working tree is compared with, as the reader should see it. */
  readonly ref: string;
  readonly before: ReadonlyMap<string, readonly Manifest[]>;
  readonly after: ReadonlyMap<string, readonly Manifest[]>;
}

const ENV_ORDER = ['production', 'staging', 'local'];

/** Environments of either side, production first. */
export function environmentsOf(i: ReviewInput): string[] {
  const names = [...new Set([...i.before.keys(), ...i.after.keys()])];
  const rank = (n: string) => (ENV_ORDER.includes(n) ? ENV_ORDER.indexOf(n) : ENV_ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function envRules(i: ReviewInput): EnvRules[] {
  return environmentsOf(i).map((env) => {
    const side = (m: ReadonlyMap<string, readonly Manifest[]>) => {
      const objects = m.get(env) ?? [];
      const am = alertmanagerConfigOf(objects);
      return snapshotRules(ruleFilesOf(objects), (labels) => routeOf(am, labels));
    };
    return { env, before: side(i.before), after: side(i.after) };
  });
}

export function rulesSection(i: ReviewInput): RulesReport {
  return renderRules(envRules(i), '##');
}

export interface RoutingSection {
  readonly markdown: string;
  readonly changedEnvs: readonly string[];
  readonly rerouted: number;
}

/** Per environment: the Alertmanager configuration's changes and the alerts that now reach other receivers. */
export function routingSection(i: ReviewInput): RoutingSection {
  const lines: string[] = [];
  const changedEnvs: string[] = [];
  const rules = envRules(i);
  let rerouted = 0;
  for (const env of environmentsOf(i)) {
    const before = alertmanagerConfigOf(i.before.get(env) ?? []);
    const after = alertmanagerConfigOf(i.after.get(env) ?? []);
    const d = diffRouting(before, after);
    const own = renderRouting(d, after);
    const r = rules.find((x) => x.env === env)!;
    const old = new Map(r.before.filter((x) => x.kind === 'alert').map((x) => [x.key, x.route]));
    const moved = r.after.filter((x) => x.kind === 'alert' && old.has(x.key) && old.get(x.key) !== x.route);
    if (!own.length && !moved.length) continue;
    changedEnvs.push(env);
    rerouted += moved.length;
    lines.push(`### ${env}`, '', ...own);
    if (moved.length) {
      if (own.length) lines.push('');
      lines.push(`Alerts now routed differently (${moved.length}):`, '', '| alert | before | after |', '|---|---|---|');
      for (const a of moved) lines.push(`| ${a.name} | ${old.get(a.key) || '(none)'} | ${a.route || '(none)'} |`);
    }
    lines.push('');
  }
  if (!lines.length) lines.push(`No routing changes (${environmentsOf(i).join(', ')}: routes, receivers, timings and inhibitions as they were).`, '');
  return { markdown: lines.join('\n'), changedEnvs, rerouted };
}

export interface DashboardsSection {
  readonly markdown: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: number;
}

/** Per dashboard uid, its changes; environments where a dashboard changes the same way are merged. */
export function dashboardsSection(i: ReviewInput): DashboardsSection {
  const envs = environmentsOf(i);
  const perEnv = envs.map((env) => ({ env, before: dashboardsOf(i.before.get(env) ?? []), after: dashboardsOf(i.after.get(env) ?? []) }));
  const uids = [...new Set(perEnv.flatMap((e) => [...e.before.keys(), ...e.after.keys()]))].sort();
  const lines: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const uid of uids) {
    const variants = new Map<string, string[]>();
    let title = uid;
    for (const e of perEnv) {
      const b = e.before.get(uid);
      const a = e.after.get(uid);
      let text: string;
      if (!b && !a) continue;
      if (!b) text = `dashboard added: ${a!.panels.length} panels`;
      else if (!a) text = 'dashboard removed';
      else {
        const d = diffDashboard(uid, b, a);
        if (!isDashboardChanged(d)) continue;
        text = renderDashboard(d).join('\n');
      }
      title = String((a ?? b)!.title ?? uid);
      variants.set(text, [...(variants.get(text) ?? []), e.env]);
    }
    if (!variants.size) {
      unchanged++;
      continue;
    }
    const texts = [...variants.keys()];
    if (texts.every((t) => t.startsWith('dashboard added'))) added.push(uid);
    else if (texts.every((t) => t === 'dashboard removed')) removed.push(uid);
    else changed.push(uid);
    lines.push(`### ${title} (\`${uid}\`)`, '');
    for (const [text, on] of variants) {
      if (variants.size > 1 || on.length !== envs.length) lines.push(`In ${on.join(', ')}:`, '');
      lines.push(text.startsWith('- ') ? text : `- ${text}`, '');
    }
  }
  if (!lines.length) lines.push(`No dashboard changes (${unchanged} dashboards unchanged).`, '');
  return { markdown: lines.join('\n'), added, removed, changed, unchanged };
}

export interface ManifestsSection {
  readonly markdown: string;
  readonly counts: ReadonlyArray<{ env: string; added: number; removed: number; changed: number; unchanged: number }>;
}

export function manifestsSection(i: ReviewInput): ManifestsSection {
  const lines: string[] = [];
  const counts: Array<{ env: string; added: number; removed: number; changed: number; unchanged: number }> = [];
  const rendered = new Map<string, string>();
  for (const env of environmentsOf(i)) {
    const d = diffObjects(i.before.get(env) ?? [], i.after.get(env) ?? []);
    counts.push({ env, added: d.added.length, removed: d.removed.length, changed: d.changed.length, unchanged: d.unchanged });
    lines.push(`### ${env}`, '');
    if (!objectsChangeCount(d)) {
      lines.push(`No object changes (${d.unchanged} objects unchanged).`, '');
      continue;
    }
    const text = renderObjects(d).join('\n');
    const same = [...rendered].find(([, t]) => t === text)?.[0];
    lines.push(`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged.`, '');
    if (same) lines.push(`The same changes as ${same}.`, '');
    else {
      lines.push(text, '');
      rendered.set(env, text);
    }
  }
  return { markdown: lines.join('\n'), counts };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface ChangeCounts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

function changeCount(c: ChangeCounts): number {
  return c.added + c.removed + c.changed;
}

/** `2 changed, 1 added`: the counts that are not zero, changed first. */
function changeParts(c: ChangeCounts): string {
  return [c.changed ? `${c.changed} changed` : '', c.added ? `${c.added} added` : '', c.removed ? `${c.removed} removed` : ''].filter(Boolean).join(', ');
}

function countsText(c: ChangeCounts, what: string): string {
  if (!changeCount(c)) return `no ${what} changed`;
  return `${changeParts(c)} ${what}`;
}

/** One blank line between blocks and one newline at the end. */
function tidy(md: string): string {
  return md.replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}

export interface Review {
  readonly markdown: string;
  /** True when nothing at all differs. */
  readonly unchanged: boolean;
}

export function reviewReport(i: ReviewInput): Review {
  const rules = rulesSection(i);
  const routing = routingSection(i);
  const dashboards = dashboardsSection(i);
  const manifests = manifestsSection(i);
  const envs = environmentsOf(i);
  const rc = rules.counts;
  const manifestText = manifests.counts.map((c) => `${c.env} ${changeCount(c) ? changeParts(c) : 'unchanged'}`).join('; ');
  const objectChanges = manifests.counts.reduce((n, c) => n + changeCount(c), 0);
  const dashboardCounts = { added: dashboards.added.length, removed: dashboards.removed.length, changed: dashboards.changed.length };
  const nothing = ![rc.alerts, rc.records, rc.slos, dashboardCounts].some(changeCount) && !routing.changedEnvs.length && !objectChanges;
  const summary = nothing
    ? `No changes against \`${i.ref}\`: the synthesized output of ${envs.join(', ')} is the same (${plural(rc.totals.alerts, 'alert')}, ${plural(rc.totals.records, 'recording rule')}, ${plural(rc.totals.slos, 'SLO')}, ${plural(dashboards.unchanged, 'dashboard')}).`
    : [
        `Against \`${i.ref}\`, over ${envs.join(', ')}:`,
        `alerts: ${countsText(rc.alerts, plural2(rc.alerts, 'alert'))}${rc.changedAlerts.length ? ` (${rc.changedAlerts.slice(0, 6).join(', ')}${rc.changedAlerts.length > 6 ? ', …' : ''})` : ''};`,
        `recording rules: ${countsText(rc.records, plural2(rc.records, 'recording rule'))};`,
        `SLOs: ${countsText(rc.slos, plural2(rc.slos, 'SLO'))};`,
        `routing: ${routing.changedEnvs.length ? `changed in ${routing.changedEnvs.join(', ')}${routing.rerouted ? ` (${plural(routing.rerouted, 'alert')} routed differently)` : ''}` : 'unchanged'};`,
        `dashboards: ${countsText(dashboardCounts, plural2(dashboardCounts, 'dashboard'))}${dashboards.changed.length ? ` (${dashboards.changed.join(', ')})` : ''};`,
        `Kubernetes objects: ${manifestText}.`,
      ].join(' ');
  const md = [
    `## Monitoring review against \`${i.ref}\``,
    '',
    summary,
    '',
    '## Alerts and rules',
    '',
    rules.markdown,
    '## Routing',
    '',
    routing.markdown,
    '## Dashboards',
    '',
    dashboards.markdown,
    '## Manifests',
    '',
    manifests.markdown,
  ].join('\n');
  return { markdown: tidy(md), unchanged: nothing };
}

function plural2(c: ChangeCounts, word: string): string {
  return changeCount(c) === 1 ? word : `${word}s`;
}

/** The alerts:diff report: the Alerts and rules and the Routing sections alone. */
export function alertsReport(i: ReviewInput): string {
  const rules = rulesSection(i);
  const routing = routingSection(i);
  return tidy([`## Alert changes against \`${i.ref}\``, '', rules.markdown, '## Routing', '', routing.markdown].join('\n'));
}
