/**
 * The flows of Jaeger: the monitored services send spans and fetch sampling strategies, the
 * collector writes and the query service reads Elasticsearch, the daily clean-up deletes old span
 * indices, Prometheus scrapes every workload, Grafana and people open the query service.
 */
import { elasticsearchPods } from '../elasticsearch/flows';
import { Flow, FlowContext, flow, group, outside, pods, scrapeFlow, tcp, uiFlows } from '../network-policies/flows';
import { JAEGER_INDEX_CLEANER_COMPONENT } from './index-cleaner';
import { ComponentIdentity } from '../../core/k8s';
import { JAEGER_PORTS } from './layout';
import { Workload } from './workloads';

export interface JaegerEnds {
  readonly workloads: readonly Workload[];
  /** The identity of the index cleaner's pods (its component is the cleaner's). @default - no cleaner */
  readonly indexCleaner?: ComponentIdentity;
  /** The port of the Elasticsearch spans are kept in. @default - memory storage, no Elasticsearch */
  readonly elasticsearchPort?: number;
}

export function jaegerFlows(j: JaegerEnds, net: FlowContext): Flow[] {
  const ctx = net.ctx;
  const es = pods(elasticsearchPods(ctx));
  const monitored = net.network.monitoredNamespaces.map((namespace) => ({ namespace }));
  const flows: Flow[] = j.workloads.map((w) => scrapeFlow(net, group(ctx, w.identity, w.name), JAEGER_PORTS.metrics, `${w.name} metrics`));
  for (const w of j.workloads) {
    const g = group(ctx, w.identity, w.name);
    if (w.role !== 'query' && monitored.length) {
      flows.push(
        flow(
          outside('monitored namespaces', monitored),
          pods(g),
          tcp(JAEGER_PORTS.otlpGrpc, JAEGER_PORTS.otlpHttp, JAEGER_PORTS.samplingHttp, JAEGER_PORTS.samplingGrpc),
          'the monitored services send spans (OTLP) and fetch sampling strategies',
        ),
      );
    }
    if (w.role !== 'collector') {
      flows.push(flow(pods(net.dashboards), pods(g), tcp(JAEGER_PORTS.queryHttp), "Grafana's Jaeger datasource"));
      flows.push(...uiFlows(net, g, tcp(JAEGER_PORTS.queryHttp), 'the Jaeger UI'));
    }
    if (w.credentials && j.elasticsearchPort !== undefined) {
      flows.push(flow(pods(g), es, tcp(j.elasticsearchPort), `${w.name} ${w.role === 'collector' ? 'writes' : 'reads'} spans`));
    }
  }
  if (j.indexCleaner && j.elasticsearchPort !== undefined) {
    const cleaner = group(ctx, { ...j.indexCleaner, component: JAEGER_INDEX_CLEANER_COMPONENT }, 'jaeger-index-cleaner');
    flows.push(flow(pods(cleaner), es, tcp(j.elasticsearchPort), 'the daily clean-up deletes span indices past the retention'));
  }
  return flows;
}
