/**
 * The one message protocol between the curation panel's host (extension) and its webview.
 * Plain TypeScript: no vscode, no DOM, so the host, the webview bundle and the tests share it.
 *
 * Requests from the webview carry a requestId; the host's answer to one names it, so the webview
 * can drop answers to requests it has since superseded (fast j/k presses). Every message from the
 * webview goes through parseWebviewMessage before the host acts; every message from the host goes
 * through parseHostMessage before the webview renders. Both return a fresh object holding only the
 * known fields, or undefined for anything malformed.
 *
 * The key path (written here once; docs/curation.md and the code point back to it):
 *   1. A key pressed in the webview bubbles to VS Code's webview frame, which forwards it to the
 *      workbench's keybinding service. The edit box and filter fields stop the keys typed in them
 *      (webview-ui/src/curation/keys.ts): the webview's focus at the moment of the key decides.
 *   2. package.json `contributes.keybindings` maps it (when the panel is active; no context key,
 *      which would lag the focus by a host round trip) to a `mapd.curation.*` command: rebindable.
 *   3. src/vscode/curation/panel.ts runs that command by posting `{type:'command'}` to the webview.
 *   4. The webview (webview-ui/src/curation/app.ts) decides what the command means where the user is:
 *      it paints a decision or navigation at once and posts `decide` / `navigate` / `undo` …
 *   5. session.handle (src/vscode/curation/session.ts) parses the message once (parseWebviewMessage),
 *      writes a decision to the store (core/curation/decisions.ts) before anything else, and
 *      answers with a `show` naming the request; the webview drops answers to superseded requests.
 */

import type {
  CuratedKind,
  Decision,
  Grade,
  ItemView,
  MistakeFilter,
  MistakeOrder,
  MistakeView,
  ReviewView,
  StepMark,
  StudentView,
} from '../core/curation/view.ts';
import type { TeamItemDecision } from '../core/curation/view.ts';
import { MISTAKE_ORDERS, STATUS_FILTERS } from '../core/curation/view.ts';

export type {
  CuratedKind,
  Decision,
  Grade,
  ItemView,
  MistakeFilter,
  MistakeOrder,
  MistakeView,
  ReviewView,
  StatusFilter,
  StepMark,
  StudentView,
  TeamItemDecision,
  VerdictView,
} from '../core/curation/view.ts';
export { cycleOrder, EMPTY_FILTER, MISTAKE_ORDERS, ORDER_LABELS, STATUS_FILTERS } from '../core/curation/view.ts';
/** How the step checker reads TeX as arithmetic: the webview finds a wrong step inside a typeset formula with it. */
export { readLatex } from '../core/steps/steps.ts';
/** The notice for an edit that rewrites most of a teacher's text (the webview says it on save). */
export { rewriteNotice } from '../core/curation/editSize.ts';

export const CURATION_VIEW_TYPE = 'mapd.curation';

export type NavigateTarget = { kind: 'problem'; problemId: number } | { kind: 'next' | 'previous' | 'nextUndecided'; from: number | null } | { kind: 'first' };

/** Commands the host relays from VS Code keybindings and the command palette. */
export type PanelCommand =
  | 'accept'
  | 'reject'
  | 'edit'
  | 'undo'
  | 'next'
  | 'previous'
  | 'nextUndecided'
  | 'toggleReviews'
  | 'toggleSource'
  | 'toggleBlind'
  | 'nextOrder'
  | 'previousOrder'
  | 'focusItem'
  | 'search'
  | 'bulkAccept';
export const PANEL_COMMANDS: readonly PanelCommand[] = [
  'accept',
  'reject',
  'edit',
  'undo',
  'next',
  'previous',
  'nextUndecided',
  'toggleReviews',
  'toggleSource',
  'toggleBlind',
  'nextOrder',
  'previousOrder',
  'focusItem',
  'search',
  'bulkAccept',
];

// ---- webview -> host -------------------------------------------------------------------------

export type WebviewMessage =
  /** The webview started; the host answers with a `show` of problemId (or where the panel was). */
  | { type: 'ready'; problemId: number | null }
  | { type: 'navigate'; requestId: number; target: NavigateTarget }
  /** Written to the store before the host answers with a `show` of the problem. */
  | { type: 'decide'; requestId: number; problemId: number; outputId: number; action: 'accept' | 'reject' | 'edit'; text: string | null }
  /** Undoes the latest decision in force, on whichever mistake; the answer shows that mistake. */
  | { type: 'undo'; requestId: number }
  | { type: 'setFilter'; requestId: number; filter: MistakeFilter; from: number | null }
  | { type: 'bulkPreview'; requestId: number; kind: CuratedKind }
  /** Applies the bulk action if it still covers expectedCount mistakes (the count the user confirmed). */
  | { type: 'bulkApply'; requestId: number; kind: CuratedKind; expectedCount: number }
  /** The edit box or a filter field gained or lost focus (drives a when-clause context key). */
  | { type: 'editing'; active: boolean }
  /** Blind mode on or off (setting mapd.curation.blind; toolbar, key b): the host answers with a `show`. */
  | { type: 'setBlind'; requestId: number; blind: boolean }
  /** The queue's order (toolbar select, keys o / O; kept in workspaceState mapd.curation.order): the host answers with a `show`. */
  | { type: 'setOrder'; requestId: number | null; order: MistakeOrder }
  /** Curate this student's mistakes (null: each problem's first wrong answer); the host answers with `students` and a `show`. */
  | { type: 'chooseStudent'; student: string | null };

// ---- host -> webview -------------------------------------------------------------------------

export interface Position {
  /** 0-based index of the shown mistake among those matching the filter; -1 when it does not match. */
  index: number;
  matching: number;
}

/** Where the navigation keys lead from the shown mistake, under the current filter. */
export interface NavLinks {
  previous: number | null;
  next: number | null;
  nextUndecided: number | null;
}

/** "settled of total mistakes": the panel's count, in the status bar's words (README, Glossary). */
export interface Progress {
  settled: number;
  total: number;
}

export type HostMessage =
  | {
      type: 'show';
      /** The request this answers; null when the host pushes (tree selection, data changed). */
      requestId: number | null;
      mistake: MistakeView | null;
      position: Position;
      progress: Progress;
      filter: MistakeFilter;
      teachers: string[];
      links: NavLinks;
      /** Mistakes the user is likely to open next (previous, next, next undecided), for instant paint. */
      neighbours: MistakeView[];
      /** The item to focus (after undo: the undone one); null keeps the webview's focus. */
      focusOutputId: number | null;
      /** Blind mode: undecided items come without peer scores, ranks or reviews, in a neutral order. */
      blind: boolean;
      /** The queue's order: next, previous, n and the position follow it. */
      order: MistakeOrder;
    }
  | { type: 'bulkPreview'; requestId: number; kind: CuratedKind; count: number }
  | { type: 'error'; requestId: number | null; message: string }
  | { type: 'notice'; message: string }
  | { type: 'command'; command: PanelCommand; index: number | null }
  /** The students whose mistakes can be curated, and the one chosen (null: each problem's first wrong answer). */
  | { type: 'students'; names: string[]; chosen: string | null };

// ---- validation ------------------------------------------------------------------------------

/** Longest text accepted from the webview: far above any rationale, far below a memory problem. */
export const MAX_TEXT = 200_000;
export const MAX_SEARCH = 500;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isIdOrNull(value: unknown): value is number | null {
  return value === null || isId(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isString(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isStringOrNull(value: unknown, max = MAX_TEXT): value is string | null {
  return value === null || isString(value, max);
}

function isFiniteOrNull(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

const KINDS: readonly CuratedKind[] = ['critique', 'rationale'];
const DECISIONS: readonly Decision[] = ['undecided', 'accepted', 'rejected'];

export function parseFilter(value: unknown): MistakeFilter | undefined {
  if (!isObj(value)) return undefined;
  const { status, teacher, scoreMin, scoreMax, mismatchOnly, search } = value;
  if (!isOneOf(status, STATUS_FILTERS) || !isStringOrNull(teacher, 200) || !isFiniteOrNull(scoreMin) || !isFiniteOrNull(scoreMax)) return undefined;
  if (typeof mismatchOnly !== 'boolean' || !isString(search, MAX_SEARCH)) return undefined;
  // Absent in filters saved before the step checker: off.
  const wrongStepOnly = value.wrongStepOnly ?? false;
  if (typeof wrongStepOnly !== 'boolean') return undefined;
  // Absent in filters saved before the truncated mark: off.
  const truncatedOnly = value.truncatedOnly ?? false;
  if (typeof truncatedOnly !== 'boolean') return undefined;
  // Absent in filters saved before the team's adjudication view and assignment (issue 16): off.
  const curatorsDisagree = value.curatorsDisagree ?? false;
  if (typeof curatorsDisagree !== 'boolean') return undefined;
  const myQueue = value.myQueue ?? false;
  if (typeof myQueue !== 'boolean') return undefined;
  return {
    status,
    teacher,
    scoreMin,
    scoreMax,
    mismatchOnly,
    wrongStepOnly,
    truncatedOnly,
    search,
    curatorsDisagree,
    myQueue,
  };
}

function parseTarget(value: unknown): NavigateTarget | undefined {
  if (!isObj(value)) return undefined;
  if (value.kind === 'problem') return isId(value.problemId) ? { kind: 'problem', problemId: value.problemId } : undefined;
  if (value.kind === 'first') return { kind: 'first' };
  if (value.kind === 'next' || value.kind === 'previous' || value.kind === 'nextUndecided') {
    return value.from === null || isId(value.from) ? { kind: value.kind, from: value.from } : undefined;
  }
  return undefined;
}

/** The host's gate: a well-formed message from the webview, or undefined (then it is ignored). */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isObj(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return value.problemId === null || isId(value.problemId) ? { type: 'ready', problemId: value.problemId } : undefined;
    case 'navigate': {
      const target = parseTarget(value.target);
      return isId(value.requestId) && target ? { type: 'navigate', requestId: value.requestId, target } : undefined;
    }
    case 'decide': {
      const { requestId, problemId, outputId, action, text } = value;
      if (!isId(requestId) || !isId(problemId) || !isId(outputId) || !isOneOf(action, ['accept', 'reject', 'edit'] as const)) return undefined;
      if (action === 'edit') {
        if (!isString(text) || text.trim() === '') return undefined;
        return { type: 'decide', requestId, problemId, outputId, action, text };
      }
      return text === null || text === undefined ? { type: 'decide', requestId, problemId, outputId, action, text: null } : undefined;
    }
    case 'undo':
      return isId(value.requestId) ? { type: 'undo', requestId: value.requestId } : undefined;
    case 'setFilter': {
      const filter = parseFilter(value.filter);
      if (!isId(value.requestId) || !filter || !(value.from === null || isId(value.from))) return undefined;
      return { type: 'setFilter', requestId: value.requestId, filter, from: value.from };
    }
    case 'bulkPreview':
      return isId(value.requestId) && isOneOf(value.kind, KINDS) ? { type: 'bulkPreview', requestId: value.requestId, kind: value.kind } : undefined;
    case 'bulkApply':
      return isId(value.requestId) && isOneOf(value.kind, KINDS) && isCount(value.expectedCount)
        ? { type: 'bulkApply', requestId: value.requestId, kind: value.kind, expectedCount: value.expectedCount }
        : undefined;
    case 'editing':
      return typeof value.active === 'boolean' ? { type: 'editing', active: value.active } : undefined;
    case 'setBlind':
      return isId(value.requestId) && typeof value.blind === 'boolean' ? { type: 'setBlind', requestId: value.requestId, blind: value.blind } : undefined;
    case 'setOrder':
      // The request id is optional: the answer is a `show` either way.
      return (value.requestId === undefined || value.requestId === null || isId(value.requestId)) && isOneOf(value.order, MISTAKE_ORDERS)
        ? { type: 'setOrder', requestId: value.requestId ?? null, order: value.order }
        : undefined;
    case 'chooseStudent':
      return value.student === null || (isString(value.student, 200) && value.student.length > 0)
        ? { type: 'chooseStudent', student: value.student }
        : undefined;
    default:
      return undefined;
  }
}

function parseGrade(value: unknown): Grade | null | undefined {
  if (value === null) return null;
  if (!isObj(value) || !isStringOrNull(value.extracted, 10_000) || typeof value.reachesGold !== 'boolean') return undefined;
  return { extracted: value.extracted, reachesGold: value.reachesGold };
}

function parseStepMarks(value: unknown): StepMark[] | undefined {
  if (!Array.isArray(value) || value.length > 1000) return undefined;
  const marks: StepMark[] = [];
  for (const mark of value) {
    if (!isObj(mark) || !isString(mark.text, 10_000) || !isString(mark.stated, 1000) || !isString(mark.right, 1000)) return undefined;
    marks.push({ text: mark.text, stated: mark.stated, right: mark.right });
  }
  return marks;
}

function parseItem(value: unknown): ItemView | undefined {
  if (!isObj(value)) return undefined;
  const { outputId, kind, teacher, rank, text, verdict, reviews, decision, editedText } = value;
  if (!isId(outputId) || !isOneOf(kind, KINDS) || !isString(teacher, 200) || !isId(rank) || !isString(text)) return undefined;
  if (!isOneOf(decision, DECISIONS) || !isStringOrNull(editedText)) return undefined;
  if (!isObj(verdict) || !isFiniteOrNull(verdict.score) || !isCount(verdict.validScores) || typeof verdict.accepted !== 'boolean') return undefined;
  if (typeof verdict.spread !== 'number' || !Number.isFinite(verdict.spread) || !Array.isArray(reviews)) return undefined;
  const parsedReviews: ReviewView[] = [];
  for (const review of reviews) {
    if (!isObj(review) || !isString(review.reviewer, 200) || !isFiniteOrNull(review.score) || !isStringOrNull(review.rawText)) return undefined;
    parsedReviews.push({ reviewer: review.reviewer, score: review.score, rawText: review.rawText });
  }
  const teacherGrade = parseGrade(value.teacherGrade);
  const editedGrade = parseGrade(value.editedGrade);
  const wrongSteps = parseStepMarks(value.wrongSteps);
  if (teacherGrade === undefined || editedGrade === undefined || !wrongSteps || typeof value.truncated !== 'boolean' || typeof value.blinded !== 'boolean')
    return undefined;
  const team = parseTeam(value.team);
  if (team === null) return undefined;
  return {
    outputId,
    kind,
    teacher,
    rank,
    text,
    verdict: { score: verdict.score, validScores: verdict.validScores, accepted: verdict.accepted, spread: verdict.spread },
    reviews: parsedReviews,
    decision,
    editedText,
    teacherGrade,
    editedGrade,
    wrongSteps,
    truncated: value.truncated,
    blinded: value.blinded,
    ...(team ? { team } : {}),
  };
}

const TEAM_ROLES: readonly TeamItemDecision['role'][] = ['curator', 'adjudicator'];
const TEAM_DECISIONS: readonly TeamItemDecision['decision'][] = ['accepted', 'edited', 'rejected'];

/** The adjudication view's curators' decisions on an item (absent elsewhere); null when malformed. */
function parseTeam(value: unknown): TeamItemDecision[] | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 1000) return null;
  const team: TeamItemDecision[] = [];
  for (const d of value) {
    if (!isObj(d) || !isString(d.curator, 200) || !isOneOf(d.role, TEAM_ROLES) || !isOneOf(d.decision, TEAM_DECISIONS) || !isStringOrNull(d.text)) return null;
    team.push({ curator: d.curator, role: d.role, decision: d.decision, text: d.text });
  }
  return team;
}

function parseItems(value: unknown, kind: CuratedKind): ItemView[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: ItemView[] = [];
  for (const raw of value) {
    const item = parseItem(raw);
    if (!item || item.kind !== kind) return undefined;
    items.push(item);
  }
  return items;
}

export function parseMistake(value: unknown): MistakeView | undefined {
  if (!isObj(value)) return undefined;
  const { problemId, sourceId, task, split, question, context, options, goldAnswer, student, settled } = value;
  if (!isId(problemId) || !isString(sourceId, 1000) || !isString(task, 100) || !isString(split, 200) || !isString(question)) return undefined;
  if (!isStringOrNull(context) || !isString(goldAnswer, 10_000) || typeof settled !== 'boolean') return undefined;
  let parsedOptions: string[] | null = null;
  if (options !== null) {
    if (!Array.isArray(options) || !options.every((o) => isString(o, 10_000))) return undefined;
    parsedOptions = [...(options as string[])];
  }
  let parsedStudent: StudentView | null = null;
  if (student !== null) {
    if (
      !isObj(student) ||
      !isString(student.name, 200) ||
      !isString(student.rawOutput) ||
      !isStringOrNull(student.extractedAnswer, 10_000) ||
      typeof student.gradedCorrect !== 'boolean'
    )
      return undefined;
    parsedStudent = { name: student.name, rawOutput: student.rawOutput, extractedAnswer: student.extractedAnswer, gradedCorrect: student.gradedCorrect };
  }
  const critiques = parseItems(value.critiques, 'critique');
  const rationales = parseItems(value.rationales, 'rationale');
  const studentWrongSteps = parseStepMarks(value.studentWrongSteps);
  if (!critiques || !rationales || !studentWrongSteps) return undefined;
  return {
    problemId,
    sourceId,
    task,
    split,
    question,
    context,
    options: parsedOptions,
    goldAnswer,
    student: parsedStudent,
    critiques,
    rationales,
    studentWrongSteps,
    settled,
  };
}

/** The webview's gate: a well-formed message from the host, or undefined (then it is ignored). */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isObj(value)) return undefined;
  switch (value.type) {
    case 'show': {
      const { requestId, position, progress, teachers, focusOutputId } = value;
      if (!(requestId === null || isId(requestId)) || !(focusOutputId === null || isId(focusOutputId))) return undefined;
      if (!isObj(position) || typeof position.index !== 'number' || !Number.isSafeInteger(position.index) || position.index < -1 || !isCount(position.matching))
        return undefined;
      if (!isObj(progress) || !isCount(progress.settled) || !isCount(progress.total)) return undefined;
      if (!Array.isArray(teachers) || !teachers.every((t) => isString(t, 200))) return undefined;
      const filter = parseFilter(value.filter);
      if (!filter) return undefined;
      const links = value.links;
      if (!isObj(links) || !isIdOrNull(links.previous) || !isIdOrNull(links.next) || !isIdOrNull(links.nextUndecided)) return undefined;
      let mistake: MistakeView | null = null;
      if (value.mistake !== null) {
        const parsed = parseMistake(value.mistake);
        if (!parsed) return undefined;
        mistake = parsed;
      }
      if (!Array.isArray(value.neighbours)) return undefined;
      const neighbours: MistakeView[] = [];
      for (const raw of value.neighbours) {
        const parsed = parseMistake(raw);
        if (!parsed) return undefined;
        neighbours.push(parsed);
      }
      return {
        type: 'show',
        requestId,
        mistake,
        position: { index: position.index, matching: position.matching },
        progress: { settled: progress.settled, total: progress.total },
        filter,
        teachers: [...(teachers as string[])],
        links: { previous: links.previous, next: links.next, nextUndecided: links.nextUndecided },
        neighbours,
        focusOutputId,
        blind: value.blind === true,
        order: isOneOf(value.order, MISTAKE_ORDERS) ? value.order : 'problem',
      };
    }
    case 'bulkPreview':
      return isId(value.requestId) && isOneOf(value.kind, KINDS) && isCount(value.count)
        ? { type: 'bulkPreview', requestId: value.requestId, kind: value.kind, count: value.count }
        : undefined;
    case 'error':
      return (value.requestId === null || isId(value.requestId)) && isString(value.message, 10_000)
        ? { type: 'error', requestId: value.requestId, message: value.message }
        : undefined;
    case 'notice':
      return isString(value.message, 10_000) ? { type: 'notice', message: value.message } : undefined;
    case 'command': {
      if (!isOneOf(value.command, PANEL_COMMANDS)) return undefined;
      if (value.command === 'focusItem') {
        return isId(value.index) && value.index <= 9 ? { type: 'command', command: 'focusItem', index: value.index } : undefined;
      }
      return value.index === null || value.index === undefined ? { type: 'command', command: value.command, index: null } : undefined;
    }
    case 'students': {
      const { names, chosen } = value;
      if (!Array.isArray(names) || names.length > 10_000 || !names.every((n) => isString(n, 200))) return undefined;
      return chosen === null || (isString(chosen, 200) && names.includes(chosen)) ? { type: 'students', names: [...(names as string[])], chosen } : undefined;
    }
    default:
      return undefined;
  }
}
