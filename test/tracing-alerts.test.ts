/**
 * Facts of the tracing alerts that the rule API does not check: what they cover, that none of them
 * pages, and that they read only Jaeger's catalogued metrics. The rules themselves are validated
 * and rendered by lib/rules, and proven by promtool in alerts/tracing.tests.ts.
 */
import { TRACING_METRICS } from '../metrics/tracing';
import { tracing } from '../alerts/tracing';
import { seriesNames } from '../lib/metrics/catalog';
import { metricNames } from '../lib/rules/promql';
import { isAlert } from '../lib/rules/types';

const alerts = tracing.rules.filter(isAlert);

describe('the tracing alerts', () => {
  it('cover spans refused, spans dropped, a filling exporter queue, storage write failures and Jaeger down', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        'JaegerCollectorDown',
        'JaegerExporterQueueNearFull',
        'JaegerQueryDown',
        'JaegerSpansDropped',
        'JaegerSpansRefused',
        'JaegerStorageWriteFailures',
      ].sort(),
    );
  });

  it('never page: trading goes on without traces', () => {
    expect(alerts.filter((a) => a.severity === 'critical').map((a) => a.alert)).toEqual([]);
  });

  it.each(alerts.map((a) => [a.alert, a.expr] as const))('%s reads only `up` and the metrics of the tracing catalog', (_name, expr) => {
    const known = new Set(['up', ...TRACING_METRICS.flatMap(seriesNames)]);
    const names = metricNames(expr);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect([n, known.has(n)]).toEqual([n, true]);
  });

  it("describe every catalogued metric as Jaeger's, counters without the _total suffix Jaeger 2.19 does not add", () => {
    for (const m of TRACING_METRICS) {
      expect([m.name, m.source]).toEqual([m.name, 'jaeger']);
      if (m.type === 'counter') expect([m.name, m.name.endsWith('_total')]).toEqual([m.name, false]);
    }
    expect(TRACING_METRICS.map((m) => m.name)).toContain('otelcol_process_memory_rss');
  });
});
