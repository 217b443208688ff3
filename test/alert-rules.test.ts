import * as fs from 'node:fs';
import { ALERT_GROUPS, RULE_TESTS, renderOptions, ruleFiles } from '../alerts';
import { grafanaPublicUrl } from '../lib/components/grafana/grafana';
import { parsePromQL } from '../lib/rules/promql';
import { PromtoolRun, RuleTestSuite, coverage, groupEvalOrder, runPromtoolTests, selector, validateRuleTests } from '../lib/rules/testing';
import { renderRuleFiles } from '../lib/rules/render';
import { RuleGroup } from '../lib/rules/types';
import { METRICS } from '../metrics';
import { local } from '../stacks/local';
import { describeWithTools, promtool } from './support/tools';

const grafanaUrl = grafanaPublicUrl(local.namespace, local.grafana);

/** The SLO rule file's tests simulate days over 200 rules: they run with the end-to-end suites (test/e2e/slo-burn.test.ts). */
const SLOW_SUITE = 'alerts/slos.ts';

describeWithTools('every alert is proven by promtool unit tests', [promtool], () => {
  it('tests name only alerts that exist and series from the metrics catalog', () => {
    expect(() => validateRuleTests(ALERT_GROUPS, RULE_TESTS, METRICS)).not.toThrow();
  });

  // One promtool run per rule file, each under its own time limit: a loaded machine slows a run, it does not fail the others.
  it.each(RULE_TESTS.map((s) => s.source).filter((s) => s !== SLOW_SUITE))(
    'promtool test rules passes for %s',
    async (source) => {
      const [r]: PromtoolRun[] = await runPromtoolTests(
        promtool.path!,
        ruleFiles(grafanaUrl),
        ALERT_GROUPS,
        RULE_TESTS.filter((x) => x.source === source),
        renderOptions(grafanaUrl),
      );
      if (r.status !== 0) throw new Error(`promtool test rules failed (files in ${r.dir}):\n${r.output}`);
      expect(r.output).toContain('SUCCESS');
      fs.rmSync(r.dir, { recursive: true, force: true });
    },
    300_000,
  );

  it('a wrong expectation fails the run, so a passing run proves something', async () => {
    const wrong: RuleTestSuite = {
      source: 'alerts/tracing.ts',
      tests: [
        {
          name: 'a collector that is up, expected wrongly to be reported down',
          series: { 'up{job="jaeger-collector", namespace="monitoring", pod="jaeger-collector-0"}': '1x10' },
          alerts: [{ at: '10m', alert: 'JaegerCollectorDown', fires: [{}] }],
        },
      ],
    };
    const [r] = await runPromtoolTests(promtool.path!, ruleFiles(grafanaUrl), ALERT_GROUPS, [wrong], renderOptions(grafanaUrl));
    fs.rmSync(r.dir, { recursive: true, force: true });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/FAILED:[\s\S]*alertname: JaegerCollectorDown, time: 10m/);
  });

  it('every alert has a case where it fires and a case where it stays quiet', () => {
    // The Watchdog fires by design at every evaluation: it has no quiet case.
    const missing = coverage(ALERT_GROUPS, RULE_TESTS).filter((c) => c.firing === 0 || (c.quiet === 0 && c.alert !== 'Watchdog'));
    expect(missing).toEqual([]);
  });
});

/**
 * A job-level record, an alert on it in a group of its own, and a group reading both, listed with
 * the readers first: the order Prometheus might evaluate them in, since every group runs on its
 * own timer.
 */
const CHAIN: RuleGroup[] = [
  { name: 'chain-alerts', source: 'alerts/chain.ts', rules: [{ alert: 'JobUp', severity: 'info', expr: 'job:up:max == 1', summary: 'up', description: 'up' }] },
  { name: 'chain-sums', source: 'alerts/chain.ts', rules: [{ record: 'all:up:sum', expr: 'sum(job:up:max)' }] },
  { name: 'chain-records', source: 'alerts/chain.ts', rules: [{ record: 'job:up:max', expr: 'max by (job) (up)' }] },
];

describe('rule groups under test are evaluated in both orders Prometheus may run them in', () => {
  it('records first puts each group after the groups it reads; readers first is the reverse', () => {
    expect(groupEvalOrder(CHAIN, 'records first')).toEqual(['chain-records', 'chain-alerts', 'chain-sums']);
    expect(groupEvalOrder(CHAIN, 'readers first')).toEqual(['chain-sums', 'chain-alerts', 'chain-records']);
  });

  describeWithTools('under promtool', [promtool], () => {
    const run = (at: string) =>
      runPromtoolTests(
        promtool.path!,
        renderRuleFiles(CHAIN, { runbookBaseUrl: '' }),
        CHAIN,
        [
          {
            source: 'alerts/chain.ts',
            tests: [
              {
                name: 'the job comes up at minute 3',
                series: { 'up{job="a"}': '0 0 0 1 1 1' },
                alerts: [{ at, alert: 'JobUp', fires: [{ labels: { job: 'a' } }] }],
              },
            ],
          },
        ],
        { runbookBaseUrl: '' },
      );

    it('an alert expected in the same round as the record it reads fails when the alert is evaluated first', async () => {
      const [r] = await run('3m');
      fs.rmSync(r.dir, { recursive: true, force: true });
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/groups evaluated records first \(passed\)[\s\S]*groups evaluated readers first \(FAILED\)[\s\S]*alertname: JobUp, time: 3m/);
    });

    it('one round later it holds both ways', async () => {
      const [r] = await run('4m');
      expect(r.output).toMatch(/records first \(passed\)[\s\S]*readers first \(passed\)/);
      expect(r.status).toBe(0);
    });
  });
});

describe('test input series', () => {
  it('are written from a metric and its labels, with quotes and backslashes escaped as PromQL reads them', () => {
    const s = selector('up', { job: 'fluentd', mount: '/data (/dev/sdb)', odd: 'a"b\\c' });
    expect(s).toBe('up{job="fluentd", mount="/data (/dev/sdb)", odd="a\\"b\\\\c"}');
    expect(parsePromQL(s).errors).toEqual([]);
  });
});
