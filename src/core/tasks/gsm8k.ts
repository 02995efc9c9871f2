import { optionalScalarText, requireString, badField } from '../io/fields.ts';
import { formatNumber, parseNumber } from './answer.ts';
import { gradingFor, parseJsonRecordsFile, problem, quote } from './records.ts';
import type { TaskSpec } from './types.ts';
import type { RecordPlace } from '../io/fields.ts';
import type { ProblemInput } from '../model.ts';

// GSM8K's calculator annotations: "48/2 = <<48/2=24>>24" reads "48/2 = 24" without them.
const CALCULATOR_ANNOTATION = /<<[^<>\n]{0,500}>>/g;

/**
 * GSM8K (JSON Lines {"question", "answer"}): the gold answer is the number after "####" (thousands
 * commas dropped), the gold rationale the worked solution before it without calculator
 * annotations. The records have no ids: a problem's id is its 0-based index in the file, the same
 * convention as the MAPD release files.
 */
export const gsm8k: TaskSpec = {
  name: 'gsm8k',
  title: 'GSM8K (grade-school math)',
  answerType: 'number',
  parseFile(file, options) {
    return parseJsonRecordsFile(file, options, readGsm8k);
  },
  recordReader: () => readGsm8k,
  ...gradingFor('number'),
};

function readGsm8k(record: Record<string, unknown>, place: RecordPlace, index: number): ProblemInput {
  const question = requireString(record, 'question', place);
  const answer = requireString(record, 'answer', place);
  const marker = answer.lastIndexOf('####');
  if (marker === -1) throw badField(place, 'answer', 'has no "#### <number>" at its end (GSM8K answers end with the final number)');
  const finalText = answer.slice(marker + 4).trim();
  const value = parseNumber(finalText);
  if (value === null) throw badField(place, 'answer', `ends with "#### ${quote(finalText).slice(1, -1)}", which is not a number`);
  return problem({
    sourceId: optionalScalarText(record, 'id', place) ?? String(index),
    question,
    goldAnswer: formatNumber(value),
    goldRationale: answer.slice(0, marker).replace(CALCULATOR_ANNOTATION, '').trim(),
    sourceLine: place.line,
  });
}
