/**
 * The alertmanager.yml document: the routing tree from the profile's teams, the maintenance
 * windows as time intervals, the inhibitions and the receivers. Receivers read their credentials
 * from the mounted receivers Secret through the `*_file` fields, so the document holds no secret.
 */
import { TEAMS, type InhibitRule, type Severity, type Team } from '../../rules/types';

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
import { ALERTING_DEFAULTS, AlertRouting, MaintenanceWindow, Receiver } from './profile';

/** Where the receivers Secret is mounted. */
export const SECRETS_DIR = '/etc/alertmanager/secrets';

/**
 * Default inhibitions. A critical alert mutes the warnings and infos of the same service; a
 * warning mutes the infos of the same alert. Targets must carry the label compared on, so that two
 * alerts without a `service` label are not taken as the same service.
 */
export const DEFAULT_INHIBIT_RULES: readonly InhibitRule[] = [
  { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity=~"warning|info"', 'service=~".+"'], equal: ['namespace', 'service'] },
  { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity=~"warning|info"'], equal: ['namespace', 'alertname'] },
  { sourceMatchers: ['severity="warning"'], targetMatchers: ['severity="info"'], equal: ['namespace', 'alertname'] },
];

/** Path under which a receiver reads the credential stored in the receivers Secret's `key`. */
export function secretFile(key: string): string {
  return `${SECRETS_DIR}/${key}`;
}

type Route = Record<string, unknown>;

/**
 * Routes that send to each receiver in turn: all but the last `continue`, so that an alert reaches
 * every one of them. `extra` (such as mute_time_intervals, which children do not inherit) is set
 * on each.
 */
function sendTo(receivers: readonly string[], extra: Route = {}): Route[] {
  return receivers.map((receiver, i) => ({ receiver, ...extra, ...(i < receivers.length - 1 ? { continue: true } : {}) }));
}

/** A route of `matchers` that sends to the receivers: itself when there is one and nothing else to tell apart, else through children. */
function node(matchers: readonly string[], receivers: readonly string[], extra: Route, children: readonly Route[] = []): Route {
  if (receivers.length === 1 && children.length === 0) return { matchers: [...matchers], receiver: receivers[0], ...extra };
  return { matchers: [...matchers], ...extra, routes: [...children, ...sendTo(receivers)] };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * For each set of maintenance windows, the services they all cover and no other: a service in
 * two windows is muted during both.
 */
function maintenanceGroups(windows: readonly MaintenanceWindow[]): Array<{ services: string[]; windows: string[] }> {
  const byService = new Map<string, string[]>();
  for (const w of windows) for (const s of w.services) byService.set(s, [...(byService.get(s) ?? []), w.name]);
  const groups = new Map<string, { services: string[]; windows: string[] }>();
  for (const [service, names] of byService) {
    const key = names.join(',');
    const g = groups.get(key) ?? { services: [], windows: names };
    g.services.push(service);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * A maintenance window as a top-level `time_intervals` entry. The keys are those Alertmanager
 * v0.28.1 reads (config/config.go `TimeIntervals`, timeinterval/timeinterval.go `times` with
 * `start_time`/`end_time`, `weekdays`, `location`); routes name it in `mute_time_intervals`, which a
 * child route does not inherit (dispatch/route.go), so every leaf carries it. amtool 0.24 and later
 * read both.
 */
function renderTimeInterval(w: MaintenanceWindow): Record<string, unknown> {
  return {
    name: w.name,
    time_intervals: [
      {
        ...(w.weekdays ? { weekdays: [...w.weekdays] } : {}),
        ...(w.times ? { times: w.times.map((t) => ({ start_time: t.start, end_time: t.end })) } : {}),
        location: w.location ?? 'UTC',
      },
    ],
  };
}

/**
 * The routing tree. The Watchdog goes first to the dead-man's switch; then each team's alerts go,
 * by severity, to the team's receivers. Grouping by alert name, namespace and service sends one
 * notification per problem per service rather than one per pod; `group_wait` batches the first
 * burst, and critical alerts repeat more often than the rest so that an unacknowledged page is
 * not forgotten. Warnings of a service under maintenance are muted while its window lasts.
 * An alert of no known team goes as DevOps's would, and one without a severity where DevOps's
 * warnings go, the root's receiver.
 */
export function renderAlertmanagerConfig(routing: AlertRouting, inhibitRules: readonly InhibitRule[] = DEFAULT_INHIBIT_RULES): Record<string, unknown> {
  const groupWait = routing.groupWait ?? ALERTING_DEFAULTS.groupWait;
  const groupInterval = routing.groupInterval ?? ALERTING_DEFAULTS.groupInterval;
  const repeat = routing.repeatInterval ?? ALERTING_DEFAULTS.repeatInterval;
  const criticalRepeat = routing.criticalRepeatInterval ?? ALERTING_DEFAULTS.criticalRepeatInterval;
  const criticalWait = routing.criticalGroupWait ?? ALERTING_DEFAULTS.criticalGroupWait;
  const windows = routing.maintenance ?? [];
  const muted = maintenanceGroups(windows);
  const timing: Record<Severity, Route> = {
    critical: { group_wait: criticalWait, repeat_interval: criticalRepeat },
    warning: {},
    info: { repeat_interval: '24h' },
  };
  const severityRoute = (severity: Severity, receivers: readonly string[]): Route => {
    const children =
      severity === 'warning'
        ? muted.map((g) => {
            const matchers = [`service=~"${g.services.map(escapeRegex).join('|')}"`];
            const mute = { mute_time_intervals: g.windows };
            return receivers.length === 1 ? { matchers, receiver: receivers[0], ...mute } : { matchers, routes: sendTo(receivers, mute) };
          })
        : [];
    return node([`severity="${severity}"`], receivers, timing[severity], children);
  };
  const bySeverity = (t: AlertRouting['teams'][Team]): Route[] => SEVERITIES.map((s) => severityRoute(s, t[s]));
  return {
    route: {
      receiver: routing.teams.devops.warning[0],
      group_by: ['alertname', 'namespace', 'service'],
      group_wait: groupWait,
      group_interval: groupInterval,
      repeat_interval: repeat,
      routes: [
        // The dead-man's switch: re-sent every few minutes so the external check sees it alive.
        { receiver: routing.watchdog, matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '5m' },
        ...TEAMS.map((team) => ({ matchers: [`team="${team}"`], routes: bySeverity(routing.teams[team]) })),
        // An alert of no known team (none of the stack's rules; one pushed from elsewhere) goes as DevOps's would.
        { routes: bySeverity(routing.teams.devops) },
      ],
    },
    ...(windows.length ? { time_intervals: windows.map(renderTimeInterval) } : {}),
    inhibit_rules: inhibitRules.map((r) => ({ source_matchers: [...r.sourceMatchers], target_matchers: [...r.targetMatchers], equal: [...r.equal] })),
    receivers: routing.receivers.map(renderReceiver),
  };
}

const SUMMARY = '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}';

function renderReceiver(r: Receiver): Record<string, unknown> {
  switch (r.kind) {
    case 'null':
      return { name: r.name };
    case 'webhook':
      return {
        name: r.name,
        webhook_configs: [
          {
            url: r.url,
            send_resolved: r.sendResolved ?? true,
            ...(r.authorization
              ? { http_config: { authorization: { type: r.authorization.type, credentials_file: secretFile(r.authorization.secretKey) } } }
              : {}),
          },
        ],
      };
    case 'slack':
      return {
        name: r.name,
        slack_configs: [
          {
            api_url_file: secretFile(r.secretKey),
            channel: r.channel.startsWith('#') ? r.channel : `#${r.channel}`,
            send_resolved: r.sendResolved ?? true,
            title:
              '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})',
            text: '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}\n{{ end }}{{ if .Annotations.dashboard_url }}Dashboard: {{ .Annotations.dashboard_url }}\n{{ end }}{{ end }}',
          },
        ],
      };
    case 'pagerduty':
      return {
        name: r.name,
        pagerduty_configs: [
          {
            routing_key_file: secretFile(r.secretKey),
            severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
            description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
            details: { firing: SUMMARY, runbook: '{{ .CommonAnnotations.runbook_url }}', dashboard: '{{ .CommonAnnotations.dashboard_url }}' },
          },
        ],
      };
    case 'opsgenie':
      return {
        name: r.name,
        opsgenie_configs: [
          {
            api_key_file: secretFile(r.secretKey),
            message: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
            description: SUMMARY,
            priority: r.priority ?? 'P1',
          },
        ],
      };
  }
}
