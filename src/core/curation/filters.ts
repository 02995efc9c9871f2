import type { MistakeFilter } from './view.ts';
import type { CurationIndex, MistakeSummary } from './mistakeIndex.ts';
import { lowerBound } from './sortedIds.ts';
import { answerMismatch } from './items.ts';
import { hasWrongStep } from './stepMarks.ts';

export type MistakePredicate = (summary: MistakeSummary) => boolean;

/**
 * Compiles a filter once into a predicate over summaries. Every criterion must hold:
 * status (any item accepted / rejected / edited, the mistake not yet decided, or its student answer
 * graded correct by the task's extractor though imported as a mistake), a teacher that
 * wrote one of its outputs, an output whose peer score lies in the range, a rationale that misses
 * the gold answer, a critique or rationale with a wrong arithmetic step, one cut at the teacher's token limit, and the search words (all of them, case-insensitive) somewhere in its text.
 */
export function compileFilter(filter: MistakeFilter): MistakePredicate {
  const words = filter.search
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const { status, teacher, scoreMin, scoreMax, mismatchOnly, wrongStepOnly, truncatedOnly } = filter;
  const hasRange = scoreMin !== null || scoreMax !== null;
  return (summary) => {
    const items =
      summary.critiques.length === 0 ? summary.rationales : summary.rationales.length === 0 ? summary.critiques : [...summary.critiques, ...summary.rationales];
    if (status === 'undecided' && summary.settled) return false;
    if (status === 'accepted' && !items.some((i) => i.decision === 'accepted' && i.editedText === null)) return false;
    if (status === 'edited' && !items.some((i) => i.editedText !== null)) return false;
    if (status === 'rejected' && !items.some((i) => i.decision === 'rejected')) return false;
    if (status === 'gradedCorrect' && !summary.student.gradedCorrect) return false;
    if (teacher !== null && !items.some((i) => i.facts.teacher === teacher)) return false;
    if (
      hasRange &&
      !items.some((i) => i.verdict.score !== null && (scoreMin === null || i.verdict.score >= scoreMin) && (scoreMax === null || i.verdict.score <= scoreMax))
    ) {
      return false;
    }
    if (mismatchOnly && !summary.rationales.some(answerMismatch)) return false;
    if (wrongStepOnly && !items.some((i) => hasWrongStep(i, summary.student.rawOutput))) return false;
    if (truncatedOnly && !items.some((i) => i.facts.truncated)) return false;
    for (const word of words) if (!summary.searchText.includes(word)) return false;
    return true;
  };
}

/** The mistakes matching a filter, as sorted problem ids, kept current as single mistakes change. */
export interface FilteredList {
  filter: MistakeFilter;
  matches: MistakePredicate;
  ids: number[];
}

export function filterIndex(index: CurationIndex, filter: MistakeFilter): FilteredList {
  const matches = compileFilter(filter);
  const ids: number[] = [];
  for (const id of index.order) if (matches(index.byProblem.get(id) as MistakeSummary)) ids.push(id);
  return { filter, matches, ids };
}

/** Re-checks one mistake's membership after it changed (or left the index). */
export function updateMembership(list: FilteredList, index: CurationIndex, problemId: number): void {
  const summary = index.byProblem.get(problemId);
  const at = lowerBound(list.ids, problemId);
  const present = list.ids[at] === problemId;
  const belongs = summary !== undefined && list.matches(summary);
  if (present && !belongs) list.ids.splice(at, 1);
  else if (!present && belongs) list.ids.splice(at, 0, problemId);
}

/** The next matching mistake after `from` (the first when from is null); null at the end. */
export function nextId(list: FilteredList, from: number | null): number | null {
  if (from === null) return list.ids[0] ?? null;
  const at = lowerBound(list.ids, from + 1);
  return list.ids[at] ?? null;
}

/** The previous matching mistake before `from`; null at the start. */
export function previousId(list: FilteredList, from: number | null): number | null {
  if (from === null) return null;
  const at = lowerBound(list.ids, from);
  return at > 0 ? (list.ids[at - 1] as number) : null;
}

/** The next matching mistake that is not settled, searching forward from `from` and wrapping around. */
export function nextUndecidedId(list: FilteredList, index: CurationIndex, from: number | null): number | null {
  const start = from === null ? 0 : lowerBound(list.ids, from + 1);
  const n = list.ids.length;
  for (let step = 0; step < n; step++) {
    const id = list.ids[(start + step) % n] as number;
    if (id === from) continue;
    if (!index.byProblem.get(id)?.settled) return id;
  }
  return null;
}

/** 0-based position of a mistake in the list, -1 when it does not match. */
export function positionOf(list: FilteredList, problemId: number | null): number {
  if (problemId === null) return -1;
  const at = lowerBound(list.ids, problemId);
  return list.ids[at] === problemId ? at : -1;
}
