// Export of 10k curated items (a synthetic project: 2,500 mistakes × 3 teachers' critiques and
// rationales, 4 human decisions per mistake), time per format. Goal: ≤ 1 s each.
// Baseline in the same run: the naive exporter — one query per item for its output, problem,
// reviews, decision and answers, every row built into one string, written at the end (not
// streamed, not atomic). Usage: node benchmarks/export/export.ts [problems]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Db } from '../../src/core/store/db.ts';
import { openStore } from '../../src/core/store/db.ts';
import { getProblem } from '../../src/core/store/problems.ts';
import { answersForProblem } from '../../src/core/store/answers.ts';
import { getOutput, reviewsForOutput } from '../../src/core/store/outputs.ts';
import { curationState } from '../../src/core/store/events.ts';
import { aggregateScores } from '../../src/core/ranking.ts';
import type { ExportTargets } from '../../src/core/export/export.ts';
import { exportTargets, exportTrainingSet } from '../../src/core/export/export.ts';
import { FEEDBACK_INSTRUCTION, feedbackInput, rationaleInstruction } from '../../src/core/export/instructions.ts';
import { problemText } from '../../src/core/prompts.ts';
import { seedSynthetic } from '../../test/unit/export/synthetic.ts';

const problems = Number(process.argv[2] ?? 2500);
const runs = 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-bench-export-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The naive exporter: per-item queries, the whole file built in memory, one write. */
function naiveExport(db: Db, file: string): number {
  const decided = db.prepare("SELECT DISTINCT output_id FROM curation_events WHERE action <> 'undo' ORDER BY output_id").all() as { output_id: number }[];
  const rows: string[] = [];
  for (const { output_id: id } of decided) {
    const state = curationState(db, id);
    if (state.decision !== 'accepted') continue;
    const output = getOutput(db, id)!;
    const problem = getProblem(db, output.problemId)!;
    const reviews = reviewsForOutput(db, id);
    const verdict = aggregateScores(reviews.map((r) => r.score));
    const answer = answersForProblem(db, problem.id).find((a) => !a.correct);
    const isRationale = output.kind === 'rationale';
    rows.push(
      JSON.stringify({
        instruction: isRationale ? rationaleInstruction(problem.task) : FEEDBACK_INSTRUCTION,
        input: isRationale ? problemText(problem) : feedbackInput(problem, answer?.rawOutput ?? ''),
        output: (state.editedText ?? output.text).trim(),
        task: isRationale ? 'rationale' : 'feedback',
        provenance: { problemId: problem.id, outputId: id, teacher: output.teacher, peer: verdict, reviews, human: state },
      }),
    );
  }
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  return rows.length;
}

async function time(label: string, work: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  const ms = median(times);
  console.log(`${label.padEnd(34)} median ${ms.toFixed(0).padStart(5)} ms  (of ${runs}: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  return ms;
}

const db = openStore(path.join(dir, 'curation.db'));
const seeded = performance.now();
const { curatedItems } = seedSynthetic(db, problems);
console.log(
  `synthetic project: ${problems} mistakes, ${problems * 6} outputs, ${curatedItems} curated items (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s)`,
);

const out = (name: string): string => path.join(dir, name);
let summary: Awaited<ReturnType<typeof exportTrainingSet>> | undefined;
const results: Record<string, number> = {};
for (const format of ['mapd', 'chat', 'records'] as const) {
  const targets: ExportTargets = exportTargets(format, out(`${format}.jsonl`));
  results[format] = await time(`export --format ${format}`, async () => (summary = await exportTrainingSet(db, targets)));
}
results.all = await time('export --format all (one pass)', () => exportTrainingSet(db, exportTargets('all', out('all'))));
const naive = await time('baseline: naive mapd (per-item SQL)', () => naiveExport(db, out('naive.jsonl')));

const counts = summary!.counts;
console.log(
  `rows: ${counts.rationaleExamples} rationale + ${counts.feedbackExamples} feedback examples; ${counts.records} records; files ${(fs.statSync(out('records.jsonl')).size / 1e6).toFixed(1)} MB records`,
);
console.log(
  `goal ≤ 1000 ms per format: ${Object.entries(results)
    .map(([f, ms]) => `${f} ${ms <= 1000 ? 'met' : 'MISSED'}`)
    .join(', ')}`,
);
console.log(`speed-up of the streaming mapd export over the naive baseline: ${(naive / results.mapd!).toFixed(1)}×`);
db.close();
fs.rmSync(dir, { recursive: true, force: true });
