/**
 * The key check of environment profiles: it knows exactly the keys the TypeScript types declare
 * (read here by the compiler itself, independently of the mapped type that holds the schema to
 * them under `tsc --noEmit`), and every shipped profile passes it.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { PROFILE_KEYS, unknownProfileKeys } from '../lib/profile';
import { PROFILES } from '../stacks/environments';

/** The key schema of a type, as the compiler sees the type: the shape PROFILE_KEYS must have. */
function schemaOf(checker: ts.TypeChecker, type: ts.Type, at: string): unknown {
  const t = checker.getNonNullableType(type);
  const isPrimitive = (x: ts.Type): boolean => {
    const y = checker.getNonNullableType(x);
    if (y.isUnion()) return y.types.every(isPrimitive);
    return (y.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined)) !== 0;
  };
  const elementOf = (x: ts.Type): ts.Type | undefined => (checker.isArrayType(x) ? checker.getTypeArguments(x as ts.TypeReference)[0] : undefined);
  if (isPrimitive(t)) return 'value';
  const element = elementOf(t);
  if (element) return isPrimitive(element) ? 'value' : { items: schemaOf(checker, element, `${at}[]`) };
  const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  if (index) {
    const v = index.type;
    const e = elementOf(checker.getNonNullableType(v));
    return isPrimitive(v) || (e && isPrimitive(e)) ? 'value' : { values: schemaOf(checker, v, `${at}.*`) };
  }
  const fieldsOf = (x: ts.Type, where: string) => ({
    fields: Object.fromEntries(checker.getPropertiesOfType(x).map((s) => [s.name, schemaOf(checker, checker.getTypeOfSymbol(s), `${where}.${s.name}`)])),
  });
  if (t.isUnion()) {
    const literalOf = (x: ts.Type, key: string): string | undefined => {
      const s = x.getProperty(key);
      const v = s && checker.getTypeOfSymbol(s);
      return v?.isStringLiteral() ? v.value : undefined;
    };
    const storageKind = (x: ts.Type): string | undefined => {
      const s = x.getProperty('storage');
      return s ? literalOf(checker.getTypeOfSymbol(s), 'kind') : undefined;
    };
    if (t.types.every((m) => literalOf(m, 'kind') !== undefined)) {
      return { by: 'kind', members: Object.fromEntries(t.types.map((m) => [literalOf(m, 'kind'), fieldsOf(m, at)])) };
    }
    if (t.types.every((m) => storageKind(m) !== undefined)) {
      return { by: 'storage.kind', members: Object.fromEntries(t.types.map((m) => [storageKind(m), fieldsOf(m, at)])) };
    }
    const required = (m: ts.Type) =>
      checker
        .getPropertiesOfType(m)
        .filter((s) => !(s.flags & ts.SymbolFlags.Optional))
        .map((s) => s.name);
    return {
      by: 'key',
      members: Object.fromEntries(
        t.types.map((m) => {
          const own = required(m).filter((k) => t.types.every((o) => o === m || !required(o).includes(k)));
          if (own.length !== 1) throw new Error(`${at}: a union member without exactly one key of its own (${own.join(', ')})`);
          return [own[0], fieldsOf(m, at)];
        }),
      ),
    };
  }
  return fieldsOf(t, at);
}

describe('the profile key schema', () => {
  it('lists exactly the keys the profile types declare, at every depth, per member of each union', () => {
    const file = path.join(__dirname, '..', 'lib', 'profile.ts');
    const program = ts.createProgram([file], {
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'EnvironmentProfile')!;
    const fromTypes = schemaOf(checker, checker.getDeclaredTypeOfSymbol(symbol), 'profile');
    expect(PROFILE_KEYS).toEqual(fromTypes);
    // The walk really went deep: a key three levels down, in one member of a union.
    expect(fromTypes).toMatchObject({
      fields: { jaeger: { by: 'storage.kind', members: { elasticsearch: { fields: { storage: { fields: { cleanupSchedule: 'value' } } } } } } },
    });
  }, 60_000);

  it('lists every unknown key, marks those that belong to another member of their union, and ignores a key set to undefined', () => {
    const p = JSON.parse(JSON.stringify(PROFILES.local));
    p.prometheus.storage.sizeGi = 10;
    p.grafana.replicaz = 2;
    expect(unknownProfileKeys({ ...p, spreadd: undefined }).map((u) => [u.field, u.otherMember])).toEqual([
      ['prometheus.storage.sizeGi', 'kind "pvc"'],
      ['grafana.replicaz', undefined],
    ]);
  });

  it.each(Object.values(PROFILES).map((p) => [p.name, p] as const))('finds no unknown key in the shipped %s profile', (_name, profile) => {
    expect(unknownProfileKeys(profile)).toEqual([]);
  });
});
