/**
 * kafka_exporter for one Kafka cluster: brokers, partitions, replication and consumer-group lag
 * (`kafka_*`). TLS trusts a CA certificate mounted from a Secret; the SASL password comes from a
 * Secret key through `secretKeyRef` into `SASL_USER_PASSWORD`, which kafka_exporter reads when
 * `--sasl.password` is not given (danielqsj/kafka_exporter v1.9.0, kafka_exporter.go, in
 * `NewExporter`), so it is neither in the manifest nor on the process's command line.
 */
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext } from '../../core/k8s';
import { Resources } from '../../core/workload';
import { expectSecret } from '../../core/secrets';
import { caTrust } from '../../core/trust';
import { ExporterWorkload, secretEnv } from './common';
import { DEPENDENCIES_DEFAULTS, KafkaTarget } from './profile';

export interface KafkaExporterProps {
  readonly ctx: StackContext;
  readonly target: KafkaTarget;
  readonly resources: Resources;
}

const PORT = 9308;
const D = DEPENDENCIES_DEFAULTS.kafka;
const CA_DIR = '/etc/kafka-exporter/ca';
/** The variable kafka_exporter v1.9.0 reads the SASL password from when `--sasl.password` is empty. */
export const KAFKA_SASL_PASSWORD_ENV = 'SASL_USER_PASSWORD';

export class KafkaExporter extends Construct {
  public static readonly identity: ComponentIdentity = { name: 'kafka-exporter', component: 'broker-metrics', image: IMAGES.kafkaExporter };
  public readonly workload: ExporterWorkload;

  constructor(scope: Construct, id: string, props: KafkaExporterProps) {
    super(scope, id);
    const t = props.target;
    const args = [
      ...t.brokers.map((b) => `--kafka.server=${b}`),
      `--kafka.version=${t.version ?? D.version}`,
      `--web.listen-address=:${PORT}`,
      // Lag per consumer group and partition; topics of Kafka itself are left out.
      '--topic.exclude=^__.*',
    ];
    const env = [];
    const volumes = [];
    const mounts = [];
    if (t.tls) {
      const ca = caTrust({ secretName: t.tls.caSecretName, key: t.tls.caKey ?? D.caKey }, { volumeName: 'kafka-ca', mountPath: CA_DIR });
      expectSecret(this, {
        name: ca.secret.secretName,
        keys: [ca.secret.key],
        usedBy: 'kafka-exporter',
        description: `CA certificate of the Kafka brokers (${t.name})`,
      });
      args.push('--tls.enabled', `--tls.ca-file=${ca.file}`);
      volumes.push(ca.volume);
      mounts.push(ca.mount);
    }
    if (t.sasl) {
      const key = t.sasl.passwordKey ?? D.saslPasswordKey;
      expectSecret(this, {
        name: t.sasl.secretName,
        keys: [key],
        usedBy: 'kafka-exporter',
        description: `SASL password of the Kafka user "${t.sasl.user}" (${t.name}), allowed to describe topics and consumer groups`,
      });
      env.push(secretEnv(KAFKA_SASL_PASSWORD_ENV, t.sasl.secretName, key));
      args.push('--sasl.enabled', `--sasl.mechanism=${t.sasl.mechanism}`, `--sasl.username=${t.sasl.user}`);
    }
    this.workload = new ExporterWorkload(this, 'exporter', {
      ctx: props.ctx,
      identity: KafkaExporter.identity,
      dependency: t.name,
      port: PORT,
      args,
      env,
      volumes,
      volumeMounts: mounts,
      resources: props.resources,
      probePath: '/healthz',
    });
  }
}
