import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ENVIRONMENTS, find, synth } from './support/synth';
import { amtool, describeWithTools, promtool, run } from './support/tools';
import { writeCheckableConfig } from './support/prometheus-config';

describeWithTools('the generated prometheus.yml passes promtool check config', [promtool], () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    const { stack, objects } = synth(env);
    const yaml = find(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml'];
    const { configFile } = writeCheckableConfig(yaml, stack.prometheus.ruleFileData());
    const r = run(promtool.path!, ['check', 'config', configFile]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });
});

describeWithTools('the generated alertmanager.yml passes amtool check-config', [amtool], () => {
  it.each(ENVIRONMENTS)('%s', (env) => {
    const { objects } = synth(env);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amcheck-'));
    const file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, find(objects, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml']);
    const r = run(amtool.path!, ['check-config', file]);
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('routes a critical alert to the pager and its team in production, to the staging channel in staging', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amroute-'));
    const routeOf = (env: 'staging' | 'production', labels: string[]) => {
      const file = path.join(dir, `${env}.yml`);
      fs.writeFileSync(file, find(synth(env).objects, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml']);
      const r = run(amtool.path!, ['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
      expect(r.status).toBe(0);
      return r.stdout.trim();
    };
    expect(routeOf('production', ['severity=critical', 'team=trading', 'alertname=ServiceDown'])).toBe('oncall-pager,trading-alerts-chat');
    expect(routeOf('production', ['alertname=Watchdog', 'severity=none'])).toBe('deadmans-switch');
    expect(routeOf('staging', ['severity=critical', 'team=risk', 'alertname=ServiceDown'])).toBe('staging-channel');
    expect(parse(fs.readFileSync(path.join(dir, 'production.yml'), 'utf8')).route.receiver).toBe('devops-chat');
  });
});
