import type { Problem } from '../model.ts';
import type { Grade } from '../../protocol/curation.ts';

/**
 * Grades a rationale's text against its problem: the answer extracted from it and whether that
 * answer reaches gold. The panel uses it for rationales the store holds no grade for, and to
 * re-grade a rationale the curator edited.
 */
export type Grader = (problem: Problem, text: string) => Grade;
