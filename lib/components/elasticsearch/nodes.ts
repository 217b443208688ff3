/**
 * The containers of an Elasticsearch node: the init steps (the kernel setting when asked, then a
 * writable config directory with the bootstrap password in the keystore) and the node itself,
 * with its heap, ports and probes.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentIdentity, StackContext, image, resources, restrictedContainer } from '../../core/k8s';
import { podSecurityException } from '../../core/pod-security';
import { ElasticsearchProfile, elasticsearchHeapMi } from './profile';
import { ELASTICSEARCH_HOME as HOME, ELASTICSEARCH_HTTP_PORT as HTTP_PORT, ELASTICSEARCH_TRANSPORT_PORT as TRANSPORT_PORT } from './config';

const INIT_RESOURCES = { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

/** The init containers; with `maxMapCount: 'init-container'` the first runs privileged, declared as an exception on `scope`. */
export function nodeInitContainers(scope: Construct, ctx: StackContext, ident: ComponentIdentity, profile: ElasticsearchProfile): k8s.Container[] {
  const initContainers: k8s.Container[] = [];
  if (profile.maxMapCount === 'init-container') {
    podSecurityException(scope, {
      workload: `StatefulSet/${ident.name}`,
      level: 'privileged',
      controls: ['Privileged Containers', 'Privilege Escalation', 'Running as Non-root', 'Running as Non-root user', 'Capabilities'],
      needs: ['initContainers[max-map-count] privileged, as root'],
      reason:
        "vm.max_map_count is a node-wide kernel setting that no pod-level sysctl may change; only the init step runs privileged (sysctl, then exits), Elasticsearch itself runs restricted. Set maxMapCount to 'node' where the node image sets it, and the pod meets restricted",
    });
    initContainers.push({
      name: 'max-map-count',
      image: image(ctx, ident.image),
      imagePullPolicy: 'IfNotPresent',
      command: ['sysctl', '-w', 'vm.max_map_count=262144'],
      resources: resources({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } }),
      // Changing a node's kernel setting needs root and privilege; nothing else runs this way.
      securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true },
    });
  }
  initContainers.push({
    name: 'config',
    image: image(ctx, ident.image),
    imagePullPolicy: 'IfNotPresent',
    command: ['bash', '-c', PREPARE_CONFIG],
    env: [
      { name: 'ES_PATH_CONF', value: '/mnt/config' },
      { name: 'ES_TMPDIR', value: '/tmp' },
    ],
    resources: resources(INIT_RESOURCES),
    securityContext: restrictedContainer(),
    volumeMounts: [
      { name: 'config', mountPath: '/mnt/config' },
      { name: 'elasticsearch-yml', mountPath: '/mnt/elasticsearch-yml', readOnly: true },
      { name: 'elastic', mountPath: '/mnt/elastic', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  });

  return initContainers;
}

/** The Elasticsearch container, ready when the node answers its own cluster-health request. */
export function elasticsearchContainer(ctx: StackContext, ident: ComponentIdentity, profile: ElasticsearchProfile): k8s.Container {
  const heap = elasticsearchHeapMi(profile);
  const scheme = profile.httpTls ? 'https' : 'http';
  const probeCurl = [
    'curl -s -o /dev/null -w "%{http_code}" --max-time 4',
    // The node checks itself over loopback: its certificate names the Services, not 127.0.0.1.
    ...(profile.httpTls ? ['-k'] : []),
    `-u "elastic:$(cat /mnt/elastic/password)"`,
    `"${scheme}://127.0.0.1:${HTTP_PORT}/_cluster/health?local=true"`,
  ].join(' ');

  return {
    name: 'elasticsearch',
    image: image(ctx, ident.image),
    imagePullPolicy: 'IfNotPresent',
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'ES_JAVA_OPTS', value: `-Xms${heap}m -Xmx${heap}m` },
      { name: 'ES_TMPDIR', value: '/tmp' },
    ],
    ports: [
      { name: 'http', containerPort: HTTP_PORT },
      { name: 'transport', containerPort: TRANSPORT_PORT },
    ],
    resources: resources(profile.resources),
    securityContext: restrictedContainer(),
    readinessProbe: { exec: { command: ['bash', '-c', `[ "$(${probeCurl})" = 200 ]`] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(TRANSPORT_PORT) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
    // Recovering shards after a restart can take minutes.
    startupProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(HTTP_PORT) }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 },
    volumeMounts: [
      { name: 'config', mountPath: `${HOME}/config` },
      { name: 'certs', mountPath: `${HOME}/config/certs`, readOnly: true },
      { name: 'data', mountPath: `${HOME}/data` },
      { name: 'logs', mountPath: `${HOME}/logs` },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'elastic', mountPath: '/mnt/elastic', readOnly: true },
    ],
  };
}

/** Init container: a writable copy of the config directory, our elasticsearch.yml, and the bootstrap password in the keystore. */
const PREPARE_CONFIG = `set -euo pipefail
cp -a ${HOME}/config/. "$ES_PATH_CONF"/
cp /mnt/elasticsearch-yml/elasticsearch.yml "$ES_PATH_CONF"/elasticsearch.yml
[ -f "$ES_PATH_CONF"/elasticsearch.keystore ] || elasticsearch-keystore create
elasticsearch-keystore add --force --stdin bootstrap.password < /mnt/elastic/password
echo "config prepared in $ES_PATH_CONF"
`;
