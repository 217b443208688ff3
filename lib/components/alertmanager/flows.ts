/**
 * The flows of Alertmanager: Prometheus sends alerts to every peer (and scrapes them), the peers
 * gossip, notifications leave for the receivers, Grafana reads it, people open its UI.
 */
import { CidrPeer, NetworkPeer, PRIVATE_RANGES } from '../network-policies/profile';
import { Flow, FlowContext, PodGroup, flow, outside, peersOfHost, pods, tcp, uiFlows, urlTarget } from '../network-policies/flows';
import { Receiver } from './profile';

export interface AlertmanagerEnds {
  readonly pods: PodGroup;
  readonly port: number;
  readonly meshPort: number;
  readonly replicas: number;
  readonly receivers: readonly Receiver[];
}

export function alertmanagerFlows(am: AlertmanagerEnds, net: FlowContext): Flow[] {
  const own = pods(am.pods);
  const flows: Flow[] = [flow(pods(net.scraper), own, tcp(am.port), 'alerts to every Alertmanager peer; Alertmanager metrics')];
  if (am.replicas > 1) {
    flows.push(
      flow(
        own,
        own,
        [
          { port: am.meshPort, protocol: 'TCP' },
          { port: am.meshPort, protocol: 'UDP' },
        ],
        'Alertmanager peers gossip silences and notifications',
      ),
    );
  }
  flows.push(...receiverFlows(am, net));
  flows.push(flow(pods(net.dashboards), own, tcp(am.port), "Grafana's Alertmanager datasource"));
  flows.push(...uiFlows(net, am.pods, tcp(am.port), 'the Alertmanager UI'));
  return flows;
}

/** Notifications: to in-cluster relays by their namespace, to everything else through the profile's egress. */
function receiverFlows(am: AlertmanagerEnds, net: FlowContext): Flow[] {
  const byPeers = new Map<string, { peers: NetworkPeer[]; ports: Set<number> }>();
  const external = net.network.receiverEgress ?? { cidrs: ['0.0.0.0/0'], except: PRIVATE_RANGES };
  const externalPeers: CidrPeer[] = external.cidrs.map((cidr) => ({ cidr, ...(external.except?.length ? { except: external.except } : {}) }));
  const add = (key: string, peers: NetworkPeer[], port: number) => {
    const r = byPeers.get(key) ?? { peers, ports: new Set<number>() };
    r.ports.add(port);
    byPeers.set(key, r);
  };
  for (const r of am.receivers) {
    if (r.kind === 'null') continue;
    if (r.kind === 'webhook') {
      const t = urlTarget(r.url);
      if (/\.svc(\.cluster\.local)?$/.test(t.host)) add(t.host, peersOfHost(t.host, net, `alerting.receivers.${r.name}.url`), t.port);
      else add('external', externalPeers, t.port);
      continue;
    }
    for (const port of external.ports ?? [443]) add('external', externalPeers, port);
  }
  return [...byPeers].map(([key, r]) =>
    flow(
      pods(am.pods),
      outside(key === 'external' ? 'alert receivers (internet)' : `receiver ${key}`, r.peers),
      tcp(...[...r.ports].sort((a, b) => a - b)),
      'notifications to the receivers',
    ),
  );
}
