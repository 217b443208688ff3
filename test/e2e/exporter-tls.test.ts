/**
 * Production's database exporters verify their servers' certificates, on the real programs:
 * Debian's PostgreSQL 15 with `ssl=on` and Redis 7 on a TLS port, each with a certificate signed by
 * a CA of the test's own, and Debian's postgres_exporter and redis_exporter started with the
 * connection settings, arguments and mounted file paths of production's generated Deployments
 * (only addresses and mount folders are mapped to loopback and scratch folders).
 *
 * With the CA Secret that production mounts, each exporter connects (`pg_up 1`, `redis_up 1`);
 * with another CA in its place it refuses the server, so the verification is real, not skipped.
 * Debian's blackbox_exporter runs production's generated blackbox.yml: its TLS module handshakes
 * with the TLS Redis and reports the certificate's expiry, which a plain-HTTP probe never does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeObject } from '../../lib/synth';
import { PROFILES } from '../../stacks/environments';
import { find, synth } from '../support/synth';
import { Tool, describeWithTools, findTool } from '../support/tools';
import { ProcessGroup, freePort, httpGet, sleep, waitFor, waitHttpOk } from './harness/processes';
import { E2E_TOOLS } from './harness/tools';

const openssl: Tool = findTool('openssl', 'openssl');
const isRoot = process.getuid?.() === 0;
const PG_PASSWORD = 'exporter-tls-test-pg';
const REDIS_PASSWORD = 'exporter-tls-test-redis';

const { objects } = synth('production');

function container(objs: readonly KubeObject[], deployment: string): any {
  return find(objs, 'Deployment', deployment).spec.template.spec.containers[0];
}

function mountsOf(objs: readonly KubeObject[], deployment: string): Array<{ mountPath: string; secretName: string; keys: string[] }> {
  const spec = find(objs, 'Deployment', deployment).spec.template.spec;
  return (spec.containers[0].volumeMounts ?? [])
    .map((m: any) => ({ m, v: spec.volumes.find((x: any) => x.name === m.name) }))
    .filter(({ v }: any) => v.secret)
    .map(({ m, v }: any) => ({ mountPath: m.mountPath, secretName: v.secret.secretName, keys: (v.secret.items ?? []).map((i: any) => i.key) }));
}

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

/** A CA valid a day, and a server certificate for localhost signed by it, valid two. */
function makeCa(dir: string, name: string): { ca: string; cert: string; key: string } {
  fs.mkdirSync(dir, { recursive: true });
  sh(openssl.path!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  sh(openssl.path!, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  sh(
    openssl.path!,
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt'],
    dir,
  );
  return { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
}

/** Lays out a Deployment's Secret mounts under `root`, with the given file contents per Secret key. */
function layOutMounts(root: string, mounts: ReturnType<typeof mountsOf>, files: Record<string, Record<string, string>>): (p: string) => string {
  for (const m of mounts) {
    const dir = path.join(root, m.mountPath);
    fs.mkdirSync(dir, { recursive: true });
    for (const k of m.keys) {
      const content = files[m.secretName]?.[k];
      if (content === undefined) throw new Error(`no test content for Secret ${m.secretName} key ${k}`);
      fs.writeFileSync(path.join(dir, k), content);
    }
  }
  return (p: string) => p.replace(/(\/etc\/[a-z-]+\/[a-z-]+\/[A-Za-z0-9._-]+)/g, (x) => path.join(root, x));
}

/** Waits for `name` to read `want` at `url`; on time-out the exporter's log explains why. */
async function expectMetric(procs: ProcessGroup, exporter: string, url: string, name: string, want: number): Promise<void> {
  try {
    await waitFor(`${name} ${want} from ${exporter}`, async () => ((await metric(url, name)) === want ? true : undefined), 20_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${exporter} log:\n${procs.tail(exporter, 30)}`);
  }
}

async function metric(url: string, name: string): Promise<number | undefined> {
  const body = (await httpGet(url, 5000)).body;
  const line = body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describeWithTools(
  "production's database exporters and TLS probes verify the servers' certificates (real PostgreSQL, Redis, exporters and blackbox)",
  [
    openssl,
    E2E_TOOLS.initdb,
    E2E_TOOLS.postgres,
    E2E_TOOLS.psql,
    E2E_TOOLS.setpriv,
    E2E_TOOLS.redisServer,
    E2E_TOOLS.postgresExporter,
    E2E_TOOLS.redisExporter,
    E2E_TOOLS.blackboxExporter,
  ],
  () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'exporter-tls-'));
    fs.chmodSync(work, 0o755);
    const procs = new ProcessGroup(path.join(work, 'logs'));
    const trusted = makeCa(path.join(work, 'pki'), 'grekko-test-ca');
    const other = makeCa(path.join(work, 'pki-other'), 'some-other-ca');
    const ports: Record<string, number> = {};
    const pgDeployment = 'postgres-exporter-trading-db';
    const redisDeployment = 'redis-exporter-cache';
    const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
      isRoot ? [E2E_TOOLS.setpriv.path!, ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]] : [cmd, args];

    beforeAll(async () => {
      for (const k of ['postgres', 'redis']) ports[k] = await freePort();
      // PostgreSQL: SSL on, password logins over TLS only.
      const pg = path.join(work, 'postgres');
      fs.mkdirSync(path.join(pg, 'socket'), { recursive: true });
      fs.copyFileSync(trusted.cert, path.join(pg, 'server.crt'));
      fs.copyFileSync(trusted.key, path.join(pg, 'server.key'));
      fs.chmodSync(path.join(pg, 'server.key'), 0o600);
      if (isRoot) spawnSync('chown', ['-R', 'postgres:postgres', pg]);
      const [initdb, initArgs] = asPostgres(E2E_TOOLS.initdb.path!, [
        '-D',
        path.join(pg, 'data'),
        '-U',
        'postgres',
        '--auth-local=trust',
        '--auth-host=reject',
        '--no-sync',
      ]);
      const r = spawnSync(initdb, initArgs, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
      fs.writeFileSync(path.join(pg, 'data', 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
      const [postgres, pgArgs] = asPostgres(E2E_TOOLS.postgres.path!, [
        '-D',
        path.join(pg, 'data'),
        '-p',
        String(ports.postgres),
        '-k',
        path.join(pg, 'socket'),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'ssl=on',
        '-c',
        `ssl_cert_file=${path.join(pg, 'server.crt')}`,
        '-c',
        `ssl_key_file=${path.join(pg, 'server.key')}`,
      ]);
      procs.start('postgres', postgres, pgArgs);
      const t = PROFILES.production.dependencies!.postgres![0];
      const psql = (sql: string) => {
        const [cmd, args] = asPostgres(E2E_TOOLS.psql.path!, [
          '-h',
          path.join(pg, 'socket'),
          '-p',
          String(ports.postgres),
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          sql,
        ]);
        return spawnSync(cmd, args, { encoding: 'utf8' });
      };
      await waitFor('PostgreSQL to accept connections', () => (psql('select 1').status === 0 ? true : undefined), 30_000);
      for (const sql of [`CREATE ROLE ${t.user} LOGIN PASSWORD '${PG_PASSWORD}'`, `GRANT pg_monitor TO ${t.user}`, `CREATE DATABASE ${t.database}`]) {
        const x = psql(sql);
        if (x.status !== 0) throw new Error(`${sql}: ${x.stderr}`);
      }
      // Redis: TLS only, a password, no client certificates.
      procs.start('redis', E2E_TOOLS.redisServer.path!, [
        '--port',
        '0',
        '--tls-port',
        String(ports.redis),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        trusted.cert,
        '--tls-key-file',
        trusted.key,
        '--tls-ca-cert-file',
        trusted.ca,
        '--tls-auth-clients',
        'no',
        '--requirepass',
        REDIS_PASSWORD,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        work,
      ]);
      await sleep(300);
    }, 90_000);

    afterAll(async () => {
      await procs.stopAll();
      fs.rmSync(work, { recursive: true, force: true });
    });

    /** Starts the Debian postgres_exporter with production's env, the CA Secret holding `ca`. */
    async function startPostgresExporter(name: string, ca: string): Promise<string> {
      const c = container(objects, pgDeployment);
      const t = PROFILES.production.dependencies!.postgres![0];
      const map = layOutMounts(path.join(work, name), mountsOf(objects, pgDeployment), {
        [t.secretName]: { [t.passwordKey ?? 'password']: PG_PASSWORD },
        [t.caSecretName!]: { [t.caKey ?? 'ca.crt']: fs.readFileSync(ca, 'utf8') },
      });
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      for (const e of c.env as Array<{ name: string; value: string }>) env[e.name] = map(e.value).replace(t.host, `localhost:${ports.postgres}`);
      const port = await freePort();
      procs.start(name, E2E_TOOLS.postgresExporter.path!, [`--web.listen-address=127.0.0.1:${port}`], { env });
      const url = `http://127.0.0.1:${port}/metrics`;
      await waitHttpOk(url, 30_000);
      return url;
    }

    /** Starts the Debian redis_exporter with production's arguments, the CA Secret holding `ca`. */
    async function startRedisExporter(name: string, ca: string): Promise<string> {
      const c = container(objects, redisDeployment);
      const t = PROFILES.production.dependencies!.redis![0];
      const map = layOutMounts(path.join(work, name), mountsOf(objects, redisDeployment), {
        [t.caSecretName!]: { [t.caKey ?? 'ca.crt']: fs.readFileSync(ca, 'utf8') },
      });
      const port = await freePort();
      const args = (c.args as string[]).filter((a) => !a.startsWith('--web.listen-address=')).map((a) => map(a).replace(t.address, `localhost:${ports.redis}`));
      expect(c.env).toEqual([expect.objectContaining({ name: 'REDIS_PASSWORD' })]);
      procs.start(name, E2E_TOOLS.redisExporter.path!, [...args, `--web.listen-address=127.0.0.1:${port}`], {
        env: { PATH: process.env.PATH, REDIS_PASSWORD },
      });
      const url = `http://127.0.0.1:${port}/metrics`;
      await waitHttpOk(url, 30_000);
      return url;
    }

    it("production's postgres_exporter (sslmode=verify-full) connects with the mounted CA, and refuses a server signed by another CA", async () => {
      expect(container(objects, pgDeployment).env.find((e: any) => e.name === 'DATA_SOURCE_URI').value).toMatch(/sslmode=verify-full&sslrootcert=\/etc\//);
      const good = await startPostgresExporter('pg-exporter-trusted', trusted.ca);
      const bad = await startPostgresExporter('pg-exporter-other-ca', other.ca);
      await expectMetric(procs, 'pg-exporter-trusted', good, 'pg_up', 1);
      await expectMetric(procs, 'pg-exporter-other-ca', bad, 'pg_up', 0);
      expect(procs.tail('pg-exporter-other-ca', 50)).toMatch(/x509|certificate/i);
    }, 90_000);

    it("production's redis_exporter (rediss://) connects with the mounted CA, and refuses a server signed by another CA", async () => {
      expect(container(objects, redisDeployment).args).toEqual(
        expect.arrayContaining([expect.stringMatching(/^--redis\.addr=rediss:\/\//), expect.stringMatching(/^--tls-ca-cert-file=\/etc\//)]),
      );
      const good = await startRedisExporter('redis-exporter-trusted', trusted.ca);
      const bad = await startRedisExporter('redis-exporter-other-ca', other.ca);
      await expectMetric(procs, 'redis-exporter-trusted', good, 'redis_up', 1);
      await expectMetric(procs, 'redis-exporter-other-ca', bad, 'redis_up', 0);
      // The exporter only says it could not connect; the server says why: the client refused its certificate.
      expect(procs.tail('redis', 50)).toMatch(/unknown ca|certificate/i);
    }, 90_000);

    it("the blackbox TLS probe of production's Redis reports its certificate's expiry, with the generated module and the mounted CA; a plain-HTTP probe reports none", async () => {
      const cfg = find(objects, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml'] as string;
      const t = PROFILES.production.dependencies!.redis![0];
      const root = path.join(work, 'blackbox');
      const map = layOutMounts(root, mountsOf(objects, 'blackbox-exporter'), {
        [t.caSecretName!]: { [t.caKey ?? 'ca.crt']: fs.readFileSync(trusted.ca, 'utf8') },
        'kafka-exporter-ca': { 'ca.crt': fs.readFileSync(other.ca, 'utf8') },
      });
      fs.writeFileSync(path.join(root, 'blackbox.yml'), map(cfg));
      const port = await freePort();
      procs.start('blackbox', E2E_TOOLS.blackboxExporter.path!, [`--config.file=${path.join(root, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${port}`]);
      await waitHttpOk(`http://127.0.0.1:${port}/-/healthy`, 30_000);
      const probe = async (module: string, target: string) =>
        (await httpGet(`http://127.0.0.1:${port}/probe?module=${module}&target=${encodeURIComponent(target)}`, 10_000)).body;
      const value = (body: string, name: string) =>
        Number(
          body
            .split('\n')
            .find((l) => l.startsWith(`${name} `))
            ?.split(' ')
            .pop(),
        );

      const tls = await probe('tls_cache_ca', `localhost:${ports.redis}`);
      expect(value(tls, 'probe_success')).toBe(1);
      // The earliest expiry of the verified chain: the CA (a day) before the server's certificate (two days).
      const notAfter = (file: string) =>
        Math.floor(
          Date.parse(spawnSync(openssl.path!, ['x509', '-in', file, '-noout', '-enddate'], { encoding: 'utf8' }).stdout.trim().replace('notAfter=', '')) / 1000,
        );
      expect(notAfter(trusted.ca)).toBeLessThan(notAfter(trusted.cert));
      expect(value(tls, 'probe_ssl_earliest_cert_expiry')).toBe(notAfter(trusted.ca));
      // Verified against the CA: the module of another CA fails the same handshake.
      expect(value(await probe('tls_kafka_exporter_ca', `localhost:${ports.redis}`), 'probe_success')).toBe(0);
      // The defect the TLS job fixes: an HTTP probe of a plain-HTTP endpoint never has the series.
      const plain = await probe('http_2xx', `http://127.0.0.1:${port}/-/healthy`);
      expect(value(plain, 'probe_success')).toBe(1);
      expect(plain).not.toMatch(/^probe_ssl_earliest_cert_expiry /m);
    }, 90_000);
  },
);
