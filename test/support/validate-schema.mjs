// Validates Kubernetes objects (a JSON array on stdin) against the OpenAPI schema of
// kubernetes-models (an ES module, hence a separate process). Prints a JSON array of
// { index, kind, name, error } for the invalid ones.

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const problems = [];
for (const [index, obj] of objects.entries()) {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const spec = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  try {
    const mod = await import(spec);
    const Model = mod[obj.kind];
    if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
    new Model(obj).validate();
  } catch (err) {
    problems.push({ index, kind: obj.kind, name: obj.metadata?.name, error: String(err?.message ?? err) });
  }
}
process.stdout.write(JSON.stringify(problems));
