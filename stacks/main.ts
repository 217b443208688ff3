/**
 * The cdk8s app: `npm run synth` (or `cdk8s synth`) writes dist/<environment>/ for every
 * environment, or only those named by `--env a,b` or MONITORING_ENV. A bad profile or name exits
 * non-zero with the problem on stderr and leaves dist/ as it was.
 */
import * as path from 'node:path';
import { ENVIRONMENT_NAMES, EnvironmentProfile, validateProfile } from '../lib/profile';
import { KubeObject, inApplyOrder, writeEnvironments } from '../lib/synth';

type Environments = typeof import('./environments');

/**
 * The profiles and content, loaded on first use rather than at import: a mistake that content
 * throws while it loads (a panel 30 columns wide, an SLO objective of 150) then reaches the same
 * one-line message and exit code as every other bad input, not a stack trace.
 */
function environments(): Environments {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./environments') as Environments;
}

function selectedEnvironments(argv: readonly string[]): string[] {
  const i = argv.indexOf('--env');
  const raw = i >= 0 ? argv[i + 1] : process.env.MONITORING_ENV;
  if (raw === undefined || raw === '') return [...ENVIRONMENT_NAMES];
  return raw.split(',').map((s) => s.trim());
}

/**
 * Checks every profile, then builds them all in memory, then writes them all; throws before
 * writing anything on bad input. A mistake in the last profile is reported before the first one
 * is built.
 */
export function synthesize(outdir: string, profiles: readonly EnvironmentProfile[]): Array<{ name: string; objects: KubeObject[]; files: number }> {
  const { buildStack } = environments();
  for (const p of profiles) validateProfile(p);
  const builds = profiles.map((p) => ({ name: p.name, objects: inApplyOrder(buildStack(p).toJson() as KubeObject[]) }));
  writeEnvironments(outdir, builds);
  return builds.map((b) => ({ ...b, files: b.objects.length }));
}

export function main(argv: readonly string[] = process.argv.slice(2)): number {
  const started = process.hrtime.bigint();
  // `--outdir` wins over CDK8S_OUTDIR: the cdk8s CLI empties its output folder before it runs the
  // app (cdk8s-cli lib/cli/cmds/synth.js), so cdk8s.yaml points the CLI at a scratch folder and
  // names dist/ here, which is replaced only once every environment has been built.
  const flag = argv.indexOf('--outdir');
  const outdir = (flag >= 0 ? argv[flag + 1] : undefined) ?? process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const builds = synthesize(outdir, selectedEnvironments(argv).map(environments().profileFor));
    // The CLI lists (and validates) what it finds in its own folder: give it the same manifests.
    const cliOut = process.env.CDK8S_OUTDIR;
    if (cliOut && path.resolve(cliOut) !== path.resolve(outdir)) writeEnvironments(cliOut, builds);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    for (const b of builds) process.stdout.write(`${outdir}/${b.name}/: ${b.files} objects\n`);
    process.stdout.write(`synthesized ${builds.length} environment(s) in ${ms.toFixed(0)} ms\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`synth failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write(`${outdir}/ was left as it was.\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main();
}
