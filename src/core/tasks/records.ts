import path from 'node:path';
import type { ProblemInput } from '../model.ts';
import { UserError, fileLine } from '../errors.ts';
import type { LineIssue, RawRecord } from '../io/textFile.ts';
import { describeJsonType, readJsonRecords } from '../io/textFile.ts';
import type { AnswerType, ParseOptions, ParsedProblems, RecordReader, TaskSpec } from './types.ts';
import { extractAnswerAs, isCorrectAs } from './answer.ts';

export type { RecordReader } from './types.ts';

/**
 * What to do when a source id repeats: return a new id to keep the record under, or undefined to
 * report the repeat as an error (the default for every dataset).
 */
export type DuplicateResolver = (problem: ProblemInput, first: ProblemInput, occurrence: number) => string | undefined;

export interface CollectOptions {
  skipBad?: boolean;
  /** Issues found before the records were read (lines that were not JSON, with skipBad). */
  skipped?: readonly LineIssue[];
  resolveDuplicate?: DuplicateResolver;
}

/**
 * Turns raw records into problems: every record must be an object the reader accepts, and source
 * ids must be unique within the file. The first bad record is an error naming file:line, unless
 * skipBad is set: then bad records are collected and the rest kept.
 */
export function collectProblems(
  file: string,
  records: readonly RawRecord[],
  read: RecordReader,
  options: CollectOptions = {},
): { problems: ProblemInput[]; skipped: LineIssue[] } {
  const problems: ProblemInput[] = [];
  const skipped: LineIssue[] = [...(options.skipped ?? [])];
  const seen = new Map<string, { problem: ProblemInput; line: number; count: number }>();
  const fail = failer(file, options.skipBad ?? false, skipped);
  records.forEach((record, position) => {
    let problem = readRecord(file, record, position, read, fail);
    if (problem === undefined) return;
    const first = seen.get(problem.sourceId);
    if (first) {
      first.count++;
      const renamed = options.resolveDuplicate?.(problem, first.problem, first.count);
      if (renamed === undefined || seen.has(renamed)) {
        fail(record.line, duplicateId(file, record.line, problem.sourceId, first.line));
        return;
      }
      problem = { ...problem, sourceId: renamed };
    }
    seen.set(problem.sourceId, { problem, line: record.line, count: 1 });
    problems.push(problem);
  });
  skipped.sort((a, b) => a.line - b.line);
  if (problems.length === 0) throw noProblemRead(file, skipped);
  return { problems, skipped };
}

/** What a bad record does: throws, or with skipBad is added to `skipped`. */
export type RecordFailure = (line: number, error: UserError) => void;

export function failer(file: string, skipBad: boolean, skipped: LineIssue[]): RecordFailure {
  return (line, error) => {
    if (!skipBad) throw error;
    skipped.push({ file, line, message: error.what });
  };
}

/**
 * One record read into a problem: it must be an object the reader accepts. Undefined when it is
 * not (after `fail`, which throws unless bad records are skipped). `position` is its place among
 * the records, for datasets whose ids are record indexes.
 */
export function readRecord(file: string, record: RawRecord, position: number, read: RecordReader, fail: RecordFailure): ProblemInput | undefined {
  const { line, value } = record;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(
      line,
      new UserError(`expected a JSON object, found ${describeJsonType(value)}`, {
        where: fileLine(file, line),
        next: 'Fix or remove that record (or import with "skip bad rows")',
      }),
    );
    return undefined;
  }
  try {
    return read(value as Record<string, unknown>, { file, line }, record.index ?? position);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    fail(line, error);
    return undefined;
  }
}

export function duplicateId(file: string, line: number, sourceId: string, firstLine: number): UserError {
  return new UserError(`duplicate id "${sourceId}" (first used at line ${firstLine})`, {
    where: fileLine(file, line),
    next: 'Give every record its own id, or remove the repeat',
  });
}

/** A file none of whose records gave a problem: why, from the first bad one (`skipped` in line order). */
export function noProblemRead(file: string, skipped: readonly LineIssue[]): UserError {
  const firstIssue = skipped[0];
  if (firstIssue) {
    return new UserError(`none of the ${skipped.length} records could be read; the first problem, at line ${firstIssue.line}: ${firstIssue.message}`, {
      where: file,
      next: 'Check that this is the right file for the chosen task',
    });
  }
  return new UserError('the file holds no records', { where: file, next: 'Choose a file that holds the data' });
}

/**
 * An unlabelled file (a dataset's hidden-answer test split) is refused as a whole, not record by
 * record: curation needs gold answers.
 */
export function requireLabelled(file: string, records: readonly RawRecord[], goldField: string, hint: string): void {
  const objects = records.filter((r) => r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value));
  if (objects.length === 0) return;
  if (objects.some((r) => (r.value as Record<string, unknown>)[goldField] !== undefined)) return;
  throw new UserError(`no record has a gold answer (field "${goldField}"): this looks like an unlabelled test split`, { where: file, next: hint });
}

const SPLIT_WORDS: readonly [RegExp, string][] = [
  [/^ood$/, 'ood_test'],
  [/^train(?:ing)?$/, 'train'],
  [/^test$/, 'test'],
  [/^dev$/, 'dev'],
  [/^(?:validation|valid|val)$/, 'validation'],
  [/^eval(?:uation)?$/, 'eval'],
];

/** The split a file name states ("train_rand_split.jsonl" → train, "Eval.txt" → eval), if any. */
export function inferSplit(file: string): string | undefined {
  const words = path
    .basename(file)
    .toLowerCase()
    .replace(/\.[a-z0-9]+$/, '')
    .split(/[^a-z0-9]+/);
  for (const [pattern, split] of SPLIT_WORDS) {
    if (words.some((word) => pattern.test(word))) return split;
  }
  return undefined;
}

/**
 * The split to file problems under: the one asked for, else the file name's, else "train" (a file
 * that names no split, like SVAMP.json, is most often imported to build training data).
 */
export function resolveSplit(file: string, options: ParseOptions | undefined): string {
  const asked = options?.split?.trim();
  return asked ? asked : (inferSplit(file) ?? 'train');
}

export function parsed(file: string, options: ParseOptions | undefined, result: { problems: ProblemInput[]; skipped: LineIssue[] }): ParsedProblems {
  return { problems: result.problems, skipped: result.skipped, split: resolveSplit(file, options) };
}

/** The common parseFile: a JSON Lines file or JSON array, one problem per record. */
export function parseJsonRecordsFile(file: string, options: ParseOptions | undefined, read: RecordReader): ParsedProblems {
  const raw = readJsonRecords(file, { skipBad: options?.skipBad });
  return parsed(file, options, collectProblems(file, raw.records, read, { skipBad: options?.skipBad, skipped: raw.skipped }));
}

/** A problem with its optional fields set only where they have a value. */
export function problem(fields: ProblemInput): ProblemInput {
  const result: ProblemInput = { sourceId: fields.sourceId, question: fields.question, goldAnswer: fields.goldAnswer };
  if (fields.context !== undefined && fields.context.trim() !== '') result.context = fields.context;
  if (fields.options !== undefined) result.options = fields.options;
  if (fields.goldRationale !== undefined && fields.goldRationale.trim() !== '') result.goldRationale = fields.goldRationale;
  if (fields.sourceLine !== undefined) result.sourceLine = fields.sourceLine;
  return result;
}

/** Extraction and grading of a task, from its answer type. */
export function gradingFor(answerType: AnswerType): Pick<TaskSpec, 'extractAnswer' | 'isCorrect'> {
  return {
    extractAnswer: (text, problem) => extractAnswerAs(answerType, text, problem),
    isCorrect: (extracted, gold, problem) => isCorrectAs(answerType, extracted, gold, problem),
  };
}

/** A value quoted briefly for a message: strings in quotes, other JSON values as written. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return typeof value === 'string' ? JSON.stringify(short) : short;
}
