/**
 * The in-cluster addresses a stack offers to its users (Grafana's UI, Prometheus's API, the OTLP
 * ingest of the tracing backend...). Components publish them here, next to where they compute
 * them, so that whatever reports the addresses of a deployment (the Pulumi program's stack
 * outputs, documentation) works from one list and picks up new components without being edited.
 */
import type { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartRegistry } from './registry';
import { ConfigError } from './errors';

export interface Endpoint {
  /**
   * A short, stable name: `grafana`, `prometheus`, `alertmanager`, `kibana`, `jaeger`,
   * `otlp-grpc`, `otlp-http`. Lowercase letters, digits and "-".
   */
  readonly name: string;
  /** The in-cluster address, such as `http://grafana.monitoring.svc:3000`. */
  readonly url: string;
  /** What is served there, for whoever reads the list. */
  readonly description: string;
}

const registry = chartRegistry<Endpoint>();

/** Publishes an endpoint of the chart that `scope` belongs to; a name can be published once. */
export function publishEndpoint(scope: IConstruct, endpoint: Endpoint): Endpoint {
  const where = `endpoint of ${scope.node.path || 'the stack'}`;
  if (!/^[a-z0-9][-a-z0-9]*$/.test(endpoint.name)) {
    throw new ConfigError(where, 'name', endpoint.name, 'use lowercase letters, digits and "-", such as "otlp-grpc"');
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/.test(endpoint.url)) {
    throw new ConfigError(where, 'url', endpoint.url, 'use an absolute address with a scheme, such as "http://grafana.monitoring.svc:3000"');
  }
  const prev = registry.find(scope, endpoint.name);
  if (prev && prev.url !== endpoint.url) {
    throw new ConfigError(where, 'name', endpoint.name, `pick another name: "${endpoint.name}" is already published as ${prev.url}`);
  }
  registry.declare(scope, endpoint.name, { ...endpoint });
  return endpoint;
}

/** Every endpoint the chart publishes, sorted by name. */
export function publishedEndpoints(chart: Chart): Endpoint[] {
  return registry.list(chart);
}
