import type { HostMessage, MistakeView, PanelCommand } from '../../../src/protocol/curation.ts';
import { cycleOrder, MISTAKE_ORDERS, parseHostMessage, rewriteNotice } from '../../../src/protocol/curation.ts';
import { el } from '../shared/dom.ts';
import { createBulk } from './bulk.ts';
import { createEditBox } from './editor.ts';
import { showFilter, wireFilters } from './filters.ts';
import type { HostLink } from './host.ts';
import { createSender } from './host.ts';
import { installFieldKeys } from './keys.ts';
import { createNotice } from './notice.ts';
import { buildShell } from './shell.ts';
import { createPainter } from './painter.ts';
import { warmMarkdown } from './markdown.ts';
import { allItems, describeUndo, dueFocus, flaggedAcceptWarning, initialState, missedGold, neighbourCache, toSaved } from './state.ts';

export type { HostLink } from './host.ts';

/**
 * The curation panel in the browser: renders what the host sends, turns commands into requests,
 * and paints the next mistake at once from what the host prefetched. It keeps no data that
 * matters: the store (through the host) is the source of truth; getState keeps only where the
 * user was. This function wires the parts and holds the decisions and navigation: state.ts (what
 * is shown, the neighbour cache, the focus rule), painter.ts (header, mistake, focus), editor.ts
 * (the edit box), filters.ts, bulk.ts, help.ts (the key list) and keys.ts (keys typed into fields).
 */
export function startApp(parent: HTMLElement, host: HostLink): void {
  const shell = buildShell(parent, () => painter.focusedCard()?.focus({ preventScroll: true }));
  const saved = host.load();
  const state = initialState(saved);
  const cache = neighbourCache();
  const { send, latest } = createSender(host);
  const notify = createNotice(shell.notice);
  let ignoredMessages = 0;
  /** A flagged item whose accept was asked once: a second accept on it goes through. */
  let acceptArmed: number | null = null;
  /** The pending undo request: its answer says what it undid. */
  let undoRequest: number | null = null;

  const persist = (): void => host.save(toSaved(state));

  const painter = createPainter(shell, state, persist);
  const { render, setFocus, focusedCard } = painter;

  const display = (mistake: MistakeView | null, focusIndex: number | null): void => {
    const changed = mistake?.problemId !== state.view?.problemId;
    state.view = mistake;
    if (changed) editBox.closeQuietly();
    if (mistake) {
      const due = dueFocus(mistake);
      const focus = focusIndex ?? (changed ? Math.max(0, due) : state.focus);
      state.focus = Math.max(0, Math.min(focus, allItems(mistake).length - 1));
    }
    // An item the host or the saved state points at (undo, reload) is brought into view instead.
    render(changed && focusIndex === null);
    persist();
  };

  // ---- decisions -----------------------------------------------------------------------------

  const decide = (action: 'accept' | 'reject' | 'edit', text: string | null = null): void => {
    const view = state.view;
    if (!view) return;
    const item = allItems(view)[state.focus];
    if (!item) return;
    const missed = missedGold(item);
    if (action === 'accept' && missed && acceptArmed !== item.outputId) {
      // The default export leaves such a rationale out: say so, and take the next accept as meant.
      acceptArmed = item.outputId;
      notify(flaggedAcceptWarning(missed, view.goldAnswer), 'error');
      return;
    }
    acceptArmed = null;
    // Shown at once; the host's answer (after the store has it) replaces it.
    if (action === 'accept') item.decision = 'accepted';
    else if (action === 'reject') item.decision = 'rejected';
    else {
      item.decision = 'accepted';
      item.editedText = text;
      item.editedGrade = null;
    }
    state.pending.add(item.outputId);
    send({ type: 'decide', problemId: view.problemId, outputId: item.outputId, action, text });
    // After accept or reject the focus moves to where the next decision is due; after an edit it
    // stays, so the diff and the answer check are in view.
    const due = action === 'edit' ? -1 : dueFocus(view);
    if (due >= 0) state.focus = due;
    render();
    persist();
  };

  const editBox = createEditBox({
    editing: (active) => host.post({ type: 'editing', active }),
    notify,
    closed: (outputId, text) => {
      const view = state.view;
      if (!view) return;
      const item = allItems(view).find((i) => i.outputId === outputId);
      if (item) state.focus = allItems(view).indexOf(item);
      if (text !== null && item && text !== (item.editedText ?? item.text)) {
        decide('edit', text);
        const rewrite = rewriteNotice(item.teacher, item.text, text);
        if (rewrite) notify(rewrite);
      } else render();
      shell.mistake.querySelector<HTMLElement>(`.item[data-output-id="${outputId}"]`)?.focus({ preventScroll: true });
    },
  });

  const openEditor = (): void => {
    if (!state.view) return;
    if (editBox.isOpen()) return editBox.focus();
    const item = allItems(state.view)[state.focus];
    const card = focusedCard();
    if (item && card) editBox.open(item, card);
  };

  // ---- navigation ----------------------------------------------------------------------------

  const navigate = (kind: 'next' | 'previous' | 'nextUndecided'): void => {
    if (!state.view) {
      send({ type: 'navigate', target: { kind: 'first' } });
      return;
    }
    const target = state.links ? state.links[kind] : undefined;
    if (target === null) {
      notify(
        kind === 'previous' ? 'This is the first mistake shown.' : kind === 'next' ? 'This is the last mistake shown.' : 'No undecided mistake left here.',
      );
      return;
    }
    const cached = target === undefined ? undefined : cache.get(target);
    if (target !== undefined && cached) {
      send({ type: 'navigate', target: { kind: 'problem', problemId: target } });
      const { position } = state;
      if (position.index >= 0 && kind !== 'nextUndecided') state.position = { ...position, index: position.index + (kind === 'next' ? 1 : -1) };
      state.links = null;
      display(cached, null);
      return;
    }
    send({ type: 'navigate', target: { kind, from: state.view.problemId } });
  };

  // ---- filters and the bulk action -----------------------------------------------------------

  wireFilters(
    shell.filters,
    () => state.filter,
    (filter) => {
      state.filter = filter;
      send({ type: 'setFilter', filter, from: state.view?.problemId ?? null });
    },
  );

  const bulk = createBulk(shell.confirm, {
    send,
    notify: (message) => notify(message),
    closed: () => focusedCard()?.focus({ preventScroll: true }),
  });

  // ---- commands (from VS Code keybindings through the host, and from the toolbar) -------------

  const run = (command: PanelCommand, index: number | null): void => {
    if (editBox.isOpen()) {
      // Typing in the edit box never triggers an action; Esc or Ctrl+Enter leave it.
      if (command === 'edit') editBox.focus();
      return;
    }
    if (bulk.isOpen() && command !== 'bulkAccept') bulk.hide();
    if (command !== 'accept') acceptArmed = null;
    shell.help.close();
    switch (command) {
      case 'accept':
        return decide('accept');
      case 'reject':
        return decide('reject');
      case 'edit':
        return openEditor();
      case 'undo':
        undoRequest = send({ type: 'undo' });
        return;
      case 'next':
      case 'previous':
      case 'nextUndecided':
        return navigate(command);
      case 'toggleReviews':
        state.showReviews = !state.showReviews;
        shell.buttons.reviews.setAttribute('aria-pressed', String(state.showReviews));
        return render();
      case 'toggleSource':
        state.showSource = !state.showSource;
        shell.buttons.source.setAttribute('aria-pressed', String(state.showSource));
        return render();
      case 'toggleBlind':
        send({ type: 'setBlind', blind: !state.blind });
        return;
      case 'nextOrder':
      case 'previousOrder':
        send({ type: 'setOrder', order: cycleOrder(state.order, command === 'nextOrder' ? 1 : -1) });
        return;
      case 'focusItem':
        return setFocus((index ?? 1) - 1);
      case 'search':
        shell.filters.search.focus();
        shell.filters.search.select();
        return;
      case 'bulkAccept':
        return bulk.ask('critique');
    }
  };

  const click = (button: HTMLButtonElement, command: PanelCommand): void => button.addEventListener('click', () => run(command, null));
  click(shell.buttons.previous, 'previous');
  click(shell.buttons.next, 'next');
  click(shell.buttons.nextUndecided, 'nextUndecided');
  click(shell.buttons.undo, 'undo');
  click(shell.buttons.reviews, 'toggleReviews');
  click(shell.buttons.source, 'toggleSource');
  click(shell.buttons.blind, 'toggleBlind');
  shell.buttons.bulkCritiques.addEventListener('click', () => bulk.ask('critique'));
  shell.buttons.bulkRationales.addEventListener('click', () => bulk.ask('rationale'));
  shell.buttons.help.addEventListener('click', () => shell.help.open());
  shell.mistake.addEventListener('click', (event) => {
    const target = event.target as HTMLElement | null;
    const card = target?.closest<HTMLElement>('.item');
    if (!card?.dataset.index || editBox.isOpen()) return;
    setFocus(Number(card.dataset.index));
    // A card's Accept / Reject / Edit button acts on that card, as its key would once focused.
    const action = target?.closest<HTMLButtonElement>('button[data-action]')?.dataset.action;
    if (action === 'accept' || action === 'reject' || action === 'edit') run(action, null);
  });

  installFieldKeys({
    editBox,
    confirmOpen: () => bulk.isOpen(),
    hideConfirm: () => bulk.hide(),
    help: shell.help,
    focusCard: () => focusedCard()?.focus({ preventScroll: true }),
    editing: (active) => host.post({ type: 'editing', active }),
  });

  // ---- messages from the host ----------------------------------------------------------------

  /** What an undo's answer undid, from the item as it was before (the cache still holds it). */
  const undoneSummary = (message: Extract<HostMessage, { type: 'show' }>): string | null => {
    const mistake = message.mistake;
    if (message.requestId === null || message.requestId !== undoRequest || !mistake || message.focusOutputId === null) return null;
    undoRequest = null;
    const now = allItems(mistake).find((i) => i.outputId === message.focusOutputId);
    const before = [state.view, cache.get(mistake.problemId)]
      .flatMap((v) => (v?.problemId === mistake.problemId ? allItems(v) : []))
      .find((i) => i.outputId === now?.outputId);
    return now ? describeUndo(before, now) : null;
  };

  /** Renders the prefetched neighbours' texts after the paint, one mistake per task, so a key pressed meanwhile waits for one at most. */
  let warming: ReturnType<typeof setTimeout> | undefined;
  const warmNeighbours = (neighbours: readonly MistakeView[]): void => {
    clearTimeout(warming);
    const queue = [...neighbours];
    const step = (): void => {
      const next = queue.shift();
      if (!next) return;
      warmMarkdown([
        next.question,
        ...(next.context === null ? [] : [next.context]),
        ...(next.student ? [next.student.rawOutput] : []),
        ...allItems(next).flatMap((i) => [i.text, ...i.reviews.flatMap((r) => (r.rawText === null ? [] : [r.rawText]))]),
      ]);
      warming = setTimeout(step, 0);
    };
    warming = setTimeout(step, 0);
  };

  const onShow = (message: Extract<HostMessage, { type: 'show' }>): void => {
    const undone = undoneSummary(message);
    warmNeighbours(message.neighbours);
    for (const neighbour of message.neighbours) cache.remember(neighbour);
    if (message.mistake) cache.remember(message.mistake);
    // An answer to a request since superseded only feeds the cache.
    if (message.requestId !== null && message.requestId !== latest()) return;
    state.position = message.position;
    state.progress = message.progress;
    state.filter = message.filter;
    state.teachers = message.teachers;
    state.links = message.links;
    if (state.blind !== message.blind) {
      state.blind = message.blind;
      shell.buttons.blind.setAttribute('aria-pressed', String(state.blind));
      shell.root.classList.toggle('blind', state.blind);
    }
    state.order = message.order;
    shell.order.value = state.order;
    const hadPending = state.pending.size > 0;
    state.pending.clear();
    showFilter(shell.filters, state.filter, state.teachers);
    let focusIndex: number | null = null;
    const restore = state.restoreFocus;
    if (message.mistake && message.focusOutputId !== null) {
      const at = allItems(message.mistake).findIndex((i) => i.outputId === message.focusOutputId);
      if (at >= 0) focusIndex = at;
    } else if (message.mistake && restore && restore.problemId === message.mistake.problemId) {
      focusIndex = restore.focus;
    }
    state.restoreFocus = null;
    const view = state.view;
    if (editBox.isOpen() && view && message.mistake?.problemId === view.problemId) {
      // Keep the open edit box: refresh the data, repaint after the edit closes.
      state.view = message.mistake;
      painter.header();
      return;
    }
    // The answer to an instant navigation usually holds what is already painted: keep the DOM.
    const unchanged =
      !hadPending &&
      focusIndex === null &&
      view !== null &&
      message.mistake !== null &&
      view.problemId === message.mistake.problemId &&
      JSON.stringify(view) === JSON.stringify(message.mistake);
    if (unchanged) {
      state.view = message.mistake;
      painter.header();
      return;
    }
    display(message.mistake, focusIndex);
    if (undone) notify(undone);
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
        state.pending.clear();
        notify(message.message, 'error');
        return;
      case 'bulkPreview':
        return bulk.onPreview(message);
      case 'students':
        return showStudents(message.names, message.chosen);
    }
  });

  /** The student picker: every student with mistakes, and "every student" (each problem's first wrong answer). */
  function showStudents(names: readonly string[], chosen: string | null): void {
    shell.student.replaceChildren(el('option', { value: '' }, 'Every student'), ...names.map((name) => el('option', { value: name }, `${name}'s mistakes`)));
    shell.student.value = chosen ?? '';
    shell.student.hidden = names.length < 2 && chosen === null;
  }
  shell.order.addEventListener('change', () => {
    const chosen = MISTAKE_ORDERS.find((order) => order === shell.order.value);
    if (chosen) send({ type: 'setOrder', order: chosen });
  });
  shell.student.addEventListener('change', () => {
    host.post({ type: 'chooseStudent', student: shell.student.value === '' ? null : shell.student.value });
  });

  render();
  document.body.dataset.ready = 'true';
  host.post({ type: 'ready', problemId: saved.problemId });
}
