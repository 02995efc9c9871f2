import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exportTrainingSet, exportTargets } from '../../../src/core/export/export.ts';
import { recordDecision } from '../../../src/core/store/events.ts';
import { recordAdjudication } from '../../../src/core/team/adjudicate.ts';
import { settledStates } from '../../../src/core/team/settle.ts';
import { decisionFile, decisionsFolder, syncDecisions } from '../../../src/core/team/sync.ts';
import { teamAgreement } from '../../../src/core/team/agreement.ts';
import { tempDir } from '../helpers.ts';
import type { Curator } from './curators.ts';
import { curatorProject } from './curators.ts';

/** The first SVAMP problem's three rationales (gpt, gemini, mixtral), by id. */
function rationales(c: Curator): number[] {
  const first = (c.db.prepare("SELECT MIN(problem_id) AS p FROM teacher_outputs WHERE kind = 'rationale'").get() as { p: number }).p;
  return (c.db.prepare("SELECT id FROM teacher_outputs WHERE problem_id = ? AND kind = 'rationale' ORDER BY id").all(first) as { id: number }[]).map(
    (r) => r.id,
  );
}

function shareAll(curators: readonly Curator[]): void {
  for (const c of curators) syncDecisions(c.db, { dbFile: c.dbFile, curator: c.name });
  for (const from of curators)
    for (const to of curators)
      if (from !== to) fs.copyFileSync(decisionFile(decisionsFolder(from.dbFile), from.name), decisionFile(decisionsFolder(to.dbFile), from.name));
  for (const c of curators) syncDecisions(c.db, { dbFile: c.dbFile, curator: c.name });
}

test('settling the team: majority, unanimous, mine; an adjudicator settles a disagreement and the export uses it', async (t) => {
  const root = tempDir(t, 'mapd-team-settle-');
  const team = [curatorProject(root, 'ana'), curatorProject(root, 'ben'), curatorProject(root, 'cy')] as [Curator, Curator, Curator];
  t.after(() => team.forEach((c) => c.db.close()));
  const [ana, ben, cy] = team;
  const [r1, r2, r3] = rationales(ana) as [number, number, number];
  // r1: accept, accept, reject -> majority accept, not unanimous.
  // r2: edit (same text) by ana and ben, accept by cy -> majority edited with that text.
  // r3: accept, reject (cy undecided) -> a tie: open under majority; adjudicated below.
  const text = 'Each group has 290 / 2 = 145 bananas. The answer is 145.';
  recordDecision(ana.db, { outputId: r1, action: 'accept', curator: 'ana' });
  recordDecision(ben.db, { outputId: r1, action: 'accept', curator: 'ben' });
  recordDecision(cy.db, { outputId: r1, action: 'reject', curator: 'cy' });
  recordDecision(ana.db, { outputId: r2, action: 'edit', text, curator: 'ana' });
  recordDecision(ben.db, { outputId: r2, action: 'edit', text, curator: 'ben' });
  recordDecision(cy.db, { outputId: r2, action: 'accept', curator: 'cy' });
  recordDecision(ana.db, { outputId: r3, action: 'accept', curator: 'ana' });
  recordDecision(ben.db, { outputId: r3, action: 'reject', curator: 'ben' });
  shareAll(team);

  const majority = settledStates(ana.db, 'majority') as Map<number, { decision: string; editedText: string | null }>;
  assert.equal(majority.get(r1)?.decision, 'accepted');
  assert.deepEqual([majority.get(r2)?.decision, majority.get(r2)?.editedText], ['accepted', text]);
  assert.equal(majority.has(r3), false, 'a tie settles nothing');
  const unanimous = settledStates(ana.db, 'unanimous') as Map<number, unknown>;
  assert.deepEqual([...unanimous.keys()], [], 'no item has every decider agreeing');
  const mine = settledStates(cy.db, 'mine') as Map<number, { decision: string }>;
  assert.equal(mine.get(r1)?.decision, 'rejected', "mine: cy's own decisions");
  assert.equal(teamAgreement(ana.db).disagreements, 3);

  // cy adjudicates r3: reject. It travels in cy's own file and settles r3 for everyone, under every rule.
  recordAdjudication(cy.db, { dbFile: cy.dbFile, curator: 'cy', outputId: r3, action: 'reject' });
  shareAll(team);
  for (const c of team) {
    for (const rule of ['majority', 'unanimous', 'mine'] as const) assert.equal(settledStates(c.db, rule)?.get(r3)?.decision, 'rejected', `${c.name}, ${rule}`);
    assert.equal(teamAgreement(c.db).adjudicated, 1);
  }
  const lines = fs
    .readFileSync(decisionFile(decisionsFolder(cy.dbFile), 'cy'), 'utf8')
    .trimEnd()
    .split('\n');
  assert.equal(JSON.parse(lines[lines.length - 1] as string).role, 'adjudicator');

  // The export's records: r1 accepted, r2 edited (team text), r3 rejected — in ana's and cy's projects alike.
  const exported = async (c: Curator, rule: 'majority' | 'mine') => {
    const out = path.join(root, `${c.name}-${rule}.jsonl`);
    await exportTrainingSet(c.db, exportTargets('records', out), { teamRule: rule });
    const records = fs
      .readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { provenance: { output: { id: number }; human: { decision: string; curator: string } }; editedText?: string });
    return new Map(records.map((r) => [r.provenance.output.id, `${r.provenance.human.decision} ${r.editedText ?? ''}`.trim()]));
  };
  const fromAna = await exported(ana, 'majority');
  assert.equal(fromAna.get(r1), 'accepted');
  assert.equal(fromAna.get(r2), `edited ${text}`);
  assert.equal(fromAna.get(r3), 'rejected');
  assert.deepEqual(await exported(cy, 'majority'), fromAna, 'the same settled export from any clone');
  assert.equal((await exported(cy, 'mine')).get(r1), 'rejected', "mine: cy's own reject of r1");
});
