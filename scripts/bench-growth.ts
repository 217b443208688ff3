/**
 * `npm run bench:growth`: what the stack costs as the monitored system grows. For each size it
 * copies the working tree, adds generated names to the contract's core services
 * (metrics/system.ts CORE_SERVICES) until there are that many, runs the real synth
 * (`tsx stacks/main.ts`) into a scratch folder, and prints the synth time, the number of rules,
 * the longest rule expression and the largest object written, or the one-line error synth stopped
 * with; then the largest ConfigMap of each environment at each size, and the ratio of the largest
 * size's synth time to the smallest's. The working tree and dist/ are not touched.
 *
 *   BENCH_SIZES=8,100,1000   the service counts (default 8, 100 and 1000)
 *   BENCH_TRIALS=3           synth runs per size; the fastest counts, the least disturbed by
 *                            other work on the machine (default 1)
 */
import { SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const SYSTEM = 'metrics/system.ts';
const CORE = 'export const CORE_SERVICES: readonly string[] = Object.values(TRADING_SERVICES);';
/** Kubernetes refuses an object over 1 MiB (etcd's request limit). */
const OBJECT_LIMIT = 1024 * 1024;

interface Row {
  readonly services: number;
  readonly seconds: number;
  readonly error?: string;
  readonly rules?: number;
  readonly longestExpr?: { readonly rule: string; readonly chars: number };
  readonly largestObject?: { readonly file: string; readonly bytes: number };
  /** Per environment, its largest ConfigMap and how many rules ConfigMaps it has. */
  readonly configMaps?: ReadonlyArray<{ readonly env: string; readonly file: string; readonly bytes: number; readonly ruleMaps: number }>;
}

/** A copy of the tracked working tree (node_modules linked), with `services` core services. */
function copyWith(services: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-growth-'));
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const system = path.join(dir, SYSTEM);
  const text = fs.readFileSync(system, 'utf8');
  if (!text.includes(CORE)) throw new Error(`${SYSTEM} no longer declares CORE_SERVICES as "${CORE}": update the benchmark`);
  fs.writeFileSync(
    system,
    text.replace(
      CORE,
      `export const CORE_SERVICES: readonly string[] = [...Object.values(TRADING_SERVICES), ...Array.from({ length: Math.max(0, ${services} - Object.values(TRADING_SERVICES).length) }, (_, i) => \`generated-service-\${i + 1}\`)];`,
    ),
  );
  return dir;
}

function measure(services: number, trials: number): Row {
  const dir = copyWith(services);
  const out = path.join(dir, 'dist-bench');
  try {
    let seconds = Infinity;
    let r: SpawnSyncReturns<string> | undefined;
    for (let i = 0; i < trials && (r === undefined || r.status === 0); i++) {
      fs.rmSync(out, { recursive: true, force: true });
      const start = process.hrtime.bigint();
      r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'stacks/main.ts'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CDK8S_OUTDIR: out },
        maxBuffer: 64 * 1024 * 1024,
      });
      seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
    }
    if (!r) throw new Error('no synth run');
    if (r.status !== 0)
      return { services, seconds, error: (r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.status}`).replace(/^synth failed: /, '').slice(0, 240) };
    let rules = 0;
    let longestExpr = { rule: '', chars: 0 };
    let largestObject = { file: '', bytes: 0 };
    const configMaps: Array<{ env: string; file: string; bytes: number; ruleMaps: number }> = [];
    for (const env of fs.readdirSync(out).sort()) {
      const largestMap = { env, file: '', bytes: 0, ruleMaps: 0 };
      configMaps.push(largestMap);
      for (const f of fs.readdirSync(path.join(out, env))) {
        const file = path.join(out, env, f);
        const bytes = fs.statSync(file).size;
        if (bytes > largestObject.bytes) largestObject = { file: `${env}/${f}`, bytes };
        if (/-configmap-/.test(f) && bytes > largestMap.bytes) Object.assign(largestMap, { file: f, bytes });
        if (/-configmap-prometheus-rules(-\d+)?\.yaml$/.test(f)) largestMap.ruleMaps++;
        if (env !== 'production' || !/-configmap-prometheus-rules(-\d+)?\.yaml$/.test(f)) continue;
        const cm = parse(fs.readFileSync(file, 'utf8')) as { data?: Record<string, string> };
        for (const doc of Object.values(cm.data ?? {})) {
          for (const g of (parse(doc) as { groups?: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }> }).groups ?? []) {
            for (const rule of g.rules) {
              rules++;
              if (rule.expr.length > longestExpr.chars) longestExpr = { rule: rule.alert ?? rule.record ?? '', chars: rule.expr.length };
            }
          }
        }
      }
    }
    return { services, seconds, rules, longestExpr, largestObject, configMaps };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

function main(): number {
  const sizes = (process.env.BENCH_SIZES ?? '8,100,1000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    process.stderr.write(`BENCH_SIZES is "${process.env.BENCH_SIZES}"; use service counts such as 8,100,1000\n`);
    return 2;
  }
  const trials = Number(process.env.BENCH_TRIALS ?? '1');
  if (!Number.isInteger(trials) || trials < 1) {
    process.stderr.write(`BENCH_TRIALS is "${process.env.BENCH_TRIALS}"; use a whole number of runs such as 3\n`);
    return 2;
  }
  const rows = sizes.map((n) => {
    process.stderr.write(`synthesizing with ${n} core services...\n`);
    return measure(n, trials);
  });
  const base = rows[0];
  if (trials > 1) process.stdout.write(`synth times: the fastest of ${trials} runs per size\n\n`);
  process.stdout.write('| services | synth | vs first | production rules | longest expression | largest object |\n|---|---|---|---|---|---|\n');
  for (const r of rows) {
    const ratio = `${(r.seconds / base.seconds).toFixed(2)}x`;
    if (r.error) {
      process.stdout.write(`| ${r.services} | ${r.seconds.toFixed(1)} s | ${ratio} | synth failed: ${r.error.replace(/\|/g, '\\|')} | | |\n`);
      continue;
    }
    const largest = r.largestObject!;
    const over = largest.bytes > OBJECT_LIMIT ? ' (over the 1 MiB object limit)' : '';
    process.stdout.write(
      `| ${r.services} | ${r.seconds.toFixed(1)} s | ${ratio} | ${r.rules} | ${r.longestExpr!.chars} chars (${r.longestExpr!.rule}) | ${kb(largest.bytes)} ${largest.file}${over} |\n`,
    );
  }
  process.stdout.write('\n| services | environment | largest ConfigMap | rules ConfigMaps |\n|---|---|---|---|\n');
  for (const r of rows) {
    for (const c of r.configMaps ?? []) {
      const over = c.bytes > OBJECT_LIMIT ? ' (over the 1 MiB object limit)' : '';
      process.stdout.write(`| ${r.services} | ${c.env} | ${kb(c.bytes)} ${c.file}${over} | ${c.ruleMaps} |\n`);
    }
  }
  const last = rows[rows.length - 1];
  if (rows.length > 1) {
    const failed = rows.some((r) => r.error) ? ' (a size failed: see above)' : '';
    process.stdout.write(`\nsynth time at ${last.services} services / at ${base.services}: ${(last.seconds / base.seconds).toFixed(2)}x${failed}\n`);
  }
  return 0;
}

process.exitCode = main();
