/**
 * What the curation panel shows, as plain data: the domain's view of a mistake and its ranked
 * teacher outputs. The core builds these (mistakeView.ts, filters.ts); src/protocol/curation.ts
 * re-exports them inside its message envelopes, so the webview sees the same types.
 */
import type { CuratedKind, Decision } from '../model.ts';
import type { Grade } from '../tasks/grade.ts';

export type { CuratedKind, Decision } from '../model.ts';
export type { Grade } from '../tasks/grade.ts';

/** `gradedCorrect`: mistakes whose student answer the task's extractor grades correct (imported as mistakes all the same). */
export type StatusFilter = 'all' | 'undecided' | 'accepted' | 'rejected' | 'edited' | 'gradedCorrect';
export const STATUS_FILTERS: readonly StatusFilter[] = ['all', 'undecided', 'accepted', 'rejected', 'edited', 'gradedCorrect'];

export interface ReviewView {
  reviewer: string;
  score: number | null;
  rawText: string | null;
}

export interface VerdictView {
  score: number | null;
  validScores: number;
  accepted: boolean;
  spread: number;
}

/**
 * A wrong arithmetic step of a text (src/core/steps): the equation as the checker read it
 * (LaTeX read as arithmetic), the result it states, and the right value.
 */
export interface StepMark {
  text: string;
  stated: string;
  right: string;
}

/** One teacher output of a mistake, as the panel shows it. */
export interface ItemView {
  outputId: number;
  kind: CuratedKind;
  teacher: string;
  /** 1-based rank within its kind, best first. */
  rank: number;
  text: string;
  verdict: VerdictView;
  reviews: ReviewView[];
  decision: Decision;
  /** The curator's text when the item was edited (the diff is against `text`). */
  editedText: string | null;
  /** Rationales: the answer check of the teacher's text; null for critiques. */
  teacherGrade: Grade | null;
  /** Rationales: the answer check of the edited text, null when not edited. */
  editedGrade: Grade | null;
  /** The wrong steps of its current text (the edit, else the teacher's), in order. */
  wrongSteps: StepMark[];
  /** Cut at the teacher's token limit: the text may stop mid-sentence. */
  truncated: boolean;
  /** Blind mode, not yet decided: verdict, rank and reviews were left out (blind.ts); nothing of them is shown. */
  blinded: boolean;
  /**
   * Every curator's decision in force on it (and adjudicators'), from the synced team decisions:
   * only in the adjudication view (filter curatorsDisagree); absent everywhere else, so a curator
   * never sees the others' decisions before deciding (src/core/team/adjudicationView.ts).
   */
  team?: TeamItemDecision[];
}

/** One curator's decision on an item, as the adjudication view lists it side by side. */
export interface TeamItemDecision {
  curator: string;
  role: 'curator' | 'adjudicator';
  decision: 'accepted' | 'edited' | 'rejected';
  /** The edited text, for edited. */
  text: string | null;
}

export interface StudentView {
  name: string;
  rawOutput: string;
  extractedAnswer: string | null;
  /** The task's extractor and comparison find the gold answer in the output: imported as a mistake all the same. */
  gradedCorrect: boolean;
}

/**
 * One mistake as the panel shows it: a mistake problem's first wrong answer, the critiques of
 * that answer and every rationale of the problem, ranked (README, Glossary).
 */
export interface MistakeView {
  problemId: number;
  sourceId: string;
  task: string;
  split: string;
  question: string;
  context: string | null;
  options: string[] | null;
  goldAnswer: string;
  student: StudentView | null;
  critiques: ItemView[];
  rationales: ItemView[];
  /** The wrong steps of the student's output, in order: the first is its first wrong step. */
  studentWrongSteps: StepMark[];
  /** Every kind present is settled: it has an accepted item, or all of its items are rejected. */
  settled: boolean;
}

export interface MistakeFilter {
  status: StatusFilter;
  teacher: string | null;
  scoreMin: number | null;
  scoreMax: number | null;
  mismatchOnly: boolean;
  /** Only mistakes with a critique or rationale whose current text has a wrong arithmetic step. */
  wrongStepOnly: boolean;
  /** Only mistakes with a critique or rationale cut at the teacher's token limit. */
  truncatedOnly: boolean;
  search: string;
  /**
   * The adjudication view: only mistakes with an item the team's curators decided differently
   * (synced decisions); its items carry every curator's decision and an accept, reject or edit
   * there is an adjudicator's decision.
   */
  curatorsDisagree: boolean;
  /** Only the mistakes .mapd/team.json assigns to the local curator (set by a sync). */
  myQueue: boolean;
}

export const EMPTY_FILTER: MistakeFilter = {
  status: 'all',
  teacher: null,
  scoreMin: null,
  scoreMax: null,
  mismatchOnly: false,
  wrongStepOnly: false,
  truncatedOnly: false,
  search: '',
  curatorsDisagree: false,
  myQueue: false,
};

/**
 * The queue's orders (issue 12): where a human's judgement changes the outcome first. The keys
 * behind them (core/curation/orderKeys.ts) come from the teachers' texts and the peer reviews.
 */
export type MistakeOrder = 'problem' | 'disagreement' | 'threshold' | 'answers' | 'wrongSteps';
export const MISTAKE_ORDERS: readonly MistakeOrder[] = ['problem', 'disagreement', 'threshold', 'answers', 'wrongSteps'];
/** What the order select shows: the order's name only (in blind mode too: it names no score). */
export const ORDER_LABELS: Record<MistakeOrder, string> = {
  problem: 'Problem order',
  disagreement: 'Reviewers disagree most',
  threshold: 'Closest to the acceptance threshold',
  answers: "Teachers' answers disagree",
  wrongSteps: 'Wrong steps first',
};
/** The order `step` places after (1) or before (-1) `order`, wrapping: keys o and Shift+O. */
export function cycleOrder(order: MistakeOrder, step: 1 | -1): MistakeOrder {
  const at = MISTAKE_ORDERS.indexOf(order);
  return MISTAKE_ORDERS[(at + step + MISTAKE_ORDERS.length) % MISTAKE_ORDERS.length] as MistakeOrder;
}
