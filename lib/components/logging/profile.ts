/**
 * The logging pipeline's part of an environment profile (Fluentd → Elasticsearch → Kibana, plus
 * the elasticsearch_exporter), composed from the parts each component declares in its own folder
 * (elasticsearch/profile.ts, kibana/profile.ts, fluentd/profile.ts): their types, keys and checks.
 */
import type { ProfileChecks } from '../../core/checks';
import type { KeySchema } from '../../core/keys';
import {
  ELASTICSEARCH_EXPORTER_KEYS,
  ELASTICSEARCH_KEYS,
  ElasticsearchExporterProfile,
  ElasticsearchProfile,
  validateElasticsearchExporterProfile,
  validateElasticsearchProfile,
} from '../elasticsearch/profile';
import { FLUENTD_KEYS, FluentdProfile, validateFluentdProfile } from '../fluentd/profile';
import { KIBANA_KEYS, KibanaProfile, validateKibanaProfile } from '../kibana/profile';

export interface LoggingProfile {
  readonly elasticsearch: ElasticsearchProfile;
  readonly kibana: KibanaProfile;
  readonly fluentd: FluentdProfile;
  readonly elasticsearchExporter: ElasticsearchExporterProfile;
}

/** Checks the `logging` part of a profile, one component after the other; throws through `checks.fail`. */
export function validateLoggingProfile(l: LoggingProfile, checks: ProfileChecks): void {
  if (l === undefined) checks.fail('logging', l, 'define elasticsearch, kibana, fluentd and elasticsearchExporter');
  validateElasticsearchProfile(l.elasticsearch, checks, 'logging.elasticsearch');
  validateKibanaProfile(l.kibana, checks, 'logging.kibana');
  validateFluentdProfile(l.fluentd, checks, 'logging.fluentd');
  validateElasticsearchExporterProfile(l.elasticsearchExporter, checks, 'logging.elasticsearchExporter');
}

export const LOGGING_KEYS: KeySchema<LoggingProfile> = {
  fields: { elasticsearch: ELASTICSEARCH_KEYS, kibana: KIBANA_KEYS, fluentd: FLUENTD_KEYS, elasticsearchExporter: ELASTICSEARCH_EXPORTER_KEYS },
};
