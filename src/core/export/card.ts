import path from 'node:path';
import type { AtomicFile } from './atomicFile.ts';
import type { ExportCounts, ExportFileKind } from './export.ts';
import type { PairSource } from './preference.ts';
import type { ExportFormat, Feature, Fields } from './schema.ts';
import { FILE_SCHEMAS, SIDECAR_SCHEMAS } from './schema.ts';
import type { SelectionOptions } from './select.ts';

/**
 * The dataset card (README.md) of a folder export: YAML front matter that Hugging Face `datasets`
 * and the Hub read — `configs` names each file as a config with its `data_files`, and
 * `dataset_info.features` declares each config's columns from schema.ts, so
 * `load_dataset(DIR, "chat")` types every column as declared whatever the data holds — then a
 * short description for people: where the data came from, what each file is for, the counts and
 * the options used.
 */

export interface CardInput {
  folder: string;
  files: readonly { format: ExportFileKind; path: string; rows: number }[];
  counts: ExportCounts;
  options: Pick<SelectionOptions, 'includePeerAccepted' | 'allAccepted' | 'includeCorrect' | 'keepInconsistent' | 'rule'> & {
    system?: string;
    pairs: PairSource[];
  };
  project: string | undefined;
}

interface CardFile {
  config: string;
  file: string;
  rows: number;
  fields: Fields;
  purpose: string;
}

function cardFiles(input: CardInput): CardFile[] {
  return input.files.map((f) => {
    const file = path.relative(input.folder, f.path).split(path.sep).join('/');
    if (f.format.endsWith('-provenance')) {
      const of = f.format.slice(0, -'-provenance'.length) as keyof typeof SIDECAR_SCHEMAS;
      return {
        config: `${FILE_SCHEMAS[of].config}_provenance`,
        file,
        rows: f.rows,
        fields: SIDECAR_SCHEMAS[of],
        purpose: `line n describes line n of ${FILE_SCHEMAS[of].file}`,
      };
    }
    const schema = FILE_SCHEMAS[f.format as ExportFormat];
    return { config: schema.config, file, rows: f.rows, fields: schema.fields, purpose: schema.purpose };
  });
}

/** A YAML scalar: our names and file names are plain; quoted when they are not. */
function scalar(text: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(text) ? text : JSON.stringify(text);
}

/** `datasets`' YAML form of features: a list of `{name, dtype}`, `{name, struct: [...]}` or `{name, list: ...}`. */
function featureLines(fields: Fields, indent: string): string[] {
  const lines: string[] = [];
  for (const [name, feature] of Object.entries(fields)) {
    lines.push(`${indent}- name: ${scalar(name)}`);
    lines.push(...featureBody(feature, `${indent}  `));
  }
  return lines;
}

function featureBody(feature: Feature, indent: string): string[] {
  if (typeof feature === 'string') return [`${indent}dtype: ${feature}`];
  if ('struct' in feature) return [`${indent}struct:`, ...featureLines(feature.struct, indent)];
  const inner = feature.list;
  if (typeof inner === 'string') return [`${indent}list: ${inner}`];
  if ('struct' in inner) return [`${indent}list:`, ...featureLines(inner.struct, indent)];
  throw new Error('export schema: a list of lists has no YAML form here');
}

export function datasetCardText(input: CardInput, now = new Date()): string {
  // An empty file is no config: `datasets` refuses a split with no data ("corresponds to no data").
  const all = cardFiles(input);
  const files = all.filter((f) => f.rows > 0);
  const empty = all.filter((f) => f.rows === 0);
  const c = input.counts;
  const o = input.options;
  const yaml = [
    '---',
    `pretty_name: ${scalar(`MAPD curated set${input.project ? ` — ${input.project}` : ''}`)}`,
    'tags:',
    '- mapd',
    '- distillation',
    '- rationale',
    '- human-curated',
    'task_categories:',
    '- text-generation',
    'configs:',
    ...files.flatMap((f) => [`- config_name: ${f.config}`, '  data_files:', '  - split: train', `    path: ${scalar(f.file)}`]),
    'dataset_info:',
    ...files.flatMap((f) => [`- config_name: ${f.config}`, '  features:', ...featureLines(f.fields, '  ')]),
    '---',
  ];
  const options = [
    o.includePeerAccepted ? 'items the peer reviewers accepted and no human decided count as accepted' : 'only items a human accepted or edited',
    o.allAccepted ? 'every accepted item per slot' : 'the top-ranked accepted item per slot',
    o.includeCorrect ? 'rationales of problems the student got right included' : 'mistakes only',
    o.keepInconsistent ? 'rationales whose answer differs from gold kept (flagged)' : 'rationales whose answer differs from gold left out',
    `peer rule: ${o.rule.aggregation} of the valid scores > ${o.rule.threshold}`,
    `preference pairs from: ${o.pairs.length > 0 ? o.pairs.join(', ') : 'none'}`,
    o.system === undefined ? 'no system message' : `system message: ${JSON.stringify(o.system)}`,
  ];
  const body = [
    '',
    `# MAPD curated training set${input.project ? `: ${input.project}` : ''}`,
    '',
    `Exported by MAPD Curator on ${now.toISOString().slice(0, 10)}: reasoning distilled from a committee of teacher LLMs`,
    '(Mistake-Aware Peer-Review Distillation) and curated by a human: accepted, edited or rejected item by item. Per mistake of the student,',
    'two tasks: **rationale** (question → an accepted step-by-step answer) and **feedback** (question + the',
    "student's wrong answer + the gold answer as a hint → a teacher's critique).",
    '',
    '| config | file | rows | for |',
    '|---|---|---|---|',
    ...files.map((f) => `| \`${f.config}\` | \`${f.file}\` | ${f.rows} | ${f.purpose} |`),
    ...(empty.length > 0 ? ['', `Empty in this export, so not listed as configs: ${empty.map((f) => `\`${f.file}\``).join(', ')}.`] : []),
    '',
    '```python',
    'from datasets import load_dataset',
    `ds = load_dataset("path/to/this/folder", "${files.some((f) => f.config === 'prompt_completion') ? 'prompt_completion' : (files[0]?.config ?? 'mapd')}")`,
    '```',
    '',
    '## Counts',
    '',
    `- mistakes: ${c.mistakes} (${c.mistakesWithRationale} with a rationale example, ${c.mistakesWithFeedback} with a feedback example, ${c.mistakesWithBoth} with both)`,
    `- examples: ${c.rationaleExamples} rationale, ${c.feedbackExamples} feedback — ${c.fromHumanAccept} accepted by a human as written, ${c.fromHumanEdit} edited by a human, ${c.fromPeerOnly} accepted by the committee alone`,
    `- left out: ${c.rejected} rejected by a human, ${c.excludedInconsistent} rationales whose answer differs from gold, ${c.notTopRanked} not top-ranked, ${c.excludedEmpty} blank`,
    `- preference pairs: ${c.pairsFromRejections} a human's pick over a rejected item, ${c.pairsFromEdits} a human edit over the teacher's text (${c.pairsSkipped} left out: identical or blank)`,
    `- curated records: ${c.records}`,
    '',
    '## Options',
    '',
    ...options.map((line) => `- ${line}`),
    '',
    'Every row of `mapd` and `records`, and every line of the `*_provenance` files, names its problem, teacher,',
    'peer reviews and the human decision (`provenance`). Fields without a value are `null`, never absent.',
    '',
  ];
  return [...yaml, ...body].join('\n');
}

export function writeDatasetCard(file: AtomicFile, input: CardInput): void {
  for (const line of datasetCardText(input).split('\n')) file.writeLine(line);
}
