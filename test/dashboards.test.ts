import { ALERT_GROUPS, REPOSITORY_ROOT } from '../alerts';
import { DASHBOARDS, DASHBOARD_UIDS, grekkoDashboards } from '../dashboards';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DashboardDefinition,
  DashboardRow,
  GRAFANA_SCHEMA_VERSION,
  MAX_PANEL_ID,
  allPanels,
  note,
  panelId,
  withKey,
  dashboardQueries,
  dataPanels,
  defineDashboard,
  findDashboardProblems,
  namespaceVariable,
  parseDashboardQuery,
  q,
  statPanel,
  substituteGrafana,
  timeSeries,
  upDownMappings,
  warnAt,
} from '../lib/dashboards';
import { renderDashboardsMarkdown } from '../lib/dashboards/docs';
import { rangeText } from '../lib/dashboards/panel-facts';
import { renderWireframeSvg } from '../lib/dashboards/wireframe';
import { IMAGES } from '../lib/core/images';
import { parsePromQL } from '../lib/rules/promql';
import { SLO_RECORDS } from '../lib/rules/slo';
import { CI_METRICS } from '../metrics/ci';
import { METRICS } from '../metrics';
import { REGENERATE, outOfDate } from '../scripts/dashboards-docs';
import { PROFILES } from '../stacks/environments';
import { parse as parseYaml } from 'yaml';
import { dashboardJson } from '../lib/components/grafana/config';
import { toManifestYaml } from '../lib/synth';
import { ENVIRONMENTS, find, loadedContent, ofKind, synth, synthProfile } from './support/synth';

const byUid = (uid: string): DashboardDefinition => {
  const d = DASHBOARDS.find((x) => x.uid === uid);
  if (!d) throw new Error(`no dashboard ${uid}`);
  return d;
};
const rowTitles = (d: DashboardDefinition) => (d.model.panels ?? []).filter((p) => p.type === 'row').map((p) => p.title);
const panelTitles = (d: DashboardDefinition) => dataPanels(d.model).map((p) => p.title);
const allExprs = (d: DashboardDefinition) => dashboardQueries(d).map((x) => x.expr);
const opts = { catalog: METRICS.all, recordingRules: ALERT_GROUPS };

describe('the dashboards the strategy names', () => {
  it('Executive shows overall health, trading performance, risk, revenue and P&L, and SLO error budgets', () => {
    expect(rowTitles(byUid(DASHBOARD_UIDS.executive))).toEqual([
      'Overall system health',
      'Trading performance',
      'Revenue and P&L',
      'Risk overview',
      'SLO error budgets',
    ]);
    expect(panelTitles(byUid(DASHBOARD_UIDS.executive))).toEqual(
      expect.arrayContaining([
        'SLOs within budget',
        'Value at risk (1 day, 99%)',
        'Profit and loss of the day',
        'Every SLO: objective, budget left, burn rate',
        'Error budget left',
        'Burn rate (5 minutes)',
      ]),
    );
  });

  it('Operations shows service status, error rates and firing alerts, resource utilisation, performance trends and the synthetic checks', () => {
    expect(rowTitles(byUid(DASHBOARD_UIDS.operations))).toEqual([
      'Service status and health',
      'Error rates and alerts',
      'Resource utilisation',
      'Performance trends',
      'Security and agent coordination',
      'Health checks and synthetic transactions',
    ]);
    expect(allExprs(byUid(DASHBOARD_UIDS.operations))).toContain('probe_success == 0');
    expect(allExprs(byUid(DASHBOARD_UIDS.operations)).some((e) => e.includes('ALERTS{alertstate="firing"}'))).toBe(true);
  });

  it('Development shows rate, errors and duration per service, deployment status, and code quality and tests from CI', () => {
    const d = byUid(DASHBOARD_UIDS.development);
    expect(panelTitles(d)).toEqual(
      expect.arrayContaining([
        'Rate: requests per second',
        'Errors: share of requests failing (5xx)',
        'Duration: p50 / p95 / p99 latency',
        'Rollouts in progress',
        'Tests passing',
        'Line coverage',
      ]),
    );
    const ciMetrics = CI_METRICS.map((m) => m.name);
    expect(ciMetrics.length).toBeGreaterThanOrEqual(5);
    for (const m of ciMetrics) expect(allExprs(d).some((e) => e.includes(m))).toBe(true);
  });

  it('Trading shows market data freshness against the 1 second objective, the order book, positions and risk exposure', () => {
    const d = byUid(DASHBOARD_UIDS.trading);
    expect(rowTitles(d)).toEqual(expect.arrayContaining(['Market data', 'Order book', 'Positions and risk exposure']));
    const freshness = dataPanels(d.model).find((p) => p.title === 'Stalest feed age') as any;
    expect(freshness.fieldConfig.defaults.unit).toBe('s');
    expect(freshness.fieldConfig.defaults.thresholds.steps).toContainEqual({ value: 1, color: 'red' });
  });

  it('every component the stack depends on has its own dashboard', () => {
    const titles = DASHBOARDS.map((d) => d.title);
    for (const c of [
      'Kubernetes cluster',
      'PostgreSQL',
      'Redis',
      'InfluxDB',
      'Kafka',
      'Elasticsearch and Fluentd',
      'Jaeger',
      'Prometheus',
      'Alertmanager',
      'Thanos',
    ]) {
      expect(titles).toContain(`Platform / ${c}`);
    }
    expect(DASHBOARDS).toHaveLength(14);
  });

  it('the Kubernetes dashboard covers nodes, pods, restarts, requests against limits and quotas', () => {
    const exprs = allExprs(byUid(DASHBOARD_UIDS.kubernetes)).join('\n');
    for (const m of [
      'kube_node_status_condition',
      'kube_pod_status_phase',
      'kube_pod_container_status_restarts_total',
      'kube_pod_container_resource_requests',
      'kube_pod_container_resource_limits',
      'kube_resourcequota',
    ]) {
      expect(exprs).toContain(m);
    }
  });
});

describe('every dashboard is addressable and consistent', () => {
  it.each(DASHBOARDS.map((d) => [d.uid, d] as const))('%s has its stable uid, tags, a folder, the datasource variable and bound queries', (uid, d) => {
    expect(Object.values(DASHBOARD_UIDS)).toContain(uid);
    expect(d.model.uid).toBe(uid);
    expect(d.tags).toContain('grekko');
    expect(['Grekko', 'Platform']).toContain(d.folder);
    expect(d.model.templating?.list?.[0]).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
    const ids = allPanels(d.model).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Number.isInteger(id) && id! >= 1 && id! <= MAX_PANEL_ID).toBe(true);
    for (const p of dataPanels(d.model)) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const t of (p.targets ?? []) as any[]) expect(t).toMatchObject({ refId: expect.stringMatching(/^[A-Z]$/), datasource: { uid: '${datasource}' } });
    }
  });

  it('uses the dashboard schema of the pinned Grafana 12 image (@grafana/grafana-foundation-sdk latest line)', () => {
    expect(IMAGES.grafana.tag).toMatch(/^12\./);
    for (const d of DASHBOARDS) expect(d.model.schemaVersion).toBe(GRAFANA_SCHEMA_VERSION);
  });

  it('the services dashboards pick namespace and service; component dashboards pick their instance, cluster or topic', () => {
    const names = (uid: string) => (byUid(uid).model.templating?.list ?? []).map((v) => v.name);
    expect(names(DASHBOARD_UIDS.operations)).toEqual(['datasource', 'namespace', 'service']);
    expect(names(DASHBOARD_UIDS.development)).toEqual(['datasource', 'namespace', 'service', 'repository']);
    expect(names(DASHBOARD_UIDS.postgresql)).toEqual(['datasource', 'instance', 'datname']);
    expect(names(DASHBOARD_UIDS.kafka)).toEqual(['datasource', 'topic', 'consumergroup']);
  });
});

describe('queries', () => {
  const queries = DASHBOARDS.flatMap(dashboardQueries);

  it('every query parses as PromQL and names only metrics in the catalog or recorded by a rule, with labels they carry', () => {
    expect(queries.length).toBeGreaterThan(200);
    expect(findDashboardProblems(DASHBOARDS, opts).map((p) => p.message)).toEqual([]);
  });

  it('every metric of the catalog is read by a dashboard or a rule (no dead entries)', () => {
    const exprs = [...queries.map((x) => substituteGrafana(x.expr).expr), ...ALERT_GROUPS.flatMap((g) => g.rules).map((r) => r.expr)];
    const used = new Set(exprs.flatMap((e) => parsePromQL(e).metrics.map((m) => METRICS.lookup(m.name)?.name)));
    expect(METRICS.all.filter((m) => !used.has(m.name)).map((m) => m.name)).toEqual([]);
  });

  it('queries name the trading services by the contract (metrics/trading.ts), never by names of their own', () => {
    const tradingNames = new Set(METRICS.all.filter((m) => m.name.startsWith('grekko_')).map((m) => m.name));
    const recorded = new Set(ALERT_GROUPS.flatMap((g) => g.rules).flatMap((r) => ('record' in r ? [r.record] : [])));
    for (const x of queries) {
      for (const m of parseDashboardQuery(x.expr).metrics) {
        if (m.name.startsWith('grekko_'))
          expect([x.dashboard.uid, m.name, tradingNames.has(METRICS.lookup(m.name)?.name ?? '')]).toEqual([x.dashboard.uid, m.name, true]);
        else expect([x.dashboard.uid, m.name, METRICS.has(m.name) || recorded.has(m.name) || m.name === 'ALERTS']).toEqual([x.dashboard.uid, m.name, true]);
      }
    }
  });

  it('the Executive dashboard shows every SLO by its slo and service labels, from the SLO generator series', () => {
    const exprs = allExprs(byUid(DASHBOARD_UIDS.executive)).join('\n');
    for (const r of [SLO_RECORDS.budgetRemaining, SLO_RECORDS.currentBurnRate, SLO_RECORDS.objective]) expect(exprs).toContain(`max by (service, slo) (${r})`);
  });

  it('service RED panels on Executive and Operations read recorded series, not raw histograms', () => {
    for (const uid of [DASHBOARD_UIDS.executive, DASHBOARD_UIDS.operations]) {
      for (const e of allExprs(byUid(uid))) expect(e).not.toMatch(/http_request_duration_seconds_bucket\[|http_requests_total\[/);
    }
  });

  it('substitutes Grafana macros and variables before parsing, and leaves label values alone', () => {
    expect(substituteGrafana('rate(x{job=~"$service"}[$__rate_interval])')).toEqual({ expr: 'rate(x{job=~"$service"}[5m])', variables: ['service'] });
    expect(substituteGrafana('topk(${n}, x[[[window]]]) offset $shift').expr).toBe('topk(1, x[5m]) offset 5m');
    expect(substituteGrafana('label_replace(up, "a", "$1", "b", "(.*)")').variables).toEqual([]);
    expect(parsePromQL('sum by (job) (rate(x{code="500"}[5m]))')).toMatchObject({
      errors: [],
      selectors: [{ metric: 'x', labels: ['code'] }],
      outputLabels: ['job'],
    });
    expect(parsePromQL('sum(rate(x[5m])').errors).toHaveLength(1);
    expect(parseDashboardQuery('rate(x{job=~"$service"}[$__rate_interval])')).toMatchObject({ errors: [], variables: ['service'], metrics: [{ name: 'x' }] });
  });
});

describe('provisioning', () => {
  it.each(ENVIRONMENTS)('%s: Grafana gets one ConfigMap per dashboard, each under 1 MiB, mounted in its folder', (env) => {
    const { objects } = synth(env);
    const maps = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.['grafana.com/dashboard'] === 'true');
    const loaded = loadedContent(env).dashboards;
    expect(maps.map((c) => c.metadata.name).sort()).toEqual(loaded.map((d) => `grafana-dashboard-${d.uid}`).sort());
    for (const c of maps) {
      const [key, json] = Object.entries(c.data as Record<string, string>)[0];
      expect(Buffer.byteLength(json)).toBeLessThan(1024 * 1024);
      expect(JSON.parse(json).uid).toBe(key.replace(/\.json$/, ''));
    }
    // One volume per folder, flat item paths, mounted at <dashboards dir>/<folder> (test/volumes.test.ts
    // shows why: Grafana's file provider does not descend into the kubelet's symlinked folders).
    const pod = ofKind(objects, 'Deployment').find((d) => d.metadata.name === 'grafana').spec.template.spec;
    const mounts = pod.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('dashboards-'));
    expect(mounts.map((m: any) => m.mountPath).sort()).toEqual(['/var/lib/grafana-dashboards/Grekko', '/var/lib/grafana-dashboards/Platform']);
    const itemsOf = (volume: string) => pod.volumes.find((v: any) => v.name === volume).projected.sources.map((s: any) => s.configMap.items[0].path);
    expect(itemsOf('dashboards-grekko')).toContain('grekko-trading.json');
    expect(itemsOf('dashboards-platform')).toContain('platform-kafka.json');
    for (const m of mounts) expect(itemsOf(m.name).every((p: string) => !p.includes('/'))).toBe(true);
    const perFolder = loaded.reduce((n: Record<string, number>, d) => ({ ...n, [d.folder]: (n[d.folder] ?? 0) + 1 }), {});
    expect(itemsOf('dashboards-grekko')).toHaveLength(perFolder.Grekko);
    expect(itemsOf('dashboards-platform')).toHaveLength(perFolder.Platform);
  });

  it('each dashboard is indented JSON with sorted keys, written into the manifest as a literal block', () => {
    const cm = find(synth('local').objects, 'ConfigMap', `grafana-dashboard-${DASHBOARD_UIDS.redis}`);
    const json: string = cm.data[`${DASHBOARD_UIDS.redis}.json`];
    const lines = json.split('\n');
    expect(lines.length).toBeGreaterThan(200);
    expect(lines.slice(0, 3)).toEqual(['{', '  "annotations": {},', expect.stringMatching(/^ {2}"description": /)]);
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(byUid(DASHBOARD_UIDS.redis).model)));
    const unsorted: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v && typeof v === 'object') {
        const keys = Object.keys(v);
        if (keys.join('\n') !== [...keys].sort().join('\n')) unsorted.push(at);
        for (const k of keys) walk((v as Record<string, unknown>)[k], `${at}.${k}`);
      }
    };
    walk(JSON.parse(json), '$');
    expect(unsorted).toEqual([]);
    // The manifest file: a `|` block of the JSON lines, not a quoted string with escapes.
    const yaml = toManifestYaml(cm);
    expect(yaml).toContain(`  ${DASHBOARD_UIDS.redis}.json: |\n    {\n      "annotations": {},\n`);
    expect(yaml).not.toContain('\\n');
    expect(parseYaml(yaml).data[`${DASHBOARD_UIDS.redis}.json`]).toBe(json);
  });

  it('a changed threshold is a one-line change of the dashboard file, whatever order the model was built in', () => {
    const model = JSON.parse(JSON.stringify(byUid(DASHBOARD_UIDS.trading).model));
    const before = dashboardJson(model).split('\n');
    const freshness = model.panels.find((p: any) => p.title === 'Stalest feed age');
    freshness.fieldConfig.defaults.thresholds.steps.find((s: any) => s.color === 'red').value = 2;
    const after = dashboardJson(model).split('\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((l, i) => l !== before[i])).toEqual([expect.stringMatching(/^ +"value": 2$/)]);
    expect(dashboardJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe(dashboardJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 }));
  });

  it('a folder name Grafana cannot take from a directory fails synth naming the dashboard and the fix', () => {
    const g = synthProfile(PROFILES.local).stack.grafana;
    expect(() => g.addDashboard({ uid: 'odd-folder', folder: 'Ops/Trading', model: {} })).toThrow(
      'dashboard "odd-folder": folder is "Ops/Trading"; use at most 40 letters, digits, spaces, "_" and "-", starting and ending with a letter or digit, and not "General" (the root of Grafana)',
    );
    expect(() => g.addDashboard({ uid: 'twin-folder', folder: 'grekko', model: {} })).toThrow(
      /folder is "grekko"; use the same spelling as dashboard "grekko-executive" \(folder "Grekko"\)/,
    );
  });
});

describe('a bad dashboard fails synth naming the dashboard, the panel and the fix', () => {
  const panel = (expr: string) => timeSeries({ w: 12, h: 8, title: 'Orders per second', queries: [q(expr)] });
  const bad = (uid: string, expr: string, source = 'dashboards/bad.ts') =>
    defineDashboard({
      uid,
      title: 'Bad',
      folder: 'Grekko',
      tags: ['grekko'],
      source,
      description: 'bad input',
      variables: [namespaceVariable('up')],
      rows: [{ title: 'Row', panels: [panel(expr)] }],
    });

  it('a query that does not parse', () => {
    expect(() => grekkoDashboards({ dashboards: [bad('bad-parse', 'sum(rate(grekko_orders_total[5m])')] })).toThrow(
      /^dashboard "bad-parse" \(dashboards\/bad\.ts\) panel "Orders per second": targets\[A\]\.expr is "sum\(rate\(grekko_orders_total\[5m\]\)"; write valid PromQL: syntax error at line 1, column \d+/,
    );
  });

  it('a metric that is not in the catalog, with the names close to it', () => {
    expect(() => grekkoDashboards({ dashboards: [bad('bad-metric', 'sum(rate(grekko_order_total[5m]))')] })).toThrow(
      'dashboard "bad-metric" (dashboards/bad.ts) panel "Orders per second": targets[A].expr metric is "grekko_order_total"; add "grekko_order_total" to the metrics catalog (metrics/) with its type, unit, labels and source, or record it with a recording rule; known names close to it: grekko_orders_total',
    );
  });

  it('a metric missing from the catalog the integrator passes in', () => {
    const catalog = METRICS.all.filter((m) => m.name !== 'kafka_consumergroup_lag_sum');
    expect(() => grekkoDashboards({ catalog })).toThrow(
      /^dashboard "platform-kafka" \(dashboards\/kafka\.ts\) panel "Total consumer lag": targets\[A\]\.expr metric is "kafka_consumergroup_lag_sum"; add "kafka_consumergroup_lag_sum" to the metrics catalog/,
    );
  });

  it('a label the metric does not carry', () => {
    expect(() => grekkoDashboards({ dashboards: [bad('bad-label', 'sum(rate(grekko_orders_total{exchange="coinbase"}[5m]))')] })).toThrow(
      /panel "Orders per second": targets\[A\]\.expr label of grekko_orders_total is "exchange"; match on a label grekko_orders_total carries: .*venue/,
    );
  });

  it('alerts of a name no rule has, or in a state Prometheus never writes', () => {
    expect(() => grekkoDashboards({ dashboards: [bad('bad-alertname', 'count(ALERTS{alertname="TradingServiceDwn", alertstate="firing"})')] })).toThrow(
      'dashboard "bad-alertname" (dashboards/bad.ts) panel "Orders per second": targets[A].expr alertname is "TradingServiceDwn"; no alert is named "TradingServiceDwn", so ALERTS{alertname="TradingServiceDwn"} never selects a series; did you mean "TradingServiceDown"? name an alert that exists',
    );
    expect(() => grekkoDashboards({ dashboards: [bad('bad-alertstate', 'count(ALERTS{alertstate="fired"})')] })).toThrow(
      /panel "Orders per second": targets\[A\]\.expr alertstate is "fired"; ALERTS carries alertstate "pending" or "firing" only/,
    );
  });

  it('a variable the dashboard does not define', () => {
    expect(() => grekkoDashboards({ dashboards: [bad('bad-variable', 'sum(rate(grekko_orders_total{venue=~"$venue"}[5m]))')] })).toThrow(
      /define the variable "\$venue" on the dashboard/,
    );
  });

  it('two dashboards with one uid', () => {
    expect(() =>
      grekkoDashboards({
        dashboards: [
          bad('orders', 'sum(rate(grekko_orders_total[5m]))', 'dashboards/a.ts'),
          bad('orders', 'sum(rate(grekko_orders_total[5m]))', 'dashboards/b.ts'),
        ],
      }),
    ).toThrow('dashboard "orders" (dashboards/b.ts): uid is "orders"; "Bad" (dashboards/a.ts) already uses this uid; give every dashboard its own uid');
  });

  it('a link to a dashboard that is not provisioned', () => {
    const d = defineDashboard({
      uid: 'linker',
      title: 'Linker',
      folder: 'Grekko',
      tags: ['grekko'],
      source: 'dashboards/linker.ts',
      description: 'x',
      links: [],
      rows: [{ panels: [timeSeries({ w: 24, h: 8, title: 'Up', queries: [q('up')], links: [] })] }],
    });
    (d.model as any).links = [{ title: 'Gone', type: 'link', url: '/d/gone' }];
    expect(() => grekkoDashboards({ dashboards: [d] })).toThrow(/header link "Gone": link is "\/d\/gone"; link to a provisioned dashboard: linker/);
  });

  it('a panel wider than the grid', () => {
    expect(() =>
      defineDashboard({
        uid: 'wide',
        title: 'Wide',
        folder: 'Grekko',
        tags: ['grekko'],
        source: 'dashboards/wide.ts',
        description: 'x',
        rows: [{ panels: [timeSeries({ w: 30, h: 8, title: 'Too wide', queries: [q('up')] })] }],
      }),
    ).toThrow('dashboard "wide" (dashboards/wide.ts) panel "Too wide": width is 30; use 1 to 24 grid columns');
  });
});

describe('panel ids follow the panels, not the layout', () => {
  const define = (rows: DashboardRow[]) =>
    defineDashboard({ uid: 'ids', title: 'Ids', folder: 'Grekko', tags: ['grekko'], source: 'dashboards/ids.ts', description: 'ids', rows });
  const ts = (title: string, key?: string) => timeSeries({ w: 8, h: 8, title, ...(key !== undefined ? { key } : {}), queries: [q('up')] });
  const idOf = (d: DashboardDefinition, title: string, type?: string) =>
    allPanels(d.model).find((p) => p.title === title && (type === undefined || p.type === type))!.id;
  const ids = (d: DashboardDefinition) => new Map(allPanels(d.model).map((p) => [`${p.type} ${p.title}`, p.id]));
  const titles = Array.from({ length: 14 }, (_, i) => `Series ${i + 1}`);
  const rows = (extra: { first?: string[]; row?: string } = {}): DashboardRow[] => [
    { title: 'Overview', panels: [...(extra.first ?? []), ...titles.slice(0, 6)].map((t) => ts(t)) },
    ...(extra.row ? [{ title: extra.row, panels: [ts('Inserted too')] }] : []),
    { title: 'Details', panels: titles.slice(6).map((t) => ts(t)) },
  ];

  it('inserting a panel (or a row) at the top leaves the id of every other panel, and so its viewPanel link, as it was', () => {
    const before = ids(define(rows()));
    const after = ids(define(rows({ first: ['Inserted'], row: 'New row' })));
    expect(after.size).toBe(before.size + 3);
    for (const [panel, id] of before) expect([panel, after.get(panel)]).toEqual([panel, id]);
    expect(after.get('timeseries Inserted')).toBe(panelId('inserted'));
  });

  it('an id is derived from the key, by default the slug of the title; an explicit key keeps it through a rename', () => {
    expect(idOf(define([{ panels: [ts('Orders per second')] }]), 'Orders per second')).toBe(panelId('orders-per-second'));
    const keyed = idOf(define([{ panels: [ts('Orders per second', 'order-rate')] }]), 'Orders per second');
    expect(idOf(define([{ panels: [ts('Orders filled per second', 'order-rate')] }]), 'Orders filled per second')).toBe(keyed);
    expect(idOf(define([{ panels: [ts('Orders filled per second')] }]), 'Orders filled per second')).not.toBe(keyed);
    // Rows are keyed too, apart from panels: a row and a panel of one title get different ids.
    const d = define([{ title: 'Orders', panels: [ts('Orders')] }]);
    expect(idOf(d, 'Orders', 'row')).toBe(panelId('orders', 'row'));
    expect(idOf(d, 'Orders', 'row')).not.toBe(idOf(d, 'Orders', 'timeseries'));
    // withKey() keys a builder made without the helpers' options.
    expect(idOf(define([{ panels: [withKey(note({ w: 24, h: 2, title: 'Read me', markdown: 'x' }), 'intro')] }]), 'Read me')).toBe(panelId('intro'));
  });

  it("every id is a positive integer within uint32, the type of a panel id in Grafana's dashboard schema, and below 2^31", () => {
    expect(MAX_PANEL_ID).toBe(2147483647);
    for (let i = 0; i < 20000; i++) {
      const id = panelId(`panel-${i}`);
      if (!(Number.isInteger(id) && id >= 1 && id <= MAX_PANEL_ID)) throw new Error(`panelId("panel-${i}") is ${id}`);
    }
  });

  it('two panels of one dashboard with one key are refused, naming both and the fix', () => {
    expect(() =>
      define([
        { title: 'Top', panels: [ts('Targets down')] },
        { title: 'Scraping', panels: [ts('Targets down')] },
      ]),
    ).toThrow(
      `dashboard "ids" (dashboards/ids.ts) panel "Targets down" (row "Scraping"): key is "targets-down"; panel "Targets down" (row "Top") has the same key, and both would get panel id ${panelId('targets-down')}; set \`key\` on one of them to a name of its own (a panel's in its options or with withKey(), a row's in the row)`,
    );
    expect(() => define([{ panels: [ts('Orders per second'), ts('Order rate', 'orders-per-second')] }])).toThrow(
      /panel "Order rate": key is "orders-per-second"; panel "Orders per second" has the same key/,
    );
    expect(() => define([{ panels: [ts('Targets down'), ts('Targets down', 'targets-down-list')] }])).not.toThrow();
  });

  it('two keys whose ids collide are refused too, naming both panels', () => {
    // The first pair of `k<n>` keys with one id (found by hashing k0, k1, ... until two met).
    const [a, b] = ['k176379', 'k440048'];
    expect(panelId(a)).toBe(panelId(b));
    expect(() => define([{ panels: [ts('First', a), ts('Second', b)] }])).toThrow(
      `dashboard "ids" (dashboards/ids.ts) panel "Second": key is "${b}"; panel "First" (key "${a}") gets the same panel id ${panelId(a)}; set \`key\``,
    );
  });

  it('a bad key, or a collapsed row without a title, is refused with the fix', () => {
    expect(() => define([{ panels: [ts('Orders', 'Order Rate')] }])).toThrow(
      'dashboard "ids" (dashboards/ids.ts) panel "Orders": key is "Order Rate"; use lowercase letters and digits, words joined by single "-" (such as "order-rate")',
    );
    expect(() => define([{ panels: [ts('…')] }])).toThrow('panel "…": key is missing; give the panel a title with letters or digits, or a `key`');
    expect(() => define([{ collapsed: true, panels: [ts('Orders')] }])).toThrow(
      'dashboard "ids" (dashboards/ids.ts) row: collapsed is true; give a collapsed row a title: its header is all that shows',
    );
  });

  it('ids are unique across row headers, panels and the panels folded inside a collapsed row', () => {
    const d = define([
      { title: 'Open', panels: [ts('Rate'), ts('Errors')] },
      { title: 'Folded', collapsed: true, panels: [ts('Latency'), ts('Saturation')] },
      { title: 'After', panels: [ts('Queue')] },
    ]);
    const folded = (d.model.panels ?? []).find((p) => p.title === 'Folded') as any;
    expect(folded).toMatchObject({ type: 'row', collapsed: true, id: panelId('folded', 'row') });
    expect(folded.panels.map((p: any) => [p.title, p.id])).toEqual([
      ['Latency', panelId('latency')],
      ['Saturation', panelId('saturation')],
    ]);
    const all = allPanels(d.model).map((p) => p.id);
    expect(all).toHaveLength(8);
    expect(new Set(all).size).toBe(8);
    expect(dataPanels(d.model).map((p) => p.title)).toEqual(['Rate', 'Errors', 'Latency', 'Saturation', 'Queue']);
    // A folded panel collides like any other.
    expect(() =>
      define([
        { title: 'Open', panels: [ts('Rate')] },
        { title: 'Folded', collapsed: true, panels: [ts('Rate')] },
      ]),
    ).toThrow(/panel "Rate" \(row "Folded"\): key is "rate"; panel "Rate" \(row "Open"\) has the same key/);
  });

  /** Every `/d/<uid>...viewPanel=<id>` in a text whose dashboard or panel does not exist. */
  const brokenPanelLinks = (text: string): string[] => {
    const out: string[] = [];
    for (const m of text.matchAll(/\/d\/([a-z0-9][-a-z0-9]*)[^\s"'`<>)]*?[?&]viewPanel=(?:panel-)?(\d+)/g)) {
      const d = DASHBOARDS.find((x) => x.uid === m[1]);
      if (!d || !allPanels(d.model).some((p) => p.id === Number(m[2]))) out.push(m[0]);
    }
    return out;
  };

  it.each(ENVIRONMENTS)(
    "%s: every viewPanel link in the synthesized objects (alerts' dashboard_url, notification templates, dashboard links) and in the runbooks opens an existing panel",
    (env) => {
      const texts = [
        JSON.stringify(synth(env).objects),
        ...fs.readdirSync(path.join(REPOSITORY_ROOT, 'docs/runbooks')).map((f) => fs.readFileSync(path.join(REPOSITORY_ROOT, 'docs/runbooks', f), 'utf8')),
      ];
      expect(texts.flatMap(brokenPanelLinks)).toEqual([]);
      // The check sees a link by position, such as the layout-order ids before, and passes one by key.
      const trading = byUid(DASHBOARD_UIDS.trading);
      expect(allPanels(trading.model).some((p) => p.id === 3)).toBe(false);
      expect(brokenPanelLinks(`dashboard_url: "https://g/d/${trading.uid}?orgId=1&viewPanel=3"`)).toEqual([`/d/${trading.uid}?orgId=1&viewPanel=3`]);
      expect(brokenPanelLinks(`https://g/d/${trading.uid}?viewPanel=panel-${idOf(trading, 'Stalest feed age')}`)).toEqual([]);
    },
  );
});

describe('docs for review', () => {
  it(`docs/dashboards.md and docs/dashboards/*.svg match the dashboards (run ${REGENERATE} after a change)`, () => {
    expect(outOfDate()).toEqual({ changed: [], stale: [] });
  });

  const shownSpec = { uid: 'shown', title: 'Shown', folder: 'Grekko', tags: ['grekko'], source: 'dashboards/shown.ts', description: 'what the docs show' };
  const shown = defineDashboard({
    ...shownSpec,
    rows: [
      {
        title: 'Feeds',
        panels: [
          statPanel({
            w: 8,
            h: 4,
            title: 'Stalest feed',
            unit: 's',
            min: 0,
            max: 2,
            decimals: 1,
            thresholds: warnAt(0.5, 1),
            query: q('max(grekko_market_data_age_seconds)'),
          }),
          statPanel({ w: 8, h: 4, title: 'Feed handler', mappings: upDownMappings(), query: q('min(up{job="feed"})') }),
          timeSeries({
            w: 8,
            h: 8,
            title: 'Order fill ratio',
            unit: 'percentunit',
            min: 0,
            queries: [
              q('sum(rate(grekko_orders_total{outcome="filled", venue=~"a|b"}[$__rate_interval])) / sum(rate(grekko_orders_total[$__rate_interval]))'),
              q('vector(1)'),
            ],
          }),
        ],
      },
      { title: 'Later', collapsed: true, panels: [timeSeries({ w: 24, h: 6, title: 'Folded', unit: 'bytes', queries: [q('process_resident_memory_bytes')] })] },
    ],
  });

  it('the table under each picture gives every panel its unit, range, thresholds, mappings and series', () => {
    const md = renderDashboardsMarkdown([shown]).split('\n');
    const table = md.slice(md.indexOf('![Layout of Shown](dashboards/shown.svg)') + 2, md.indexOf('Variables:') - 1);
    expect(table).toEqual([
      '| Panel | Type | Unit | Range | Thresholds, mappings | Series |',
      '|---|---|---|---|---|---|',
      '| **Feeds** | | | | | |',
      '| Stalest feed | stat 8×4 | `s`, 1 decimals | 0 to 2 | green, ≥ 0.5 orange, ≥ 1 red | `max(grekko_market_data_age_seconds)` |',
      '| Feed handler | stat 8×4 |  |  | mapped: 0 → DOWN (red), 1 → UP (green) | `min(up{job="feed"})` |',
      // A long query is shown by the metrics it reads.
      '| Order fill ratio | timeseries 8×8 | `percentunit` | min 0 |  | A: `grekko_orders_total`<br>B: `vector(1)` |',
      '| **Later** (collapsed) | | | | | |',
      '| Folded | timeseries 24×6 | `bytes` |  |  | `process_resident_memory_bytes` |',
    ]);
    // A pipe inside a cell is escaped, or GitHub would split the cell there.
    const piped = renderDashboardsMarkdown([
      defineDashboard({ ...shownSpec, rows: [{ panels: [statPanel({ w: 8, h: 4, title: 'Venues', query: q('count(up{job=~"a|b"})') })] }] }),
    ]);
    expect(piped).toContain('| `count(up{job=~"a\\|b"})` |');
  });

  it("the wireframe draws unit, range and threshold colours in each box, and a collapsed row's panels where they open", () => {
    const svg = renderWireframeSvg(shown);
    expect(svg).toContain('>s · 0 to 2 · 1 dp · <tspan fill="#73bf69">■</tspan> 0.5 <tspan fill="#ff9830">■</tspan> 1 <tspan fill="#f2495c">■</tspan></text>');
    expect(svg).toContain('>percentunit · min 0</text>');
    expect(svg).toContain('>0 <tspan fill="#f2495c">■</tspan> DOWN  1 <tspan fill="#73bf69">■</tspan> UP</text>');
    expect(svg).toContain('▸ Later (collapsed)</text>');
    expect(svg).toContain('>Folded</text>');
  });

  it.each([
    ['a threshold value', (f: any) => (f.thresholds.steps[1].value = 0.75)],
    ['a threshold colour', (f: any) => (f.thresholds.steps[2].color = 'dark-red')],
    ['the unit', (f: any) => (f.unit = 'ms')],
    ['the range', (f: any) => (f.max = 5)],
  ])('changing %s of a panel changes its wireframe and its table row', (_what, change) => {
    const d = byUid(DASHBOARD_UIDS.trading);
    const model = JSON.parse(JSON.stringify(d.model));
    change(model.panels.find((p: any) => p.title === 'Stalest feed age').fieldConfig.defaults);
    const changed = { ...d, model };
    expect(renderWireframeSvg(changed)).not.toBe(renderWireframeSvg(d));
    const before = renderDashboardsMarkdown([d]).split('\n');
    const after = renderDashboardsMarkdown([changed]).split('\n');
    expect(after.filter((l, i) => l !== before[i])).toEqual([expect.stringMatching(/^\| Stalest feed age \| /)]);
  });

  it('every panel of every dashboard has its row in the table, with its unit and every threshold value', () => {
    const md = renderDashboardsMarkdown(DASHBOARDS).split('\n');
    for (const d of DASHBOARDS) {
      for (const p of dataPanels(d.model) as any[]) {
        const row = md.find((l) => l.startsWith(`| ${p.title.replace(/\|/g, '\\|')} | ${p.type} ${p.gridPos.w}×${p.gridPos.h} |`));
        expect([d.uid, p.title, row !== undefined]).toEqual([d.uid, p.title, true]);
        const f = p.fieldConfig?.defaults ?? {};
        if (f.unit) expect(row).toContain(`\`${f.unit}\``);
        for (const step of f.thresholds?.steps ?? []) expect(row).toContain(step.value === null ? `| ${step.color}` : `≥ ${step.value} ${step.color}`);
      }
    }
  });

  it('each wireframe draws every panel with its title and type', () => {
    const d = byUid(DASHBOARD_UIDS.trading);
    const svg = renderWireframeSvg(d);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const p of dataPanels(d.model)) expect(svg).toContain(`${p.type} · ${p.gridPos?.w}×${p.gridPos?.h}`);
    expect(svg).toContain('Stalest feed age');
  });
});

describe('the range a panel shows, as the wireframe and the catalog write it', () => {
  const facts = { steps: [], mappings: [], queries: [] };
  it('a panel with both bounds reads "0 to 1", with one bound "min 0" or "max 100", with none nothing', () => {
    expect(rangeText({ ...facts, min: 0, max: 1 })).toBe('0 to 1');
    expect(rangeText({ ...facts, min: 0 })).toBe('min 0');
    expect(rangeText({ ...facts, max: 100 })).toBe('max 100');
    expect(rangeText(facts)).toBe('');
  });
});
