/**
 * The SLO alerts of lib/rules/slo.ts under promtool, over simulated days: a day of good traffic,
 * then a fast burn, a slow burn or a burn below 1, for every kind of SLI. Each scenario simulates
 * up to 17 hours at one-minute steps, so these run with the end-to-end suites (`npm run test:e2e`)
 * rather than in `npm test`; what an SLO generates is checked there, in test/slo.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { SLOSpec, sloRuleGroups } from '../../lib/rules/slo';
import { renderRuleGroup } from '../../lib/rules/render';
import { RuleGroup, isAlert } from '../../lib/rules/types';
import { SLOTestSeries, burnSeries, outageSeries } from '../../lib/rules/slo-testing';
import { describeWithTools, promtool } from '../support/tools';
import { SLIS, base } from '../support/slo-fixtures';
import { ALERT_GROUPS, RULE_TESTS, renderOptions, ruleFiles } from '../../alerts';
import { grafanaPublicUrl } from '../../lib/components/grafana/grafana';
import { runInEveryGroupOrder, runPromtoolTests } from '../../lib/rules/testing';
import { local } from '../../stacks/local';

/** The groups as a Prometheus rule file; annotations are left out, these tests are about when alerts fire. */
function ruleFile(groups: readonly RuleGroup[]): string {
  const rendered = groups.map((g) => renderRuleGroup(g, { runbookBaseUrl: '' })) as Array<{ rules: Array<Record<string, unknown>> }>;
  for (const g of rendered) for (const r of g.rules) delete r.annotations;
  return stringify({ groups: rendered });
}

const HISTORY_MIN = 24 * 60; // a day of good traffic before the scenario

/** Concrete series for each SLI kind of SLIS below. */
const SERIES: Record<string, SLOTestSeries> = {
  ratio: { labels: 'service="api", code="200"', badLabels: 'service="api", code="500"' },
  latency: { labels: 'service="api"' },
  averageLatency: { labels: 'service="api"' },
  freshness: { labels: 'service="api", exchange="coinbase"' },
  availability: { labels: 'job="api", instance="a"' },
};

/** A day of good behaviour, then `minutes` in which a share `f` of events (or minutes) is bad. */
function scenario(kind: string, f: number, minutes: number): Array<{ series: string; values: string }> {
  return Object.entries(burnSeries(SLIS[kind], SERIES[kind], { historyMinutes: HISTORY_MIN, badShare: f, minutes })).map(([series, values]) => ({
    series,
    values,
  }));
}

interface Expectation {
  readonly at: string;
  readonly firing: readonly string[];
}

/**
 * Runs promtool on the SLO's rules over `series` and checks which of its alerts fire at each time,
 * once for each of the GROUP_ORDERS: Prometheus evaluates the recording and the alerting group on
 * timers of their own, so an alert may read the records of this round or of the one before.
 */
async function promtoolTest(
  spec: SLOSpec,
  series: Array<{ series: string; values: string }>,
  checks: readonly Expectation[],
): Promise<{ status: number; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-'));
  const groups = sloRuleGroups(spec);
  fs.writeFileSync(path.join(dir, 'rules.yaml'), ruleFile(groups));
  const alertNames = groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert));
  const runs = await runInEveryGroupOrder(promtool.path!, dir, 'tests', groups, (groupEvalOrder) => ({
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    group_eval_order: groupEvalOrder,
    tests: [
      {
        interval: '1m',
        input_series: series,
        alert_rule_test: checks.flatMap((c) =>
          alertNames
            .filter((a) => !a.endsWith('SLIAbsent'))
            .map((a) => ({
              eval_time: c.at,
              alertname: a,
              exp_alerts: c.firing.includes(a)
                ? [
                    {
                      exp_labels: {
                        ...groups[1].rules.filter(isAlert).find((r) => r.alert === a)!.labels,
                        severity: groups[1].rules.filter(isAlert).find((r) => r.alert === a)!.severity,
                      },
                    },
                  ]
                : [],
            })),
        ),
      },
    ],
  }));
  const failed = runs.find((r) => r.status !== 0);
  if (!failed) fs.rmSync(dir, { recursive: true, force: true });
  // On a failure, the failing run alone, so that the assertion's diff shows what promtool said.
  return failed
    ? { status: failed.status, out: `groups evaluated ${failed.order}:\n${failed.output}` }
    : { status: 0, out: runs.map((r) => `groups evaluated ${r.order}:\n${r.output}`).join('\n') };
}

const at = (minutesAfterHistory: number) => `${HISTORY_MIN + minutesAfterHistory}m`;

describeWithTools('SLO alerts under promtool', [promtool], () => {
  describe.each(Object.entries(SLIS))('%s SLI at 99.9%%', (kind, sli) => {
    const spec: SLOSpec = { ...base, name: `api-${kind.toLowerCase()}`, sli };
    const [fast, slow] = sloRuleGroups(spec)[1]
      .rules.filter(isAlert)
      .map((a) => a.alert);

    it('a fast burn (20x: 2% bad) pages within the hour the 1h/5m window promises', async () => {
      // 52 minutes in: time-based SLIs have had their first bad minute (minute 49) in the 5m window.
      const r = await promtoolTest(spec, scenario(kind, 0.02, 70), [
        { at: at(0), firing: [] },
        { at: at(52), firing: [fast] },
      ]);
      expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });

    it('a slow burn (5x: 0.5% bad) opens a ticket once it has spent a tenth of the budget within the day, and does not page', async () => {
      // 3x over 1d is 10% of the budget in a day: 14.4 hours at 5x. Time-based SLIs have one bad
      // minute in 200 (minutes 199, 399, ...): the fifth, at minute 999, crosses it. By minute 1006
      // their 5m window is clear again, also in the records of the minute before, which is what the
      // alerts read when their group runs first; so no page either.
      const r = await promtoolTest(spec, scenario(kind, 0.005, 17 * 60), [
        { at: at(850), firing: [] },
        { at: at(1006), firing: [slow] },
        { at: at(17 * 60 - 1), firing: [slow] },
      ]);
      expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });

    it('a burn below 1 (0.05% bad) stays quiet', async () => {
      const r = await promtoolTest(spec, scenario(kind, 0.0005, 16 * 60), [
        { at: at(2 * 60), firing: [] },
        { at: at(16 * 60 - 1), firing: [] },
      ]);
      expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });
  });

  describe('recovery SLI: back within 5 minutes', () => {
    const spec: SLOSpec = { ...base, name: 'api-recovery', sli: { kind: 'recovery', metric: 'up', selector: 'job="api"', boundSeconds: 300 } };
    const [fast, slow] = sloRuleGroups(spec)[1]
      .rules.filter(isAlert)
      .map((a) => a.alert);
    /** A day up, then down for `minutes`, then up again. */
    const outage = (minutes: number, total: number) =>
      Object.entries(outageSeries(spec, { labels: 'job="api", instance="a"' }, HISTORY_MIN, minutes, total)).map(([series, values]) => ({ series, values }));

    it('a restart that is back within 4 minutes does not page', async () => {
      expect(await promtoolTest(spec, outage(4, 60), [{ at: at(30), firing: [] }])).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });

    it('a service still down after 5 minutes pages (and opens a ticket, which the page inhibits)', async () => {
      expect(
        await promtoolTest(spec, outage(20, 60), [
          { at: at(4), firing: [] },
          { at: at(15), firing: [fast, slow] },
        ]),
      ).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
    });
  });
});

describeWithTools("Grekko's SLO alerts (alerts/slos.ts) under their promtool tests (alerts/slos.tests.ts)", [promtool], () => {
  it('promtool test rules passes for alerts/slos.ts', async () => {
    const grafanaUrl = grafanaPublicUrl(local.namespace, local.grafana);
    const [r] = await runPromtoolTests(
      promtool.path!,
      ruleFiles(grafanaUrl),
      ALERT_GROUPS,
      RULE_TESTS.filter((x) => x.source === 'alerts/slos.ts'),
      renderOptions(grafanaUrl),
    );
    if (r.status !== 0) throw new Error(`promtool test rules failed (files in ${r.dir}):\n${r.output}`);
    expect(r.output).toContain('SUCCESS');
    fs.rmSync(r.dir, { recursive: true, force: true });
  }, 600_000);
});
