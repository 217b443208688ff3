/**
 * node-exporter as a DaemonSet on every node, including tainted ones. It reads the host's /proc,
 * /sys and root filesystem through read-only mounts, and shares the host network and PID
 * namespaces so that network and process figures are the node's, not the pod's. It runs as
 * nobody with no capabilities.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { hostPathVolume, nodeAgentDaemonSet, nodeAgentService } from '../../core/node-agent';
import { ComponentIdentity, StackContext, httpProbe, image, metadata, resources, restrictedContainer } from '../../core/k8s';
import { AgentProfile } from '../../core/workload';
import { ScrapeJob, serviceJob } from '../prometheus/scrape';
import { Flow, FlowContext, flow, outside, pods, tcp } from '../network-policies/flows';

export interface NodeExporterProps {
  readonly ctx: StackContext;
  readonly profile: AgentProfile;
}

const PORT = 9100;

export class NodeExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'node-exporter', component: 'node-metrics', image: IMAGES.nodeExporter };
  public readonly serviceName = 'node-exporter';
  public readonly port = PORT;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: NodeExporterProps) {
    super(scope, id);
    const { ctx, profile } = props;
    this.namespace = ctx.namespace;
    const ident = NodeExporter.identity;
    const name = ident.name;

    new k8s.KubeServiceAccount(this, 'sa', { metadata: metadata(ctx, ident, name), automountServiceAccountToken: false });
    nodeAgentService(this, 'service', ctx, ident, PORT);

    nodeAgentDaemonSet(this, 'daemonset', {
      ctx,
      identity: ident,
      runAsUser: 65534,
      automountServiceAccountToken: false,
      hostNamespaces: true,
      securityException: {
        controls: ['Host Namespaces', 'Host Ports', 'HostPath Volumes', 'Volume Types'],
        needs: ['hostNetwork', 'hostPID', 'hostPort 9100', 'hostPath / (read-only)', 'hostPath /proc (read-only)', 'hostPath /sys (read-only)'],
        reason:
          "the node's own network, process, filesystem and hardware figures are only visible from the host's namespaces and filesystems; it runs as nobody, with no capability, no privilege escalation, RuntimeDefault seccomp and every host mount read-only",
      },
      containers: [
        {
          name: 'node-exporter',
          image: image(ctx, ident.image),
          imagePullPolicy: 'IfNotPresent',
          args: [
            `--web.listen-address=:${PORT}`,
            '--path.procfs=/host/proc',
            '--path.sysfs=/host/sys',
            '--path.rootfs=/host/root',
            '--path.udev.data=/host/root/run/udev/data',
            '--no-collector.wifi',
            '--no-collector.hwmon',
            '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)',
            '--collector.netclass.ignored-devices=^(veth.*|[a-f0-9]{15})$',
            '--collector.netdev.device-exclude=^(veth.*|[a-f0-9]{15})$',
          ],
          ports: [{ name: 'metrics', containerPort: PORT, hostPort: PORT }],
          resources: resources(profile.resources),
          securityContext: restrictedContainer(),
          readinessProbe: httpProbe('/', PORT),
          livenessProbe: httpProbe('/', PORT, { periodSeconds: 15, failureThreshold: 6 }),
          volumeMounts: [
            { name: 'proc', mountPath: '/host/proc', readOnly: true },
            { name: 'sys', mountPath: '/host/sys', readOnly: true },
            { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
          ],
        },
      ],
      volumes: [hostPathVolume('proc', '/proc'), hostPathVolume('sys', '/sys'), hostPathVolume('root', '/')],
    });
  }

  public scrapeJobs(): ScrapeJob[] {
    return [serviceJob({ name: 'node-exporter', namespace: this.namespace, service: this.serviceName, port: 'metrics' })];
  }

  public flows(net: FlowContext): Flow[] {
    const nodes = outside(
      'node addresses',
      net.network.nodeCidrs.map((cidr) => ({ cidr })),
    );
    return [flow(pods(net.scraper), nodes, tcp(PORT), "node-exporter listens on each node's host network")];
  }
}
