/**
 * Where Alertmanager sends an alert: the routing tree of a generated alertmanager.yml walked for a
 * label set, the way Alertmanager walks it (first matching child wins unless `continue`, anchored
 * regular expressions). Used for the alert catalog; tests check it against `amtool config routes
 * test` so that the catalog never disagrees with the real router.
 */

interface Route {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly continue?: boolean;
  readonly routes?: readonly Route[];
  readonly mute_time_intervals?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
}

/** One notification path of an alert: the receiver, and the time intervals during which the route that reaches it is muted. */
export interface Delivery {
  readonly receiver: string;
  /** Not inherited: the mute_time_intervals of the route that matched, as Alertmanager reads them. */
  readonly mutedDuring: readonly string[];
  /** Inherited from the nearest route that sets them, else Alertmanager's defaults (ROUTE_DEFAULTS). */
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
}

/**
 * What the root route has when the file leaves a timing out: prometheus/alertmanager v0.28.1
 * (and v0.25.0), dispatch/route.go, `DefaultRouteOpts`.
 */
export const ROUTE_DEFAULTS = { groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' } as const;

type Timing = Pick<Delivery, 'groupWait' | 'groupInterval' | 'repeatInterval'>;

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

export function matches(matcher: string, labels: Readonly<Record<string, string>>): boolean {
  const m = MATCHER.exec(matcher);
  if (!m) throw new Error(`unsupported matcher ${JSON.stringify(matcher)}: use name="v", name!="v", name=~"re" or name!~"re"`);
  const [, name, op, raw] = m;
  const value = JSON.parse(`"${raw}"`) as string;
  const actual = labels[name] ?? '';
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '=~':
      return new RegExp(`^(?:${value})$`).test(actual);
    default:
      return !new RegExp(`^(?:${value})$`).test(actual);
  }
}

/** Where an alert with these labels is sent, in order: each matching leaf route's receiver, mute intervals and timings. */
export function deliveriesFor(config: { readonly route: Route }, labels: Readonly<Record<string, string>>): Delivery[] {
  const walk = (route: Route, inherited: string, parent: Timing): Delivery[] => {
    const receiver = route.receiver ?? inherited;
    const timing: Timing = {
      groupWait: route.group_wait ?? parent.groupWait,
      groupInterval: route.group_interval ?? parent.groupInterval,
      repeatInterval: route.repeat_interval ?? parent.repeatInterval,
    };
    const out: Delivery[] = [];
    for (const child of route.routes ?? []) {
      if (!(child.matchers ?? []).every((m) => matches(m, labels))) continue;
      out.push(...walk(child, receiver, timing));
      if (!child.continue) break;
    }
    return out.length ? out : [{ receiver, mutedDuring: [...(route.mute_time_intervals ?? [])], ...timing }];
  };
  return walk(config.route, config.route.receiver ?? '', ROUTE_DEFAULTS);
}

/** The receivers an alert with these labels is sent to, in order. */
export function receiversFor(config: { readonly route: Route }, labels: Readonly<Record<string, string>>): string[] {
  return deliveriesFor(config, labels).map((d) => d.receiver);
}
