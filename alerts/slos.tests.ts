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
      // The ticket's 3x over 1d is a tenth of the budget spent within a day: 14.4 hours at 5x. The
      // day's window is weighed by the share of it seen (lib/rules/slo.ts), so this holds on a
      // Prometheus of any age. Time-based SLIs have one bad minute in 200: the fifth, at minute
      // 1000, crosses it; 7 minutes later their 5m window is clear again, also as the alerts'
      // group reads it: the recordings it reads may be one evaluation old.
      name: 'a slow burn (5x each budget) opens a ticket for every SLO once a tenth of its budget is spent within the day, and pages for none',
      series: burnAll(5, 1010),
      alerts: burning.flatMap((s) => [check(850, alertsOf(s).slow, false), check(1007, alertsOf(s).slow, true), check(1007, alertsOf(s).fast, false)]),
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

  tests.push(
    {
      name: 'one failed scrape, and two in a row, of a core service page nobody 3 minutes after Prometheus started',
      interval: SCRAPE,
      series: scrapes(20, oneOrTwoAt(3)),
      alerts: quiet(1, 19),
    },
    {
      name: 'one failed scrape, and two in a row, of a core service page nobody after hours of good service',
      interval: SCRAPE,
      series: scrapes(HISTORY + 20, oneOrTwoAt(HISTORY + 3)),
      alerts: quiet(HISTORY, HISTORY + 19),
    },
    {
      name: 'the order service down from 3 minutes after Prometheus started burns its budget fast within 2 minutes; the other services stay quiet',
      interval: SCRAPE,
      series: scrapes(10, (service) => (service === TRADING_SERVICES.orders ? Array.from({ length: 40 }, (_, i) => 12 + i) : [])),
      alerts: availability.flatMap((s) => [
        { at: '3m', alert: alertsOf(s).fast.alert, fires: [] },
        { at: '5m', alert: alertsOf(s).fast.alert, fires: s.service === TRADING_SERVICES.orders ? [{}] : [] },
      ]),
    },
  );

  return tests;
}

/**
 * Scrapes of every core service at 15 s, the coarsest interval a core service has in any
 * environment's profile (the fewer samples a window holds, the more one failure weighs): every
 * scrape (scrape i is taken at 15 * i seconds) answers but those `failed` names, for `minutes` minutes.
 */
const SCRAPE = '15s';
const availability = SLOS.filter((s) => s.sli.kind === 'availability');
function scrapes(minutes: number, failed: (service: string, index: number) => readonly number[]): Record<string, string> {
  return Object.fromEntries(
    availability.map((s, k) => {
      const down = new Set(failed(s.service, k));
      return [`up{${seriesOf(s).labels}}`, Array.from({ length: minutes * 4 }, (_, i) => (down.has(i) ? 0 : 1)).join(' ')];
    }),
  );
}
/** Half the core services miss one scrape at minute `m`, the other half two in a row. */
const oneOrTwoAt = (m: number) => (_: string, k: number) => (k % 2 ? [m * 4, m * 4 + 1] : [m * 4]);
/** No burn-rate alert of any SLO, at every minute from `from` to `to`. */
const quiet = (from: number, to: number): AlertExpectation[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap((m) =>
    SLOS.flatMap((s) => [alertsOf(s).fast, alertsOf(s).slow].map((a) => ({ at: `${m}m`, alert: a.alert, fires: [] }))),
  );

let built: readonly RuleTest[] | undefined;

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  get tests() {
    return (built ??= cases());
  },
};
