/**
 * The daily CronJob that deletes span indices older than the retention (Elasticsearch storage),
 * with an Elasticsearch user that may delete Jaeger's indices and nothing else.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES } from '../../core/images';
import { ComponentIdentity, StackContext, image, metadata, nonRootPod, resources, restrictedContainer } from '../../core/k8s';
import { IElasticsearchEndpoint } from '../elasticsearch/endpoint';
import { caMountsOf, caVolumesOf } from '../../core/trust';
import { ES_CREDENTIALS_DIR, SERVICE_ACCOUNT, elasticsearchCa } from './layout';
import { ElasticsearchTraceStorage, JAEGER_DEFAULTS, JaegerDistributedProfile } from './profile';

/** `app.kubernetes.io/component` of the index cleaner's pods. */
export const JAEGER_INDEX_CLEANER_COMPONENT = 'tracing-index-cleaner';

/** The index cleaner's binary in its image (the image's entrypoint). */
const CLEANER_BINARY = '/go/bin/es-index-cleaner-linux';

/** Deletes daily indices older than the retention, every day. */
export function addIndexCleaner(scope: Construct, ctx: StackContext, profile: JaegerDistributedProfile, es: IElasticsearchEndpoint): void {
  const st: ElasticsearchTraceStorage = profile.storage;
  const ident: ComponentIdentity = { name: 'jaeger', component: JAEGER_INDEX_CLEANER_COMPONENT, image: IMAGES.jaegerEsIndexCleaner };
  const creds = es.addClient({
    name: 'jaeger-index-cleaner',
    indices: [`${st.indexPrefix}-jaeger-*`],
    indexPrivileges: ['monitor', 'view_index_metadata', 'delete_index'],
    clusterPrivileges: ['monitor'],
  });
  const name = 'jaeger-index-cleaner';
  const ca = elasticsearchCa(es);
  const flags = [`--index-prefix=${st.indexPrefix}`, ...(ca ? ['--es.tls.enabled=true', `--es.tls.ca=${ca.file}`] : [])];
  // The cleaner takes credentials from the environment only; the shell reads them from the
  // mounted Secret so that they never appear in the pod spec.
  const script = [
    'set -eu',
    `ES_USERNAME="$(cat ${ES_CREDENTIALS_DIR}/username)"`,
    `ES_PASSWORD="$(cat ${ES_CREDENTIALS_DIR}/password)"`,
    'export ES_USERNAME ES_PASSWORD',
    `exec ${CLEANER_BINARY} ${flags.join(' ')} ${st.retentionDays} ${es.url}`,
  ].join('\n');
  new k8s.KubeCronJob(scope, 'index-cleaner', {
    metadata: metadata(ctx, ident, name),
    spec: {
      schedule: st.cleanupSchedule ?? JAEGER_DEFAULTS.storage.cleanupSchedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: 1800,
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels: metadata(ctx, ident, name).labels },
            spec: {
              restartPolicy: 'OnFailure',
              serviceAccountName: SERVICE_ACCOUNT,
              automountServiceAccountToken: false,
              securityContext: nonRootPod(10001),
              containers: [
                {
                  name: 'index-cleaner',
                  image: image(ctx, ident.image),
                  imagePullPolicy: 'IfNotPresent',
                  command: ['/bin/sh', '-c'],
                  args: [script],
                  resources: resources(profile.indexCleaner.resources),
                  securityContext: restrictedContainer(),
                  volumeMounts: [{ name: 'es-credentials', mountPath: ES_CREDENTIALS_DIR, readOnly: true }, ...caMountsOf(ca)],
                },
              ],
              volumes: [
                {
                  name: 'es-credentials',
                  secret: {
                    secretName: creds.secretName,
                    defaultMode: 0o440,
                    items: [
                      { key: creds.usernameKey, path: 'username' },
                      { key: creds.passwordKey, path: 'password' },
                    ],
                  },
                },
                ...caVolumesOf(ca),
              ],
            },
          },
        },
      },
    },
  });
}
