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
export function wrongStepMarks(text: string, quoted: readonly StepMark[] = []): StepMark[] {
  const steps = checkSteps(text).filter((step) => !step.ok);
  if (steps.length === 0) return [];
  const read = readLatex(text);
  const marks = steps.map((step) => ({ text: read.slice(step.start, step.end).trim(), stated: step.statedText, right: rightValue(step, read) }));
  if (quoted.length === 0) return marks;
  const known = new Set(quoted.map((q) => squash(q.text)));
  return marks.filter((mark) => !known.has(squash(mark.text)));
}

const squash = (text: string): string => text.replace(/\s+/g, '');

/**
 * The wrong steps of an item's current text (the edit, else the teacher's). A critique quotes the
 * student's wrong steps to point at them ("you wrote 16 + 6 = 20"): those are the student's
 * mistakes, not the critique's, so a critique's steps that the student's output has are left out.
 */
export function itemWrongSteps(item: RankedItem, studentSteps: readonly StepMark[]): StepMark[] {
  return wrongStepMarks(item.editedText ?? item.facts.text, item.facts.kind === 'critique' ? studentSteps : []);
}

const wrongCache = new WeakMap<RankedItem, boolean>();

/** A critique or rationale with a wrong step of its own (itemWrongSteps); computed once per item state. */
export function hasWrongStep(item: RankedItem, studentOutput: string): boolean {
  let wrong = wrongCache.get(item);
  if (wrong === undefined) {
    wrong = itemWrongSteps(item, item.facts.kind === 'critique' ? wrongStepMarks(studentOutput) : []).length > 0;
    wrongCache.set(item, wrong);
  }
  return wrong;
}
