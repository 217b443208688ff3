import { schemaProblems } from './support/schema';
import { ENVIRONMENTS, synth } from './support/synth';

describe('every synthesized object validates against the Kubernetes OpenAPI schema', () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    const { objects } = synth(env);
    expect(objects.length).toBeGreaterThan(20);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('reports an object with a wrongly typed field, so the check is real', () => {
    const bad: any = JSON.parse(JSON.stringify(synth('local').objects.find((o) => o.kind === 'StatefulSet')));
    bad.spec.replicas = 'two';
    const problems = schemaProblems([bad]);
    expect(problems).toHaveLength(1);
    expect(problems[0].error).toMatch(/replicas must be integer/);
  });
});
