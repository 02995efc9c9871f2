import type { CurationState, PeerReview, Problem, StudentAnswer, TeacherOutput } from '../model.ts';
import type { AcceptanceRule, PeerVerdict } from '../ranking.ts';
import { PAPER_RULE, aggregateScores } from '../ranking.ts';
import { answerFromRow } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { outputFromRow } from '../store/outputs.ts';
import { curationStatesOfProblems } from '../store/events.ts';
import { problemFromRow } from '../store/problems.ts';

/** A teacher output with everything curation knows about it. */
export interface CuratedOutput {
  output: TeacherOutput;
  reviews: PeerReview[];
  verdict: PeerVerdict;
  /** The human decision in force; undefined when nobody decided. */
  state: CurationState | undefined;
}

/** One problem with its student answers and its critiques and rationales (ad-hoc outputs left out). */
export interface ProblemBundle {
  problem: Problem;
  answers: StudentAnswer[];
  outputs: CuratedOutput[];
}

export interface BundleOptions {
  rule?: AcceptanceRule;
  /** Problems per read; each page is four queries, so memory stays bounded by a page. */
  pageSize?: number;
  /** Decision states to use (a snapshot of the whole project); read page by page with the rest when not given. */
  states?: Map<number, CurationState>;
}

/** How many problems have critiques or rationales, for progress. */
export function bundleCount(db: Db): number {
  return (db.prepare(`SELECT COUNT(DISTINCT problem_id) AS n FROM teacher_outputs WHERE kind <> 'adhoc'`).get() as { n: number }).n;
}

/**
 * Every problem that has critiques or rationales, in id order, page by page (keyset paging: no
 * cursor stays open between pages, so the caller may await and other code may use the connection
 * in between). Each page is read in one transaction, its decision states with it: memory stays
 * bounded by a page whatever the project's size (issue 11: 1M curated items), where a snapshot of
 * every state held every edited text.
 */
export function* problemBundles(db: Db, options: BundleOptions = {}): Generator<ProblemBundle> {
  const rule = options.rule ?? PAPER_RULE;
  const pageSize = options.pageSize ?? 500;
  const pageProblems = db.prepare(`SELECT p.* FROM problems p
    WHERE p.id > ? AND EXISTS (SELECT 1 FROM teacher_outputs o WHERE o.problem_id = p.id AND o.kind <> 'adhoc')
    ORDER BY p.id LIMIT ?`);
  const pageAnswers = db.prepare('SELECT * FROM student_answers WHERE problem_id BETWEEN ? AND ? ORDER BY problem_id, id');
  const pageOutputs = db.prepare(`SELECT * FROM teacher_outputs WHERE problem_id BETWEEN ? AND ? AND kind <> 'adhoc' ORDER BY problem_id, id`);
  const pageReviews = db.prepare(`SELECT r.* FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id
    WHERE o.problem_id BETWEEN ? AND ? AND o.kind <> 'adhoc' ORDER BY r.output_id, r.reviewer`);
  const readPage = db.transaction((after: number) => {
    const problems = (pageProblems.all(after, pageSize) as Parameters<typeof problemFromRow>[0][]).map(problemFromRow);
    if (problems.length === 0) return undefined;
    const first = (problems[0] as Problem).id;
    const last = (problems[problems.length - 1] as Problem).id;
    const answers = groupBy((pageAnswers.all(first, last) as Parameters<typeof answerFromRow>[0][]).map(answerFromRow), (a) => a.problemId);
    const outputs = groupBy((pageOutputs.all(first, last) as Parameters<typeof outputFromRow>[0][]).map(outputFromRow), (o) => o.problemId);
    const states = options.states ?? curationStatesOfProblems(db, first, last);
    const reviews = groupBy(
      (
        pageReviews.all(first, last) as {
          id: number;
          output_id: number;
          reviewer: string;
          raw_text: string | null;
          score: number | null;
          call_id: number | null;
        }[]
      ).map((r): PeerReview => ({ id: r.id, outputId: r.output_id, reviewer: r.reviewer, rawText: r.raw_text, score: r.score, callId: r.call_id })),
      (r) => r.outputId,
    );
    return { problems, answers, outputs, reviews, states, last };
  });
  let after = 0;
  for (;;) {
    const page = readPage(after);
    if (!page) return;
    const { problems, answers, outputs, reviews, states } = page;
    for (const problem of problems) {
      yield {
        problem,
        answers: answers.get(problem.id) ?? [],
        outputs: (outputs.get(problem.id) ?? []).map((output) => {
          const own = reviews.get(output.id) ?? [];
          return {
            output,
            reviews: own,
            verdict: aggregateScores(
              own.map((r) => r.score),
              rule,
            ),
            state: states.get(output.id),
          };
        }),
      };
    }
    after = page.last;
  }
}

/** Items by key, each group in the items' order. */
export function groupBy<K, T>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
