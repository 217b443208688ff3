/**
 * `npm run alerts:diff -- <git-ref>`: the alerts, recording rules and SLOs added, removed and
 * changed (expression as a token diff, `for`, `keep_firing_for`, labels, annotations, group, the
 * route in each environment) and the Alertmanager routing changes per environment, between a git
 * ref and the working tree, as Markdown to paste into a pull request. Both versions are
 * synthesized into scratch folders (see lib/review/build.ts); `npm run review` adds dashboards
 * and manifests. `--env a,b` limits the environments.
 */
import * as path from 'node:path';
import { synthesizeBoth } from '../lib/review/build';
import { alertsReport } from '../lib/review/report';
import { parseArgs } from './review';

export async function alertsDiff(repo: string, ref: string, envs?: readonly string[]): Promise<string> {
  const { before, after } = await synthesizeBoth(repo, ref, envs);
  return alertsReport({ ref, before, after });
}

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  if (!args.ref) {
    process.stderr.write('usage: npm run alerts:diff -- <git-ref> [--env production]   (such as main, HEAD~1 or a commit)\n');
    process.exitCode = 2;
  } else {
    alertsDiff(args.repo ?? path.resolve(__dirname, '..'), args.ref, args.envs).then(
      (md) => process.stdout.write(md),
      (err: unknown) => {
        process.stderr.write(`alerts:diff failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
