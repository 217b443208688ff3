/**
 * Every dashboard query and every selector of every alert and recording rule, run against the real
 * pipeline (production's generated configuration and rules on Debian's Prometheus, real PostgreSQL,
 * Redis and exporters, the stand-ins of test/e2e/harness) after it has run healthy for a minute.
 *
 * What a real program feeds (metrics/verification.ts: every metric it reads comes from a program
 * that runs here) must return data: a query or selector that comes back empty names a metric, a
 * label or a value that the program does not expose, which is how an alert that can never fire
 * looks. The exceptions are listed below with the reason, in one place; a listed one that starts
 * returning data must leave the list. What only stand-ins feed, or nothing here, is listed in
 * docs/verification.md by name.
 */
import { ALERT_GROUPS } from '../../alerts';
import { DASHBOARDS } from '../../dashboards';
import { dashboardQueries } from '../../lib/dashboards/check';
import { substituteGrafana } from '../../lib/dashboards/promql';
import { parsePromQL } from '../../lib/rules/promql';
import { isAlert } from '../../lib/rules/types';
import { METRICS } from '../../metrics';
import { EMPTY_WHEN_HEALTHY, PIPELINE_STAND_IN_SOURCES, queryFeed } from '../../metrics/verification';
import { PROFILES } from '../../stacks/environments';
import { describeWithTools } from '../support/tools';
import { Pipeline } from './harness/pipeline';
import { sleep, waitFor } from './harness/processes';
import { ALL_E2E_TOOLS } from './harness/tools';

/** Template variables inside label matchers become "any value", as Grafana's "All" does. */
export function runnable(expr: string): string {
  const anyValue = expr.replace(/(=~?|!~)\s*"([^"]*\$[^"]*)"/g, (_m, _op: string, v: string) =>
    /^\$\{?\w+\}?$/.test(v) ? '=~".*"' : `=~"${v.replace(/\$\{?\w+(?::\w+)?\}?/g, '.*')}"`,
  );
  return substituteGrafana(anyValue).expr;
}

describeWithTools('every dashboard query and rule selector on the real pipeline (production configuration)', ALL_E2E_TOOLS, () => {
  let p: Pipeline;
  let standIns: Set<string>;

  beforeAll(async () => {
    p = new Pipeline({ profile: PROFILES.production, timing: 'test' });
    try {
      await p.start();
      await waitFor(
        'PostgreSQL, Redis and every probe to report success',
        async () => ((await p.query('pg_up != 1 or redis_up != 1 or probe_success != 1')).length === 0 ? true : undefined),
        60_000,
        1000,
      );
      // A minute of healthy samples: every rate window of 1m and more has points.
      await sleep(65_000);
    } catch (err) {
      await p.stop();
      throw err;
    }
    standIns = new Set([
      ...p.services.keys(),
      'every trading service',
      ...[...p.components.values()].flatMap((c) => METRICS.all.filter((m) => c.svc.exposes(m.name)).map((m) => m.source)),
    ]);
  }, 240_000);

  afterAll(async () => {
    await p?.stop();
  }, 60_000);

  async function everySelects(selectors: readonly string[]): Promise<boolean> {
    for (const sel of selectors) if ((await p.query(`count(${sel})`)).length === 0) return false;
    return true;
  }

  it('the stand-ins the pipeline starts are the ones docs/verification.md names (PIPELINE_STAND_IN_SOURCES)', () => {
    const catalogSources = new Set(METRICS.all.map((m) => m.source));
    expect([...standIns].filter((s) => catalogSources.has(s) && METRICS.all.some((m) => m.source === s)).sort()).toEqual([...PIPELINE_STAND_IN_SOURCES].sort());
  });

  it('every dashboard query a real program feeds returns data, unless listed as empty while healthy', async () => {
    const empty: string[] = [];
    let real = 0;
    for (const d of DASHBOARDS) {
      for (const q of dashboardQueries(d)) {
        if (queryFeed(q.expr, standIns).feed !== 'real') continue;
        real++;
        const key = `${d.uid} ${q.panel} ${q.refId}`;
        const result = await p.query(runnable(q.expr));
        // A threshold that keeps only failures (`up == 0`) is empty while healthy: then each of its selectors must select series.
        const parsed = parsePromQL(runnable(q.expr));
        const quietByThreshold = result.length === 0 && parsed.thresholds.length > 0 && (await everySelects(parsed.selectors.map((x) => x.text)));
        if (result.length === 0 && !quietByThreshold && !(key in EMPTY_WHEN_HEALTHY)) empty.push(`${key}: ${q.expr}`);
        if (result.length > 0 && key in EMPTY_WHEN_HEALTHY) empty.push(`${key} returns data now: take it off EMPTY_WHEN_HEALTHY (metrics/verification.ts)`);
      }
    }
    expect(real).toBeGreaterThan(50);
    expect(empty).toEqual([]);
  }, 180_000);

  it('every selector of every alert and recording rule that a real program feeds selects series', async () => {
    const empty: string[] = [];
    let checked = 0;
    for (const g of ALERT_GROUPS) {
      for (const r of g.rules) {
        const name = isAlert(r) ? r.alert : r.record;
        for (const s of [...new Map(parsePromQL(r.expr).selectors.map((x) => [x.text, x])).values()]) {
          if (queryFeed(s.text, standIns).feed !== 'real') continue;
          const key = `${g.source} ${name} ${s.text}`;
          checked++;
          const result = await p.query(`count(${s.text})`);
          if (result.length === 0 && !(key in EMPTY_WHEN_HEALTHY)) empty.push(key);
          if (result.length > 0 && key in EMPTY_WHEN_HEALTHY) empty.push(`${key} selects series now: take it off EMPTY_WHEN_HEALTHY (metrics/verification.ts)`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(empty).toEqual([]);
  }, 180_000);
});
