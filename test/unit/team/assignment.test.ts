import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER } from '../../../src/protocol/curation.ts';
import { assignees, readTeamConfig, teamConfigFile } from '../../../src/core/team/assignment.ts';
import { teamAgreement } from '../../../src/core/team/agreement.ts';
import { syncDecisions } from '../../../src/core/team/sync.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import { tempDir } from '../helpers.ts';
import type { Curator } from './curators.ts';
import { curatorProject, decide, follower } from './curators.ts';

test('assignment: each mistake to N curators from its identity, the same in any order of the list; adding one moves only what the newcomer wins', () => {
  const problems = Array.from({ length: 387 }, (_, i) => ({ task: 'svamp', split: 'test', sourceId: `chal-${i}` }));
  const three = { curators: ['ana', 'ben', 'cy'], overlap: 2 };
  const shuffled = { curators: ['cy', 'ana', 'ben'], overlap: 2 };
  const counts = new Map<string, number>();
  for (const p of problems) {
    const who = assignees(p, three);
    assert.equal(who.length, 2);
    assert.deepEqual(assignees(p, shuffled), who);
    for (const c of who) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  // 387 × 2 = 774 slots over three curators: about 258 each.
  for (const [curator, n] of counts) assert.ok(n > 220 && n < 300, `${curator}: ${n}`);
  const four = { curators: ['ana', 'ben', 'cy', 'dee'], overlap: 2 };
  for (const p of problems) {
    const before = new Set(assignees(p, three));
    const after = assignees(p, four);
    for (const c of after) assert.ok(before.has(c) || c === 'dee', 'only the newcomer takes slots');
  }
});

test("team.json: a sync assigns the queue; the panel's 'my queue' filter shows the curator's own; progress per curator in stats", (t) => {
  const root = tempDir(t, 'mapd-team-assign-');
  const ana = curatorProject(root, 'ana') as Curator;
  t.after(() => ana.db.close());
  fs.writeFileSync(teamConfigFile(ana.dbFile), JSON.stringify({ curators: ['ana', 'ben', 'cy'], overlap: 1 }));
  assert.deepEqual(readTeamConfig(ana.dbFile), { curators: ['ana', 'ben', 'cy'], overlap: 1 });
  decide(ana, follower, { count: 30 });
  const result = syncDecisions(ana.db, { dbFile: ana.dbFile, curator: 'ana' });
  assert.ok(result.assigned !== null && result.assigned > 90 && result.assigned < 170, `${result.assigned} of 387 assigned to ana`);

  const posted: HostMessage[] = [];
  const session = createCurationSession(ana.db, { curator: () => 'ana', hooks: { post: (m) => posted.push(m) } });
  session.handle({ type: 'ready', problemId: null });
  session.handle({ type: 'setFilter', requestId: 1, filter: { ...EMPTY_FILTER, myQueue: true }, from: null });
  const show = posted.filter((m) => m.type === 'show').at(-1) as Extract<HostMessage, { type: 'show' }>;
  assert.equal(show.position.matching, result.assigned);
  assert.equal(show.progress.total, 387, 'the total stays the whole project');

  const progress = teamAgreement(ana.db).assignment;
  assert.equal(progress?.overlap, 1);
  assert.deepEqual(
    progress?.curators.map((c) => c.curator),
    ['ana', 'ben', 'cy'],
  );
  assert.equal(
    progress?.curators.reduce((n, c) => n + c.assigned, 0),
    387,
  );
  const own = progress?.curators.find((c) => c.curator === 'ana');
  assert.equal(own?.assigned, result.assigned);
  assert.ok(own !== undefined && own.decided > 0 && own.decided <= 30, `ana decided ${own?.decided} of her assigned mistakes`);

  fs.writeFileSync(teamConfigFile(ana.dbFile), JSON.stringify({ curators: ['ana'], overlap: 2 }));
  assert.throws(
    () => readTeamConfig(ana.dbFile),
    (error: Error) => error.message.includes(path.join('.mapd', 'team.json')) && /overlap/.test(error.message),
  );
});
