import type { BundleSelection, ItemSelection } from './select.ts';
import type { TrainingTask } from './rows.ts';
import { trainingTask } from './rows.ts';

/**
 * Preference pairs from the human's decisions, for DPO / ORPO / KTO trainers. Two sources:
 * - `rejection`: in one slot (a problem's rationale slot, or one wrong answer's feedback slot),
 *   an item the human accepted or edited that is in the training set, over an item of the same
 *   slot the human rejected;
 * - `edit`: a human edit over the teacher's text it rewrote.
 * Both sides of a pair share one prompt (the slot's). A pair whose two texts are the same after
 * trimming teaches nothing, and one with a blank side no trainer takes: both are left out, counted.
 */

export type PairSource = 'rejection' | 'edit';
export const PAIR_SOURCES: readonly PairSource[] = ['rejection', 'edit'];

export interface PreferencePair {
  source: PairSource;
  task: TrainingTask;
  /** The item whose prompt both sides answer, and whose text (or edit) is chosen. */
  chosen: ItemSelection;
  chosenText: string;
  /** The rejected item (for an edit pair, the same item: its teacher's text). */
  rejected: ItemSelection;
  rejectedText: string;
}

export interface PairCounts {
  fromRejections: number;
  fromEdits: number;
  /** Pairs left out: both sides read the same after trimming, or one side is blank. */
  skipped: number;
}

/** The slot an item competes in: a problem's rationale, or one wrong answer's feedback. */
function slotOf(item: ItemSelection): string {
  return item.curated.output.kind === 'rationale' ? 'rationale' : `critique:${item.studentAnswer?.id ?? 'none'}`;
}

/** An edit is trainable when it would be, were it top-ranked: not rejected, not out of scope, answer-consistent. */
function trainableEdit(item: ItemSelection): boolean {
  return item.human === 'edited' && (item.exclusion === null || item.exclusion === 'not-top-ranked');
}

/** The preference pairs of one problem, in the order they are written, from the chosen sources. */
export function preferencePairs(selection: BundleSelection, sources: ReadonlySet<PairSource>, counts: PairCounts): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  const add = (pair: PreferencePair): void => {
    const chosen = pair.chosenText.trim();
    const rejected = pair.rejectedText.trim();
    if (chosen === rejected || chosen === '' || rejected === '') {
      counts.skipped++;
      return;
    }
    if (pair.source === 'rejection') counts.fromRejections++;
    else counts.fromEdits++;
    pairs.push(pair);
  };
  if (sources.has('rejection')) {
    const rejectedBySlot = new Map<string, ItemSelection[]>();
    for (const item of selection.items) {
      if (item.human !== 'rejected') continue;
      const slot = slotOf(item);
      rejectedBySlot.set(slot, [...(rejectedBySlot.get(slot) ?? []), item]);
    }
    for (const chosen of selection.items) {
      if (!chosen.selected || (chosen.human !== 'accepted' && chosen.human !== 'edited')) continue;
      for (const rejected of rejectedBySlot.get(slotOf(chosen)) ?? []) {
        add({ source: 'rejection', task: trainingTask(chosen), chosen, chosenText: chosen.text, rejected, rejectedText: rejected.curated.output.text });
      }
    }
  }
  if (sources.has('edit')) {
    for (const item of selection.items) {
      if (!trainableEdit(item)) continue;
      add({ source: 'edit', task: trainingTask(item), chosen: item, chosenText: item.text, rejected: item, rejectedText: item.curated.output.text });
    }
  }
  return pairs;
}

/** `rejection,edit` → the set; unknown names are a usage error the caller reports. */
export function parsePairSources(text: string): { sources: Set<PairSource>; unknown: string[] } {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !PAIR_SOURCES.includes(n as PairSource));
  return { sources: new Set(names.filter((n): n is PairSource => PAIR_SOURCES.includes(n as PairSource))), unknown };
}
