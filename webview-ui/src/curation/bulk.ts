import type { CuratedKind, HostMessage } from '../../../src/protocol/curation.ts';
import type { Request } from './host.ts';
import type { Shell } from './shell.ts';

export interface BulkHooks {
  send(request: Request): number;
  notify(message: string): void;
  /** The confirmation closed: focus goes back to the items. */
  closed(): void;
}

/** The bulk action: ask the host for its count, show it for confirmation, then apply exactly that many. */
export interface Bulk {
  ask(kind: CuratedKind): void;
  isOpen(): boolean;
  hide(): void;
  onPreview(message: Extract<HostMessage, { type: 'bulkPreview' }>): void;
}

export function createBulk(confirm: Shell['confirm'], hooks: BulkHooks): Bulk {
  let asked: { kind: CuratedKind; count: number; requestId: number } | null = null;

  const hide = (): void => {
    asked = null;
    confirm.box.hidden = true;
    hooks.closed();
  };

  confirm.ok.addEventListener('click', () => {
    if (!asked || asked.count <= 0) return hide();
    hooks.send({ type: 'bulkApply', kind: asked.kind, expectedCount: asked.count });
    hide();
  });
  confirm.cancel.addEventListener('click', hide);

  return {
    ask(kind) {
      asked = { kind, count: -1, requestId: hooks.send({ type: 'bulkPreview', kind }) };
    },
    isOpen: () => !confirm.box.hidden,
    hide,
    onPreview(message) {
      if (!asked || asked.requestId !== message.requestId) return;
      asked.count = message.count;
      if (message.count === 0) {
        asked = null;
        hooks.notify(`No mistake qualifies: none has an undecided top-ranked ${message.kind} that its reviewers accept and agree on (scores within 1).`);
        return;
      }
      confirm.text.textContent = `Accept the top-ranked ${message.kind} of ${message.count} mistake${message.count === 1 ? '' : 's'} whose reviewers agree (scores within 1)? One undo reverts them all.`;
      confirm.ok.textContent = `Accept ${message.count}`;
      confirm.box.hidden = false;
      confirm.ok.focus();
    },
  };
}
