/**
 * The metrics catalog: every metric that rules and dashboards use, with its type, unit, labels and
 * source. For the trading services it is the contract they must expose.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'info';

export interface MetricDefinition {
  /**
   * The metric family name as exposed (`http_requests_total`, `http_request_duration_seconds`).
   * A histogram's `_bucket`, `_sum` and `_count` series are covered by its family name.
   */
  readonly name: string;
  readonly type: MetricType;
  /** Unit in words or UCUM-like form: `seconds`, `bytes`, `ratio`, `USD`, `1`. */
  readonly unit: string;
  readonly help: string;
  /** Label names the metric carries (beyond the target labels job, instance, namespace, pod). */
  readonly labels: readonly string[];
  /** Who exposes it: an exporter (`node-exporter`, `postgres-exporter`...) or a trading service (`order-service`). */
  readonly source: string;
}

export type MetricsCatalog = readonly MetricDefinition[];
