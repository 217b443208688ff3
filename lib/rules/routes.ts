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
}

/** One notification path of an alert: the receiver, and the time intervals during which the route that reaches it is muted. */
export interface Delivery {
  readonly receiver: string;
  /** Not inherited: the mute_time_intervals of the route that matched, as Alertmanager reads them. */
  readonly mutedDuring: readonly string[];
}

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

/** Where an alert with these labels is sent, in order: each matching leaf route's receiver and mute intervals. */
export function deliveriesFor(config: { readonly route: Route }, labels: Readonly<Record<string, string>>): Delivery[] {
  const walk = (route: Route, inherited: string): Delivery[] => {
    const receiver = route.receiver ?? inherited;
    const out: Delivery[] = [];
    for (const child of route.routes ?? []) {
      if (!(child.matchers ?? []).every((m) => matches(m, labels))) continue;
      out.push(...walk(child, receiver));
      if (!child.continue) break;
    }
    return out.length ? out : [{ receiver, mutedDuring: [...(route.mute_time_intervals ?? [])] }];
  };
  return walk(config.route, config.route.receiver ?? '');
}

/** The receivers an alert with these labels is sent to, in order. */
export function receiversFor(config: { readonly route: Route }, labels: Readonly<Record<string, string>>): string[] {
  return deliveriesFor(config, labels).map((d) => d.receiver);
}
