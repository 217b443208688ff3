/**
 * PostgreSQL and Redis on loopback, started the way the alerting pipeline (pipeline.ts) starts
 * them: a fresh cluster from initdb (run as the postgres user when the suite runs as root), TCP
 * on 127.0.0.1 with scram-sha-256, the socket in the scratch folder; Redis with no persistence.
 * Both pipeline.ts and catalog-real.test.ts use them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ProcessGroup, waitFor } from './processes';
import { E2E_TOOLS } from './tools';

const isRoot = process.getuid?.() === 0;

export class LoopbackPostgres {
  private readonly dir: string;
  constructor(
    private readonly procs: ProcessGroup,
    workDir: string,
    public readonly port: number,
  ) {
    this.dir = path.join(workDir, 'postgres');
    fs.mkdirSync(path.join(this.dir, 'socket'), { recursive: true });
    if (isRoot) spawnSync('chown', ['-R', 'postgres:postgres', this.dir]);
  }

  private as(cmd: string, args: readonly string[]): [string, string[]] {
    return isRoot ? [E2E_TOOLS.setpriv.path!, ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]] : [cmd, [...args]];
  }

  private initialized = false;

  /** Starts the server; the first start creates the cluster, later ones (after stop) reuse it. */
  public async start(): Promise<void> {
    if (!this.initialized) {
      const [init, initArgs] = this.as(E2E_TOOLS.initdb.path!, [
        '-D',
        path.join(this.dir, 'data'),
        '-U',
        'postgres',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--no-sync',
        '--encoding=UTF8',
      ]);
      const r = spawnSync(init, initArgs, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
      this.initialized = true;
    }
    const [cmd, args] = this.as(E2E_TOOLS.postgres.path!, [
      '-D',
      path.join(this.dir, 'data'),
      '-p',
      String(this.port),
      '-k',
      path.join(this.dir, 'socket'),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'shared_buffers=16MB',
      '-c',
      'max_connections=30',
    ]);
    this.procs.start('postgres', cmd, args);
    await waitFor('PostgreSQL to accept connections', () => (this.psql('select 1').status === 0 ? true : undefined), 30_000);
  }

  /** Fast shutdown, as when the database is stopped or its pod is killed. */
  public stop(): Promise<void> {
    return this.procs.stop('postgres', 'SIGINT');
  }

  /** Runs SQL as the postgres superuser over the socket. */
  public psql(...commands: string[]): { status: number; out: string } {
    const [cmd, args] = this.as(E2E_TOOLS.psql.path!, [
      '-h',
      path.join(this.dir, 'socket'),
      '-p',
      String(this.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      ...commands.flatMap((c) => ['-c', c]),
    ]);
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return { status: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
  }

  /** A login role with pg_monitor, as the exporter's monitoring user is granted in production. */
  public createMonitoringRole(user: string, password: string, database?: string): void {
    const r = this.psql(
      `CREATE ROLE ${user} LOGIN PASSWORD '${password}'`,
      `GRANT pg_monitor TO ${user}`,
      ...(database ? [`CREATE DATABASE ${database}`] : []),
    );
    if (r.status !== 0) throw new Error(`creating the monitoring role failed: ${r.out}`);
  }
}

export class LoopbackRedis {
  constructor(
    private readonly procs: ProcessGroup,
    private readonly workDir: string,
    public readonly port: number,
  ) {}

  /** Starts Redis with no persistence and, as a cache runs, a memory cap (64 MiB). */
  public async start(password?: string): Promise<void> {
    const dir = path.join(this.workDir, 'redis');
    fs.mkdirSync(dir, { recursive: true });
    this.procs.start('redis', E2E_TOOLS.redisServer.path!, [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory',
      '64mb',
      '--dir',
      dir,
      ...(password ? ['--requirepass', password] : []),
    ]);
    await waitFor('Redis to listen', () => tcpOpen(this.port), 15_000);
  }

  public stop(): Promise<void> {
    return this.procs.stop('redis', 'SIGTERM');
  }
}

/** True once something accepts TCP connections on the loopback port. */
export function tcpOpen(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(undefined));
  });
}
