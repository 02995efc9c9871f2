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
  /** Every kind present is settled: it has an accepted item, or all of its items are rejected. */
  settled: boolean;
}

export interface MistakeFilter {
  status: StatusFilter;
  teacher: string | null;
  scoreMin: number | null;
  scoreMax: number | null;
  mismatchOnly: boolean;
  search: string;
}

export const EMPTY_FILTER: MistakeFilter = { status: 'all', teacher: null, scoreMin: null, scoreMax: null, mismatchOnly: false, search: '' };
