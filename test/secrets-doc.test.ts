/** docs/secrets.md is generated from the charts; it must match what they expect today. */
import * as fs from 'node:fs';
import { SECRETS_DOC, renderSecretsDoc } from '../scripts/secrets-doc';
import { PROFILES, buildStack } from '../stacks/environments';
import { ENVIRONMENTS } from './support/synth';

describe('docs/secrets.md', () => {
  it('is current: regenerate it with `npm run docs:secrets` when a component declares a Secret', () => {
    expect(fs.readFileSync(SECRETS_DOC, 'utf8')).toBe(renderSecretsDoc());
  });

  it.each(ENVIRONMENTS)('lists every key of every Secret %s expects, with its Pulumi config key', (env) => {
    const section = renderSecretsDoc().split(`## ${env}\n`)[1].split('\n## ')[0];
    const secrets = buildStack(PROFILES[env]).expectedSecrets;
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) for (const k of s.keys) expect(section).toContain(`| \`${s.name}\` | \`${k}\` | \`${s.name}.${k}\` |`);
  });

  it('is the one list of Secrets to create: the README keeps no hand-written copy that could miss one (it once missed the Jaeger users)', () => {
    const readme = fs.readFileSync(`${__dirname}/../README.md`, 'utf8');
    expect(readme.match(/^.*create secret generic.*$/gm) ?? []).toEqual([]);
    expect(readme).toContain('(docs/secrets.md)');
    for (const env of ENVIRONMENTS) {
      const section = renderSecretsDoc().split(`## ${env}\n`)[1].split('\n## ')[0];
      for (const s of buildStack(PROFILES[env]).expectedSecrets)
        expect([env, s.name, section.includes(`create secret generic ${s.name}`)]).toEqual([env, s.name, true]);
    }
  });
});
