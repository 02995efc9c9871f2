/**
 * The session's list of matching mistakes in the chosen order (issue 12): their problem ids and,
 * beside them, each one's sort key (orderKeys.ts; null in problem order, where the id is the key).
 * Two flat number arrays, no object per mistake (1M mistakes: two packed arrays). The order is by
 * (key, problem id) ascending, so membership, insertion and next/previous are a binary search.
 */
export interface OrderedList {
  ids: number[];
  keys: number[] | null;
}

const keyAt = (list: OrderedList, at: number): number => (list.keys ? (list.keys[at] as number) : (list.ids[at] as number));

/** First position whose (key, id) is >= (key, id). */
export function lowerBoundPair(list: OrderedList, key: number, id: number): number {
  let lo = 0;
  let hi = list.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keyAt(list, mid);
    if (k < key || (k === key && (list.ids[mid] as number) < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Puts a mistake in or takes it out of the list at its place in the order; no-op when already so. */
export function setMembership(list: OrderedList, key: number, id: number, belongs: boolean): void {
  const at = lowerBoundPair(list, key, id);
  const present = list.ids[at] === id;
  if (present && !belongs) {
    list.ids.splice(at, 1);
    list.keys?.splice(at, 1);
  } else if (!present && belongs) {
    list.ids.splice(at, 0, id);
    list.keys?.splice(at, 0, key);
  }
}
