/**
 * The programs behind the catalog that run on this machine: for each catalog source that a Debian
 * package provides, which package, how it is started on loopback, and which pinned image of
 * lib/core/images.ts it stands for. test/e2e/catalog-real.test.ts starts them, reads what they really
 * expose and holds every catalog entry of the source against it.
 *
 * Debian's builds are older than the pinned images. Where a catalog metric or label exists only
 * in the pinned version, it is listed in VERSION_DIFFERENCES with the upstream file, at the pinned
 * tag, that shows it; nothing else may be missing.
 */
import { ImageName } from '../lib/core/images';
import { CI_SOURCE } from './ci';

export interface RealProgram {
  /** The catalog `source` the program exposes. */
  readonly source: string;
  /** The Debian package that installs it. */
  readonly debianPackage: string;
  /** The program the package puts on PATH. */
  readonly command: string;
  /** The image (a key of lib/core/images.ts) whose metrics the catalog describes. */
  readonly image: ImageName;
  /** How the end-to-end check starts it. */
  readonly start: string;
  /** Where the check reads the metrics. */
  readonly reads: string;
}

export const REAL_PROGRAMS: readonly RealProgram[] = [
  {
    source: 'prometheus',
    debianPackage: 'prometheus',
    command: 'prometheus',
    image: 'prometheus',
    start:
      'a small prometheus.yml: 1 s scrapes of itself and of the Alertmanager mesh, the rule group of alerts/monitoring.ts, alerting to the three Alertmanagers',
    reads: 'its own /metrics',
  },
  {
    source: 'prometheus (every scrape target)',
    debianPackage: 'prometheus',
    command: 'prometheus',
    image: 'prometheus',
    start: 'the same Prometheus',
    reads: 'the query API: the series Prometheus writes for every target it scrapes',
  },
  {
    source: 'alertmanager',
    debianPackage: 'prometheus-alertmanager',
    command: 'prometheus-alertmanager',
    image: 'alertmanager',
    start: 'three peers meshed over loopback (--cluster.listen-address, a --cluster.peer per peer), one webhook receiver',
    reads: '/metrics of each peer',
  },
  {
    source: 'node-exporter',
    debianPackage: 'prometheus-node-exporter',
    command: 'prometheus-node-exporter',
    image: 'nodeExporter',
    start: 'default collectors, without wifi and hwmon',
    reads: '/metrics',
  },
  {
    source: 'postgres-exporter',
    debianPackage: 'prometheus-postgres-exporter',
    command: 'prometheus-postgres-exporter',
    image: 'postgresExporter',
    start: 'DATA_SOURCE_NAME to a loopback PostgreSQL (initdb), as a login role granted pg_monitor',
    reads: '/metrics',
  },
  {
    source: 'redis-exporter',
    debianPackage: 'prometheus-redis-exporter',
    command: 'prometheus-redis-exporter',
    image: 'redisExporter',
    start: '--redis.addr to a loopback redis-server holding a key',
    reads: '/metrics',
  },
  {
    source: 'blackbox-exporter',
    debianPackage: 'prometheus-blackbox-exporter',
    command: 'prometheus-blackbox-exporter',
    image: 'blackboxExporter',
    start: "the generated blackbox.yml's http_2xx module, plus a tcp_connect module and an https module trusting a self-signed loopback certificate",
    reads: '/probe: an http, an https and a tcp probe against loopback',
  },
  {
    source: CI_SOURCE,
    debianPackage: 'prometheus-pushgateway',
    command: 'prometheus-pushgateway',
    image: 'pushgateway',
    start: 'a CI run pushed as CI pushes it: PUT /metrics/job/ci/repository/<repo>/branch/<branch>',
    reads: '/metrics of the Pushgateway',
  },
];

/**
 * Debian packages whose program cannot prove its catalog entries here, and why. Their entries stay
 * on the upstream-source rung (docs/verification.md).
 */
export const NOT_PROVEN_HERE: Readonly<Record<string, string>> = {
  'elasticsearch-exporter':
    'prometheus-elasticsearch-exporter 1.5.0 runs without Elasticsearch but then exposes no catalogued metric (only its own up gauges, which v1.9.0 no longer has, and scrape counters): every catalogued metric needs a live cluster, which Debian does not package. The entries are proven by the source fixture metrics/sources/elasticsearch-exporter.ts instead',
};

/**
 * Catalog labels no program emits: the scrape job attaches them as target labels. The check
 * accepts them missing from the program's own output.
 */
export const SCRAPE_JOB_LABELS: ReadonlyArray<{ readonly source: string; readonly labels: readonly string[]; readonly addedBy: string }> = [
  {
    source: 'blackbox-exporter',
    labels: ['probe', 'check', 'dependency'],
    addedBy:
      'the probe jobs of lib/components/exporters/blackbox-exporter.ts (probe on every probe, check on synthetic checks, dependency on the TLS handshakes of blackbox-tls)',
  },
];

/** Where an upstream fact was read: the repository, the pinned tag, the file. */
export interface UpstreamReference {
  readonly repository: string;
  /** The tag of the pinned image (lib/core/images.ts). */
  readonly tag: string;
  readonly file: string;
  /** The upstream change that introduced it, and the first release carrying it. */
  readonly since: string;
}

export interface VersionDifference {
  readonly source: string;
  readonly metric: string;
  /** Catalog labels Debian's build lacks; absent when the whole metric is missing there. */
  readonly labels?: readonly string[];
  /** The Debian package's version (`dpkg-query -W`), which the check compares with the installed one. */
  readonly debianVersion: string;
  readonly difference: string;
  readonly upstream: UpstreamReference;
}

export const VERSION_DIFFERENCES: readonly VersionDifference[] = [
  {
    source: 'prometheus',
    metric: 'prometheus_tsdb_wal_storage_size_bytes',
    debianVersion: '2.42.0+ds-5+deb12u1',
    difference: 'Prometheus 2.42 has no gauge of the write-ahead log size; it came with 2.43.',
    upstream: {
      repository: 'github.com/prometheus/prometheus',
      tag: 'v3.5.0',
      file: 'tsdb/wlog/wlog.go',
      since: 'pull request 12013 (commit c1c444504e), v2.43.0',
    },
  },
  {
    source: 'alertmanager',
    metric: 'alertmanager_notifications_failed_total',
    labels: ['reason'],
    debianVersion: '0.25.0-1+b4',
    difference:
      'Alertmanager 0.25 counts failed notifications by integration only; the reason label (other, clientError, serverError, contextCanceled, contextDeadlineExceeded) came with 0.26.',
    upstream: {
      repository: 'github.com/prometheus/alertmanager',
      tag: 'v0.28.1',
      file: 'notify/notify.go',
      since: 'pull request 3094 (commit 7923bc5f8), v0.26.0',
    },
  },
  {
    source: 'postgres-exporter',
    metric: 'pg_stat_activity_count',
    labels: ['usename', 'application_name', 'backend_type'],
    debianVersion: '0.11.1-3+b5',
    difference:
      'postgres_exporter 0.11.1 groups pg_stat_activity by datname and state only; usename and application_name came with 0.12.0, backend_type (with wait_event_type and wait_event) with 0.17.0.',
    upstream: {
      repository: 'github.com/prometheus-community/postgres_exporter',
      tag: 'v0.17.1',
      file: 'cmd/postgres_exporter/postgres_exporter.go',
      since: 'pull request 673 (commit 69376859), v0.12.0; pull request 1106 (commit 2ee2a8fa), v0.17.0',
    },
  },
  {
    source: 'postgres-exporter',
    metric: 'pg_stat_activity_max_tx_duration',
    labels: ['usename', 'application_name', 'backend_type'],
    debianVersion: '0.11.1-3+b5',
    difference: 'The same pg_stat_activity query as pg_stat_activity_count.',
    upstream: {
      repository: 'github.com/prometheus-community/postgres_exporter',
      tag: 'v0.17.1',
      file: 'cmd/postgres_exporter/postgres_exporter.go',
      since: 'pull request 673 (commit 69376859), v0.12.0; pull request 1106 (commit 2ee2a8fa), v0.17.0',
    },
  },
  {
    source: 'postgres-exporter',
    metric: 'pg_stat_statements_calls_total',
    debianVersion: '0.11.1-3+b5',
    difference:
      'postgres_exporter 0.11.1 has no stat_statements collector; it came with 0.13.0, registered disabled (--collector.stat_statements turns it on).',
    upstream: {
      repository: 'github.com/prometheus-community/postgres_exporter',
      tag: 'v0.17.1',
      file: 'collector/pg_stat_statements.go',
      since: 'pull request 801 (commit fe960c6b), v0.13.0',
    },
  },
  {
    source: 'postgres-exporter',
    metric: 'pg_stat_statements_seconds_total',
    debianVersion: '0.11.1-3+b5',
    difference: 'The same stat_statements collector as pg_stat_statements_calls_total.',
    upstream: {
      repository: 'github.com/prometheus-community/postgres_exporter',
      tag: 'v0.17.1',
      file: 'collector/pg_stat_statements.go',
      since: 'pull request 801 (commit fe960c6b), v0.13.0',
    },
  },
];
