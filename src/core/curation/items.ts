import type { CuratedKind, CurationState, Decision, Problem } from '../model.ts';
import type { PeerVerdict } from '../ranking.ts';
import { aggregateScores, compareVerdicts } from '../ranking.ts';
import type { Grade } from '../tasks/grade.ts';
import { rationaleAnswer } from '../tasks/grade.ts';

/** What the panel needs to know about one teacher output, before any text is shown. */
export interface OutputFacts {
  outputId: number;
  kind: CuratedKind;
  teacher: string;
  sample: number;
  text: string;
  extractedAnswer: string | null;
  correct: boolean | null;
  scores: (number | null)[];
  /** Cut at the teacher's token limit (teacher_outputs.truncated). */
  truncated: boolean;
}

/** The derived, rankable state of one output; shared by the index and the full view. */
export interface RankedItem {
  facts: OutputFacts;
  verdict: PeerVerdict;
  decision: Decision;
  editedText: string | null;
  teacherGrade: Grade | null;
  editedGrade: Grade | null;
}

/** Rationales whose current text (edited, else the teacher's) misses the gold answer. */
export function answerMismatch(item: RankedItem): boolean {
  const grade = item.editedGrade ?? item.teacherGrade;
  return grade !== null && !grade.reachesGold;
}

/** 1 for a rationale whose teacher text misses the gold answer, else 0: on equal verdicts it ranks lower. */
const missesGold = (item: RankedItem): number => (item.teacherGrade !== null && !item.teacherGrade.reachesGold ? 1 : 0);

/**
 * Ranks outputs of one kind best first: peer verdict, then (on equal verdicts) a rationale that
 * reaches the gold answer before one that does not, then teacher name, sample and id. The
 * teacher's grade is used, not an edit's, so an edit never reorders the list under the curator.
 */
export function rankItems(problem: Problem, outputs: readonly OutputFacts[], states: ReadonlyMap<number, CurationState>): RankedItem[] {
  const items = outputs.map((facts): RankedItem => {
    const state = states.get(facts.outputId);
    const editedText = state?.editedText ?? null;
    const rationale = facts.kind === 'rationale';
    return {
      facts,
      verdict: aggregateScores(facts.scores),
      decision: state?.decision ?? 'undecided',
      editedText,
      teacherGrade: rationale ? rationaleAnswer(problem, facts, null) : null,
      editedGrade: rationale && editedText !== null ? rationaleAnswer(problem, facts, editedText) : null,
    };
  });
  return items.sort(
    (a, b) =>
      compareVerdicts(a.verdict, b.verdict) ||
      missesGold(a) - missesGold(b) ||
      a.facts.teacher.localeCompare(b.facts.teacher) ||
      a.facts.sample - b.facts.sample ||
      a.facts.outputId - b.facts.outputId,
  );
}

type Decided = Pick<RankedItem, 'decision'>;

/** A kind is settled when it has an accepted item or every item of it is rejected (README, Glossary). */
export function kindSettled(items: readonly Decided[]): boolean {
  return items.some((i) => i.decision === 'accepted') || (items.length > 0 && items.every((i) => i.decision === 'rejected'));
}

/** A mistake is settled when every kind it has is settled (and it has at least one item). */
export function mistakeSettled(critiques: readonly Decided[], rationales: readonly Decided[]): boolean {
  if (critiques.length === 0 && rationales.length === 0) return false;
  return (critiques.length === 0 || kindSettled(critiques)) && (rationales.length === 0 || kindSettled(rationales));
}
