import type { CuratedKind, HostMessage, ItemView, MistakeFilter, MistakeView, NavLinks, PanelCommand, Position, Progress, StatusFilter, WebviewMessage } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER, STATUS_FILTERS, parseHostMessage } from '../../../src/protocol/curation.ts';
import { el, isEditable } from './dom.ts';
import { allItems, renderMistake } from './render.ts';
import type { Shell } from './shell.ts';
import { buildShell } from './shell.ts';
import type { SavedState } from './vscodeApi.ts';

/** How the app talks to its host; main.ts wires it to acquireVsCodeApi. */
export interface HostLink {
  post(message: WebviewMessage): void;
  load(): SavedState;
  save(state: SavedState): void;
}

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request as the app writes it; send() numbers it. */
type Request = OmitEach<Extract<WebviewMessage, { requestId: number }>, 'requestId'>;

interface Editor {
  outputId: number;
  textarea: HTMLTextAreaElement;
}

const NEIGHBOUR_CACHE = 64;
const NOTICE_MS = 5000;

/**
 * The curation panel in the browser: renders what the host sends, turns commands into requests,
 * and paints the next mistake at once from what the host prefetched. It keeps no data that
 * matters: the store (through the host) is the source of truth; getState keeps only where the
 * user was.
 */
export function startApp(parent: HTMLElement, host: HostLink): void {
  const shell: Shell = buildShell(parent);
  const saved = host.load();
  let view: MistakeView | null = null;
  let position: Position = { index: -1, matching: 0 };
  let progress: Progress = { settled: 0, total: 0 };
  let filter: MistakeFilter = { ...EMPTY_FILTER };
  let teachers: string[] = [];
  /** Null right after an instant navigation, until the host says where the keys lead from here. */
  let links: NavLinks | null = null;
  const cache = new Map<number, MistakeView>();
  let focus = 0;
  let showReviews = false;
  const pending = new Set<number>();
  let editor: Editor | null = null;
  let lastRequestId = 0;
  let bulk: { kind: CuratedKind; count: number; requestId: number } | null = null;
  let restoreFocus: SavedState | null = saved;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  let ignoredMessages = 0;

  const send = (request: Request): number => {
    lastRequestId++;
    host.post({ ...request, requestId: lastRequestId } as WebviewMessage);
    return lastRequestId;
  };

  const remember = (mistake: MistakeView): void => {
    cache.delete(mistake.problemId);
    cache.set(mistake.problemId, mistake);
    if (cache.size > NEIGHBOUR_CACHE) cache.delete(cache.keys().next().value as number);
  };

  const persist = (): void => host.save({ problemId: view?.problemId ?? null, focus });

  // ---- rendering ---------------------------------------------------------------------------

  const renderHeader = (): void => {
    shell.title.textContent = view ? `Mistake ${view.sourceId}` : 'MAPD Curation';
    shell.position.textContent = view === null ? '' : position.index >= 0 ? `${position.index + 1} of ${position.matching} shown` : `not in the ${position.matching} shown`;
    shell.progress.textContent = `${progress.settled} of ${progress.total} mistakes settled`;
    shell.buttons.previous.disabled = links !== null && links.previous === null;
    shell.buttons.next.disabled = links !== null && links.next === null;
    shell.buttons.nextUndecided.disabled = links !== null && links.nextUndecided === null;
  };

  const focusedCard = (): HTMLElement | null => shell.mistake.querySelector<HTMLElement>(`.item[data-index="${focus}"]`);

  const render = (): void => {
    renderHeader();
    if (!view) {
      shell.mistake.replaceChildren();
      shell.mistake.hidden = true;
      shell.empty.hidden = false;
      return;
    }
    shell.mistake.hidden = false;
    shell.empty.hidden = true;
    renderMistake(shell.mistake, view, { focus, showReviews, pending });
    shell.root.classList.toggle('show-reviews', showReviews);
    const card = focusedCard();
    if (card && document.activeElement !== shell.filters.search && !isEditable(document.activeElement)) card.focus({ preventScroll: true });
    card?.scrollIntoView({ block: 'nearest' });
  };

  const setFocus = (index: number): void => {
    if (!view) return;
    const count = allItems(view).length;
    if (count === 0) return;
    focus = Math.max(0, Math.min(index, count - 1));
    for (const card of shell.mistake.querySelectorAll<HTMLElement>('.item')) {
      const on = card.dataset.index === String(focus);
      card.classList.toggle('focused', on);
      if (on) card.setAttribute('aria-current', 'true');
      else card.removeAttribute('aria-current');
    }
    const card = focusedCard();
    card?.focus({ preventScroll: true });
    card?.scrollIntoView({ block: 'nearest' });
    persist();
  };

  /** The first undecided item of the first kind that is not settled: where the next decision is due. */
  const dueFocus = (mistake: MistakeView): number => {
    const settled = (items: ItemView[]): boolean => items.some((i) => i.decision === 'accepted') || (items.length > 0 && items.every((i) => i.decision === 'rejected'));
    const firstOpen = (items: ItemView[]): number => Math.max(0, items.findIndex((i) => i.decision === 'undecided'));
    if (mistake.critiques.length > 0 && !settled(mistake.critiques)) return firstOpen(mistake.critiques);
    if (mistake.rationales.length > 0 && !settled(mistake.rationales)) return mistake.critiques.length + firstOpen(mistake.rationales);
    return -1;
  };

  const display = (mistake: MistakeView | null, focusIndex: number | null): void => {
    const changed = mistake?.problemId !== view?.problemId;
    view = mistake;
    if (changed) closeEditorQuietly();
    if (mistake) {
      const due = dueFocus(mistake);
      focus = focusIndex ?? (changed ? Math.max(0, due) : focus);
      focus = Math.max(0, Math.min(focus, allItems(mistake).length - 1));
    }
    render();
    persist();
  };

  // ---- notices -------------------------------------------------------------------------------

  const notify = (message: string, level: 'info' | 'error' = 'info'): void => {
    shell.notice.textContent = message;
    shell.notice.className = `notice ${level}`;
    shell.notice.setAttribute('role', level === 'error' ? 'alert' : 'status');
    shell.notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => (shell.notice.hidden = true), NOTICE_MS);
  };

  // ---- decisions -----------------------------------------------------------------------------

  const decide = (action: 'accept' | 'reject' | 'edit', text: string | null = null): void => {
    if (!view) return;
    const item = allItems(view)[focus];
    if (!item) return;
    // Shown at once; the host's answer (after the store has it) replaces it.
    if (action === 'accept') item.decision = 'accepted';
    else if (action === 'reject') item.decision = 'rejected';
    else {
      item.decision = 'accepted';
      item.editedText = text;
      item.editedGrade = null;
    }
    pending.add(item.outputId);
    send({ type: 'decide', problemId: view.problemId, outputId: item.outputId, action, text });
    // After accept or reject the focus moves to where the next decision is due; after an edit it
    // stays, so the diff and the answer check are in view.
    const due = action === 'edit' ? -1 : dueFocus(view);
    if (due >= 0) focus = due;
    render();
    persist();
  };

  // ---- the edit box --------------------------------------------------------------------------

  const openEditor = (): void => {
    if (!view) return;
    if (editor) {
      editor.textarea.focus();
      return;
    }
    const item = allItems(view)[focus];
    const card = focusedCard();
    if (!item || !card) return;
    const textarea = el('textarea', { class: 'edit-text', 'aria-label': `Edit the ${item.kind} by ${item.teacher}`, spellcheck: 'true', rows: '12' });
    textarea.value = item.editedText ?? item.text;
    const save = el('button', { type: 'button', class: 'primary', 'aria-label': 'Save the edit', 'aria-keyshortcuts': 'Control+Enter' }, 'Save');
    const cancel = el('button', { type: 'button', class: 'secondary', 'aria-label': 'Cancel the edit', 'aria-keyshortcuts': 'Escape' }, 'Cancel');
    const box = el('div', { class: 'edit-box' }, textarea, el('div', { class: 'edit-actions' }, save, cancel, el('span', { class: 'muted' }, 'Ctrl+Enter saves · Esc cancels')));
    save.addEventListener('click', () => closeEditor(true));
    cancel.addEventListener('click', () => closeEditor(false));
    card.querySelector('.text')?.replaceWith(box);
    editor = { outputId: item.outputId, textarea };
    textarea.focus();
    host.post({ type: 'editing', active: true });
  };

  function closeEditorQuietly(): void {
    if (!editor) return;
    editor = null;
    host.post({ type: 'editing', active: false });
  }

  const closeEditor = (saveEdit: boolean): void => {
    if (!editor || !view) return;
    const { outputId, textarea } = editor;
    const item = allItems(view).find((i) => i.outputId === outputId);
    const text = textarea.value;
    if (saveEdit && text.trim() === '') {
      notify('An edit needs some text. Esc cancels the edit.', 'error');
      return;
    }
    closeEditorQuietly();
    const index = item ? allItems(view).indexOf(item) : focus;
    focus = index;
    if (saveEdit && item && text !== (item.editedText ?? item.text)) decide('edit', text);
    else render();
    shell.mistake.querySelector<HTMLElement>(`.item[data-output-id="${outputId}"]`)?.focus({ preventScroll: true });
  };

  // ---- navigation ----------------------------------------------------------------------------

  const navigate = (kind: 'next' | 'previous' | 'nextUndecided'): void => {
    if (!view) {
      send({ type: 'navigate', target: { kind: 'first' } });
      return;
    }
    const target = links ? links[kind] : undefined;
    if (target === null) {
      notify(kind === 'previous' ? 'This is the first mistake shown.' : kind === 'next' ? 'This is the last mistake shown.' : 'No undecided mistake left here.');
      return;
    }
    const cached = target === undefined ? undefined : cache.get(target);
    if (target !== undefined && cached) {
      send({ type: 'navigate', target: { kind: 'problem', problemId: target } });
      if (position.index >= 0 && kind !== 'nextUndecided') position = { ...position, index: position.index + (kind === 'next' ? 1 : -1) };
      links = null;
      display(cached, null);
      return;
    }
    send({ type: 'navigate', target: { kind, from: view.problemId } });
  };

  // ---- filters -------------------------------------------------------------------------------

  const readFilter = (): MistakeFilter => {
    const number = (input: HTMLInputElement): number | null => (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber);
    const status = shell.filters.status.value as StatusFilter;
    return {
      status: STATUS_FILTERS.includes(status) ? status : 'all',
      teacher: shell.filters.teacher.value === '' ? null : shell.filters.teacher.value,
      scoreMin: number(shell.filters.scoreMin),
      scoreMax: number(shell.filters.scoreMax),
      mismatchOnly: shell.filters.mismatch.checked,
      search: shell.filters.search.value.slice(0, 500),
    };
  };

  const applyFilter = (): void => {
    const next = readFilter();
    if (JSON.stringify(next) === JSON.stringify(filter)) return;
    filter = next;
    send({ type: 'setFilter', filter: next, from: view?.problemId ?? null });
  };

  const showFilter = (): void => {
    const f = shell.filters;
    const known = new Set(Array.from(f.teacher.options, (o) => o.value));
    if (teachers.some((t) => !known.has(t)) || known.size !== teachers.length + 1) {
      f.teacher.replaceChildren(el('option', { value: '' }, 'Any teacher'), ...teachers.map((t) => el('option', { value: t }, t)));
    }
    if (document.activeElement !== f.status) f.status.value = filter.status;
    if (document.activeElement !== f.teacher) f.teacher.value = filter.teacher ?? '';
    if (document.activeElement !== f.scoreMin) f.scoreMin.value = filter.scoreMin === null ? '' : String(filter.scoreMin);
    if (document.activeElement !== f.scoreMax) f.scoreMax.value = filter.scoreMax === null ? '' : String(filter.scoreMax);
    f.mismatch.checked = filter.mismatchOnly;
    if (document.activeElement !== f.search) f.search.value = filter.search;
  };

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  shell.filters.form.addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilter();
  });
  shell.filters.form.addEventListener('change', applyFilter);
  shell.filters.search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applyFilter, 250);
  });

  // ---- bulk action ---------------------------------------------------------------------------

  const askBulk = (kind: CuratedKind): void => {
    bulk = { kind, count: -1, requestId: send({ type: 'bulkPreview', kind }) };
  };

  const hideConfirm = (): void => {
    bulk = null;
    shell.confirm.box.hidden = true;
    focusedCard()?.focus({ preventScroll: true });
  };

  shell.confirm.ok.addEventListener('click', () => {
    if (!bulk || bulk.count <= 0) return hideConfirm();
    send({ type: 'bulkApply', kind: bulk.kind, expectedCount: bulk.count });
    hideConfirm();
  });
  shell.confirm.cancel.addEventListener('click', hideConfirm);

  // ---- commands (from VS Code keybindings through the host, and from the toolbar) -------------

  const run = (command: PanelCommand, index: number | null): void => {
    if (editor) {
      // Typing in the edit box never triggers an action; Esc or Ctrl+Enter leave it.
      if (command === 'edit') editor.textarea.focus();
      return;
    }
    if (!shell.confirm.box.hidden && command !== 'bulkAccept') hideConfirm();
    switch (command) {
      case 'accept':
        return decide('accept');
      case 'reject':
        return decide('reject');
      case 'edit':
        return openEditor();
      case 'undo':
        send({ type: 'undo' });
        return;
      case 'next':
      case 'previous':
      case 'nextUndecided':
        return navigate(command);
      case 'toggleReviews':
        showReviews = !showReviews;
        shell.buttons.reviews.setAttribute('aria-pressed', String(showReviews));
        return render();
      case 'focusItem':
        return setFocus((index ?? 1) - 1);
      case 'search':
        shell.filters.search.focus();
        shell.filters.search.select();
        return;
      case 'bulkAccept':
        return askBulk('critique');
    }
  };

  const click = (button: HTMLButtonElement, command: PanelCommand): void => button.addEventListener('click', () => run(command, null));
  click(shell.buttons.previous, 'previous');
  click(shell.buttons.next, 'next');
  click(shell.buttons.nextUndecided, 'nextUndecided');
  click(shell.buttons.undo, 'undo');
  click(shell.buttons.reviews, 'toggleReviews');
  shell.buttons.bulkCritiques.addEventListener('click', () => askBulk('critique'));
  shell.buttons.bulkRationales.addEventListener('click', () => askBulk('rationale'));
  shell.mistake.addEventListener('click', (event) => {
    const card = (event.target as HTMLElement | null)?.closest<HTMLElement>('.item');
    if (card?.dataset.index && !editor) setFocus(Number(card.dataset.index));
  });

  // ---- keys typed into fields ----------------------------------------------------------------
  // Action keys are VS Code keybindings (VS Code's webview frame forwards key presses to the
  // workbench). Keys typed into the edit box or a filter field stop here, so the workbench never
  // sees them and they never trigger an action; Esc and Ctrl+Enter are handled here.
  // Ctrl+A stays here too: the field selects its text at once, while the workbench's Select All
  // would come back a round trip later and select (then replace) what was typed in between.
  const keptInField = (event: KeyboardEvent): boolean => !event.altKey && (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() === 'a');
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (editor && target === editor.textarea) {
      const handled = event.key === 'Escape' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey));
      if (handled) {
        event.preventDefault();
        closeEditor(event.key !== 'Escape');
      }
      if (handled || keptInField(event)) event.stopPropagation();
      return;
    }
    if (!shell.confirm.box.hidden && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hideConfirm();
      return;
    }
    if (isEditable(target)) {
      if (event.key === 'Escape') {
        event.preventDefault();
        (target as HTMLElement).blur();
        focusedCard()?.focus({ preventScroll: true });
      }
      if (keptInField(event)) event.stopPropagation();
    }
  });
  document.addEventListener('focusin', (event) => {
    if (isEditable(event.target) && event.target !== editor?.textarea) host.post({ type: 'editing', active: true });
  });
  document.addEventListener('focusout', (event) => {
    if (isEditable(event.target) && event.target !== editor?.textarea) host.post({ type: 'editing', active: false });
  });

  // ---- messages from the host ----------------------------------------------------------------

  const onShow = (message: Extract<HostMessage, { type: 'show' }>): void => {
    for (const neighbour of message.neighbours) remember(neighbour);
    if (message.mistake) remember(message.mistake);
    // An answer to a request since superseded only feeds the cache.
    if (message.requestId !== null && message.requestId !== lastRequestId) return;
    position = message.position;
    progress = message.progress;
    filter = message.filter;
    teachers = message.teachers;
    links = message.links;
    const hadPending = pending.size > 0;
    pending.clear();
    showFilter();
    let focusIndex: number | null = null;
    if (message.mistake && message.focusOutputId !== null) {
      const at = allItems(message.mistake).findIndex((i) => i.outputId === message.focusOutputId);
      if (at >= 0) focusIndex = at;
    } else if (message.mistake && restoreFocus && restoreFocus.problemId === message.mistake.problemId) {
      focusIndex = restoreFocus.focus;
    }
    restoreFocus = null;
    if (editor && view && message.mistake?.problemId === view.problemId) {
      // Keep the open edit box: refresh the data, repaint after the edit closes.
      view = message.mistake;
      renderHeader();
      return;
    }
    // The answer to an instant navigation usually holds what is already painted: keep the DOM.
    const unchanged = !hadPending && focusIndex === null && view !== null && message.mistake !== null && view.problemId === message.mistake.problemId && JSON.stringify(view) === JSON.stringify(message.mistake);
    if (unchanged) {
      view = message.mistake;
      renderHeader();
      return;
    }
    display(message.mistake, focusIndex);
  };

  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (!message) {
      ignoredMessages++;
      document.body.dataset.ignoredMessages = String(ignoredMessages);
      return;
    }
    switch (message.type) {
      case 'show':
        return onShow(message);
      case 'command':
        return run(message.command, message.index);
      case 'notice':
        return notify(message.message);
      case 'error':
        pending.clear();
        notify(message.message, 'error');
        return;
      case 'bulkPreview': {
        if (!bulk || bulk.requestId !== message.requestId) return;
        bulk.count = message.count;
        if (message.count === 0) {
          bulk = null;
          notify(`No mistake qualifies: none has an undecided top-ranked ${message.kind} that its reviewers accept and agree on (scores within 1).`);
          return;
        }
        shell.confirm.text.textContent = `Accept the top-ranked ${message.kind} of ${message.count} mistake${message.count === 1 ? '' : 's'} whose reviewers agree (scores within 1)? One undo reverts them all.`;
        shell.confirm.ok.textContent = `Accept ${message.count}`;
        shell.confirm.box.hidden = false;
        shell.confirm.ok.focus();
        return;
      }
    }
  });

  render();
  document.body.dataset.ready = 'true';
  host.post({ type: 'ready', problemId: saved.problemId });
}
