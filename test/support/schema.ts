/**
 * Validates objects against the Kubernetes OpenAPI schema shipped by `kubernetes-models`
 * (Kubernetes 1.34: types, formats, required fields, enums). The models are ES modules, so the
 * validation runs in a child Node.js process.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { KubeObject } from '../../lib/synth';

export interface SchemaProblem {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly error: string;
}

export function schemaProblems(objects: readonly KubeObject[]): SchemaProblem[] {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'validate-schema.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: path.join(__dirname, '..', '..'),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`schema validation crashed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
