/** What a dashboard is once it is provisioned into Grafana, and where it opens. */

/** A dashboard provisioned from its own ConfigMap. */
export interface GrafanaDashboard {
  readonly uid: string;
  /**
   * Folder title in Grafana, also the name of the directory the dashboard is mounted in: letters,
   * digits, spaces, `_` and `-`, at most 40, not "General".
   */
  readonly folder: string;
  /** The dashboard JSON model. */
  readonly model: unknown;
}

/** Where a dashboard opens: `<public url>/d/<uid>`. */
export function grafanaDashboardUrl(publicUrl: string, uid: string): string {
  return `${publicUrl}/d/${uid}`;
}

/** A query Grafana offers from a trace: its name in Grafana's menu and its PromQL, with `$__tags` for the span's service (`job="<service.name>"`). */
export interface TraceMetricsQuery {
  readonly name: string;
  readonly query: string;
}
