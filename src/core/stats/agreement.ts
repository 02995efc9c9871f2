/**
 * Agreement between two binary raters (accept / reject) over the same items: the share of items
 * they agree on and Cohen's kappa, κ = (p_o − p_e) / (1 − p_e), where p_o is the observed
 * agreement and p_e the agreement expected by chance from each rater's own accept rate:
 * p_e = p_a·q_a + (1 − p_a)·(1 − q_a). κ is null when it is undefined (no items, or p_e = 1:
 * both raters gave one and the same verdict to everything).
 */
export interface Agreement {
  items: number;
  agreements: number;
  /** agreements / items; null without items. */
  share: number | null;
  kappa: number | null;
  /** The 2×2 table: [first rater][second rater]. */
  bothAccept: number;
  bothReject: number;
  firstOnlyAccepts: number;
  secondOnlyAccepts: number;
}

export function agreement(pairs: Iterable<readonly [boolean, boolean]>): Agreement {
  let bothAccept = 0;
  let bothReject = 0;
  let firstOnly = 0;
  let secondOnly = 0;
  for (const [first, second] of pairs) {
    if (first && second) bothAccept++;
    else if (!first && !second) bothReject++;
    else if (first) firstOnly++;
    else secondOnly++;
  }
  const items = bothAccept + bothReject + firstOnly + secondOnly;
  const agreements = bothAccept + bothReject;
  if (items === 0) return { items, agreements, share: null, kappa: null, bothAccept, bothReject, firstOnlyAccepts: firstOnly, secondOnlyAccepts: secondOnly };
  const observed = agreements / items;
  const firstRate = (bothAccept + firstOnly) / items;
  const secondRate = (bothAccept + secondOnly) / items;
  const chance = firstRate * secondRate + (1 - firstRate) * (1 - secondRate);
  const kappa = chance === 1 ? null : (observed - chance) / (1 - chance);
  return { items, agreements, share: observed, kappa, bothAccept, bothReject, firstOnlyAccepts: firstOnly, secondOnlyAccepts: secondOnly };
}
