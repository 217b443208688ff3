/** The `alertmanager` and `alerting` parts of a profile: Alertmanager itself, and where alerts go. */
import { KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE } from '../../core/keys';
import type { ProfileChecks } from '../../core/checks';
import { addressPortProblem } from '../../core/addresses';
import type { Storage, WorkloadProfile } from '../../core/workload';

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

/** Which receiver gets which alerts. Each value names a receiver of `receivers`. */
export interface AlertRouting {
  readonly receivers: readonly Receiver[];
  /** Alerts with `severity="critical"`. */
  readonly critical: string;
  /** Alerts with `severity="warning"`. */
  readonly warning: string;
  /** Alerts with `severity="info"`. */
  readonly info: string;
  /** The always-firing Watchdog alert, for a dead-man's switch. */
  readonly watchdog: string;
  /** How long to wait to batch the first notification of a group. @default ALERTING_DEFAULTS.groupWait ('30s') */
  readonly groupWait?: string;
  /** How long to wait before notifying about new alerts in a group that has already notified. @default ALERTING_DEFAULTS.groupInterval ('5m') */
  readonly groupInterval?: string;
  /** How often to re-send a still-firing critical alert. @default ALERTING_DEFAULTS.criticalRepeatInterval ('4h') */
  readonly criticalRepeatInterval?: string;
  /** How often to re-send a still-firing warning or info alert. @default ALERTING_DEFAULTS.repeatInterval ('12h') */
  readonly repeatInterval?: string;
}

/** The timing of notifications when the profile leaves it out. */
export const ALERTING_DEFAULTS = {
  groupWait: '30s',
  groupInterval: '5m',
  criticalRepeatInterval: '4h',
  repeatInterval: '12h',
} as const satisfies Required<Pick<AlertRouting, 'groupWait' | 'groupInterval' | 'criticalRepeatInterval' | 'repeatInterval'>>;

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

export const ALERTING_KEYS: KeySchema<AlertRouting> = {
  fields: {
    receivers: { items: RECEIVER_KEYS },
    critical: VALUE,
    warning: VALUE,
    info: VALUE,
    watchdog: VALUE,
    groupWait: VALUE,
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

/** Checks the `alerting` part of a profile: receivers, and that each severity names one of them. */
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
  const routes = ['critical', 'warning', 'info', 'watchdog'] as const;
  for (const f of routes) {
    if (!names.has(a[f])) fail(`alerting.${f}`, a[f], `name one of the receivers: ${[...names].join(', ')}`);
  }
  // The routing tree has these four routes and no other (renderAlertmanagerConfig): a receiver
  // none of them names never gets a notification, though Alertmanager loads it without a word,
  // and its credential is still required in the receivers Secret.
  a.receivers.forEach((r, i) => {
    if (routes.some((f) => a[f] === r.name)) return;
    fail(
      `alerting.receivers[${i}]`,
      r.name,
      `no route sends it anything: name it in alerting.critical, warning, info or watchdog (now ${routes.map((f) => `${f}: "${a[f]}"`).join(', ')}), or remove it`,
    );
  });
  for (const f of ['groupWait', 'groupInterval', 'criticalRepeatInterval', 'repeatInterval'] as const) {
    if (a[f] !== undefined) checkDuration(`alerting.${f}`, a[f] as string, { positive: true });
  }
}
