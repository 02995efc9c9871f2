import { isEditable } from '../shared/dom.ts';
import { highlightWords, searchWords } from './highlight.ts';
import { renderMistake } from './render.ts';
import type { Shell } from './shell.ts';
import type { PanelState } from './state.ts';
import { allItems } from './state.ts';

/** Paints the panel state into the shell: header, the mistake, the focused card. */
export interface Painter {
  header(): void;
  /** `fromTop`: a new mistake opens scrolled to the top (question and gold answer first), whatever the last one's scroll was. */
  render(fromTop?: boolean): void;
  /** Moves the focus to item `index` (clamped) without rebuilding the mistake. */
  setFocus(index: number): void;
  focusedCard(): HTMLElement | null;
}

export function createPainter(shell: Shell, state: PanelState, persist: () => void): Painter {
  const focusedCard = (): HTMLElement | null => shell.mistake.querySelector<HTMLElement>(`.item[data-index="${state.focus}"]`);

  const header = (): void => {
    const { view, position, progress, links } = state;
    shell.title.textContent = view ? `Mistake ${view.sourceId}` : 'MAPD Curation';
    shell.position.textContent =
      view === null ? '' : position.index >= 0 ? `${position.index + 1} of ${position.matching} shown` : `not in the ${position.matching} shown`;
    shell.progress.textContent = `${progress.settled} of ${progress.total} mistakes settled`;
    shell.buttons.previous.disabled = links !== null && links.previous === null;
    shell.buttons.next.disabled = links !== null && links.next === null;
    shell.buttons.nextUndecided.disabled = links !== null && links.nextUndecided === null;
  };

  return {
    header,
    focusedCard,
    render(fromTop = false) {
      header();
      if (!state.view) {
        shell.mistake.replaceChildren();
        shell.mistake.hidden = true;
        shell.empty.hidden = false;
        return;
      }
      shell.mistake.hidden = false;
      shell.empty.hidden = true;
      renderMistake(shell.mistake, state.view, { focus: state.focus, showReviews: state.showReviews, showSource: state.showSource, pending: state.pending });
      highlightWords(shell.mistake, searchWords(state.filter.search));
      shell.root.classList.toggle('show-reviews', state.showReviews);
      const card = focusedCard();
      if (card && document.activeElement !== shell.filters.search && !isEditable(document.activeElement)) card.focus({ preventScroll: true });
      if (fromTop) window.scrollTo(0, 0);
      else card?.scrollIntoView({ block: 'nearest' });
    },
    setFocus(index) {
      if (!state.view) return;
      const count = allItems(state.view).length;
      if (count === 0) return;
      state.focus = Math.max(0, Math.min(index, count - 1));
      for (const card of shell.mistake.querySelectorAll<HTMLElement>('.item')) {
        const on = card.dataset.index === String(state.focus);
        card.classList.toggle('focused', on);
        if (on) card.setAttribute('aria-current', 'true');
        else card.removeAttribute('aria-current');
      }
      const card = focusedCard();
      card?.focus({ preventScroll: true });
      card?.scrollIntoView({ block: 'nearest' });
      persist();
    },
  };
}
