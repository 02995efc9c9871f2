import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportSummary } from '../../../src/core/export/export.ts';
import { exportTargets, exportTrainingSet } from '../../../src/core/export/export.ts';
import type { Feature, Fields } from '../../../src/core/export/schema.ts';
import { FILE_SCHEMAS, SIDECAR_SCHEMAS, exportLine } from '../../../src/core/export/schema.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { tempDir } from '../helpers.ts';
import { applyScript } from './script.ts';
import { seedSvampRelease } from './seed.ts';
import { seedSynthetic } from './synthetic.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The declared fields of each written file kind. */
function fieldsOf(format: string): Fields {
  if (format.endsWith('-provenance')) return SIDECAR_SCHEMAS[format.slice(0, -'-provenance'.length) as keyof typeof SIDECAR_SCHEMAS];
  return FILE_SCHEMAS[format as keyof typeof FILE_SCHEMAS].fields;
}

/** The JSON type of every value, by path; fails on a key the schema does not declare or one it lacks. */
function conform(value: unknown, feature: Feature, where: string, seen: Map<string, Set<string>>): void {
  const note = (type: string): void => {
    seen.set(where, (seen.get(where) ?? new Set()).add(type));
  };
  if (value === null) return note('null');
  if (typeof feature === 'string') {
    const ok =
      feature === 'string'
        ? typeof value === 'string'
        : feature === 'bool'
          ? typeof value === 'boolean'
          : typeof value === 'number' && (feature === 'float64' || Number.isInteger(value));
    assert.ok(ok, `${where}: ${JSON.stringify(value)} is not ${feature}`);
    return note(feature);
  }
  if ('list' in feature) {
    assert.ok(Array.isArray(value), `${where}: not a list`);
    note('list');
    value.forEach((v: unknown) => conform(v, feature.list, `${where}[]`, seen));
    return;
  }
  assert.ok(typeof value === 'object' && !Array.isArray(value), `${where}: not an object`);
  assert.deepEqual(Object.keys(value as object).sort(), Object.keys(feature.struct).sort(), `${where}: the keys are the declared ones, every one present`);
  note('struct');
  for (const [key, inner] of Object.entries(feature.struct)) conform((value as Record<string, unknown>)[key], inner, `${where}.${key}`, seen);
}

/** Checks every line of every file of an export; returns the JSON types seen per column path. */
function checkFiles(summary: ExportSummary): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const file of summary.files) {
    const lines = fs.readFileSync(file.path, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, file.rows, file.path);
    for (const line of lines) {
      conform(JSON.parse(line), { struct: fieldsOf(file.format) }, file.format, seen);
      // A float64 field is written with a decimal point, whatever its value.
      assert.doesNotMatch(line, /"score":-?\d+[,}]/, `${file.path}: a score written as an integer`);
    }
  }
  return seen;
}

function project(t: { after: (fn: () => void) => void }, fill: (db: Db) => void): { db: Db; dir: string } {
  const dir = tempDir(t, 'mapd-schema-');
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  fill(db);
  return { db, dir };
}

test('exportLine writes float fields with a decimal point, everything else as JSON.stringify does', () => {
  assert.equal(
    exportLine({ peer: { score: 5, reviews: [{ score: 4 }, { score: 3.5 }, { score: null }] }, id: 5 }),
    '{"peer":{"score":5.0,"reviews":[{"score":4.0},{"score":3.5},{"score":null}]},"id":5}',
  );
  assert.equal(exportLine({ text: 'score: 5', n: 1 }), JSON.stringify({ text: 'score: 5', n: 1 }));
});

test('every file keeps one JSON type per column, across rows and across differently filled projects', async (t) => {
  const curated = project(t, (db) => {
    seedSvampRelease(db);
    applyScript(db);
  });
  const fresh = project(t, (db) => seedSvampRelease(db));
  const synthetic = project(t, (db) => seedSynthetic(db, 60));
  const runs = [
    await exportTrainingSet(curated.db, exportTargets('all', path.join(curated.dir, 'out'))),
    await exportTrainingSet(fresh.db, exportTargets('all', path.join(fresh.dir, 'out')), { includePeerAccepted: true }),
    await exportTrainingSet(synthetic.db, exportTargets('all', path.join(synthetic.dir, 'out')), { includePeerAccepted: true, keepInconsistent: true }),
  ];
  const types = runs.map(checkFiles);
  // Across projects: a column that is, say, an int in one and a string in another would break a combined load.
  const merged = new Map<string, Set<string>>();
  for (const seen of types) for (const [where, set] of seen) merged.set(where, new Set([...(merged.get(where) ?? []), ...set]));
  for (const [where, set] of merged) assert.ok([...set].filter((type) => type !== 'null').length <= 1, `${where} carries ${[...set].join(' and ')}`);
  // The curated project exercises the nullable columns with values: edits, scores, curators.
  assert.ok(types[0]?.get('mapd.provenance.human.originalText')?.has('string'));
  assert.ok(types[1]?.get('mapd.provenance.human.originalText')?.has('null') && !types[1]?.get('mapd.provenance.human.originalText')?.has('string'));
});

test('the dataset card names every non-empty file as a config and declares the schema of each', async (t) => {
  const { db, dir } = project(t, (d) => seedSvampRelease(d));
  const out = path.join(dir, 'out');
  const summary = await exportTrainingSet(db, exportTargets('all', out), { includePeerAccepted: true, card: { project: 'svamp-fresh' } });
  const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
  assert.match(card, /^---\npretty_name: "MAPD curated set — svamp-fresh"\n/);
  const configs = [...card.matchAll(/^- config_name: (\S+)$/gm)].map((m) => m[1]);
  const nonEmpty = summary.files.filter((f) => f.rows > 0);
  // Each config twice: once under configs, once under dataset_info.
  assert.equal(configs.length, 2 * nonEmpty.length);
  assert.ok(
    summary.files.some((f) => f.format === 'preference' && f.rows === 0),
    'no decisions, no pairs',
  );
  assert.doesNotMatch(card, /config_name: preference$/m);
  assert.match(card, /Empty in this export, so not listed as configs: `preference.jsonl`, `preference.provenance.jsonl`\./);
  assert.match(card, /- examples: 325 rationale, 0 feedback — 0 accepted by a human as written, 0 edited by a human, 325 accepted by the committee alone/);
});

/** datasets' own dict form of a feature (`Features.to_dict()`), from our declaration. */
function datasetsDict(feature: Feature): unknown {
  if (typeof feature === 'string') return { dtype: feature, _type: 'Value' };
  if ('list' in feature) return { feature: datasetsDict(feature.list), _type: 'List' };
  return Object.fromEntries(Object.entries(feature.struct).map(([k, v]) => [k, datasetsDict(v)]));
}

test('Hugging Face datasets loads every config of two exports, chunked and combined, with the declared features', async (t) => {
  const python = path.join(ROOT, '.venv', 'bin', 'python');
  assert.ok(fs.existsSync(python), 'the project-local Python with datasets is missing: run bash scripts/python-env.sh (npm test does)');
  const curated = project(t, (db) => {
    seedSvampRelease(db);
    applyScript(db);
  });
  const fresh = project(t, (db) => seedSvampRelease(db));
  const a = path.join(curated.dir, 'out');
  const b = path.join(fresh.dir, 'out');
  const summaries = [
    await exportTrainingSet(curated.db, exportTargets('all', a)),
    await exportTrainingSet(fresh.db, exportTargets('all', b), { includePeerAccepted: true }),
  ];
  const run = spawnSync(python, [path.join(ROOT, 'test/python/load_export.py'), a, b], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1' },
  });
  assert.equal(run.status, 0, run.stderr.slice(-3000));
  const report = JSON.parse(run.stdout) as { folders: Record<string, Record<string, { rows: number; features: unknown }>>; combined: Record<string, number> };
  for (const [folder, summary] of [
    [a, summaries[0]!],
    [b, summaries[1]!],
  ] as const) {
    const loaded = report.folders[folder]!;
    for (const file of summary.files.filter((f) => f.rows > 0)) {
      const config = file.format.endsWith('-provenance')
        ? `${FILE_SCHEMAS[file.format.slice(0, -'-provenance'.length) as keyof typeof FILE_SCHEMAS].config}_provenance`
        : FILE_SCHEMAS[file.format as keyof typeof FILE_SCHEMAS].config;
      assert.equal(loaded[config]?.rows, file.rows, `${folder} ${config}`);
      assert.deepEqual(loaded[config]?.features, datasetsDict({ struct: fieldsOf(file.format) }), `${config}: the loaded features are the declared ones`);
    }
  }
  assert.equal(report.combined.mapd, summaries[0]!.files.find((f) => f.format === 'mapd')!.rows + summaries[1]!.files.find((f) => f.format === 'mapd')!.rows);
  assert.equal(report.combined.records, summaries[0]!.counts.records + summaries[1]!.counts.records);
});
