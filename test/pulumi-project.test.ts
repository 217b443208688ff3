/**
 * The Pulumi project as the CLI sees it: Pulumi.yaml, one stack file per environment, and the
 * entry point `pulumi up` loads, run under plain node (no ts-jest) the way Pulumi's Node.js
 * language host runs it when its own TypeScript support is off.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildStack, PROFILES } from '../stacks/environments';
import { PROJECT } from './support/pulumi';
import { ENVIRONMENTS } from './support/synth';

const root = path.join(__dirname, '..');
const project = parse(fs.readFileSync(path.join(root, 'Pulumi.yaml'), 'utf8'));

describe('the Pulumi project', () => {
  it('is a Node.js project whose entry loads the TypeScript program itself', () => {
    expect(project.name).toBe(PROJECT);
    expect(project.runtime).toEqual({ name: 'nodejs', options: { typescript: false } });
    expect(fs.existsSync(path.join(root, project.main))).toBe(true);
  });

  it.each(ENVIRONMENTS)('has a stack file for %s that overrides nothing, so the stack deploys what synth writes', (env) => {
    const stack = parse(fs.readFileSync(path.join(root, `Pulumi.${env}.yaml`), 'utf8'));
    expect(stack.config ?? {}).toEqual({});
  });
});

describe('`pulumi up` loading the program through its entry point under plain node', () => {
  it('declares the staging stack and exports its URLs', () => {
    const secrets: Record<string, string> = {};
    for (const s of buildStack(PROFILES.staging).expectedSecrets) for (const k of s.keys) secrets[`${PROJECT}:${s.name}.${k}`] = `v-${k}`;
    const script = `
      const pulumi = require('@pulumi/pulumi');
      const secrets = ${JSON.stringify(secrets)};
      pulumi.runtime.setAllConfig(secrets, Object.keys(secrets));
      const types = [];
      pulumi.runtime.setMocks({ newResource: (a) => { types.push(a.type); return { id: a.name + '-id', state: a.inputs }; }, call: (a) => a.inputs }, ${JSON.stringify(PROJECT)}, 'staging');
      const program = require(${JSON.stringify(path.join(root, project.main))});
      pulumi.runtime.waitForRPCs().then(() => process.stdout.write(JSON.stringify({ types, grafanaUrl: program.grafanaUrl, environment: program.environment })));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.environment).toBe('staging');
    expect(out.grafanaUrl).toBe('http://grafana.monitoring.svc:3000');
    expect(out.types.filter((t: string) => t === 'kubernetes:yaml/v2:ConfigGroup')).toHaveLength(3);
    expect(out.types).toContain('kubernetes:core/v1:Secret');
  });
});
