/** Plain data shapes shared by the store, the jobs, the exports and the UI. */

export type TaskName = 'gsm8k' | 'svamp' | 'strategyqa' | 'logiqa' | 'commonsenseqa' | 'arc' | 'jsonl';
export const TASK_NAMES: readonly TaskName[] = ['gsm8k', 'svamp', 'strategyqa', 'logiqa', 'commonsenseqa', 'arc', 'jsonl'];

export type OutputKind = 'critique' | 'rationale' | 'adhoc';
/** The kinds a human curates (ad-hoc answers from Ask Teacher are not curated). */
export type CuratedKind = Exclude<OutputKind, 'adhoc'>;
export type CurationAction = 'accept' | 'reject' | 'edit' | 'undo';
/** A teacher output's human decision in force (an edit is accepted, with new text). */
export type Decision = 'undecided' | 'accepted' | 'rejected';

/** A problem as a dataset parser produces it, before it has a database id. */
export interface ProblemInput {
  sourceId: string;
  question: string;
  context?: string;
  options?: string[];
  goldAnswer: string;
  goldRationale?: string;
  sourceLine?: number;
}

export interface Problem extends ProblemInput {
  id: number;
  task: TaskName;
  split: string;
  sourceFile?: string;
}

export interface StudentAnswer {
  id: number;
  problemId: number;
  student: string;
  rawOutput: string;
  extractedAnswer: string | null;
  correct: boolean;
  callId: number | null;
}

export interface TeacherOutput {
  id: number;
  problemId: number;
  kind: OutputKind;
  teacher: string;
  sample: number;
  studentAnswerId: number | null;
  text: string;
  extractedAnswer: string | null;
  /** For rationales: whether the extracted answer matches gold; null where not graded. */
  correct: boolean | null;
  callId: number | null;
  source: string;
  createdAt: string;
  /** Cut at the teacher's token limit (its call's finish reason was length / max_tokens). */
  truncated: boolean;
}

export interface PeerReview {
  id: number;
  outputId: number;
  reviewer: string;
  rawText: string | null;
  score: number | null;
  callId: number | null;
}

export interface CurationEvent {
  id: number;
  outputId: number;
  action: CurationAction;
  text: string | null;
  undoesEventId: number | null;
  batch: string | null;
  curator: string;
  at: string;
  /** Whether the peer verdict was on screen when it was taken (false: blind mode); null when not recorded. */
  verdictShown: boolean | null;
  /** Ms from the item's first display in the panel to this decision; null when not measured. */
  decisionMs: number | null;
}

/** The current human verdict on one teacher output, derived from its events. */
export interface CurationState {
  outputId: number;
  decision: Decision;
  editedText: string | null;
  lastEventAt: string | null;
  curator: string | null;
}
