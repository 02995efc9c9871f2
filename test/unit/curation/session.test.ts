import test from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../../src/core/store/db.ts';
import { curationState, listEvents } from '../../../src/core/store/events.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER, parseHostMessage } from '../../../src/protocol/curation.ts';
import { seedProject } from './seed.ts';

type Show = Extract<HostMessage, { type: 'show' }>;

function harness(t: Parameters<typeof seedProject>[0], count = 10) {
  const { db, file } = seedProject(t, count);
  const posted: HostMessage[] = [];
  const shown: (number | null)[] = [];
  let writes = 0;
  const session = createCurationSession(db, {
    curator: () => 'ana',
    hooks: { post: (m) => posted.push(m), onShow: (id) => shown.push(id), onWrite: () => writes++ },
  });
  const last = (): Show => {
    const show = [...posted].reverse().find((m): m is Show => m.type === 'show');
    assert.ok(show, 'a show was posted');
    // Everything the host posts passes the webview's own validator unchanged.
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(show))), show);
    return show;
  };
  return { db, file, session, posted, shown, last, writes: () => writes };
}

test('ready shows the first undecided mistake with progress, position, links and prefetched neighbours', (t) => {
  const h = harness(t);
  assert.equal(h.session.handle({ type: 'ready', problemId: null }), true);
  const show = h.last();
  assert.equal(show.requestId, null);
  assert.equal(show.mistake!.sourceId, 'p0');
  assert.deepEqual(show.progress, { settled: 0, total: 5 });
  assert.deepEqual(show.position, { index: 0, matching: 5 });
  assert.equal(show.links.previous, null);
  assert.ok(show.links.next !== null);
  assert.deepEqual(
    show.neighbours.map((n) => n.problemId),
    [show.links.next],
  );
  assert.deepEqual(show.teachers, ['gemini', 'gpt', 'mixtral']);
  assert.deepEqual(h.shown, [show.mistake!.problemId]);
});

test('malformed messages are ignored: nothing posted, nothing written', (t) => {
  const h = harness(t);
  const bad: unknown[] = [
    null,
    42,
    'ready',
    [],
    {},
    { type: 'nope' },
    { type: 'ready', problemId: 'x' },
    { type: 'decide', requestId: 1, problemId: 1, outputId: 1, action: 'delete', text: null },
    { type: 'decide', requestId: 1, problemId: 1, outputId: 1, action: 'edit', text: '' },
    { type: 'decide', requestId: 1.5, problemId: 1, outputId: 1, action: 'accept', text: null },
    { type: 'decide', requestId: 1, problemId: -1, outputId: 1, action: 'accept', text: null },
    { type: 'decide', requestId: 1, problemId: 1, outputId: 1, action: 'accept', text: 'sneaky' },
    { type: 'navigate', requestId: 1, target: { kind: 'sideways' } },
    { type: 'setFilter', requestId: 1, filter: { ...EMPTY_FILTER, status: 'maybe' }, from: null },
    { type: 'setFilter', requestId: 1, filter: { ...EMPTY_FILTER, search: 'x'.repeat(10_000) }, from: null },
    { type: 'bulkApply', requestId: 1, kind: 'critique', expectedCount: -1 },
    { type: 'editing', active: 'yes' },
    { type: 'decide', requestId: 1, problemId: 1, outputId: 1, action: 'edit', text: 'x'.repeat(300_000) },
  ];
  for (const message of bad) assert.equal(h.session.handle(message), false, JSON.stringify(message)?.slice(0, 80));
  assert.equal(h.posted.length, 0);
  assert.equal(listEvents(h.db).length, 0);
});

test('a decision is durable before the answer is posted; the answer shows the updated mistake', (t) => {
  const h = harness(t);
  h.session.handle({ type: 'ready', problemId: null });
  const mistake = h.last().mistake!;
  const outputId = mistake.critiques[0]!.outputId;
  const reader = openStore(h.file, { readonly: true });
  t.after(() => reader.close());
  let seenAtPost: string | undefined;
  const session = createCurationSession(h.db, {
    curator: () => 'ana',
    hooks: {
      post: (m) => {
        if (m.type === 'show' && m.requestId === 7) seenAtPost = curationState(reader, outputId).decision;
      },
    },
  });
  session.handle({ type: 'decide', requestId: 7, problemId: mistake.problemId, outputId, action: 'accept', text: null });
  assert.equal(seenAtPost, 'accepted');

  h.session.handle({ type: 'decide', requestId: 8, problemId: mistake.problemId, outputId: mistake.rationales[0]!.outputId, action: 'edit', text: 'New text' });
  const show = h.last();
  assert.equal(show.requestId, 8);
  assert.equal(show.mistake!.rationales[0]!.editedText, 'New text');
  assert.equal(h.writes(), 1);
});

test('a decision naming the wrong problem for its output is refused with an error, and nothing is written', (t) => {
  const h = harness(t);
  h.session.handle({ type: 'ready', problemId: null });
  const show = h.last();
  const other = show.neighbours[0]!;
  h.session.handle({ type: 'decide', requestId: 3, problemId: other.problemId, outputId: show.mistake!.critiques[0]!.outputId, action: 'accept', text: null });
  assert.ok(h.posted.some((m) => m.type === 'error' && m.requestId === 3));
  assert.equal(listEvents(h.db).length, 0);
});

test('navigate, undo across mistakes (the answer shows the undone item), filters and the bulk action', (t) => {
  const h = harness(t);
  h.session.handle({ type: 'ready', problemId: null });
  const first = h.last().mistake!;
  h.session.handle({ type: 'decide', requestId: 1, problemId: first.problemId, outputId: first.critiques[1]!.outputId, action: 'reject', text: null });
  h.session.handle({ type: 'navigate', requestId: 2, target: { kind: 'next', from: first.problemId } });
  const second = h.last().mistake!;
  assert.notEqual(second.problemId, first.problemId);
  assert.equal(h.session.currentProblem(), second.problemId);

  h.session.handle({ type: 'undo', requestId: 3 });
  const undone = h.last();
  assert.equal(undone.mistake!.problemId, first.problemId);
  assert.equal(undone.focusOutputId, first.critiques[1]!.outputId);
  assert.equal(undone.mistake!.critiques[1]!.decision, 'undecided');
  h.session.handle({ type: 'undo', requestId: 4 });
  assert.ok(h.posted.some((m) => m.type === 'notice' && /Nothing to undo/.test(m.message)));

  h.session.handle({ type: 'setFilter', requestId: 5, filter: { ...EMPTY_FILTER, search: 'item 4)' }, from: first.problemId });
  const filtered = h.last();
  assert.equal(filtered.mistake!.sourceId, 'p4');
  assert.deepEqual(filtered.position, { index: 0, matching: 1 });

  h.session.handle({ type: 'bulkPreview', requestId: 6, kind: 'critique' });
  const preview = h.posted.at(-1)!;
  assert.deepEqual(preview, { type: 'bulkPreview', requestId: 6, kind: 'critique', count: 5 });
  h.session.handle({ type: 'bulkApply', requestId: 7, kind: 'critique', expectedCount: 5 });
  assert.equal(listEvents(h.db).filter((e) => e.action === 'accept').length, 5);
  h.session.handle({ type: 'undo', requestId: 8 });
  assert.equal(listEvents(h.db).filter((e) => e.action === 'undo').length, 1 + 5);
});

test('a pushed show of an unknown problem falls back to where the panel was', (t) => {
  const h = harness(t);
  h.session.handle({ type: 'ready', problemId: null });
  const before = h.last().mistake!.problemId;
  h.session.show(999_999);
  assert.equal(h.last().mistake!.problemId, before);
  h.session.handle({ type: 'navigate', requestId: 9, target: { kind: 'problem', problemId: 999_999 } });
  assert.ok(h.posted.some((m) => m.type === 'error' && m.requestId === 9));
  assert.equal(h.last().mistake!.problemId, before);
});

test('before its list is filled the session shows, links and counts exactly what the listed session does', (t) => {
  // Two copies of one project: one session lists its mistakes after each answer, the other never
  // (every neighbour and position asked of SQLite, as at 1M before the deferred listing runs).
  const run = (listed: boolean): Show[] => {
    const { db } = seedProject(t, 24);
    const tasks: (() => void)[] = [];
    const posted: HostMessage[] = [];
    const session = createCurationSession(db, {
      curator: () => 'ana',
      schedule: (task) => tasks.push(task),
      hooks: { post: (m) => posted.push(m) },
    });
    const send = (message: unknown): void => {
      session.handle(message);
      if (listed) for (let task = tasks.shift(); task; task = tasks.shift()) task();
    };
    const current = (): Show => [...posted].reverse().find((m): m is Show => m.type === 'show') as Show;
    send({ type: 'ready', problemId: null });
    let requestId = 1;
    for (let step = 0; step < 14; step++) {
      const shown = current().mistake!;
      if (step % 3 === 0) {
        for (const item of [...shown.critiques, ...shown.rationales])
          send({ type: 'decide', requestId: requestId++, problemId: shown.problemId, outputId: item.outputId, action: 'accept', text: null });
      }
      const kind = step % 5 === 4 ? 'previous' : step % 4 === 3 ? 'nextUndecided' : 'next';
      send({ type: 'navigate', requestId: requestId++, target: { kind, from: current().mistake!.problemId } });
    }
    send({ type: 'undo', requestId: requestId++ });
    send({ type: 'setFilter', requestId: requestId++, filter: { ...EMPTY_FILTER, status: 'undecided' }, from: current().mistake!.problemId });
    send({ type: 'navigate', requestId: requestId++, target: { kind: 'next', from: current().mistake!.problemId } });
    send({ type: 'setFilter', requestId: requestId++, filter: EMPTY_FILTER, from: current().mistake!.problemId });
    send({ type: 'navigate', requestId: requestId++, target: { kind: 'first' } });
    send({ type: 'navigate', requestId, target: { kind: 'previous', from: current().mistake!.problemId } });
    return posted.filter((m): m is Show => m.type === 'show');
  };
  const listed = run(true);
  assert.ok(listed.some((show) => show.progress.settled > 0) && listed.some((show) => show.position.index > 3));
  assert.deepEqual(run(false), listed);
});
