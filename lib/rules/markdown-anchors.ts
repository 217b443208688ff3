/**
 * The anchors GitHub gives the headings of a Markdown file, as github-slugger makes them: what a
 * runbook link's `#anchor` must be one of.
 */

/** The anchors GitHub gives the headings of a Markdown file, in order. */
export function markdownAnchors(markdown: string): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  const lines = markdown.split(/\r?\n/);
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    let text: string | undefined;
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) text = atx[1] ?? '';
    else if (
      line.trim() !== '' &&
      i + 1 < lines.length &&
      /^ {0,3}(=+|-+)[ \t]*$/.test(lines[i + 1]) &&
      !/^ {0,3}([-*_][ \t]*){3,}$/.test(line) &&
      !/^\s*[-*+>]/.test(line)
    ) {
      text = line.trim();
      i++;
    }
    if (text === undefined) continue;
    // As github-slugger does: a slug taken already gets the next free -1, -2, ...
    const base = githubSlug(text);
    let slug = base;
    while (seen.has(slug)) {
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      slug = `${base}-${n}`;
    }
    seen.set(slug, 0);
    out.push(slug);
  }
  return out;
}

/** GitHub's heading slug: the rendered text, lowercased, punctuation removed, spaces to "-". */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '');
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
