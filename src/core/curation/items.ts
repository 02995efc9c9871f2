import type { CurationState, Problem } from '../model.ts';
import type { PeerVerdict } from '../ranking.ts';
import { aggregateScores, compareVerdicts } from '../ranking.ts';
import type { CuratedKind, Grade, ItemDecision } from '../../protocol/curation.ts';
import type { Grader } from './grading.ts';

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
}

/** The derived, rankable state of one output; shared by the index and the full view. */
export interface RankedItem {
  facts: OutputFacts;
  verdict: PeerVerdict;
  decision: ItemDecision;
  editedText: string | null;
  teacherGrade: Grade | null;
  editedGrade: Grade | null;
}

/** Rationales whose current text (edited, else the teacher's) misses the gold answer. */
export function answerMismatch(item: RankedItem): boolean {
  const grade = item.editedGrade ?? item.teacherGrade;
  return grade !== null && !grade.reachesGold;
}

function teacherGrade(problem: Problem, facts: OutputFacts, grader: Grader): Grade | null {
  if (facts.kind !== 'rationale') return null;
  // A grade stored at import or generation time wins; the grader fills in the rest.
  if (facts.correct !== null) return { extracted: facts.extractedAnswer, reachesGold: facts.correct };
  return grader(problem, facts.text);
}

/** Ranks outputs of one kind best first: peer verdict, then teacher name, sample and id. */
export function rankItems(problem: Problem, outputs: readonly OutputFacts[], states: ReadonlyMap<number, CurationState>, grader: Grader): RankedItem[] {
  const items = outputs.map((facts): RankedItem => {
    const state = states.get(facts.outputId);
    const editedText = state?.editedText ?? null;
    return {
      facts,
      verdict: aggregateScores(facts.scores),
      decision: state?.decision ?? 'undecided',
      editedText,
      teacherGrade: teacherGrade(problem, facts, grader),
      editedGrade: facts.kind === 'rationale' && editedText !== null ? grader(problem, editedText) : null,
    };
  });
  return items.sort(
    (a, b) =>
      compareVerdicts(a.verdict, b.verdict) ||
      a.facts.teacher.localeCompare(b.facts.teacher) ||
      a.facts.sample - b.facts.sample ||
      a.facts.outputId - b.facts.outputId,
  );
}

/** A kind is settled when it has an accepted item or every item of it is rejected. */
export function kindSettled(items: readonly RankedItem[]): boolean {
  return items.some((i) => i.decision === 'accepted') || (items.length > 0 && items.every((i) => i.decision === 'rejected'));
}

/** A mistake is decided when every kind it has is settled (and it has at least one item). */
export function mistakeDecided(critiques: readonly RankedItem[], rationales: readonly RankedItem[]): boolean {
  if (critiques.length === 0 && rationales.length === 0) return false;
  return (critiques.length === 0 || kindSettled(critiques)) && (rationales.length === 0 || kindSettled(rationales));
}
