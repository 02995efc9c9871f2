import type { Db } from '../../core/store/db.ts';
import { describeError, isUserError } from '../../core/errors.ts';
import type { HostMessage, MistakeView, NavLinks, WebviewMessage } from '../../protocol/curation.ts';
import { EMPTY_FILTER, parseWebviewMessage } from '../../protocol/curation.ts';
import type { CurationIndex } from '../../core/curation/mistakeIndex.ts';
import { buildIndex, rebuildIndex } from '../../core/curation/mistakeIndex.ts';
import type { FilteredList } from '../../core/curation/filters.ts';
import { filterIndex, nextId, nextUndecidedId, positionOf, previousId, updateMembership } from '../../core/curation/filters.ts';
import { mistakeView } from '../../core/curation/mistakeView.ts';
import { blindView } from '../../core/curation/blind.ts';
import { applyBulk, bulkCandidates, decide, undo } from '../../core/curation/decisions.ts';
import { studentsWithMistakes } from '../../core/store/answers.ts';

export interface SessionHooks {
  post(message: HostMessage): void;
  /** The shown mistake changed: the host syncs the tree and remembers it for a reload. */
  onShow?(problemId: number | null): void;
  /** The session wrote decisions to the store (already durable). */
  onWrite?(): void;
  /** The edit box or a filter field gained or lost focus. */
  onEditing?(active: boolean): void;
  /** The curator picked whose mistakes to curate in the panel; the host keeps the choice and reloads. */
  onChooseStudent?(student: string | null): void;
  /** The curator turned blind mode on or off in the panel: the host keeps it in the setting. */
  onBlind?(blind: boolean): void;
  log?(message: string): void;
}

export interface SessionOptions {
  curator(): string;
  /** Whose mistakes to curate (null: each problem's first wrong answer); read on every (re)build. */
  student?(): string | null;
  /** Blind mode at the start (setting mapd.curation.blind); the toolbar and key b toggle it, onBlind keeps it. */
  blind?(): boolean;
  hooks: SessionHooks;
}

export interface CurationSession {
  /**
   * The panel was opened for a problem (tree click, command argument), or for none (null): the
   * webview's next `ready` shows that problem, over the one its saved state names.
   */
  start(initialProblem: number | null): void;
  /** Validates (the one parse) and acts on one message from the webview; false when it was malformed and ignored. */
  handle(raw: unknown): boolean;
  /** Pushes a mistake to the webview (tree selection, command argument). */
  show(problemId: number | null, focusOutputId?: number | null): void;
  /** Shows a line of text in the panel (a notice): e.g. a chat agent's suggestion, for the human to confirm or not. */
  notice(message: string): void;
  /** Re-reads the project (another feature changed it) and pushes the current mistake again. */
  reload(): void;
  currentProblem(): number | null;
}

/**
 * The curation panel's message controller on the host side: it owns the in-memory index of
 * mistakes, answers the webview's requests from it and writes every decision to the store before
 * it answers. It imports no vscode (panel.ts wires it to the webview), so the Chromium harness
 * (test/webview/harness.ts) runs the real one.
 */
export function createCurationSession(db: Db, options: SessionOptions): CurationSession {
  const { hooks } = options;
  let index: CurationIndex | undefined;
  let list: FilteredList | undefined;
  let current: number | null = null;
  let initial: number | null = null;
  // A notice asked for before the webview said ready would be lost: it waits for the first show.
  let ready = false;
  let pendingNotice: string | null = null;
  let blind = options.blind?.() ?? false;
  /** When each item was first shown in this session: a decision's time is measured from there. */
  const firstShown = new Map<number, number>();

  /** The view the webview gets: in blind mode without the peer verdicts of undecided items (blind.ts). */
  const viewOf = (index: CurationIndex, problemId: number): MistakeView | null => {
    const view = mistakeView(db, index, problemId);
    return view && blind ? blindView(view) : view;
  };

  const ensure = (): { index: CurationIndex; list: FilteredList } => {
    if (!index) index = buildIndex(db, options.student?.() ?? null);
    if (!list) list = filterIndex(index, EMPTY_FILTER);
    return { index, list };
  };

  const links = (from: number | null): NavLinks => {
    const { index, list } = ensure();
    return { previous: previousId(list, from), next: nextId(list, from), nextUndecided: nextUndecidedId(list, index, from) };
  };

  const post = (problemId: number | null, requestId: number | null, focusOutputId: number | null = null): void => {
    const { index, list } = ensure();
    const shown = problemId !== null && index.byProblem.has(problemId) ? problemId : null;
    current = shown;
    const mistake = shown === null ? null : viewOf(index, shown);
    const now = Date.now();
    for (const item of mistake ? [...mistake.critiques, ...mistake.rationales] : []) if (!firstShown.has(item.outputId)) firstShown.set(item.outputId, now);
    const nav = links(shown);
    const neighbours: MistakeView[] = [];
    for (const id of new Set([nav.next, nav.previous, nav.nextUndecided])) {
      if (id === null || id === shown) continue;
      const view = viewOf(index, id);
      if (view) neighbours.push(view);
    }
    hooks.post({
      type: 'show',
      requestId,
      mistake,
      position: { index: positionOf(list, shown), matching: list.ids.length },
      progress: { settled: index.settledCount, total: index.order.length },
      filter: list.filter,
      teachers: [...index.teachers],
      links: nav,
      neighbours,
      focusOutputId,
      blind,
    });
    hooks.onShow?.(shown);
  };

  const postStudents = (): void => {
    const names = studentsWithMistakes(db);
    const chosen = options.student?.() ?? null;
    hooks.post({ type: 'students', names, chosen: chosen !== null && names.includes(chosen) ? chosen : null });
  };

  /** Where to land when no particular mistake is asked for: the first undecided, else the first. */
  const landing = (): number | null => {
    const { index, list } = ensure();
    return nextUndecidedId(list, index, null) ?? nextId(list, null);
  };

  const afterWrite = (changed: readonly number[]): void => {
    const { index, list } = ensure();
    for (const problemId of changed) updateMembership(list, index, problemId);
    hooks.onWrite?.();
  };

  const act = (message: WebviewMessage): void => {
    const { index } = ensure();
    const curator = options.curator();
    switch (message.type) {
      case 'ready': {
        const asked = initial ?? message.problemId;
        initial = null;
        post(asked !== null && index.byProblem.has(asked) ? asked : (current ?? landing()), null);
        postStudents();
        ready = true;
        if (pendingNotice !== null) hooks.post({ type: 'notice', message: pendingNotice });
        pendingNotice = null;
        return;
      }
      case 'navigate': {
        const { target } = message;
        const state = ensure();
        let to: number | null;
        if (target.kind === 'problem') to = target.problemId;
        else if (target.kind === 'first') to = nextId(state.list, null);
        else if (target.kind === 'next') to = nextId(state.list, target.from) ?? target.from;
        else if (target.kind === 'previous') to = previousId(state.list, target.from) ?? target.from;
        else to = nextUndecidedId(state.list, index, target.from) ?? target.from;
        if (to !== null && !index.byProblem.has(to)) {
          hooks.post({ type: 'error', requestId: message.requestId, message: `Problem ${to} is not a mistake in this project.` });
          to = current;
        }
        post(to, message.requestId);
        return;
      }
      case 'decide': {
        if (index.problemOfOutput.get(message.outputId) !== message.problemId) {
          hooks.post({ type: 'error', requestId: message.requestId, message: `Output ${message.outputId} does not belong to problem ${message.problemId}; the panel was refreshed.` });
          post(current, message.requestId);
          return;
        }
        // Whether the peer verdict was on screen: not for an undecided item in blind mode.
        const before = [...(index.byProblem.get(message.problemId)?.critiques ?? []), ...(index.byProblem.get(message.problemId)?.rationales ?? [])].find((i) => i.facts.outputId === message.outputId);
        const verdictShown = !(blind && before?.decision === 'undecided');
        const shownAt = firstShown.get(message.outputId);
        const telemetry = { verdictShown, decisionMs: shownAt === undefined ? null : Date.now() - shownAt };
        const problemId = decide(db, index, { outputId: message.outputId, action: message.action, text: message.text, telemetry }, curator);
        afterWrite([problemId]);
        post(problemId, message.requestId);
        return;
      }
      case 'undo': {
        const result = undo(db, index, curator);
        if (!result) {
          hooks.post({ type: 'notice', message: 'Nothing to undo.' });
          post(current, message.requestId);
          return;
        }
        if (result.changedProblems.length > 1) list = filterIndex(index, ensure().list.filter);
        afterWrite(result.changedProblems);
        post(result.problemId, message.requestId, result.outputId);
        return;
      }
      case 'setFilter': {
        list = filterIndex(index, message.filter);
        const from = message.from;
        const stay = from !== null && positionOf(list, from) >= 0 ? from : (nextId(list, from) ?? previousId(list, from));
        post(stay, message.requestId);
        return;
      }
      case 'bulkPreview':
        hooks.post({ type: 'bulkPreview', requestId: message.requestId, kind: message.kind, count: bulkCandidates(index, message.kind).length });
        return;
      case 'bulkApply': {
        const result = applyBulk(db, index, message.kind, message.expectedCount, curator);
        list = filterIndex(index, ensure().list.filter);
        if (result.count > 0) hooks.onWrite?.();
        hooks.post({ type: 'notice', message: `Accepted the top-ranked ${message.kind} of ${result.count} mistake${result.count === 1 ? '' : 's'}. One undo (u) reverts them all.` });
        post(current, message.requestId);
        return;
      }
      case 'editing':
        hooks.onEditing?.(message.active);
        return;
      case 'setBlind':
        blind = message.blind;
        hooks.onBlind?.(blind);
        post(current, message.requestId);
        return;
      case 'chooseStudent':
        if (message.student !== null && !studentsWithMistakes(db).includes(message.student)) {
          hooks.post({ type: 'error', requestId: null, message: `No student "${message.student}" with mistakes in this project.` });
          postStudents();
          return;
        }
        hooks.onChooseStudent?.(message.student);
        return;
    }
  };

  return {
    start(initialProblem) {
      initial = initialProblem;
    },
    handle(raw) {
      const message = parseWebviewMessage(raw);
      if (!message) {
        hooks.log?.(`curation panel: ignored a malformed message (${describeShape(raw)})`);
        return false;
      }
      try {
        act(message);
      } catch (error) {
        if (!isUserError(error)) hooks.log?.(`curation panel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        hooks.post({ type: 'error', requestId: 'requestId' in message ? message.requestId : null, message: describeError(error) });
      }
      return true;
    },
    show(problemId, focusOutputId = null) {
      try {
        const { index } = ensure();
        post(problemId !== null && index.byProblem.has(problemId) ? problemId : (current ?? landing()), null, focusOutputId);
      } catch (error) {
        hooks.post({ type: 'error', requestId: null, message: describeError(error) });
      }
    },
    reload() {
      if (!index) return;
      rebuildIndex(db, index, options.student?.() ?? null);
      list = filterIndex(index, list?.filter ?? EMPTY_FILTER);
      // Another student chosen, or the shown mistake gone: land where a fresh panel would.
      post(current !== null && index.byProblem.has(current) ? current : landing(), null);
      if (ready) postStudents();
    },
    currentProblem: () => current,
    notice(message) {
      if (ready) hooks.post({ type: 'notice', message });
      else pendingNotice = message;
    },
  };
}

/** A short description of a rejected message for the log: its type and keys, never its text. */
function describeShape(raw: unknown): string {
  if (raw === null || typeof raw !== 'object') return typeof raw;
  const type = (raw as { type?: unknown }).type;
  return `type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}, keys ${Object.keys(raw).slice(0, 10).join(',')}`;
}

