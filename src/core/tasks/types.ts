import type { ProblemInput, TaskName } from '../model.ts';
import type { LineIssue } from '../io/textFile.ts';
import type { RecordPlace } from '../io/fields.ts';

/** Reads one record into a problem, or throws a UserError that names the place. */
export type RecordReader = (record: Record<string, unknown>, place: RecordPlace, index: number) => ProblemInput;

/** How a task's answers are extracted and compared. */
export type AnswerType = 'number' | 'yesno' | 'option' | 'text';

/** Which fields of a generic JSON Lines record hold what. Dotted paths reach nested fields. */
export interface FieldMapping {
  question: string;
  answer: string;
  id?: string;
  context?: string;
  options?: string;
  answerType?: AnswerType;
  rationale?: string;
}

export interface ParseOptions {
  /** The split to file the problems under; by default inferred from the file name. */
  split?: string;
  /** Collect bad records in `skipped` instead of failing on the first. */
  skipBad?: boolean;
  /** For the generic jsonl task. */
  mapping?: FieldMapping;
}

export interface ParsedProblems {
  problems: ProblemInput[];
  skipped: LineIssue[];
  split: string;
}

export interface TaskSpec {
  name: TaskName;
  title: string;
  answerType: AnswerType;
  /** Reads a dataset file; throws a UserError naming file:line for bad input (unless skipBad). */
  parseFile(file: string, options?: ParseOptions): ParsedProblems;
  /**
   * For a task whose files hold one problem per JSON record: its reader of one record (what
   * parseFile applies to each), so an import can stream a JSON Lines file instead of reading it whole.
   */
  recordReader?(options?: ParseOptions): RecordReader;
  /** The final answer a model's text states, in canonical form, or null when it states none. */
  extractAnswer(text: string, problem?: { options?: string[] }): string | null;
  /** Whether an extracted answer matches the gold answer; null (nothing extracted) is wrong. */
  isCorrect(extracted: string | null, gold: string, problem?: { options?: string[] }): boolean;
}
