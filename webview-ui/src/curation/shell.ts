import { el } from '../shared/dom.ts';
import type { Help } from './help.ts';
import { buildHelp } from './help.ts';
import { MISTAKE_ORDERS, ORDER_LABELS } from '../../../src/protocol/curation.ts';

/** The panel's fixed frame, built once: header, toolbar, filters, messages, and the mistake area. */
export interface Shell {
  root: HTMLElement;
  title: HTMLElement;
  position: HTMLElement;
  progress: HTMLElement;
  /** Whose mistakes: shown when the project has more than one student with mistakes. */
  student: HTMLSelectElement;
  /** The queue's order (keys o / O): its options name the orders only, never a score (blind mode too). */
  order: HTMLSelectElement;
  buttons: Record<
    'previous' | 'next' | 'nextUndecided' | 'undo' | 'reviews' | 'source' | 'blind' | 'bulkCritiques' | 'bulkRationales' | 'help',
    HTMLButtonElement
  >;
  filters: {
    form: HTMLFormElement;
    status: HTMLSelectElement;
    teacher: HTMLSelectElement;
    scoreMin: HTMLInputElement;
    scoreMax: HTMLInputElement;
    mismatch: HTMLInputElement;
    wrongStep: HTMLInputElement;
    truncated: HTMLInputElement;
    /** The adjudication view: the team's curators decided an item differently. */
    disagree: HTMLInputElement;
    /** The mistakes .mapd/team.json assigns to this curator. */
    myQueue: HTMLInputElement;
    search: HTMLInputElement;
  };
  notice: HTMLElement;
  confirm: { box: HTMLElement; text: HTMLElement; ok: HTMLButtonElement; cancel: HTMLButtonElement };
  mistake: HTMLElement;
  empty: HTMLElement;
  help: Help;
}

function button(label: string, text: string, keys?: string): HTMLButtonElement {
  return el('button', { type: 'button', 'aria-label': label, title: keys ? `${label} (${keys})` : label, 'aria-keyshortcuts': keys }, text);
}

/** `closedHelp`: the key list closed, focus goes back to the items. */
export function buildShell(parent: HTMLElement, closedHelp: () => void): Shell {
  const title = el('h1', { id: 'title' }, 'MAPD Curation');
  const position = el('span', { id: 'position', class: 'muted' });
  const progress = el('span', { id: 'progress', role: 'status', 'aria-live': 'polite' });
  const student = el('select', { id: 'student', 'aria-label': 'Whose mistakes to curate', title: 'Whose mistakes to curate', hidden: true });
  const order = el(
    'select',
    { id: 'order', 'aria-label': 'Queue order', title: 'Queue order (O next, Shift+O previous)', 'aria-keyshortcuts': 'O Shift+O' },
    ...MISTAKE_ORDERS.map((value) => el('option', { value }, ORDER_LABELS[value])),
  );
  const buttons = {
    previous: button('Previous mistake', 'Previous', 'K'),
    next: button('Next mistake', 'Next', 'J'),
    nextUndecided: button('Next undecided mistake', 'Next undecided', 'N'),
    undo: button('Undo the last decision', 'Undo', 'U'),
    reviews: button("Show reviewers' texts", 'Reviews', 'R'),
    source: button('Show the text as written (Markdown and TeX source)', 'Source', 'M'),
    blind: button('Blind mode: peer scores, ranks and reviews hidden until you decide', 'Blind', 'B'),
    bulkCritiques: button('Accept the top critique wherever the reviewers agree…', 'Bulk-accept critiques…', 'Shift+B'),
    bulkRationales: button('Accept the top rationale wherever the reviewers agree…', 'Bulk-accept rationales…'),
    help: button('Show every key', 'Keys', '?'),
  };
  buttons.help.id = 'show-keys';
  buttons.reviews.setAttribute('aria-pressed', 'false');
  buttons.source.setAttribute('aria-pressed', 'false');
  buttons.blind.setAttribute('aria-pressed', 'false');

  const statusSelect = el(
    'select',
    { id: 'filter-status', 'aria-label': 'Decision status' },
    el('option', { value: 'all' }, 'All mistakes'),
    el('option', { value: 'undecided' }, 'Undecided'),
    el('option', { value: 'accepted' }, 'With an accepted item'),
    el('option', { value: 'rejected' }, 'With a rejected item'),
    el('option', { value: 'edited' }, 'With an edited item'),
    el('option', { value: 'gradedCorrect' }, 'Graded correct here (imported as mistakes)'),
  );
  const teacherSelect = el('select', { id: 'filter-teacher', 'aria-label': 'Teacher' }, el('option', { value: '' }, 'Any teacher'));
  const scoreMin = el('input', { id: 'filter-min', type: 'number', min: '0', max: '10', step: '0.5', placeholder: 'min', 'aria-label': 'Lowest peer score' });
  const scoreMax = el('input', { id: 'filter-max', type: 'number', min: '0', max: '10', step: '0.5', placeholder: 'max', 'aria-label': 'Highest peer score' });
  const mismatch = el('input', { id: 'filter-mismatch', type: 'checkbox' });
  const wrongStep = el('input', { id: 'filter-wrong-step', type: 'checkbox' });
  const truncated = el('input', { id: 'filter-truncated', type: 'checkbox' });
  const disagree = el('input', { id: 'filter-disagree', type: 'checkbox' });
  const myQueue = el('input', { id: 'filter-my-queue', type: 'checkbox' });
  const search = el('input', {
    id: 'filter-search',
    type: 'search',
    placeholder: 'Search text (/)',
    'aria-label': "Search the mistakes' text",
    'aria-keyshortcuts': '/',
  });
  const form = el(
    'form',
    { id: 'filters', class: 'filters', role: 'search', 'aria-label': 'Filter mistakes' },
    statusSelect,
    teacherSelect,
    el('span', { class: 'range' }, el('span', { class: 'muted' }, 'Peer score'), scoreMin, '–', scoreMax),
    el('label', { class: 'check' }, mismatch, 'Answer mismatch only'),
    el('label', { class: 'check' }, wrongStep, 'With a wrong step'),
    el('label', { class: 'check', title: "Mistakes with a critique or rationale cut at the teacher's token limit" }, truncated, 'Truncated only'),
    el(
      'label',
      { class: 'check', title: "Adjudication: every curator's decision is shown, and yours settles the item for the team" },
      disagree,
      'Curators disagree',
    ),
    el('label', { class: 'check', title: 'The mistakes .mapd/team.json assigns to you (after MAPD: Sync Decisions)' }, myQueue, 'My queue'),
    search,
  );

  const notice = el('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });
  const confirmText = el('span', { id: 'confirm-text' });
  const ok = el('button', { type: 'button', id: 'confirm-ok', class: 'primary' }, 'Accept');
  const cancel = el('button', { type: 'button', id: 'confirm-cancel', class: 'secondary' }, 'Cancel');
  const confirmBox = el(
    'div',
    { id: 'confirm', class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text', hidden: true },
    confirmText,
    ok,
    cancel,
  );
  const mistake = el('article', { id: 'mistake', 'aria-label': 'Mistake' });
  const empty = el('p', { id: 'empty', class: 'empty', hidden: true }, 'No mistake matches. Change the filters, or import teacher outputs.');
  const help = buildHelp(closedHelp);

  const root = el(
    'main',
    { id: 'curation', 'aria-label': 'MAPD Curation' },
    // Header, toolbar and message line stay on screen while the mistake scrolls under them.
    el(
      'div',
      { class: 'top', id: 'top' },
      el('header', { class: 'head' }, title, student, position, progress),
      el('nav', { class: 'toolbar', 'aria-label': 'Curation actions' }, ...Object.values(buttons), order),
      // One line of the keys a newcomer needs first; `?` lists every key.
      el('p', { id: 'key-hint', class: 'key-hint muted' }, 'a accept · x reject · e edit · j / k next / previous · n next undecided · u undo · ? every key'),
      // The message line too: what a key did (or asks) is seen wherever the mistake is scrolled.
      notice,
    ),
    form,
    confirmBox,
    mistake,
    empty,
    help.element,
  );
  parent.replaceChildren(root);
  keepScrollClearOf(root.querySelector<HTMLElement>('#top'));
  return {
    root,
    title,
    position,
    progress,
    student,
    order,
    buttons,
    filters: { form, status: statusSelect, teacher: teacherSelect, scoreMin, scoreMax, mismatch, wrongStep, truncated, disagree, myQueue, search },
    notice,
    confirm: { box: confirmBox, text: confirmText, ok, cancel },
    mistake,
    empty,
    help,
  };
}

/** Scrolling an item into view leaves it below the sticky top, whatever height the top wraps to. */
function keepScrollClearOf(top: HTMLElement | null): void {
  if (!top || typeof ResizeObserver === 'undefined') return;
  new ResizeObserver(() => {
    document.documentElement.style.scrollPaddingTop = `${top.offsetHeight + 4}px`;
  }).observe(top);
}
