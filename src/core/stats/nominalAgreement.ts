/**
 * Agreement between human raters on nominal categories (here a curator's decision: accept, edit
 * or reject). No npm package earned its place: the one for Krippendorff's alpha is a 0.1 release
 * with few users, and both formulas are a dozen lines.
 */

/**
 * Cohen's kappa for two raters over the items both rated: κ = (p_o − p_e) / (1 − p_e), where p_o
 * is the share of items they put in the same category and p_e = Σ_c p₁(c)·p₂(c) the agreement
 * expected by chance from each rater's own category shares. Null without items, or when p_e = 1
 * (both put everything in one and the same category: chance explains it all).
 */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): { items: number; agreements: number; kappa: number | null } {
  const items = pairs.length;
  let agreements = 0;
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  for (const [a, b] of pairs) {
    if (a === b) agreements++;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  if (items === 0) return { items, agreements, kappa: null };
  let chance = 0;
  for (const [category, n] of first) chance += (n / items) * ((second.get(category) ?? 0) / items);
  const observed = agreements / items;
  return { items, agreements, kappa: chance === 1 ? null : (observed - chance) / (1 - chance) };
}

/**
 * Krippendorff's alpha, nominal, for any number of raters with missing ratings: α = 1 − D_o / D_e.
 * Only units (items) with at least two ratings count ("pairable"). Each unit u with m_u ratings
 * adds, for every ordered pair of its ratings (c, k) from different raters, 1 / (m_u − 1) to the
 * coincidence o_ck; n_c = Σ_k o_ck (the ratings of category c), n = Σ_c n_c. Then
 *   D_o = Σ_{c≠k} o_ck / n        (observed disagreement)
 *   D_e = Σ_{c≠k} n_c·n_k / (n·(n − 1))   (expected from the pooled category shares)
 * Null when fewer than two pairable ratings, or D_e = 0 (every rating in one category).
 */
export function krippendorffAlpha(units: readonly (readonly string[])[]): { units: number; ratings: number; alpha: number | null } {
  const totals = new Map<string, number>(); // n_c per category
  let pairable = 0;
  let disagreement = 0;
  for (const unit of units) {
    const m = unit.length;
    if (m < 2) continue;
    pairable++;
    const counts = new Map<string, number>();
    for (const value of unit) counts.set(value, (counts.get(value) ?? 0) + 1);
    for (const [c, nc] of counts) {
      // Each rating of c pairs with the other m − 1 ratings of the unit: n_c gains nc·(m−1)/(m−1) = nc.
      totals.set(c, (totals.get(c) ?? 0) + nc);
      for (const [k, nk] of counts) {
        if (k === c) continue;
        disagreement += (nc * nk) / (m - 1); // o_ck, summed over c ≠ k: only that sum enters D_o
      }
    }
  }
  const n = [...totals.values()].reduce((a, b) => a + b, 0);
  if (n < 2) return { units: pairable, ratings: n, alpha: null };
  let expected = 0;
  for (const [c, nc] of totals) for (const [k, nk] of totals) if (c !== k) expected += nc * nk;
  if (expected === 0) return { units: pairable, ratings: n, alpha: null };
  // 1 − (Σo_ck / n) / (Σ n_c n_k / (n (n − 1))) = 1 − (n − 1) · Σo_ck / Σ n_c n_k
  return { units: pairable, ratings: n, alpha: 1 - ((n - 1) * disagreement) / expected };
}
