import { contentSecurityPolicy } from '../curation/html.ts';

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The statistics panel's HTML: an empty shell loading the bundled app under the same strict CSP
 * as the curation panel (nothing remote; scripts only with this render's nonce). No data is
 * written into it: the statistics arrive as a message and are drawn as text and SVG shapes.
 */
export function statsHtml(sources: { cspSource: string; scriptUri: string; styleUri: string; nonce: string }): string {
  const csp = escapeAttribute(contentSecurityPolicy(sources.cspSource, sources.nonce));
  const nonce = escapeAttribute(sources.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(sources.styleUri)}">
<title>MAPD Statistics</title>
</head>
<body>
<main id="app" aria-live="polite"><p>Loading statistics…</p></main>
<script nonce="${nonce}" src="${escapeAttribute(sources.scriptUri)}"></script>
</body>
</html>`;
}
