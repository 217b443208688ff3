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
import { GrafanaDatasource } from '../grafana/datasource';
import { Flow, FlowContext } from '../network-policies/flows';
import { loggingFlows } from './flows';
import { ElasticsearchCredentials } from '../elasticsearch/endpoint';
import { Kibana } from '../kibana/kibana';
import { LOG_FIELDS, LOG_STREAM, logFieldMappings } from './log-fields';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { StackContext } from '../../core/k8s';
import { LoggingProfile } from './profile';

export interface LoggingPipelineProps {
  readonly ctx: StackContext;
  readonly profile: LoggingProfile;
}

export class LoggingPipeline extends Construct {
  public readonly elasticsearch: Elasticsearch;
  public readonly kibana: Kibana;
  public readonly fluentd: Fluentd;
  public readonly exporter: ElasticsearchExporter;
  private readonly namespace: string;
  private readonly reader: ElasticsearchCredentials;

  constructor(scope: Construct, id: string, props: LoggingPipelineProps) {
    super(scope, id);
    const { ctx, profile } = props;
    this.namespace = ctx.namespace;

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

    const reader = es.addClient({
      name: 'grafana',
      indices: [LOG_STREAM.indexPattern],
      indexPrivileges: ['read', 'view_index_metadata'],
      clusterPrivileges: ['monitor'],
    });
    this.reader = reader;
  }

  public scrapeJobs(): ScrapeJob[] {
    return [
      serviceJob({ name: 'fluentd', namespace: this.namespace, service: this.fluentd.serviceName, port: 'metrics' }),
      {
        ...serviceJob({ name: 'elasticsearch', namespace: this.namespace, service: this.exporter.serviceName, port: 'metrics', interval: '30s' }),
        // The exporter's `cluster` label (the Elasticsearch cluster name) would hide the stack's
        // external `cluster` label on alerts: keep it as `es_cluster`.
        metricRelabelings: [
          { sourceLabels: ['cluster'], regex: '(.+)', targetLabel: 'es_cluster' },
          { action: 'labeldrop', regex: 'cluster' },
        ],
      },
    ];
  }

  /** Grafana's logs datasource, read with a user of its own. */
  public datasources(): GrafanaDatasource[] {
    const es = this.elasticsearch;
    const reader = this.reader;
    return [
      {
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
      },
    ];
  }

  public flows(net: FlowContext): Flow[] {
    return loggingFlows(this, net);
  }
}
