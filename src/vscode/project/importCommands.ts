import * as vscode from 'vscode';
import path from 'node:path';
import { Cancelled, isUserError } from '../../core/errors.ts';
import type { ImportAnswersResult, ImportOutputsResult, ImportProblemsResult } from '../../core/import/index.ts';
import { DEFAULT_STUDENT } from '../../core/import/index.ts';
import { runImportInWorker } from '../../core/import/runInWorker.ts';
import type { LineIssue } from '../../core/io/textFile.ts';
import type { FieldMapping } from '../../core/tasks/types.ts';
import { guessTask } from '../../core/tasks/index.ts';
import { UserError } from '../../core/errors.ts';
import { listSplits } from '../../core/store/problems.ts';
import { lastStudent } from '../../core/store/answers.ts';
import type { Services } from '../services.ts';
import type { CommandArgs } from '../common/commands.ts';
import { booleanArg, mappingArg, signalArg, stringArg } from '../common/commands.ts';
import { countReporter, withCancellableProgress } from '../common/progress.ts';
import { logError, projectDb, requireFolder, required, showError } from '../common/run.ts';
import { askMapping, askSplit, askStudent, pickFiles, pickTask, splitFromFileName } from './dialogs.ts';
import { answersSummary, outputsSummary, problemsSummary } from './summaries.ts';
import { showInfo } from '../common/notify.ts';

const SKIP_BAD_ROWS = 'Import, skipping bad rows';

function logSkipped(services: Services, skipped: readonly LineIssue[]): void {
  for (const issue of skipped) services.log.warn(`  skipped ${issue.file}:${issue.line}: ${issue.message}`);
}

/**
 * Runs an import; when it fails on a bad row, shows the error and offers to run it again
 * skipping bad rows (never offered up front: a silent skip would hide broken data).
 */
async function withSkipOffer<T>(services: Services, name: string, run: (skipBad: boolean) => Promise<T>): Promise<T> {
  try {
    return await run(false);
  } catch (error) {
    if (!isUserError(error) || !/:\d+/.test(error.where ?? '')) throw error;
    logError(services, name, error);
    const choice = await showError(services, error, SKIP_BAD_ROWS);
    if (choice !== SKIP_BAD_ROWS) throw new Cancelled();
    services.log.info(`${name}: retrying, skipping bad rows`);
    return run(true);
  }
}

/** A scripted import: what to import, whether to skip bad rows, and the caller's cancel signal. */
export interface ScriptedImport<R> {
  request: R;
  skipBad: boolean;
  signal?: AbortSignal;
}

function scriptedImport<R>(args: CommandArgs, request: R): ScriptedImport<R> {
  const signal = signalArg(args, 'signal');
  return { request, skipBad: booleanArg(args, 'skipBad'), ...(signal ? { signal } : {}) };
}

function fileArg(args: CommandArgs): string {
  return stringArg(args, 'file', { required: true, expected: 'a file path' });
}

// ---- problems

interface ProblemsRequest {
  file: string;
  task: string;
  split?: string;
  mapping?: FieldMapping;
}

async function runProblemsImport(services: Services, request: ProblemsRequest, skipBad: boolean, signal?: AbortSignal): Promise<ImportProblemsResult> {
  const dbPath = projectDb(services, true).name;
  const name = path.basename(request.file);
  services.log.info(`import problems: ${request.file} (task ${request.task}, split ${request.split ?? 'inferred'}${skipBad ? ', skipping bad rows' : ''})`);
  const options = {
    task: request.task,
    skipBad,
    ...(request.split === undefined ? {} : { split: request.split }),
    ...(request.mapping ? { mapping: request.mapping } : {}),
  };
  const result = await withCancellableProgress(
    `Importing problems from ${name}`,
    (progress, cancel) => runImportInWorker('problems', dbPath, request.file, options, { onProgress: countReporter(progress, 'rows'), signal: cancel }),
    signal,
  );
  services.log.info(`import problems: ${problemsSummary(name, result)}`);
  logSkipped(services, result.skipped);
  services.dataChanged('command');
  return result;
}

function taskOf(file: string, given: string | undefined): string {
  if (given !== undefined) return given;
  const guessed = guessTask(file);
  if (!guessed)
    throw new UserError('cannot tell which task this file is', {
      where: file,
      next: 'Pass "task" (gsm8k, svamp, strategyqa, logiqa, commonsenseqa, arc or jsonl)',
    });
  return guessed;
}

/** mapd.importProblems({ file, task?, split?, skipBad?, mapping?, signal? }) */
export function importProblemsArgs(args: CommandArgs): ScriptedImport<ProblemsRequest> {
  const file = fileArg(args);
  const mapping = mappingArg(args, 'mapping');
  const split = stringArg(args, 'split');
  return scriptedImport(args, {
    file,
    task: taskOf(file, stringArg(args, 'task')),
    ...(split === undefined ? {} : { split }),
    ...(mapping ? { mapping: mapping as unknown as FieldMapping } : {}),
  });
}

export async function importProblems(services: Services, scripted: ScriptedImport<ProblemsRequest> | undefined): Promise<ImportProblemsResult> {
  if (scripted) return runProblemsImport(services, scripted.request, scripted.skipBad, scripted.signal);
  requireFolder();
  const [file] = await pickFiles('Import Problems', { Datasets: ['json', 'jsonl', 'txt'] }, false);
  const chosen = required(file);
  const task = await pickTask(chosen, guessTask(chosen));
  const split = await askSplit(chosen, splitFromFileName(chosen));
  const mapping = task === 'jsonl' ? ((await askMapping(chosen)) as unknown as FieldMapping) : undefined;
  const request: ProblemsRequest = { file: chosen, task, split, ...(mapping ? { mapping } : {}) };
  const result = await withSkipOffer(services, 'import problems', (skipBad) => runProblemsImport(services, request, skipBad));
  const next = 'Import Student Answers…';
  void showInfo(problemsSummary(path.basename(chosen), result), next).then((choice) => {
    if (choice === next) void vscode.commands.executeCommand('mapd.importAnswers');
  });
  return result;
}

// ---- student answers

interface AnswersRequest {
  file: string;
  student?: string;
  task?: string;
  split?: string;
}

async function runAnswersImport(services: Services, request: AnswersRequest, skipBad: boolean, signal?: AbortSignal): Promise<ImportAnswersResult> {
  const dbPath = projectDb(services, false).name;
  const name = path.basename(request.file);
  const scope = [request.task, request.split].filter((s) => s !== undefined).join('/');
  services.log.info(
    `import answers: ${request.file} (student ${request.student ?? DEFAULT_STUDENT}${scope ? `, ${scope}` : ''}${skipBad ? ', skipping bad rows' : ''})`,
  );
  const { file, ...options } = request;
  const result = await withCancellableProgress(
    `Importing student answers from ${name}`,
    (progress, cancel) => runImportInWorker('answers', dbPath, file, { ...options, skipBad }, { onProgress: countReporter(progress, 'rows'), signal: cancel }),
    signal,
  );
  services.log.info(`import answers: ${answersSummary(name, result)}`);
  logSkipped(services, result.skipped);
  services.dataChanged('command');
  return result;
}

/** mapd.importAnswers({ file, student?, task?, split?, skipBad?, signal? }) */
export function importAnswersArgs(args: CommandArgs): ScriptedImport<AnswersRequest> {
  const request: AnswersRequest = { file: fileArg(args) };
  for (const field of ['student', 'task', 'split'] as const) {
    const value = stringArg(args, field);
    if (value !== undefined) request[field] = value;
  }
  return scriptedImport(args, request);
}

export async function importAnswers(services: Services, scripted: ScriptedImport<AnswersRequest> | undefined): Promise<ImportAnswersResult> {
  if (scripted) return runAnswersImport(services, scripted.request, scripted.skipBad, scripted.signal);
  const db = projectDb(services, false);
  const [file] = await pickFiles('Import Student Answers ({"id", "output"} per line)', { 'JSON Lines': ['jsonl', 'json'] }, false);
  const request: AnswersRequest = { file: required(file) };
  const splits = listSplits(db);
  if (splits.length > 1) {
    // Source ids repeat across splits and tasks; say which problems these answers are for.
    const items = [
      { label: 'Any', description: 'match ids across the whole project (rows may name their task and split)', scope: undefined },
      ...splits.map((s) => ({ label: `${s.task}/${s.split}`, description: `${s.problems.toLocaleString('en-US')} problems`, scope: s })),
    ];
    const choice = required(await vscode.window.showQuickPick(items, { title: 'Which problems are these answers for?', ignoreFocusOut: true }));
    if (choice.scope) {
      request.task = choice.scope.task;
      request.split = choice.scope.split;
    }
  }
  request.student = await askStudent(lastStudent(db) ?? DEFAULT_STUDENT);
  const result = await withSkipOffer(services, 'import answers', (skipBad) => runAnswersImport(services, request, skipBad));
  const show = 'Show Mistakes';
  void showInfo(answersSummary(path.basename(request.file), result), show).then((choice) => {
    if (choice === show) void vscode.commands.executeCommand('mapd.problems.focus');
  });
  return result;
}

// ---- teacher outputs

async function runOutputsImport(services: Services, file: string, skipBad: boolean, signal?: AbortSignal): Promise<ImportOutputsResult> {
  const dbPath = projectDb(services, true).name;
  const name = path.basename(file);
  services.log.info(`import outputs: ${file}${skipBad ? ' (skipping bad rows)' : ''}`);
  const result = await withCancellableProgress(
    `Importing teacher outputs from ${name}`,
    (progress, cancel) => runImportInWorker('outputs', dbPath, file, { skipBad }, { onProgress: countReporter(progress, 'rows'), signal: cancel }),
    signal,
  );
  services.log.info(`import outputs: ${outputsSummary(name, result)}`);
  logSkipped(services, result.skipped);
  services.dataChanged('command');
  return result;
}

/** mapd.importOutputs({ file, skipBad?, signal? }) */
export function importOutputsArgs(args: CommandArgs): ScriptedImport<string> {
  return scriptedImport(args, fileArg(args));
}

export async function importOutputs(services: Services, scripted: ScriptedImport<string> | undefined): Promise<ImportOutputsResult | ImportOutputsResult[]> {
  if (scripted) return runOutputsImport(services, scripted.request, scripted.skipBad, scripted.signal);
  requireFolder();
  const files = await pickFiles('Import Teacher Outputs (generic JSONL or the MAPD release files)', { 'JSON / JSON Lines': ['json', 'jsonl'] }, true);
  const results: ImportOutputsResult[] = [];
  for (const file of files) {
    results.push(await withSkipOffer(services, 'import outputs', (skipBad) => runOutputsImport(services, file, skipBad)));
    void showInfo(outputsSummary(path.basename(file), results[results.length - 1] as ImportOutputsResult));
  }
  return results;
}
