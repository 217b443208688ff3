/**
 * The flows of the logging pipeline: Fluentd ships logs to Elasticsearch and asks the API server
 * for pod metadata, Kibana, the exporter, the setup Jobs and Grafana reach Elasticsearch, its nodes
 * talk to each other, Prometheus scrapes Fluentd and the exporter, people open Kibana.
 */
import { ELASTICSEARCH_SETUP_COMPONENT, ELASTICSEARCH_TRANSPORT_PORT, Elasticsearch } from '../elasticsearch/elasticsearch';
import { ElasticsearchExporter } from '../elasticsearch/exporter';
import { elasticsearchPods } from '../elasticsearch/flows';
import { Fluentd } from '../fluentd/fluentd';
import { KIBANA_SETUP_COMPONENT, Kibana } from '../kibana/kibana';
import { Flow, FlowContext, flow, group, pods, scrapeFlow, tcp, uiFlows } from '../network-policies/flows';

export interface LoggingEnds {
  readonly elasticsearch: { readonly port: number; readonly nodes: number };
  readonly kibana: { readonly port: number };
  readonly fluentd: { readonly metricsPort: number };
  readonly exporter: { readonly port: number };
}

export function loggingFlows(l: LoggingEnds, net: FlowContext): Flow[] {
  const ctx = net.ctx;
  const es = elasticsearchPods(ctx);
  const esSetup = group(ctx, { ...Elasticsearch.identity, component: ELASTICSEARCH_SETUP_COMPONENT }, 'elasticsearch-setup');
  const kibana = group(ctx, Kibana.identity);
  const kibanaSetup = group(ctx, { ...Kibana.identity, component: KIBANA_SETUP_COMPONENT }, 'kibana-setup');
  const fluentd = group(ctx, Fluentd.identity);
  const exporter = group(ctx, ElasticsearchExporter.identity);
  const toEs = tcp(l.elasticsearch.port);
  return [
    scrapeFlow(net, fluentd, l.fluentd.metricsPort, 'Fluentd buffer and output metrics'),
    scrapeFlow(net, exporter, l.exporter.port, 'Elasticsearch metrics through the exporter'),
    flow(pods(net.dashboards), pods(es), toEs, "Grafana's logs datasource"),
    ...(l.elasticsearch.nodes > 1
      ? [flow(pods(es), pods(es), tcp(ELASTICSEARCH_TRANSPORT_PORT), 'Elasticsearch nodes discover each other and replicate shards (transport, TLS)')]
      : []),
    flow(pods(esSetup), pods(es), toEs, 'the setup Job applies users, roles, lifecycle policies and templates'),
    flow(pods(fluentd), pods(es), toEs, 'Fluentd ships logs'),
    flow(pods(fluentd), net.apiServer, net.apiPorts, 'Fluentd adds pod and namespace metadata to each log line'),
    flow(pods(kibana), pods(es), toEs, 'Kibana reads logs and keeps its saved objects'),
    flow(pods(kibanaSetup), pods(kibana), tcp(l.kibana.port), "the setup Job provisions data views through Kibana's API"),
    flow(pods(exporter), pods(es), toEs, 'the exporter reads cluster, node and index statistics'),
    ...uiFlows(net, kibana, tcp(l.kibana.port), 'Kibana'),
  ];
}
