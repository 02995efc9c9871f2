import { diffChars, diffWords } from 'diff';

/**
 * How much an edit changed a teacher's text, relative to the original: characters and words
 * removed or inserted (a replaced word counts once as removed and once as inserted, so a share can
 * pass 1 on a rewrite longer than the original). Small corrections keep the training text close
 * to the teacher's style; an edit that rewrites most of it is better a reject plus a note.
 */
export interface EditSize {
  charsChanged: number;
  wordsChanged: number;
  originalChars: number;
  originalWords: number;
  /** wordsChanged against the original's words, counting a replacement once (the larger side). */
  wordShare: number;
}

/** Above this share of the teacher's words replaced, the panel says the edit rewrites most of the text. */
export const REWRITE_SHARE = 0.5;

const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;

export function editSize(original: string, edited: string): EditSize {
  let charsChanged = 0;
  for (const part of diffChars(original, edited)) if (part.added || part.removed) charsChanged += part.value.length;
  let removed = 0;
  let added = 0;
  for (const part of diffWords(original, edited)) {
    if (part.removed) removed += words(part.value);
    else if (part.added) added += words(part.value);
  }
  const originalWords = words(original);
  return {
    charsChanged,
    wordsChanged: removed + added,
    originalChars: original.length,
    originalWords,
    wordShare: originalWords === 0 ? 1 : Math.max(removed, added) / originalWords,
  };
}

/** The notice for an edit that rewrites most of the teacher's text, or null for a correction. */
export function rewriteNotice(teacher: string, original: string, edited: string): string | null {
  const size = editSize(original, edited);
  if (size.wordShare <= REWRITE_SHARE) return null;
  return `This edit rewrites ${Math.round(Math.min(1, size.wordShare) * 100)} % of ${teacher}'s words. Small corrections keep the teacher's style; for a rewrite, a reject plus a note is better (u undoes the edit).`;
}
