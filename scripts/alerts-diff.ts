/**
 * `npm run alerts:diff -- <git-ref>`: the alerts added, removed and changed (expression,
 * threshold, `for`, severity, production routing) between a git ref and the working tree, as
 * Markdown to paste into a pull request. The ref's tree is exported with `git archive` and its
 * rules and production profile are loaded as they were there.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { receiversFor } from '../lib/components/alertmanager-routing';
import { AlertSnapshot, diffAlerts, renderAlertDiff, snapshotAlerts } from '../lib/rules/diff';
import { alertLabels } from '../lib/rules/render';
import { AlertRule, RuleGroup } from '../lib/rules/types';

/** The alerts of the tree at `root`, with their production routes computed by that tree's own code. */
export function snapshotTree(root: string): AlertSnapshot[] {
  const alertsModule = path.join(root, 'alerts', 'index.ts');
  if (!fs.existsSync(alertsModule)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ALERT_GROUPS } = require(alertsModule) as { ALERT_GROUPS: readonly RuleGroup[] };
  const { production } = require(path.join(root, 'stacks', 'production.ts'));
  const am = require(path.join(root, 'lib', 'components', 'alertmanager.ts'));
  const config = am.renderAlertmanagerConfig(production.alerting);
  const kinds = new Map<string, string>(production.alerting.receivers.map((r: { name: string; kind: string }) => [r.name, r.kind]));
  const routeOf = (a: AlertRule) =>
    receiversFor(config, { alertname: a.alert, ...alertLabels(a) })
      .map((r) => `${r} (${kinds.get(r)})`)
      .join(', ');
  return snapshotAlerts(ALERT_GROUPS, routeOf);
}

/** Exports `ref` into a scratch folder that shares this checkout's node_modules. */
export function exportRef(repo: string, ref: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-diff-'));
  const tar = execFileSync('git', ['archive', '--format=tar', ref], { cwd: repo, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export function alertsDiff(repo: string, ref: string): string {
  const dir = exportRef(repo, ref);
  try {
    return renderAlertDiff(diffAlerts(snapshotTree(dir), snapshotTree(repo)), ref);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const ref = process.argv[2];
  if (!ref) {
    process.stderr.write('usage: npm run alerts:diff -- <git-ref>   (such as main, HEAD~1 or a commit)\n');
    process.exitCode = 2;
  } else {
    try {
      process.stdout.write(alertsDiff(path.resolve(__dirname, '..'), ref));
    } catch (err) {
      process.stderr.write(`alerts:diff failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
