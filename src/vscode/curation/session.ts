import type { Db } from '../../core/store/db.ts';
import { describeError, isUserError } from '../../core/errors.ts';
import type { HostMessage, MistakeFilter, MistakeOrder, MistakeView, NavLinks, WebviewMessage } from '../../protocol/curation.ts';
import { EMPTY_FILTER, parseWebviewMessage } from '../../protocol/curation.ts';
import type { MistakeSummary } from '../../core/curation/mistakeIndex.ts';
import { loadMistake } from '../../core/curation/mistakeIndex.ts';
import { summaryView } from '../../core/curation/mistakeView.ts';
import type { MistakeScope } from '../../core/curation/mistakeQueries.ts';
import {
  adjacentMatch,
  matchesScope,
  matchingCount,
  matchingIdsAfter,
  matchingInOrder,
  mistakeTeachers,
  mistakeTotal,
  nextUnsettled,
  orderKeyOf,
} from '../../core/curation/mistakeQueries.ts';
import type { OrderedList } from '../../core/curation/orderedList.ts';
import { lowerBoundPair, setMembership } from '../../core/curation/orderedList.ts';
import { manyStaleOrderKeys, refreshOrderKeys } from '../../core/curation/orderKeys.ts';
import { ORDER_LABELS } from '../../core/curation/view.ts';
import { Cancelled } from '../../core/errors.ts';
import { settledMistakes } from '../../core/curation/progress.ts';
import { applyBulkFromStore, decideInStore, undoInStore } from '../../core/curation/storeDecisions.ts';
import { withTeamDecisions } from '../../core/team/adjudicationView.ts';
import { recordAdjudication, undoLastAdjudication } from '../../core/team/adjudicate.ts';
import { bulkTargets } from '../../core/curation/mistakeQueries.ts';
import { blindView } from '../../core/curation/blind.ts';
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
  /** The curator chose the queue's order (toolbar, keys o / O): the host keeps it (workspaceState mapd.curation.order). */
  onOrder?(order: MistakeOrder): void;
  log?(message: string): void;
}

export interface SessionOptions {
  curator(): string;
  /** Whose mistakes to curate (null: each problem's first wrong answer); read on every (re)load. */
  student?(): string | null;
  /** Blind mode at the start (setting mapd.curation.blind); the toolbar and key b toggle it, onBlind keeps it. */
  blind?(): boolean;
  /** The project's database file: an adjudication (the "curators disagree" view) goes to the decision files beside it. */
  dbFile?(): string | undefined;
  /** The queue's order at the start (what onOrder kept; problem order when none). */
  order?(): MistakeOrder;
  /** Runs the deferred listing after the first paint (default setImmediate: the next turn of the host's event loop). */
  schedule?(task: () => void): void;
  /**
   * Fills the order keys of every stale problem off this thread (orderFill.ts: a worker on the
   * project's file). Without it, keys are refreshed synchronously before an ordered query.
   */
  fillOrderKeys?(hooks: { onProgress(done: number, total: number): void; signal: AbortSignal }): Promise<number>;
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
  /**
   * Reloads when another connection (the CLI, an import, a second window) committed since the last
   * look (SQLite's data_version); true when it did. The panel calls it while it is visible.
   */
  poll(): boolean;
  currentProblem(): number | null;
  /** The panel closed: a running fill of the order keys stops after its current batch. */
  dispose(): void;
}

const isEmptyFilter = (filter: MistakeFilter): boolean =>
  (Object.keys(EMPTY_FILTER) as (keyof MistakeFilter)[]).every((key) => filter[key] === EMPTY_FILTER[key]);

/** Mistakes listed per turn of the event loop by the deferred listing. */
const LIST_PAGE = 50_000;

/** The fill's progress notice at most this often: the worker reports after each batch, the webview needs no more. */
const FILL_NOTICE_MS = 250;

/** Beyond this many changed mistakes, one query of the whole list is cheaper than one per mistake. */
const REQUERY_ABOVE = 200;

/** What the session holds between messages: ids and counts, never texts (issue 11). */
interface Listing {
  scope: MistakeScope;
  /** Matching mistakes' problem ids in the chosen order, with their sort keys (orderedList.ts). */
  /**
   * Null while unfiltered in problem order, until the deferred listing fills it: the first paint
   * needs one LIMIT query and two indexed counts, not the list (1M mistakes); until then neighbours
   * and the position are asked of SQLite one by one.
   */
  list: OrderedList | null;
  total: number;
  settled: number;
  teachers: string[];
  dataVersion: number;
}

/**
 * The curation panel's message controller on the host side: it answers the webview's requests
 * from SQLite (core/curation/mistakeQueries.ts: the current filter's ids and the counts; the shown
 * mistake and its neighbours read and ranked one by one) and writes every decision to the store
 * before it answers. It imports no vscode (panel.ts wires it to the webview), so the Chromium
 * harness (test/webview/harness.ts) runs the real one.
 */
export function createCurationSession(db: Db, options: SessionOptions): CurationSession {
  const { hooks } = options;
  let listing: Listing | undefined;
  let current: number | null = null;
  let initial: number | null = null;
  // A notice asked for before the webview said ready would be lost: it waits for the first show.
  let ready = false;
  let pendingNotice: string | null = null;
  let blind = options.blind?.() ?? false;
  /** The order the curator chose (kept by onOrder) and the one the list is in: problem order while the chosen one's keys are filled. */
  let wanted: MistakeOrder = options.order?.() ?? 'problem';
  let order: MistakeOrder = wanted;
  /** The running fill of the order keys (fillOrderKeys), to stop when the panel closes. */
  let fill: AbortController | undefined;
  /** When each item was first shown in this session: a decision's time is measured from there. */
  const firstShown = new Map<number, number>();

  /** The view the webview gets: in blind mode without the peer verdicts of undecided items (blind.ts). */
  const viewOf = (summary: MistakeSummary): MistakeView => {
    const view = summaryView(db, summary);
    const shown = blind ? blindView(view) : view;
    // Others' decisions only in the adjudication view (issue 16: blind between curators).
    return ensure().scope.filter.curatorsDisagree ? withTeamDecisions(db, shown) : shown;
  };
  /** In the adjudication view a decision is the adjudicator's: it settles the item for the team, the local log is left as it is. */
  const adjudicationFile = (): string | undefined => (ensure().scope.filter.curatorsDisagree ? options.dbFile?.() : undefined);

  const dataVersion = (): number => db.pragma('data_version', { simple: true }) as number;

  /** Posts a notice now, or when the webview is ready. */
  const notify = (message: string): void => {
    if (ready) hooks.post({ type: 'notice', message });
    else pendingNotice = message;
  };

  /** Starts filling the order keys in the background (once); when done, the list switches to the chosen order. */
  const startFill = (fillOrderKeys: NonNullable<SessionOptions['fillOrderKeys']>): void => {
    if (fill) return;
    const controller = new AbortController();
    fill = controller;
    let noticedAt = 0;
    const onProgress = (done: number, total: number): void => {
      hooks.log?.(`curation panel: order keys of the mistakes of ${done} of ${total} problems computed`);
      const now = Date.now();
      if (now - noticedAt < FILL_NOTICE_MS && done < total) return;
      noticedAt = now;
      if (wanted !== 'problem') notify(`Ordering by ${ORDER_LABELS[wanted]}: ${Math.floor((100 * done) / Math.max(total, 1))} % of problems keyed`);
    };
    notify(`Ordering by ${ORDER_LABELS[wanted]}: computing the order keys…`);
    const failed = (error: unknown): void => {
      if (error instanceof Cancelled) return;
      if (!isUserError(error))
        hooks.log?.(`curation panel: the order keys' fill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (ready) hooks.post({ type: 'error', requestId: null, message: describeError(error) });
    };
    fillOrderKeys({ onProgress, signal: controller.signal })
      .then(() => {
        fill = undefined;
        if (controller.signal.aborted || !listing) return;
        // A full load: the rest written since the fill began (a few problems) is refreshed on the spot, and
        // other connections' writes that poll let pass during the fill are read.
        listing = load(listing.scope.filter);
        if (order === wanted && wanted !== 'problem') notify(`Ordered by ${ORDER_LABELS[wanted]}.`);
        post(current !== null && positionOf(current) >= 0 ? current : landing(), null);
      })
      .catch((error: unknown) => {
        fill = undefined;
        failed(error);
      });
  };

  /**
   * The order the list is to be in: the chosen one when its keys are ready. A few stale keys (up to
   * one batch, after a write) are refreshed by listInOrder on the spot; more (after the migration or
   * an import: every problem) are filled by a worker while the list stays in problem order, so an
   * ordered query never reads partly stale keys.
   */
  const settleOrder = (): void => {
    order = wanted;
    if (order !== 'problem' && options.fillOrderKeys && (fill !== undefined || manyStaleOrderKeys(db))) {
      startFill(options.fillOrderKeys);
      order = 'problem';
    }
  };

  /** The scope's mistakes in the order; the keys of mistakes written since (after the migration: all of an existing project's) are computed first, in batches. */
  const listInOrder = (scope: MistakeScope): OrderedList => {
    if (order !== 'problem')
      refreshOrderKeys(db, (done, total) => hooks.log?.(`curation panel: order keys of the mistakes of ${done} of ${total} problems computed`));
    return matchingInOrder(db, scope, order);
  };

  const schedule = options.schedule ?? ((task: () => void): void => void setImmediate(task));

  /**
   * Lists the scope's mistakes into state: filtered or in another order at once (counts and keyed
   * neighbours would cost as much as the list), unfiltered in problem order after the current
   * message is answered (its count is the total), a page per turn of the event loop: the first
   * show's message leaves before the first page is read, and no turn blocks the host for long.
   */
  const list = (state: Listing, scope: MistakeScope): void => {
    state.scope = scope;
    settleOrder();
    if (!isEmptyFilter(scope.filter) || order !== 'problem') {
      state.list = listInOrder(scope);
      return;
    }
    state.list = null;
    const ids: number[] = [];
    const page = (): void => {
      if (listing !== state || state.scope !== scope || state.list !== null || order !== 'problem') return;
      try {
        const next = matchingIdsAfter(db, scope, ids.at(-1) ?? 0, LIST_PAGE);
        for (const id of next) ids.push(id);
        if (next.length === LIST_PAGE) schedule(page);
        else state.list = { ids, keys: null };
      } catch (error) {
        hooks.log?.(`curation panel: listing the mistakes failed (${describeError(error)}); they are read one by one`);
      }
    };
    schedule(page);
  };

  const load = (filter: MistakeFilter): Listing => {
    const student = options.student?.() ?? null;
    const state: Listing = {
      scope: { student, filter },
      list: null,
      total: mistakeTotal(db, student),
      settled: settledMistakes(db, student),
      teachers: mistakeTeachers(db, student),
      dataVersion: dataVersion(),
    };
    list(state, state.scope);
    return state;
  };

  const ensure = (): Listing => (listing ??= load(EMPTY_FILTER));
  const mistake = (problemId: number | null): MistakeSummary | undefined =>
    problemId === null ? undefined : loadMistake(db, problemId, ensure().scope.student);

  /** Where a mistake sits in the order: its sort key (undefined: no mistake of this student). */
  const keyOf = (problemId: number): number | undefined => orderKeyOf(db, ensure().scope, order, problemId);
  // Unlisted means unfiltered in problem order: neighbours and positions by problem id, from SQLite.
  const nextId = (from: number | null): number | null => {
    const { list, scope } = ensure();
    if (list === null) return adjacentMatch(db, scope, from, 'next');
    if (from === null) return list.ids[0] ?? null;
    const key = keyOf(from);
    return key === undefined ? null : (list.ids[lowerBoundPair(list, key, from + 1)] ?? null);
  };
  const previousId = (from: number | null): number | null => {
    const { list, scope } = ensure();
    if (list === null) return adjacentMatch(db, scope, from, 'previous');
    const key = from === null ? undefined : keyOf(from);
    if (from === null || key === undefined) return null;
    const at = lowerBoundPair(list, key, from);
    return at > 0 ? (list.ids[at - 1] as number) : null;
  };
  const positionOf = (problemId: number | null): number => {
    const { list, scope } = ensure();
    if (list === null) return problemId !== null && matchesScope(db, scope, problemId) ? matchingCount(db, scope, problemId) : -1;
    const key = problemId === null ? undefined : keyOf(problemId);
    if (problemId === null || key === undefined) return -1;
    const at = lowerBoundPair(list, key, problemId);
    return list.ids[at] === problemId ? at : -1;
  };
  const nextUndecided = (from: number | null): number | null => nextUnsettled(db, ensure().scope, from, order);
  /** Unlisted means unfiltered: every mistake matches. */
  const matchingNow = (state: Listing): number => state.list?.ids.length ?? state.total;

  const links = (from: number | null): NavLinks => ({ previous: previousId(from), next: nextId(from), nextUndecided: nextUndecided(from) });

  const post = (problemId: number | null, requestId: number | null, focusOutputId: number | null = null): void => {
    const state = ensure();
    const summary = mistake(problemId);
    const shown = summary ? summary.problemId : null;
    current = shown;
    const view = summary ? viewOf(summary) : null;
    const now = Date.now();
    for (const item of view ? [...view.critiques, ...view.rationales] : []) if (!firstShown.has(item.outputId)) firstShown.set(item.outputId, now);
    const nav = links(shown);
    const neighbours: MistakeView[] = [];
    for (const id of new Set([nav.next, nav.previous, nav.nextUndecided])) {
      if (id === null || id === shown) continue;
      const neighbour = mistake(id);
      if (neighbour) neighbours.push(viewOf(neighbour));
    }
    hooks.post({
      type: 'show',
      requestId,
      mistake: view,
      position: { index: positionOf(shown), matching: matchingNow(state) },
      progress: { settled: state.settled, total: state.total },
      filter: state.scope.filter,
      teachers: [...state.teachers],
      links: nav,
      neighbours,
      focusOutputId,
      blind,
      order,
    });
    hooks.onShow?.(shown);
  };

  const postStudents = (): void => {
    const names = studentsWithMistakes(db);
    const chosen = options.student?.() ?? null;
    hooks.post({ type: 'students', names, chosen: chosen !== null && names.includes(chosen) ? chosen : null });
  };

  /** Where to land when no particular mistake is asked for: the first undecided, else the first. */
  const landing = (): number | null => nextUndecided(null) ?? nextId(null);

  /** Re-checks the changed mistakes' membership of the list and recounts what is settled. */
  const afterWrite = (changed: readonly number[], settledDelta: number | null): void => {
    const state = ensure();
    const held = state.list;
    // Unlisted, there is nothing to keep current: the deferred listing reads the store as it is then.
    if (held !== null && changed.length > REQUERY_ABOVE) state.list = listInOrder(state.scope);
    else if (held !== null) {
      for (const problemId of changed) {
        // Decisions never move a mistake's key (keys come from the teachers' texts and reviews): only its membership changes.
        const key = keyOf(problemId);
        if (key !== undefined) setMembership(held, key, problemId, matchesScope(db, state.scope, problemId));
      }
    }
    // One decision moves the count by at most one; anything larger is counted again (by decisions, not by project size).
    state.settled = settledDelta === null ? settledMistakes(db, state.scope.student) : state.settled + settledDelta;
    hooks.onWrite?.();
  };

  const act = (message: WebviewMessage): void => {
    ensure();
    const curator = options.curator();
    switch (message.type) {
      case 'ready': {
        const asked = initial ?? message.problemId;
        initial = null;
        post(mistake(asked) ? asked : (current ?? landing()), null);
        postStudents();
        ready = true;
        if (pendingNotice !== null) hooks.post({ type: 'notice', message: pendingNotice });
        pendingNotice = null;
        return;
      }
      case 'navigate': {
        const { target } = message;
        let to: number | null;
        if (target.kind === 'problem') to = target.problemId;
        else if (target.kind === 'first') to = nextId(null);
        else if (target.kind === 'next') to = nextId(target.from) ?? target.from;
        else if (target.kind === 'previous') to = previousId(target.from) ?? target.from;
        else to = nextUndecided(target.from) ?? target.from;
        if (to !== null && !mistake(to)) {
          hooks.post({ type: 'error', requestId: message.requestId, message: `Problem ${to} is not a mistake in this project.` });
          to = current;
        }
        post(to, message.requestId);
        return;
      }
      case 'decide': {
        // Whether the peer verdict was on screen: not for an undecided item in blind mode; and how long the item had been shown.
        const before = mistake(message.problemId);
        const item = before ? [...before.critiques, ...before.rationales].find((i) => i.facts.outputId === message.outputId) : undefined;
        const shownAt = firstShown.get(message.outputId);
        const telemetry = { verdictShown: !(blind && item?.decision === 'undecided'), decisionMs: shownAt === undefined ? null : Date.now() - shownAt };
        const dbFile = adjudicationFile();
        if (dbFile !== undefined && item) {
          recordAdjudication(db, {
            dbFile,
            curator,
            outputId: message.outputId,
            action: message.action,
            ...(message.text === null ? {} : { text: message.text }),
          });
          afterWrite([message.problemId], null);
          post(message.problemId, message.requestId);
          return;
        }
        const result = decideInStore(
          db,
          ensure().scope.student,
          { problemId: message.problemId, outputId: message.outputId, action: message.action, text: message.text, telemetry },
          curator,
        );
        if (!result) {
          hooks.post({
            type: 'error',
            requestId: message.requestId,
            message: `Output ${message.outputId} does not belong to problem ${message.problemId}; the panel was refreshed.`,
          });
          post(current, message.requestId);
          return;
        }
        afterWrite([message.problemId], result.settledDelta);
        post(message.problemId, message.requestId);
        return;
      }
      case 'undo': {
        const dbFile = adjudicationFile();
        if (dbFile !== undefined) {
          // In the adjudication view, undo takes back the adjudicator's latest adjudication, not the local log's last decision.
          const undone = undoLastAdjudication(db, { dbFile, curator });
          if (!undone) hooks.post({ type: 'notice', message: 'No adjudication of yours to undo.' });
          else hooks.onWrite?.();
          const problemId = undone?.problemId ?? null;
          post(problemId !== null && mistake(problemId) ? problemId : current, message.requestId, undone?.outputId ?? null);
          return;
        }
        const result = undoInStore(db, curator);
        if (!result) {
          hooks.post({ type: 'notice', message: 'Nothing to undo.' });
          post(current, message.requestId);
          return;
        }
        afterWrite(result.changedProblems, null);
        post(mistake(result.problemId) ? result.problemId : current, message.requestId, result.outputId);
        return;
      }
      case 'setFilter': {
        const state = ensure();
        list(state, { student: state.scope.student, filter: message.filter });
        const from = message.from;
        const stay = from !== null && positionOf(from) >= 0 ? from : (nextId(from) ?? previousId(from));
        post(stay, message.requestId);
        return;
      }
      case 'bulkPreview':
        hooks.post({
          type: 'bulkPreview',
          requestId: message.requestId,
          kind: message.kind,
          count: bulkTargets(db, ensure().scope.student, message.kind).length,
        });
        return;
      case 'bulkApply': {
        const result = applyBulkFromStore(db, ensure().scope.student, message.kind, message.expectedCount, curator);
        if (result.count > 0) afterWrite(result.changedProblems, null);
        hooks.post({
          type: 'notice',
          message: `Accepted the top-ranked ${message.kind} of ${result.count} mistake${result.count === 1 ? '' : 's'}. One undo (u) reverts them all.`,
        });
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
      case 'setOrder': {
        wanted = message.order;
        hooks.onOrder?.(wanted);
        list(ensure(), ensure().scope);
        post(current, message.requestId);
        return;
      }
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

  const reload = (): void => {
    if (!listing) return;
    listing = load(listing.scope.filter);
    // Another student chosen, or the shown mistake gone: land where a fresh panel would.
    post(mistake(current) ? current : landing(), null);
    if (ready) postStudents();
  };
  const safeReload = (): void => {
    try {
      reload();
    } catch (error) {
      hooks.post({ type: 'error', requestId: null, message: describeError(error) });
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
        post(mistake(problemId) ? problemId : (current ?? landing()), null, focusOutputId);
      } catch (error) {
        hooks.post({ type: 'error', requestId: null, message: describeError(error) });
      }
    },
    reload: safeReload,
    poll() {
      // The fill's own commits (keys only) change data_version every batch: no reload until it is done (it reloads then).
      if (!listing || !ready || fill !== undefined || dataVersion() === listing.dataVersion) return false;
      safeReload();
      return true;
    },
    currentProblem: () => current,
    notice: notify,
    dispose() {
      fill?.abort();
      fill = undefined;
    },
  };
}

/** A short description of a rejected message for the log: its type and keys, never its text. */
function describeShape(raw: unknown): string {
  if (raw === null || typeof raw !== 'object') return typeof raw;
  const type = (raw as { type?: unknown }).type;
  return `type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}, keys ${Object.keys(raw).slice(0, 10).join(',')}`;
}
