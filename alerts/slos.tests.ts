/**
 * promtool tests of Grekko's SLOs, all at once: in each case every SLO's metrics take the same
 * course (three hours of good service, then a burn at a multiple of each SLO's own budget), and
 * the case says which of the generated alerts fire.
 */
import { AlertExpectation, RuleTest, RuleTestSuite } from '../lib/rules/testing';
import { SLOSpec, sloRuleGroups } from '../lib/rules/slo';
import { SLOTestSeries, burnSeries, outageSeries } from '../lib/rules/slo-testing';
import { AlertRule, isAlert } from '../lib/rules/types';
import { testedRuleSource } from '../lib/rules/source';
import { TRADING_NAMESPACE, TRADING_SERVICES } from '../metrics/system';
import { SLOS } from './slos';

const HISTORY = 180;
const ns = `namespace="${TRADING_NAMESPACE}"`;

/** Series that the selectors of each SLO match, as a service would expose them. */
function seriesOf(spec: SLOSpec): SLOTestSeries {
  switch (spec.sli.kind) {
    case 'latency':
      return { labels: `${ns}, job="${TRADING_SERVICES.orders}", method="POST", route="/orders", code="200"` };
    case 'averageLatency':
      return { labels: `${ns}, job="${TRADING_SERVICES.orders}", venue="coinbase", order_type="limit"` };
    case 'freshness':
      return { labels: `${ns}, job="${TRADING_SERVICES.marketData}", venue="coinbase", symbol="BTC-USD"` };
    case 'availability':
    case 'recovery':
      return { labels: `${ns}, job="${spec.service}", instance="${spec.service}-0"` };
    case 'ratio':
      throw new Error(`slo "${spec.name}": give ratio SLIs concrete good and bad series here`);
  }
}

const alertsOf = (spec: SLOSpec): { fast: AlertRule; slow: AlertRule; absent: AlertRule } => {
  const [fast, slow, absent] = sloRuleGroups(spec)[1].rules.filter(isAlert);
  return { fast, slow, absent };
};

const budget = (spec: SLOSpec) => 1 - spec.objective / 100;
const burning = SLOS.filter((s) => s.sli.kind !== 'recovery');
const recovery = SLOS.filter((s) => s.sli.kind === 'recovery');

/** Every SLO but the recovery ones burning at `factor` times its budget for `minutes`. */
function burnAll(factor: number, minutes: number): Record<string, string> {
  return Object.assign(
    {},
    ...burning.map((s) => burnSeries(s.sli, seriesOf(s), { historyMinutes: HISTORY, badShare: Math.min(1, factor * budget(s)), minutes })),
  );
}

const check = (at: number, alert: AlertRule, fires: boolean): AlertExpectation => ({ at: `${HISTORY + at}m`, alert: alert.alert, fires: fires ? [{}] : [] });

/** The cases, built when a test run reads them: their series span days for every SLO, which synth never needs. */
function cases(): RuleTest[] {
  const tests: RuleTest[] = [
    {
      name: 'a fast burn (20x each budget) pages for every SLO within the hour; no service stays down, so recovery is quiet',
      series: burnAll(20, 70),
      // 52 minutes in, the time-based SLIs have a bad minute (minute 49) inside their 5m window.
      alerts: [...burning.map((s) => check(52, alertsOf(s).fast, true)), ...recovery.map((s) => check(52, alertsOf(s).fast, false))],
    },
    {
      name: 'a slow burn (5x each budget) opens a ticket for every SLO and pages for none',
      series: burnAll(5, 600),
      alerts: burning.flatMap((s) => [check(599, alertsOf(s).slow, true), check(599, alertsOf(s).fast, false)]),
    },
    {
      name: 'a burn below 1 (0.5x each budget) stays quiet, and no SLI is absent',
      series: burnAll(0.5, 600),
      alerts: SLOS.flatMap((s) => [check(599, alertsOf(s).fast, false), check(599, alertsOf(s).slow, false), check(599, alertsOf(s).absent, false)]),
    },
    {
      name: 'a core service down for 20 minutes breaches the recovery objective; down for 4 minutes it does not',
      series: {
        ...outageSeries(recovery[0], seriesOf({ ...recovery[0], service: TRADING_SERVICES.orders }), HISTORY, 20, 60),
        ...outageSeries(recovery[0], seriesOf({ ...recovery[0], service: TRADING_SERVICES.risk }), HISTORY, 4, 60),
      },
      alerts: recovery.flatMap((s) => [check(4, alertsOf(s).fast, false), check(15, alertsOf(s).fast, true), check(15, alertsOf(s).slow, true)]),
      // Time to recovery so far: the order service was last up at minute 179, 16 minutes before;
      // the risk service is back (0).
      queries: [
        {
          at: `${HISTORY + 15}m`,
          expr: 'slo:time_to_recovery:seconds',
          samples: [
            {
              labels: `{__name__="slo:time_to_recovery:seconds", job="${TRADING_SERVICES.orders}", service="trading-core", slo="service-recovery"}`,
              value: 960,
            },
            { labels: `{__name__="slo:time_to_recovery:seconds", job="${TRADING_SERVICES.risk}", service="trading-core", slo="service-recovery"}`, value: 0 },
          ],
        },
      ],
    },
    {
      name: 'a restart back within 4 minutes keeps the recovery objective',
      series: outageSeries(recovery[0], seriesOf({ ...recovery[0], service: TRADING_SERVICES.orders }), HISTORY, 4, 60),
      alerts: recovery.flatMap((s) => [check(30, alertsOf(s).fast, false), check(30, alertsOf(s).slow, false)]),
    },
  ];

  /** With no SLI series at all, every SLO warns that it is blind, with the labels its selector fixes. */
  const absentLabels = (s: SLOSpec): Record<string, string> => {
    const sel = s.sli.kind === 'ratio' ? '' : (s.sli.selector ?? '');
    return Object.fromEntries([...sel.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  };

  tests.push({
    name: 'SLI metrics missing for 10 minutes warn for every SLO',
    series: { [`grekko_maintenance_mode{namespace="${TRADING_NAMESPACE}", job="order-service"}`]: '0x15' },
    alerts: SLOS.flatMap((s) => [
      { at: '5m', alert: alertsOf(s).absent.alert, fires: [] },
      { at: '15m', alert: alertsOf(s).absent.alert, fires: [{ labels: absentLabels(s) }] },
    ]),
  });

  return tests;
}

let built: readonly RuleTest[] | undefined;

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  get tests() {
    return (built ??= cases());
  },
};
