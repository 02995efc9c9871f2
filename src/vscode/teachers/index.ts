import * as vscode from 'vscode';
import { UserError } from '../../core/errors.ts';
import type { AskKind } from '../../core/jobs/ask.ts';
import { ASK_KINDS, askTeacher } from '../../core/jobs/ask.ts';
import type { CollectJob } from '../../core/jobs/collect.ts';
import { COLLECT_JOBS, collect, exam } from '../../core/jobs/collect.ts';
import { estimateCollect, estimateConfirmation } from '../../core/jobs/estimate.ts';
import type { JobProgress } from '../../core/jobs/progress.ts';
import { describeProgress, settled, totals } from '../../core/jobs/progress.ts';
import { mistakesInScope } from '../../core/jobs/scope.ts';
import { formatCost, formatTokens, sumTallies } from '../../core/teachers/ledgerTotals.ts';
import type { TaskName } from '../../core/model.ts';
import { getProblem, listSplits } from '../../core/store/problems.ts';
import { findTeacher, selectTeachers } from '../../core/teachers/config.ts';
import type { Feature } from '../features.ts';
import { argError } from '../project/args.ts';
import { projectDb, required, runCommand } from '../project/run.ts';
import type { Services } from '../services.ts';
import { registerAnswerView } from './answerView.ts';
import { readTeacherSettings, requireTrust, secretKeySource, storeKey } from './settings.ts';
import { showInfo, showWarning, withNotificationProgress } from '../common/notify.ts';

/**
 * Teachers in the editor. Every command runs with pickers when called from the UI and without
 * any when given an argument object (tests, scripts); then errors reject the returned promise:
 *   mapd.setApiKey({ teacher, key })                                      -> true (key: '' deletes)
 *   mapd.collectCritiques({ teachers?, jobs?, scope?: 'all'|'selected', problemIds? }) -> JobProgress[]
 *   mapd.askTeacher({ teacher, kind: critique|rationale|free, problemId?, text?, keep?, show? }) -> AskResult
 *   mapd.runExam({ task, split })                                         -> ExamResult
 * Keys are stored in SecretStorage per teacher id and never logged. Jobs refuse to run in an
 * untrusted workspace.
 */
type Args = Record<string, unknown> | undefined;

function scripted(arg: unknown): Args {
  return arg !== null && typeof arg === 'object' && !Array.isArray(arg) && !(arg instanceof vscode.Uri) ? (arg as Record<string, unknown>) : undefined;
}

function stringArg(args: Record<string, unknown>, field: string, required_ = false): string | undefined {
  const value = args[field];
  if (value === undefined || value === null) {
    if (required_) throw new UserError(`the command's argument "${field}" is missing`, { where: 'command argument', next: 'Fix the call' });
    return undefined;
  }
  if (typeof value !== 'string') throw argError(field, 'text');
  return value;
}

function stringListArg(args: Record<string, unknown>, field: string): string[] | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw argError(field, 'a list of names');
  return value as string[];
}

/** Runs a job under a cancellable notification showing counts, tokens and cost. */
async function withJobProgress<T>(title: string, work: (signal: AbortSignal, onProgress: (p: Readonly<JobProgress>) => void) => Promise<T>): Promise<T> {
  return withNotificationProgress({ title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    let lastShare = 0;
    let lastJob = '';
    try {
      return await work(controller.signal, (p) => {
        if (p.job !== lastJob) {
          lastJob = p.job;
          lastShare = 0;
        }
        const share = p.total === 0 ? 100 : (settled(p) / p.total) * 100;
        progress.report({ message: describeProgress(p), increment: Math.max(0, share - lastShare) });
        lastShare = share;
      });
    } finally {
      subscription.dispose();
    }
  });
}

/** The final notification: each job's counts, then requests, tokens and cost summed from the run's ledger rows. */
function summary(results: readonly JobProgress[]): string {
  const jobs = results.map((r) => `${r.job}: ${r.done} new, ${r.existing} already there, ${r.skipped} skipped, ${r.failed} failed${r.heldBack ? `, ${r.heldBack} held back` : ''}${r.truncated ? `, ${r.truncated} truncated` : ''}`);
  const t = sumTallies(results.map((r) => totals(r)));
  const warnings = [...new Set(results.flatMap((r) => r.warnings))];
  return `${jobs.join('; ')}. ${t.sent} requests sent (${t.failed} failed), ${formatTokens(t.tokensIn, t.tokensOut)}, ${formatCost(t.cost)}${warnings.length ? `. ${warnings.join('; ')}` : ''}`;
}

export const teachersFeature: Feature = (services: Services) => {
  const answers = registerAnswerView();
  const keys = secretKeySource(services.context.secrets);

  const command = <T>(id: string, name: string, work: (args: Args, interactive: boolean) => Promise<T>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (arg: unknown) => {
      const args = scripted(arg);
      services.log.info(`${name}${args ? ' (scripted)' : ''}`);
      return runCommand(services, name, !args, () => work(args, !args));
    });

  const pickTeachers = async (many: boolean): Promise<string[]> => {
    const config = readTeacherSettings();
    if (config.teachers.length === 0) throw new UserError('no teachers are configured', { next: 'Add teachers to the setting mapd.teachers' });
    const items = config.teachers.map((t) => ({ label: t.id, description: `${t.provider} · ${t.model}`, picked: true }));
    if (many) return required(await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Teachers' })).map((i) => i.label);
    return [required(await vscode.window.showQuickPick(items, { title: 'Teacher' })).label];
  };

  const setApiKey = async (args: Args): Promise<boolean> => {
    const teacher = args ? (stringArg(args, 'teacher', true) as string) : (await pickTeachers(false))[0] as string;
    const config = readTeacherSettings();
    const isStudent = config.student?.id === teacher;
    if (!isStudent) findTeacher(config, teacher, 'mapd.teachers');
    const key = args
      ? (stringArg(args, 'key', true) as string)
      : required(await vscode.window.showInputBox({ title: `API key for "${teacher}"`, prompt: 'Stored in VS Code\'s secret storage; empty removes it', password: true, ignoreFocusOut: true }));
    await storeKey(services.context.secrets, teacher, key);
    services.log.info(`set API key: ${key.trim() === '' ? 'removed' : 'stored'} for "${teacher}"`);
    return true;
  };

  const collectCritiques = async (args: Args, interactive: boolean): Promise<JobProgress[]> => {
    requireTrust();
    const config = readTeacherSettings();
    const db = projectDb(services, false);
    let ids: string[] | undefined;
    let jobs: CollectJob[];
    let problemIds: number[] | undefined;
    if (args) {
      ids = stringListArg(args, 'teachers');
      jobs = (stringListArg(args, 'jobs') ?? [...COLLECT_JOBS]) as CollectJob[];
      for (const j of jobs) if (!COLLECT_JOBS.includes(j)) throw new UserError(`unknown job "${j}"`, { where: 'command argument', next: `Use ${COLLECT_JOBS.join(', ')}` });
      const scope = stringArg(args, 'scope') ?? 'all';
      if (Array.isArray(args.problemIds)) problemIds = (args.problemIds as unknown[]).map(Number);
      else if (scope === 'selected') problemIds = services.selectedProblem() === undefined ? [] : [services.selectedProblem() as number];
    } else {
      ids = await pickTeachers(true);
      jobs = required(await vscode.window.showQuickPick(COLLECT_JOBS.map((j) => ({ label: j, picked: true })), { canPickMany: true, title: 'Jobs' })).map((i) => i.label as CollectJob);
      const selected = services.selectedProblem();
      const scopeItems = [{ label: 'All mistakes', id: 'all' }, ...(selected === undefined ? [] : [{ label: 'The selected problem', id: 'selected' }])];
      const scope = required(await vscode.window.showQuickPick(scopeItems, { title: 'Scope' })).id;
      if (scope === 'selected' && selected !== undefined) problemIds = [selected];
    }
    const teachers = selectTeachers(config, ids, 'teachers');
    if (interactive) {
      const estimate = estimateCollect(db, { teachers, jobs, mistakes: mistakesInScope(db, problemIds ? { problemIds } : {}), review: config.review, prompts: config.prompts });
      const confirmation = estimateConfirmation(estimate);
      if (confirmation && (await showWarning(confirmation, 'Run')) !== 'Run') return [];
    }
    const results = await withJobProgress('MAPD: collecting from teachers', (signal, onProgress) =>
      collect(db, { teachers, keys, jobs, review: config.review, prompts: config.prompts, signal, onProgress, ...(problemIds ? { scope: { problemIds } } : {}) }),
    );
    services.dataChanged('command');
    services.log.info(`collect: ${summary(results)}`);
    if (interactive) void showInfo(`MAPD: ${summary(results)}`);
    return results;
  };

  const ask = async (args: Args, interactive: boolean) => {
    requireTrust();
    const config = readTeacherSettings();
    const db = projectDb(services, false);
    let teacherId: string;
    let kind: AskKind;
    let problemId: number | undefined;
    let text: string | undefined;
    let keep = false;
    if (args) {
      teacherId = stringArg(args, 'teacher', true) as string;
      kind = (stringArg(args, 'kind') ?? 'critique') as AskKind;
      problemId = typeof args.problemId === 'number' ? args.problemId : undefined;
      text = stringArg(args, 'text');
      keep = args.keep === true;
    } else {
      teacherId = (await pickTeachers(false))[0] as string;
      const selection = vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection);
      const subjects = [
        ...(services.selectedProblem() === undefined ? [] : [{ label: 'The current problem', id: 'problem' }]),
        ...(selection ? [{ label: 'The editor selection', id: 'selection' }] : []),
        { label: 'Free text…', id: 'text' },
      ];
      const subject = required(await vscode.window.showQuickPick(subjects, { title: 'Ask about' })).id;
      if (subject === 'problem') problemId = services.selectedProblem();
      else if (subject === 'selection') text = selection;
      else text = required(await vscode.window.showInputBox({ title: 'Your question or prompt', ignoreFocusOut: true }));
      const kinds = (problemId === undefined ? ASK_KINDS.filter((k) => k !== 'critique') : ASK_KINDS).map((k) => ({ label: k }));
      kind = required(await vscode.window.showQuickPick(kinds, { title: 'Kind' })).label as AskKind;
      if (kind === 'free' && problemId !== undefined) text = required(await vscode.window.showInputBox({ title: 'Your prompt about this problem', ignoreFocusOut: true }));
    }
    if (!ASK_KINDS.includes(kind)) throw new UserError(`unknown kind "${kind}"`, { where: 'command argument', next: `Use ${ASK_KINDS.join(', ')}` });
    const teacher = findTeacher(config, teacherId, 'teacher');
    const problem = problemId === undefined ? undefined : getProblem(db, problemId);
    if (problemId !== undefined && !problem) throw new UserError(`no problem ${problemId} in the project`, { next: 'Select a problem in the Problems view' });
    const result = await withNotificationProgress({ title: `MAPD: asking ${teacher.id}…`, cancellable: true }, async (_p, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        return await askTeacher(db, { teacher, keys, kind, keep, prompts: config.prompts, signal: controller.signal, ...(problem ? { problem } : {}), ...(text ? { text } : {}) });
      } finally {
        subscription.dispose();
      }
    });
    services.log.info(`ask ${teacher.id} (${kind}): ${result.cached ? 'from the ledger' : 'answered'}${result.truncated ? ' (truncated at max tokens)' : ''}, ${formatTokens(result.tokensIn, result.tokensOut)}, ${formatCost(result.cost)}`);
    if (!args || args.show === true) await answers.show(`${teacher.id} ${kind}`, result.text);
    if (interactive && problem && !result.kept) {
      const choice = await showInfo(`Keep ${teacher.id}'s answer as a candidate ${kind === 'free' ? 'ad-hoc output' : kind} of this problem?`, 'Keep');
      if (choice === 'Keep') {
        // The answer is in the ledger: asking again with keep stores it without a new request.
        const kept = await askTeacher(db, { teacher, keys, kind, keep: true, prompts: config.prompts, problem, ...(text ? { text } : {}) });
        result.kept = kept.kept;
      }
    }
    if (result.kept) services.dataChanged('command');
    return result;
  };

  const runExam = async (args: Args) => {
    requireTrust();
    const config = readTeacherSettings();
    if (!config.student) throw new UserError('no student endpoint is configured', { next: 'Set mapd.student to {"model": …, "baseUrl": …}' });
    const db = projectDb(services, false);
    let task: string;
    let split: string;
    if (args) {
      task = stringArg(args, 'task', true) as string;
      split = stringArg(args, 'split', true) as string;
    } else {
      const splits = listSplits(db);
      if (splits.length === 0) throw new UserError('the project has no problems yet', { next: 'Import problems first' });
      const pick = required(await vscode.window.showQuickPick(splits.map((s) => ({ label: `${s.task} / ${s.split}`, description: `${s.problems} problems`, s })), { title: 'Examine which split?' }));
      task = pick.s.task;
      split = pick.s.split;
    }
    const student = config.student;
    const result = await withJobProgress(`MAPD: student exam (${task} ${split})`, (signal, onProgress) => exam(db, { student, keys, task: task as TaskName, split, prompts: config.prompts, signal, onProgress }));
    services.dataChanged('command');
    services.log.info(`exam ${task}/${split}: ${result.correct} correct, ${result.wrong} mistakes, ${result.failed} failed`);
    if (!args) void showInfo(`MAPD exam: ${result.correct} correct, ${result.wrong} mistakes${result.failed ? `, ${result.failed} failed` : ''}. ${summary([result])}`);
    return result;
  };

  return [
    answers.disposable,
    command('mapd.setApiKey', 'set API key', (args) => setApiKey(args)),
    command('mapd.collectCritiques', 'collect critiques', collectCritiques),
    command('mapd.askTeacher', 'ask teacher', ask),
    command('mapd.runExam', 'run student exam', (args) => runExam(args)),
  ];
};
