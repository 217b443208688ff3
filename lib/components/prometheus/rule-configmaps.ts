/**
 * Rule files spread over ConfigMaps: Kubernetes refuses an object over 1 MiB, so the rule files
 * are bin-packed into ConfigMaps that each stay under RULE_CONFIGMAP_BUDGET, all mounted in the one
 * rules directory. A file too large for one ConfigMap is first split by rule group into numbered
 * files (`slos.yaml` → `slos-1.yaml`, `slos-2.yaml`, ...); a single group too large fails.
 */
import { ConfigError } from '../../core/errors';
import { ruleYaml } from './rule-yaml';

/** The most a rules ConfigMap holds (keys and values, in bytes): half the 1 MiB object limit, leaving room for metadata and growth. */
export const RULE_CONFIGMAP_BUDGET = 512 * 1024;

/** A rule file as the rules directory holds it: its name and YAML text. */
export interface RuleFileText {
  readonly fileName: string;
  readonly text: string;
}

const BYTES = new WeakMap<RuleFileText, number>();

/** What one file costs in a ConfigMap: its key and its value. */
export function entryBytes(f: RuleFileText): number {
  let n = BYTES.get(f);
  if (n === undefined) BYTES.set(f, (n = Buffer.byteLength(f.fileName) + Buffer.byteLength(f.text)));
  return n;
}

const HEADER = 'groups:\n';

const GROUP_TEXT = new WeakMap<object, string>();

/** A rule group as an item of a rule file's `groups:` list, as toYaml writes it there (once per group: a split reads it three times). */
function groupText(group: unknown): string {
  if (typeof group !== 'object' || group === null) return ruleYaml({ groups: [group] }).slice(HEADER.length);
  let text = GROUP_TEXT.get(group);
  if (text === undefined) GROUP_TEXT.set(group, (text = ruleYaml({ groups: [group] }).slice(HEADER.length)));
  return text;
}

/** A rule file's YAML text, as `toYaml(content)` writes it, built from the text of each of its groups. */
export function ruleFileText(content: unknown): string {
  const groups = (content as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups) || groups.length === 0 || Object.keys(content as object).length !== 1) return ruleYaml(content);
  return HEADER + groups.map(groupText).join('');
}

/**
 * The files one rule file becomes: itself when it fits the budget, else its groups in order, cut
 * into `<name>-1.yaml`, `<name>-2.yaml`, ... each within the budget. A single group over the
 * budget is a ConfigError naming it and its size.
 */
export function splitRuleFile(fileName: string, content: unknown, budget: number = RULE_CONFIGMAP_BUDGET): RuleFileText[] {
  // Environments that link to the same Grafana share their rule files: split and write those once.
  if (typeof content !== 'object' || content === null) return split(fileName, content, budget);
  let byName = SPLIT.get(content);
  if (!byName) SPLIT.set(content, (byName = new Map()));
  const key = `${budget} ${fileName}`;
  let parts = byName.get(key);
  if (!parts) byName.set(key, (parts = split(fileName, content, budget)));
  return parts;
}

const SPLIT = new WeakMap<object, Map<string, RuleFileText[]>>();

function split(fileName: string, content: unknown, budget: number): RuleFileText[] {
  const whole = { fileName, text: ruleFileText(content) };
  if (entryBytes(whole) <= budget) return [whole];
  const groups = (content as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) {
    throw new ConfigError(
      `prometheus rule file "${fileName}"`,
      'size',
      `${entryBytes(whole)} bytes`,
      `keep it under ${budget} bytes, or give it rule groups so it can be split`,
    );
  }
  const base = fileName.replace(/\.ya?ml$/, '');
  // The longest name a part gets, so every part's key is counted at its full length.
  const keyBytes = Buffer.byteLength(`${base}-${groups.length}.yaml`);
  const chunks: unknown[][] = [];
  let current: unknown[] = [];
  let size = keyBytes + HEADER.length;
  for (const g of groups) {
    const bytes = Buffer.byteLength(groupText(g));
    if (keyBytes + HEADER.length + bytes > budget) {
      const name = (g as { name?: unknown }).name;
      throw new ConfigError(
        `prometheus rule group "${String(name)}" of ${fileName}`,
        'size',
        `${bytes} bytes`,
        `a rule group must fit in one rules ConfigMap (${budget} bytes): split the group into several groups`,
      );
    }
    if (current.length && size + bytes > budget) {
      chunks.push(current);
      current = [];
      size = keyBytes + HEADER.length;
    }
    current.push(g);
    size += bytes;
  }
  if (current.length) chunks.push(current);
  return chunks.map((c, i) => ({ fileName: `${base}-${i + 1}.yaml`, text: HEADER + c.map(groupText).join('') }));
}

/**
 * Rule files packed into as few ConfigMaps as first-fit decreasing finds, each within the budget:
 * the largest files first, ties by name; each ConfigMap's files sorted by name. The same files
 * always give the same packing. A file over the budget is a ConfigError (split it first).
 */
export function packRuleFiles(files: readonly RuleFileText[], budget: number = RULE_CONFIGMAP_BUDGET): RuleFileText[][] {
  const sized = files.map((f) => ({ f, bytes: entryBytes(f) }));
  sized.sort((a, b) => b.bytes - a.bytes || (a.f.fileName < b.f.fileName ? -1 : a.f.fileName > b.f.fileName ? 1 : 0));
  const bins: Array<{ files: RuleFileText[]; bytes: number }> = [];
  for (const { f, bytes } of sized) {
    if (bytes > budget) {
      throw new ConfigError(
        `prometheus rule file "${f.fileName}"`,
        'size',
        `${bytes} bytes`,
        `keep each rule file under ${budget} bytes: split it by rule group`,
      );
    }
    const bin = bins.find((b) => b.bytes + bytes <= budget);
    if (bin) {
      bin.files.push(f);
      bin.bytes += bytes;
    } else bins.push({ files: [f], bytes });
  }
  return bins.map((b) => [...b.files].sort((x, y) => (x.fileName < y.fileName ? -1 : x.fileName > y.fileName ? 1 : 0)));
}

/** The name of the n-th rules ConfigMap (from 0): `<base>` for the first, `<base>-2`, `<base>-3`, ... after it. */
export function ruleConfigMapName(base: string, index: number): string {
  return index === 0 ? base : `${base}-${index + 1}`;
}
