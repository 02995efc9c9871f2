import crypto from 'node:crypto';

/** A fresh nonce per render: 128 random bits, base64. */
export function newNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

/** Where one render of a page loads from; the URIs are already webview URIs. */
export interface PageSources {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** One webview app: its bundle in dist/webview (<bundle>.js and .css) and its static page. */
export interface WebviewPage {
  bundle: string;
  title: string;
  /** Fixed markup written by us (never data): the element the app renders into. */
  body: string;
}

/*
 * The two pages, beside the shell that renders them (not in their panel files: the unit and
 * webview tests load them without VS Code).
 */

/** The curation app builds its whole page from messages. */
export const CURATION_PAGE: WebviewPage = { bundle: 'curation', title: 'MAPD Curation', body: '<div id="app"></div>' };

/** The statistics arrive as a message and are drawn as text and SVG shapes. */
export const STATS_PAGE: WebviewPage = {
  bundle: 'stats',
  title: 'MAPD Statistics',
  body: '<main id="app" aria-live="polite"><p>Loading statistics…</p></main>',
};

/** The Content-Security-Policy of every panel: nothing remote, scripts only with this render's nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A panel's HTML: an empty shell that loads the bundled app. No data is ever written into it;
 * everything shown arrives as messages and is rendered as text.
 */
export function webviewHtml(sources: PageSources, page: WebviewPage): string {
  const csp = escapeAttribute(contentSecurityPolicy(sources.cspSource, sources.nonce));
  const nonce = escapeAttribute(sources.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(sources.styleUri)}">
<title>${page.title}</title>
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${escapeAttribute(sources.scriptUri)}"></script>
</body>
</html>`;
}
