/** Endpoints the chart publishes, and the stack outputs taken from them. */
import { publishEndpoint, publishedEndpoints } from '../lib/core/endpoints';
import { ENDPOINT_OUTPUTS, endpointOutputs } from '../lib/pulumi/program';
import { PROFILES, buildStack } from '../stacks/environments';

describe('published endpoints', () => {
  it('publishes Grafana, Prometheus, Alertmanager, Kibana, the Jaeger UI and the OTLP endpoints in the stack namespace', () => {
    expect(publishedEndpoints(buildStack(PROFILES.production)).map((e) => [e.name, e.url])).toEqual([
      ['alertmanager', 'http://alertmanager.monitoring.svc:9093'],
      ['grafana', 'http://grafana.monitoring.svc:3000'],
      ['jaeger', 'http://jaeger-query.monitoring.svc:16686'],
      ['kibana', 'http://kibana.monitoring.svc:5601'],
      ['otlp-grpc', 'http://jaeger-collector.monitoring.svc:4317'],
      ['otlp-http', 'http://jaeger-collector.monitoring.svc:4318'],
      ['prometheus', 'http://prometheus.monitoring.svc:9090'],
      ['pushgateway', 'http://pushgateway.monitoring.svc:9091'],
    ]);
  });

  it('gives every stack output its URL', () => {
    const chart = buildStack(PROFILES.staging);
    const urls = endpointOutputs(Object.fromEntries(publishedEndpoints(chart).map((e) => [e.name, e.url])));
    expect(Object.keys(urls).sort()).toEqual(ENDPOINT_OUTPUTS.map((o) => o.output).sort());
    for (const [k, v] of Object.entries(urls)) expect([k, v]).toEqual([k, expect.stringMatching(/^http:\/\/[a-z-]+\.monitoring\.svc:\d+$/)]);
  });

  it('refuses a name published twice with another address, a bad name and a relative address', () => {
    const chart = buildStack(PROFILES.local);
    expect(() => publishEndpoint(chart, { name: 'grafana', url: 'http://other.monitoring.svc:3000', description: 'x' })).toThrow(
      'pick another name: "grafana" is already published as http://grafana.monitoring.svc:3000',
    );
    expect(() => publishEndpoint(chart, { name: 'OTLP', url: 'http://x:4317', description: 'x' })).toThrow(
      'name is "OTLP"; use lowercase letters, digits and "-"',
    );
    expect(() => publishEndpoint(chart, { name: 'kibana', url: 'kibana:5601', description: 'x' })).toThrow(
      'url is "kibana:5601"; use an absolute address with a scheme',
    );
  });
});
