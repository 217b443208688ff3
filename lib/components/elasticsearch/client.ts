/**
 * Pieces shared by the clients of Elasticsearch: the volumes that mount a client's credentials
 * and the CA as files, and the run-once Job that applies setup scripts (Elasticsearch, Kibana).
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentIdentity, StackContext, checksum, emptyDir, image, metadata, nonRootPod, resources, restrictedContainer, toYaml } from '../../core/k8s';
import { CaTrust, caTrust } from '../../core/trust';
import { ElasticsearchCredentials, IElasticsearchEndpoint } from './endpoint';

/** A Secret volume with a client's `username` and `password` files. */
export function credentialsVolume(name: string, creds: ElasticsearchCredentials, mode = 0o440): k8s.Volume {
  return {
    name,
    secret: {
      secretName: creds.secretName,
      items: [
        { key: creds.usernameKey, path: 'username' },
        { key: creds.passwordKey, path: 'password' },
      ],
      defaultMode: mode,
    },
  };
}

/**
 * The CA that signed Elasticsearch's HTTP certificate, as a client mounts it: the file `ca.crt`
 * (whatever its key in the Secret), readable by any user, in `mountPath`; undefined when HTTP is
 * plain. `file` is the path to give the client's CA flag or setting.
 */
export function elasticsearchCaTrust(es: Pick<IElasticsearchEndpoint, 'caSecretName' | 'caKey'>, volumeName: string, mountPath: string): CaTrust | undefined {
  if (!es.caSecretName) return undefined;
  return caTrust({ secretName: es.caSecretName, key: es.caKey }, { volumeName, mountPath, fileName: 'ca.crt', mode: 0o444 });
}

export interface SetupJobProps {
  readonly ctx: StackContext;
  readonly identity: ComponentIdentity;
  /** Base name of the ConfigMap and of the Job (which gets a digest of the files appended). */
  readonly name: string;
  readonly serviceAccountName: string;
  /** The script (`setup.sh`) and its data files; read at synth time, after every registration. */
  readonly files: () => Record<string, string>;
  readonly env: readonly k8s.EnvVar[];
  /** Extra volumes (credentials) and where they are mounted. */
  readonly volumes: () => Array<{ readonly volume: k8s.Volume; readonly mountPath: string }>;
}

/**
 * A Job that runs `bash /config/setup.sh` once. Its name carries a digest of its files, so a
 * change makes a new Job that runs once; finished Jobs go after a day, and applying the manifests
 * again then re-runs the script, which every setup script must allow (safe to run twice).
 */
export function addSetupJob(scope: Construct, p: SetupJobProps): string {
  const name = Lazy.any({ produce: () => `${p.name}-${checksum(toYaml(p.files()), JSON.stringify(p.env))}` }) as unknown as string;
  new k8s.KubeConfigMap(scope, 'setup-config', {
    metadata: metadata(p.ctx, p.identity, p.name),
    data: Lazy.any({ produce: () => p.files() }) as unknown as Record<string, string>,
  });
  new k8s.KubeJob(scope, 'setup', {
    metadata: metadata(p.ctx, p.identity, name),
    spec: {
      backoffLimit: 20,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: metadata(p.ctx, p.identity, p.name).labels },
        spec: {
          restartPolicy: 'OnFailure',
          serviceAccountName: p.serviceAccountName,
          automountServiceAccountToken: false,
          securityContext: nonRootPod(1000),
          enableServiceLinks: false,
          containers: [
            {
              name: 'setup',
              image: image(p.ctx, p.identity.image),
              imagePullPolicy: 'IfNotPresent',
              command: ['bash', '/config/setup.sh'],
              env: [...p.env, { name: 'CONFIG_DIR', value: '/config' }, { name: 'WORK_DIR', value: '/work' }],
              resources: resources({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } }),
              securityContext: restrictedContainer(),
              // A run-once script: "alive" and "ready" both mean it is still running.
              readinessProbe: { exec: { command: ['true'] }, periodSeconds: 30 },
              livenessProbe: { exec: { command: ['true'] }, periodSeconds: 30 },
              volumeMounts: Lazy.any({
                produce: () => [
                  { name: 'config', mountPath: '/config', readOnly: true },
                  { name: 'work', mountPath: '/work' },
                  ...p.volumes().map((v) => ({ name: v.volume.name, mountPath: v.mountPath, readOnly: true })),
                ],
              }) as unknown as k8s.VolumeMount[],
            },
          ],
          volumes: Lazy.any({
            produce: () => [{ name: 'config', configMap: { name: p.name } }, emptyDir('work', undefined, 'Memory'), ...p.volumes().map((v) => v.volume)],
          }) as unknown as k8s.Volume[],
        },
      },
    },
  });
  return name;
}
