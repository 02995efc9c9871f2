import type { AskKind } from '../core/jobs/ask.ts';
import { ASK_KINDS, askTeacher } from '../core/jobs/ask.ts';
import { findProblemBySourceId } from '../core/store/problems.ts';
import { isTaskName } from '../core/tasks/index.ts';
import { envKeySource } from '../core/teachers/client.ts';
import { findTeacher } from '../core/teachers/config.ts';
import { UserError } from '../core/errors.ts';
import { formatCost, formatTokens } from '../core/teachers/ledgerTotals.ts';
import type { CliCommand } from './command.ts';
import { CONFIG_HELP, cancelOnSigint, readConfig, withDbAsync } from './jobOutput.ts';
import { DB_HELP, DB_OPTION, stringValue } from './options.ts';

export const askCommand: CliCommand = {
  name: 'ask',
  summary: 'ask one teacher one question (critique, rationale or a free prompt)',
  help: `Usage: mapd ask --config FILE --teacher ID --kind critique|rationale|free (--problem SOURCE_ID | --text "…") [--keep] [--db PATH]

Sends one request through the call ledger (an identical earlier request is answered from it)
and prints the teacher's answer on stdout; tokens and cost go to stderr.

Options:
${CONFIG_HELP}
  --teacher ID     the teacher's id in the config
  --kind KIND      critique (of the problem's wrong student answer, gold answer as hint),
                   rationale (step by step, no hint) or free (--text is the prompt)
  --problem ID     the problem's source id (with --task/--split when several match)
  --text "…"       a question (rationale) or a prompt (free); with --problem, a free prompt about it
  --student NAME   whose wrong answer a critique is about (default: the first)
  --keep           store the answer as the teacher's critique/rationale of the problem (ad hoc when taken)
${DB_HELP}

Example:
  mapd ask --config teachers.json --teacher gpt --kind critique --problem chal-777 --keep
`,
  options: {
    ...DB_OPTION,
    config: { type: 'string' },
    teacher: { type: 'string' },
    kind: { type: 'string' },
    problem: { type: 'string' },
    text: { type: 'string' },
    task: { type: 'string' },
    split: { type: 'string' },
    student: { type: 'string' },
    keep: { type: 'boolean' },
  },
  async run(args, io) {
    const config = readConfig(args, io);
    const teacherId = stringValue(args, 'teacher');
    if (!teacherId) throw new UserError('--teacher is missing', { next: `Give one of: ${config.teachers.map((t) => t.id).join(', ') || '(none configured)'}` });
    const teacher = findTeacher(config, teacherId, '--teacher');
    const kind = stringValue(args, 'kind') ?? 'critique';
    if (!ASK_KINDS.includes(kind as AskKind)) throw new UserError(`unknown kind "${kind}"`, { next: `Use ${ASK_KINDS.join(', ')}` });
    const sourceId = stringValue(args, 'problem');
    const text = stringValue(args, 'text');
    const task = stringValue(args, 'task');
    const split = stringValue(args, 'split');
    const student = stringValue(args, 'student');
    const cancel = cancelOnSigint();
    try {
      const result = await withDbAsync(args, io, async (db) => {
        let problem;
        if (sourceId) {
          const found = findProblemBySourceId(db, sourceId, task && isTaskName(task) ? task : undefined, split);
          if (found.length === 0)
            throw new UserError(`no problem "${sourceId}" in the project`, {
              where: '--problem',
              next: 'Give a source id as imported (mapd stats lists splits)',
            });
          if (found.length > 1) throw new UserError(`"${sourceId}" names ${found.length} problems`, { where: '--problem', next: 'Add --task and --split' });
          problem = found[0];
        }
        return askTeacher(db, {
          teacher,
          keys: envKeySource(io.env),
          kind: kind as AskKind,
          keep: args.values.keep === true,
          prompts: config.prompts,
          signal: cancel.signal,
          ...(problem ? { problem } : {}),
          ...(text ? { text } : {}),
          ...(student ? { student } : {}),
        });
      });
      io.data(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      io.stderr(
        `${teacher.id}: ${result.cached ? 'from the ledger' : 'answered'}${result.truncated ? ' (truncated at max tokens)' : ''}, ${formatTokens(result.tokensIn, result.tokensOut)}, ${formatCost(result.cost)}${result.kept ? `; kept as ${result.kept.kind} output ${result.kept.outputId}` : ''}\n`,
      );
      return 0;
    } finally {
      cancel.dispose();
    }
  },
};
