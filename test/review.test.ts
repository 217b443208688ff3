import { diffJson } from '../lib/review/json-diff';
import { Manifest } from '../lib/review/manifests';
import { dashboardsSection, manifestsSection, reviewReport } from '../lib/review/report';
import { diffRouting, renderRouting } from '../lib/review/routing';
import { inlineCode, inlineProse, lineDiff } from '../lib/review/text-diff';
import { editDashboard, editRule, objectOf, Panel, sides } from './support/review';

const ERRORS_PANEL = 'Share of requests failing (5xx) per service';

/** HighErrorRate from 5% to 3%, as the alert's and the Operations panel's synthesized output shows it. */
function errorRateTo3Percent(objects: Manifest[]): void {
  editRule(objects, 'HighErrorRate', (r) => {
    r.expr = r.expr.replace('> 0.05', '> 0.03');
    r.annotations!.description = r.annotations!.description.replace('More than 5%', 'More than 3%');
  });
  editDashboard(objects, 'grekko-operations', (d) => {
    const p = d.panels.find((x) => x.title === ERRORS_PANEL) as Panel & {
      fieldConfig: { defaults: { thresholds: { steps: Array<{ value: number | null }> } } };
    };
    p.fieldConfig.defaults.thresholds.steps[2].value = 0.03;
  });
}

describe('review report', () => {
  it('moving HighErrorRate from 5% to 3% shows the expression token change, the description change and the Operations panel threshold change', () => {
    const { before, after } = sides(['production', 'local']);
    for (const objects of after.values()) errorRateTo3Percent(objects);
    const { markdown: md, unchanged } = reviewReport({ ref: 'main', before, after });
    expect(unchanged).toBe(false);
    const sections = md.split(/^## /m).map((s) => s.split('\n')[0]);
    expect(sections.slice(1)).toEqual(['Monitoring review against `main`', 'Alerts and rules', 'Routing', 'Dashboards', 'Manifests']);
    expect(md).toContain(
      'alerts: 1 changed alert (HighErrorRate); recording rules: no recording rules changed; SLOs: no SLOs changed; routing: unchanged; dashboards: 1 changed dashboard (grekko-operations);',
    );
    expect(md).toContain('- expression: service:http_request_errors:ratio_rate5m > ~~0.05~~**0.03**');
    expect(md).toContain('- description: More than ~~5%~~**3%** of the HTTP requests');
    expect(md).toContain(`- panel **${ERRORS_PANEL}**, thresholds: \`green, 0.01 orange, 0.05 red\` → \`green, 0.01 orange, 0.03 red\``);
    // The same change in both environments is told once, without an environment note.
    expect(md.match(/- expression:/g)).toHaveLength(1);
    expect(md).not.toContain('_(production)_');
    // ConfigMaps holding rules and dashboards are summarised by key, not shown as a blob.
    expect(md).toContain('- `data["services.yaml"]`: rules: 1 changed (HighErrorRate); see Alerts and rules');
    expect(md).toContain('- `data["grekko-operations.json"]`: dashboard `grekko-operations` changed; see Dashboards');
    expect(md).not.toMatch(/groups:\n/);
    expect(md.length).toBeLessThan(6000);
  });

  it('a panel inserted shows as added and the others are not reported as changed or moved', () => {
    const { before, after } = sides(['production']);
    editDashboard(after.get('production')!, 'grekko-operations', (d) => {
      const first = d.panels[1];
      for (const p of d.panels.slice(1)) {
        p.gridPos.y += 8;
        p.id = (p.id ?? 0) + 1;
      }
      d.panels.splice(1, 0, { ...structuredClone(first), id: 2, title: 'Orders per second', gridPos: { x: 0, y: 1, w: 24, h: 8 } });
    });
    const s = dashboardsSection({ ref: 'main', before, after });
    expect(s.markdown).toBe('### Grekko / Operations (`grekko-operations`)\n\n- panel added: **Orders per second** (row Service status and health)\n');
  });

  it('a panel moved, renamed in place, or given a new unit, type or query is reported as such', () => {
    const { before, after } = sides(['production']);
    editDashboard(after.get('production')!, 'grekko-operations', (d) => {
      const byTitle = (t: string) => d.panels.find((p) => p.title === t) as Panel & Record<string, any>;
      const cpu = byTitle('CPU per pod');
      const mem = byTitle('Memory per pod');
      [cpu.gridPos, mem.gridPos] = [mem.gridPos, cpu.gridPos];
      byTitle('CPU throttling per pod').title = 'CPU throttled share per pod';
      const restarts = byTitle('Container restarts per hour');
      restarts.type = 'barchart';
      restarts.fieldConfig.defaults.unit = 'none';
      restarts.targets[0].expr = restarts.targets[0].expr.replace('[1h]', '[30m]');
    });
    const md = dashboardsSection({ ref: 'main', before, after }).markdown;
    expect(md).toMatch(/- panel moved: \*\*(CPU|Memory) per pod\*\* within row `Resource utilisation`, from position \d+ to \d+/);
    expect(md).toContain('- panel **CPU throttling per pod**, title: `CPU throttling per pod` → `CPU throttled share per pod`');
    expect(md).toContain('  - type: `timeseries` → `barchart`');
    expect(md).toMatch(/ {2}- unit: `[a-z]+` → `none`/);
    expect(md).toContain('[~~1h~~**30m**]');
    expect(md).not.toContain('panel added');
    expect(md).not.toContain('panel removed');
  });

  it('a changed resource request shows the field path and the old and new values', () => {
    const { before, after } = sides(['production', 'staging']);
    const sts = objectOf(after.get('production')!, 'StatefulSet', 'prometheus');
    const container = sts.spec.template.spec.containers.find((c: { name: string }) => c.name === 'prometheus');
    const old = container.resources.requests.cpu;
    container.resources.requests.cpu = '2';
    const s = manifestsSection({ ref: 'main', before, after });
    expect(s.counts).toEqual([
      { env: 'production', added: 0, removed: 0, changed: 1, unchanged: expect.any(Number) },
      { env: 'staging', added: 0, removed: 0, changed: 0, unchanged: expect.any(Number) },
    ]);
    expect(s.markdown).toContain(
      `**StatefulSet monitoring/prometheus**\n\n- \`spec.template.spec.containers[name=prometheus].resources.requests.cpu\`: \`${old}\` → \`2\``,
    );
    expect(s.markdown).toMatch(/### staging\n\nNo object changes \(\d+ objects unchanged\)/);
  });

  it('an object removed and a ConfigMap key that is plain configuration are reported by name and by path', () => {
    const { before, after } = sides(['local']);
    const objects = after.get('local')!;
    objects.splice(
      objects.findIndex((o) => o.kind === 'Service' && o.metadata.name === 'grafana'),
      1,
    );
    const cm = objectOf(objects, 'ConfigMap', 'prometheus-config');
    const key = Object.keys(cm.data)[0];
    cm.data[key] = cm.data[key].replace(/scrape_interval: (\S+)/, 'scrape_interval: 45s');
    const md = manifestsSection({ ref: 'main', before, after }).markdown;
    expect(md).toContain('Removed: `Service monitoring/grafana`');
    expect(md).toMatch(new RegExp(`- \`data\\["${key.replace('.', '\\.')}"\\]\\.global\\.scrape_interval\`: \`\\d+s\` → \`45s\``));
  });

  it('no change reports no change', () => {
    const { before, after } = sides(['production', 'staging', 'local']);
    const r = reviewReport({ ref: 'main', before, after });
    expect(r.unchanged).toBe(true);
    expect(r.markdown).toMatch(
      /^## Monitoring review against `main`\n\nNo changes against `main`: the synthesized output of production, staging, local is the same \(\d+ alerts, \d+ recording rules, \d+ SLOs, \d+ dashboards\)\./,
    );
    expect(r.markdown).not.toMatch(/^- /m);
  });
});

describe('diff primitives', () => {
  it('an expression change marks only the tokens that changed', () => {
    expect(inlineCode('rate(x[5m])', 'rate(x[1m])')).toBe('rate(x[~~5m~~**1m**])');
    expect(inlineCode('sum by (job) (x)', 'sum by (job, le) (x)')).toBe('sum by (job<ins>, le</ins>) (x)');
  });

  it('a long description keeps the words around the change and elides the rest', () => {
    const words = Array.from({ length: 80 }, (_, i) => `w${i}`);
    const after = [...words];
    after[40] = 'changed';
    const md = inlineProse(words.join(' '), after.join(' '));
    expect(md).toContain('~~w40~~**changed**');
    expect(md.startsWith('… ')).toBe(true);
    expect(md.split(' ').length).toBeLessThan(30);
  });

  it('in a multi-line diff a line inserted before a changed line stays a whole line added, and the changed line is a -/+ pair', () => {
    expect(lineDiff('a > 1\nb > 2', 'c > 9 and d\na > 3\nb > 2')).toEqual(['+ c > 9 and d', '- a > 1', '      ^', '+ a > 3', '      ^', '  b > 2']);
  });

  it('a multi-line text diff elides unchanged lines far from the change', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[15] = 'line fifteen';
    const out = lineDiff(lines.join('\n'), changed.join('\n'), 2);
    expect(out).toEqual(['  …', '  line 13', '  line 14', '- line 15', '       ^^', '+ line fifteen', '       ^^^^^^^', '  line 16', '  line 17', '  …']);
  });

  it('lists of named objects are matched by name, and an item inserted into a list is one change', () => {
    const before = {
      containers: [
        { name: 'a', image: 'x:1' },
        { name: 'b', image: 'y:1' },
      ],
      args: ['--a', '--b', '--c'],
    };
    const after = {
      containers: [
        { name: 'b', image: 'y:2' },
        { name: 'a', image: 'x:1' },
      ],
      args: ['--a', '--new', '--b', '--c'],
    };
    expect(diffJson(before, after)).toEqual([
      { path: 'containers[name=b].image', before: 'y:1', after: 'y:2' },
      { path: 'containers (order of names)', before: ['a', 'b'], after: ['b', 'a'] },
      { path: 'args[1]', after: '--new' },
    ]);
  });
});

describe('routing diff', () => {
  it('routes are known by their matchers: siblings reordered, a receiver added and a receiver field changed are each reported', () => {
    const critical = { receiver: 'pager', matchers: ['severity="critical"'] };
    const warning = { receiver: 'chat', matchers: ['severity="warning"'] };
    const before = {
      route: { receiver: 'chat', routes: [critical, warning] },
      receivers: [{ name: 'chat' }, { name: 'pager', opsgenie_configs: [{ priority: 'P1' }] }],
    };
    const after = {
      route: { receiver: 'chat', routes: [warning, critical] },
      receivers: [{ name: 'chat' }, { name: 'pager', opsgenie_configs: [{ priority: 'P2' }] }, { name: 'info', slack_configs: [{ channel: '#info' }] }],
    };
    expect(renderRouting(diffRouting(before, after), after)).toEqual([
      '- routes under `root` reordered (first match wins): `severity="critical"`, `severity="warning"` → `severity="warning"`, `severity="critical"`',
      '- receiver added: `info` (slack)',
      '- receiver `pager`: `opsgenie_configs[0].priority`: `P1` → `P2`',
    ]);
  });

  it('a scrape job inserted into a Prometheus configuration is one job added, matched by job_name', () => {
    const job = (n: string) => ({ job_name: n, static_configs: [{ targets: [`${n}:9100`] }] });
    expect(diffJson({ scrape_configs: [job('a'), job('b')] }, { scrape_configs: [job('new'), job('a'), job('b')] })).toEqual([
      { path: 'scrape_configs[job_name=new]', after: job('new') },
    ]);
  });
});
