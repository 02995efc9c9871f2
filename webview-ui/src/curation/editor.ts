import type { ItemView } from '../../../src/protocol/curation.ts';
import { el } from '../shared/dom.ts';

export interface EditBoxHooks {
  /** The box opened or closed: the host keeps the `mapd.curation.editing` context key. */
  editing(active: boolean): void;
  /** The box closed by the user: the new text to save, or null for cancel. */
  closed(outputId: number, text: string | null): void;
  notify(message: string, level: 'info' | 'error'): void;
}

/** The inline edit box: at most one open, in place of the focused card's text. */
export interface EditBox {
  isOpen(): boolean;
  /** The output being edited, or null. */
  outputId(): number | null;
  isField(target: EventTarget | null): boolean;
  focus(): void;
  open(item: ItemView, card: HTMLElement): void;
  /** Save (Ctrl+Enter) or cancel (Esc); an empty save stays open with an error. */
  close(save: boolean): void;
  /** Esc: cancel at once when nothing changed; otherwise the first asks, the second discards. */
  escape(): void;
  /** Any other key after the question: back to editing; true when the question was showing. */
  keepEditing(): boolean;
  /** Forget the box without acting: the mistake it was on is no longer shown. */
  closeQuietly(): void;
}

export function createEditBox(hooks: EditBoxHooks): EditBox {
  let editing: { outputId: number; textarea: HTMLTextAreaElement; original: string; discard: HTMLElement } | null = null;

  const closeQuietly = (): void => {
    if (!editing) return;
    editing = null;
    hooks.editing(false);
  };

  const box: EditBox = {
    isOpen: () => editing !== null,
    outputId: () => editing?.outputId ?? null,
    isField: (target) => editing !== null && target === editing.textarea,
    focus: () => editing?.textarea.focus(),
    open(item, card) {
      if (editing) return editing.textarea.focus();
      const textarea = el('textarea', { class: 'edit-text', 'aria-label': `Edit the ${item.kind} by ${item.teacher}`, spellcheck: 'true', rows: '12' });
      textarea.value = item.editedText ?? item.text;
      const save = el('button', { type: 'button', class: 'primary', 'aria-label': 'Save the edit', 'aria-keyshortcuts': 'Control+Enter' }, 'Save');
      const cancel = el('button', { type: 'button', class: 'secondary', 'aria-label': 'Cancel the edit', 'aria-keyshortcuts': 'Escape' }, 'Cancel');
      const discard = el('div', { class: 'edit-discard', role: 'alert', hidden: true }, 'Discard your changes? Esc again discards · Enter keeps editing');
      const actions = el('div', { class: 'edit-actions' }, save, cancel, el('span', { class: 'muted' }, 'Ctrl+Enter saves · Esc cancels'));
      const container = el('div', { class: 'edit-box' }, textarea, discard, actions);
      save.addEventListener('click', () => box.close(true));
      cancel.addEventListener('click', () => box.close(false));
      card.querySelector('.text')?.replaceWith(container);
      editing = { outputId: item.outputId, textarea, original: textarea.value, discard };
      textarea.focus({ preventScroll: true });
      // Open in view with Save and Cancel on screen, not at the window's bottom edge.
      container.scrollIntoView({ block: 'nearest' });
      actions.scrollIntoView({ block: 'nearest' });
      hooks.editing(true);
    },
    escape() {
      if (!editing) return;
      const { textarea, original, discard } = editing;
      // A changed edit is not thrown away on one key: the first Esc asks, a second discards.
      if (textarea.value !== original && discard.hidden) {
        discard.hidden = false;
        discard.scrollIntoView({ block: 'nearest' });
        return;
      }
      box.close(false);
    },
    keepEditing() {
      if (!editing || editing.discard.hidden) return false;
      editing.discard.hidden = true;
      return true;
    },
    close(save) {
      if (!editing) return;
      const { outputId, textarea } = editing;
      const text = textarea.value;
      if (save && text.trim() === '') {
        hooks.notify('An edit needs some text. Esc cancels the edit.', 'error');
        return;
      }
      closeQuietly();
      hooks.closed(outputId, save ? text : null);
    },
    closeQuietly,
  };
  return box;
}
