import { diffWordsWithSpace } from 'diff';
import { el, textEl } from '../shared/dom.ts';

/** The curator's edit as a word diff against the teacher's text: removed and inserted runs as text spans. */
export function renderDiff(before: string, after: string): HTMLElement {
  const container = el('div', { class: 'text diff', 'aria-label': "Edit compared with the teacher's text" });
  for (const part of diffWordsWithSpace(before, after)) {
    if (part.added) container.appendChild(textEl('ins', part.value, { class: 'diff-ins' }));
    else if (part.removed) container.appendChild(textEl('del', part.value, { class: 'diff-del' }));
    else container.appendChild(textEl('span', part.value));
  }
  return container;
}
