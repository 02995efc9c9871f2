import type { Db } from '../store/db.ts';
import { reviewsForProblem } from '../store/outputs.ts';
import type { ItemView, MistakeView, ReviewView, StepMark } from './view.ts';
import type { CurationIndex, MistakeSummary } from './mistakeIndex.ts';
import type { RankedItem } from './items.ts';
import { itemWrongSteps, wrongStepMarks } from './stepMarks.ts';

function itemView(item: RankedItem, rank: number, reviews: ReviewView[], studentSteps: readonly StepMark[]): ItemView {
  return {
    outputId: item.facts.outputId,
    kind: item.facts.kind,
    teacher: item.facts.teacher,
    rank,
    text: item.facts.text,
    verdict: { ...item.verdict },
    reviews,
    decision: item.decision,
    editedText: item.editedText,
    teacherGrade: item.teacherGrade,
    editedGrade: item.editedGrade,
    wrongSteps: itemWrongSteps(item, studentSteps),
    truncated: item.facts.truncated,
    blinded: false,
  };
}

/** The full view of one mistake: the index's summary plus the reviewers' texts (one query). */
export function mistakeView(db: Db, index: CurationIndex, problemId: number): MistakeView | null {
  const summary = index.byProblem.get(problemId);
  return summary ? summaryView(db, summary) : null;
}

/** The full view of one mistake's summary, with the reviewers' texts (one query). */
export function summaryView(db: Db, summary: MistakeSummary): MistakeView {
  const problemId = summary.problemId;
  const reviewsByOutput = new Map<number, ReviewView[]>();
  for (const review of reviewsForProblem(db, problemId)) {
    const view: ReviewView = { reviewer: review.reviewer, score: review.score, rawText: review.rawText };
    const list = reviewsByOutput.get(review.outputId);
    if (list) list.push(view);
    else reviewsByOutput.set(review.outputId, [view]);
  }
  const { problem } = summary;
  const studentSteps = wrongStepMarks(summary.student.rawOutput);
  const view = (item: RankedItem, i: number): ItemView => itemView(item, i + 1, reviewsByOutput.get(item.facts.outputId) ?? [], studentSteps);
  return {
    problemId: problem.id,
    sourceId: problem.sourceId,
    task: problem.task,
    split: problem.split,
    question: problem.question,
    context: problem.context ?? null,
    options: problem.options ?? null,
    goldAnswer: problem.goldAnswer,
    student: { ...summary.student },
    critiques: summary.critiques.map(view),
    rationales: summary.rationales.map(view),
    studentWrongSteps: studentSteps,
    settled: summary.settled,
  };
}
