/**
 * Processes the end-to-end pipeline starts: each is tracked from spawn to exit, its output kept
 * in a log file, and every one still running is stopped when the group stops, when the test
 * fails, or when the Node.js process exits.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
}

const live = new Set<ChildProcess>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // Last resort: nothing outlives the test run, even when it crashes.
  process.on('exit', () => {
    for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
}

export class ProcessGroup {
  private readonly procs = new Map<string, Started>();
  constructor(private readonly logDir: string) {
    fs.mkdirSync(logDir, { recursive: true });
    hookExit();
  }

  /** Starts a program; its stdout and stderr go to `<logDir>/<name>.log`. */
  public start(name: string, cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Started {
    const prev = this.procs.get(name);
    if (prev && prev.child.exitCode === null && prev.child.signalCode === null) throw new Error(`${name} is already running`);
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    fs.writeSync(fd, `\n--- ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, [...args], { stdio: ['ignore', fd, fd], env: opts.env ?? process.env, cwd: opts.cwd });
    fs.closeSync(fd);
    live.add(child);
    const exited = new Promise<number | string>((resolve) => {
      child.on('exit', (code, signal) => {
        live.delete(child);
        resolve(code ?? signal ?? -1);
      });
      child.on('error', (err) => {
        live.delete(child);
        fs.appendFileSync(log, `spawn error: ${err.message}\n`);
        resolve(-1);
      });
    });
    const s: Started = { name, child, log, exited };
    this.procs.set(name, s);
    return s;
  }

  /** Stops one process: `signal` first, SIGKILL after `graceMs`. */
  public async stop(name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    const s = this.procs.get(name);
    if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
    s.child.kill(signal);
    const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
    await s.exited;
    clearTimeout(timer);
  }

  public isRunning(name: string): boolean {
    const s = this.procs.get(name);
    return !!s && s.child.exitCode === null && s.child.signalCode === null;
  }

  /** Stops every process of the group, in reverse start order. */
  public async stopAll(): Promise<void> {
    for (const name of [...this.procs.keys()].reverse()) await this.stop(name);
  }

  /** The last lines of a process's log, for failure messages. */
  public tail(name: string, lines = 20): string {
    const s = this.procs.get(name);
    if (!s || !fs.existsSync(s.log)) return '';
    return fs.readFileSync(s.log, 'utf8').split('\n').slice(-lines).join('\n');
  }
}

/** Ports already handed out by this process. */
const handedOut = new Set<number>();

/**
 * Where ports are picked: below the kernel's ephemeral range. A port taken from that range
 * (`listen(0)`) can be handed to an outgoing connection (an exporter connecting to its database,
 * a scrape) between the moment it is released here and the moment the program binds it, and the
 * program then fails with "address already in use". Ports outside the range are only ever taken by
 * a listener, which the bind check below sees.
 */
function pickRange(): { low: number; high: number } {
  let ephemeralLow = 32768;
  try {
    const [lo] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(lo) && lo > 2048) ephemeralLow = lo;
  } catch {
    // Not Linux: keep the IANA default start of the dynamic range.
  }
  const high = ephemeralLow - 1;
  return { low: Math.max(1024, high - 12000), high };
}

const RANGE = pickRange();

/** A TCP port free on 127.0.0.1 right now, outside the ephemeral range, not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = RANGE.low + Math.floor(Math.random() * (RANGE.high - RANGE.low + 1));
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on 127.0.0.1 between ${RANGE.low} and ${RANGE.high}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await sleep(intervalMs);
  }
}

/** GET a loopback URL; resolves with status and body, rejects on connection errors. */
export async function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** Waits until a URL answers 200. */
export function waitHttpOk(url: string, timeoutMs: number): Promise<true> {
  return waitFor(`${url} to answer 200`, async () => ((await httpGet(url)).status === 200 ? true : undefined), timeoutMs);
}
