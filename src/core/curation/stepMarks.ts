import type { Step } from '../steps/steps.ts';
import { checkSteps, readLatex } from '../steps/steps.ts';
import type { RankedItem } from './items.ts';
import type { StepMark } from './view.ts';

/** A recomputed value as the panel states it: at most four decimals, no float noise; in percent points when the result is a percent. */
function rightValue(step: Step, read: string): string {
  const shown = (value: number): string => String(Number(value.toFixed(4)));
  const percent = step.statedText.endsWith('%') || /^\s*(?:%|percent\b)/.test(read.slice(step.end));
  if (!percent) return shown(step.computed);
  const points = Math.abs(step.computed) <= 1 && !step.expression.includes('%') ? step.computed * 100 : step.computed;
  return step.statedText.endsWith('%') ? `${shown(points)}%` : shown(points);
}

/**
 * The wrong arithmetic steps of a text, as the panel marks them: the equation as the checker
 * read it (LaTeX read as arithmetic: src/core/steps/steps.ts) and the right value.
 */
export function wrongStepMarks(text: string): StepMark[] {
  const steps = checkSteps(text).filter((step) => !step.ok);
  if (steps.length === 0) return [];
  const read = readLatex(text);
  return steps.map((step) => ({ text: read.slice(step.start, step.end).trim(), stated: step.statedText, right: rightValue(step, read) }));
}

const wrongCache = new WeakMap<RankedItem, boolean>();

/** A critique or rationale whose current text (the edit, else the teacher's) has a wrong step; computed once per item state. */
export function hasWrongStep(item: RankedItem): boolean {
  let wrong = wrongCache.get(item);
  if (wrong === undefined) {
    wrong = checkSteps(item.editedText ?? item.facts.text).some((s) => !s.ok);
    wrongCache.set(item, wrong);
  }
  return wrong;
}
