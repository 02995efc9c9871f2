import type { WebviewMessage } from '../../../src/protocol/curation.ts';
import type { SavedState } from './state.ts';

/** How the app talks to its host; main.ts wires it to acquireVsCodeApi. */
export interface HostLink {
  post(message: WebviewMessage): void;
  load(): SavedState;
  save(state: SavedState): void;
}

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request as the app writes it; the sender numbers it. */
export type Request = OmitEach<Extract<WebviewMessage, { requestId: number | null }>, 'requestId'>;

/** Numbers requests, so an answer to a superseded one can be told apart from the latest. */
export interface Sender {
  send(request: Request): number;
  /** The id of the latest request sent. */
  latest(): number;
}

export function createSender(host: HostLink): Sender {
  let lastRequestId = 0;
  return {
    send(request) {
      lastRequestId++;
      host.post({ ...request, requestId: lastRequestId } as WebviewMessage);
      return lastRequestId;
    },
    latest: () => lastRequestId,
  };
}
