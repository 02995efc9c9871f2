import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { inertText, terminalSafe } from '../../../src/core/inertText.ts';
import { describeError, UserError } from '../../../src/core/errors.ts';
import { LINK_PAYLOADS, PAYLOAD_WORDS, TERMINAL_CONTROL, notificationLinks } from '../../shared/links.ts';
import { sharedData, tempDir, writeFile } from '../helpers.ts';
import { mapd } from '../cli/run.ts';

/** No link VS Code would make live, no terminal control code. */
function assertInert(text: string, context: string): void {
  assert.deepEqual(notificationLinks(text), [], `${context}: a live link in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, TERMINAL_CONTROL, `${context}: a control code in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069]/, `${context}: a bidi override in ${JSON.stringify(text)}`);
}

test('the oracle recognises every link payload before it is made inert', () => {
  for (const payload of LINK_PAYLOADS.slice(0, 5)) assert.ok(notificationLinks(payload).length > 0, payload);
  assert.match(LINK_PAYLOADS[6] as string, TERMINAL_CONTROL);
});

test('inertText leaves no live link and keeps the words readable', () => {
  for (const payload of LINK_PAYLOADS) {
    const message = describeError(new UserError(`no problem with id "${payload}"`, { where: `${payload}.jsonl:3`, next: 'Check the id' }));
    const inert = inertText(message);
    assertInert(inert, 'a UserError');
    for (const word of PAYLOAD_WORDS) if (payload.includes(word)) assert.ok(inert.includes(word), `"${word}" still readable in ${inert}`);
  }
  assert.equal(inertText('\u001b]8;;x'), '\\x1b]8;;x');
  assert.equal(inertText('a\u202eb'), 'a\\u202eb');
});

test('our own messages pass unchanged', () => {
  for (const message of [
    'Imported 700 problems (svamp/train) from train.json.',
    'gpt: 3 in + 4 out tokens, $0.0001\nnext line\twith a tab',
    'f(x) = [1, 2] (two values)',
  ])
    assert.equal(inertText(message), message);
  assert.equal(terminalSafe('[a](command:x)'), '[a](command:x)', 'data on a terminal keeps its Markdown');
});

test('CLI: every message repeating an untrusted value carries no live link', (t) => {
  const dir = tempDir(t, 'mapd-links-');
  const imported = mapd(dir, ['import', '--task', 'svamp', sharedData('svamp', 'chilled_split', 'train.json')]);
  assert.equal(imported.code, 0, imported.stderr);
  let runs = 0;
  for (const [index, payload] of LINK_PAYLOADS.entries()) {
    // The value in an id, a kind, a teacher name, a student name, a field name and the file's own name.
    // eslint-disable-next-line no-control-regex
    const name = `file-${index}-${payload.replace(/[/\u0000-\u001f\u007f-\u009f]/g, '_')}.jsonl`;
    const files: [string[], string][] = [
      [['import-outputs'], JSON.stringify({ id: payload, teacher: 'gpt', kind: 'critique', text: 'hi' })],
      [['import-outputs'], JSON.stringify({ id: 'chal-777', teacher: 'gpt', kind: payload, text: 'hi' })],
      [['import-outputs'], JSON.stringify({ id: 'chal-777', teacher: payload, kind: 'critique', text: 'hi' })],
      [['answers'], JSON.stringify({ id: payload, output: '3' })],
      [['answers', '--student', payload], JSON.stringify({ id: 'chal-777', output: '145' })],
      [['import', '--task', 'gsm8k'], JSON.stringify({ question: 'q', answer: '1', [payload]: 2 })],
      [['import', '--task', 'jsonl', '--map', `question=${payload},answer=answer`], JSON.stringify({ question: 'q', answer: '1' })],
    ];
    let said = '';
    for (const [args, line] of files) {
      const file = writeFile(dir, name, `${line}\n`);
      const run = mapd(dir, [...args, path.basename(file)]);
      runs += 1;
      for (const [stream, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
      ] as const)
        assertInert(text, `mapd ${args.join(' ')} (${stream})`);
      assert.ok(run.stderr.length + run.stdout.length > 0, `mapd ${args.join(' ')} said something`);
      said += run.stdout + run.stderr;
    }
    // The messages did repeat the value (so the test exercised the echo), defused but readable.
    for (const word of PAYLOAD_WORDS) if (payload.includes(word)) assert.ok(said.includes(word), `"${word}" echoed in: ${said}`);
  }
  assert.equal(runs, LINK_PAYLOADS.length * 7);
});
