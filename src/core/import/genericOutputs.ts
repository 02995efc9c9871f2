import type { LineIssue, RawRecord } from '../io/textFile.ts';
import { describeJsonType } from '../io/textFile.ts';
import { optionalString, requireScalarText, requireString } from '../io/fields.ts';
import type { OutputKind, Problem } from '../model.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from '../store/db.ts';
import { insertOutput, insertReview } from '../store/outputs.ts';
import { answerLookup, problemLookup } from './lookup.ts';
import type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
import { eachRow, progressReporter, rowError } from './rows.ts';
import { optionalTaskName, taskSpec } from './taskNames.ts';
import path from 'node:path';
import { gradeWith } from '../tasks/grade.ts';

const KINDS: readonly OutputKind[] = ['critique', 'rationale'];

interface ReviewInput {
  reviewer: string;
  score: number | null;
  rawText: string | null;
}

/**
 * The generic teacher-outputs format (docs/formats.md): one output per JSON line, for problems
 * (and, for critiques, student answers) already in the project.
 */
export function importGenericOutputs(db: Db, file: string, records: readonly RawRecord[], skipped: LineIssue[], o: ImportOutputsOptions): ImportOutputsResult {
  const skipBad = o.skipBad ?? false;
  const report = progressReporter(records.length, o.onProgress);
  const findProblem = problemLookup(db);
  const answers = answerLookup(db);
  const source = `import:${path.basename(file)}`;
  const counts = inTransaction(db, () => {
    const firstLine = new Map<string, number>();
    let outputs = 0;
    let reviews = 0;
    eachRow(file, records, skipBad, skipped, ({ line, value: raw }, index) => {
      const place = { file, line };
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw rowError(file, line, `expected a JSON object, found ${describeJsonType(raw)}`);
      const value = raw as Record<string, unknown>;
      const sourceId = requireScalarText(value, 'id', place);
      const task = optionalTaskName(optionalString(value, 'task', place), `${file}:${line}`);
      const split = optionalString(value, 'split', place);
      const kind = requireString(value, 'kind', place);
      if (!(KINDS as readonly string[]).includes(kind)) throw rowError(file, line, `field "kind" should be "critique" or "rationale", found "${kind}"`);
      const teacher = requireString(value, 'teacher', place);
      const text = requireString(value, 'text', place);
      const student = optionalString(value, 'student', place);
      const sample = optionalSample(value, file, line);
      const reviewInputs = optionalReviews(value, file, line);

      const match = findProblem(sourceId, task, split);
      if ('error' in match) throw rowError(file, line, match.error, match.next);
      const { problem } = match;
      const studentAnswerId = kind === 'critique' ? critiquedAnswer(problem, student, answers, file, line) : null;
      const slot = [problem.id, kind, teacher, sample, studentAnswerId ?? 0].join('\u0000');
      const seen = firstLine.get(slot);
      if (seen !== undefined)
        throw rowError(
          file,
          line,
          `duplicate ${kind} of "${teacher}" for id "${sourceId}" (first on line ${seen})`,
          'Give repeated samples their own "sample" number, or remove the duplicate',
        );
      firstLine.set(slot, line);

      let extractedAnswer: string | null = null;
      let correct: boolean | null = null;
      if (kind === 'rationale') {
        ({ extractedAnswer, correct } = gradeWith(taskSpec(problem.task), text, problem.goldAnswer, problem));
      }
      const output = insertOutput(db, {
        problemId: problem.id,
        kind: kind as OutputKind,
        teacher,
        sample,
        studentAnswerId,
        text,
        extractedAnswer,
        correct,
        source,
      });
      if (output.created) outputs++;
      for (const review of reviewInputs) {
        if (insertReview(db, { outputId: output.id, ...review }).created) reviews++;
      }
      report(index + 1);
    });
    return { outputs, reviews };
  });
  report(records.length);
  return { format: 'generic', problems: 0, answers: 0, ...counts, skipped, notes: [] };
}

function critiquedAnswer(problem: Problem, student: string | undefined, answers: ReturnType<typeof answerLookup>, file: string, line: number): number {
  if (student !== undefined) {
    const answer = answers.byStudent(problem.id, student);
    if (!answer)
      throw rowError(
        file,
        line,
        `"${student}" has no answer to id "${problem.sourceId}" in this project`,
        'Import that student\'s answers first (mapd answers), or fix "student"',
      );
    return answer.id;
  }
  const wrong = answers.wrong(problem.id);
  if (wrong.length === 1) return (wrong[0] as { id: number }).id;
  if (wrong.length === 0)
    throw rowError(
      file,
      line,
      `id "${problem.sourceId}" has no wrong student answer for this critique to critique`,
      'Import the student answers first (mapd answers), or name the student in "student"',
    );
  throw rowError(
    file,
    line,
    `several students got id "${problem.sourceId}" wrong (${wrong.map((a) => a.student).join(', ')})`,
    'Name the critiqued student in "student"',
  );
}

function optionalSample(value: Record<string, unknown>, file: string, line: number): number {
  const sample = value.sample;
  if (sample === undefined || sample === null) return 0;
  if (typeof sample !== 'number' || !Number.isInteger(sample) || sample < 0) {
    throw rowError(
      file,
      line,
      `field "sample" should be a whole number ≥ 0, found ${describeJsonType(sample)}${typeof sample === 'number' ? ` ${sample}` : ''}`,
    );
  }
  return sample;
}

function optionalReviews(value: Record<string, unknown>, file: string, line: number): ReviewInput[] {
  const reviews = value.reviews;
  if (reviews === undefined || reviews === null) return [];
  if (!Array.isArray(reviews))
    throw rowError(file, line, `field "reviews" should be an array of {"reviewer", "score", "text"}, found ${describeJsonType(reviews)}`);
  const seen = new Set<string>();
  return reviews.map((review: unknown, i) => {
    const field = `reviews[${i}]`;
    if (review === null || typeof review !== 'object' || Array.isArray(review))
      throw rowError(file, line, `field "${field}" should be an object, found ${describeJsonType(review)}`);
    const r = review as Record<string, unknown>;
    if (typeof r.reviewer !== 'string' || r.reviewer.trim() === '')
      throw rowError(file, line, `field "${field}.reviewer" should be a non-empty string, found ${describeJsonType(r.reviewer)}`);
    if (seen.has(r.reviewer)) throw rowError(file, line, `"${r.reviewer}" reviews this output twice`, 'Keep one review per reviewer');
    seen.add(r.reviewer);
    const score = r.score ?? null;
    if (score !== null && (typeof score !== 'number' || !Number.isFinite(score)))
      throw rowError(file, line, `field "${field}.score" should be a number or null, found ${describeJsonType(score)}`);
    const rawText = r.text ?? null;
    if (rawText !== null && typeof rawText !== 'string')
      throw rowError(file, line, `field "${field}.text" should be a string, found ${describeJsonType(rawText)}`);
    return { reviewer: r.reviewer, score, rawText };
  });
}
