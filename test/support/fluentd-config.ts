/**
 * A reader for Fluentd's configuration syntax (directives `<name arg>...</name>`, `key value`
 * parameters, `#` comments), enough to assert on the generated fluent.conf.
 */
export interface Directive {
  readonly name: string;
  readonly arg: string;
  readonly params: Record<string, string>;
  readonly children: Directive[];
}

export function parseFluentdConfig(text: string): Directive {
  const root: Directive = { name: 'root', arg: '', params: {}, children: [] };
  const stack: Directive[] = [root];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const close = /^<\/([\w@]+)>$/.exec(line);
    if (close) {
      const top = stack.pop()!;
      if (top.name !== close[1]) throw new Error(`line ${i + 1}: </${close[1]}> closes <${top.name}>`);
      return;
    }
    const open = /^<([\w@]+)(?:\s+([^>]*))?>$/.exec(line);
    if (open) {
      const d: Directive = { name: open[1], arg: (open[2] ?? '').trim(), params: {}, children: [] };
      stack[stack.length - 1].children.push(d);
      stack.push(d);
      return;
    }
    const kv = /^(\S+)(?:\s+(.*))?$/.exec(line)!;
    stack[stack.length - 1].params[kv[1]] = kv[2] ?? '';
  });
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  return root;
}

/** Every directive (depth first) matching the name and, when given, the argument. */
export function findDirectives(d: Directive, name: string, arg?: string): Directive[] {
  const out: Directive[] = [];
  for (const c of d.children) {
    if (c.name === name && (arg === undefined || c.arg === arg)) out.push(c);
    out.push(...findDirectives(c, name, arg));
  }
  return out;
}
