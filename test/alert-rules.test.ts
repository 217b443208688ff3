import * as fs from 'node:fs';
import { ALERT_GROUPS, RULE_TESTS, renderOptions, ruleFiles } from '../alerts';
import { grafanaPublicUrl } from '../lib/components/grafana/grafana';
import { parsePromQL } from '../lib/rules/promql';
import { PromtoolRun, RuleTestSuite, coverage, runPromtoolTests, selector, validateRuleTests } from '../lib/rules/testing';
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

describe('test input series', () => {
  it('are written from a metric and its labels, with quotes and backslashes escaped as PromQL reads them', () => {
    const s = selector('up', { job: 'fluentd', mount: '/data (/dev/sdb)', odd: 'a"b\\c' });
    expect(s).toBe('up{job="fluentd", mount="/data (/dev/sdb)", odd="a\\"b\\\\c"}');
    expect(parsePromQL(s).errors).toEqual([]);
  });
});
