/**
 * The synth command run as a user runs it, in a process of its own: `tsx stacks/main.ts` and the
 * cdk8s CLI. test/bad-input.test.ts checks the same messages in-process; these check the exit
 * status, the streams and the folders a real run leaves.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROFILES } from '../../stacks/environments';
import { synthesize } from '../../stacks/main';
import { tree } from '../support/files';

const ROOT = path.join(__dirname, '..', '..');

/** A dist folder holding a previous good output (local only). */
function distWithPreviousOutput(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  synthesize(dir, [PROFILES.local]);
  return dir;
}

describe('the synth command, in a process of its own', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const main = path.join(ROOT, 'stacks', 'main.ts');

  it('exits non-zero on an unknown environment name, names it, and leaves dist/ as it was', () => {
    const dist = distWithPreviousOutput();
    const before = tree(dist);
    const r = spawnSync(tsx, [main, '--env', 'qa'], { encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: dist } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('environment selection: environment is "qa"; use one of local, staging, production');
    expect(tree(dist)).toEqual(before);
  });

  it('`cdk8s synth` keeps the last good output too: the CLI empties only its scratch folder, and a failed run leaves dist/ as it was', () => {
    const config = parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'));
    expect(config.app).toMatch(/stacks\/main\.ts --outdir dist$/);
    expect(config.output).not.toBe('dist');
    const repoDist = path.join(ROOT, 'dist');
    const before = fs.existsSync(repoDist) ? tree(repoDist) : {};
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cli-'));
    const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
    const r = spawnSync(cli, ['synth', '--output', scratch], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MONITORING_ENV: 'qa' },
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('synth failed: environment selection: environment is "qa"');
    expect(fs.existsSync(repoDist) ? tree(repoDist) : {}).toEqual(before);
  });

  it('writes one folder per environment with stable file names, identical on a second run', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    const r1 = spawnSync(tsx, [main], { encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: dist } });
    expect(r1.status).toBe(0);
    const first = tree(dist);
    expect(fs.readdirSync(dist).sort()).toEqual(['local', 'production', 'staging']);
    expect(Object.keys(first)).toContain('production/40-statefulset-prometheus.yaml');
    expect(Object.keys(first)[0]).toMatch(/^local\/00-namespace-monitoring\.yaml$/);
    const r2 = spawnSync(tsx, [main], { encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: dist } });
    expect(r2.status).toBe(0);
    expect(tree(dist)).toEqual(first);
  });
});
