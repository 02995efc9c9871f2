import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decisionFile, decisionsFolder, readDecisionFile, syncDecisions } from '../../../src/core/team/sync.ts';
import { curatorFileName } from '../../../src/core/team/eventLine.ts';
import { teamAgreement } from '../../../src/core/team/agreement.ts';
import { tempDir } from '../helpers.ts';
import { curatorProject, decide, follower, sceptic, strict, teamEventIds, teamState } from './curators.ts';
import type { Curator } from './curators.ts';

/** Copies one curator's decision file into another's project, as a git pull brings it. */
function pull(from: Curator, to: Curator): void {
  const file = decisionFile(decisionsFolder(from.dbFile), from.name);
  fs.mkdirSync(decisionsFolder(to.dbFile), { recursive: true });
  fs.copyFileSync(file, decisionFile(decisionsFolder(to.dbFile), from.name));
}

test('three curators on the SVAMP release: files written, merged in different orders and twice give the same team decisions', (t) => {
  const root = tempDir(t, 'mapd-team-');
  const [ana, ben, cy] = [curatorProject(root, 'Ana'), curatorProject(root, 'ben'), curatorProject(root, 'cy')] as [Curator, Curator, Curator];
  t.after(() => [ana, ben, cy].forEach((c) => c.db.close()));
  decide(ana, follower, { count: 300 });
  decide(ben, sceptic, { count: 300, offset: 100 });
  decide(cy, strict, { count: 200, step: 2 });

  const first = syncDecisions(ana.db, { dbFile: ana.dbFile, curator: ana.name });
  assert.equal(first.appended, 302, '300 decisions, an undo and the decision taken again');
  assert.equal(path.basename(first.file), 'ana.jsonl', 'curator names are sanitised to a lower-case file name');
  assert.equal(first.bad.length, 0);
  assert.equal(fs.readFileSync(path.join(root, 'Ana', '.mapd', '.gitignore'), 'utf8').includes('curation.db'), true, 'the database stays out of git');
  const lines = fs.readFileSync(first.file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 302);
  assert.deepEqual(Object.keys(JSON.parse(lines[0] as string)), ['id', 'curator', 'role', 'action', 'output', 'text', 'undoes', 'at'], 'stable key order');
  assert.equal(JSON.parse(lines[300] as string).action, 'undo');
  const again = syncDecisions(ana.db, { dbFile: ana.dbFile, curator: ana.name });
  assert.equal(again.appended, 0, 'a second sync appends nothing');
  assert.equal(fs.readFileSync(first.file, 'utf8').trimEnd().split('\n').length, 302);
  syncDecisions(ben.db, { dbFile: ben.dbFile, curator: ben.name });
  syncDecisions(cy.db, { dbFile: cy.dbFile, curator: cy.name });

  // Ana pulls ben then cy, syncing between; ben pulls both at once; cy pulls ana, syncs twice, then ben.
  pull(ben, ana);
  syncDecisions(ana.db, { dbFile: ana.dbFile, curator: ana.name });
  pull(cy, ana);
  syncDecisions(ana.db, { dbFile: ana.dbFile, curator: ana.name });
  pull(ana, ben);
  pull(cy, ben);
  syncDecisions(ben.db, { dbFile: ben.dbFile, curator: ben.name });
  pull(ana, cy);
  syncDecisions(cy.db, { dbFile: cy.dbFile, curator: cy.name });
  syncDecisions(cy.db, { dbFile: cy.dbFile, curator: cy.name });
  pull(ben, cy);
  const last = syncDecisions(cy.db, { dbFile: cy.dbFile, curator: cy.name });
  assert.equal(last.curators, 3);
  assert.equal(last.unresolved, 0);

  const expected = teamState(ana.db);
  assert.ok(expected.length > 700, `${expected.length} team decisions`);
  assert.deepEqual(teamState(ben.db), expected);
  assert.deepEqual(teamState(cy.db), expected);
  assert.deepEqual(teamEventIds(ben.db), teamEventIds(ana.db));
  assert.deepEqual(teamEventIds(cy.db), teamEventIds(ana.db));
  const agreement = teamAgreement(ana.db);
  assert.deepEqual(agreement.curators, ['Ana', 'ben', 'cy']);
  assert.deepEqual(agreement.decided, { Ana: 300, ben: 300, cy: 200 });
  assert.deepEqual(teamAgreement(cy.db), agreement);
  const anaBen = agreement.overall.pairs.find((p) => p.curators[0] === 'Ana' && p.curators[1] === 'ben');
  assert.equal(anaBen?.items, 200, 'Ana decided rationales 0-299, ben 100-399: 200 in common');
});

test('a bad line in a decision file: one message naming file:line, the rest still read', (t) => {
  const root = tempDir(t, 'mapd-team-bad-');
  const [ana, ben] = [curatorProject(root, 'ana'), curatorProject(root, 'ben')] as [Curator, Curator];
  t.after(() => [ana, ben].forEach((c) => c.db.close()));
  decide(ben, follower, { count: 10 });
  syncDecisions(ben.db, { dbFile: ben.dbFile, curator: ben.name });
  pull(ben, ana);
  const file = decisionFile(decisionsFolder(ana.dbFile), 'ben');
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const tampered = JSON.parse(lines[2] as string) as { action: string };
  tampered.action = tampered.action === 'accept' ? 'reject' : 'accept';
  lines[2] = JSON.stringify(tampered);
  lines[5] = '{"id": "not json';
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const result = syncDecisions(ana.db, { dbFile: ana.dbFile, curator: ana.name });
  assert.deepEqual(
    result.bad.map((b) => `${path.basename(b.file)}:${b.line}`),
    ['ben.jsonl:3', 'ben.jsonl:6'],
  );
  assert.match(result.bad[0]?.message ?? '', /does not match its content/);
  assert.equal(readDecisionFile(file).events.length, 10);
  assert.equal(result.files[0]?.added, 10, 'the other 10 events are read');
});

test('curator names make safe, distinct-looking file names', () => {
  assert.equal(curatorFileName('Ana María'), 'ana_mar_a.jsonl');
  assert.equal(curatorFileName('../etc/passwd'), '__etc_passwd.jsonl');
  assert.equal(curatorFileName(''), 'curator.jsonl');
});
