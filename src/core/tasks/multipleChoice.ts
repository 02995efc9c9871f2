import type { RecordPlace } from '../io/fields.ts';
import { badField, fieldAt, requireScalarText } from '../io/fields.ts';
import { readJsonRecords } from '../io/textFile.ts';
import type { ProblemInput } from '../model.ts';
import { goldLetter, readChoices } from './choices.ts';
import { collectProblems, parsed, problem, requireLabelled } from './records.ts';
import type { ParseOptions, ParsedProblems } from './types.ts';

/**
 * CommonsenseQA and ARC share one record shape, in two layouts: the question an object
 * {"stem", "choices": [{"label", "text"}]} (CommonsenseQA, AI2's ARC files), or a string beside
 * "choices": {"label": [...], "text": [...]} (the HF dumps). Gold is "answerKey", as a letter.
 */
export function parseMultipleChoiceFile(file: string, options: ParseOptions | undefined, unlabelledHint: string): ParsedProblems {
  const raw = readJsonRecords(file, { skipBad: options?.skipBad });
  requireLabelled(file, raw.records, 'answerKey', unlabelledHint);
  const result = collectProblems(file, raw.records, readMultipleChoice, { skipBad: options?.skipBad, skipped: raw.skipped });
  return parsed(file, options, result);
}

function readMultipleChoice(record: Record<string, unknown>, place: RecordPlace): ProblemInput {
  const question = record.question;
  let stem: unknown;
  let choicesValue: unknown;
  let choicesField: string;
  if (question !== null && typeof question === 'object' && !Array.isArray(question)) {
    stem = fieldAt(record, 'question.stem');
    choicesField = record.choices !== undefined && fieldAt(record, 'question.choices') === undefined ? 'choices' : 'question.choices';
    choicesValue = fieldAt(record, choicesField);
    if (typeof stem !== 'string' || stem.trim() === '')
      throw badField(place, 'question.stem', stem === undefined ? 'is missing (expected the question text)' : 'should be the question text');
  } else {
    if (typeof question !== 'string' || question.trim() === '')
      throw badField(place, 'question', question === undefined ? 'is missing (expected the question text)' : 'should be the question text');
    stem = question;
    choicesValue = record.choices;
    choicesField = 'choices';
  }
  const choices = readChoices(choicesValue, choicesField, place);
  const answerKey = requireScalarText(record, 'answerKey', place);
  return problem({
    sourceId: requireScalarText(record, 'id', place),
    question: stem as string,
    options: choices.texts,
    goldAnswer: goldLetter(choices, answerKey, place, 'answerKey'),
    sourceLine: place.line,
  });
}
