/**
 * The logging pipeline of one environment: Fluentd on every node → Elasticsearch → Kibana, the
 * elasticsearch_exporter, their Prometheus scrape jobs and Grafana's Elasticsearch datasource.
 * Every reader and writer reaches Elasticsearch through IElasticsearchEndpoint with a user of its
 * own; the log fields and the data stream are those of log-fields.ts.
 */
import { Construct } from 'constructs';
import { Elasticsearch } from '../elasticsearch/elasticsearch';
import { ElasticsearchExporter } from '../elasticsearch/exporter';
import { Fluentd } from '../fluentd/fluentd';
import { Grafana } from '../grafana/grafana';
import { Kibana } from '../kibana/kibana';
import { LOG_FIELDS, LOG_STREAM, logFieldMappings } from './log-fields';
import { Prometheus } from '../prometheus/prometheus';
import { serviceJob } from '../prometheus/scrape';
import { StackContext } from '../../core/k8s';
import { LoggingProfile } from './profile';

export interface LoggingPipelineProps {
  readonly ctx: StackContext;
  readonly profile: LoggingProfile;
  /** Scrapes Fluentd and the exporter. */
  readonly prometheus: Prometheus;
  /** Gets the Elasticsearch logs datasource. */
  readonly grafana: Grafana;
}

export class LoggingPipeline extends Construct {
  public readonly elasticsearch: Elasticsearch;
  public readonly kibana: Kibana;
  public readonly fluentd: Fluentd;
  public readonly exporter: ElasticsearchExporter;

  constructor(scope: Construct, id: string, props: LoggingPipelineProps) {
    super(scope, id);
    const { ctx, profile, prometheus, grafana } = props;

    const es = new Elasticsearch(this, 'elasticsearch', { ctx, profile: profile.elasticsearch });
    this.elasticsearch = es;
    es.addDataStream({
      name: LOG_STREAM.templateName,
      indexPatterns: [LOG_STREAM.indexPattern],
      dataStreams: [LOG_STREAM.dataStream],
      retentionDays: profile.elasticsearch.retentionDays,
      rolloverShardSizeGi: profile.elasticsearch.rolloverShardSizeGi,
      mappings: logFieldMappings(),
    });

    this.fluentd = new Fluentd(this, 'fluentd', { ctx, profile: profile.fluentd, elasticsearch: es, dataStream: LOG_STREAM.dataStream });
    this.kibana = new Kibana(this, 'kibana', { ctx, profile: profile.kibana, elasticsearch: es });
    this.kibana.addDataView({
      id: LOG_STREAM.dataViewId,
      name: 'Kubernetes container logs',
      pattern: LOG_STREAM.indexPattern,
      timeField: LOG_FIELDS.timestamp,
    });
    this.exporter = new ElasticsearchExporter(this, 'elasticsearch-exporter', { ctx, profile: profile.elasticsearchExporter, elasticsearch: es });

    prometheus.addScrapeJob(serviceJob({ name: 'fluentd', namespace: ctx.namespace, service: this.fluentd.serviceName, port: 'metrics' }));
    prometheus.addScrapeJob({
      ...serviceJob({ name: 'elasticsearch', namespace: ctx.namespace, service: this.exporter.serviceName, port: 'metrics', interval: '30s' }),
      // The exporter's `cluster` label (the Elasticsearch cluster name) would hide the stack's
      // external `cluster` label on alerts: keep it as `es_cluster`.
      metricRelabelings: [
        { sourceLabels: ['cluster'], regex: '(.+)', targetLabel: 'es_cluster' },
        { action: 'labeldrop', regex: 'cluster' },
      ],
    });

    const reader = es.addClient({
      name: 'grafana',
      indices: [LOG_STREAM.indexPattern],
      indexPrivileges: ['read', 'view_index_metadata'],
      clusterPrivileges: ['monitor'],
    });
    grafana.addDatasource({
      name: 'Logs',
      uid: LOG_STREAM.dataViewId,
      type: 'elasticsearch',
      url: es.url,
      basicAuthUserFromSecret: { secretName: reader.secretName, key: reader.usernameKey },
      jsonData: {
        index: LOG_STREAM.indexPattern,
        timeField: LOG_FIELDS.timestamp,
        logMessageField: LOG_FIELDS.message,
        logLevelField: LOG_FIELDS.level,
        maxConcurrentShardRequests: 5,
        ...(es.caSecretName ? { tlsAuthWithCACert: true } : {}),
      },
      secureJsonFromSecret: {
        basicAuthPassword: { secretName: reader.secretName, key: reader.passwordKey },
        ...(es.caSecretName ? { tlsCACert: { secretName: es.caSecretName, key: es.caKey ?? 'ca.crt' } } : {}),
      },
    });
  }
}
