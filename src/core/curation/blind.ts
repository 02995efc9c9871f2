import type { ItemView, MistakeView } from './view.ts';

/**
 * Blind mode, against anchoring on the committee: an undecided item loses its peer verdict, its
 * rank and its reviews before it leaves the host, so nothing of them reaches the panel's DOM
 * until the human has decided it. Items come in a neutral order, stable per mistake (a hash of
 * the output id, never the score), decided or not, so a decision does not reshuffle the cards.
 */
const HIDDEN_VERDICT = { score: null, validScores: 0, accepted: false, spread: 0 } as const;

/** FNV-1a of the id's decimal digits: a fixed, score-free order. */
export function neutralKey(outputId: number): number {
  let hash = 0x811c9dc5;
  for (const ch of String(outputId)) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

function blindItem(item: ItemView, position: number): ItemView {
  if (item.decision !== 'undecided') return { ...item };
  // The rank becomes the neutral position: it says where the card is, not how the peers rank it.
  return { ...item, rank: position, verdict: { ...HIDDEN_VERDICT }, reviews: [], blinded: true };
}

function blindItems(items: readonly ItemView[]): ItemView[] {
  return [...items].sort((a, b) => neutralKey(a.outputId) - neutralKey(b.outputId) || a.outputId - b.outputId).map((item, i) => blindItem(item, i + 1));
}

export function blindView(view: MistakeView): MistakeView {
  return { ...view, critiques: blindItems(view.critiques), rationales: blindItems(view.rationales) };
}
