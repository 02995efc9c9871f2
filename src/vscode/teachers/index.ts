import * as vscode from 'vscode';
import { UserError } from '../../core/errors.ts';
import type { AskKind, AskResult } from '../../core/jobs/ask.ts';
import { ASK_KINDS, askTeacher } from '../../core/jobs/ask.ts';
import type { CollectJob } from '../../core/jobs/collect.ts';
import { COLLECT_JOBS, collect, exam, parseJobList } from '../../core/jobs/collect.ts';
import type { JobProgress } from '../../core/jobs/progress.ts';
import { estimateCollect, estimateConfirmation } from '../../core/jobs/estimate.ts';
import { describeProgress, settled, totals } from '../../core/jobs/progress.ts';
import { mistakesInScope } from '../../core/jobs/scope.ts';
import { formatCost, formatTokens, sumTallies } from '../../core/teachers/ledgerTotals.ts';
import type { TaskName } from '../../core/model.ts';
import { getProblem, listSplits } from '../../core/store/problems.ts';
import { findTeacher, selectTeachers } from '../../core/teachers/config.ts';
import type { CommandArgs } from '../common/commands.ts';
import { booleanArg, numberArg, numberListArg, oneOfArg, registerScriptable, signalArg, stringArg, stringListArg } from '../common/commands.ts';
import type { ProgressReport } from '../common/progress.ts';
import { withCancellableProgress } from '../common/progress.ts';
import { SettingError, projectDb, required } from '../common/run.ts';
import type { Feature, Services } from '../services.ts';
import { registerAnswerView } from './answerView.ts';
import { readTeacherSettings, requireTrust, secretKeySource, storeKey } from './settings.ts';
import { showInfo, showWarning } from '../common/notify.ts';
import { setUpTeachers } from './setUp.ts';
import { registerEditorModelTeachers } from './vscodeLm.ts';

/**
 * Teachers in the editor. Every command runs with pickers when called from the UI and without
 * any when given an argument object (tests, scripts; see common/commands.ts); then errors reject
 * the returned promise:
 *   mapd.setApiKey({ teacher, key })                                      -> true (key: '' deletes)
 *   mapd.collectCritiques({ teachers?, jobs?, scope?: 'all'|'selected', problemIds? }) -> JobProgress[]
 *   mapd.askTeacher({ teacher, kind: critique|rationale|free, problemId?, text?, keep?, show? }) -> AskResult
 *   mapd.runExam({ task, split })                                         -> ExamResult
 * Keys are stored in SecretStorage per teacher id and never logged. Jobs refuse to run in an
 * untrusted workspace, before they read their argument.
 */

interface KeyArgs {
  teacher: string;
  key: string;
}

function keyArgs(args: CommandArgs): KeyArgs {
  return { teacher: stringArg(args, 'teacher', { required: true }), key: stringArg(args, 'key', { required: true, empty: true }) };
}

interface CollectArgs {
  teachers: string[] | undefined;
  jobs: CollectJob[];
  scope: 'all' | 'selected';
  problemIds: number[] | undefined;
}

function collectArgs(args: CommandArgs): CollectArgs {
  return {
    teachers: stringListArg(args, 'teachers'),
    jobs: parseJobList(stringListArg(args, 'jobs')?.join(','), 'command argument "jobs"'),
    scope: oneOfArg(args, 'scope', ['all', 'selected'], 'all'),
    problemIds: numberListArg(args, 'problemIds'),
  };
}

interface AskArgs {
  teacher: string;
  kind: AskKind;
  problemId: number | undefined;
  text: string | undefined;
  keep: boolean;
  show: boolean;
  /** Scripts and tests: aborting it is the notification's Stop. */
  signal?: AbortSignal;
}

function askArgs(args: CommandArgs): AskArgs {
  const signal = signalArg(args, 'signal');
  return {
    ...(signal ? { signal } : {}),
    teacher: stringArg(args, 'teacher', { required: true }),
    kind: oneOfArg(args, 'kind', ASK_KINDS, 'critique'),
    problemId: numberArg(args, 'problemId'),
    text: stringArg(args, 'text', { empty: true }),
    keep: booleanArg(args, 'keep'),
    show: booleanArg(args, 'show'),
  };
}

interface ExamArgs {
  task: string;
  split: string;
}

function examArgs(args: CommandArgs): ExamArgs {
  return { task: stringArg(args, 'task', { required: true }), split: stringArg(args, 'split', { required: true }) };
}

/** Job progress as counts, tokens and cost; the bar restarts with each job of a run. */
function jobReporter(progress: ProgressReport): (p: Readonly<JobProgress>) => void {
  let lastShare = 0;
  let lastJob = '';
  return (p) => {
    if (p.job !== lastJob) {
      lastJob = p.job;
      lastShare = 0;
    }
    const share = p.total === 0 ? 100 : (settled(p) / p.total) * 100;
    progress.report({ message: describeProgress(p), increment: Math.max(0, share - lastShare) });
    lastShare = share;
  };
}

/** The final notification: each job's counts, then requests, tokens and cost summed from the run's ledger rows. */
function summary(results: readonly JobProgress[]): string {
  const jobs = results.map(
    (r) =>
      `${r.job}: ${r.done} new, ${r.existing} already there, ${r.skipped} skipped, ${r.failed} failed${r.heldBack ? `, ${r.heldBack} held back` : ''}${r.truncated ? `, ${r.truncated} truncated` : ''}`,
  );
  const t = sumTallies(results.map((r) => totals(r)));
  const warnings = [...new Set(results.flatMap((r) => r.warnings))];
  return `${jobs.join('; ')}. ${t.sent} requests sent (${t.failed} failed), ${formatTokens(t.tokensIn, t.tokensOut)}, ${formatCost(t.cost)}${warnings.length ? `. ${warnings.join('; ')}` : ''}`;
}

export const teachersFeature: Feature = (services: Services) => {
  const answers = registerAnswerView();
  const keys = secretKeySource(services.context.secrets);

  const pickTeachers = async (many: boolean): Promise<string[]> => {
    const config = readTeacherSettings();
    if (config.teachers.length === 0) throw new SettingError('no teachers are configured', 'mapd.teachers', 'Add teachers to the setting mapd.teachers');
    const items = config.teachers.map((t) => ({ label: t.id, description: `${t.provider} · ${t.model}`, picked: true }));
    if (many) return required(await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Teachers' })).map((i) => i.label);
    return [required(await vscode.window.showQuickPick(items, { title: 'Teacher' })).label];
  };

  const setApiKey = async (args: KeyArgs | undefined): Promise<boolean> => {
    const teacher = args ? args.teacher : ((await pickTeachers(false))[0] as string);
    const config = readTeacherSettings();
    const isStudent = config.student?.id === teacher;
    if (!isStudent) findTeacher(config, teacher, 'mapd.teachers');
    const key = args
      ? args.key
      : required(
          await vscode.window.showInputBox({
            title: `API key for "${teacher}"`,
            prompt: "Stored in VS Code's secret storage; empty removes it",
            password: true,
            ignoreFocusOut: true,
          }),
        );
    await storeKey(services.context.secrets, teacher, key);
    services.log.info(`set API key: ${key.trim() === '' ? 'removed' : 'stored'} for "${teacher}"`);
    return true;
  };

  const askCollectArgs = async (): Promise<CollectArgs> => {
    const teachers = await pickTeachers(true);
    const jobs = required(
      await vscode.window.showQuickPick(
        COLLECT_JOBS.map((j) => ({ label: j, picked: true })),
        { canPickMany: true, title: 'Jobs' },
      ),
    ).map((i) => i.label as CollectJob);
    const selected = services.selectedProblem();
    const scopeItems = [
      { label: 'All mistakes', id: 'all' as const },
      ...(selected === undefined ? [] : [{ label: 'The selected problem', id: 'selected' as const }]),
    ];
    const scope = required(await vscode.window.showQuickPick(scopeItems, { title: 'Scope' })).id;
    return { teachers, jobs, scope, problemIds: undefined };
  };

  const collectCritiques = async (scripted: CollectArgs | undefined): Promise<JobProgress[]> => {
    const config = readTeacherSettings();
    const db = projectDb(services, false);
    const args = scripted ?? (await askCollectArgs());
    const selected = services.selectedProblem();
    const problemIds = args.problemIds ?? (args.scope === 'selected' ? (selected === undefined ? [] : [selected]) : undefined);
    const teachers = selectTeachers(config, args.teachers, 'teachers');
    if (!scripted) {
      const estimate = estimateCollect(db, {
        teachers,
        jobs: args.jobs,
        mistakes: mistakesInScope(db, problemIds ? { problemIds } : {}),
        review: config.review,
        prompts: config.prompts,
      });
      const confirmation = estimateConfirmation(estimate);
      if (confirmation && (await showWarning(confirmation, 'Run')) !== 'Run') return [];
    }
    const results = await withCancellableProgress('MAPD: collecting from teachers', (progress, signal) =>
      collect(db, {
        teachers,
        keys,
        jobs: args.jobs,
        review: config.review,
        prompts: config.prompts,
        signal,
        onProgress: jobReporter(progress),
        ...(problemIds ? { scope: { problemIds } } : {}),
      }),
    );
    services.dataChanged('command');
    services.log.info(`collect: ${summary(results)}`);
    if (!scripted) void showInfo(`MAPD: ${summary(results)}`);
    return results;
  };

  const askAskArgs = async (): Promise<AskArgs> => {
    const teacher = (await pickTeachers(false))[0] as string;
    const selection = vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection);
    const subjects = [
      ...(services.selectedProblem() === undefined ? [] : [{ label: 'The current problem', id: 'problem' }]),
      ...(selection ? [{ label: 'The editor selection', id: 'selection' }] : []),
      { label: 'Free text…', id: 'text' },
    ];
    const subject = required(await vscode.window.showQuickPick(subjects, { title: 'Ask about' })).id;
    let problemId: number | undefined;
    let text: string | undefined;
    if (subject === 'problem') problemId = services.selectedProblem();
    else if (subject === 'selection') text = selection;
    else text = required(await vscode.window.showInputBox({ title: 'Your question or prompt', ignoreFocusOut: true }));
    const kinds = (problemId === undefined ? ASK_KINDS.filter((k) => k !== 'critique') : ASK_KINDS).map((k) => ({ label: k }));
    const kind = required(await vscode.window.showQuickPick(kinds, { title: 'Kind' })).label;
    if (kind === 'free' && problemId !== undefined)
      text = required(await vscode.window.showInputBox({ title: 'Your prompt about this problem', ignoreFocusOut: true }));
    return { teacher, kind, problemId, text, keep: false, show: true };
  };

  const ask = async (scripted: AskArgs | undefined): Promise<AskResult> => {
    const config = readTeacherSettings();
    const db = projectDb(services, false);
    const { teacher: teacherId, kind, problemId, text, keep, show } = scripted ?? (await askAskArgs());
    const teacher = findTeacher(config, teacherId, 'teacher');
    const problem = problemId === undefined ? undefined : getProblem(db, problemId);
    if (problemId !== undefined && !problem) throw new UserError(`no problem ${problemId} in the project`, { next: 'Select a problem in the Problems view' });
    // The answer streams into its view as it arrives (a cached one shows at once); Stop (the
    // notification's Cancel) ends the call, and the ledger records it as cancelled, not answered.
    const live = show ? answers.live(`${teacher.id} ${kind}`) : undefined;
    const result = await withCancellableProgress(
      `MAPD: asking ${teacher.id}… (Cancel stops)`,
      (_progress, signal) =>
        askTeacher(db, {
          teacher,
          keys,
          kind,
          keep,
          prompts: config.prompts,
          signal,
          ...(live ? { onText: (soFar: string) => live.update(soFar) } : {}),
          ...(problem ? { problem } : {}),
          ...(text ? { text } : {}),
        }),
      scripted?.signal,
    );
    services.log.info(
      `ask ${teacher.id} (${kind}): ${result.cached ? 'from the ledger' : 'answered'}${result.truncated ? ' (truncated at max tokens)' : ''}, ${formatTokens(result.tokensIn, result.tokensOut)}, ${formatCost(result.cost)}`,
    );
    if (live) await live.finish(result.text);
    if (!scripted && problem && !result.kept) {
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

  const runExam = async (scripted: ExamArgs | undefined) => {
    const config = readTeacherSettings();
    if (!config.student) throw new SettingError('no student endpoint is configured', 'mapd.student', 'Set mapd.student to {"model": …, "baseUrl": …}');
    const db = projectDb(services, false);
    let args = scripted;
    if (!args) {
      const splits = listSplits(db);
      if (splits.length === 0) throw new UserError('the project has no problems yet', { next: 'Import problems first' });
      args = required(
        await vscode.window.showQuickPick(
          splits.map((s) => ({ label: `${s.task} / ${s.split}`, description: `${s.problems} problems`, task: s.task, split: s.split })),
          { title: 'Examine which split?' },
        ),
      );
    }
    const { task, split } = args;
    const student = config.student;
    const result = await withCancellableProgress(`MAPD: student exam (${task} ${split})`, (progress, signal) =>
      exam(db, { student, keys, task: task as TaskName, split, prompts: config.prompts, signal, onProgress: jobReporter(progress) }),
    );
    services.dataChanged('command');
    services.log.info(`exam ${task}/${split}: ${result.correct} correct, ${result.wrong} mistakes, ${result.failed} failed`);
    if (!scripted)
      void showInfo(`MAPD exam: ${result.correct} correct, ${result.wrong} mistakes${result.failed ? `, ${result.failed} failed` : ''}. ${summary([result])}`);
    return result;
  };

  return [
    answers.disposable,
    registerScriptable(services, 'mapd.setApiKey', 'set API key', keyArgs, setApiKey),
    registerScriptable(services, 'mapd.collectCritiques', 'collect critiques', collectArgs, collectCritiques, requireTrust),
    registerScriptable(services, 'mapd.askTeacher', 'ask teacher', askArgs, ask, requireTrust),
    registerScriptable(services, 'mapd.runExam', 'run student exam', examArgs, runExam, requireTrust),
    registerScriptable(
      services,
      'mapd.setUpTeachers',
      'set up teachers',
      (a) => ({ ...(stringListArg(a, 'pick') ? { pick: stringListArg(a, 'pick') as string[] } : {}) }),
      setUpTeachers,
    ),
    registerEditorModelTeachers(),
  ];
};
