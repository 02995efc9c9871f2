import type { AnswerGrader } from './answerCheck.ts';
import { fallbackGrader } from './answerCheck.ts';

/** The grader exports use by default. */
export const defaultGrader: AnswerGrader = fallbackGrader;
