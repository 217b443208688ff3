/**
 * Regenerates docs/dashboards.md and the SVG wireframes in docs/dashboards/ from dashboards/.
 * `npm run docs:dashboards` writes them; `-- --check` only reports files that are out of date
 * (exit 1), which CI runs through the jest suite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DASHBOARDS } from '../dashboards';
import { renderDashboardDocs } from '../lib/dashboards/docs';

export const REGENERATE = 'npm run docs:dashboards';
export const DOCS_DIR = path.join(__dirname, '..', 'docs');

/** Files that differ from what the dashboards generate (relative to docs/), and stale wireframes to delete. */
export function outOfDate(docsDir = DOCS_DIR): { changed: string[]; stale: string[] } {
  const files = renderDashboardDocs(DASHBOARDS, REGENERATE);
  const changed = [...files]
    .filter(([rel, text]) => !fs.existsSync(path.join(docsDir, rel)) || fs.readFileSync(path.join(docsDir, rel), 'utf8') !== text)
    .map(([rel]) => rel);
  const svgDir = path.join(docsDir, 'dashboards');
  const stale = fs.existsSync(svgDir)
    ? fs
        .readdirSync(svgDir)
        .filter((f) => f.endsWith('.svg') && !files.has(`dashboards/${f}`))
        .map((f) => `dashboards/${f}`)
    : [];
  return { changed, stale };
}

export function write(docsDir = DOCS_DIR): string[] {
  const files = renderDashboardDocs(DASHBOARDS, REGENERATE);
  fs.mkdirSync(path.join(docsDir, 'dashboards'), { recursive: true });
  const { stale } = outOfDate(docsDir);
  for (const rel of stale) fs.rmSync(path.join(docsDir, rel));
  for (const [rel, text] of files) fs.writeFileSync(path.join(docsDir, rel), text);
  return [...files.keys()];
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const { changed, stale } = outOfDate();
    if (changed.length || stale.length) {
      process.stderr.write(`out of date: ${[...changed, ...stale].map((f) => `docs/${f}`).join(', ')}; run ${REGENERATE}\n`);
      process.exitCode = 1;
    }
  } else {
    const written = write();
    process.stdout.write(`wrote ${written.length} files under docs/\n`);
  }
}
