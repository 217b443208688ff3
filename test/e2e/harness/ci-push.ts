/** The CI push exactly as docs/metrics.md shows it (METRICS_DOC, metrics/index.ts), to replay against a real Pushgateway. */
import { METRICS_DOC } from '../../../metrics';
import { CI_SOURCE } from '../../../metrics/ci';

/** The path and body of the documented `curl -X PUT`, with `$(date +%s)` evaluated now. */
export function documentedCiPush(): { path: string; body: string } {
  const intro = METRICS_DOC.sections?.find((s) => s.sources.includes(CI_SOURCE))?.intro ?? '';
  // The command may continue over lines ending in a backslash; the heredoc starts after it.
  const body = /<<METRICS(?:[^\n]*\\\n)*[^\n]*\n([\s\S]*?)\nMETRICS\n/.exec(intro)?.[1];
  const url = /"(http:\/\/[^"]+\/metrics\/job\/ci\/[^"]+)"/.exec(intro)?.[1];
  if (!body || !url) throw new Error('the CI section of METRICS_DOC (metrics/index.ts) no longer shows a curl push with a <<METRICS heredoc');
  return { path: new URL(url).pathname, body: body.replace(/\$\(date \+%s\)/g, String(Math.floor(Date.now() / 1000))) + '\n' };
}
