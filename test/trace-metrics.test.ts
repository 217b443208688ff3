/**
 * The metrics Grafana offers from a trace (the Jaeger datasource's trace-to-metrics links) are
 * content: dashboards/index.ts defines them, and they are held to the metrics catalog like the
 * dashboards' own queries.
 */
import { parse } from 'yaml';
import { TRACE_METRICS_QUERIES } from '../dashboards';
import { defineDashboard, findDashboardProblems, q, timeSeries } from '../lib/dashboards';
import { METRICS, TRACES_DATASOURCE, TRADING_SERVICES } from '../metrics';
import { find, synth } from './support/synth';

/** Grafana replaces `$__tags` with the span's service as a `job` matcher. */
const forService = (query: string, service: string) => query.replaceAll('$__tags', `job="${service}"`);

/** The queries as one dashboard, so that the dashboards' checks (PromQL, catalog metrics, labels) apply to them. */
const asDashboard = (queries: readonly { readonly name: string; readonly query: string }[]) =>
  defineDashboard({
    uid: 'trace-metrics',
    title: 'Trace to metrics',
    folder: 'Checks',
    tags: ['check'],
    source: 'dashboards/index.ts',
    description: 'The trace-to-metrics queries of the Jaeger datasource.',
    rows: [
      {
        title: 'From a trace',
        panels: queries.map((x) => timeSeries({ w: 12, h: 8, title: x.name, unit: 'short', queries: [q(forService(x.query, TRADING_SERVICES.orders))] })),
      },
    ],
  });

describe('trace-to-metrics queries', () => {
  it("offer a service's request rate and its p95 latency", () => {
    expect(TRACE_METRICS_QUERIES).toEqual([
      { name: 'Request rate', query: 'sum by (job) (rate(http_requests_total{$__tags}[5m]))' },
      { name: 'P95 latency', query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$__tags}[5m])))' },
    ]);
  });

  it('read only metrics and labels of the catalog', () => {
    expect(findDashboardProblems([asDashboard(TRACE_METRICS_QUERIES)], { catalog: METRICS.all }).map((e) => e.message)).toEqual([]);
  });

  it('a query naming a metric the catalog lacks is reported, so the check above proves something', () => {
    const wrong = [{ name: 'Requests', query: 'sum by (job) (rate(http_request_total{$__tags}[5m]))' }];
    expect(findDashboardProblems([asDashboard(wrong)], { catalog: METRICS.all }).map((e) => e.message)).toEqual([
      expect.stringMatching(/panel "Requests": targets\[A\]\.expr metric is "http_request_total"; .*known names close to it: http_requests_total/),
    ]);
  });

  it('are the ones the Jaeger datasource the stack provisions offers, under the uid trace links open', () => {
    const datasources = parse(find(synth('local').objects, 'ConfigMap', 'grafana-provisioning').data['datasources.yaml']).datasources;
    const jaeger = datasources.find((d: any) => d.uid === TRACES_DATASOURCE.uid);
    expect(jaeger.type).toBe(TRACES_DATASOURCE.type);
    expect(jaeger.jsonData.tracesToMetrics.queries).toEqual(TRACE_METRICS_QUERIES);
  });
});
