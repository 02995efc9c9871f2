import { UserError, fileLine } from '../errors.ts';
import type { RecordPlace } from '../io/fields.ts';
import { badField, requireScalarText, requireString, requireStringArray } from '../io/fields.ts';
import type { LineIssue, RawRecord, SourceLine } from '../io/textFile.ts';
import { looksLikeJsonLines, readJsonRecords, readTextFile, splitLines } from '../io/textFile.ts';
import type { ProblemInput } from '../model.ts';
import { optionLetter } from './answer.ts';
import type { DuplicateResolver } from './records.ts';
import { collectProblems, gradingFor, parsed, problem, quote } from './records.ts';
import type { TaskSpec } from './types.ts';

/**
 * LogiQA, options A–D, the passage as context:
 * - v1 (Eval.txt / Test.txt): blocks of a blank line, the answer letter (a–d), the passage, the
 *   question and four options "A." … "D."; the id is the block's 0-based index;
 * - 2.0 (dev.txt / test.txt / ood_test.jsonl, JSON Lines): {"id", "answer": 0–3, "text",
 *   "question", "options": [4]}.
 */
export const logiqa: TaskSpec = {
  name: 'logiqa',
  title: 'LogiQA (logical reasoning, A–D)',
  answerType: 'option',
  parseFile(file, options) {
    const text = readTextFile(file);
    const trimmed = text.trimStart();
    if (looksLikeJsonLines(text) || trimmed.startsWith('[') || trimmed.startsWith('{')) {
      const raw = readJsonRecords(file, { skipBad: options?.skipBad, text });
      const result = collectProblems(file, raw.records, readV2, { skipBad: options?.skipBad, skipped: raw.skipped, resolveDuplicate: numberedRepeat });
      return parsed(file, options, result);
    }
    const blocks = readV1Blocks(file, text, options?.skipBad ?? false);
    const result = collectProblems(file, blocks.records, readV1, { skipBad: options?.skipBad, skipped: blocks.skipped });
    return parsed(file, options, result);
  },
  ...gradingFor('option'),
};

/**
 * LogiQA 2.0's own dev and test files give six ids to two different questions each. Those are
 * kept, the second as "<id>#2"; a record repeated word for word is still an error.
 */
const numberedRepeat: DuplicateResolver = (problem, first, occurrence) => {
  const same = problem.question === first.question && problem.context === first.context && JSON.stringify(problem.options) === JSON.stringify(first.options);
  return same ? undefined : `${problem.sourceId}#${occurrence}`;
};

function readV2(record: Record<string, unknown>, place: RecordPlace): ProblemInput {
  const options = requireStringArray(record, 'options', place);
  if (options.length < 2) throw badField(place, 'options', `has ${options.length} option(s); expected 4`);
  const answer = record.answer;
  if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0 || answer >= options.length) {
    throw badField(
      place,
      'answer',
      answer === undefined
        ? 'is missing (expected the index of the right option, 0–3)'
        : `is ${quote(answer)}; expected the index of the right option, 0–${options.length - 1}`,
    );
  }
  const context = record.text;
  if (context !== undefined && typeof context !== 'string') throw badField(place, 'text', 'should be the passage, a string');
  return problem({
    sourceId: requireScalarText(record, 'id', place),
    question: requireString(record, 'question', place),
    context,
    options,
    goldAnswer: optionLetter(answer),
    sourceLine: place.line,
  });
}

interface V1Block {
  /** The block's 0-based position in the file, bad blocks included, so ids do not shift. */
  index: number;
  letter: string;
  context: string;
  question: string;
  options: string[];
}

// "A.", "A ", "A?" and "d." all occur in the published files.
const OPTION_PREFIX = /^\s*([A-Da-d])(?:\s*[.．、):?？]\s*|\s+)/;

/** Splits the v1 text into 7-line blocks, checking each line is what the format puts there. */
function readV1Blocks(file: string, text: string, skipBad: boolean): { records: RawRecord[]; skipped: LineIssue[] } {
  const lines = splitLines(text);
  const records: RawRecord[] = [];
  const skipped: LineIssue[] = [];
  let blockIndex = 0;
  let i = 0;
  while (i < lines.length) {
    if ((lines[i] as SourceLine).text.trim() === '') {
      i++;
      continue;
    }
    const start = lines[i] as SourceLine;
    const block = lines.slice(i, i + 7);
    const after = lines[i + 7];
    const index = blockIndex++;
    const problemText =
      after !== undefined && after.text.trim() !== ''
        ? `@${after.line} expected a blank line after option D (each record has exactly four options), found ${quote(after.text)}`
        : v1BlockProblem(block, i + 7 > lines.length, index);
    if (typeof problemText === 'string') {
      const line = problemText.startsWith('@') ? Number(problemText.slice(1, problemText.indexOf(' '))) : start.line;
      const message = problemText.startsWith('@') ? problemText.slice(problemText.indexOf(' ') + 1) : problemText;
      if (!skipBad)
        throw new UserError(message, {
          where: fileLine(file, line),
          next: 'LogiQA v1 records are: a blank line, the answer letter, the passage, the question, then options "A." to "D."',
        });
      skipped.push({ file, line, message });
      // Resynchronise at the next blank line.
      i++;
      while (i < lines.length && (lines[i] as SourceLine).text.trim() !== '') i++;
      continue;
    }
    records.push({ line: start.line, value: problemText });
    i += 7;
  }
  return { records, skipped };
}

/** The block, or why it is not one ("@<line> message" when a later line of the block is wrong). */
function v1BlockProblem(block: SourceLine[], truncated: boolean, index: number): V1Block | string {
  const [letterLine, contextLine, questionLine, ...optionLines] = block;
  const letter = (letterLine as SourceLine).text.trim();
  if (!/^[a-dA-D]$/.test(letter)) return `expected the answer letter (a–d) on its own line, found ${quote(letter)}`;
  if (truncated) return `the record starting here is incomplete: it has ${block.length} of its 7 lines (the file looks truncated)`;
  if (!contextLine || contextLine.text.trim() === '')
    return `@${contextLine?.line ?? (letterLine as SourceLine).line} expected the passage, found a blank line`;
  if (!questionLine || questionLine.text.trim() === '') return `@${questionLine?.line ?? contextLine.line} expected the question, found a blank line`;
  const options: string[] = [];
  for (let k = 0; k < 4; k++) {
    const line = optionLines[k] as SourceLine;
    if (line.text.trim() === '') return `@${line.line} expected option ${optionLetter(k)}, found a blank line`;
    // The published files sometimes lose the letter or move it into the text ("the C.S City"):
    // the position decides which option a line is, a leading letter is dropped when it is there.
    const match = OPTION_PREFIX.exec(line.text);
    const prefixed = match !== null && (match[1] as string).toUpperCase() === optionLetter(k);
    options.push((prefixed ? line.text.slice(match[0].length) : line.text).trim());
  }
  return { index, letter: letter.toUpperCase(), context: contextLine.text.trim(), question: questionLine.text.trim(), options };
}

function readV1(record: Record<string, unknown>, place: RecordPlace): ProblemInput {
  const block = record as unknown as V1Block;
  return problem({
    sourceId: String(block.index),
    question: block.question,
    context: block.context,
    options: block.options,
    goldAnswer: block.letter,
    sourceLine: place.line,
  });
}
