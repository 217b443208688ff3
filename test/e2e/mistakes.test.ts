/**
 * The mistakes a new user makes, made as a user makes them: one edit to a source file of a copy
 * of this working tree, then the real `npm run synth` command line (tsx on stacks/main.ts, which
 * does not type-check) and the cdk8s CLI. Each must exit 1 with one line naming the file or
 * construct, the field, the value and the fix, and leave the previous output as it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tree } from '../support/files';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx/cli');

interface Mistake {
  readonly what: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** The one line synth prints after "synth failed: ". */
  readonly message: RegExp;
}

const MISTAKES: readonly Mistake[] = [
  {
    what: 'a misspelt label in a rule matcher, probe_success{prob="health"}',
    file: 'alerts/services.ts',
    from: `'probe_success{probe="health"} == 0'`,
    to: `'probe_success{prob="health"} == 0'`,
    message: /^alert "\w+" \(alerts\/services\.ts\): .*"prob".*did you mean "probe"\?/,
  },
  {
    what: 'a misspelt label in a rule\'s "sum by (namespace, job, servce)"',
    file: 'alerts/services.ts',
    from: `const by = 'namespace, job, service';`,
    to: `const by = 'namespace, job, servce';`,
    message: /^(alert|recording rule) "[\w:]+" \(alerts\/services\.ts\): .*label "servce" in "sum by \(namespace, job, servce\)".*did you mean "service"\?/,
  },
  {
    what: 'a misspelt label in an on (...) list',
    file: 'alerts/kubernetes.ts',
    from: '* on (namespace, pod) group_left ()',
    to: '* on (namespace, pdo) group_left ()',
    message: /^(alert|recording rule) "[\w:]+" \(alerts\/kubernetes\.ts\): .*"pdo".*did you mean "pod"\?/,
  },
  {
    what: 'a misspelt {{ $labels.servce }} in a summary',
    file: 'alerts/services.ts',
    from: `summary: '{{ $labels.service }} fails {{ $value | humanizePercentage }} of requests'`,
    to: `summary: '{{ $labels.servce }} fails {{ $value | humanizePercentage }} of requests'`,
    message: /^alert "HighErrorRate" \(alerts\/services\.ts\): summary is "servce"; .*did you mean "service"\?/,
  },
  {
    what: 'a misspelt label in a dashboard query\'s "sum by (pdo)"',
    file: 'dashboards/operations.ts',
    from: 'sum by (pod) (namespace_pod_container:container_cpu_usage_seconds:rate5m',
    to: 'sum by (pdo) (namespace_pod_container:container_cpu_usage_seconds:rate5m',
    message: /^dashboard "grekko-operations" .*"pdo".*did you mean "pod"\?/,
  },
  {
    what: 'a misspelt production TSDB size cap, retentionSizeGI',
    file: 'stacks/production.ts',
    from: 'retentionSizeGi: 180,',
    to: 'retentionSizeGI: 180,',
    message: /^profile "production": prometheus\.retentionSizeGI is 180; did you mean "retentionSizeGi"\?/,
  },
  {
    what: 'a runbook link to a section that does not exist',
    file: 'alerts/slos.ts',
    from: `'docs/runbooks/slo-error-budget.md#api-latency'`,
    to: `'docs/runbooks/slo-error-budget.md#no-such-section'`,
    message: /^.*\(alerts\/slos\.ts\): runbook is "docs\/runbooks\/slo-error-budget\.md#no-such-section"; /,
  },
  {
    what: 'a database address with port 99999',
    file: 'stacks/production.ts',
    from: 'postgres-primary.${TRADING_NAMESPACE}.svc:5432',
    to: 'postgres-primary.${TRADING_NAMESPACE}.svc:99999',
    message: /^profile "production": dependencies\.postgres\[0\]\.host is "postgres-primary\.grekko\.svc:99999"; .*65535/,
  },
  {
    what: 'a trace-sampling override for a service that does not exist',
    file: 'stacks/production.ts',
    from: '{ service: TRADING_SERVICES.orders, probability: 1 },',
    to: `{ service: 'ordr-service', probability: 1 },`,
    message: /^profile "production": jaeger\.sampling\.services\[0\]\.service is "ordr-service"; did you mean "order-service"\?/,
  },
  {
    what: 'a receiver that no route uses',
    file: 'stacks/production.ts',
    from: `risk: { critical: ['oncall-pager', 'risk-chat'], warning: ['risk-chat'],`,
    to: `risk: { critical: ['oncall-pager', 'trading-alerts-chat'], warning: ['trading-alerts-chat'],`,
    message: /^profile "production": alerting\.receivers\[\d\] is "risk-chat"; no route sends it anything/,
  },
  {
    what: "an evaluation interval longer than alerts' for:",
    file: 'stacks/production.ts',
    from: `evaluationInterval: '15s',`,
    to: `evaluationInterval: '10m',`,
    message: /^alert "\w+" \(alerts\/\w+\.ts\): for is "\w+"; rules are evaluated every 10m in production/,
  },
  {
    what: 'a panel 30 columns wide',
    file: 'dashboards/trading.ts',
    from: `w: 8,
          h: 8,
          title: 'Execution latency'`,
    to: `w: 30,
          h: 8,
          title: 'Execution latency'`,
    message: /^dashboard "grekko-trading" \(dashboards\/trading\.ts\) panel "Execution latency": width is 30; use 1 to 24 grid columns$/,
  },
  {
    what: 'an SLO objective of 150',
    file: 'alerts/slos.ts',
    from: 'objective: objective(LATENCY_SLO_OBJECTIVE),',
    to: 'objective: 150,',
    message: /api-latency.*objective is 150; /,
  },
];

let copy: string;
let lastGood: Record<string, string>;

/** The working tree's files (tracked and new, not ignored), with node_modules linked. */
function copyWorkingTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mistakes-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    const src = path.join(ROOT, f);
    if (!fs.existsSync(src) || fs.lstatSync(src).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function synth(args: readonly string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSX, 'stacks/main.ts', ...args], { cwd: copy, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Applies one edit, runs `fn`, and puts the file back. */
function withEdit<T>(m: Pick<Mistake, 'file' | 'from' | 'to'>, fn: () => T): T {
  const p = path.join(copy, m.file);
  const text = fs.readFileSync(p, 'utf8');
  if (!text.includes(m.from)) throw new Error(`${m.file} no longer contains ${JSON.stringify(m.from)}: update the mistake to the file's current text`);
  fs.writeFileSync(p, text.replace(m.from, m.to));
  try {
    return fn();
  } finally {
    fs.writeFileSync(p, text);
  }
}

beforeAll(() => {
  copy = copyWorkingTree();
  const good = synth(['--outdir', 'dist']);
  if (good.status !== 0) throw new Error(`the unchanged copy does not synthesize:\n${good.stderr}`);
  lastGood = tree(path.join(copy, 'dist'));
}, 120_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe('a mistake made in a source file fails `npm run synth` with one line and leaves dist/ as it was', () => {
  it.each(MISTAKES.map((m) => [m.what, m] as const))(
    '%s',
    (_what, m) => {
      const r = withEdit(m, () => synth(['--outdir', 'dist']));
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect({ status: r.status, lines: lines.length, last: lines[lines.length - 1] }).toEqual({ status: 1, lines: 2, last: 'dist/ was left as it was.' });
      expect(lines[0].startsWith('synth failed: ')).toBe(true);
      expect(lines[0].slice('synth failed: '.length)).toMatch(m.message);
      expect(tree(path.join(copy, 'dist'))).toEqual(lastGood);
    },
    60_000,
  );
});

describe('the cdk8s CLI', () => {
  it('`cdk8s synth` with a misspelt profile key exits non-zero with the message and leaves dist/ as it was', () => {
    const misspelt = MISTAKES.find((m) => m.to.includes('retentionSizeGI'))!;
    const cli = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    const r = withEdit(misspelt, () => spawnSync(process.execPath, [cli, 'synth'], { cwd: copy, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } }));
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).toContain('profile "production": prometheus.retentionSizeGI is 180; did you mean "retentionSizeGi"?');
    expect(tree(path.join(copy, 'dist'))).toEqual(lastGood);
  }, 120_000);
});
