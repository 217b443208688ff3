import { Chart, Testing } from 'cdk8s';
import { IMAGES } from '../lib/core/images';
import { StackContext } from '../lib/core/k8s';
import { hostPathVolume, nodeAgentDaemonSet } from '../lib/core/node-agent';
import { podSecurityExceptions } from '../lib/core/pod-security';
import { nodeCriticalAgents } from '../lib/core/priority';
import { ENVIRONMENTS, find, synth } from './support/synth';

describe.each(ENVIRONMENTS)('the node agents of %s', (env) => {
  const { objects } = synth(env);
  const agents = objects.filter((o: any) => o.kind === 'DaemonSet') as any[];

  it('are node-exporter and Fluentd', () => {
    expect(agents.map((a) => a.metadata.name).sort()).toEqual(['fluentd', 'node-exporter']);
  });

  it.each(['fluentd', 'node-exporter'])('run %s on every Linux node whatever its taints, at node-critical priority, a tenth of the nodes at a time', (name) => {
    const ds = find(objects, 'DaemonSet', name);
    const pod = ds.spec.template.spec;
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(ds.spec.selector.matchLabels['app.kubernetes.io/name']).toBe(name);
  });

  it('runs Fluentd as root only to read log files, and node-exporter as nobody in the host namespaces', () => {
    const fluentd = find(objects, 'DaemonSet', 'fluentd').spec.template.spec;
    const nodeExporter = find(objects, 'DaemonSet', 'node-exporter').spec.template.spec;
    expect(fluentd.securityContext).toMatchObject({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false });
    expect(fluentd.hostNetwork).toBeUndefined();
    expect(nodeExporter.securityContext).toMatchObject({ runAsUser: 65534, runAsGroup: 65534, runAsNonRoot: true });
    expect(nodeExporter).toMatchObject({ hostNetwork: true, hostPID: true, dnsPolicy: 'ClusterFirstWithHostNet' });
  });
});

describe('a node agent', () => {
  const build = () => {
    const chart = new Chart(Testing.app(), 'test');
    const ctx: StackContext = { namespace: 'monitoring', instance: 'test', partOf: 'grekko-monitoring', spread: 'preferred' };
    nodeAgentDaemonSet(chart, 'agent', {
      ctx,
      identity: { name: 'agent', component: 'node-metrics', image: IMAGES.nodeExporter },
      runAsUser: 65534,
      automountServiceAccountToken: false,
      securityException: { controls: ['HostPath Volumes'], needs: ['hostPath /proc (read-only)'], reason: 'reads the host' },
      containers: [{ name: 'agent', image: 'agent' }],
      volumes: [hostPathVolume('proc', '/proc')],
    });
    return chart;
  };

  it('declares its pod-security exception and its node-critical priority, under its DaemonSet name', () => {
    const chart = build();
    expect(podSecurityExceptions(chart)).toEqual([
      { workload: 'DaemonSet/agent', level: 'privileged', controls: ['HostPath Volumes'], needs: ['hostPath /proc (read-only)'], reason: 'reads the host' },
    ]);
    expect(nodeCriticalAgents(chart)).toEqual([{ workload: 'DaemonSet/agent' }]);
  });

  it('mounts host paths with a type only when one is asked for', () => {
    expect(hostPathVolume('proc', '/proc')).toEqual({ name: 'proc', hostPath: { path: '/proc' } });
    expect(hostPathVolume('state', '/var/lib/x', 'DirectoryOrCreate')).toEqual({ name: 'state', hostPath: { path: '/var/lib/x', type: 'DirectoryOrCreate' } });
  });
});
