import { badField, optionalString, requireNumber, requireScalarText, requireString } from '../io/fields.ts';
import type { RecordPlace } from '../io/fields.ts';
import { formatNumber, parseNumber } from './answer.ts';
import { gradingFor, parseJsonRecordsFile, problem, quote } from './records.ts';
import type { TaskSpec } from './types.ts';
import type { ProblemInput } from '../model.ts';

/**
 * SVAMP (SVAMP.json and the ChilleD split files: JSON arrays of {"ID", "Body", "Question",
 * "Equation", "Answer"}). The question is Body + " " + Question, exactly as the MAPD code builds
 * it, so texts match the release files. The gold rationale is the dataset's Equation, e.g.
 * "( 290.0 / 2.0 )": SVAMP has no worked solution, and the equation lets a curator check a
 * critique at a glance.
 */
export const svamp: TaskSpec = {
  name: 'svamp',
  title: 'SVAMP (math word problems)',
  answerType: 'number',
  parseFile(file, options) {
    return parseJsonRecordsFile(file, options, readSvamp);
  },
  recordReader: () => readSvamp,
  ...gradingFor('number'),
};

function readSvamp(record: Record<string, unknown>, place: RecordPlace): ProblemInput {
  return problem({
    sourceId: requireScalarText(record, 'ID', place),
    question: `${requireString(record, 'Body', place).trim()} ${requireString(record, 'Question', place).trim()}`,
    goldAnswer: formatNumber(readAnswer(record, place)),
    goldRationale: optionalString(record, 'Equation', place)?.trim(),
    sourceLine: place.line,
  });
}

function readAnswer(record: Record<string, unknown>, place: RecordPlace): number {
  const value = record.Answer;
  if (typeof value === 'string') {
    const parsedValue = parseNumber(value);
    if (parsedValue !== null) return parsedValue;
    throw badField(place, 'Answer', `is ${quote(value)}, which is not a number`);
  }
  return requireNumber(record, 'Answer', place);
}
