/** The `alertmanager` and `alerting` parts of a profile: Alertmanager itself, and where alerts go. */
import { KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE } from '../../core/keys';
import type { ProfileChecks } from '../../core/checks';
import { addressPortProblem } from '../../core/addresses';
import type { Storage, WorkloadProfile } from '../../core/workload';
import { TEAMS, type Team } from '../../rules/types';

export interface AlertmanagerProfile extends WorkloadProfile {
  readonly storage: Storage;
  /**
   * The address people open Alertmanager at, such as `https://alertmanager.example.com`: the
   * silence and alert links of notifications point there. Required in Phase 3. Routes stay at `/`.
   * @default - the in-cluster address, http://alertmanager.<namespace>.svc:9093
   */
  readonly externalUrl?: string;
}

/**
 * One place an alert can go. Credentials are never part of the profile: receivers that need one
 * name the key of the `alertmanager-receivers` Secret that holds it, and Alertmanager reads it as
 * a file.
 */
export type Receiver =
  /** Drops notifications (they stay visible in the Alertmanager UI). */
  | { readonly kind: 'null'; readonly name: string }
  /**
   * A webhook whose URL carries no credential (an in-cluster relay, a local sink, a heartbeat
   * endpoint). A credential, when needed, goes in the Authorization header, read from `secretKey`.
   */
  | {
      readonly kind: 'webhook';
      readonly name: string;
      readonly url: string;
      readonly sendResolved?: boolean;
      /** `Authorization: <type> <credential>`, such as `GenieKey` for Opsgenie heartbeats. @default - no header */
      readonly authorization?: { readonly type: string; readonly secretKey: string };
    }
  /** Slack incoming webhook; its URL is a credential, read from `secretKey`. */
  | { readonly kind: 'slack'; readonly name: string; readonly channel: string; readonly secretKey: string; readonly sendResolved?: boolean }
  /** PagerDuty Events API v2; its routing key is read from `secretKey`. */
  | { readonly kind: 'pagerduty'; readonly name: string; readonly secretKey: string }
  /** Opsgenie; its API key is read from `secretKey`. */
  | { readonly kind: 'opsgenie'; readonly name: string; readonly secretKey: string; readonly priority?: string };

/** The receivers of one team's alerts, per severity: each list names receivers of `alerting.receivers`, one or more. */
export interface TeamRoutes {
  readonly critical: readonly string[];
  readonly warning: readonly string[];
  readonly info: readonly string[];
}

/**
 * A scheduled maintenance window: an Alertmanager time interval during which the warnings of the
 * services it names are muted (critical alerts still page). The times are Alertmanager's: days
 * such as `"saturday"` or ranges `"monday:friday"`, times of day `"HH:MM"` with the end excluded.
 */
export interface MaintenanceWindow {
  /** The time interval's name, as routes and the Alertmanager UI show it: `sunday-patching`. */
  readonly name: string;
  /** The services (their `service` label) whose warnings are muted. */
  readonly services: readonly string[];
  /** Days of the week, or ranges of them. @default - every day */
  readonly weekdays?: readonly string[];
  /** Times of day. @default - all day */
  readonly times?: ReadonlyArray<{ readonly start: string; readonly end: string }>;
  /** The time zone of the times, from the IANA database. @default 'UTC' */
  readonly location?: string;
}

/** Which receivers get which alerts: by the alert's `team` label and severity. Each name is one of `receivers`. */
export interface AlertRouting {
  readonly receivers: readonly Receiver[];
  /**
   * For each team of the strategy (TEAMS), the receivers of its critical, warning and info alerts.
   * An alert of no known team goes as DevOps's would.
   */
  readonly teams: Readonly<Record<Team, TeamRoutes>>;
  /** The always-firing Watchdog alert, for a dead-man's switch. */
  readonly watchdog: string;
  /** Scheduled maintenance windows that mute the warnings of the services they name. @default - none */
  readonly maintenance?: readonly MaintenanceWindow[];
  /** How long to wait to batch the first notification of a group. @default ALERTING_DEFAULTS.groupWait ('30s') */
  readonly groupWait?: string;
  /**
   * How long a critical alert's group waits before its first page: a page that waits batches the
   * alerts that fire with it, at the cost of that delay to every page. @default ALERTING_DEFAULTS.criticalGroupWait ('10s')
   */
  readonly criticalGroupWait?: string;
  /** How long to wait before notifying about new alerts in a group that has already notified. @default ALERTING_DEFAULTS.groupInterval ('5m') */
  readonly groupInterval?: string;
  /** How often to re-send a still-firing critical alert. @default ALERTING_DEFAULTS.criticalRepeatInterval ('4h') */
  readonly criticalRepeatInterval?: string;
  /** How often to re-send a still-firing warning or info alert. @default ALERTING_DEFAULTS.repeatInterval ('12h') */
  readonly repeatInterval?: string;
}

/** The same receivers for every team, as in an environment with one channel for everything. */
export function everyTeam(routes: TeamRoutes): Record<Team, TeamRoutes> {
  return Object.fromEntries(TEAMS.map((t) => [t, routes])) as Record<Team, TeamRoutes>;
}

/** The timing of notifications when the profile leaves it out. */
export const ALERTING_DEFAULTS = {
  groupWait: '30s',
  criticalGroupWait: '10s',
  groupInterval: '5m',
  criticalRepeatInterval: '4h',
  repeatInterval: '12h',
} as const satisfies Required<Pick<AlertRouting, 'groupWait' | 'criticalGroupWait' | 'groupInterval' | 'criticalRepeatInterval' | 'repeatInterval'>>;

export const ALERTMANAGER_KEYS: KeySchema<AlertmanagerProfile> = {
  fields: { replicas: VALUE, resources: RESOURCES_KEYS, storage: STORAGE_KEYS, externalUrl: VALUE },
};

const RECEIVER_KEYS: KeySchema<Receiver> = {
  by: 'kind',
  members: {
    null: { fields: { kind: VALUE, name: VALUE } },
    webhook: { fields: { kind: VALUE, name: VALUE, url: VALUE, sendResolved: VALUE, authorization: { fields: { type: VALUE, secretKey: VALUE } } } },
    slack: { fields: { kind: VALUE, name: VALUE, channel: VALUE, secretKey: VALUE, sendResolved: VALUE } },
    pagerduty: { fields: { kind: VALUE, name: VALUE, secretKey: VALUE } },
    opsgenie: { fields: { kind: VALUE, name: VALUE, secretKey: VALUE, priority: VALUE } },
  },
};

const TEAM_ROUTES_KEYS: KeySchema<TeamRoutes> = { fields: { critical: VALUE, warning: VALUE, info: VALUE } };

export const ALERTING_KEYS: KeySchema<AlertRouting> = {
  fields: {
    receivers: { items: RECEIVER_KEYS },
    teams: { fields: { devops: TEAM_ROUTES_KEYS, trading: TEAM_ROUTES_KEYS, risk: TEAM_ROUTES_KEYS } },
    watchdog: VALUE,
    maintenance: {
      items: { fields: { name: VALUE, services: VALUE, weekdays: VALUE, times: { items: { fields: { start: VALUE, end: VALUE } } }, location: VALUE } },
    },
    groupWait: VALUE,
    criticalGroupWait: VALUE,
    groupInterval: VALUE,
    criticalRepeatInterval: VALUE,
    repeatInterval: VALUE,
  },
};

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Checks the `alertmanager` part of a profile. */
export function validateAlertmanagerProfile(p: AlertmanagerProfile, { checkWorkload, checkStorage }: ProfileChecks): void {
  checkWorkload('alertmanager', p);
  checkStorage('alertmanager.storage', p.storage);
}

/**
 * Checks the `alerting` part of a profile: the receivers; that every team names receivers for each
 * severity, all of them defined; that every receiver gets something; the maintenance windows.
 */
export function validateAlertRouting(a: AlertRouting, { fail, checkDuration }: ProfileChecks): void {
  if (a === undefined) fail('alerting', a, 'define the receivers and which one gets each severity');
  const names = new Set<string>();
  a.receivers.forEach((r, i) => {
    const f = `alerting.receivers[${i}]`;
    if (!r.name || !/^[a-z0-9][-a-z0-9_]*$/.test(r.name)) fail(`${f}.name`, r.name, 'use lowercase letters, digits, "-" and "_"');
    if (names.has(r.name)) fail(`${f}.name`, r.name, 'give every receiver a distinct name');
    names.add(r.name);
    switch (r.kind) {
      case 'null':
        break;
      case 'webhook':
        if (!/^https?:\/\/[^\s]+$/.test(r.url ?? '')) fail(`${f}.url`, r.url, 'use an http or https URL');
        {
          const port = addressPortProblem(r.url, 'url');
          if (port) fail(`${f}.url`, r.url, port);
        }
        if (/\/\/[^/]*@/.test(r.url) || /[?&](token|key|secret)=/i.test(r.url)) {
          fail(`${f}.url`, r.url, 'keep credentials out of the profile: put them in the receivers Secret and use "authorization"');
        }
        if (r.authorization !== undefined) {
          if (!/^[A-Za-z][A-Za-z0-9]*$/.test(r.authorization.type ?? ''))
            fail(`${f}.authorization.type`, r.authorization.type, 'use an authorization scheme such as "Bearer" or "GenieKey"');
          if (!SECRET_KEY.test(r.authorization.secretKey ?? ''))
            fail(`${f}.authorization.secretKey`, r.authorization.secretKey, 'name the key of the alertmanager-receivers Secret holding the credential');
        }
        break;
      case 'slack':
        if (!/^#?[a-z0-9][-_a-z0-9]*$/.test(r.channel ?? '')) fail(`${f}.channel`, r.channel, 'use a Slack channel name such as "#trading-alerts"');
        if (!SECRET_KEY.test(r.secretKey ?? ''))
          fail(`${f}.secretKey`, r.secretKey, 'name the key of the alertmanager-receivers Secret holding the webhook URL');
        break;
      case 'pagerduty':
      case 'opsgenie':
        if (!SECRET_KEY.test(r.secretKey ?? '')) fail(`${f}.secretKey`, r.secretKey, 'name the key of the alertmanager-receivers Secret holding the key');
        break;
      default:
        fail(`${f}.kind`, (r as { kind?: unknown }).kind, 'use one of null, webhook, slack, pagerduty, opsgenie');
    }
  });
  const used = new Set<string>();
  const route = (field: string, name: unknown): void => {
    if (typeof name !== 'string' || !names.has(name)) fail(field, name, `name one of the receivers: ${[...names].join(', ')}`);
    used.add(name as string);
  };
  route('alerting.watchdog', a.watchdog);
  const teams: Readonly<Record<string, TeamRoutes | undefined>> = a.teams ?? {};
  for (const team of TEAMS) {
    const t = teams[team] ?? fail(`alerting.teams.${team}`, undefined, 'say which receivers get the critical, warning and info alerts of this team');
    for (const severity of SEVERITIES) {
      const list = t[severity];
      const f = `alerting.teams.${team}.${severity}`;
      if (!Array.isArray(list) || list.length === 0) fail(f, list, `name one receiver or more: ${[...names].join(', ')}`);
      if (new Set(list).size !== list.length) fail(f, list, 'name each receiver once');
      list.forEach((name, i) => route(`${f}[${i}]`, name));
    }
  }
  // A receiver no route names never gets a notification, though Alertmanager loads it without a
  // word, and its credential is still required in the receivers Secret.
  a.receivers.forEach((r, i) => {
    if (used.has(r.name)) return;
    fail(`alerting.receivers[${i}]`, r.name, 'no route sends it anything: name it in alerting.teams.<team>.<severity> or alerting.watchdog, or remove it');
  });
  validateMaintenance(a.maintenance ?? [], fail);
  for (const f of ['groupWait', 'criticalGroupWait', 'groupInterval', 'criticalRepeatInterval', 'repeatInterval'] as const) {
    if (a[f] !== undefined) checkDuration(`alerting.${f}`, a[f] as string, { positive: true });
  }
}

const SEVERITIES = ['critical', 'warning', 'info'] as const;
const WEEKDAY = '(sunday|monday|tuesday|wednesday|thursday|friday|saturday)';
const WEEKDAYS = new RegExp(`^${WEEKDAY}(:${WEEKDAY})?$`);
const TIME_OF_DAY = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** The maintenance windows: distinct names, services to mute, days and times Alertmanager reads. */
function validateMaintenance(windows: readonly MaintenanceWindow[], fail: ProfileChecks['fail']): void {
  const seen = new Set<string>();
  windows.forEach((w, i) => {
    const f = `alerting.maintenance[${i}]`;
    if (!/^[a-z0-9][-a-z0-9_]*$/.test(w.name ?? '')) fail(`${f}.name`, w.name, 'use lowercase letters, digits, "-" and "_"');
    if (seen.has(w.name)) fail(`${f}.name`, w.name, 'give every maintenance window a distinct name');
    seen.add(w.name);
    if (!Array.isArray(w.services) || w.services.length === 0)
      fail(`${f}.services`, w.services, 'name the services (their service label) whose warnings it mutes');
    w.services.forEach((s, j) => {
      if (!/^[a-z0-9][-a-z0-9_.]*$/.test(s ?? '')) fail(`${f}.services[${j}]`, s, 'use the value of the service label, such as "portfolio-service"');
    });
    if (w.weekdays === undefined && w.times === undefined) fail(f, w.name, 'give weekdays, times or both: a window without them lasts for ever');
    (w.weekdays ?? []).forEach((d, j) => {
      if (!WEEKDAYS.test(d ?? '')) fail(`${f}.weekdays[${j}]`, d, 'use a lowercase day such as "sunday", or a range such as "monday:friday"');
    });
    (w.times ?? []).forEach((t, j) => {
      for (const k of ['start', 'end'] as const) {
        if (!TIME_OF_DAY.test(t[k] ?? '')) fail(`${f}.times[${j}].${k}`, t[k], 'use a time of day "HH:MM" from "00:00" to "24:00"');
      }
      if (minutes(t.start) >= minutes(t.end)) fail(`${f}.times[${j}].end`, t.end, `end after the start (${t.start}); split a window over midnight in two`);
    });
    if (w.location !== undefined && !/^(UTC|Local|[A-Z][A-Za-z_]+(\/[A-Z][-+A-Za-z0-9_]+)+)$/.test(w.location))
      fail(`${f}.location`, w.location, 'use a time zone of the IANA database, such as "UTC" or "Europe/Berlin"');
  });
}
