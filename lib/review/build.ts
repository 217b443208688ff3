/**
 * The synthesized output of a git ref and of the working tree, side by side in scratch folders.
 * The ref's tree is exported with `git archive` (read-only on the repository: no worktree entry
 * to prune if the run is interrupted), shares this checkout's node_modules, and is synthesized by
 * its own `stacks/main.ts`, so a ref reads exactly as it would have deployed. The working tree is
 * synthesized into a scratch folder too: the checkout's dist/ is never written.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Manifest, loadSynthesized } from './manifests';

export class ReviewError extends Error {}

/** The synths running now, stopped when the review is interrupted. */
const running = new Set<ChildProcess>();

/** Exports `ref` into a scratch folder that shares `repo`'s node_modules. */
export function exportRef(repo: string, ref: string, scratch: string): string {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, stdio: 'pipe' });
  } catch {
    throw new ReviewError(`git ref "${ref}" is not a commit of ${repo}: give a branch, tag or commit (such as main, HEAD~1, origin/main)`);
  }
  const dir = path.join(scratch, 'ref');
  fs.mkdirSync(dir);
  const tar = execFileSync('git', ['archive', '--format=tar', ref], { cwd: repo, maxBuffer: 1024 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar, maxBuffer: 64 * 1024 * 1024 });
  // A committed node_modules symlink (the ignore rule `node_modules/` matches only a folder) is replaced.
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Runs the tree's own synth into `outdir`. Trees that predate `--outdir` read CDK8S_OUTDIR; a tree
 * without `stacks/main.ts` has no environments.
 */
export function synthesizeTree(root: string, outdir: string, toolsFrom: string, envs?: readonly string[]): Promise<Map<string, Manifest[]>> {
  const main = path.join(root, 'stacks', 'main.ts');
  if (!fs.existsSync(main)) return Promise.resolve(new Map());
  const tsx = path.join(toolsFrom, 'node_modules', '.bin', 'tsx');
  const args = [main, '--outdir', outdir, ...(envs?.length ? ['--env', envs.join(',')] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir };
  delete env.MONITORING_ENV;
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      if (code !== 0) {
        reject(new ReviewError(`synth of ${root} failed (exit ${code}):\n${err.trim().split('\n').slice(-15).join('\n')}`));
        return;
      }
      const out = loadSynthesized(outdir);
      // A tree whose synth ignored both the flag and the variable wrote its own dist/.
      resolve(out.size ? out : loadSynthesized(path.join(root, 'dist')));
    });
  });
}

export interface BothSides {
  readonly before: Map<string, Manifest[]>;
  readonly after: Map<string, Manifest[]>;
}

/** Synthesizes `ref` and the working tree of `repo` (in parallel), then removes every scratch file. */
export async function synthesizeBoth(repo: string, ref: string, envs?: readonly string[]): Promise<BothSides> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
  // Interrupted (Ctrl-C, a cancelled CI job): the scratch folders go too.
  const onSignal = (signal: NodeJS.Signals) => {
    // Stop the synths first, or they go on writing into the folders being removed.
    const stopped = [...running].map(
      (c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once('close', resolve))),
    );
    for (const c of running) c.kill('SIGTERM');
    void Promise.all(stopped).then(() => {
      fs.rmSync(scratch, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const refTree = exportRef(repo, ref, scratch);
    const [before, after] = await Promise.allSettled([
      synthesizeTree(refTree, path.join(scratch, 'out-ref'), repo, envs),
      synthesizeTree(repo, path.join(scratch, 'out-working-tree'), repo, envs),
    ]);
    if (before.status === 'rejected') throw before.reason;
    if (after.status === 'rejected') throw after.reason;
    return { before: before.value, after: after.value };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
