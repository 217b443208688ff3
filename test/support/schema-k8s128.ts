/**
 * Validates objects against Kubernetes 1.28, the API the stack targets, offline: the schema is
 * read from the types cdk8s-plus-28 generated from the 1.28.0 OpenAPI document (k8s.d.ts: every
 * field, its type and whether it is required) and from its serializers (k8s.js: the wire name of
 * every field, such as `clusterIP` for `clusterIp`, and the apiVersion and kind of every object).
 * A field 1.28 does not know, a wrong type, a missing required field or an unknown kind is a
 * problem.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { KubeObject } from '../../lib/synth';
import { SchemaProblem } from './schema';

interface Field {
  readonly prop: string;
  readonly optional: boolean;
  readonly type: ts.TypeNode | undefined;
}

interface Schema {
  /** Interface name → wire name → field. */
  readonly types: Map<string, Map<string, Field>>;
  /** `apiVersion/kind` → props interface name. */
  readonly kinds: Map<string, string>;
  readonly source: ts.SourceFile;
}

let cached: Schema | undefined;

function load(): Schema {
  if (cached) return cached;
  const dir = path.dirname(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'));
  const dts = fs.readFileSync(path.join(dir, 'k8s.d.ts'), 'utf8');
  const js = fs.readFileSync(path.join(dir, 'k8s.js'), 'utf8');
  const source = ts.createSourceFile('k8s.d.ts', dts, ts.ScriptTarget.Latest, true);

  // Wire names: `'clusterIP': obj.clusterIp` in each toJson_<Type>.
  const wire = new Map<string, Map<string, string>>();
  for (const m of js.matchAll(/function toJson_(\w+)\(obj\) \{[\s\S]*?const result = \{([\s\S]*?)\n {4}\};/g)) {
    const fields = new Map<string, string>();
    for (const f of m[2].matchAll(/'([^']+)': [^\n]*?obj\.(\w+)/g)) fields.set(f[2], f[1]);
    wire.set(m[1], fields);
  }

  const types = new Map<string, Map<string, Field>>();
  for (const st of source.statements) {
    if (!ts.isInterfaceDeclaration(st)) continue;
    const name = st.name.text;
    const toWire = wire.get(name) ?? new Map<string, string>();
    const fields = new Map<string, Field>();
    for (const m of st.members) {
      if (!ts.isPropertySignature(m) || !ts.isIdentifier(m.name)) continue;
      const prop = m.name.text;
      fields.set(toWire.get(prop) ?? prop, { prop, optional: !!m.questionToken, type: m.type });
    }
    types.set(name, fields);
  }

  const kinds = new Map<string, string>();
  for (const m of js.matchAll(/(Kube\w+)\.GVK = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)',?\s*\};/g)) kinds.set(`${m[2]}/${m[3]}`, `${m[1]}Props`);
  cached = { types, kinds, source };
  return cached;
}

function check(schema: Schema, value: any, type: ts.TypeNode | undefined, at: string, out: string[]): void {
  if (!type || value === undefined) return;
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
      if (typeof value !== 'string') out.push(`${at} must be a string, is ${JSON.stringify(value)}`);
      return;
    case ts.SyntaxKind.NumberKeyword:
      if (typeof value !== 'number') out.push(`${at} must be a number, is ${JSON.stringify(value)}`);
      return;
    case ts.SyntaxKind.BooleanKeyword:
      if (typeof value !== 'boolean') out.push(`${at} must be a boolean, is ${JSON.stringify(value)}`);
      return;
    case ts.SyntaxKind.AnyKeyword:
      return;
  }
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) {
      out.push(`${at} must be a list`);
      return;
    }
    value.forEach((v, i) => check(schema, v, type.elementType, `${at}[${i}]`, out));
    return;
  }
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push(`${at} must be a map`);
      return;
    }
    if (index) for (const [k, v] of Object.entries(value)) check(schema, v, index.type, `${at}.${k}`, out);
    return;
  }
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const ref = type.typeName.text;
    if (ref === 'Quantity' || ref === 'IntOrString') {
      if (typeof value !== 'string' && typeof value !== 'number') out.push(`${at} must be a string or a number, is ${JSON.stringify(value)}`);
      return;
    }
    if (ref === 'Date') {
      if (typeof value !== 'string') out.push(`${at} must be a timestamp string`);
      return;
    }
    const fields = schema.types.get(ref);
    if (!fields) return;
    checkObject(schema, value, fields, at, out);
  }
}

function checkObject(schema: Schema, value: any, fields: Map<string, Field>, at: string, out: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push(`${at} must be an object`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const f = fields.get(k);
    if (!f) {
      out.push(`${at}.${k} is not a field in Kubernetes 1.28`);
      continue;
    }
    check(schema, v, f.type, `${at}.${k}`, out);
  }
  for (const [k, f] of fields) if (!f.optional && value[k] === undefined) out.push(`${at}.${k} is required`);
}

/** Problems of each object against the Kubernetes 1.28 API (cdk8s-plus-28's k8s@1.28.0 import). */
export function schemaProblems128(objects: readonly KubeObject[]): SchemaProblem[] {
  const schema = load();
  const problems: SchemaProblem[] = [];
  objects.forEach((obj, index) => {
    const props = schema.kinds.get(`${obj.apiVersion}/${obj.kind}`);
    const fields = props ? schema.types.get(props) : undefined;
    if (!fields) {
      problems.push({ index, kind: obj.kind, name: obj.metadata?.name, error: `${obj.apiVersion} ${obj.kind} is not served by Kubernetes 1.28` });
      return;
    }
    const out: string[] = [];
    const { apiVersion: _v, kind: _k, ...rest } = obj as any;
    checkObject(schema, rest, fields, obj.kind, out);
    for (const error of out) problems.push({ index, kind: obj.kind, name: obj.metadata?.name, error });
  });
  return problems;
}

/** How many object kinds and field types the 1.28 schema knows (a sanity check that it loaded). */
export function schema128Size(): { kinds: number; types: number } {
  const s = load();
  return { kinds: s.kinds.size, types: s.types.size };
}
