import { LABEL_NAME } from '../lib/core/syntax';
import { familySeries, metricsFrom, seriesNames } from '../lib/metrics/catalog';
import { labelText, thresholdText } from '../lib/review/rule-diff';
import { objectiveText } from '../lib/review/slo-diff';
import { alertTemplateLabels, labelProblem, legendLabels } from '../lib/rules/labels/problems';
import { labelSet, OPEN } from '../lib/rules/labels/sets';
import { LABEL_NAME_BODY, SyntaxNodeLike, childrenOf, groupingLabels, matcherJobs, selectorMatchers, syntaxTree, walk } from '../lib/rules/promql';

const m = metricsFrom('order-service');

/** The first node of a type in an expression's syntax tree. */
function first(expr: string, type: string): SyntaxNodeLike {
  let found: SyntaxNodeLike | undefined;
  walk(syntaxTree(expr), (n) => {
    if (!found && n.type.name === type) found = n;
  });
  if (!found) throw new Error(`no ${type} in ${expr}`);
  return found;
}

describe('the series of a metric family', () => {
  it('a histogram exposes _bucket with le, _sum and _count, and no series of the bare family name', () => {
    const h = m.histogram('grekko_order_execution_duration_seconds', 'seconds', ['venue'], 'Order execution time.');
    expect(familySeries(h)).toEqual([
      { name: 'grekko_order_execution_duration_seconds_bucket', labels: ['le'] },
      { name: 'grekko_order_execution_duration_seconds_sum', labels: [] },
      { name: 'grekko_order_execution_duration_seconds_count', labels: [] },
    ]);
  });

  it('a summary exposes its quantiles under the family name with quantile, then _sum and _count', () => {
    const s = m.summary('grekko_risk_check_seconds', 'seconds', [], 'Risk check time.');
    expect(familySeries(s)).toEqual([
      { name: 'grekko_risk_check_seconds', labels: ['quantile'] },
      { name: 'grekko_risk_check_seconds_sum', labels: [] },
      { name: 'grekko_risk_check_seconds_count', labels: [] },
    ]);
  });

  it('a counter or gauge is one series with only its own labels, and seriesNames lists the same names', () => {
    const c = m.counter('grekko_orders_total', 'orders', ['venue'], 'Orders placed.');
    expect(familySeries(c)).toEqual([{ name: 'grekko_orders_total', labels: [] }]);
    const h = m.histogram('grekko_fill_seconds', 'seconds', [], 'Fill time.');
    expect(seriesNames(h)).toEqual(familySeries(h).map((x) => x.name));
  });
});

describe('reading selectors and grouping lists from the syntax tree', () => {
  const jobs = (expr: string) => matcherJobs(selectorMatchers(expr, first(expr, 'VectorSelector')).matchers);

  it('a selector is limited to the jobs its job matcher names, by equality or by a regex of plain names', () => {
    expect(jobs('up{job="order-service"}')).toEqual(['order-service']);
    expect(jobs('up{namespace="grekko", job=~"kubelet|cadvisor"}')).toEqual(['kubelet', 'cadvisor']);
  });

  it('a job regex with wildcards, a negative matcher or no job matcher limits nothing', () => {
    expect(jobs('up{job=~"order-.*"}')).toBeUndefined();
    expect(jobs('up{job!="kubelet"}')).toBeUndefined();
    expect(jobs('up{namespace="grekko"}')).toBeUndefined();
  });

  it('a by list gives its labels in the order written, quoted names unquoted', () => {
    const expr = 'sum by (namespace, "service") (rate(http_requests_total[5m]))';
    expect(groupingLabels(expr, first(expr, 'GroupingLabels'))).toEqual(['namespace', 'service']);
    expect(groupingLabels(expr, null)).toEqual([]);
  });

  it('walk visits every node in the order written, childrenOf gives the direct children', () => {
    const expr = 'a / on (job) b + c';
    const names: string[] = [];
    walk(syntaxTree(expr), (n) => {
      if (n.type.name === 'Identifier') names.push(expr.slice(n.from, n.to));
    });
    expect(names).toEqual(['a', 'b', 'c']);
    const top = first(expr, 'BinaryExpr');
    expect(childrenOf(top).map((c) => c.type.name)).toEqual(['BinaryExpr', 'Add', 'VectorSelector']);
  });
});

describe('the label-name rule in composed patterns', () => {
  it('is the rule of lib/core/syntax.ts without its anchors', () => {
    expect(new RegExp(`^${LABEL_NAME_BODY}$`).source).toBe(LABEL_NAME.source);
  });

  it('an alert template and a legend name only valid label names', () => {
    expect(alertTemplateLabels('{{ $labels.venue }} on {{ $labels.9venue }}').map((r) => r.label)).toEqual(['venue']);
    expect(legendLabels('{{ instance }} {{job}} {{ 2x }} {{ a-b }}').map((r) => r.label)).toEqual(['instance', 'job']);
  });
});

describe('a label named where no series carries it', () => {
  const within = labelSet(['__name__', 'service', 'job', 'namespace']);

  it('is a problem that lists the labels available, sorted and without __name__', () => {
    expect(labelProblem('servce', 'by', 'sum by (servce)', within)).toEqual({
      label: 'servce',
      use: 'by',
      clause: 'sum by (servce)',
      available: ['job', 'namespace', 'service'],
    });
    expect(labelProblem('pod', 'on', 'on (pod)', within, 'neither side carries it')?.reason).toBe('neither side carries it');
  });

  it('is no problem when the series carry it, when it is __name__, or when the set is open', () => {
    expect(labelProblem('service', 'by', 'sum by (service)', within)).toBeUndefined();
    expect(labelProblem('__name__', 'matcher', 'x{__name__="y"}', within)).toBeUndefined();
    expect(labelProblem('node_label_zone', 'by', 'sum by (node_label_zone)', OPEN)).toBeUndefined();
  });
});

describe('what a reviewer reads of a rule', () => {
  it('an alert threshold is the comparison against a number, as written', () => {
    expect(thresholdText('sum(rate(errors[5m])) / sum(rate(total[5m])) > 0.05')).toBe('> 0.05');
    expect(thresholdText('0.9 < ratio')).toBe('> 0.9');
    expect(thresholdText('absent(up)')).toBe('');
  });

  it('labels read sorted by name, and an objective ratio with its percentage', () => {
    expect(labelText({ severity: 'critical', env: 'production' })).toBe('env="production", severity="critical"');
    expect(objectiveText('0.999')).toBe('0.999 (99.9%)');
    expect(objectiveText('')).toBe('');
  });
});
