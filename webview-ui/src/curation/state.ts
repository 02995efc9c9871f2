import type { Grade, ItemView, MistakeFilter, MistakeOrder, MistakeView, NavLinks, Position, Progress } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER } from '../../../src/protocol/curation.ts';

/** Where the user was: the only state the webview keeps across reloads (the store holds the rest). */
export interface SavedState {
  problemId: number | null;
  focus: number;
}

/** getState() as VS Code hands it back: anything, so only well-formed fields are kept. */
export function readSavedState(raw: unknown): SavedState {
  const value = raw as Partial<SavedState> | undefined | null;
  const problemId = typeof value?.problemId === 'number' && Number.isSafeInteger(value.problemId) && value.problemId > 0 ? value.problemId : null;
  const focus = typeof value?.focus === 'number' && Number.isSafeInteger(value.focus) && value.focus >= 0 ? value.focus : 0;
  return { problemId, focus };
}

/** What the panel shows now: the host's last answer, plus where the focus is. */
export interface PanelState {
  view: MistakeView | null;
  position: Position;
  progress: Progress;
  filter: MistakeFilter;
  teachers: string[];
  /** Null right after an instant navigation, until the host says where the keys lead from here. */
  links: NavLinks | null;
  focus: number;
  showReviews: boolean;
  /** Text as written (Markdown and TeX source) instead of rendered: key m. */
  showSource: boolean;
  /** Blind mode, as the host last said: undecided items come without their peer verdict. */
  blind: boolean;
  /** The queue's order, as the host last said. */
  order: MistakeOrder;
  /** Items whose decision is painted but not yet confirmed by the host. */
  pending: Set<number>;
  /** The saved state to restore when the host's first answer is for the same mistake. */
  restoreFocus: SavedState | null;
}

export function initialState(saved: SavedState): PanelState {
  return {
    view: null,
    position: { index: -1, matching: 0 },
    progress: { settled: 0, total: 0 },
    filter: { ...EMPTY_FILTER },
    teachers: [],
    links: null,
    focus: 0,
    showReviews: false,
    showSource: false,
    blind: false,
    order: 'problem',
    pending: new Set<number>(),
    restoreFocus: saved,
  };
}

export function toSaved(state: PanelState): SavedState {
  return { problemId: state.view?.problemId ?? null, focus: state.focus };
}

const NEIGHBOUR_CACHE = 64;

/** Mistakes the host prefetched (neighbours of each answer), so j, k and n paint at once. */
export interface NeighbourCache {
  remember(mistake: MistakeView): void;
  get(problemId: number): MistakeView | undefined;
}

export function neighbourCache(limit = NEIGHBOUR_CACHE): NeighbourCache {
  const cache = new Map<number, MistakeView>();
  return {
    remember(mistake) {
      // Re-inserting keeps the map in least-recently-seen order, so the oldest goes first.
      cache.delete(mistake.problemId);
      cache.set(mistake.problemId, mistake);
      if (cache.size > limit) cache.delete(cache.keys().next().value as number);
    },
    get: (problemId) => cache.get(problemId),
  };
}

/** Critiques then rationales: the order of the 1–9 keys. */
export function allItems(view: MistakeView): ItemView[] {
  return [...view.critiques, ...view.rationales];
}

/** A rationale whose current text (the edit, else the teacher's) misses the gold answer: its grade; null when not flagged. */
export function missedGold(item: ItemView): Grade | null {
  const grade = item.editedText !== null ? item.editedGrade : item.teacherGrade;
  return grade !== null && !grade.reachesGold ? grade : null;
}

/**
 * Where the next decision is due (-1: none): in the first kind that is not settled, its first
 * undecided item that is not flagged, else its first undecided item. So `a a n` never lands on a
 * rationale that misses gold while one that reaches it is still open.
 */
export function dueFocus(mistake: MistakeView): number {
  const settled = (items: ItemView[]): boolean =>
    items.some((i) => i.decision === 'accepted') || (items.length > 0 && items.every((i) => i.decision === 'rejected'));
  const firstOpen = (items: ItemView[]): number => {
    const clean = items.findIndex((i) => i.decision === 'undecided' && missedGold(i) === null);
    return clean >= 0
      ? clean
      : Math.max(
          0,
          items.findIndex((i) => i.decision === 'undecided'),
        );
  };
  if (mistake.critiques.length > 0 && !settled(mistake.critiques)) return firstOpen(mistake.critiques);
  if (mistake.rationales.length > 0 && !settled(mistake.rationales)) return mistake.critiques.length + firstOpen(mistake.rationales);
  return -1;
}

/** The first accept of a flagged rationale: what it reaches, and that the default export leaves it out. */
export function flaggedAcceptWarning(missed: Grade, gold: string): string {
  return `This rationale reaches ${missed.extracted ?? 'no answer'}, not the gold ${gold}; the export leaves it out — press a again to accept anyway.`;
}

/** What an undo undid, from the item before it (when known) and after: "Undid accept of gpt's rationale." */
export function describeUndo(before: ItemView | undefined, now: ItemView): string {
  const whose = `${now.teacher}'s ${now.kind}`;
  if (!before || before.decision === 'undecided') return `Undid the latest decision on ${whose}.`;
  const verb = before.decision === 'rejected' ? 'reject' : before.editedText !== null ? 'edit' : 'accept';
  return `Undid ${verb} of ${whose}.`;
}
