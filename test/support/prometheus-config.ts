/**
 * Debian's promtool is built without Kubernetes service discovery. To check the generated
 * prometheus.yml with the real parser, swap each `kubernetes_sd_configs` block for static targets
 * and point file paths at a scratch folder; relabelling, rules and alerting stay as generated.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { SERVICE_ACCOUNT_DIR } from '../../lib/components/prometheus/scrape';

export interface CheckableConfig {
  readonly dir: string;
  readonly configFile: string;
  readonly rulesDir: string;
}

/** Replaces service discovery with static targets; `targetFor(job)` gives the targets of a job. */
export function withStaticDiscovery(config: any, targetFor: (jobName: string) => string[] = () => ['127.0.0.1:9']): any {
  const copy = JSON.parse(JSON.stringify(config));
  for (const job of copy.scrape_configs ?? []) {
    if (job.kubernetes_sd_configs) {
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: targetFor(job.job_name) }];
    }
  }
  return copy;
}

/** Writes a checkable copy of a generated config and its rule files into a new scratch folder. */
export function writeCheckableConfig(configYaml: string, ruleFiles: Record<string, string>): CheckableConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promcheck-'));
  const rulesDir = path.join(dir, 'rules');
  const saDir = path.join(dir, 'serviceaccount');
  fs.mkdirSync(rulesDir);
  fs.mkdirSync(saDir);
  fs.writeFileSync(path.join(saDir, 'token'), 'test-token');
  fs.writeFileSync(path.join(saDir, 'ca.crt'), '');
  for (const [name, text] of Object.entries(ruleFiles)) fs.writeFileSync(path.join(rulesDir, name), text);
  const config = withStaticDiscovery(parse(configYaml));
  config.rule_files = (config.rule_files ?? []).map((p: string) => path.join(rulesDir, path.basename(p)));
  const text = stringify(config, { lineWidth: 0 }).split(SERVICE_ACCOUNT_DIR).join(saDir);
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, text);
  return { dir, configFile, rulesDir };
}
