// Export of curated items, every format, time and peak RSS (issue 11: 1M curated items ≤ 15 s,
// streaming, bounded memory). A synthetic project: N mistakes × 3 teachers' critiques and
// rationales, 4 human decisions per mistake (4N curated items; N = 250000 for 1M), seeded once
// with test/unit/export/synthetic.ts and cached under .cache/bench/ (ignored by git). Each
// measurement runs in a child process of its own, so its peak RSS (resourceUsage().maxRSS) is its own.
// Baselines in the same run: the mapd export with the decision states of the whole project read
// into memory up front (as before issue 11), and up to 2,500 mistakes the naive exporter — one
// query per item for its output, problem, reviews, decision and answers, every row built into one
// string, written at the end (not streamed, not atomic).
// Usage: node benchmarks/export/export.ts [mistakes]   (default 2500; 250000 for 1M items)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src/core/store/db.ts';
import { openStore } from '../../src/core/store/db.ts';
import { getProblem } from '../../src/core/store/problems.ts';
import { answersForProblem } from '../../src/core/store/answers.ts';
import { getOutput, reviewsForOutput } from '../../src/core/store/outputs.ts';
import { allCurationStates, curationState } from '../../src/core/store/events.ts';
import { aggregateScores } from '../../src/core/ranking.ts';
import type { ExportFormatChoice } from '../../src/core/export/export.ts';
import { EXPORT_FORMATS, exportTargets, exportTrainingSet } from '../../src/core/export/export.ts';
import { openAtomicFile } from '../../src/core/export/atomicFile.ts';
import { problemBundles } from '../../src/core/export/bundles.ts';
import { mapdRow, provenanceOf } from '../../src/core/export/rows.ts';
import { exportLine } from '../../src/core/export/schema.ts';
import { selectBundle, selectionOptions } from '../../src/core/export/select.ts';
import { FEEDBACK_INSTRUCTION, feedbackInput, rationaleInstruction } from '../../src/core/export/instructions.ts';
import { problemText } from '../../src/core/prompts.ts';
import { seedSynthetic } from '../../test/unit/export/synthetic.ts';
import type { ProcessFigures } from '../processFigures.ts';
import { describeFigures, describeProgress, inChildProcess, processFigures } from '../processFigures.ts';

const NAIVE_LIMIT = 2500;
type Mode = ExportFormatChoice | 'snapshot' | 'naive';

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

/** The mapd rows with every decision state read up front (the export before issue 11 paged them). */
function snapshotExport(db: Db, file: string): number {
  const out = openAtomicFile(file);
  const options = selectionOptions();
  for (const bundle of problemBundles(db, { states: allCurationStates(db) })) {
    const selection = selectBundle(bundle, options);
    for (const item of selection.items) if (item.selected) out.writeLine(exportLine(mapdRow(selection, item, provenanceOf(selection, item))));
  }
  out.commit();
  return out.lines;
}

interface Measured extends ProcessFigures {
  rows: number;
}

async function measureHere(mode: Mode, dbFile: string, out: string): Promise<Measured> {
  const db = openStore(dbFile, { readonly: true });
  const events: [number, number][] = [];
  const started = process.hrtime.bigint();
  let rows: number;
  if (mode === 'naive') rows = naiveExport(db, out);
  else if (mode === 'snapshot') rows = snapshotExport(db, out);
  else {
    const summary = await exportTrainingSet(db, exportTargets(mode, out), {}, { onProgress: (d, t) => events.push([d, t]) });
    rows = summary.files.reduce((sum, f) => sum + f.rows, 0);
  }
  const figures = processFigures(started, events);
  db.close();
  return { ...figures, rows };
}

if (process.argv[2] === '--one') {
  const [, , , mode, dbFile, out] = process.argv as [string, string, string, Mode, string, string];
  process.stdout.write(JSON.stringify(await measureHere(mode, dbFile, out)));
} else {
  const mistakes = Number(process.argv[2] ?? 2500);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const cacheDir = path.resolve(here, '../../.cache/bench');
  const dbFile = path.join(cacheDir, `export-${mistakes}.db`);
  if (!fs.existsSync(dbFile)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const started = Date.now();
    const db = openStore(`${dbFile}.part`);
    seedSynthetic(db, mistakes);
    db.close();
    fs.renameSync(`${dbFile}.part`, dbFile);
    console.log(`seeded ${mistakes} mistakes in ${((Date.now() - started) / 1000).toFixed(1)} s → ${dbFile}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-bench-export-'));
  const run = (mode: Mode): Measured => {
    const out = path.join(dir, mode === 'all' ? 'all' : `${mode}.jsonl`);
    const result = inChildProcess<Measured>(fileURLToPath(import.meta.url), [mode, dbFile, out]);
    fs.rmSync(out, { recursive: true, force: true });
    return result;
  };
  const fmt = (m: Measured): string => `${describeFigures(m)}, ${m.rows.toLocaleString('en-US')} rows`;
  try {
    console.log(
      `${mistakes.toLocaleString('en-US')} mistakes, ${(mistakes * 4).toLocaleString('en-US')} curated items, ${(mistakes * 6).toLocaleString('en-US')} outputs; ` +
        `node ${process.version}, ${os.cpus().length} cores, load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const goal = mistakes * 4 >= 1_000_000 ? 15 : 1;
    const results: Record<string, Measured> = {};
    for (const format of [...EXPORT_FORMATS, 'all'] as const) {
      const m = (results[format] = run(format));
      console.log(`export --format ${format.padEnd(18)} ${fmt(m)}; ${describeProgress(m)}; goal ≤ ${goal} s: ${m.seconds <= goal ? 'met' : 'MISSED'}`);
    }
    const snapshot = run('snapshot');
    const mapd = results.mapd as Measured;
    console.log(
      `baseline: mapd rows with every decision state read up front: ${fmt(snapshot)}; the paged export: ${(snapshot.seconds / mapd.seconds).toFixed(2)}x the speed (wall), ${(snapshot.cpuSeconds / mapd.cpuSeconds).toFixed(2)}x less CPU, ${(snapshot.maxRssMb / mapd.maxRssMb).toFixed(2)}x less RSS`,
    );
    if (mistakes <= NAIVE_LIMIT) {
      const naive = run('naive');
      console.log(
        `baseline: naive mapd (per-item SQL, one string): ${fmt(naive)}; speed-up of the streaming export ${(naive.seconds / mapd.seconds).toFixed(1)}x`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
