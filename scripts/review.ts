/**
 * `npm run review -- <git-ref>`: the review of every change between a git ref and the working
 * tree, as one Markdown report for a pull request (summary, Alerts and rules, Routing, Dashboards,
 * Manifests per environment). Both versions are synthesized into scratch folders (the ref from a
 * `git archive` export sharing this checkout's node_modules); dist/ is not touched.
 *
 * Options: `--env a,b` limits the environments; `--repo <dir>` reviews another checkout;
 * `--output <file>` writes the report to a file as well as to stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeBoth } from '../lib/review/build';
import { reviewReport } from '../lib/review/report';

export interface ReviewOptions {
  readonly envs?: readonly string[];
}

export async function review(repo: string, ref: string, opts: ReviewOptions = {}): Promise<string> {
  const { before, after } = await synthesizeBoth(repo, ref, opts.envs);
  return reviewReport({ ref, before, after }).markdown;
}

export function parseArgs(argv: readonly string[]): { ref?: string; envs?: string[]; repo: string; output?: string } {
  const out: { ref?: string; envs?: string[]; repo: string; output?: string } = { repo: path.resolve(__dirname, '..') };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--env')
      out.envs = argv[++k]
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === '--repo') out.repo = path.resolve(argv[++k] ?? '.');
    else if (a === '--output') out.output = argv[++k];
    else if (!out.ref) out.ref = a;
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.ref) {
    process.stderr.write('usage: npm run review -- <git-ref> [--env production,staging] [--output review.md]   (ref such as main, HEAD~1 or origin/main)\n');
    return 2;
  }
  try {
    const md = await review(args.repo, args.ref, { envs: args.envs });
    if (args.output) fs.writeFileSync(args.output, md);
    process.stdout.write(md);
    return 0;
  } catch (err) {
    process.stderr.write(`review failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => (process.exitCode = code));
}
