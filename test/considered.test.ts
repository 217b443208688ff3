/**
 * The upstream alerts considered (alerts/considered.ts): every alert of each list read, once,
 * decided; every alert of ours a decision names exists; every adopted alert is tested at its
 * edge, has a runbook section and a panel on its dashboard that reads its metrics.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_GROUPS, REPOSITORY_ROOT, RULE_TESTS } from '../alerts';
import { CONSIDERED, CONSIDERED_INTRO, LISTS } from '../alerts/considered';
import { DASHBOARDS } from '../dashboards';
import { dashboardQueries } from '../lib/dashboards';
import { ConsideredAlert, decisionCounts, renderConsideredMarkdown } from '../lib/rules/docs';
import { metricNames } from '../lib/rules/promql';
import { coverage } from '../lib/rules/testing';
import { AlertRule, isAlert } from '../lib/rules/types';

const ours = new Map<string, AlertRule>(ALERT_GROUPS.flatMap((g) => g.rules.filter(isAlert)).map((a) => [a.alert, a]));
const namedBy = (c: ConsideredAlert): readonly string[] => (c.decision.kind === 'adopted' ? c.decision.as : c.decision.kind === 'covered' ? c.decision.by : []);

/**
 * How many distinct alert names each list holds at the ref recorded in LISTS, counted there. A
 * list that loses or gains an entry here without the upstream file changing is caught.
 */
const UPSTREAM_NAMES: Record<keyof typeof LISTS, number> = {
  node: 21,
  apps: 17,
  resources: 8,
  storage: 3,
  system: 2,
  apiserver: 6,
  kubelet: 13,
  scheduler: 1,
  controllerManager: 1,
  alertmanager: 7,
  prometheus: 26,
  kubeStateMetrics: 4,
  kubePrometheusGeneral: 3,
  kubePrometheusNode: 1,
  kubePrometheusMain: 5,
  prometheusOperator: 9,
  grafana: 1,
  blackbox: 10,
  postgres: 25,
  redis: 16,
  kafka: 3,
};

describe('the upstream alerts considered', () => {
  it('list every alert of every list read, each once', () => {
    const seen = new Set<string>();
    for (const c of CONSIDERED) {
      expect([c.name, seen.has(c.name)]).toEqual([c.name, false]);
      seen.add(c.name);
    }
    for (const [key, list] of Object.entries(LISTS)) {
      expect([key, CONSIDERED.filter((c) => c.list === list).length]).toEqual([key, UPSTREAM_NAMES[key as keyof typeof LISTS]]);
    }
    expect(CONSIDERED.every((c) => Object.values(LISTS).includes(c.list))).toBe(true);
  });

  it('cover the 125 alert names of the 139 rules kube-prometheus renders, and its prometheus-mixin extras', () => {
    const kubePrometheus = CONSIDERED.filter((c) => !c.list.repository.startsWith('samber/'));
    // 120 names at v0.16.0, 5 added on main since; the prometheus-mixin has 3 HA-group alerts kube-prometheus leaves out.
    expect(kubePrometheus).toHaveLength(125 + 3);
  });

  it('name only alerts of ours that exist, and give every decision its reason', () => {
    for (const c of CONSIDERED) {
      const names = namedBy(c);
      if (c.decision.kind !== 'declined') expect([c.name, names.length > 0]).toEqual([c.name, true]);
      for (const n of names) expect([c.name, n, ours.has(n)]).toEqual([c.name, n, true]);
      if (c.decision.kind === 'declined') expect([c.name, c.decision.why.length > 20]).toEqual([c.name, true]);
      if (c.decision.kind === 'adopted') expect([c.name, c.decision.threshold.length > 0, c.decision.why.length > 20]).toEqual([c.name, true, true]);
    }
  });

  it('every list names its repository, file and ref, and why that ref', () => {
    for (const list of Object.values(LISTS)) {
      expect(list.ref).toMatch(/^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
      expect(list.refNote.length).toBeGreaterThan(10);
      expect(list.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
    }
  });

  describe('each adopted alert', () => {
    const adopted = [...new Set(CONSIDERED.flatMap((c) => (c.decision.kind === 'adopted' ? c.decision.as : [])))];
    const tested = new Map(coverage(ALERT_GROUPS, RULE_TESTS).map((c) => [c.alert, c]));

    it.each(adopted)('%s fires in a test and stays quiet in another', (name) => {
      const c = tested.get(name)!;
      expect([name, c.firing > 0, c.quiet > 0]).toEqual([name, true, true]);
    });

    it.each(adopted)('%s links to a runbook section that exists', (name) => {
      const rule = ours.get(name)!;
      const [file, anchor] = rule.runbook!.split('#');
      expect(anchor).toBeTruthy();
      const text = fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8');
      const headings = [...text.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .replace(/\s+/g, '-'),
      );
      expect(headings).toContain(anchor);
      expect(text).toContain(`\`${name}\``);
    });

    it.each(adopted)('%s has a panel on its dashboard that reads its metrics', (name) => {
      const rule = ours.get(name)!;
      const dashboard = DASHBOARDS.find((d) => d.uid === rule.dashboard);
      expect(dashboard).toBeDefined();
      const read = new Set(dashboardQueries(dashboard!).flatMap((q) => metricNames(q.expr.replace(/\$__rate_interval/g, '5m'))));
      for (const m of metricNames(rule.expr)) expect([name, m, read.has(m)]).toEqual([name, m, true]);
    });
  });

  it('print their counts', () => {
    const counts = decisionCounts(CONSIDERED);
    expect(counts.adopted + counts.covered + counts.declined).toBe(counts.total);
    const declined = CONSIDERED.filter((c) => c.decision.kind === 'declined');
    const byReason = (r: string) => declined.filter((c) => c.decision.kind === 'declined' && c.decision.reason === r).length;
    process.stdout.write(
      `upstream alerts considered: ${counts.total}; adopted ${counts.adopted}, covered ${counts.covered}, declined ${counts.declined} ` +
        `(${byReason('not applicable')} not applicable, ${byReason('noise')} noise)\n`,
    );
  });
});

describe('the considered section of the alert catalog', () => {
  const list = { name: 'demo-mixin', repository: 'demo/mixin', path: 'alerts.libsonnet', ref: 'v1.0.0', refNote: 'the pinned tag' };
  const sample: ConsideredAlert[] = [
    { name: 'DemoDown', list, decision: { kind: 'covered', by: ['ServiceDown'] } },
    { name: 'DemoSlow', list, decision: { kind: 'adopted', as: ['DemoLatencyHigh'], threshold: 'p95 > 100 ms', why: 'orders wait on it' } },
    { name: 'DemoRaid', list, decision: { kind: 'declined', reason: 'not applicable', why: 'no RAID | here' } },
  ];

  it('counts each decision and gives one row per upstream alert, under its list with repository, file and ref', () => {
    const md = renderConsideredMarkdown(sample, 'Intro.');
    expect(md).toContain('| adopted | 1 |\n| covered | 1 |\n| declined | 1 |\n| **total** | **3** |');
    expect(md).toContain('### demo-mixin (3)\n\n`demo/mixin` `alerts.libsonnet` at `v1.0.0`: the pinned tag');
    expect(md).toContain('| DemoSlow | adopted | `DemoLatencyHigh` | p95 > 100 ms: orders wait on it |');
    expect(md).toContain('| DemoDown | covered | `ServiceDown` |  |');
    // A pipe in the reason does not break the table.
    expect(md).toContain('| DemoRaid | declined (not applicable) | | no RAID \\| here |');
  });

  it('is the last section of docs/alerts.md, as generated', () => {
    const doc = fs.readFileSync(path.join(REPOSITORY_ROOT, 'docs/alerts.md'), 'utf8');
    expect(doc.endsWith(renderConsideredMarkdown(CONSIDERED, CONSIDERED_INTRO))).toBe(true);
  });
});
