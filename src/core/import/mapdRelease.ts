import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { LineIssue, RawRecord } from '../io/textFile.ts';
import { describeJsonType } from '../io/textFile.ts';
import type { Problem, ProblemInput, TaskName } from '../model.ts';
import { upsertStudentAnswer } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from '../store/db.ts';
import { insertOutput, insertReview } from '../store/outputs.ts';
import { insertProblems } from '../store/problems.ts';
import type { TaskSpec } from '../tasks/types.ts';
import { answerLookup, problemLookup } from './lookup.ts';
import type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
import { eachRow, progressReporter, rowError } from './rows.ts';
import { taskSpec } from './taskNames.ts';
import { gradeWith } from '../tasks/grade.ts';

/**
 * The MAPD/FAIR paper's released data (github.com/zhuochunli/Learn-from-Committee, data/*.json):
 * JSON arrays named <student>_<dataset>_<false|feedback|rationale>_round<N>.json whose records
 * hold a student's wrong answer and, in the feedback and rationale files, three teachers'
 * critiques and peer-scored rationales. Mapping decisions are documented in docs/formats.md.
 */

interface ReleaseTeacher {
  /** The key prefix in the release ("gpt_feedback", "gpt_rationale"). */
  key: string;
  name: string;
}

export const RELEASE_TEACHERS: readonly ReleaseTeacher[] = [
  { key: 'gpt', name: 'gpt-3.5-turbo' },
  { key: 'gemini', name: 'gemini-1.0-pro' },
  { key: 'mistral', name: 'mixtral-8x7b-instruct' },
];

/**
 * Who gave the two scores in each "<teacher>_rationale": [text, score, score]. The paper's
 * collect_teacher_res.py stores gpt: [gemini, mistral], gemini: [gpt, mistral],
 * mistral: [gpt, gemini] — the other two teachers in the order gpt, gemini, mistral.
 */
export function releaseReviewers(teacherKey: string): ReleaseTeacher[] {
  return RELEASE_TEACHERS.filter((t) => t.key !== teacherKey);
}

/** Where each released dataset's "id" points: an index into this split file, beside the release folder. */
const RELEASE_DATASETS: Record<string, { task: TaskName; file: readonly string[] }> = {
  svamp: { task: 'svamp', file: ['svamp', 'chilled_split', 'train.json'] },
  strategyQA: { task: 'strategyqa', file: ['strategyqa', 'chilled_split', 'train.json'] },
};

/** The paper counts a peer score valid only when 0 < score < 6 (0 marks a reply it could not parse). */
export function releaseScore(score: number): number | null {
  return Number.isInteger(score) && score >= 1 && score <= 5 ? score : null;
}

export function looksLikeMapdRelease(value: unknown): value is unknown[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  if (first === null || typeof first !== 'object') return false;
  return ['id', 'question', 'gold_answer', 'student_wrong_pred'].every((key) => key in first);
}

interface ReleaseName {
  student: string;
  dataset: string;
}

/** Reads the student and dataset from the file name, as the paper's own scripts do. */
export function releaseName(file: string): ReleaseName {
  const match = /^([^_]+)_([^_]+)_(?:false|feedback|rationale)_round(\d+)\.json$/i.exec(path.basename(file));
  if (!match || !RELEASE_DATASETS[match[2] as string]) {
    throw new UserError('cannot tell the dataset from the file name', {
      where: file,
      next: `Keep the release's own name, <student>_<dataset>_<false|feedback|rationale>_round<N>.json, with dataset one of ${Object.keys(RELEASE_DATASETS).join(', ')}`,
    });
  }
  const round = Number(match[3]);
  // The release names the Hugging Face checkpoint; the project names the model.
  const model = (match[1] as string).replace(/-hf$/i, '');
  return { student: round === 0 ? model : `${model}-round${round}`, dataset: match[2] as string };
}

interface DatasetSource {
  task: TaskSpec;
  split: string;
  /** The dataset's problems in file order, or null when the file is missing (fallback). */
  problems: ProblemInput[] | null;
  file: string;
}

function datasetSource(releaseFile: string, dataset: string): DatasetSource {
  const entry = RELEASE_DATASETS[dataset] as { task: TaskName; file: readonly string[] };
  const task = taskSpec(entry.task);
  const file = path.resolve(path.dirname(releaseFile), '..', ...entry.file);
  if (!fs.existsSync(file)) return { task, split: 'train', problems: null, file };
  const parsed = task.parseFile(file);
  return { task, split: parsed.split, problems: parsed.problems, file };
}

/** The sourceId of a problem made from the release alone: its index in the train split. */
export function fallbackSourceId(index: number): string {
  return `train[${index}]`;
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

interface ReleaseRecord {
  index: number;
  question: string;
  goldAnswer: string;
  studentOutput: string;
  feedback: { teacher: string; text: string }[];
  rationales: { teacherKey: string; teacher: string; text: string; scores: [number, number] }[];
}

export function importMapdRelease(db: Db, file: string, rows: readonly RawRecord[], skipped: LineIssue[], o: ImportOutputsOptions): ImportOutputsResult {
  const skipBad = o.skipBad ?? false;
  const { student, dataset } = releaseName(file);
  const source = datasetSource(file, dataset);
  const notes: string[] = [];
  if (!source.problems) {
    notes.push(
      `${source.file} not found: problems were made from the release's own question and gold answer, with ids ${fallbackSourceId(0)}, ${fallbackSourceId(1)}, … (importing that dataset file later would add them again under its own ids)`,
    );
  }
  const report = progressReporter(rows.length, o.onProgress);
  const findProblem = problemLookup(db);
  const answers = answerLookup(db);
  const outputSource = `import:${path.basename(file)}`;
  const counts = { problems: 0, answers: 0, outputs: 0, reviews: 0, gradedCorrect: 0 };
  inTransaction(db, () => {
    const firstLine = new Map<number, number>();
    eachRow(file, rows, skipBad, skipped, ({ value, line }, i) => {
      const record = readRecord(value, file, line);
      const seen = firstLine.get(record.index);
      if (seen !== undefined) throw rowError(file, line, `duplicate id ${record.index} (first on line ${seen})`);
      firstLine.set(record.index, line);

      const problem = ensureProblem(record, source, file, line, db, findProblem, counts);
      const spec = source.task;
      let answerId = answers.byStudent(problem.id, student)?.id;
      if (answerId === undefined) {
        const { extractedAnswer, correct } = gradeWith(spec, record.studentOutput, problem.goldAnswer, problem);
        // The release lists the paper's mistakes: its verdict stands, whatever our grader says.
        if (correct) counts.gradedCorrect++;
        answerId = upsertStudentAnswer(db, { problemId: problem.id, student, rawOutput: record.studentOutput, extractedAnswer, correct: false });
        counts.answers++;
      }
      for (const critique of record.feedback) {
        const out = insertOutput(db, {
          problemId: problem.id,
          kind: 'critique',
          teacher: critique.teacher,
          studentAnswerId: answerId,
          text: critique.text,
          source: outputSource,
        });
        if (out.created) counts.outputs++;
      }
      for (const rationale of record.rationales) {
        const grade = gradeWith(spec, rationale.text, problem.goldAnswer, problem);
        const out = insertOutput(db, {
          problemId: problem.id,
          kind: 'rationale',
          teacher: rationale.teacher,
          text: rationale.text,
          ...grade,
          source: outputSource,
        });
        if (out.created) counts.outputs++;
        releaseReviewers(rationale.teacherKey).forEach((reviewer, k) => {
          const review = insertReview(db, { outputId: out.id, reviewer: reviewer.name, rawText: null, score: releaseScore(rationale.scores[k] as number) });
          if (review.created) counts.reviews++;
        });
      }
      report(i + 1);
    });
  });
  report(rows.length);
  if (counts.gradedCorrect > 0) {
    notes.push(
      `${counts.gradedCorrect} of the student's answers the paper counts as wrong grade as correct with the ${source.task.name} extraction; they were kept as mistakes, as the paper has them`,
    );
  }
  return { format: 'mapd-release', problems: counts.problems, answers: counts.answers, outputs: counts.outputs, reviews: counts.reviews, skipped, notes };
}

function ensureProblem(
  record: ReleaseRecord,
  source: DatasetSource,
  file: string,
  line: number,
  db: Db,
  findProblem: ReturnType<typeof problemLookup>,
  counts: { problems: number },
): Problem {
  let input: ProblemInput;
  let sourceFile: string | undefined;
  if (source.problems) {
    const fromDataset = source.problems[record.index];
    if (!fromDataset)
      throw rowError(
        file,
        line,
        `id ${record.index} is past the end of ${source.file} (${source.problems.length} records)`,
        'Check that the release file belongs to that dataset split',
      );
    if (normalize(fromDataset.question) !== normalize(record.question)) {
      throw rowError(
        file,
        line,
        `the question of id ${record.index} differs from record ${record.index} of ${source.file} ("${clip(record.question)}" vs "${clip(fromDataset.question)}")`,
        'Check that the release file belongs to that dataset split',
      );
    }
    input = fromDataset;
    sourceFile = source.file;
  } else {
    input = { sourceId: fallbackSourceId(record.index), question: record.question, goldAnswer: fallbackGold(source.task.name, record.goldAnswer) };
  }
  counts.problems += insertProblems(db, source.task.name, source.split, sourceFile, [input]).inserted;
  const match = findProblem(input.sourceId, source.task.name, source.split);
  if ('error' in match) throw new Error(`problem ${input.sourceId} vanished after insert`);
  return match.problem;
}

/** The release's gold answers: SVAMP "145"; StrategyQA "true.\t<facts>" / "false.\t<facts>". */
function fallbackGold(task: TaskName, gold: string): string {
  if (task === 'strategyqa') return /^\s*true\b/i.test(gold) ? 'yes' : 'no';
  return gold.trim();
}

function clip(text: string, max = 60): string {
  const flat = normalize(text);
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function readRecord(value: unknown, file: string, line: number): ReleaseRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw rowError(file, line, `expected a JSON object, found ${describeJsonType(value)}`);
  const r = value as Record<string, unknown>;
  const id = typeof r.id === 'string' && /^\d+$/.test(r.id) ? Number(r.id) : r.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0)
    throw rowError(file, line, `field "id" should be a record index (a whole number ≥ 0), found ${describeJsonType(r.id)}`);
  const text = (field: string, allowEmpty = false): string => {
    const v = r[field];
    if (typeof v !== 'string')
      throw rowError(
        file,
        line,
        `${v === undefined ? 'missing field' : 'field'} "${field}"${v === undefined ? '' : ` should be a string, found ${describeJsonType(v)}`}`,
      );
    if (!allowEmpty && v.trim() === '') throw rowError(file, line, `field "${field}" is empty`);
    return v;
  };
  const gold = r.gold_answer;
  const record: ReleaseRecord = {
    index: id,
    question: text('question'),
    goldAnswer: typeof gold === 'number' ? String(gold) : text('gold_answer'),
    studentOutput: text('student_wrong_pred', true),
    feedback: [],
    rationales: [],
  };
  for (const teacher of RELEASE_TEACHERS) {
    if (`${teacher.key}_feedback` in r) record.feedback.push({ teacher: teacher.name, text: text(`${teacher.key}_feedback`) });
    const field = `${teacher.key}_rationale`;
    if (field in r) {
      const v = r[field];
      if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'string' || typeof v[1] !== 'number' || typeof v[2] !== 'number') {
        throw rowError(file, line, `field "${field}" should be [text, score, score], found ${describeJsonType(v)}`);
      }
      if (v[0].trim() === '') throw rowError(file, line, `field "${field}" has an empty text`);
      record.rationales.push({ teacherKey: teacher.key, teacher: teacher.name, text: v[0], scores: [v[1], v[2]] });
    }
  }
  return record;
}
