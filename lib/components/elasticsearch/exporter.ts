/**
 * The Prometheus elasticsearch_exporter: cluster health, node (JVM, disk, thread pools) and index
 * figures of the whole cluster through one client user with the `monitor` privileges only. Its
 * credentials are read from files into the process environment by a shell wrapper, so neither the
 * manifest nor the command line holds them. Its objects are those of every exporter
 * (ExporterWorkload).
 */
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext } from '../../core/k8s';
import { AgentProfile } from '../../core/workload';
import { ExporterWorkload } from '../exporters/common';
import { caMountsOf, caVolumesOf } from '../../core/trust';
import { credentialsVolume, elasticsearchCaTrust } from './client';
import { IElasticsearchEndpoint } from './endpoint';

export interface ElasticsearchExporterProps {
  readonly ctx: StackContext;
  readonly profile: AgentProfile;
  readonly elasticsearch: IElasticsearchEndpoint;
}

const PORT = 9114;
const CREDENTIALS_DIR = '/var/run/secrets/elasticsearch';
const CA_DIR = '/var/run/secrets/elasticsearch-ca';

export class ElasticsearchExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'elasticsearch-exporter', component: 'log-store-metrics', image: IMAGES.elasticsearchExporter };
  public readonly serviceName: string;
  public readonly port = PORT;
  public readonly args: readonly string[];
  public readonly workload: ExporterWorkload;

  constructor(scope: Construct, id: string, props: ElasticsearchExporterProps) {
    super(scope, id);
    const { ctx, profile, elasticsearch: es } = props;
    const creds = es.addClient({
      name: 'elasticsearch-exporter',
      indices: ['*'],
      indexPrivileges: ['monitor'],
      clusterPrivileges: ['monitor'],
    });
    const ca = elasticsearchCaTrust(es, 'ca', CA_DIR);
    this.args = [
      `--es.uri=${es.url}`,
      // Every node's JVM, disk and thread-pool figures, from one exporter.
      '--es.all',
      '--es.indices',
      '--es.timeout=20s',
      ...(ca ? [`--es.ca=${ca.file}`] : []),
      `--web.listen-address=:${PORT}`,
    ];
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx,
      identity: ElasticsearchExporter.identity,
      port: PORT,
      containerName: 'exporter',
      command: [
        '/bin/sh',
        '-c',
        `ES_USERNAME="$(cat ${CREDENTIALS_DIR}/username)" ES_PASSWORD="$(cat ${CREDENTIALS_DIR}/password)" exec /bin/elasticsearch_exporter "$@"`,
        'elasticsearch_exporter',
      ],
      args: this.args,
      volumes: [credentialsVolume('credentials', creds), ...caVolumesOf(ca)],
      volumeMounts: [{ name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true }, ...caMountsOf(ca)],
      resources: profile.resources,
      probePath: '/healthz',
      liveness: { periodSeconds: 30, failureThreshold: 5 },
      enableServiceLinks: false,
    });
    this.serviceName = this.workload.serviceName;
  }
}
