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

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
/** Not the start of a range ("1 to 5", "1-5") or of arithmetic ("4 * 3"). */
const NOT_RANGE = String.raw`(?!\s*(?:to|-|–|\*|x|×|\+)\s*\d)(?![\d.]*\s*(?:steps?|times|%|hours?|minutes?))`;

interface ScorePattern {
  regex: RegExp;
  /** For "N out of M" / "N/M": the group holding M. */
  outOfGroup?: number;
}

/** Where a reviewer states a score. */
const SCORE_PATTERNS: readonly ScorePattern[] = [
  { regex: new RegExp(String.raw`\[\s*${NUMBER}\s*\]`, 'g') },
  { regex: new RegExp(String.raw`${NUMBER}\s+out\s+of\s+(\d+)`, 'gi'), outOfGroup: 2 },
  // A fraction, but not arithmetic quoted from a solution ("290 / 2 = 145").
  { regex: new RegExp(String.raw`(?<![\d.=*×+\-/]\s*)${NUMBER}\s*\/\s*(\d+)(?!\.?\d|\s*[=*×+\-/])`, 'g'), outOfGroup: 2 },
  { regex: new RegExp(String.raw`\b(?:score|rating|grade)\b[*_\s]*(?:[:=]|is|of|-)[*_\s:]*(?:is\s+|of\s+)?${NUMBER}${NOT_RANGE}`, 'gi') },
  {
    regex: new RegExp(
      String.raw`\b(?:give|rate|assign|award)\b(?:\s+(?:it|this|that|the\s+\w+|this\s+\w+))?\s+(?:a\s+|an\s+)?(?:score\s+of\s+|rating\s+of\s+)?${NUMBER}${NOT_RANGE}`,
      'gi',
    ),
  },
  { regex: new RegExp(String.raw`^[\s*_]*${NUMBER}[\s*_.]*$`, 'g') },
];

/** Denominators that mark a score "out of" some scale (rather than a division). */
const SCALE_DENOMINATORS = new Set([5, 10, 100]);

/**
 * Reads a reviewer's score from its text: "[4]", "4/5", "Score: 4", "**Rating:** 4 out of 5",
 * "I would give it a 4", or a bare "4". Refuses (null) when the text states two different
 * scores, a score outside the scale, or a score out of another scale ("8/10" on 1–5), so an
 * unclear review never counts.
 */
export function parseReviewScore(text: string, scale: { min: number; max: number } = PAPER_RULE.scale): number | null {
  const found = new Set<number>();
  for (const { regex, outOfGroup } of SCORE_PATTERNS) {
    regex.lastIndex = 0;
    for (const match of text.matchAll(regex)) {
      const value = Number(match[1]);
      if (outOfGroup !== undefined) {
        const outOf = Number(match[outOfGroup]);
        const isScale = outOf === scale.max || SCALE_DENOMINATORS.has(outOf);
        if (!isScale || value > outOf) continue;
        if (outOf !== scale.max) return null;
      }
      if (!Number.isFinite(value) || value < scale.min || value > scale.max) return null;
      found.add(value);
    }
  }
  if (found.size !== 1) return null;
  return [...found][0] as number;
}

/**
 * Whether the reviews still to come can change an output's verdict: true unless every outcome
 * (each missing review scoring the scale's minimum, its maximum, or being unparseable) leads to
 * the same acceptance. Aggregations are monotone in each score, so the extremes suffice.
 */
export function verdictCanChange(scores: readonly (number | null)[], remaining: number, rule: AcceptanceRule = PAPER_RULE): boolean {
  if (remaining <= 0) return false;
  const now = aggregateScores(scores, rule).accepted;
  for (let valid = 0; valid <= remaining; valid++) {
    for (const value of [rule.scale.min, rule.scale.max]) {
      const outcome = [...scores, ...Array<number>(valid).fill(value)];
      if (aggregateScores(outcome, rule).accepted !== now) return true;
    }
  }
  return false;
}
