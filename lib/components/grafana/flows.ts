/** The flows of Grafana itself: Prometheus scrapes it, it reaches its shared database, people open it. */
import { Flow, FlowContext, flow, outside, peersOfHost, pods, portOf, scrapeFlow, tcp, uiFlows } from '../network-policies/flows';
import { GrafanaDatabase } from './profile';

/** PostgreSQL's port when the database host names none. */
const POSTGRES_PORT = 5432;

export function grafanaFlows(g: { readonly port: number; readonly database: GrafanaDatabase }, net: FlowContext): Flow[] {
  const own = net.dashboards;
  const db = g.database;
  return [
    scrapeFlow(net, own, g.port, 'Grafana metrics'),
    ...(db.kind === 'postgres'
      ? [
          flow(
            pods(own),
            outside(`database ${db.host}`, peersOfHost(db.host, net, 'grafana.database.host')),
            tcp(db.host.includes(':') ? portOf(db.host) : POSTGRES_PORT),
            "Grafana's shared PostgreSQL database",
          ),
        ]
      : []),
    ...uiFlows(net, own, tcp(g.port), 'Grafana'),
  ];
}
