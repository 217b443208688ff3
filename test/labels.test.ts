import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { DASHBOARDS, DASHBOARD_UIDS, grekkoDashboards } from '../dashboards';
import { DashboardDefinition, defineDashboard, labelVariable, namespaceVariable, q, timeSeries } from '../lib/dashboards';
import { MetricsIndex, metricsFrom } from '../lib/metrics/catalog';
import { LabelSet, seriesLookup } from '../lib/rules/labels/sets';
import { alertTemplateLabels } from '../lib/rules/labels/problems';
import { catalogSeriesLabels, withRecordedSeries, DEFAULT_OPEN_JOBS, DEFAULT_TARGET_LABELS } from '../lib/rules/labels/series';
import { inferLabels } from '../lib/rules/labels/inference';
import { buildRuleFiles } from '../lib/rules/render';
import { AlertRule, RecordingRule, Rule, RuleGroup, isAlert } from '../lib/rules/types';
import { githubSlug, markdownAnchors } from '../lib/rules/markdown-anchors';
import { METRICS } from '../metrics';
import { SCRAPE_JOB_LABELS } from '../metrics/real-programs';
import { ENVIRONMENTS, find, synth } from './support/synth';
import { describeWithTools, promtool, run } from './support/tools';

const good: AlertRule = {
  alert: 'OrderServiceErrors',
  severity: 'warning',
  expr: 'sum by (namespace, job, service) (rate(http_requests_total{code=~"5.."}[5m])) > 1',
  for: '5m',
  summary: '{{ $labels.service }} fails',
  description: '{{ $labels.job }} in {{ $labels.namespace }} answers with errors',
  runbook: 'docs/runbooks/high-error-rates.md',
};
const group = (...rules: Rule[]): RuleGroup => ({ name: 'orders', source: 'alerts/orders.ts', rules });
const build = (...groups: RuleGroup[]) =>
  buildRuleFiles(groups, { catalog: METRICS, repositoryRoot: REPOSITORY_ROOT, runbookBaseUrl: 'https://example.test/' });
const at = '^alert "OrderServiceErrors" \\(alerts/orders\\.ts\\): ';
const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a label no series of the expression carries fails synth, naming the rule, its file, the field, the label and the likely one', () => {
  const cases: Array<[string, Rule[], RegExp]> = [
    [
      'a misspelt matcher label',
      [{ ...good, expr: 'probe_success{prob="health"} == 0', summary: 'down', description: 'down' }],
      new RegExp(
        `${at}expr is "prob"; ${re('label "prob" in "probe_success{prob="health"}": no series of this expression carries it; did you mean "probe"? labels available: ')}.*\\bcheck\\b.*\\bprobe\\b`,
      ),
    ],
    [
      'a misspelt by label',
      [{ ...good, expr: 'sum by (namespace, job, servce) (rate(http_requests_total[5m])) > 1', summary: 'x', description: 'x' }],
      new RegExp(
        `${at}expr is "servce"; ${re('label "servce" in "sum by (namespace, job, servce)": no series of this expression carries it; did you mean "service"? labels available: ')}.*\\broute\\b.*\\bservice\\b`,
      ),
    ],
    [
      'a misspelt without label',
      [{ ...good, expr: 'sum without (rout) (rate(http_requests_total[5m])) > 1', summary: 'x', description: 'x' }],
      new RegExp(`${at}expr is "rout"; ${re('label "rout" in "sum without (rout)": no series of this expression carries it; did you mean "route"?')}`),
    ],
    [
      'a misspelt on label',
      [
        {
          ...good,
          expr: 'sum by (job) (rate(http_requests_total[5m])) / on (jbo) sum by (job) (rate(http_requests_total[5m])) > 1',
          summary: 'x',
          description: 'x',
        },
      ],
      new RegExp(`${at}expr is "jbo"; ${re('label "jbo" in "on (jbo)": neither side carries it; did you mean "job"? labels available: job')}$`),
    ],
    [
      'a misspelt ignoring label',
      [
        {
          ...good,
          expr: 'sum by (job, code) (rate(http_requests_total[5m])) / ignoring (cod) group_left sum by (job) (rate(http_requests_total[5m])) > 1',
          summary: 'x',
          description: 'x',
        },
      ],
      new RegExp(
        `${at}expr is "cod"; ${re('label "cod" in "ignoring (cod) group_left": neither side carries it; did you mean "code"? labels available: code, job')}$`,
      ),
    ],
    [
      'a group_left label the one side does not carry',
      [
        {
          ...good,
          expr: 'sum by (job, code) (rate(http_requests_total[5m])) / on (job) group_left (route) sum by (job) (rate(http_requests_total[5m])) > 1',
          summary: 'x',
          description: 'x',
        },
      ],
      new RegExp(
        `${at}expr is "route"; ${re('label "route" in "on (job) group_left (route)": the right ("one") side does not carry it, so there is nothing to copy; labels available: job')}$`,
      ),
    ],
    [
      'a misspelt $labels in the summary',
      [{ ...good, summary: '{{ $labels.servce }} fails' }],
      new RegExp(
        `${at}summary is "servce"; ${re('label "servce" in "{{ $labels.servce }}": no series of the expression\'s result carries it; did you mean "service"? labels available: job, namespace, service')}$`,
      ),
    ],
    [
      'a .Labels the result dropped, in the description',
      [{ ...good, description: 'route {{ .Labels.route }} fails' }],
      new RegExp(
        `${at}description is "route"; ${re('label "route" in "{{ .Labels.route }}": no series of the expression\'s result carries it; labels available: job, namespace, service')}$`,
      ),
    ],
    [
      'a static label read through $labels (Prometheus fills $labels from the result series only)',
      [{ ...good, labels: { team: 'trading' }, summary: '{{ $labels.team }}: {{ $labels.service }} fails' }],
      new RegExp(
        `${at}summary is "team"; label "team" .*it is a static label of this rule, and Prometheus fills \\$labels from the series of the expression's result only; write its value into the text`,
      ),
    ],
    [
      'a misspelt label in a recording rule',
      [{ record: 'job:http_requests:rate5m', expr: 'sum by (jb) (rate(http_requests_total[5m]))' } as RecordingRule],
      /^recording rule "job:http_requests:rate5m" \(alerts\/orders\.ts\): expr is "jb"; label "jb" in "sum by \(jb\)": no series of this expression carries it; did you mean "job"\?/,
    ],
    [
      'a label a recorded series no longer carries',
      [
        { ...good, expr: 'sum by (route) (job:http_requests:rate5m) > 1', summary: 'x', description: 'x' },
        { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', labels: { tier: 'api' } } as RecordingRule,
      ],
      new RegExp(`${at}expr is "route"; ${re('label "route" in "sum by (route)": no series of this expression carries it; labels available: job, tier')}$`),
    ],
    [
      'a label a histogram_quantile dropped',
      [
        {
          ...good,
          expr: 'max by (le) (histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))) > 1',
          summary: 'x',
          description: 'x',
        },
      ],
      new RegExp(`${at}expr is "le"; ${re('label "le" in "max by (le)": no series of this expression carries it; labels available: job')}$`),
    ],
    [
      'a runbook anchor that is no heading of the runbook',
      [{ ...good, runbook: 'docs/runbooks/slo-error-budget.md#api-latncy' }],
      new RegExp(
        `${at}${re('runbook is "docs/runbooks/slo-error-budget.md#api-latncy"; the file has no heading with the anchor "#api-latncy"; did you mean "#api-latency"? anchors in docs/runbooks/slo-error-budget.md: #error-budget-burning-slo-alerts, #first-checks-for-every-slo, #api-latency,')}`,
      ),
    ],
  ];
  it.each(cases)('%s', (_what, rules, message) => {
    expect(() => build(group(...rules))).toThrow(message);
  });

  it('accepts labels the propagation keeps: without, histogram_quantile, label_replace, group_left, absent, a recording-rule chain in any order, and $labels of the result', () => {
    const rules: Rule[] = [
      {
        ...good,
        alert: 'A1',
        expr: 'sum without (instance, pod) (rate(http_requests_total[5m])) > 1',
        summary: '{{ $labels.route }} {{ $labels.code }} {{ $labels.job }}',
      },
      {
        ...good,
        alert: 'A2',
        expr: 'histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
        summary: '{{ $labels.job }}',
        description: 'slow',
      },
      {
        ...good,
        alert: 'A3',
        expr: 'max by (svc) (label_replace(sum by (service) (rate(http_requests_total[5m])), "svc", "$1", "service", "(.*)")) > 1',
        summary: '{{ $labels.svc }}',
        description: 'x',
      },
      {
        ...good,
        alert: 'A4',
        expr: 'sum by (job, code) (rate(http_requests_total[5m])) / on (job) group_left (tier) job:http_requests:rate5m > 0.5',
        summary: '{{ $labels.code }} {{ $labels.tier }}',
        description: '{{ $labels.job }}',
      },
      {
        ...good,
        alert: 'A5',
        expr: 'absent(up{job="order-service", namespace="trading"})',
        summary: '{{ $labels.job }} {{ $labels.namespace }}',
        description: 'no series',
      },
      {
        ...good,
        alert: 'A6',
        expr: 'sum by (tier) (jobtier:http_requests:rate5m) > 1',
        labels: { team: 'trading' },
        summary: '{{ $labels.tier }}',
        description: 'x',
      },
      // Recorded from a recorded series defined below it: the order of rules does not matter.
      { record: 'jobtier:http_requests:rate5m', expr: 'sum by (job, tier) (job:http_requests:rate5m)' } as RecordingRule,
      { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', labels: { tier: 'api' } } as RecordingRule,
    ];
    expect(() => build(group(...rules))).not.toThrow();
  });

  it('accepts a runbook anchor GitHub gives a heading', () => {
    expect(() => build(group({ ...good, runbook: 'docs/runbooks/slo-error-budget.md#first-checks-for-every-slo' }))).not.toThrow();
  });
});

describe('the target labels the inference assumes are the ones the generated scrape jobs add', () => {
  it.each(ENVIRONMENTS)(
    '%s: every label a relabelling or static target sets is a target label, a catalog label of the job, or comes from an open labelmap of a job the inference leaves open',
    (env) => {
      const config = parse(find(synth(env).objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
      const known = new Set([...DEFAULT_TARGET_LABELS, ...SCRAPE_JOB_LABELS.flatMap((x) => x.labels)]);
      const catalogLabels = new Set(METRICS.all.flatMap((x) => x.labels));
      const unexpected: string[] = [];
      for (const job of config.scrape_configs as Array<Record<string, any>>) {
        for (const g of job.static_configs ?? [])
          for (const l of Object.keys(g.labels ?? {})) if (!l.startsWith('__') && !known.has(l)) unexpected.push(`${job.job_name}: static ${l}`);
        for (const r of job.relabel_configs ?? []) {
          const action = r.action ?? 'replace';
          if (action === 'replace' && !String(r.target_label).startsWith('__') && !known.has(r.target_label))
            unexpected.push(`${job.job_name}: ${r.target_label}`);
          if (action === 'labelmap') {
            const alternatives = /\(([\w|]+)\)$/.exec(r.regex)?.[1];
            if (alternatives && r.replacement) {
              for (const a of alternatives.split('|'))
                if (!known.has(r.replacement.replace('$1', a))) unexpected.push(`${job.job_name}: labelmap ${r.replacement.replace('$1', a)}`);
            } else if (!DEFAULT_OPEN_JOBS.includes(job.job_name)) unexpected.push(`${job.job_name}: open labelmap ${r.regex}`);
          }
        }
        for (const r of job.metric_relabel_configs ?? [])
          if ((r.action ?? 'replace') === 'replace' && !catalogLabels.has(r.target_label)) unexpected.push(`${job.job_name}: metric ${r.target_label}`);
      }
      expect(unexpected).toEqual([]);
    },
  );
});

describe('alert templates', () => {
  it("read the alert's labels through $labels, .Labels and index, but .Labels inside range and with is another value", () => {
    const refs = alertTemplateLabels('{{ $labels.a }} {{ .Labels.b }} {{ range query "up" }}{{ .Labels.c }} {{ $labels.d }}{{ end }} {{ index $labels "e" }}');
    expect(refs.map((r) => r.label)).toEqual(['a', 'b', 'd', 'e']);
  });
});

describe('GitHub heading anchors', () => {
  it('lowercases, drops punctuation, turns spaces into "-", and numbers repeated headings -1, -2', () => {
    expect(githubSlug('Error budget burning (SLO alerts)')).toBe('error-budget-burning-slo-alerts');
    expect(githubSlug('First checks, for every SLO')).toBe('first-checks-for-every-slo');
    expect(githubSlug('`kubectl` & [the docs](https://x.test)')).toBe('kubectl--the-docs');
    expect(githubSlug('snake_case stays')).toBe('snake_case-stays');
    expect(markdownAnchors('# Top\n\n## Checks\n\n```sh\n# not a heading\n```\n\n## Checks\n\nChecks\n------\n\n## Checks-1 #\n')).toEqual([
      'top',
      'checks',
      'checks-1',
      'checks-2',
      'checks-1-1',
    ]);
  });
});

describe('a dashboard label no series of the query carries fails synth, naming dashboard, panel, field and the likely label', () => {
  const panel = (expr: string, legend?: string) => timeSeries({ w: 12, h: 8, title: 'Orders per second', queries: [q(expr, legend)] });
  const bad = (uid: string, expr: string, legend?: string, variables = [namespaceVariable('up')]) =>
    defineDashboard({
      uid,
      title: 'Bad',
      folder: 'Grekko',
      tags: ['grekko'],
      source: 'dashboards/bad.ts',
      description: 'bad input',
      variables,
      rows: [{ title: 'Row', panels: [panel(expr, legend)] }],
    });
  const where = '^dashboard "bad" \\(dashboards/bad\\.ts\\) panel "Orders per second": ';

  const cases: Array<[string, DashboardDefinition, RegExp]> = [
    [
      'a misspelt matcher label',
      bad('bad', 'sum(rate(probe_success{prob="health"}[5m]))'),
      new RegExp(`${where}targets\\[A\\]\\.expr label of probe_success is "prob"; match on a label probe_success carries: .*probe`),
    ],
    [
      'a misspelt by label, after Grafana variables are substituted',
      bad('bad', 'sum by (namespace, job, servce) (rate(grekko_orders_total{namespace=~"$namespace"}[$__rate_interval]))'),
      new RegExp(
        `${where}targets\\[A\\]\\.expr is "servce"; ${re('label "servce" in "sum by (namespace, job, servce)": no series of this expression carries it; did you mean "service"?')}`,
      ),
    ],
    [
      'a misspelt on label',
      bad('bad', 'sum by (venue) (rate(grekko_orders_total[5m])) / on (venu) sum by (venue) (rate(grekko_orders_total[5m]))'),
      new RegExp(
        `${where}targets\\[A\\]\\.expr is "venu"; ${re('label "venu" in "on (venu)": neither side carries it; did you mean "venue"? labels available: venue')}$`,
      ),
    ],
    [
      'a misspelt ignoring label',
      bad('bad', 'sum by (venue, side) (rate(grekko_orders_total[5m])) / ignoring (sid) group_left sum by (venue) (rate(grekko_orders_total[5m]))'),
      new RegExp(`${where}targets\\[A\\]\\.expr is "sid"; ${re('label "sid" in "ignoring (sid) group_left": neither side carries it; did you mean "side"?')}`),
    ],
    [
      'a group_left label the one side does not carry',
      bad('bad', 'sum by (venue, side) (rate(grekko_orders_total[5m])) / on (venue) group_left (outcome) sum by (venue) (rate(grekko_orders_total[5m]))'),
      new RegExp(
        `${where}targets\\[A\\]\\.expr is "outcome"; ${re('label "outcome" in "on (venue) group_left (outcome)": the right ("one") side does not carry it')}`,
      ),
    ],
    [
      'a legend label the query dropped',
      bad('bad', 'sum by (venue) (rate(grekko_orders_total[5m]))', '{{venue}} {{ side }}'),
      new RegExp(
        `${where}targets\\[A\\]\\.legendFormat is "side"; ${re('label "side" in "{{ side }}": no series of the expression\'s result carries it; labels available: venue')}$`,
      ),
    ],
    [
      'a label_values variable over a label the metric lacks',
      bad('bad', 'sum(rate(grekko_orders_total[5m]))', undefined, [namespaceVariable('up'), labelVariable('venue', 'Venue', 'grekko_orders_total', 'venu')]),
      new RegExp(
        `^dashboard "bad" \\(dashboards/bad\\.ts\\) variable "venue": query is "venu"; ${re('label "venu" in "label_values(grekko_orders_total, venu)"')}.*did you mean "venue"\\?`,
      ),
    ],
  ];
  it.each(cases)('%s', (_what, d, message) => {
    expect(() => grekkoDashboards({ dashboards: [d] })).toThrow(message);
  });

  it('accepts labels the propagation keeps, in queries and legends: without, histogram_quantile, label_replace, group_left, recorded series', () => {
    const ok = [
      bad('ok-without', 'sum without (instance, pod) (rate(grekko_orders_total[5m]))', '{{venue}} {{side}} {{outcome}} {{job}}'),
      bad('ok-quantile', 'histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))', '{{job}}'),
      bad('ok-replace', 'label_replace(sum by (venue) (rate(grekko_orders_total[5m])), "exchange", "$1", "venue", "(.*)")', '{{exchange}} {{venue}}'),
      bad(
        'ok-group-left',
        'sum by (venue, side) (rate(grekko_orders_total[5m])) / on (venue) group_left sum by (venue) (rate(grekko_orders_total[5m]))',
        '{{venue}} {{side}}',
      ),
      bad('ok-variable', 'sum(rate(grekko_orders_total{venue=~"$venue"}[5m]))', undefined, [
        namespaceVariable('up'),
        labelVariable('venue', 'Venue', 'grekko_orders_total', 'venue'),
      ]),
    ];
    expect(() => grekkoDashboards({ dashboards: ok })).not.toThrow();
  });
});

describe('label mistakes in the shipped content fail synth', () => {
  /** The shipped groups with one alert's fields changed. */
  const alteredGroups = (change: (a: AlertRule) => AlertRule | undefined): { groups: RuleGroup[]; alert: AlertRule; source: string } => {
    let hit: { alert: AlertRule; source: string } | undefined;
    const groups = ALERT_GROUPS.map((g) => ({
      ...g,
      rules: g.rules.map((r) => {
        if (hit || !isAlert(r)) return r;
        const changed = change(r);
        if (!changed) return r;
        hit = { alert: r, source: g.source };
        return changed;
      }),
    }));
    if (!hit) throw new Error('no shipped alert to change');
    return { groups, ...hit };
  };
  const buildShipped = (groups: readonly RuleGroup[]) =>
    buildRuleFiles(groups, {
      catalog: METRICS,
      repositoryRoot: REPOSITORY_ROOT,
      runbookBaseUrl: 'https://x/',
      dashboardBaseUrl: 'https://g/d/',
      dashboardUids: new Set(Object.values(DASHBOARD_UIDS)),
    });

  it('the shipped rules and dashboards name only labels their series carry', () => {
    expect(() => buildShipped(ALERT_GROUPS)).not.toThrow();
    expect(() => grekkoDashboards()).not.toThrow();
  });

  it.each([
    [
      'a by label',
      // Not over ALERTS: it carries any labels, so a by label of it is checked only through the templates.
      (a: AlertRule) =>
        /\bby \((?:[^)]*, )?service\b/.test(a.expr) && !a.expr.includes('ALERTS')
          ? { ...a, expr: a.expr.replace(/(\bby \((?:[^)]*, )?)service\b/, '$1servce') }
          : undefined,
      'servce',
    ],
    [
      'a matcher label',
      (a: AlertRule) => (/probe_success\{probe=/.test(a.expr) ? { ...a, expr: a.expr.replace('probe_success{probe=', 'probe_success{prob=') } : undefined),
      'prob',
    ],
    [
      'an on label',
      (a: AlertRule) => (/\bon \(namespace, /.test(a.expr) ? { ...a, expr: a.expr.replace(/\bon \(namespace, /, 'on (namespce, ') } : undefined),
      'namespce',
    ],
    [
      'a $labels in the summary',
      (a: AlertRule) => (a.summary.includes('$labels.service') ? { ...a, summary: a.summary.replace('$labels.service', '$labels.servce') } : undefined),
      'servce',
    ],
  ])('%s misspelt in a shipped alert', (_what, change, label) => {
    const { groups, alert, source } = alteredGroups(change);
    expect(() => buildShipped(groups)).toThrow(
      new RegExp(`^alert "${alert.alert}" \\(${re(source)}\\): (expr|summary) is "${label}"; label "${label}" in ".*": .*did you mean`),
    );
  });

  it('a legend label misspelt in a shipped dashboard', () => {
    const d = DASHBOARDS.find((x) => x.uid === 'grekko-trading') ?? DASHBOARDS[0];
    const model = JSON.parse(JSON.stringify(d.model)) as DashboardDefinition['model'];
    const p = (model.panels ?? []).find((x) =>
      ((x as { targets?: Array<{ legendFormat?: string }> }).targets ?? []).some((t) => /\{\{\s*venue\s*\}\}/.test(t.legendFormat ?? '')),
    );
    if (!p) throw new Error('no panel with a venue legend');
    const t = (p as unknown as { targets: Array<{ legendFormat?: string; refId: string }> }).targets.find((x) =>
      /\{\{\s*venue\s*\}\}/.test(x.legendFormat ?? ''),
    );
    t!.legendFormat = t!.legendFormat!.replace(/\{\{\s*venue\s*\}\}/, '{{venu}}');
    expect(() => grekkoDashboards({ dashboards: DASHBOARDS.map((x) => (x === d ? { ...d, model } : x)) })).toThrow(
      new RegExp(
        `^dashboard "${d.uid}" \\(${re(d.source)}\\) panel "${re(p.title ?? '')}": targets\\[${t!.refId}\\]\\.legendFormat is "venu"; label "venu" in "\\{\\{venu\\}\\}": .*did you mean "venue"\\?`,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The inference against the real Prometheus: promtool evaluates each expression on test series
// and compares the exact labels of every result sample; the inference must name the same labels.

const m = metricsFrom('test');
const TEST_CATALOG = new MetricsIndex([
  m.counter('req_total', 'requests', ['code', 'service'], 'requests'),
  m.gauge('build_info', '1', ['service', 'version'], 'build'),
  m.histogram('lat_seconds', 'seconds', ['service'], 'latency'),
]);
const TEST_RULES: RuleGroup = {
  name: 'chain',
  source: 'test',
  rules: [
    // Reads the series recorded by the rule after it.
    { record: 'service:req:rate5m', expr: 'sum by (service) (service_code:req:rate5m)' },
    { record: 'service_code:req:rate5m', expr: 'sum by (service, code) (rate(req_total[5m]))', labels: { team: 'trading' } },
  ],
};
const target = { job: 'api', instance: 'a:1' };
const SERIES = [
  { series: 'req_total{job="api",instance="a:1",code="200",service="orders"}', values: '0+60x10' },
  { series: 'req_total{job="api",instance="a:1",code="500",service="orders"}', values: '0+30x10' },
  { series: 'build_info{job="api",instance="a:1",service="orders",version="1.2"}', values: '1x10' },
  { series: 'lat_seconds_bucket{job="api",instance="a:1",service="orders",le="0.1"}', values: '0+30x10' },
  { series: 'lat_seconds_bucket{job="api",instance="a:1",service="orders",le="+Inf"}', values: '0+60x10' },
];
/** Expression, and the exact samples Prometheus returns at 7m (every 5m window full, the chained rule reading a full one too). */
const EVALUATIONS: Array<[string, Array<{ labels: Record<string, string>; value: number }>]> = [
  ['sum by (service) (rate(req_total[5m]))', [{ labels: { service: 'orders' }, value: 1.5 }]],
  ['sum without (code, instance) (rate(req_total[5m]))', [{ labels: { job: 'api', service: 'orders' }, value: 1.5 }]],
  ['histogram_quantile(0.5, sum by (le, service) (rate(lat_seconds_bucket[5m])))', [{ labels: { service: 'orders' }, value: 0.1 }]],
  ['label_replace(sum by (service) (rate(req_total[5m])), "svc", "$1", "service", "(.*)")', [{ labels: { service: 'orders', svc: 'orders' }, value: 1.5 }]],
  [
    'sum by (service, code) (rate(req_total[5m])) * on (service) group_left (version) build_info',
    [
      { labels: { service: 'orders', code: '200', version: '1.2' }, value: 1 },
      { labels: { service: 'orders', code: '500', version: '1.2' }, value: 0.5 },
    ],
  ],
  // One-to-one `on`: only the matching labels are left.
  [
    'sum by (service, code) (rate(req_total{code="500"}[5m])) * on (service) sum by (service) (rate(req_total[5m]))',
    [{ labels: { service: 'orders' }, value: 0.75 }],
  ],
  [
    'sum by (service, code) (rate(req_total{code="500"}[5m])) * ignoring (code) sum by (service) (rate(req_total[5m]))',
    [{ labels: { service: 'orders' }, value: 0.75 }],
  ],
  // A comparison without bool keeps the series, metric name included.
  ['req_total{code="500"} > 0', [{ labels: { __name__: 'req_total', ...target, code: '500', service: 'orders' }, value: 210 }]],
  ['absent(req_total{service="payments", code=~"5.."})', [{ labels: { service: 'payments' }, value: 1 }]],
  ['count_values("value", build_info)', [{ labels: { value: '1' }, value: 1 }]],
  ['topk(1, req_total)', [{ labels: { __name__: 'req_total', ...target, code: '200', service: 'orders' }, value: 420 }]],
  // quantile aggregates like sum: it keeps the grouping labels, not the input series.
  ['quantile(0.5, rate(req_total[5m]))', [{ labels: {}, value: 0.75 }]],
  [
    'sum by (service) (rate(req_total[5m])) or vector(0)',
    [
      { labels: { service: 'orders' }, value: 1.5 },
      { labels: {}, value: 0 },
    ],
  ],
  ['req_total unless on (code) req_total{code="500"}', [{ labels: { __name__: 'req_total', ...target, code: '200', service: 'orders' }, value: 420 }]],
  ['service:req:rate5m', [{ labels: { __name__: 'service:req:rate5m', service: 'orders' }, value: 1.5 }]],
  ['service_code:req:rate5m{code="500"}', [{ labels: { __name__: 'service_code:req:rate5m', service: 'orders', code: '500', team: 'trading' }, value: 0.5 }]],
];

const testLabels = seriesLookup(
  withRecordedSeries(catalogSeriesLabels(TEST_CATALOG.all, { targetLabels: ['job', 'instance'], openSources: [], everyTargetSources: [] }), [TEST_RULES]),
);
const names = (s: LabelSet) => [...s.names].filter((l) => l !== '__name__').sort();

describe('the inferred labels of an expression are the labels Prometheus gives its result', () => {
  it.each(EVALUATIONS)('%s', (expr, samples) => {
    const inf = inferLabels(expr, testLabels);
    expect(inf.problems).toEqual([]);
    expect(inf.result.open).toBe(false);
    expect(names(inf.result)).toEqual([...new Set(samples.flatMap((s) => Object.keys(s.labels)))].filter((l) => l !== '__name__').sort());
  });
});

describeWithTools('promtool 2.42 evaluates the same expressions to series with exactly those labels', [promtool], () => {
  it('promtool test rules passes on every evaluation, and on $labels leaving out static labels', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labels-'));
    const rules = {
      groups: [
        {
          name: TEST_RULES.name,
          rules: [
            ...TEST_RULES.rules.map((r) => ({ record: (r as RecordingRule).record, expr: r.expr, ...(r.labels ? { labels: r.labels } : {}) })),
            {
              alert: 'Errors',
              expr: 'service_code:req:rate5m{code="500"} > 0',
              labels: { severity: 'warning', owner: 'desk' },
              annotations: { summary: 'service={{ $labels.service }} team={{ $labels.team }} owner={{ $labels.owner }}' },
            },
          ],
        },
      ],
    };
    const label = (l: Record<string, string>) => {
      const { __name__: name, ...rest } = l;
      return `${name ?? ''}{${Object.entries(rest)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}}`;
    };
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: SERIES,
          promql_expr_test: EVALUATIONS.map(([expr, samples]) => ({
            expr,
            eval_time: '7m',
            exp_samples: samples.map((s) => ({ labels: label(s.labels), value: s.value })),
          })),
          alert_rule_test: [
            {
              eval_time: '7m',
              alertname: 'Errors',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', owner: 'desk', service: 'orders', code: '500', team: 'trading' },
                  // team comes with the recorded series; owner is the alert's own static label: empty in $labels.
                  exp_annotations: { summary: 'service=orders team=trading owner=' },
                },
              ],
            },
          ],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'rules.yml'), stringify(rules));
    fs.writeFileSync(path.join(dir, 'tests.yml'), stringify(tests));
    const r = run(promtool.path as string, ['test', 'rules', 'tests.yml'], { cwd: dir });
    if (r.status !== 0) throw new Error(`promtool test rules failed (files in ${dir}):\n${r.stdout}${r.stderr}`);
    expect(r.stdout).toMatch(/SUCCESS/);
    // And the inference agrees on the alert: team is on the result, owner is not.
    const inf = inferLabels('service_code:req:rate5m{code="500"} > 0', testLabels);
    expect(inf.result.names.has('team')).toBe(true);
    expect(inf.result.names.has('owner')).toBe(false);
  });
});
