/**
 * What CI reports about the code of each trading-system repository, for the Development
 * dashboard (strategy: "code quality metrics", "test coverage and results"). A CI job cannot be
 * scraped: at the end of every pipeline run on the default branch, CI pushes these gauges to the
 * stack's Pushgateway under the grouping key `job="ci"`, `repository`, `branch`
 * (`PUT /metrics/job/ci/repository/<repo>/branch/<branch>`), replacing the previous run's values;
 * Prometheus scrapes the Pushgateway with `honor_labels: true`, so those labels are kept.
 */
import { metricsFrom } from '../lib/metrics/catalog';
import { MetricDefinition } from '../lib/metrics/types';

/** The source name of the CI metrics in the catalog and docs/metrics.md. */
export const CI_SOURCE = 'ci (pushed to the Pushgateway)';

/** The grouping key every CI push carries after `job="ci"`. */
export const CI_GROUPING_LABELS = ['repository', 'branch'] as const;

const ci = metricsFrom(CI_SOURCE);
const key = [...CI_GROUPING_LABELS];

export const CI_METRICS: readonly MetricDefinition[] = [
  ci.gauge('grekko_ci_tests', 'tests', [...key, 'result'], 'Tests of the last run, by result: passed, failed or skipped.'),
  ci.gauge('grekko_ci_test_coverage_ratio', 'ratio', key, 'Line coverage of the last run, as a fraction.'),
  ci.gauge('grekko_ci_pipeline_success', '1', key, '1 when the last pipeline run passed, 0 when it failed.'),
  ci.gauge('grekko_ci_pipeline_duration_seconds', 'seconds', key, 'Duration of the last pipeline run.'),
  ci.gauge('grekko_ci_pipeline_last_run_timestamp_seconds', 'seconds', key, 'Unix time the last pipeline run finished.'),
  ci.gauge('grekko_ci_lint_issues', 'findings', [...key, 'severity'], 'Lint and static-analysis findings of the last run, by severity (error, warning, info).'),
  ci.gauge(
    'grekko_ci_dependency_vulnerabilities',
    'vulnerabilities',
    [...key, 'severity'],
    'Known vulnerabilities in dependencies found by the last run, by severity (critical, high, medium, low).',
  ),
];
