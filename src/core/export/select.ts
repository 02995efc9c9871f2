import type { StudentAnswer } from '../model.ts';
import type { AcceptanceRule } from '../ranking.ts';
import { PAPER_RULE, compareVerdicts } from '../ranking.ts';
import type { Grade } from '../tasks/grade.ts';
import { rationaleAnswer } from '../tasks/grade.ts';
import type { CuratedOutput, ProblemBundle } from './bundles.ts';

/** Which teacher outputs enter the training set, and how many per mistake. */
export interface SelectionOptions {
  /** Also count peer-accepted items no human decided (a human rejection always wins). Default false. */
  includePeerAccepted: boolean;
  /** Every accepted item per mistake instead of the top-ranked one. Default false. */
  allAccepted: boolean;
  /** Also export rationales of problems every student got right. Default false. */
  includeCorrect: boolean;
  /** Keep rationales whose answer differs from gold (flagged) instead of excluding them. Default false. */
  keepInconsistent: boolean;
  /** Also export outputs cut at the teacher's token limit (left out unless a human edited them). Default false. */
  includeTruncated: boolean;
  rule: AcceptanceRule;
}

export function selectionOptions(partial: Partial<SelectionOptions> = {}): SelectionOptions {
  return {
    includePeerAccepted: partial.includePeerAccepted ?? false,
    allAccepted: partial.allAccepted ?? false,
    includeCorrect: partial.includeCorrect ?? false,
    keepInconsistent: partial.keepInconsistent ?? false,
    includeTruncated: partial.includeTruncated ?? false,
    rule: partial.rule ?? PAPER_RULE,
  };
}

export type HumanDecision = 'accepted' | 'edited' | 'rejected' | 'undecided';

/** Why an output is not in the training set. */
export type Exclusion =
  | 'rejected' // a human rejected it
  | 'not-accepted' // undecided, and not counted (or not peer-accepted)
  | 'not-top-ranked' // accepted, but another accepted item of the mistake ranks higher
  | 'answer-inconsistent' // a rationale whose answer differs from gold
  | 'empty-text' // accepted, but its text is blank: no trainer takes an empty response
  | 'truncated' // accepted, but cut at the teacher's token limit and not edited (unless includeTruncated)
  | 'student-correct' // the student got the problem right (rationales: unless includeCorrect)
  | 'unanswered'; // no student answered the problem

export type ProblemRole = 'mistake' | 'correct' | 'unanswered';

export interface ItemSelection {
  curated: CuratedOutput;
  human: HumanDecision;
  /** The text that trains: the human's edit, else the teacher's. */
  text: string;
  /** For rationales; null for critiques. */
  answer: Grade | null;
  /** For critiques: the wrong answer it critiques (null when there is none). */
  studentAnswer: StudentAnswer | null;
  /** Whether it counts as accepted under the options (before ranking and the answer check). */
  accepted: boolean;
  selected: boolean;
  exclusion: Exclusion | null;
}

export interface BundleSelection {
  bundle: ProblemBundle;
  role: ProblemRole;
  wrongAnswers: StudentAnswer[];
  /** Every output of the problem, in the order the examples are written: rationales, then critiques. */
  items: ItemSelection[];
}

export function humanDecision(curated: CuratedOutput): HumanDecision {
  const state = curated.state;
  if (!state || state.decision === 'undecided') return 'undecided';
  if (state.decision === 'rejected') return 'rejected';
  return state.editedText !== null ? 'edited' : 'accepted';
}

/**
 * Ranks accepted items best first: a human's accept before a committee-only accept, then the
 * peer verdict (ranking.ts), then teacher name, sample and id for a stable order.
 */
function compareItems(a: ItemSelection, b: ItemSelection): number {
  const ha = a.human === 'undecided' ? 1 : 0;
  const hb = b.human === 'undecided' ? 1 : 0;
  if (ha !== hb) return ha - hb;
  const byVerdict = compareVerdicts(a.curated.verdict, b.curated.verdict);
  if (byVerdict !== 0) return byVerdict;
  const oa = a.curated.output;
  const ob = b.curated.output;
  if (oa.teacher !== ob.teacher) return oa.teacher < ob.teacher ? -1 : 1;
  if (oa.sample !== ob.sample) return oa.sample - ob.sample;
  return oa.id - ob.id;
}

/** Decides, for every output of one problem, whether it enters the training set and why not. */
export function selectBundle(bundle: ProblemBundle, options: SelectionOptions): BundleSelection {
  const wrongAnswers = bundle.answers.filter((a) => !a.correct);
  const role: ProblemRole = wrongAnswers.length > 0 ? 'mistake' : bundle.answers.length > 0 ? 'correct' : 'unanswered';
  const items: ItemSelection[] = bundle.outputs.map((curated) => {
    const human = humanDecision(curated);
    const accepted = human === 'accepted' || human === 'edited' || (options.includePeerAccepted && human === 'undecided' && curated.verdict.accepted);
    const text = human === 'edited' ? (curated.state?.editedText as string) : curated.output.text;
    const isRationale = curated.output.kind === 'rationale';
    return {
      curated,
      human,
      text,
      answer: isRationale ? rationaleAnswer(bundle.problem, curated.output, human === 'edited' ? text : null) : null,
      studentAnswer: isRationale ? null : critiquedAnswer(curated, bundle.answers, wrongAnswers),
      accepted,
      selected: false,
      exclusion:
        human === 'rejected'
          ? 'rejected'
          : !accepted
            ? 'not-accepted'
            : text.trim() === ''
              ? 'empty-text'
              : curated.output.truncated && human !== 'edited' && !options.includeTruncated
                ? 'truncated'
                : null,
    };
  });

  const rationales = items.filter((i) => i.curated.output.kind === 'rationale');
  const critiques = items.filter((i) => i.curated.output.kind === 'critique');
  const rationalesCount = role === 'mistake' || (role === 'correct' && options.includeCorrect);
  const roleExclusion: Exclusion = role === 'unanswered' ? 'unanswered' : 'student-correct';

  // Rationales: one slot per problem (the paper's "question -> rationale" example).
  const candidates = rationales.filter((i) => i.exclusion === null);
  for (const item of candidates) {
    if (!rationalesCount) item.exclusion = roleExclusion;
    else if (!(item.answer as Grade).reachesGold && !options.keepInconsistent) item.exclusion = 'answer-inconsistent';
  }
  pick(
    candidates.filter((i) => i.exclusion === null),
    options.allAccepted,
  );

  // Critiques: one slot per wrong answer (the "question + wrong answer + hint -> feedback" example).
  const slots = new Map<number, ItemSelection[]>();
  for (const item of critiques) {
    if (item.exclusion !== null) continue;
    const answer = item.studentAnswer;
    if (role !== 'mistake' || answer === null || answer.correct) {
      item.exclusion = roleExclusion === 'unanswered' || answer === null ? roleExclusion : 'student-correct';
      continue;
    }
    const slot = slots.get(answer.id);
    if (slot) slot.push(item);
    else slots.set(answer.id, [item]);
  }
  for (const slot of slots.values()) pick(slot, options.allAccepted);

  return { bundle, role, wrongAnswers, items: [...rationales.sort(writeOrder), ...critiques.sort(writeOrder)] };
}

function pick(slot: ItemSelection[], all: boolean): void {
  slot.sort(compareItems);
  slot.forEach((item, index) => {
    if (all || index === 0) item.selected = true;
    else item.exclusion = 'not-top-ranked';
  });
}

/** Selected first, in rank order; then the rest by id, so a file reads top-down as ranked. */
function writeOrder(a: ItemSelection, b: ItemSelection): number {
  if (a.selected !== b.selected) return a.selected ? -1 : 1;
  if (a.selected) return compareItems(a, b);
  return a.curated.output.id - b.curated.output.id;
}

/** The answer a critique critiques: its own, else (older imports without one) the first wrong answer. */
function critiquedAnswer(curated: CuratedOutput, answers: readonly StudentAnswer[], wrong: readonly StudentAnswer[]): StudentAnswer | null {
  const id = curated.output.studentAnswerId;
  if (id !== null) return answers.find((a) => a.id === id) ?? null;
  return wrong[0] ?? null;
}
