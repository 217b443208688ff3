/**
 * A per-chart register of named declarations: components declare facts about themselves (an
 * exception, a reason) where they build the objects, and checks and docs read them per chart.
 */
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

export interface ChartRegistry<T> {
  /** Records `value` under `key` in the chart of `scope`; a later declaration replaces an earlier one. */
  declare(scope: IConstruct, key: string, value: T): T;
  /** What the chart of `scope` has under `key`, if anything. */
  find(scope: IConstruct, key: string): T | undefined;
  /** The chart's declarations, sorted by key. */
  list(chart: Chart): T[];
}

export function chartRegistry<T>(): ChartRegistry<T> {
  const byChart = new WeakMap<Chart, Map<string, T>>();
  return {
    declare(scope, key, value) {
      const chart = Chart.of(scope);
      const map = byChart.get(chart) ?? new Map<string, T>();
      byChart.set(chart, map);
      map.set(key, value);
      return value;
    },
    find(scope, key) {
      return byChart.get(Chart.of(scope))?.get(key);
    },
    list(chart) {
      return [...(byChart.get(chart)?.entries() ?? [])].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
    },
  };
}
