import type { WebviewMessage } from '../../../src/protocol/curation.ts';

/** Where the user was: the only state the webview keeps across reloads (the store holds the rest). */
export interface SavedState {
  problemId: number | null;
  focus: number;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadState(): SavedState {
  const raw = api.getState() as Partial<SavedState> | undefined | null;
  const problemId = typeof raw?.problemId === 'number' && Number.isSafeInteger(raw.problemId) && raw.problemId > 0 ? raw.problemId : null;
  const focus = typeof raw?.focus === 'number' && Number.isSafeInteger(raw.focus) && raw.focus >= 0 ? raw.focus : 0;
  return { problemId, focus };
}

export function saveState(state: SavedState): void {
  api.setState({ problemId: state.problemId, focus: state.focus });
}
