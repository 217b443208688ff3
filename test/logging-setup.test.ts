/**
 * The setup Jobs' scripts, run for real (bash and curl) against stand-ins for Elasticsearch and
 * Kibana that keep state the way the real APIs do: PUT creates or replaces, creating an existing
 * data stream is refused. Running each script twice must succeed and leave the same state.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { describeWithTools, findTool } from './support/tools';
import { synth } from './support/synth';

const curl = findTool('curl', 'curl');
const bash = findTool('bash', 'bash');

interface StandIn {
  readonly url: string;
  readonly state: Map<string, unknown>;
  readonly requests: string[];
  close(): Promise<void>;
}

/** An HTTP server over a state map; `handle` answers [status, body] for one request. */
async function standIn(handle: (method: string, url: string, body: any, auth: string, state: Map<string, unknown>) => [number, unknown]): Promise<StandIn> {
  const state = new Map<string, unknown>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const [status, body] = handle(req.method!, req.url!, raw ? JSON.parse(raw) : undefined, auth, state);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, state, requests, close: () => new Promise((r) => server.close(() => r())) };
}

function runScript(script: string, env: Record<string, string>): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(bash.path!, [script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RETRY_SECONDS: '0', WAIT_ATTEMPTS: '3', ...env } });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    p.on('close', (status) => resolve({ status: status ?? -1, out }));
  });
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

const ELASTIC = 's3cr"et\\pa$$';
const FLUENTD = 'fl"u\\ent';

describeWithTools('the Elasticsearch setup Job', [curl, bash], () => {
  let es: StandIn;
  let root: string;

  beforeAll(async () => {
    es = await standIn((method, url, body, auth, state) => {
      if (auth !== `elastic:${ELASTIC}`) return [401, { error: { type: 'security_exception' } }];
      if (method === 'GET' && url.startsWith('/_cluster/health')) return [200, { status: 'green' }];
      if (method === 'PUT' && url.startsWith('/_data_stream/')) {
        if (state.has(url)) return [400, { error: { type: 'resource_already_exists_exception' } }];
        state.set(url, {});
        return [200, { acknowledged: true }];
      }
      if (method === 'PUT' && /^\/_(ilm\/policy|index_template|security\/role|security\/user)\//.test(url)) {
        state.set(url, body);
        return [200, { acknowledged: true }];
      }
      if (method === 'POST' && /^\/_security\/user\/[^/]+\/_password$/.test(url)) {
        state.set(url, body);
        return [200, {}];
      }
      return [404, { error: `unexpected ${method} ${url}` }];
    });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'es-setup-'));
    writeFiles(path.join(root, 'config'), synth('production').stack.logging.elasticsearch.setupFiles());
    const secrets: Record<string, string> = { 'elasticsearch-elastic/password': ELASTIC, 'elasticsearch-kibana-system/password': 'kibana-pw' };
    for (const c of synth('production').stack.logging.elasticsearch.registeredClients.map((x) => x.name)) {
      secrets[`elasticsearch-user-${c}/username`] = c;
      secrets[`elasticsearch-user-${c}/password`] = c === 'fluentd' ? FLUENTD : `${c}-pw`;
    }
    writeFiles(path.join(root, 'secrets'), secrets);
    fs.mkdirSync(path.join(root, 'work'));
  });

  afterAll(() => es.close());

  const env = () => ({
    ES_URL: es.url,
    CONFIG_DIR: `${root}/config`,
    CREDENTIALS_DIR: `${root}/secrets`,
    WORK_DIR: `${root}/work`,
    SUPERUSER_CREDENTIALS: 'elasticsearch-elastic',
  });

  it('applies the policy, template, data stream, roles, users and the kibana_system password; a second run changes nothing', async () => {
    const first = await runScript(`${root}/config/setup.sh`, env());
    expect(first).toEqual({ status: 0, out: expect.stringContaining('setup complete') });
    const after = JSON.stringify([...es.state.entries()].sort());
    // Production's clients: the logging pipeline's and Jaeger's, a role and a user each.
    const clients = ['elasticsearch-exporter', 'fluentd', 'grafana', 'jaeger-collector', 'jaeger-index-cleaner', 'jaeger-query', 'kibana-setup'];
    expect([...es.state.keys()].sort()).toEqual([
      '/_data_stream/logs-kubernetes-containers',
      '/_ilm/policy/logs-kubernetes',
      '/_index_template/logs-kubernetes',
      ...clients.map((c) => `/_security/role/${c}`),
      ...clients.map((c) => `/_security/user/${c}`),
      '/_security/user/kibana_system/_password',
    ]);
    // Passwords with quotes and backslashes arrive intact.
    expect(es.state.get('/_security/user/fluentd')).toEqual({ password: FLUENTD, roles: ['fluentd'] });
    expect(es.state.get('/_security/user/kibana-setup')).toEqual({ password: 'kibana-setup-pw', roles: ['kibana-setup', 'kibana_admin'] });

    const second = await runScript(`${root}/config/setup.sh`, env());
    expect(second).toEqual({ status: 0, out: expect.stringContaining('ok: data stream logs-kubernetes-containers (exists)') });
    expect(JSON.stringify([...es.state.entries()].sort())).toBe(after);
    expect(es.requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
    expect(fs.readdirSync(`${root}/work`).filter((f) => /user|password/.test(f))).toEqual([]);
  });

  it('fails with the reason when the elastic password is wrong', async () => {
    writeFiles(path.join(root, 'wrong'), { 'elasticsearch-elastic/password': 'nope' });
    const r = await runScript(`${root}/config/setup.sh`, { ...env(), CREDENTIALS_DIR: `${root}/wrong` });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('failed: cluster health yellow or green: HTTP 401');
  });
});

describeWithTools('the Kibana setup Job', [curl, bash], () => {
  it('provisions the log data view once, however often it runs', async () => {
    const kibana = await standIn((method, url, body, auth, state) => {
      if (auth !== 'kibana-setup:pw') return [401, {}];
      if (method === 'GET' && url === '/api/status') return [200, { status: { overall: { level: 'available' } } }];
      if (method === 'POST' && url === '/api/data_views/data_view') {
        if (state.has(body.data_view.id) && body.override !== true) return [400, { message: 'Duplicate data view' }];
        state.set(body.data_view.id, body.data_view);
        return [200, { data_view: body.data_view }];
      }
      return [404, {}];
    });
    try {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kibana-setup-'));
      writeFiles(path.join(root, 'config'), synth('production').stack.logging.kibana.setupFiles());
      writeFiles(path.join(root, 'credentials'), { username: 'kibana-setup', password: 'pw' });
      fs.mkdirSync(path.join(root, 'work'));
      const env = { KIBANA_URL: kibana.url, CONFIG_DIR: `${root}/config`, CREDENTIALS_DIR: `${root}/credentials`, WORK_DIR: `${root}/work` };
      for (let run = 0; run < 2; run++)
        expect(await runScript(`${root}/config/setup.sh`, env)).toEqual({ status: 0, out: expect.stringContaining('ok: data-view-logs-kubernetes.json') });
      expect([...kibana.state.entries()]).toEqual([
        ['logs-kubernetes', { id: 'logs-kubernetes', name: 'Kubernetes container logs', title: 'logs-kubernetes-*', timeFieldName: '@timestamp' }],
      ]);
    } finally {
      await kibana.close();
    }
  });
});
