import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main.ts';
import { openStore } from '../../../src/core/store/db.ts';
import type { TeamAgreement } from '../../../src/core/team/agreement.ts';
import { settledStates } from '../../../src/core/team/settle.ts';
import { identityOf } from '../../../src/core/decisions/identity.ts';
import { tempDir } from '../helpers.ts';
import { seedSvampRelease } from '../export/seed.ts';
import { decide, follower, sceptic, teamState } from './curators.ts';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'pull.rebase=false', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function mapd(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin: new PassThrough(), env: {}, cwd });
  return { code, stdout, stderr };
}

/** A curator's clone with its own local database of the SVAMP release, deciding through the real store. */
function cloneAndDecide(root: string, name: string, leaning: typeof follower, offset: number): string {
  const folder = path.join(root, name);
  git(root, 'clone', '-q', '-b', 'main', path.join(root, 'team.git'), name);
  const db = openStore(path.join(folder, '.mapd', 'curation.db'));
  try {
    seedSvampRelease(db);
    decide({ name, folder, dbFile: path.join(folder, '.mapd', 'curation.db'), db }, leaning, { count: 250, offset });
  } finally {
    db.close();
  }
  return folder;
}

test('git round trip: two clones decide, sync, commit, push and pull; sync again: both databases hold the same team decisions', async (t) => {
  const root = tempDir(t, 'mapd-team-git-');
  git(root, 'init', '-q', '--bare', 'team.git');
  // The team's repository as its lead made it: one first commit.
  git(root, 'clone', '-q', path.join(root, 'team.git'), 'lead');
  fs.writeFileSync(path.join(root, 'lead', 'README.md'), 'SVAMP curation\n');
  git(path.join(root, 'lead'), 'add', 'README.md');
  git(path.join(root, 'lead'), 'commit', '-qm', 'start');
  git(path.join(root, 'lead'), 'push', '-q', 'origin', 'HEAD:main');
  const log: string[] = [];
  const step = (line: string) => log.push(line);

  const ana = cloneAndDecide(root, 'ana', follower, 0);
  const ben = cloneAndDecide(root, 'ben', sceptic, 100);

  const anaSync = await mapd(ana, 'sync', '--curator', 'ana');
  assert.equal(anaSync.code, 0, anaSync.stderr);
  step(`ana$ mapd sync: ${anaSync.stdout.trim()}`);
  git(ana, 'add', '.mapd');
  git(ana, 'commit', '-qm', "ana's decisions");
  const tracked = git(ana, 'ls-files').trim().split('\n');
  assert.deepEqual(
    tracked,
    ['.mapd/.gitignore', '.mapd/decisions/ana.jsonl', 'README.md'],
    'the database stays local: only the ignore file and the decisions are committed',
  );
  git(ana, 'push', '-q', 'origin', 'HEAD:main');

  const benSync = await mapd(ben, 'sync', '--curator', 'ben');
  step(`ben$ mapd sync: ${benSync.stdout.trim()}`);
  git(ben, 'add', '.mapd');
  git(ben, 'commit', '-qm', "ben's decisions");
  git(ben, 'pull', '-q', 'origin', 'main');
  step(`ben$ git pull: merged without conflicts, ${git(ben, 'ls-files', '.mapd/decisions').trim().split('\n').join(', ')}`);
  git(ben, 'push', '-q', 'origin', 'HEAD:main');
  const benAgain = await mapd(ben, 'sync', '--curator', 'ben');
  step(`ben$ mapd sync: ${benAgain.stdout.trim()}`);

  git(ana, 'pull', '-q', 'origin', 'main');
  const anaAgain = await mapd(ana, 'sync', '--curator', 'ana');
  assert.equal(anaAgain.code, 0, anaAgain.stderr);
  step(`ana$ git pull && mapd sync: ${anaAgain.stdout.trim()}`);
  assert.equal(git(ana, 'status', '--porcelain'), '', 'nothing left to commit after the second sync');

  const a = openStore(path.join(ana, '.mapd', 'curation.db'), { readonly: true });
  const b = openStore(path.join(ben, '.mapd', 'curation.db'), { readonly: true });
  t.after(() => {
    a.close();
    b.close();
  });
  const state = teamState(a);
  assert.ok(state.length >= 500, `${state.length} team decisions`);
  assert.deepEqual(teamState(b), state);
  // The same settled state (what the export trains on), named by identity, under each rule but mine.
  const settled = (db: typeof a, rule: 'majority' | 'unanimous') =>
    [...(settledStates(db, rule) ?? new Map())].map(([id, s]) => `${JSON.stringify(identityOf(db, id))} ${s.decision} ${s.editedText ?? ''}`).sort();
  for (const rule of ['majority', 'unanimous'] as const) assert.deepEqual(settled(b, rule), settled(a, rule), rule);
  assert.ok(settled(a, 'majority').length > settled(a, 'unanimous').length);
  const json = JSON.parse((await mapd(ana, 'stats', '--json')).stdout) as { curation: { team: TeamAgreement } };
  const team = json.curation.team;
  assert.deepEqual(team.curators, ['ana', 'ben']);
  assert.equal(team.overall.pairs[0]?.items, 150, 'ana decided rationales 0-249, ben 100-349');
  assert.equal(team.overall.items, 150);
  assert.deepEqual(Object.keys(team.byKind), ['rationale']);
  assert.equal(Object.keys(team.byTeacher).length, 3);
  const stats = await mapd(ana, 'stats');
  step(`ana$ mapd stats (team):\n${stats.stdout.slice(stats.stdout.indexOf('team'))}`);
  if (process.env.MAPD_TEAM_LOG) fs.writeFileSync(process.env.MAPD_TEAM_LOG, `${log.join('\n')}\n`);
});

test('mapd sync reports a bad line by file:line (exit 4) and reads the rest; mapd export refuses an unknown --team-rule', async (t) => {
  const root = tempDir(t, 'mapd-team-cli-');
  const db = openStore(path.join(root, '.mapd', 'curation.db'));
  seedSvampRelease(db);
  decide({ name: 'ana', folder: root, dbFile: path.join(root, '.mapd', 'curation.db'), db }, follower, { count: 5 });
  db.close();
  assert.equal((await mapd(root, 'sync', '--curator', 'ana')).code, 0);
  fs.appendFileSync(path.join(root, '.mapd', 'decisions', 'ana.jsonl'), 'not json\n');
  const synced = await mapd(root, 'sync', '--curator', 'ana');
  assert.equal(synced.code, 4);
  assert.match(synced.stdout, /7 events read from 1 files \(0 new\).*1 bad lines \(first: \.mapd\/decisions\/ana\.jsonl:8\)/);
  assert.match(synced.stdout, /\n {2}\.mapd\/decisions\/ana\.jsonl:8: not valid JSON/);
  const refused = await mapd(root, 'export', '--format', 'mapd', '--out', 'x.jsonl', '--team-rule', 'loudest');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /unknown team rule "loudest" \(use majority, unanimous, mine\)/);
  const unanimous = await mapd(root, 'export', '--format', 'mapd', '--out', 'x.jsonl', '--team-rule', 'unanimous');
  assert.equal(unanimous.code, 0, unanimous.stderr);
  assert.match(unanimous.stdout, /examples {10}0 rationale, 0 feedback/, 'one curator alone is never unanimous');
});
