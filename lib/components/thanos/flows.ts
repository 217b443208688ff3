/**
 * The flows of Thanos: Query reads each sidecar and the store gateway over gRPC, Grafana and
 * people reach Query's HTTP API, Prometheus scrapes the four HTTP ports, and the three processes
 * that touch the bucket (sidecar, store gateway, compactor) reach the object store, and nothing
 * else outside the namespace but the remote stores Query is given. The sidecar shares the Prometheus pods, so its flows are theirs.
 */
import { Flow, FlowContext, flow, group, outside, pods, scrapeFlow, tcp, uiFlows } from '../network-policies/flows';
import { THANOS_IDENTITIES, THANOS_PORTS } from './layout';
import { ThanosProfile, endpointHost } from './profile';

export function thanosFlows(profile: Pick<ThanosProfile, 'objectStorage' | 'remoteStores'>, net: FlowContext): Flow[] {
  const objectStorage = profile.objectStorage;
  const ctx = net.ctx;
  const sidecars = net.scraper;
  const query = group(ctx, THANOS_IDENTITIES.query);
  const store = group(ctx, THANOS_IDENTITIES.store);
  const compact = group(ctx, THANOS_IDENTITIES.compact);
  const eg = objectStorage.egress;
  const except = eg.except ?? [];
  const bucket = outside(
    `the object store (${objectStorage.provider} bucket ${objectStorage.bucket})`,
    eg.cidrs.map((cidr) => ({ cidr, ...(except.length ? { except } : {}) })),
  );
  return [
    flow(pods(query), pods(sidecars), tcp(THANOS_PORTS.grpc), 'Thanos Query reads recent data from the sidecar of each Prometheus replica'),
    flow(pods(query), pods(store), tcp(THANOS_PORTS.grpc), 'Thanos Query reads the bucket through the store gateway'),
    flow(pods(net.dashboards), pods(query), tcp(THANOS_PORTS.http), "Grafana's Prometheus datasource, through Thanos Query"),
    ...uiFlows(net, query, tcp(THANOS_PORTS.http), 'the Thanos Query UI'),
    scrapeFlow(net, sidecars, THANOS_PORTS.http, 'Thanos sidecar metrics'),
    scrapeFlow(net, query, THANOS_PORTS.http, 'Thanos Query metrics'),
    scrapeFlow(net, store, THANOS_PORTS.http, 'Thanos store gateway metrics'),
    scrapeFlow(net, compact, THANOS_PORTS.http, 'Thanos compactor metrics'),
    flow(pods(sidecars), bucket, tcp(...eg.ports), 'the Thanos sidecar uploads each block Prometheus cuts'),
    flow(pods(store), bucket, tcp(...eg.ports), 'the store gateway reads blocks from the bucket'),
    flow(pods(compact), bucket, tcp(...eg.ports), 'the compactor compacts, downsamples and deletes blocks in the bucket'),
    ...(profile.remoteStores ?? []).map((r) =>
      flow(
        pods(query),
        outside(
          `the remote store "${r.name}" (${r.address})`,
          r.cidrs.map((cidr) => ({ cidr })),
        ),
        tcp(Number(endpointHost(r.address)!.port)),
        `Thanos Query reads the remote store "${r.name}" over TLS`,
      ),
    ),
  ];
}
