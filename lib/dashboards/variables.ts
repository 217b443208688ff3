/**
 * Template variables every dashboard shares: the Prometheus datasource, and namespace and service
 * (`job`) pickers fed by `label_values()` over a metric the dashboard shows.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE_VARIABLE, promDatasource } from './panels';

export type VariableBuilder = dashboard.DatasourceVariableBuilder | dashboard.QueryVariableBuilder | dashboard.CustomVariableBuilder;

/** Picks the Prometheus datasource; every panel queries `${datasource}`. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus').regex('').multi(false).includeAll(false);
}

export interface QueryVariableOptions {
  readonly name: string;
  readonly label: string;
  /** A Grafana Prometheus variable query: `label_values(metric{...}, label)` or `query_result(expr)`. */
  readonly query: string;
  /** Allow several values and an "All" entry matching `.*`. @default true */
  readonly multi?: boolean;
  /** Preselected value. @default - "All" when multi, else the first value */
  readonly current?: string;
}

export function queryVariable(o: QueryVariableOptions): dashboard.QueryVariableBuilder {
  const multi = o.multi ?? true;
  const b = new dashboard.QueryVariableBuilder(o.name)
    .label(o.label)
    .datasource(promDatasource)
    .query({ qryType: 1, query: o.query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(o.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi);
  if (multi) b.allValue('.*');
  const current = o.current ?? (multi ? 'All' : undefined);
  if (current !== undefined) b.current({ text: current, value: current === 'All' ? '$__all' : current, selected: true });
  return b;
}

/** Namespaces in which `metric` has series. */
export function namespaceVariable(metric: string, current?: string): dashboard.QueryVariableBuilder {
  return queryVariable({ name: 'namespace', label: 'Namespace', query: `label_values(${metric}, namespace)`, ...(current ? { current } : {}) });
}

/** Services (the `job` label) with series of `metric` in the selected namespaces. */
export function serviceVariable(metric: string): dashboard.QueryVariableBuilder {
  return queryVariable({ name: 'service', label: 'Service', query: `label_values(${metric}{namespace=~"$namespace"}, job)` });
}

/** Any other label of `metric`, filtered by the selected namespaces when `byNamespace`. */
export function labelVariable(name: string, label: string, metric: string, labelName: string, byNamespace = false): dashboard.QueryVariableBuilder {
  return queryVariable({ name, label, query: `label_values(${metric}${byNamespace ? '{namespace=~"$namespace"}' : ''}, ${labelName})` });
}
