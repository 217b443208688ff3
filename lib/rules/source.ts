/**
 * Where a rule group, a rule test suite or a dashboard comes from, derived from the module's own
 * path so that a renamed file never leaves a stale name behind: `moduleSource(__filename)` in
 * alerts/trading.ts is `alerts/trading.ts`, and `testedRuleSource(__filename)` in
 * alerts/trading.tests.ts is the same file.
 */
import * as path from 'node:path';
import { ConfigError } from '../core/errors';

/** This repository's root: two levels above lib/rules/. */
export const SOURCE_ROOT = path.resolve(__dirname, '..', '..');

const TESTS_SUFFIX = /\.tests(\.[cm]?[jt]s)$/;

/** The repository-relative path of a module file, with `/` separators (`alerts/trading.ts`). */
export function moduleSource(filename: string, root: string = SOURCE_ROOT): string {
  const relative = path.relative(root, path.resolve(filename));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ConfigError('source of a module', 'file', filename, `pass the __filename of a module inside ${root}`);
  }
  return relative.split(path.sep).join('/');
}

/** The rule file a test file covers: `alerts/trading.tests.ts` tests `alerts/trading.ts`. */
export function testedRuleSource(filename: string, root: string = SOURCE_ROOT): string {
  const source = moduleSource(filename, root);
  if (!TESTS_SUFFIX.test(source)) {
    throw new ConfigError('rule test source', 'file', source, 'pass the __filename of a rule test file named like alerts/trading.tests.ts');
  }
  return source.replace(TESTS_SUFFIX, '$1');
}
