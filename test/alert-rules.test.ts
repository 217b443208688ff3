import { ALERT_GROUPS, RULE_TESTS, renderOptions, ruleFiles } from '../alerts';
import { grafanaPublicUrl } from '../lib/components/grafana';
import { PromtoolRun, coverage, runPromtoolTests, validateRuleTests } from '../lib/rules/testing';
import { METRICS } from '../metrics';
import { local } from '../stacks/local';
import { describeWithTools, promtool } from './support/tools';

const grafanaUrl = grafanaPublicUrl(local.namespace, local.grafana);

describeWithTools('every alert is proven by promtool unit tests', [promtool], () => {
  let runs: PromtoolRun[] = [];
  beforeAll(async () => {
    runs = await runPromtoolTests(promtool.path!, ruleFiles(grafanaUrl), ALERT_GROUPS, RULE_TESTS, renderOptions(grafanaUrl));
  });

  it('tests name only alerts that exist and series from the metrics catalog', () => {
    expect(() => validateRuleTests(ALERT_GROUPS, RULE_TESTS, METRICS)).not.toThrow();
  });

  it.each(RULE_TESTS.map((s) => s.source))('promtool test rules passes for %s', (source) => {
    const r = runs.find((x) => x.source === source)!;
    if (r.status !== 0) throw new Error(`promtool test rules failed (files in ${r.dir}):\n${r.output}`);
    expect(r.output).toContain('SUCCESS');
  });

  it('every alert has a case where it fires and a case where it stays quiet', () => {
    // The Watchdog fires by design at every evaluation: it has no quiet case.
    const missing = coverage(ALERT_GROUPS, RULE_TESTS).filter((c) => c.firing === 0 || (c.quiet === 0 && c.alert !== 'Watchdog'));
    expect(missing).toEqual([]);
  });
});
