/**
 * Label inference for rules and dashboards: which labels the series of an expression carry
 * (./series.ts, ./inference.ts) and every label an expression, an alert template or a Grafana
 * legend names that none of them carries (./problems.ts).
 */
export type { LabelSet, SeriesLabels } from './sets';
export { seriesLookup } from './sets';
export type { CatalogLabelOptions } from './series';
export {
  DEFAULT_EVERY_TARGET_SOURCES,
  DEFAULT_OPEN_JOBS,
  DEFAULT_OPEN_SOURCES,
  DEFAULT_TARGET_LABELS,
  catalogSeriesLabels,
  seriesLabelsOf,
  withRecordedSeries,
} from './series';
export type { InferOptions, LabelInference } from './inference';
export { inferLabels } from './inference';
export type { LabelProblem, LabelUse, TemplateLabelRef } from './problems';
export { alertTemplateLabels, describeLabelProblem, labelProblem, legendLabels, nearest, templateProblems } from './problems';
