import * as vscode from 'vscode';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.ts';
import type { Comparison, Flip } from '../../core/eval/compare.ts';
import { compareStudents } from '../../core/eval/compare.ts';
import type { FinetuneEvent } from '../../core/finetune/finetune.ts';
import { fineTune } from '../../core/finetune/finetune.ts';
import type { FinetuneJob } from '../../core/store/finetuneJobs.ts';
import { answersForProblem } from '../../core/store/answers.ts';
import { getProblem, listSplits } from '../../core/store/problems.ts';
import { listStudents } from '../../core/store/students.ts';
import { studentsWithMistakes } from '../../core/store/answers.ts';
import { showInfo } from '../common/notify.ts';
import type { CommandArgs } from '../common/commands.ts';
import { argError, numberArg, registerScriptable, signalArg, stringArg, stringListArg } from '../common/commands.ts';
import { withCancellableProgress } from '../common/progress.ts';
import type { Feature } from '../services.ts';
import { projectDb, required, requireFolder } from '../common/run.ts';
import type { Services } from '../services.ts';
import { readTeacherSettings, requireTrust, secretKeySource } from '../teachers/settings.ts';

/**
 * Students and rounds in the editor.
 *   mapd.compareStudents()                                   pickers: two students, a split -> a report listing every flip
 *   mapd.compareStudents({ students: [a, b], split, task? })  -> Comparison, no dialogs
 *   mapd.fineTuneStudent()                                   dialogs: the chat export, the new name; progress; Cancel stops watching
 *   mapd.fineTuneStudent({ export, name, suffix?, epochs? }) -> the finished job, no dialogs
 *   mapd.chooseStudent()                                     picker: whose mistakes to curate (also the Problems view's title button)
 * A fine-tuning job keeps running at the provider when watching stops; the same command resumes it.
 */

interface CompareArgs {
  students: [string, string];
  split: string;
  task?: string;
}

function compareArgs(args: CommandArgs): CompareArgs {
  const students = stringListArg(args, 'students');
  if (!students || students.length !== 2) throw argError('students', 'two student names');
  const task = stringArg(args, 'task');
  return { students: [students[0] as string, students[1] as string], split: stringArg(args, 'split', { required: true }), ...(task ? { task } : {}) };
}

interface FineTuneArgs {
  export: string;
  name: string;
  suffix?: string;
  epochs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

function fineTuneArgs(args: CommandArgs): FineTuneArgs {
  const epochs = numberArg(args, 'epochs');
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs <= 0)) throw argError('epochs', 'a positive whole number');
  const suffix = stringArg(args, 'suffix');
  const pollMs = numberArg(args, 'pollMs');
  const signal = signalArg(args, 'signal');
  return {
    export: stringArg(args, 'export', { required: true }),
    name: stringArg(args, 'name', { required: true }),
    ...(suffix ? { suffix } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(pollMs !== undefined ? { pollMs } : {}),
    ...(signal ? { signal } : {}),
  };
}

function chooseArgs(args: CommandArgs): { student: string | null } {
  const value = args.student;
  if (value !== null && typeof value !== 'string') throw argError('student', 'a student name or null');
  return { student: value as string | null };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const pText = (p: number): string => (p < 0.0001 ? p.toExponential(2) : p.toPrecision(3));

export function comparisonHeadline(c: Comparison): string {
  const side = (s: Comparison['a']) => `${s.student} ${pct(s.accuracy)}${s.interval ? ` [${pct(s.interval.low)}–${pct(s.interval.high)}]` : ''}`;
  return `${side(c.a)} vs ${side(c.b)} on ${c.paired} ${c.split} problems: ${c.wrongToRight.length} gained, ${c.rightToWrong.length} lost, McNemar p = ${pText(c.pValue)}`;
}

/** One flipped problem as plain text (a read-only document, so model text stays text). */
function flipDocument(services: Services, flip: Flip, c: Comparison): string {
  const db = projectDb(services, false);
  const problem = getProblem(db, flip.problemId);
  const answers = answersForProblem(db, flip.problemId).filter((a) => c.students.includes(a.student));
  return [
    `${flip.sourceId} (${flip.task}/${c.split})`,
    '',
    problem?.question ?? '',
    '',
    `Gold answer: ${problem?.goldAnswer ?? ''}`,
    ...answers.flatMap((a) => ['', `--- ${a.student}: ${a.correct ? 'right' : 'wrong'} (extracted: ${a.extractedAnswer ?? 'nothing'})`, a.rawOutput]),
  ].join('\n');
}

/** The comparison as a pick list: the figures, then every flipped problem, one click from both answers. */
async function showReport(services: Services, c: Comparison): Promise<void> {
  type Item = vscode.QuickPickItem & { flip?: Flip };
  const ci = (s: Comparison['a']) => (s.interval ? `95 % Wilson CI ${pct(s.interval.low)} – ${pct(s.interval.high)} · ${s.correct} of ${c.paired}` : '');
  const items: Item[] = [
    { label: `${c.a.student}: ${pct(c.a.accuracy)}`, description: ci(c.a) },
    { label: `${c.b.student}: ${pct(c.b.accuracy)}`, description: ci(c.b) },
    {
      label: `McNemar's exact test: p = ${pText(c.pValue)}`,
      description: c.pValue < 0.05 ? 'significant at the 5 % level' : 'not significant at the 5 % level',
    },
    { label: `wrong → right (${c.wrongToRight.length})`, kind: vscode.QuickPickItemKind.Separator },
    ...c.wrongToRight.map((f) => ({ label: f.sourceId, description: `${c.b.student} gained it`, flip: f })),
    { label: `right → wrong (${c.rightToWrong.length})`, kind: vscode.QuickPickItemKind.Separator },
    ...c.rightToWrong.map((f) => ({ label: f.sourceId, description: `${c.b.student} lost it`, flip: f })),
  ];
  for (;;) {
    const pick = await vscode.window.showQuickPick(items, {
      title: comparisonHeadline(c),
      placeHolder: 'Pick a flipped problem to read both answers',
      matchOnDescription: true,
    });
    if (!pick) return;
    if (!pick.flip) continue;
    const doc = await vscode.workspace.openTextDocument({ content: flipDocument(services, pick.flip, c), language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: true });
    return;
  }
}

async function compareCommand(services: Services, args: CompareArgs | undefined): Promise<Comparison> {
  const db = projectDb(services, false);
  let students: [string, string];
  let split: string;
  let task: string | undefined;
  if (args) {
    ({ students, split, task } = args);
  } else {
    const known = listStudents(db).filter((s) => s.answers > 0);
    if (known.length < 2)
      throw new UserError(`the project has ${known.length === 0 ? 'no student' : 'one student'} with answers`, {
        next: 'Import or examine a second student first (MAPD: Import Student Answers…, MAPD: Run Student Exam)',
      });
    const items = known.map((s) => ({ label: s.name, description: `${s.answers} answers${s.trainedFrom ? ` · trained from ${s.trainedFrom}` : ''}` }));
    const base = required(await vscode.window.showQuickPick(items, { title: 'Compare Students (1/3): the baseline' })).label;
    const other = required(
      await vscode.window.showQuickPick(
        items.filter((i) => i.label !== base),
        { title: `Compare Students (2/3): against ${base}` },
      ),
    ).label;
    students = [base, other];
    const splits = [...new Set(listSplits(db).map((s) => s.split))];
    split = required(await vscode.window.showQuickPick(splits, { title: 'Compare Students (3/3): on which split?' }));
  }
  const comparison = compareStudents(db, { students, split, ...(task ? { task } : {}) });
  services.log.info(`compare: ${comparisonHeadline(comparison)}`);
  if (!args) void showReport(services, comparison);
  return comparison;
}

function describeEvent(event: FinetuneEvent): string {
  switch (event.kind) {
    case 'uploaded':
      return `uploaded the training file (${event.bytes} bytes)`;
    case 'started':
      return event.resumed ? `watching job ${event.jobId}` : `started job ${event.jobId}`;
    case 'status':
      return event.status;
    case 'message':
      return event.message;
    case 'registered':
      return `registered student ${event.student}`;
  }
}

async function fineTuneCommand(services: Services, args: FineTuneArgs | undefined): Promise<FinetuneJob> {
  requireTrust();
  const folder = requireFolder();
  const student = readTeacherSettings().student;
  if (!student)
    throw new UserError('no student endpoint is configured', {
      next: 'Set mapd.student to {"provider": "openai", "model": …}: its model is the base to fine-tune',
    });
  const db = projectDb(services, false);
  let trainingPath: string;
  let name: string;
  let suffix: string | undefined;
  let epochs: number | undefined;
  if (args) {
    trainingPath = path.resolve(folder.uri.fsPath, args.export);
    name = args.name;
    suffix = args.suffix;
    epochs = args.epochs;
  } else {
    const defaultUri = vscode.Uri.joinPath(folder.uri, 'training', 'chat.jsonl');
    const chosen = required(
      await vscode.window.showOpenDialog({
        title: 'Fine-tune Student (1/2): the chat export',
        defaultUri,
        canSelectMany: false,
        filters: { 'JSON Lines': ['jsonl'] },
        openLabel: 'Train on This',
      }),
    );
    trainingPath = required(chosen[0]).fsPath;
    name = required(
      await vscode.window.showInputBox({
        title: "Fine-tune Student (2/2): the new student's name",
        value: `${student.id}-mapd-r1`,
        validateInput: (v) => (/^[\w.-]+$/.test(v.trim()) ? undefined : 'Letters, digits, ".", "_" or "-"'),
      }),
    ).trim();
  }
  if (fs.existsSync(trainingPath) && fs.statSync(trainingPath).isDirectory()) trainingPath = path.join(trainingPath, 'chat.jsonl');
  const apiKey = await secretKeySource(services.context.secrets)(student);
  const job = await withCancellableProgress(
    `MAPD: fine-tuning ${student.model}`,
    (progress, signal) =>
      fineTune(
        db,
        {
          base: { name: student.id, provider: student.provider, model: student.model, ...(student.baseUrl ? { baseUrl: student.baseUrl } : {}) },
          apiKey,
          trainingPath,
          newStudent: name,
          ...(suffix ? { suffix } : {}),
          ...(epochs ? { hyperparameters: { n_epochs: epochs } } : {}),
        },
        {
          signal,
          ...(args?.pollMs !== undefined ? { pollMs: args.pollMs } : {}),
          onEvent: (event) => {
            services.log.info(`fine-tune: ${describeEvent(event)}`);
            progress.report({ message: describeEvent(event) });
          },
        },
      ),
    args?.signal,
  );
  services.dataChanged('command');
  if (!args)
    void showInfo(
      `Fine-tuned ${job.baseModel} into ${job.fineTunedModel}: student ${job.newStudent}. Compare it with ${job.baseStudent} once it has answered a split (MAPD: Compare Students…).`,
    );
  return job;
}

/**
 * Whose mistakes the panel, the Problems view and the status bar show. Scripted:
 * mapd.chooseStudent({ student: NAME | null }) -> the student now chosen.
 */
async function chooseStudentCommand(services: Services, args: { student: string | null } | undefined): Promise<string | null> {
  const db = projectDb(services, false);
  const names = studentsWithMistakes(db);
  let chosen: string | null;
  if (args) {
    if (args.student !== null && !names.includes(args.student))
      throw argError('student', `null or a student with mistakes (${names.join(', ') || 'none yet'})`);
    chosen = args.student;
  } else {
    const current = services.student();
    const items = [
      { label: 'Every student', description: "each problem's first wrong answer", student: null as string | null },
      ...names.map((name) => ({ label: name, description: name === current ? 'chosen' : '', student: name as string | null })),
    ];
    chosen = required(await vscode.window.showQuickPick(items, { title: 'Curate whose mistakes?' })).student;
  }
  services.setStudent(chosen);
  services.log.info(`curating ${chosen === null ? "every student's first wrong answer" : `${chosen}'s mistakes`}`);
  return chosen;
}

export const studentsFeature: Feature = (services) => [
  registerScriptable(services, 'mapd.compareStudents', 'compare students', compareArgs, (args) => compareCommand(services, args)),
  registerScriptable(services, 'mapd.fineTuneStudent', 'fine-tune student', fineTuneArgs, (args) => fineTuneCommand(services, args), requireTrust),
  registerScriptable(services, 'mapd.chooseStudent', 'choose student', chooseArgs, (args) => chooseStudentCommand(services, args)),
];
