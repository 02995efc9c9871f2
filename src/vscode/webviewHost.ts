import * as vscode from 'vscode';
import type { WebviewPage } from './webviewHtml.ts';
import { newNonce, webviewHtml } from './webviewHtml.ts';

/** What every panel may load: the bundled apps and the extension's media, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Points a new or restored panel at its bundled app under the strict CSP, with a fresh nonce. */
export function hostWebview(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, page: WebviewPage): void {
  const bundleUri = (file: string): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  panel.webview.options = webviewOptions(extensionUri);
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mapd.svg');
  panel.webview.html = webviewHtml(
    { cspSource: panel.webview.cspSource, scriptUri: bundleUri(`${page.bundle}.js`), styleUri: bundleUri(`${page.bundle}.css`), nonce: newNonce() },
    page,
  );
}
