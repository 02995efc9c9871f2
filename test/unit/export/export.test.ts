import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { getProblem } from '../../../src/core/store/problems.ts';
import { outputFromRow } from '../../../src/core/store/outputs.ts';
import { gradeAnswer } from '../../../src/core/tasks/grade.ts';
import type { ExportOptions, ExportSummary } from '../../../src/core/export/export.ts';
import { chatProvenancePath, exportTargets, exportTrainingSet } from '../../../src/core/export/export.ts';
import type { ChatRow, CurationRecord, MapdRow } from '../../../src/core/export/rows.ts';
import { FEEDBACK_INSTRUCTION } from '../../../src/core/export/instructions.ts';
import { tempDir } from '../helpers.ts';
import { TEACHERS, seedSvampRelease } from './seed.ts';
import { CURATOR, WRONG_ANSWER, applyScript } from './script.ts';

const PROBLEMS = 387;

function readJsonl<T>(file: string): T[] {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.endsWith('\n'), `${file} ends with a newline`);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

/** The project every test here starts from: the SVAMP release plus the scripted decisions. */
function curatedProject(t: { after: (fn: () => void) => void }): { db: Db; dir: string } {
  const dir = tempDir(t, 'mapd-export-');
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  seedSvampRelease(db);
  applyScript(db);
  return { db, dir };
}

/**
 * An oracle for the answer-consistent parts of the counts, written from the script rather than
 * from the exporter: per problem index, whether each teacher's unedited rationale reaches gold,
 * and the committee verdict (mean of valid scores > 3).
 */
function oracle(db: Db) {
  const problems = db.prepare('SELECT id FROM problems ORDER BY id').all() as { id: number }[];
  return problems.map(({ id }) => {
    const problem = getProblem(db, id)!;
    const byTeacher: Record<string, { consistent: boolean; peerAccepted: boolean }> = {};
    for (const teacher of TEACHERS) {
      const row = db.prepare("SELECT * FROM teacher_outputs WHERE problem_id = ? AND kind = 'rationale' AND teacher = ?").get(id, teacher.name) as Parameters<
        typeof outputFromRow
      >[0];
      const output = outputFromRow(row);
      const scores = (db.prepare('SELECT score FROM peer_reviews WHERE output_id = ? AND score IS NOT NULL').all(output.id) as { score: number }[]).map(
        (r) => r.score,
      );
      const consistent = output.correct ?? gradeAnswer(problem, output.text).correct;
      byTeacher[teacher.key] = { consistent, peerAccepted: scores.length > 0 && scores.reduce((a, b) => a + b, 0) / scores.length > 3 };
    }
    return byTeacher as Record<'gpt' | 'gemini' | 'mistral', { consistent: boolean; peerAccepted: boolean }>;
  });
}

const count = <T>(items: readonly T[], predicate: (item: T, index: number) => boolean): number =>
  items.reduce((n, item, i) => n + (predicate(item, i) ? 1 : 0), 0);

async function exportAll(db: Db, out: string, options: ExportOptions = {}): Promise<ExportSummary> {
  return exportTrainingSet(db, exportTargets('all', out), options);
}

test('SVAMP with scripted decisions: exact counts in the MAPD, chat and records files (defaults)', async (t) => {
  const { db, dir } = curatedProject(t);
  const truth = oracle(db);
  const out = path.join(dir, 'out');
  const summary = await exportAll(db, out);
  const { counts } = summary;

  // Feedback: one per mistake where a critique was accepted (i%4=0) or edited (i%4=1).
  const feedback = 97 + 97;
  // Rationales: i%3=0 any of three consistent; i%3=1 mistral's consistent; i%3=2 the 65 edits ending in gold.
  const rationales =
    count(truth, (r, i) => (i % 3 === 0 ? r.gpt.consistent || r.gemini.consistent || r.mistral.consistent : i % 3 === 1 ? r.mistral.consistent : false)) + 65;
  const inconsistent =
    count(truth, (r, i) => i % 3 === 0 && !r.gpt.consistent) +
    count(truth, (r, i) => i % 3 === 0 && !r.gemini.consistent) +
    count(truth, (r, i) => i % 3 === 0 && !r.mistral.consistent) +
    count(truth, (r, i) => i % 3 === 1 && !r.mistral.consistent) +
    64;
  const extraConsistent = truth.reduce(
    (n, r, i) => n + (i % 3 === 0 ? Math.max(0, [r.gpt, r.gemini, r.mistral].filter((x) => x.consistent).length - 1) : 0),
    0,
  );

  assert.equal(counts.problems, PROBLEMS);
  assert.equal(counts.mistakes, PROBLEMS);
  assert.equal(counts.feedbackExamples, feedback);
  assert.equal(counts.rationaleExamples, rationales);
  assert.equal(counts.excludedInconsistent, inconsistent);
  assert.equal(counts.keptInconsistent, 0);
  assert.equal(counts.notTopRanked, extraConsistent);
  assert.equal(counts.rejected, 291 + 129);
  assert.equal(counts.fromPeerOnly, 0);
  assert.equal(counts.records, 97 + 97 + 291 + 387 + 129 + 129 + 129);
  // The same figures as literals, as the release and the svamp grader make them today.
  assert.deepEqual([rationales, inconsistent, extraConsistent, counts.mistakesWithBoth], [256, 253, 136, 131]);

  const mapd = readJsonl<MapdRow>(path.join(out, 'mapd.jsonl'));
  const chat = readJsonl<ChatRow>(path.join(out, 'chat.jsonl'));
  const sidecar = readJsonl<{ line: number; task: string; provenance: MapdRow['provenance'] }>(path.join(out, 'chat.provenance.jsonl'));
  const records = readJsonl<CurationRecord>(path.join(out, 'records.jsonl'));
  assert.equal(mapd.length, feedback + rationales);
  assert.equal(
    count(mapd, (r) => r.task === 'feedback'),
    feedback,
  );
  assert.equal(
    count(mapd, (r) => r.task === 'rationale'),
    rationales,
  );
  assert.equal(chat.length, mapd.length);
  assert.equal(sidecar.length, chat.length);
  assert.equal(records.length, counts.records);
  const pairs = counts.pairsFromRejections + counts.pairsFromEdits;
  assert.deepEqual(
    summary.files.map((f) => [path.basename(f.path), f.rows]),
    [
      ['mapd.jsonl', mapd.length],
      ['prompt_completion.jsonl', mapd.length],
      ['prompt_completion.provenance.jsonl', mapd.length],
      ['chat.jsonl', chat.length],
      ['chat.provenance.jsonl', chat.length],
      ['preference.jsonl', pairs],
      ['preference.provenance.jsonl', pairs],
      ['records.jsonl', records.length],
    ],
  );

  // Every exported rationale reaches gold; the edited wrong ones are absent.
  for (const row of mapd.filter((r) => r.task === 'rationale')) assert.equal(row.provenance.answer?.consistent, true);
  assert.equal(
    count(mapd, (r) => r.output.includes(WRONG_ANSWER)),
    0,
  );
  assert.equal(
    count(mapd, (r) => r.task === 'rationale' && r.provenance.human.decision === 'edited'),
    65,
  );

  // The feedback example is the paper's: question + student's wrong answer + gold hint -> the teacher's text (or the edit).
  const edited = mapd.filter((r) => r.task === 'feedback' && r.provenance.human.edited);
  assert.equal(edited.length, 97);
  for (const row of edited) {
    assert.equal(row.instruction, FEEDBACK_INSTRUCTION);
    assert.match(row.input, /^Question: [\s\S]+\nStudent's Answer: [\s\S]+\nHint: The correct answer should be [^\n]+\.$/);
    assert.ok(row.output.startsWith("Curator's note"));
    assert.equal(row.provenance.output.teacher, 'gemini-1.0-pro');
    assert.ok(row.provenance.human.originalText !== null && row.output.endsWith(row.provenance.human.originalText.trim()));
    assert.equal(row.provenance.student?.name, 'Llama-2-7b-chat');
  }
  // Provenance on every row: problem, teacher, output and call ids, peer scores, decision, curator, time.
  for (const row of mapd) {
    const p = row.provenance;
    assert.equal(p.problem.task, 'svamp');
    assert.equal(p.problem.split, 'train');
    assert.match(p.problem.sourceId, /^chal-\d+$/);
    assert.ok(Number.isInteger(p.output.id) && TEACHERS.some((t) => t.name === p.output.teacher));
    assert.ok('callId' in p.output && p.peer.reviews.every((r) => 'callId' in r));
    assert.equal(p.peer.reviews.length, row.task === 'rationale' ? 2 : 0);
    assert.equal(p.human.curator, CURATOR);
    assert.ok(!Number.isNaN(Date.parse(p.human.at!)));
  }
  // The sidecar describes the chat file line by line, with the same content as the MAPD file.
  sidecar.forEach((s, i) => {
    assert.equal(s.line, i + 1);
    assert.deepEqual(s.provenance, mapd[i]!.provenance);
    assert.equal(chat[i]!.messages.at(-1)!.content, mapd[i]!.output);
  });
  // Records: every decided output once, with whether and why it is (not) in the training set.
  assert.equal(new Set(records.map((r) => r.provenance.output.id)).size, records.length);
  assert.equal(
    count(records, (r) => r.inTrainingSet),
    mapd.length,
  );
  assert.equal(
    count(records, (r) => r.exclusion === 'answer-inconsistent'),
    inconsistent,
  );
  assert.equal(
    count(records, (r) => r.exclusion === 'rejected'),
    420,
  );
});

/** Chat rows as OpenAI fine-tuning and TRL's SFTTrainer read them. */
function assertChatRow(row: unknown, line: number): void {
  assert.ok(row !== null && typeof row === 'object' && !Array.isArray(row), `line ${line}: an object`);
  assert.deepEqual(Object.keys(row), ['messages'], `line ${line}: only "messages"`);
  const messages = (row as ChatRow).messages;
  assert.ok(Array.isArray(messages) && messages.length >= 2, `line ${line}: at least two messages`);
  const roles = messages.map((m) => m.role);
  const expected = roles[0] === 'system' ? ['system', 'user', 'assistant'] : ['user', 'assistant'];
  assert.deepEqual(roles, expected, `line ${line}: roles`);
  for (const m of messages) {
    assert.deepEqual(Object.keys(m).sort(), ['content', 'role'], `line ${line}: message keys`);
    assert.ok(typeof m.content === 'string' && m.content.trim() !== '', `line ${line}: non-empty content`);
  }
}

test('every chat row validates against the chat schema, with and without a system message', async (t) => {
  const { db, dir } = curatedProject(t);
  for (const system of [undefined, 'You are a careful math tutor.']) {
    const file = path.join(dir, system ? 'with-system.jsonl' : 'chat.jsonl');
    const summary = await exportTrainingSet(db, { chat: file }, system ? { system } : {});
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, summary.counts.rationaleExamples + summary.counts.feedbackExamples);
    lines.forEach((line, i) => assertChatRow(JSON.parse(line), i + 1));
    if (system) assert.ok(lines.every((l) => (JSON.parse(l) as ChatRow).messages[0]!.content === system));
    assert.ok(fs.existsSync(chatProvenancePath(file)));
  }
});

test('options: every accepted item, peer-accepted items, inconsistent rationales kept and flagged', async (t) => {
  const { db, dir } = curatedProject(t);
  const truth = oracle(db);
  const consistentAccepted =
    count(truth, (r, i) => i % 3 === 0 && r.gpt.consistent) +
    count(truth, (r, i) => i % 3 === 0 && r.gemini.consistent) +
    count(truth, (r, i) => i % 3 === 0 && r.mistral.consistent) +
    count(truth, (r, i) => i % 3 === 1 && r.mistral.consistent) +
    65;

  const all = await exportAll(db, path.join(dir, 'all'), { allAccepted: true });
  assert.equal(all.counts.rationaleExamples, consistentAccepted);
  assert.equal(consistentAccepted, 392);
  assert.equal(all.counts.feedbackExamples, 194);
  assert.equal(all.counts.notTopRanked, 0);

  // Undecided outputs the committee accepted join (critiques carry no reviews here, so only rationales).
  const peer = await exportAll(db, path.join(dir, 'peer'), { allAccepted: true, includePeerAccepted: true });
  const peerOnly =
    count(truth, (r, i) => i % 3 === 1 && r.gemini.peerAccepted && r.gemini.consistent) +
    count(truth, (r, i) => i % 3 === 2 && r.gemini.peerAccepted && r.gemini.consistent) +
    count(truth, (r, i) => i % 3 === 2 && r.mistral.peerAccepted && r.mistral.consistent);
  assert.equal(peerOnly, 192);
  assert.equal(peer.counts.rationaleExamples, consistentAccepted + peerOnly);
  assert.equal(peer.counts.fromPeerOnly, peerOnly);
  const peerRows = readJsonl<MapdRow>(path.join(dir, 'peer', 'mapd.jsonl')).filter((r) => r.provenance.human.decision === 'undecided');
  assert.equal(peerRows.length, peerOnly);
  assert.ok(peerRows.every((r) => r.provenance.peer.accepted && r.provenance.human.curator === null));

  // Keeping inconsistent rationales: one per problem (every problem has an accepted one), flagged.
  const kept = await exportAll(db, path.join(dir, 'kept'), { keepInconsistent: true });
  assert.equal(kept.counts.rationaleExamples, PROBLEMS);
  assert.equal(kept.counts.excludedInconsistent, 0);
  const keptRows = readJsonl<MapdRow>(path.join(dir, 'kept', 'mapd.jsonl')).filter((r) => r.task === 'rationale');
  assert.equal(
    count(keptRows, (r) => r.provenance.answer?.consistent === false),
    kept.counts.keptInconsistent,
  );
  assert.equal(kept.counts.keptInconsistent, 138);
  assert.equal(
    count(keptRows, (r) => r.output.includes(WRONG_ANSWER)),
    64,
  );
});

test('a single format writes only its file; unknown combinations are refused', async (t) => {
  const { db, dir } = curatedProject(t);
  const file = path.join(dir, 'train.jsonl');
  const summary = await exportTrainingSet(db, exportTargets('mapd', file));
  assert.deepEqual(
    fs.readdirSync(dir).filter((n) => !n.startsWith('curation.db')),
    ['train.jsonl'],
  );
  assert.equal(summary.files.length, 1);
  await assert.rejects(exportTrainingSet(db, {}), /no export format chosen/);
  await assert.rejects(exportTrainingSet(db, { mapd: file, chat: file }), /same file/);
});

interface PreferenceSide {
  line: number;
  task: 'rationale' | 'feedback';
  pair: 'rejection' | 'edit';
  chosen: MapdRow['provenance'];
  rejected: MapdRow['provenance'];
}

test('preference pairs on SVAMP with scripted decisions: exact counts, chosen ≠ rejected, one prompt per pair', async (t) => {
  const { db, dir } = curatedProject(t);
  const truth = oracle(db);
  const out = path.join(dir, 'out');
  const { counts } = await exportAll(db, out);
  // Rejections: only i%3=1 has an accepted item (mistral's rationale, when it reaches gold) beside a rejected one (gpt's);
  // the i%4=2 critiques are all rejected, with nothing chosen. Edits: gemini's 97 critique edits and the 65 rationale
  // edits that reach gold (the 64 that do not are out of the training set, so no preference either).
  const fromRejections = count(truth, (r, i) => i % 3 === 1 && r.mistral.consistent);
  assert.deepEqual([counts.pairsFromRejections, counts.pairsFromEdits, counts.pairsSkipped], [fromRejections, 97 + 65, 0]);
  assert.equal(fromRejections, 80);

  const pairs = readJsonl<{ prompt: ChatRow['messages']; chosen: ChatRow['messages']; rejected: ChatRow['messages'] }>(path.join(out, 'preference.jsonl'));
  const sides = readJsonl<PreferenceSide>(path.join(out, 'preference.provenance.jsonl'));
  const mapd = readJsonl<MapdRow>(path.join(out, 'mapd.jsonl'));
  assert.equal(pairs.length, fromRejections + 162);
  assert.equal(sides.length, pairs.length);
  assert.equal(
    count(sides, (s) => s.pair === 'rejection'),
    fromRejections,
  );
  assert.equal(
    count(sides, (s) => s.pair === 'edit' && s.task === 'feedback'),
    97,
  );
  const byOutput = new Map(mapd.map((row) => [row.provenance.output.id, row]));
  pairs.forEach((pair, i) => {
    const side = sides[i]!;
    assert.equal(side.line, i + 1);
    assert.deepEqual(Object.keys(pair), ['prompt', 'chosen', 'rejected']);
    assert.deepEqual([pair.chosen.length, pair.rejected.length, pair.chosen[0]!.role, pair.rejected[0]!.role], [1, 1, 'assistant', 'assistant']);
    assert.notEqual(pair.chosen[0]!.content, pair.rejected[0]!.content);
    // One prompt: both sides answer the same slot (problem; for feedback, the same wrong answer).
    assert.equal(side.chosen.problem.id, side.rejected.problem.id);
    assert.equal(side.chosen.output.kind, side.rejected.output.kind);
    assert.equal(side.chosen.student?.answerId ?? null, side.rejected.student?.answerId ?? null);
    // The prompt and the chosen text are the training set's own for that item.
    const trained = byOutput.get(side.chosen.output.id);
    if (trained) {
      assert.equal(pair.prompt.at(-1)!.content, `${trained.instruction}\n\n${trained.input}`);
      assert.equal(pair.chosen[0]!.content, trained.output);
    }
    if (side.pair === 'rejection') {
      assert.ok(trained, 'the chosen side of a rejection pair is in the training set');
      assert.equal(side.rejected.human.decision, 'rejected');
    } else {
      assert.equal(side.chosen.output.id, side.rejected.output.id);
      assert.equal(pair.rejected[0]!.content, side.chosen.human.originalText!.trim());
    }
  });

  const editsOnly = await exportTrainingSet(db, { preference: path.join(dir, 'edits.jsonl') }, { pairs: ['edit'] });
  assert.deepEqual([editsOnly.counts.pairsFromRejections, editsOnly.counts.pairsFromEdits, editsOnly.files[0]!.rows], [0, 162, 162]);
});
