/**
 * Real tools the suites run (promtool, amtool, ...). A missing tool skips the suite locally with
 * the install command, and fails it when CI=true, so CI can never pass by skipping.
 */
import { spawnSync } from 'node:child_process';

export interface Tool {
  readonly name: string;
  readonly path: string | undefined;
  readonly installHint: string;
}

export function findTool(name: string, debianPackage: string): Tool {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = r.status === 0 ? r.stdout.trim() : undefined;
  return { name, path: found, installHint: `apt-get update && apt-get install -y ${debianPackage}` };
}

export const inCI = process.env.CI === 'true';

/**
 * `describe` when every tool is present; otherwise `describe.skip` with a note locally, and a
 * failing suite in CI.
 */
export function describeWithTools(title: string, tools: readonly Tool[], body: () => void): void {
  const missing = tools.filter((t) => !t.path);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const hint = missing.map((t) => `${t.name} (${t.installHint})`).join(', ');
  if (inCI) {
    describe(title, () => {
      it(`has its tools installed`, () => {
        throw new Error(`missing tools in CI: ${hint}`);
      });
    });
  } else {
    console.warn(`skipping "${title}": missing ${hint}`);
    describe.skip(title, body);
  }
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd, input: opts.input, timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export const promtool = findTool('promtool', 'prometheus');
export const amtool = findTool('amtool', 'prometheus-alertmanager');
