/** What a webview gets from VS Code: declared once for every app (the function exists only inside VS Code's webview frame). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** The frame's API; VS Code allows acquiring it once per page, so it is kept. */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
