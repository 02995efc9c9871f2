/**
 * Peer-review verdicts (the paper's rule by default): an output is accepted when the aggregate of
 * its valid review scores exceeds the threshold; an unparseable score (null) does not count; no
 * valid score means rejected.
 */
export type Aggregation = 'mean' | 'median' | 'min';

export interface AcceptanceRule {
  aggregation: Aggregation;
  /** Accepted when the aggregate is strictly greater than this. */
  threshold: number;
  scale: { min: number; max: number };
}

export const PAPER_RULE: AcceptanceRule = { aggregation: 'mean', threshold: 3, scale: { min: 1, max: 5 } };

export interface PeerVerdict {
  /** The aggregate of the valid scores, null when there is none. */
  score: number | null;
  validScores: number;
  accepted: boolean;
  /** Largest minus smallest valid score; 0 with fewer than two. */
  spread: number;
}

export function aggregateScores(scores: readonly (number | null)[], rule: AcceptanceRule = PAPER_RULE): PeerVerdict {
  const valid = scores.filter((s): s is number => s !== null && Number.isFinite(s));
  if (valid.length === 0) return { score: null, validScores: 0, accepted: false, spread: 0 };
  const sorted = [...valid].sort((a, b) => a - b);
  let score: number;
  if (rule.aggregation === 'min') score = sorted[0] as number;
  else if (rule.aggregation === 'median') {
    const mid = Math.floor(sorted.length / 2);
    score = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  } else score = valid.reduce((sum, s) => sum + s, 0) / valid.length;
  return { score, validScores: valid.length, accepted: score > rule.threshold, spread: (sorted[sorted.length - 1] as number) - (sorted[0] as number) };
}

/**
 * Orders outputs best first: accepted before rejected, then by aggregate score (none last), then
 * by more valid reviews, then by a stable tiebreak the caller gives (e.g. teacher name).
 */
export function compareVerdicts(a: PeerVerdict, b: PeerVerdict): number {
  if (a.accepted !== b.accepted) return a.accepted ? -1 : 1;
  const sa = a.score ?? -Infinity;
  const sb = b.score ?? -Infinity;
  if (sa !== sb) return sb - sa;
  return b.validScores - a.validScores;
}
