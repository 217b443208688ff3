/**
 * What proves each catalog entry and each query, on the verification ladder: a real program run
 * here (metrics/real-programs.ts, test/e2e/catalog-real.test.ts), the upstream source at the pinned
 * tag (metrics/sources/, test/catalog-sources.test.ts), or nothing but the catalog itself (the
 * trading services' contract, which those services must keep; and entries no fixture traces).
 * docs/verification.md is generated from it, and the end-to-end suite runs every dashboard query
 * and alert expression against the real pipeline by it.
 */
import { isAlert } from '../lib/rules/types';
import { parsePromQL } from '../lib/rules/promql';
import { substituteGrafana } from '../lib/dashboards/promql';
import { ALERT_GROUPS } from '../alerts';
import { METRICS } from '.';
import { REAL_PROGRAMS, VERSION_DIFFERENCES, NOT_PROVEN_HERE } from './real-programs';
import { SOURCE_FIXTURES } from './sources';
import { TRADING_METRICS } from './trading';

export type Rung = 'real program' | 'upstream source' | 'contract' | 'unproven';

/** Catalog sources whose programs run here and whose entries the end-to-end check holds to them. */
export const REAL_SOURCES: ReadonlySet<string> = new Set(REAL_PROGRAMS.map((p) => p.source).filter((s) => !(s in NOT_PROVEN_HERE)));
/** Catalog sources a source fixture covers. */
export const FIXTURE_SOURCES: ReadonlySet<string> = new Set(SOURCE_FIXTURES.flatMap((f) => f.catalogSources));

/** Sources of the trading system's own metrics: a contract the services keep, no program of ours to test. */
export const CONTRACT_SOURCES: ReadonlySet<string> = new Set(TRADING_METRICS.map((m) => m.source));

/**
 * Catalog sources the end-to-end pipeline replaces with stand-ins (test/e2e/harness): the trading
 * services, and the components Debian does not package. A stand-in exposes the catalog's own
 * metrics, so what it feeds proves nothing about the program it replaces. test/e2e/queries-real.test.ts
 * checks this list against the stand-ins the pipeline starts.
 */
export const PIPELINE_STAND_IN_SOURCES: ReadonlySet<string> = new Set(
  [...CONTRACT_SOURCES]
    .filter((s) => !['backup jobs', 'integrity checker'].includes(s))
    .concat(['kafka-exporter', 'influxdb', 'elasticsearch-exporter', 'jaeger', 'thanos']),
);

/** The rung of one catalog entry. */
export function catalogRung(name: string): Rung {
  const m = METRICS.all.find((x) => x.name === name);
  if (!m) return 'unproven';
  if (REAL_SOURCES.has(m.source)) {
    // Listed differences are proven by the upstream file instead (Debian's build is older).
    return VERSION_DIFFERENCES.some((d) => d.metric === name && d.labels === undefined) ? 'upstream source' : 'real program';
  }
  if (FIXTURE_SOURCES.has(m.source)) {
    const traced = SOURCE_FIXTURES.some((f) => f.catalogSources.includes(m.source) && f.metrics.some((x) => x.name === name));
    return traced ? 'upstream source' : 'unproven';
  }
  if (CONTRACT_SOURCES.has(m.source)) return 'contract';
  return 'unproven';
}

const RECORDED = new Map<string, string>();
for (const g of ALERT_GROUPS) for (const r of g.rules) if (!isAlert(r)) RECORDED.set(r.record, r.expr);

/** The catalog metrics an expression reads, through recording rules. */
export function baseMetrics(expr: string, seen: Set<string> = new Set()): string[] {
  const out = new Set<string>();
  for (const m of parsePromQL(substituteGrafana(expr).expr).metrics) {
    const recorded = RECORDED.get(m.name);
    if (recorded !== undefined) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      for (const b of baseMetrics(recorded, seen)) out.add(b);
      continue;
    }
    const def = METRICS.lookup(m.name);
    out.add(def ? def.name : m.name);
  }
  return [...out].sort();
}

/**
 * Which programs feed a query in the end-to-end pipeline: 'real' when every metric it reads comes
 * from a program that runs there (and is exposed by Debian's build), else 'stand-in' (the trading
 * services' stand-ins, the components Debian does not package) or 'absent' (nothing in the
 * loopback world exposes it: kubelet, cAdvisor, kube-state-metrics, the API server, Fluentd, ...).
 */
export function queryFeed(expr: string, standInSources: ReadonlySet<string>): { feed: 'real' | 'stand-in' | 'absent'; metrics: string[] } {
  const metrics = baseMetrics(expr);
  const sourceOf = (n: string) => METRICS.all.find((x) => x.name === n)?.source ?? 'ALERTS';
  const debianLacks = (n: string) => VERSION_DIFFERENCES.some((d) => d.metric === n && d.labels === undefined);
  const real = (n: string) => sourceOf(n) === 'ALERTS' || (REAL_SOURCES.has(sourceOf(n)) && !debianLacks(n));
  if (metrics.every(real)) return { feed: 'real', metrics };
  if (metrics.every((n) => real(n) || standInSources.has(sourceOf(n)))) return { feed: 'stand-in', metrics };
  return { feed: 'absent', metrics };
}

/**
 * Dashboard queries (`<dashboard uid> panel "<title>" <refId>`) and rule selectors (`<file> <rule>
 * <selector>`) that real programs feed but that return nothing while everything is healthy, and
 * why. test/e2e/queries-real.test.ts runs every other one and expects data.
 */
const SINGLE_ALERTMANAGER =
  'the pipeline runs one Alertmanager with clustering off, where Alertmanager exports no alertmanager_cluster_* series; test/e2e/catalog-real.test.ts runs the three-peer mesh and reads them, this query included';
export const EMPTY_WHEN_HEALTHY: Readonly<Record<string, string>> = {
  'platform-alertmanager panel "Peers seen by each member" A': SINGLE_ALERTMANAGER,
  'platform-alertmanager panel "Peers unreachable" A': SINGLE_ALERTMANAGER,
  'platform-alertmanager panel "Gossip health score (0 is healthy)" A': SINGLE_ALERTMANAGER,
  'alerts/monitoring.ts AlertmanagerClusterDegraded alertmanager_cluster_members': SINGLE_ALERTMANAGER,
  'alerts/availability.ts TradingServiceRecentlyDown ALERTS{alertname="TradingServiceDown", alertstate="firing"}':
    'TradingServiceDown fires only while a core service is down; test/e2e/faults.test.ts stops order-service and sees its SLO pages muted after the repair',
  'alerts/logging.ts FluentdNotRunningOnNode up{job="fluentd"}':
    'Fluentd does not run on loopback (no Debian package, no stand-in): its job has no target, so its `up` has no series',
};
