/** The defaults table (docs/profile-defaults.md) names real, optional profile fields. */
import { AnySchema, VALUE } from '../lib/core/keys';
import { PROFILE_DEFAULTS, PROFILE_KEYS } from '../lib/profile';
import { renderProfileDefaults } from '../scripts/docs';

/** The schema at a dotted path (`a.b[].c`), looking into every member of a union; undefined when no such key. */
function schemaAt(schema: AnySchema, path: readonly string[]): AnySchema | undefined {
  if (path.length === 0) return schema;
  if (schema === VALUE) return undefined;
  const [head, ...rest] = path;
  if ('items' in schema) return head === '[]' ? schemaAt(schema.items, rest) : undefined;
  if ('values' in schema) return schemaAt(schema.values, rest);
  if ('by' in schema) {
    for (const m of Object.values(schema.members)) {
      const hit = head in m.fields ? schemaAt(m.fields[head], rest) : undefined;
      if (hit) return hit;
    }
    return undefined;
  }
  return head in schema.fields ? schemaAt(schema.fields[head], rest) : undefined;
}

const rows = [...renderProfileDefaults().matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).filter((f) => f !== 'Profile field');

describe('profile defaults', () => {
  it('lists every default of every component DEFAULTS object', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(PROFILE_DEFAULTS.map((d) => d.at)).toEqual(expect.arrayContaining(['alerting', 'jaeger', 'logging.fluentd', 'dependencies']));
  });

  it.each(rows)('%s is a field a profile may carry', (row) => {
    const field = row.replace(/ \(kind "[a-z]+"\)$/, '').replace(/\[\]/g, '.[]');
    // exporterResources is a whole Resources block: its leaves are fields of that block.
    expect(schemaAt(PROFILE_KEYS as AnySchema, field.split('.'))).toBeDefined();
  });
});
