/**
 * The cdk8s app: `npm run synth` (or `cdk8s synth`) writes dist/<environment>/ for every
 * environment, or only those named by `--env a,b` or MONITORING_ENV. A bad profile or name exits
 * non-zero with the problem on stderr and leaves dist/ as it was.
 */
import { ENVIRONMENT_NAMES, EnvironmentProfile } from '../lib/profile';
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

/** Builds every profile in memory, then writes them all; throws before writing anything on bad input. */
export function synthesize(outdir: string, profiles: readonly EnvironmentProfile[]): Array<{ name: string; objects: KubeObject[]; files: number }> {
  const { buildStack } = environments();
  const builds = profiles.map((p) => ({ name: p.name, objects: inApplyOrder(buildStack(p).toJson() as KubeObject[]) }));
  writeEnvironments(outdir, builds);
  return builds.map((b) => ({ ...b, files: b.objects.length }));
}

export function main(argv: readonly string[] = process.argv.slice(2)): number {
  const started = process.hrtime.bigint();
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const builds = synthesize(outdir, selectedEnvironments(argv).map(environments().profileFor));
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
