import test from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors.ts';
import { getTask, jsonlTaskFor } from '../../../src/core/tasks/index.ts';
import type { ParseOptions, ParsedProblems } from '../../../src/core/tasks/index.ts';
import { tempDir, writeFile } from '../helpers.ts';

type T = Parameters<typeof tempDir>[0];

const GOOD_GSM = (q: string, a: string | number = 3): string => JSON.stringify({ question: q, answer: `1 + 2 = <<1+2=3>>3\n#### ${a}` });

function parseText(t: T, task: string, name: string, content: string | Buffer, options?: ParseOptions): ParsedProblems {
  const file = writeFile(tempDir(t), name, content);
  return getTask(task).parseFile(file, options);
}

/** Asserts that parsing fails with a UserError whose message starts "<file>:<line>: <what>". */
function assertFails(t: T, task: string, name: string, content: string | Buffer, where: string, what: RegExp, options?: ParseOptions): void {
  const file = writeFile(tempDir(t), name, content);
  assert.throws(
    () => getTask(task).parseFile(file, options),
    (error: unknown) => {
      assert.ok(error instanceof UserError, `a UserError, not ${String(error)}`);
      const prefix = `${file}${where}: `;
      assert.ok(error.message.startsWith(prefix), `message ${JSON.stringify(error.message)} should start with ${JSON.stringify(prefix)}`);
      assert.match(error.message.slice(prefix.length), what);
      return true;
    },
  );
}

test('a line that is not JSON names its file and line', (t) => {
  assertFails(t, 'gsm8k', 'train.jsonl', `${GOOD_GSM('a')}\n{"question": "b", answer: 1}\n${GOOD_GSM('c')}\n`, ':2', /^not valid JSON \(/);
});

test('a JSON value that is not an object', (t) => {
  assertFails(t, 'gsm8k', 'train.jsonl', `${GOOD_GSM('a')}\n${GOOD_GSM('b')}\n[1, 2]\n`, ':3', /^expected a JSON object, found an array\./);
  assertFails(
    t,
    'svamp',
    'svamp.json',
    '[\n  {"ID": "x", "Body": "b", "Question": "q", "Answer": 1},\n  42\n]\n',
    ':3',
    /^expected a JSON object, found a number\./,
  );
  assertFails(t, 'svamp', 'svamp.json', '"just a string"\n', '', /^expected JSON records \(one object per line, or an array of objects\), found a string/);
});

test('a missing or wrongly typed field names the field', (t) => {
  assertFails(t, 'gsm8k', 'train.jsonl', `${GOOD_GSM('a')}\n{"answer": "#### 3"}\n`, ':2', /^missing field "question" \(expected a string\)\. Fix the record/);
  assertFails(t, 'gsm8k', 'train.jsonl', '{"question": 12, "answer": "#### 3"}\n', ':1', /^field "question" should be a string, found a number/);
  assertFails(
    t,
    'strategyqa',
    'train.json',
    '[{"qid": "q1", "question": "Is it?", "answer": "maybe"}]',
    ':1',
    /^field "answer" should be true or false, found a string/,
  );
  assertFails(
    t,
    'strategyqa',
    'train.json',
    '{"id": "train-0", "sent1": "Is it?", "label": 0}\n{"id": "train-1", "sent1": "Is it?", "label": "no"}\n',
    ':2',
    /^field "label" is "no"; expected 0 = yes or 1 = no/,
  );
  assertFails(
    t,
    'logiqa',
    'dev.txt',
    '{"id": 1, "answer": 1, "text": "P", "question": "Q?", "options": "A or B"}\n',
    ':1',
    /^field "options" should be an array of strings, found a string/,
  );
  assertFails(
    t,
    'commonsenseqa',
    'dev.jsonl',
    '{"id": "c1", "answerKey": "A", "question": {"stem": "Q?"}}\n',
    ':1',
    /^field "question\.choices" is missing \(expected the answer choices\)/,
  );
  assertFails(
    t,
    'arc',
    'train.jsonl',
    '{"id": "a1", "answerKey": "A", "question": "Q?", "choices": {"text": ["x", "y"], "label": ["A"]}}\n',
    ':1',
    /^field "choices" has 1 labels but 2 texts/,
  );
  assertFails(
    t,
    'svamp',
    'train.json',
    '[{"ID": "chal-1", "Body": "B", "Question": "Q?", "Answer": null}]',
    ':1',
    /^field "Answer" should be a number, found null/,
  );
});

test('a gold answer that cannot be read', (t) => {
  assertFails(
    t,
    'gsm8k',
    'train.jsonl',
    `${GOOD_GSM('a')}\n${GOOD_GSM('b', 'twelve')}\n`,
    ':2',
    /^field "answer" ends with "#### twelve", which is not a number\./,
  );
  assertFails(t, 'gsm8k', 'train.jsonl', '{"question": "q", "answer": "It is 3."}\n', ':1', /^field "answer" has no "#### <number>" at its end/);
  assertFails(
    t,
    'svamp',
    'train.json',
    '[\n{"ID": "chal-1", "Body": "B", "Question": "Q?", "Answer": "lots"}\n]',
    ':2',
    /^field "Answer" is "lots", which is not a number/,
  );
  assertFails(
    t,
    'logiqa',
    'dev.txt',
    '{"id": 1, "answer": 4, "text": "P", "question": "Q?", "options": ["a", "b", "c", "d"]}\n',
    ':1',
    /^field "answer" is 4; expected the index of the right option, 0–3/,
  );
  assertFails(
    t,
    'commonsenseqa',
    'dev.jsonl',
    '{"id": "c1", "answerKey": "F", "question": {"stem": "Q?", "choices": [{"label": "A", "text": "x"}, {"label": "B", "text": "y"}]}}\n',
    ':1',
    /^field "answerKey" is "F", which is none of the choice labels \(A, B\)/,
  );
  assertFails(
    t,
    'strategyqa',
    'task.json',
    '{"examples": [\n {"input": "Q?", "target_scores": {"Yes": 1, "No": 1}, "target": "Yes."}\n]}',
    ':2',
    /^field "target_scores" is .*expected exactly one of "Yes" and "No" scored 1/,
  );
  const numbers = jsonlTaskFor('number');
  const file = writeFile(tempDir(t), 'mine.jsonl', '{"q": "How many?", "a": "several"}\n');
  assert.throws(() => numbers.parseFile(file, { mapping: { question: 'q', answer: 'a', answerType: 'number' } }), {
    message: `${file}:1: field "a" is "several", which is not a number (answer type "number"). Fix the record, or map the right field`,
  });
});

test('an unknown task lists the known ones', () => {
  assert.throws(() => getTask('gsm9k'), { message: 'unknown task "gsm9k". Use one of: gsm8k, svamp, strategyqa, logiqa, commonsenseqa, arc, jsonl' });
  assert.equal(getTask(' GSM8K ').name, 'gsm8k');
});

test('an empty file, a blank file, a folder, a missing file', (t) => {
  const dir = tempDir(t);
  assert.throws(() => getTask('gsm8k').parseFile(writeFile(dir, 'empty.jsonl', '')), {
    message: `${dir}/empty.jsonl: the file is empty. Choose a file that holds the data`,
  });
  assert.throws(() => getTask('gsm8k').parseFile(writeFile(dir, 'blank.jsonl', '\n \r\n\n')), {
    message: `${dir}/blank.jsonl: the file is empty. Choose a file that holds the data`,
  });
  assert.throws(() => getTask('gsm8k').parseFile(writeFile(dir, 'bom.jsonl', '\ufeff\n')), {
    message: `${dir}/bom.jsonl: the file is empty. Choose a file that holds the data`,
  });
  assert.throws(() => getTask('gsm8k').parseFile(dir), { message: `${dir}: is a folder, not a data file. Choose a .json, .jsonl or .txt file` });
  assert.throws(() => getTask('gsm8k').parseFile(`${dir}/nope.jsonl`), { message: `${dir}/nope.jsonl: no such file. Check the path` });
  assert.throws(() => getTask('logiqa').parseFile(writeFile(dir, 'Eval.txt', '\n\n')), /Eval\.txt: the file is empty/);
});

test('a binary file, UTF-16 text and invalid UTF-8 are refused', (t) => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21, 0x00]);
  assertFails(t, 'gsm8k', 'train.jsonl.zip', zip, '', /^this is a binary file, not text\./);
  assertFails(
    t,
    'svamp',
    'SVAMP.json',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[{}]', 'utf16le')]),
    '',
    /^this is UTF-16 text, not UTF-8\. Save the file as UTF-8/,
  );
  const latin1 = Buffer.concat([Buffer.from(`${GOOD_GSM('a')}\n{"question": "caf`), Buffer.from([0xe9]), Buffer.from('", "answer": "#### 1"}\n')]);
  assertFails(t, 'gsm8k', 'train.jsonl', latin1, ':2', /^the file is not valid UTF-8 text/);
});

test('duplicate ids within a file name both lines', (t) => {
  const row = (id: string, q: string): string =>
    JSON.stringify({
      id,
      answerKey: 'A',
      question: {
        stem: q,
        choices: [
          { label: 'A', text: 'x' },
          { label: 'B', text: 'y' },
        ],
      },
    });
  assertFails(
    t,
    'commonsenseqa',
    'dev.jsonl',
    `${row('a', 'Q1?')}\n${row('b', 'Q2?')}\n${row('a', 'Q3?')}\n`,
    ':3',
    /^duplicate id "a" \(first used at line 1\)\. Give every record its own id/,
  );
  const svampRecord = (id: string): string => `  {"ID": "${id}", "Body": "B", "Question": "Q?", "Answer": 1.0}`;
  assertFails(
    t,
    'svamp',
    'train.json',
    `[\n${svampRecord('chal-1')},\n${svampRecord('chal-2')},\n${svampRecord('chal-1')}\n]\n`,
    ':4',
    /^duplicate id "chal-1" \(first used at line 2\)/,
  );
  assertFails(
    t,
    'strategyqa',
    'train.json',
    '{"id": "t-1", "sent1": "Q?", "label": 0}\n{"id": "t-1", "sent1": "R?", "label": 1}\n',
    ':2',
    /^duplicate id "t-1" \(first used at line 1\)/,
  );
  // LogiQA 2.0 keeps two different questions that share an id (its own files do so) but not a copy.
  const logiqa = (id: number, q: string): string => JSON.stringify({ id, answer: 0, text: 'P', question: q, options: ['a', 'b', 'c', 'd'] });
  const kept = parseText(t, 'logiqa', 'dev.txt', `${logiqa(7, 'Q1?')}\n${logiqa(7, 'Q2?')}\n`);
  assert.deepEqual(
    kept.problems.map((p) => p.sourceId),
    ['7', '7#2'],
  );
  assertFails(t, 'logiqa', 'dev.txt', `${logiqa(7, 'Q1?')}\n${logiqa(8, 'Q2?')}\n${logiqa(7, 'Q1?')}\n`, ':3', /^duplicate id "7" \(first used at line 1\)/);
});

test('a truncated last line or document is reported as truncation', (t) => {
  assertFails(
    t,
    'gsm8k',
    'train.jsonl',
    `${GOOD_GSM('a')}\n${GOOD_GSM('b')}\n{"question": "c", "ans`,
    ':3',
    /^the last line is not complete JSON: the file looks truncated/,
  );
  assertFails(
    t,
    'svamp',
    'SVAMP.json',
    '[\n  {"ID": "chal-1", "Body": "B", "Question": "Q?", "Answer": 1.0},\n  {"ID": "chal-2", "Bo',
    ':3',
    /^the file ends before its JSON is complete: it looks truncated\. Copy or download the file again/,
  );
  assertFails(
    t,
    'svamp',
    'SVAMP.json',
    '[\n  {"ID": "chal-1", "Body": "B", "Question": "Q?", "Answer": 1.0},\n  {"ID": "chal-2" "Body": "B"}\n]\n',
    ':3',
    /^not valid JSON \(/,
  );
  const v1 = '\na\nPassage.\nQuestion?\nA.one\nB.two\nC.three\nD.four\n\nb\nPassage two.\nQuestion two?\nA.one\nB.two';
  assertFails(t, 'logiqa', 'Eval.txt', v1, ':10', /^the record starting here is incomplete: it has 5 of its 7 lines \(the file looks truncated\)/);
});

test('LogiQA v1 blocks are checked line by line', (t) => {
  const block = (letter: string, options = ['A.one', 'B.two', 'C.three', 'D.four']): string => `\n${letter}\nPassage.\nQuestion?\n${options.join('\n')}\n`;
  assertFails(t, 'logiqa', 'Eval.txt', block('a') + block('e'), ':10', /^expected the answer letter \(a–d\) on its own line, found "e"/);
  assertFails(
    t,
    'logiqa',
    'Eval.txt',
    block('a') + block('b', ['A.one', 'B.two', 'C.three', 'D.four', 'E.five']),
    ':17',
    /^expected a blank line after option D \(each record has exactly four options\), found "E\.five"/,
  );
  assertFails(t, 'logiqa', 'Eval.txt', block('a', ['A.one', 'B.two', '', 'D.four']), ':7', /^expected option C, found a blank line/);
  const parsed = parseText(t, 'logiqa', 'Eval.txt', block('c') + block('x') + block('d'), { skipBad: true });
  assert.deepEqual(
    parsed.problems.map((p) => [p.sourceId, p.goldAnswer, p.sourceLine]),
    [
      ['0', 'C', 2],
      ['2', 'D', 18],
    ],
  );
  assert.deepEqual(
    parsed.skipped.map((s) => s.line),
    [10],
  );
});

test('a byte-order mark, CRLF line endings and trailing blank lines are accepted', (t) => {
  const content = `\ufeff${GOOD_GSM('a')}\r\n${GOOD_GSM('b', '1,234')}\r\n\r\n\r\n`;
  const parsed = parseText(t, 'gsm8k', 'train.jsonl', content);
  assert.deepEqual(
    parsed.problems.map((p) => [p.sourceId, p.question, p.goldAnswer, p.sourceLine]),
    [
      ['0', 'a', '3', 1],
      ['1', 'b', '1234', 2],
    ],
  );
  const v1 = '\r\nb\r\nPassage.\r\nQuestion?\r\nA.one\r\nB.two\r\nC.three\r\nD.four\r\n\r\n\r\n';
  const logiqa = parseText(t, 'logiqa', 'Test.txt', `\ufeff${v1}`);
  assert.deepEqual(logiqa.problems[0], {
    sourceId: '0',
    question: 'Question?',
    context: 'Passage.',
    options: ['one', 'two', 'three', 'four'],
    goldAnswer: 'B',
    sourceLine: 2,
  });
  const crlfArray = parseText(t, 'svamp', 'train.json', '\ufeff[\r\n  {"ID": "c", "Body": "B", "Question": "Q?", "Answer": 2.50}\r\n]\r\n\r\n');
  assert.deepEqual(crlfArray.problems, [{ sourceId: 'c', question: 'B Q?', goldAnswer: '2.5', sourceLine: 2 }]);
});

test('with skipBad, bad records are collected with file, line and reason, and the rest kept', (t) => {
  const dir = tempDir(t);
  const file = writeFile(dir, 'train.jsonl', [GOOD_GSM('a'), 'not json', GOOD_GSM('c', 'x'), '7', GOOD_GSM('e'), GOOD_GSM('f')].join('\n') + '\n');
  const parsed = getTask('gsm8k').parseFile(file, { skipBad: true });
  assert.deepEqual(
    parsed.problems.map((p) => [p.sourceId, p.sourceLine]),
    [
      ['0', 1],
      ['4', 5],
      ['5', 6],
    ],
  );
  assert.deepEqual(
    parsed.skipped.map((s) => [s.file, s.line, s.message.replace(/\(.*\)/, '(…)')]),
    [
      [file, 2, 'not valid JSON (…)'],
      [file, 3, 'field "answer" ends with "#### x", which is not a number'],
      [file, 4, 'expected a JSON object, found a number'],
    ],
  );
  const allBad = writeFile(dir, 'bad.jsonl', '1\n2\n');
  assert.throws(() => getTask('gsm8k').parseFile(allBad, { skipBad: true }), {
    message: `${allBad}: none of the 2 records could be read; the first problem, at line 1: expected a JSON object, found a number. Check that this is the right file for the chosen task`,
  });
});

test('a file of another dataset is refused with the shapes expected', (t) => {
  assertFails(
    t,
    'strategyqa',
    'mine.json',
    '[{"prompt": "x"}]',
    ':1',
    /^not a StrategyQA record: expected "question" and "answer" \(original\), "input" and "target_scores" \(BIG-bench\) or "sent1" and "label" \(ChilleD split\)/,
  );
  assertFails(
    t,
    'gsm8k',
    'svamp.json',
    '[{"ID": "chal-1", "Body": "B", "Question": "Q?", "Answer": 1.0}]',
    ':1',
    /^missing field "question" \(expected a string\)/,
  );
});

test('the split comes from the options, else the file name, else "train"', (t) => {
  const dir = tempDir(t);
  const content = `${GOOD_GSM('a')}\n`;
  const split = (name: string, options?: ParseOptions): string => getTask('gsm8k').parseFile(writeFile(dir, name, content), options).split;
  assert.equal(split('gsm8k_test.jsonl'), 'test');
  assert.equal(split('dev_rand_split.jsonl'), 'dev');
  assert.equal(split('validation.json'), 'validation');
  assert.equal(split('Eval.txt'), 'eval');
  assert.equal(split('ood_test.jsonl'), 'ood_test');
  assert.equal(split('SVAMP.json'), 'train');
  assert.equal(split('latest.jsonl'), 'train');
  assert.equal(split('contest.jsonl'), 'train');
  assert.equal(split('test.jsonl', { split: 'holdout' }), 'holdout');
});

test('a 10 MiB line neither crashes nor hangs: parsed when valid, reported briefly when not', (t) => {
  const huge = 'x'.repeat(10 * 1024 * 1024);
  const parsed = parseText(t, 'gsm8k', 'train.jsonl', `${GOOD_GSM('a')}\n${GOOD_GSM(`How many? ${huge}`)}\n`);
  assert.equal(parsed.problems[1]!.question.length, huge.length + 10);
  const file = writeFile(tempDir(t), 'train.jsonl', `${GOOD_GSM('a')}\n{"question": "${huge}\n${GOOD_GSM('c')}\n`);
  assert.throws(
    () => getTask('gsm8k').parseFile(file),
    (error: unknown) => error instanceof UserError && error.message.startsWith(`${file}:2: not valid JSON`) && error.message.length < 600,
  );
  const v1 = `\na\n${huge}\nQuestion?\nA.one\nB.two\nC.three\nD.four\n`;
  assert.equal(parseText(t, 'logiqa', 'Eval.txt', v1).problems[0]!.context!.length, huge.length);
  assertFails(t, 'logiqa', 'Eval.txt', `\n${huge}\n`, ':2', /^expected the answer letter \(a–d\) on its own line, found "x{40}…"$|^expected the answer letter/);
});
