/**
 * Endpoints components publish, and the stack outputs taken from them: outputs of components that
 * join the stack later (Kibana, Jaeger, OTLP) fill in as soon as a component publishes them.
 */
import { Construct } from 'constructs';
import { publishEndpoint, publishedEndpoints } from '../lib/endpoints';
import { ENDPOINT_OUTPUTS, endpointOutputs } from '../lib/pulumi';
import { PROFILES, buildStack } from '../stacks/environments';

describe('published endpoints', () => {
  it('the metrics core publishes Grafana, Prometheus and Alertmanager in the stack namespace', () => {
    expect(publishedEndpoints(buildStack(PROFILES.production)).map((e) => [e.name, e.url])).toEqual([
      ['alertmanager', 'http://alertmanager.monitoring.svc:9093'],
      ['grafana', 'http://grafana.monitoring.svc:3000'],
      ['prometheus', 'http://prometheus.monitoring.svc:9090'],
    ]);
  });

  it('a component that publishes the tracing endpoints fills the pending outputs, and leaves the others unset', () => {
    const chart = buildStack(PROFILES.staging);
    const tracing = new Construct(chart, 'tracing');
    publishEndpoint(tracing, { name: 'jaeger', url: 'http://jaeger-query.monitoring.svc:16686', description: 'Jaeger UI' });
    publishEndpoint(tracing, { name: 'otlp-grpc', url: 'http://jaeger-collector.monitoring.svc:4317', description: 'OTLP over gRPC' });
    const urls = endpointOutputs(Object.fromEntries(publishedEndpoints(chart).map((e) => [e.name, e.url])));
    expect(urls).toEqual({
      grafanaUrl: 'http://grafana.monitoring.svc:3000',
      prometheusUrl: 'http://prometheus.monitoring.svc:9090',
      alertmanagerUrl: 'http://alertmanager.monitoring.svc:9093',
      kibanaUrl: undefined,
      jaegerUrl: 'http://jaeger-query.monitoring.svc:16686',
      otlpGrpcEndpoint: 'http://jaeger-collector.monitoring.svc:4317',
      otlpHttpEndpoint: undefined,
    });
    expect(ENDPOINT_OUTPUTS.filter((o) => o.pending).map((o) => o.output)).toEqual(['kibanaUrl', 'jaegerUrl', 'otlpGrpcEndpoint', 'otlpHttpEndpoint']);
  });

  it('refuses a name published twice with another address, a bad name and a relative address', () => {
    const chart = buildStack(PROFILES.local);
    expect(() => publishEndpoint(chart, { name: 'grafana', url: 'http://other.monitoring.svc:3000', description: 'x' })).toThrow(
      'pick another name: "grafana" is already published as http://grafana.monitoring.svc:3000',
    );
    expect(() => publishEndpoint(chart, { name: 'OTLP', url: 'http://x:4317', description: 'x' })).toThrow('name is "OTLP"; use lowercase letters, digits and "-"');
    expect(() => publishEndpoint(chart, { name: 'kibana', url: 'kibana:5601', description: 'x' })).toThrow('url is "kibana:5601"; use an absolute address with a scheme');
  });
});
