import test from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../../src/core/store/db.ts';
import { curationState, listEvents, recordDecision } from '../../../src/core/store/events.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER } from '../../../src/protocol/curation.ts';
import { seedProject } from './seed.ts';

type Show = Extract<HostMessage, { type: 'show' }>;

/**
 * Writes made outside an open panel (the CLI, an import, a second window: another SQLite
 * connection to the same file) show in it at its next poll, and never undo what it decided.
 */
function open(t: Parameters<typeof seedProject>[0]) {
  const { db, file } = seedProject(t, 10);
  const other = openStore(file);
  t.after(() => other.close());
  const posted: HostMessage[] = [];
  const session = createCurationSession(db, { curator: () => 'ana', hooks: { post: (m) => posted.push(m) } });
  const last = (): Show => [...posted].reverse().find((m): m is Show => m.type === 'show')!;
  session.handle({ type: 'ready', problemId: null });
  return { db, other, session, posted, last };
}

test('an external write shows in the open session at its next poll, without a refresh', (t) => {
  const h = open(t);
  const before = h.last();
  assert.equal(h.session.poll(), false, 'nothing changed yet');
  // Another connection settles the shown mistake's critiques and rationales and adds a new mistake.
  for (const item of [...before.mistake!.critiques, ...before.mistake!.rationales])
    recordDecision(h.other, { outputId: item.outputId, action: 'reject', curator: 'cli' });
  const added = insertProblems(h.other, 'svamp', 'train', 'late.json', [{ sourceId: 'late', question: 'What is 50 + 50? (late quokka)', goldAnswer: '100' }]);
  assert.equal(added.inserted, 1);
  const problemId = h.other.prepare("SELECT id FROM problems WHERE source_id = 'late'").pluck().get() as number;
  upsertStudentAnswer(h.other, { problemId, student: 'llama', rawOutput: '99', extractedAnswer: '99', correct: false });
  const count = h.posted.length;
  assert.equal(h.session.poll(), true);
  assert.ok(h.posted.length > count, 'the session pushed a show');
  const after = h.last();
  assert.equal(after.requestId, null);
  assert.equal(after.mistake!.problemId, before.mistake!.problemId, 'it stays on the shown mistake');
  assert.equal(after.mistake!.settled, true);
  assert.ok(after.mistake!.critiques.every((i) => i.decision === 'rejected'));
  assert.deepEqual(after.progress, { settled: 1, total: before.progress.total + 1 });
  assert.equal(after.position.matching, before.position.matching + 1);
  assert.equal(h.session.poll(), false, 'one reload per change');
  h.session.handle({ type: 'setFilter', requestId: 2, filter: { ...EMPTY_FILTER, search: 'quokka' }, from: null });
  assert.equal(h.last().mistake!.sourceId, 'late', 'the new mistake is searchable at once');
});

test('a decision made meanwhile elsewhere is not lost: both stand, and a stale bulk count is refused', (t) => {
  const h = open(t);
  const shown = h.last().mistake!;
  const [mine, theirs] = shown.critiques;
  recordDecision(h.other, { outputId: theirs!.outputId, action: 'reject', curator: 'bob' });
  h.session.handle({ type: 'decide', requestId: 3, problemId: shown.problemId, outputId: mine!.outputId, action: 'accept', text: null });
  assert.equal(curationState(h.db, theirs!.outputId).decision, 'rejected', "the other window's decision stands");
  assert.equal(curationState(h.db, mine!.outputId).decision, 'accepted');
  const answer = h.last();
  assert.equal(answer.mistake!.critiques.find((i) => i.outputId === theirs!.outputId)!.decision, 'rejected', 'the answer shows both');

  h.session.handle({ type: 'bulkPreview', requestId: 4, kind: 'rationale' });
  const preview = h.posted.at(-1) as Extract<HostMessage, { type: 'bulkPreview' }>;
  const other = h.last().neighbours[0]!;
  recordDecision(h.other, { outputId: other.rationales[0]!.outputId, action: 'reject', curator: 'bob' });
  const events = listEvents(h.db).length;
  h.session.handle({ type: 'bulkApply', requestId: 5, kind: 'rationale', expectedCount: preview.count });
  assert.ok(h.posted.some((m) => m.type === 'error' && m.requestId === 5 && /now covers/.test(m.message)));
  assert.equal(listEvents(h.db).length, events, 'nothing written over the other decision');
});

test('a search with FTS syntax errors answers with a clear error, and the filter stays as it was', (t) => {
  const h = open(t);
  h.session.handle({ type: 'setFilter', requestId: 6, filter: { ...EMPTY_FILTER, search: '"item 4' }, from: null });
  const error = h.posted.at(-1)!;
  assert.equal(error.type, 'error');
  assert.match((error as { message: string }).message, /not valid search syntax/);
  h.session.handle({ type: 'navigate', requestId: 7, target: { kind: 'first' } });
  assert.deepEqual(h.last().filter, EMPTY_FILTER);
  assert.equal(h.last().position.matching, 5);
});
