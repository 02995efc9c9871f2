import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER, parseHostMessage } from '../../../src/protocol/curation.ts';
import { listEvents, recordDecision } from '../../../src/core/store/events.ts';
import { settledStates } from '../../../src/core/team/settle.ts';
import { decisionFile, decisionsFolder, syncDecisions } from '../../../src/core/team/sync.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import { tempDir } from '../helpers.ts';
import type { Curator } from './curators.ts';
import { curatorProject, decide, follower, sceptic } from './curators.ts';

type Show = Extract<HostMessage, { type: 'show' }>;

test("blind between curators; the 'curators disagree' view shows every decision side by side and a decision there is an adjudication", (t) => {
  const root = tempDir(t, 'mapd-team-adjudicate-');
  const [ana, ben] = [curatorProject(root, 'ana'), curatorProject(root, 'ben')] as [Curator, Curator];
  t.after(() => [ana, ben].forEach((c) => c.db.close()));
  decide(ana, follower, { count: 60 });
  decide(ben, sceptic, { count: 60 });
  for (const c of [ana, ben]) syncDecisions(c.db, { dbFile: c.dbFile, curator: c.name });
  fs.copyFileSync(decisionFile(decisionsFolder(ben.dbFile), 'ben'), decisionFile(decisionsFolder(ana.dbFile), 'ben'));
  syncDecisions(ana.db, { dbFile: ana.dbFile, curator: 'ana' });

  const posted: HostMessage[] = [];
  const session = createCurationSession(ana.db, { curator: () => 'ana', dbFile: () => ana.dbFile, hooks: { post: (m) => posted.push(m) } });
  const last = (): Show => {
    const show = [...posted].reverse().find((m): m is Show => m.type === 'show');
    assert.ok(show);
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(show))), show, 'what the host posts passes the webview validator unchanged');
    return show;
  };
  const items = (show: Show) => [show.mistake, ...show.neighbours].flatMap((m) => (m ? [...m.critiques, ...m.rationales] : []));

  // Curating as usual: nothing of ben's decisions reaches the webview.
  session.handle({ type: 'ready', problemId: null });
  session.handle({ type: 'navigate', requestId: 1, target: { kind: 'next', from: last().mistake?.problemId ?? null } });
  for (const message of posted) assert.equal(JSON.stringify(message).includes('"team"'), false, 'no team decisions outside the adjudication view');
  assert.ok(items(last()).every((i) => i.team === undefined));

  // The adjudication view: only mistakes where the two disagree, each item with both decisions.
  session.handle({ type: 'setFilter', requestId: 2, filter: { ...EMPTY_FILTER, curatorsDisagree: true }, from: null });
  const view = last();
  assert.equal(view.filter.curatorsDisagree, true);
  assert.ok(view.position.matching > 0 && view.position.matching < 20, `${view.position.matching} mistakes with a disagreement`);
  const disputed = items(view).find((i) => i.team && new Set(i.team.map((d) => `${d.decision}:${d.text ?? ''}`)).size > 1);
  assert.ok(disputed?.team, 'an item the two decided differently');
  assert.deepEqual(disputed.team.map((d) => d.curator).sort(), ['ana', 'ben']);

  // ana adjudicates it: an adjudicator's event in her own file; her working log is left as it was.
  const before = listEvents(ana.db).length;
  session.handle({ type: 'decide', requestId: 3, problemId: view.mistake?.problemId as number, outputId: disputed.outputId, action: 'reject', text: null });
  assert.equal(listEvents(ana.db).length, before, 'the local log is untouched');
  const lines = fs
    .readFileSync(decisionFile(decisionsFolder(ana.dbFile), 'ana'), 'utf8')
    .trimEnd()
    .split('\n');
  const recorded = JSON.parse(lines[lines.length - 1] as string) as { role: string; action: string; curator: string };
  assert.deepEqual([recorded.role, recorded.action, recorded.curator], ['adjudicator', 'reject', 'ana']);
  assert.equal(settledStates(ana.db, 'majority')?.get(disputed.outputId)?.decision, 'rejected');
  const after = items(last()).find((i) => i.outputId === disputed.outputId);
  assert.deepEqual(
    after?.team?.find((d) => d.role === 'adjudicator'),
    { curator: 'ana', role: 'adjudicator', decision: 'rejected', text: null },
    'the view shows the adjudication',
  );

  // Undo in the adjudication view takes the adjudication back (an undo event in ana's file), not ana's own last decision.
  session.handle({ type: 'undo', requestId: 5 });
  assert.equal(listEvents(ana.db).length, before, 'the local log is untouched by the undo too');
  assert.equal(settledStates(ana.db, 'majority')?.get(disputed.outputId)?.curator?.startsWith('adjudicated') ?? false, false, 'the rule settles it again');
  const undone = items(last()).find((i) => i.outputId === disputed.outputId);
  assert.equal(
    undone?.team?.some((d) => d.role === 'adjudicator'),
    false,
    'no adjudication in force any more',
  );
  const undoLine = JSON.parse(
    fs
      .readFileSync(decisionFile(decisionsFolder(ana.dbFile), 'ana'), 'utf8')
      .trimEnd()
      .split('\n')
      .at(-1) as string,
  ) as { action: string; role: string };
  assert.deepEqual([undoLine.role, undoLine.action], ['adjudicator', 'undo']);
  session.handle({ type: 'undo', requestId: 6 });
  assert.ok(posted.some((m) => m.type === 'notice' && /No adjudication of yours to undo/.test(m.message)));
  session.handle({ type: 'decide', requestId: 7, problemId: view.mistake?.problemId as number, outputId: disputed.outputId, action: 'reject', text: null });

  // Back to the usual view: blind again.
  const count = posted.length;
  session.handle({ type: 'setFilter', requestId: 4, filter: EMPTY_FILTER, from: null });
  for (const message of posted.slice(count)) assert.equal(JSON.stringify(message).includes('"team"'), false);
  // A later local decision stays the local curator's own (not an adjudication).
  recordDecision(ana.db, { outputId: disputed.outputId, action: 'accept', curator: 'ana' });
  assert.equal(listEvents(ana.db).length, before + 1);
});
