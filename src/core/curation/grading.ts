import type { Problem } from '../model.ts';
import type { Grade } from '../../protocol/curation.ts';

/**
 * Grades a rationale's text against its problem: the answer extracted from it and whether that
 * answer reaches gold. The panel uses it for rationales the store holds no grade for, and to
 * re-grade a rationale the curator edited.
 */
export type Grader = (problem: Problem, text: string) => Grade;

/**
 * A task-agnostic stand-in used when no task grader is given: the last number in the text for
 * numeric gold answers, else a case-insensitive search for the gold answer as a word.
 */
export function fallbackGrader(problem: Problem, text: string): Grade {
  const gold = problem.goldAnswer.trim();
  const goldNumber = parseNumber(gold);
  if (goldNumber !== undefined) {
    const numbers = text.replace(/(\d),(?=\d{3}\b)/g, '$1').match(/-?\d+(?:\.\d+)?/g);
    const last = numbers?.[numbers.length - 1];
    if (last === undefined) return { extracted: null, reachesGold: false };
    const value = Number(last);
    return { extracted: last, reachesGold: Math.abs(value - goldNumber) < 1e-6 };
  }
  const escaped = gold.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`(^|\\W)${escaped}(\\W|$)`, 'i').test(text);
  return { extracted: found ? gold : null, reachesGold: found };
}

function parseNumber(text: string): number | undefined {
  const cleaned = text.replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}
