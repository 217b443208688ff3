/**
 * The gRPC families of Thanos's Store API traffic, read from github.com/grpc-ecosystem/go-grpc-middleware
 * at providers/prometheus/v1.0.1, the version thanos v0.42.4's go.mod requires. The server side is
 * what a sidecar or the store gateway answers; the client side is what Thanos Query asks of them.
 *
 * Thanos registers the provider's collectors on the process registry without prefix or extra
 * labels, and turns the handling-time histograms on, so `grpc_server_handling_seconds` and
 * `grpc_client_handling_seconds` exist (with Thanos's buckets); the labels are the provider's own.
 */
import { SourceFixture } from './types';
import { embeddedInThanos } from './thanos';

const REPO = 'grpc-ecosystem/go-grpc-middleware';
const TAG = 'providers/prometheus/v1.0.1';
const SERVER = 'providers/prometheus/server_metrics.go';
const CLIENT = 'providers/prometheus/client_metrics.go';
const CALL = ['grpc_type', 'grpc_service', 'grpc_method'];
const HANDLED = [...CALL, 'grpc_code'];

export const GO_GRPC_MIDDLEWARE_SOURCE: SourceFixture = {
  component: 'go-grpc-middleware',
  catalogSources: ['thanos'],
  repository: REPO,
  tag: TAG,
  pin: embeddedInThanos('github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus v1.0.1'),
  naming: [
    {
      repository: 'thanos-io/thanos',
      tag: 'v0.42.4',
      path: 'pkg/server/grpc/grpc.go',
      says: 'New: grpc_prometheus.NewServerMetrics(WithServerHandlingTimeHistogram(buckets 0.001 to 120 s)), reg.MustRegister(met), its unary and stream interceptors on every gRPC server (the Store API of sidecar and store gateway, the Query API)',
    },
    {
      repository: 'thanos-io/thanos',
      tag: 'v0.42.4',
      path: 'pkg/extgrpc/client.go',
      says: 'StoreClientGRPCOpts: grpc_prometheus.NewClientMetrics(WithClientHandlingTimeHistogram(buckets 0.001 to 720 s)), reg.MustRegister, on the connections Thanos Query opens to its Store API endpoints',
    },
    {
      repository: REPO,
      tag: TAG,
      path: 'providers/prometheus/server_options.go',
      says: 'WithServerHandlingTimeHistogram creates grpc_server_handling_seconds with labels grpc_type, grpc_service, grpc_method (no grpc_code); client_options.go does the same for grpc_client_handling_seconds',
    },
  ],
  metrics: [
    { name: 'grpc_server_handled_total', type: 'counter', labels: HANDLED, file: SERVER },
    { name: 'grpc_server_handling_seconds', type: 'histogram', labels: CALL, file: 'providers/prometheus/server_options.go' },
    { name: 'grpc_client_handled_total', type: 'counter', labels: HANDLED, file: CLIENT },
    { name: 'grpc_client_handling_seconds', type: 'histogram', labels: CALL, file: 'providers/prometheus/client_options.go' },
  ],
};
