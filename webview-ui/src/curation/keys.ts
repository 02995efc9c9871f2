import { isEditable } from '../shared/dom.ts';
import type { EditBox } from './editor.ts';
import type { Help } from './help.ts';

export interface FieldKeyHooks {
  editBox: EditBox;
  confirmOpen(): boolean;
  hideConfirm(): void;
  help: Help;
  /** Focus back on the focused item card (leaving a field). */
  focusCard(): void;
  /** A filter field gained or lost focus: the host keeps the `mapd.curation.editing` context key. */
  editing(active: boolean): void;
}

/**
 * Keys typed into fields. Action keys are VS Code keybindings (VS Code's webview frame forwards
 * key presses to the workbench). Keys typed into the edit box or a filter field stop here, so the
 * workbench never sees them and they never trigger an action; Esc and Ctrl+Enter are handled here.
 * Ctrl+A stays here too: the field selects its text at once, while the workbench's Select All
 * would come back a round trip later and select (then replace) what was typed in between.
 * This is the only gate: the keybindings do not wait for the `mapd.curation.editing` context key,
 * which follows the focus a host round trip late, so the focus at the moment of the key decides.
 */
export const keptInField = (event: KeyboardEvent): boolean => !event.altKey && (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() === 'a');

export function installFieldKeys(hooks: FieldKeyHooks): void {
  const { editBox } = hooks;
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (editBox.isField(target)) {
      if (event.key === 'Escape' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        event.stopPropagation();
        if (event.key === 'Escape') editBox.escape();
        else editBox.close(true);
        return;
      }
      // Any other key answers "discard your changes?" with "keep editing"; Enter only that.
      if (editBox.keepEditing() && event.key === 'Enter') event.preventDefault();
      if (keptInField(event)) event.stopPropagation();
      return;
    }
    if (hooks.help.isOpen() && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hooks.help.close();
      return;
    }
    if (hooks.confirmOpen() && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hooks.hideConfirm();
      return;
    }
    if (isEditable(target)) {
      if (event.key === 'Escape') {
        event.preventDefault();
        (target as HTMLElement).blur();
        hooks.focusCard();
      }
      if (keptInField(event)) event.stopPropagation();
      return;
    }
    // `?` opens the key list. It is the webview's own key (no command behind it, nothing to
    // rebind): the list must open wherever the keybindings are, even when one was unbound.
    if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      event.stopPropagation();
      hooks.help.open();
    }
  });
  document.addEventListener('focusin', (event) => {
    if (isEditable(event.target) && !editBox.isField(event.target)) hooks.editing(true);
  });
  document.addEventListener('focusout', (event) => {
    if (isEditable(event.target) && !editBox.isField(event.target)) hooks.editing(false);
  });
}
