/**
 * The declared schema of every export file, in Hugging Face `datasets` feature terms. One
 * declaration serves three ends:
 * - the dataset card's `dataset_info.features` (card.ts), so `load_dataset(DIR, config)` types
 *   every column the same whatever the data — a column that is null in every row of one export
 *   (callId for imported data, peer.score in a fresh project) still loads as int64 / float64 and
 *   two exports concatenate;
 * - the writer (`exportLine`): a float64 field is always written with a decimal point (`5.0`,
 *   never `5`), so a reader that infers types chunk by chunk never sees an int column turn float;
 * - the tests, which check every written row against it.
 * Absent values are written as null, never left out: every key is present in every row.
 */

export type Scalar = 'string' | 'int64' | 'float64' | 'bool';
export type Feature = Scalar | { struct: Fields } | { list: Feature };
export interface Fields {
  readonly [name: string]: Feature;
}

const MESSAGE: Feature = { struct: { role: 'string', content: 'string' } };
const MESSAGES: Feature = { list: MESSAGE };

export const PROVENANCE: Feature = {
  struct: {
    problem: { struct: { id: 'int64', sourceId: 'string', task: 'string', split: 'string', goldAnswer: 'string' } },
    output: { struct: { id: 'int64', kind: 'string', teacher: 'string', sample: 'int64', callId: 'int64', source: 'string', createdAt: 'string' } },
    student: { struct: { answerId: 'int64', name: 'string', extractedAnswer: 'string', callId: 'int64' } },
    peer: {
      struct: {
        reviews: { list: { struct: { reviewer: 'string', score: 'float64', callId: 'int64' } } },
        score: 'float64',
        validScores: 'int64',
        accepted: 'bool',
      },
    },
    human: { struct: { decision: 'string', edited: 'bool', originalText: 'string', curator: 'string', at: 'string' } },
    answer: { struct: { extracted: 'string', consistent: 'bool' } },
  },
};

/** One file kind of an export: its config name on the Hub, its default file name, its columns. */
export interface FileSchema {
  config: string;
  file: string;
  fields: Fields;
  /** What the file is for, one line for the dataset card. */
  purpose: string;
}

export const FILE_SCHEMAS = {
  mapd: {
    config: 'mapd',
    file: 'mapd.jsonl',
    fields: { instruction: 'string', input: 'string', output: 'string', task: 'string', provenance: PROVENANCE },
    purpose: 'the MAPD two-task set in alpaca columns (instruction / input / output) — LLaMA-Factory',
  },
  'prompt-completion': {
    config: 'prompt_completion',
    file: 'prompt_completion.jsonl',
    fields: { prompt: MESSAGES, completion: MESSAGES },
    purpose: "the same two-task set as TRL's conversational prompt/completion — TRL SFTTrainer as is",
  },
  chat: {
    config: 'chat',
    file: 'chat.jsonl',
    fields: { messages: MESSAGES },
    purpose: 'the same two-task set as chat messages — OpenAI fine-tuning, TRL SFTTrainer, torchtune',
  },
  preference: {
    config: 'preference',
    file: 'preference.jsonl',
    fields: { prompt: MESSAGES, chosen: MESSAGES, rejected: MESSAGES },
    purpose: "the human's preferences as chosen/rejected pairs — TRL DPOTrainer, ORPOTrainer",
  },
  records: {
    config: 'records',
    file: 'records.jsonl',
    fields: {
      format: 'string',
      version: 'int64',
      question: 'string',
      text: 'string',
      editedText: 'string',
      inTrainingSet: 'bool',
      exclusion: 'string',
      provenance: PROVENANCE,
    },
    purpose: 'every curated output with its decision and provenance — re-importable with mapd import-decisions',
  },
} as const satisfies Record<string, FileSchema>;

export type ExportFormat = keyof typeof FILE_SCHEMAS;

/** The line-aligned provenance file beside a file whose rows must stay exactly what a trainer reads. */
export const SIDECAR_SCHEMAS = {
  'prompt-completion': { line: 'int64', task: 'string', provenance: PROVENANCE },
  chat: { line: 'int64', task: 'string', provenance: PROVENANCE },
  preference: { line: 'int64', task: 'string', pair: 'string', chosen: PROVENANCE, rejected: PROVENANCE },
} as const satisfies Partial<Record<ExportFormat, Fields>>;

export type SidecarFormat = keyof typeof SIDECAR_SCHEMAS;

export function hasSidecar(format: ExportFormat): format is SidecarFormat {
  return format in SIDECAR_SCHEMAS;
}

/** `chat.jsonl` → `chat.provenance.jsonl`. */
export function sidecarPath(file: string): string {
  return file.endsWith('.jsonl') ? `${file.slice(0, -'.jsonl'.length)}.provenance.jsonl` : `${file}.provenance.jsonl`;
}

/**
 * Names of the fields declared float64. The writer goes by name, so a name that is float64 in one
 * place is float64 everywhere it appears (checked once, at load).
 */
function floatFields(): Set<string> {
  const kinds = new Map<string, Set<string>>();
  const walk = (feature: Feature, name: string | undefined): void => {
    if (typeof feature === 'string') {
      if (name !== undefined) kinds.set(name, (kinds.get(name) ?? new Set()).add(feature));
    } else if ('struct' in feature) for (const [field, inner] of Object.entries(feature.struct)) walk(inner, field);
    else walk(feature.list, name);
  };
  for (const fields of [...Object.values(FILE_SCHEMAS).map((s) => s.fields), ...Object.values(SIDECAR_SCHEMAS)]) walk({ struct: fields }, undefined);
  const floats = new Set<string>();
  for (const [name, types] of kinds) {
    if (!types.has('float64')) continue;
    if (types.size > 1) throw new Error(`export schema: "${name}" is float64 in one place and ${[...types].join('/')} in another`);
    floats.add(name);
  }
  return floats;
}

const FLOAT_FIELDS = floatFields();

// JSON.rawJSON (V8 11.4+, Node 21+) emits its text as is: the one way to write 5 as `5.0`.
declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

function floatText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`export: a float field holds ${value}, which JSON cannot carry`);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** One row as a JSON line, float64 fields always with a decimal point. */
export function exportLine(row: unknown): string {
  return JSON.stringify(row, (key, value: unknown) => (typeof value === 'number' && FLOAT_FIELDS.has(key) ? JSON.rawJSON(floatText(value)) : value));
}
