import { UserError } from '../errors.ts';
import type { RecordPlace } from '../io/fields.ts';
import { badField, fieldAt } from '../io/fields.ts';
import { describeJsonType } from '../io/textFile.ts';
import type { ProblemInput } from '../model.ts';
import { canonicalAnswer, extractAnswerAs, isCorrectAs } from './answer.ts';
import { readChoices } from './choices.ts';
import { parseJsonRecordsFile, problem, quote } from './records.ts';
import type { AnswerType, FieldMapping, ParseOptions, RecordReader, TaskSpec } from './types.ts';

export const DEFAULT_MAPPING: FieldMapping = { question: 'question', answer: 'answer' };

const EXPECTED: Record<AnswerType, string> = {
  number: 'a number',
  yesno: 'yes/no or true/false',
  option: 'an option letter or the text of one of the options',
  text: 'a non-empty answer',
};

/**
 * Any JSON Lines (or JSON array) file, read through a field mapping (dotted paths reach nested
 * fields). Without a mapping: "question", "answer", and "id" when the records have one; records
 * without an id get their 0-based index. The mapping's answerType decides how gold is checked and
 * answers graded; "text" (the default) compares normalised strings, numbers as numbers and yes/no
 * as verdicts when gold is one, and grades as multiple choice when the problem has options.
 */
export function jsonlTaskFor(answerType: AnswerType = 'text'): TaskSpec {
  return {
    name: 'jsonl',
    title: answerType === 'text' ? 'Generic JSON Lines (field mapping)' : `Generic JSON Lines (${answerType} answers)`,
    answerType,
    parseFile(file, options) {
      return parseJsonRecordsFile(file, options, mappedReader(options, answerType));
    },
    recordReader: (options) => mappedReader(options, answerType),
    extractAnswer: (text, problem) => extractAnswerAs(effectiveType(answerType, problem), text, problem),
    isCorrect: (extracted, gold, problem) => isCorrectAs(effectiveType(answerType, problem), extracted, gold, problem),
  };
}

export const jsonl: TaskSpec = jsonlTaskFor('text');

function effectiveType(answerType: AnswerType, problem: { options?: string[] } | undefined): AnswerType {
  return answerType === 'text' && problem?.options !== undefined && problem.options.length > 0 ? 'option' : answerType;
}

function mappedReader(options: ParseOptions | undefined, answerType: AnswerType): RecordReader {
  const mapping = { ...DEFAULT_MAPPING, ...options?.mapping };
  const type = mapping.answerType ?? answerType;
  return (record, place, index) => readMapped(record, place, index, mapping, type);
}

function mappedString(record: Record<string, unknown>, path: string, place: RecordPlace, required: boolean): string | undefined {
  const value = fieldAt(record, path);
  if (value === undefined || value === null) {
    if (!required) return undefined;
    throw new UserError(`missing field "${path}" (expected a string)`, {
      where: `${place.file}:${place.line}`,
      next: `Map the field that holds it (the mapping names "${path}")`,
    });
  }
  if (typeof value !== 'string') throw badField(place, path, `should be a string, found ${describeJsonType(value)}`);
  if (required && value.trim() === '') throw badField(place, path, 'is empty');
  return value;
}

function readMapped(record: Record<string, unknown>, place: RecordPlace, index: number, mapping: FieldMapping, type: AnswerType): ProblemInput {
  const question = mappedString(record, mapping.question, place, true) as string;
  let options: string[] | undefined;
  if (mapping.options !== undefined) {
    const value = fieldAt(record, mapping.options);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) options = value as string[];
    else if (value !== undefined && value !== null) options = readChoices(value, mapping.options, place).texts;
  }
  const goldValue = fieldAt(record, mapping.answer);
  if (goldValue === undefined || goldValue === null) {
    throw new UserError(`missing field "${mapping.answer}" (expected the gold answer)`, {
      where: `${place.file}:${place.line}`,
      next: 'Map the field that holds the gold answer',
    });
  }
  if (typeof goldValue !== 'string' && typeof goldValue !== 'number' && typeof goldValue !== 'boolean') {
    throw badField(place, mapping.answer, `should be the gold answer (a string, number or boolean), found ${describeJsonType(goldValue)}`);
  }
  const goldAnswer = canonicalAnswer(type, String(goldValue), options);
  if (goldAnswer === null) throw badField(place, mapping.answer, `is ${quote(goldValue)}, which is not ${EXPECTED[type]} (answer type "${type}")`);
  return problem({
    sourceId: readId(record, place, index, mapping),
    question,
    context: mapping.context === undefined ? undefined : mappedString(record, mapping.context, place, false),
    options,
    goldAnswer,
    goldRationale: mapping.rationale === undefined ? undefined : mappedString(record, mapping.rationale, place, false),
    sourceLine: place.line,
  });
}

function readId(record: Record<string, unknown>, place: RecordPlace, index: number, mapping: FieldMapping): string {
  const path = mapping.id ?? 'id';
  const value = fieldAt(record, path);
  if ((value === undefined || value === null) && mapping.id === undefined) return String(index);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw badField(
    place,
    path,
    value === undefined ? "is missing (expected the record's id)" : `should be a string or number id, found ${describeJsonType(value)}`,
  );
}
