/**
 * Binary search over ascending problem ids: the index's order and each filtered list are kept
 * sorted, so membership, insertion and next/previous are a search rather than a scan.
 */

/** First position in a sorted array whose value is >= value. */
export function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
