import { el } from '../shared/dom.ts';

/**
 * Every key of the panel, as the `?` overlay lists them. The single keys are the defaults of
 * package.json's keybindings (a test keeps the two in step); rebinding one in Keyboard Shortcuts
 * changes the key but not this list, which says so.
 */
export const KEY_HELP: readonly (readonly [keys: string, action: string])[] = [
  ['a', 'accept the focused item'],
  ['x', 'reject the focused item'],
  ['e', 'edit the focused item inline'],
  ['Ctrl+Enter', 'save the edit'],
  ['Esc', 'leave the edit box, the search field or this list'],
  ['u', 'undo the latest decision (repeatable, across mistakes)'],
  ['j / k', 'next / previous mistake'],
  ['n', 'next undecided mistake'],
  ['1 – 9', 'focus item n (critiques first, then rationales)'],
  ['r', "show / hide the reviewers' texts"],
  ['m', 'show the text as written / rendered (Markdown and math)'],
  ['b', 'blind mode on / off (peer verdicts hidden until you decide)'],
  ['o / Shift+O', 'next / previous queue order (problem, reviewers disagree, threshold, answers disagree, wrong steps)'],
  ['/', "search the mistakes' text"],
  ['Shift+B', 'bulk-accept the agreed top critiques'],
  ['?', 'show this list'],
];

export interface Help {
  element: HTMLElement;
  isOpen(): boolean;
  open(): void;
  close(): void;
}

/** The `?` overlay: a dialog listing every key; Esc or its Close button closes it. */
export function buildHelp(closed: () => void): Help {
  const close = el('button', { type: 'button', id: 'help-close', class: 'secondary' }, 'Close (Esc)');
  const rows = KEY_HELP.map(([keys, action]) =>
    el('tr', {}, el('th', { scope: 'row' }, ...keys.split(' ').map((part) => (/^[/–]$/.test(part) ? ` ${part} ` : el('kbd', {}, part)))), el('td', {}, action)),
  );
  const element = el(
    'div',
    { id: 'help', class: 'help', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'help-title', tabindex: '-1', hidden: true },
    el(
      'div',
      { class: 'help-box' },
      el('h2', { id: 'help-title' }, 'Keys'),
      el('table', { class: 'help-keys' }, el('tbody', {}, ...rows)),
      el('p', { class: 'muted' }, 'The single keys are VS Code keybindings: rebind them in Keyboard Shortcuts (search "MAPD: Curation").'),
      close,
    ),
  );
  const help: Help = {
    element,
    isOpen: () => !element.hidden,
    open() {
      element.hidden = false;
      close.focus();
    },
    close() {
      if (element.hidden) return;
      element.hidden = true;
      closed();
    },
  };
  close.addEventListener('click', () => help.close());
  element.addEventListener('click', (event) => {
    if (event.target === element) help.close();
  });
  return help;
}
