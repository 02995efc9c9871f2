import * as vscode from 'vscode';
import path from 'node:path';
import { readJsonLines } from '../../core/io/textFile.ts';
import type { TaskName } from '../../core/model.ts';
import { TASKS } from '../../core/tasks/index.ts';
import { required } from '../common/run.ts';

export async function pickFiles(title: string, filters: Record<string, string[]>, many: boolean): Promise<string[]> {
  const uris = await vscode.window.showOpenDialog({
    title,
    canSelectMany: many,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: 'Import',
    filters: { ...filters, 'All files': ['*'] },
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  if (!uris || uris.length === 0) return required<string[]>(undefined);
  return uris.map((uri) => uri.fsPath);
}

/** The task picker, the guessed task first (and so pre-selected). */
export async function pickTask(file: string, guessed: TaskName | undefined): Promise<TaskName> {
  const order = guessed ? [...TASKS.filter((t) => t.name === guessed), ...TASKS.filter((t) => t.name !== guessed)] : TASKS;
  const items = order.map((spec) => ({
    label: spec.name,
    description: spec.name === guessed ? 'guessed from the file' : '',
    detail: spec.title,
    task: spec.name,
  }));
  const choice = await vscode.window.showQuickPick(items, {
    title: `Task of ${path.basename(file)}`,
    placeHolder: 'Which dataset family is this file?',
    ignoreFocusOut: true,
  });
  return required(choice).task;
}

export async function askSplit(file: string, inferred: string): Promise<string> {
  const split = await vscode.window.showInputBox({
    title: `Split of ${path.basename(file)}`,
    prompt: 'The split these problems belong to (train, dev, test, …)',
    value: inferred,
    ignoreFocusOut: true,
    validateInput: (value) => (/^[\w.-]+$/.test(value.trim()) ? undefined : 'Letters, digits, "-", "_" or "." only'),
  });
  return required(split).trim();
}

/** The split a file name suggests: train, dev or test, else train. */
export function splitFromFileName(file: string): string {
  const name = path.basename(file).toLowerCase();
  if (/(^|[^a-z])(dev|val|valid|validation|eval)([^a-z]|$)/.test(name)) return 'dev';
  if (/(^|[^a-z])test([^a-z]|$)/.test(name)) return 'test';
  return 'train';
}

interface MappingField {
  field: 'question' | 'answer' | 'id' | 'context' | 'options' | 'rationale';
  required: boolean;
  guesses: string[];
  help: string;
}

const MAPPING_FIELDS: MappingField[] = [
  { field: 'question', required: true, guesses: ['question', 'query', 'problem', 'input', 'prompt', 'q'], help: 'the question text' },
  { field: 'answer', required: true, guesses: ['answer', 'gold', 'gold_answer', 'label', 'target', 'output', 'a'], help: 'the gold answer' },
  { field: 'id', required: false, guesses: ['id', 'ID', 'uid', 'qid', 'idx'], help: 'a stable id (else the line number)' },
  { field: 'context', required: false, guesses: ['context', 'passage', 'body', 'Body'], help: 'a passage shown before the question' },
  { field: 'options', required: false, guesses: ['options', 'choices'], help: 'an array of answer options' },
  { field: 'rationale', required: false, guesses: ['rationale', 'explanation', 'solution', 'reasoning'], help: 'a gold rationale' },
];

const ANSWER_TYPES = [
  { label: 'number', detail: 'compared as numbers (1,000 = 1000.0)' },
  { label: 'yesno', detail: 'yes/no, true/false' },
  { label: 'option', detail: "a letter among the options: (B), Option D, or the option's text" },
  { label: 'text', detail: 'compared as normalised text' },
];

const NONE = '(none)';

/**
 * Asks which field of a generic JSON Lines file holds what, offering the first record's own
 * field names with the likeliest one first.
 */
export async function askMapping(file: string): Promise<Record<string, string>> {
  const first = readJsonLines(file, { skipBad: true }).records[0];
  const fields = first ? Object.keys(first.value) : [];
  const mapping: Record<string, string> = {};
  for (const spec of MAPPING_FIELDS) {
    const guess = spec.guesses.find((g) => fields.includes(g));
    const order = guess ? [guess, ...fields.filter((f) => f !== guess)] : fields;
    const items = [
      ...order.map((name) => ({ label: name, description: name === guess ? 'likely' : '' })),
      ...(spec.required ? [] : [{ label: NONE, description: '' }]),
    ];
    let chosen: string;
    if (items.length === 0) {
      chosen = required(
        await vscode.window.showInputBox({ title: `Field for ${spec.field}`, prompt: `Name of the field holding ${spec.help}`, ignoreFocusOut: true }),
      );
    } else {
      chosen = required(
        await vscode.window.showQuickPick(items, {
          title: `Field mapping: ${spec.field}${spec.required ? '' : ' (optional)'}`,
          placeHolder: `Which field holds ${spec.help}?`,
          ignoreFocusOut: true,
        }),
      ).label;
    }
    if (chosen !== NONE && chosen.trim() !== '') mapping[spec.field] = chosen.trim();
  }
  // With options mapped, answers are most likely option letters.
  const types = mapping.options ? [...ANSWER_TYPES.filter((t) => t.label === 'option'), ...ANSWER_TYPES.filter((t) => t.label !== 'option')] : ANSWER_TYPES;
  const answerType = await vscode.window.showQuickPick(types, {
    title: 'Field mapping: answer type',
    placeHolder: 'How are answers compared with gold?',
    ignoreFocusOut: true,
  });
  mapping.answerType = required(answerType).label;
  return mapping;
}

/** Student name for answers whose rows name none. */
export async function askStudent(suggestion: string): Promise<string> {
  const name = await vscode.window.showInputBox({
    title: 'Student',
    prompt: 'Name of the student model that wrote these answers (rows with a "student" field keep theirs)',
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'A name, e.g. llama-2-7b-chat' : undefined),
  });
  return required(name).trim();
}
