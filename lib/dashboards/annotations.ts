/**
 * Events drawn across every time series of a dashboard: Prometheus annotation queries. Each time
 * the expression returns a series, Grafana marks the span on the time axis, titled from the
 * series' labels, so a reader sees what changed just before a curve moved.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { promDatasource } from './panels';

export interface EventAnnotationOptions {
  /** The toggle's name in the dashboard's controls: `Deployments`. */
  readonly name: string;
  /** PromQL that returns a series while the event holds, such as an info alert's expression. */
  readonly expr: string;
  /** The event's title, a Grafana template over the series' labels: `{{deployment}} deployed`. */
  readonly title: string;
  /** Labels of the series shown as the event's tags. @default - none */
  readonly tags?: readonly string[];
  /** Colour of the marks, a Grafana colour name or CSS colour. */
  readonly color: string;
  /** Resolution of the query. @default '1m' */
  readonly step?: string;
}

/**
 * A Prometheus annotation query on the dashboard's datasource, shown by default. The query sits in
 * the annotation's `expr` and `step`, which Grafana's Prometheus datasource moves into its query
 * target when the dashboard loads.
 */
export function eventAnnotation(o: EventAnnotationOptions): cog.Builder<dashboard.AnnotationQuery> {
  const step = o.step ?? '1m';
  const query: dashboard.AnnotationQuery = {
    name: o.name,
    datasource: promDatasource,
    enable: true,
    iconColor: o.color,
    expr: o.expr.trim(),
    step,
    titleFormat: o.title,
    tagKeys: (o.tags ?? []).join(','),
    textFormat: '',
    useValueForTime: false,
  };
  return { build: () => query };
}

/** The annotation queries of a dashboard that hold PromQL, Grafana's built-in one aside. */
export function annotationQueries(model: dashboard.Dashboard): Array<{ readonly name: string; readonly expr: string; readonly title?: string }> {
  return (model.annotations?.list ?? [])
    .filter((a) => !a.builtIn && typeof a.expr === 'string')
    .map((a) => ({ name: a.name, expr: a.expr as string, ...(a.titleFormat ? { title: a.titleFormat } : {}) }));
}
