/** The flows of Prometheus: its replicas scrape each other, Grafana reads it, people open its UI. */
import { Flow, FlowContext, flow, pods, tcp, uiFlows } from '../network-policies/flows';

export function prometheusFlows(p: { readonly port: number }, net: FlowContext): Flow[] {
  const own = net.scraper;
  return [
    flow(pods(own), pods(own), tcp(p.port), 'each Prometheus replica scrapes every replica, itself included'),
    ...uiFlows(net, own, tcp(p.port), 'the Prometheus UI'),
    flow(pods(net.dashboards), pods(own), tcp(p.port), "Grafana's Prometheus datasource"),
  ];
}
