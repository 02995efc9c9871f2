import path from 'node:path';
import type { TaskName } from '../model.ts';
import { readJsonRecords, readTextFile } from '../io/textFile.ts';

const NAME_HINTS: readonly [RegExp, TaskName][] = [
  [/gsm8k|grade[-_ ]?school[-_ ]?math/, 'gsm8k'],
  [/svamp/, 'svamp'],
  [/strategy[-_ ]?qa/, 'strategyqa'],
  [/logiqa/, 'logiqa'],
  [/commonsense[-_ ]?qa|(?:^|[^a-z])csqa(?:[^a-z]|$)/, 'commonsenseqa'],
  [/(?:^|[^a-z])(?:ai2[-_ ]?)?arc(?:[^a-z]|$)/, 'arc'],
];

/**
 * The task a dataset file most likely belongs to: from its name or its folders' names (nearest
 * first, three levels up), else from the shape of its first record. Undefined when nothing fits;
 * "jsonl" for records that have a question and an answer but no known shape.
 */
export function guessTask(file: string): TaskName | undefined {
  const parts = path.resolve(file).split(path.sep).reverse().slice(0, 4);
  for (const part of parts) {
    const lower = part.toLowerCase();
    for (const [pattern, task] of NAME_HINTS) if (pattern.test(lower)) return task;
  }
  return guessFromShape(file);
}

function guessFromShape(file: string): TaskName | undefined {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return undefined;
  }
  const firstLine = text.trimStart().split('\n', 1)[0]?.trim() ?? '';
  if (/^[a-dA-D]$/.test(firstLine)) return 'logiqa';
  let first: unknown;
  try {
    first = readJsonRecords(file, { text, skipBad: true, arrayKey: 'examples' }).records[0]?.value;
  } catch {
    return undefined;
  }
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return undefined;
  return taskOfRecord(first as Record<string, unknown>);
}

function taskOfRecord(record: Record<string, unknown>): TaskName | undefined {
  const has = (...keys: string[]): boolean => keys.every((k) => k in record);
  if (typeof record.answer === 'string' && record.answer.includes('####') && has('question')) return 'gsm8k';
  if (has('Body', 'Question', 'Answer')) return 'svamp';
  if (has('sent1', 'label') || has('input', 'target_scores') || (has('qid', 'question') && (typeof record.answer === 'boolean' || 'facts' in record)))
    return 'strategyqa';
  if (has('text', 'question', 'options') && typeof record.answer === 'number') return 'logiqa';
  const question = record.question;
  const nested = question !== null && typeof question === 'object' && !Array.isArray(question) ? (question as Record<string, unknown>) : undefined;
  if ('question_concept' in record || (nested !== undefined && 'question_concept' in nested)) return 'commonsenseqa';
  if ((nested !== undefined && 'stem' in nested) || (has('choices', 'question') && 'answerKey' in record)) return 'arc';
  if (has('question') && ('answer' in record || 'gold' in record)) return 'jsonl';
  return undefined;
}
