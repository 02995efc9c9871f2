import crypto from 'node:crypto';

/** A fresh nonce per render: 128 random bits, base64. */
export function newNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

export interface PageSources {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** The Content-Security-Policy of the panel: nothing remote, scripts only with this render's nonce. */
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
 * The panel's HTML: an empty shell that loads the bundled app. No data is ever written into it;
 * everything shown arrives as messages and is rendered as text.
 */
export function curationHtml(sources: PageSources): string {
  const csp = escapeAttribute(contentSecurityPolicy(sources.cspSource, sources.nonce));
  const nonce = escapeAttribute(sources.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(sources.styleUri)}">
<title>MAPD Curation</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${escapeAttribute(sources.scriptUri)}"></script>
</body>
</html>`;
}
