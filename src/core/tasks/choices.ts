import type { RecordPlace } from '../io/fields.ts';
import { badField } from '../io/fields.ts';
import { optionLetter } from './answer.ts';

export interface Choices {
  /** Option texts, in the order of their labels. */
  texts: string[];
  /** The labels as the dataset writes them ("A".."E", or "1".."4" in some ARC questions). */
  labels: string[];
}

/**
 * Reads multiple-choice options in either shape datasets use: an array of {label, text}
 * (CommonsenseQA, AI2's ARC files) or {label: [...], text: [...]} (the HF dumps).
 */
export function readChoices(value: unknown, field: string, place: RecordPlace): Choices {
  let labels: unknown[];
  let texts: unknown[];
  if (Array.isArray(value)) {
    if (!value.every((c) => c !== null && typeof c === 'object' && !Array.isArray(c)))
      throw badField(place, field, 'should be a list of {"label", "text"} objects');
    labels = value.map((c) => (c as Record<string, unknown>).label);
    texts = value.map((c) => (c as Record<string, unknown>).text);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (!Array.isArray(record.label) || !Array.isArray(record.text)) throw badField(place, field, 'should hold "label" and "text" lists');
    labels = record.label;
    texts = record.text;
  } else {
    throw badField(place, field, value === undefined ? 'is missing (expected the answer choices)' : 'should be the list of answer choices');
  }
  if (labels.length !== texts.length) throw badField(place, field, `has ${labels.length} labels but ${texts.length} texts`);
  if (labels.length < 2) throw badField(place, field, `has ${labels.length} choice(s); expected at least 2`);
  if (labels.length > 10) throw badField(place, field, `has ${labels.length} choices; at most 10 are supported`);
  if (!labels.every((l) => typeof l === 'string' || typeof l === 'number') || !texts.every((t) => typeof t === 'string')) {
    throw badField(place, field, 'should have string labels and texts');
  }
  const stringLabels = labels.map((l) => String(l).trim());
  if (new Set(stringLabels).size !== stringLabels.length) throw badField(place, field, 'repeats a label');
  return { labels: stringLabels, texts: texts as string[] };
}

/**
 * The gold answer as the letter of its position ("A" for the first choice). ARC labels some
 * questions "1".."4": those map to "A".."D" too, so every multiple-choice gold is a letter and
 * prompts can always list options as A, B, C…
 */
export function goldLetter(choices: Choices, answerKey: string, place: RecordPlace, field: string): string {
  const index = choices.labels.indexOf(answerKey.trim());
  if (index === -1) throw badField(place, field, `is ${JSON.stringify(answerKey)}, which is none of the choice labels (${choices.labels.join(', ')})`);
  return optionLetter(index);
}
