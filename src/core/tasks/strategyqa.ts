import { UserError, fileLine } from '../errors.ts';
import type { RecordPlace } from '../io/fields.ts';
import { badField, optionalScalarText, requireBoolean, requireObject, requireScalarText, requireString } from '../io/fields.ts';
import type { RawRecord } from '../io/textFile.ts';
import { readJsonRecords } from '../io/textFile.ts';
import type { ProblemInput } from '../model.ts';
import { normaliseYesNo } from './answer.ts';
import type { RecordReader } from './records.ts';
import { collectProblems, gradingFor, parsed, problem, quote, requireLabelled } from './records.ts';
import type { TaskSpec } from './types.ts';

/**
 * StrategyQA in its three published shapes, told apart by the first record:
 * - original (train.json / dev.json): {"qid", "question", "answer": bool, "facts": [...]}; the
 *   facts, joined, are the gold rationale;
 * - BIG-bench task.json: {"examples": [{"input", "target_scores": {"Yes": 1, "No": 0}, "target"}]};
 *   the id is the example's 0-based index, the rationale the target's explanation;
 * - ChilleD split (JSON Lines despite .json): {"id", "sent1", "ending0": "yes", "ending1": "no",
 *   "label": 0 | 1}.
 */
export const strategyqa: TaskSpec = {
  name: 'strategyqa',
  title: 'StrategyQA (yes/no questions)',
  answerType: 'yesno',
  parseFile(file, options) {
    const raw = readJsonRecords(file, { skipBad: options?.skipBad, arrayKey: 'examples' });
    const reader = readerFor(file, raw.records);
    const result = collectProblems(file, raw.records, reader, { skipBad: options?.skipBad, skipped: raw.skipped });
    return parsed(file, options, result);
  },
  ...gradingFor('yesno'),
};

function readerFor(file: string, records: readonly RawRecord[]): RecordReader {
  const first = records.find((r) => r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value));
  const keys = first ? (first.value as Record<string, unknown>) : {};
  if ('sent1' in keys) {
    requireLabelled(file, records, 'label', 'Import the train or test file of the split, which carry labels');
    return readChilled;
  }
  if ('input' in keys && ('target_scores' in keys || 'target' in keys)) return readBigBench;
  if ('qid' in keys || 'question' in keys) {
    requireLabelled(file, records, 'answer', 'Import train.json or dev.json: strategyqa_test.json has no answers');
    return readOriginal;
  }
  throw new UserError(
    'not a StrategyQA record: expected "question" and "answer" (original), "input" and "target_scores" (BIG-bench) or "sent1" and "label" (ChilleD split)',
    {
      where: fileLine(file, first?.line),
      next: 'Choose a StrategyQA file, or import it as generic jsonl with a field mapping',
    },
  );
}

function readOriginal(record: Record<string, unknown>, place: RecordPlace): ProblemInput {
  const facts = record.facts;
  let rationale: string | undefined;
  if (facts !== undefined && facts !== null) {
    if (!Array.isArray(facts) || !facts.every((f) => typeof f === 'string')) throw badField(place, 'facts', 'should be a list of strings');
    rationale = facts
      .map((f) => f.trim())
      .filter((f) => f !== '')
      .join(' ');
  }
  return problem({
    sourceId: requireScalarText(record, 'qid', place),
    question: requireString(record, 'question', place),
    goldAnswer: requireBoolean(record, 'answer', place) ? 'yes' : 'no',
    goldRationale: rationale,
    sourceLine: place.line,
  });
}

function readBigBench(record: Record<string, unknown>, place: RecordPlace, index: number): ProblemInput {
  const question = requireString(record, 'input', place);
  const scores = requireObject(record, 'target_scores', place);
  const winners = Object.entries(scores).filter(([, score]) => score === 1);
  const verdict = winners.length === 1 ? normaliseYesNo((winners[0] as [string, unknown])[0]) : null;
  if (verdict === null) throw badField(place, 'target_scores', `is ${quote(scores)}; expected exactly one of "Yes" and "No" scored 1`);
  const target = typeof record.target === 'string' ? record.target : '';
  return problem({
    sourceId: String(index),
    question,
    goldAnswer: verdict,
    goldRationale: target.replace(/^\s*(?:yes|no)\b[.,:]?\s*/i, ''),
    sourceLine: place.line,
  });
}

function readChilled(record: Record<string, unknown>, place: RecordPlace): ProblemInput {
  const label = record.label;
  if (typeof label !== 'number' || !Number.isInteger(label) || label < 0) {
    throw badField(place, 'label', label === undefined ? 'is missing (expected 0 = yes or 1 = no)' : `is ${quote(label)}; expected 0 = yes or 1 = no`);
  }
  // The label indexes the endings ("ending0": "yes", "ending1": "no"); files without them use 0 = yes.
  const ending = optionalScalarText(record, `ending${label}`, place);
  const verdict = ending !== undefined ? normaliseYesNo(ending) : label === 0 ? 'yes' : label === 1 ? 'no' : null;
  if (verdict === null) throw badField(place, 'label', `is ${label}, which names no yes/no ending`);
  return problem({
    sourceId: requireScalarText(record, 'id', place),
    question: requireString(record, 'sent1', place),
    goldAnswer: verdict,
    sourceLine: place.line,
  });
}
