import path from 'node:path';
import { UserError } from '../core/errors.ts';
import { listStudents, upsertStudent } from '../core/store/students.ts';
import type { CliCommand } from './command.ts';
import { DB_HELP, DB_OPTION, stringValue, usageError, withDb } from './options.ts';

export const studentsCommand: CliCommand = {
  name: 'students',
  summary: 'list the students, or register one (an endpoint, and what it was trained from)',
  help: `Usage: mapd students [list] [--json] [--db PATH]
       mapd students add --name NAME [--model M --endpoint URL] [--trained-from BASE] [--trained-on FILE] [--db PATH]

A student is named by its answers (mapd answers --student NAME, mapd exam). Registering one adds
what the name alone does not say: an OpenAI-compatible endpoint serving it (vLLM, Ollama, …) and
the base student and export it was fine-tuned from — a student trained on your own GPUs (TRL,
LLaMA-Factory, torchtune; docs/training.md) and then served joins the project this way. mapd
finetune registers the students it makes itself.

Options:
  --name NAME          the student's name (as its answers carry it)
  --model M            the served model name
  --endpoint URL       the OpenAI-compatible base URL serving it, e.g. http://127.0.0.1:8000/v1
  --provider P         openai-compatible (default with --endpoint) or openai
  --trained-from BASE  the student it was fine-tuned from
  --trained-on FILE    the export it was fine-tuned on
  --json               list as JSON
${DB_HELP}

Example:
  mapd students add --name llama2-7b-mapd-r1 --model llama2-mapd --endpoint http://127.0.0.1:8000/v1 --trained-from llama2-7b --trained-on export/chat.jsonl
`,
  allowPositionals: true,
  options: {
    ...DB_OPTION,
    name: { type: 'string' },
    model: { type: 'string' },
    endpoint: { type: 'string' },
    provider: { type: 'string' },
    'trained-from': { type: 'string' },
    'trained-on': { type: 'string' },
    json: { type: 'boolean' },
  },
  run(args, io) {
    const action = args.positionals[0] ?? 'list';
    if (action === 'list') {
      const students = withDb(args, io, (db) => listStudents(db), { readonly: true });
      if (args.values.json === true) io.data(`${JSON.stringify(students, null, 2)}\n`);
      else if (students.length === 0) io.stdout('no students yet: import answers (mapd answers) or register one (mapd students add)\n');
      else {
        for (const s of students) {
          const origin = s.trainedFrom ? `, trained from ${s.trainedFrom}${s.trainedOn ? ` on ${s.trainedOn}` : ''}` : '';
          const served = s.model ? `, ${s.model}${s.baseUrl ? ` at ${s.baseUrl}` : ''}` : '';
          io.stdout(`${s.name}: ${s.answers} answers${served}${origin}\n`);
        }
      }
      return Promise.resolve(0);
    }
    if (action !== 'add') return Promise.resolve(usageError(io, 'students', `unknown action "${action}" (use list or add)`));
    const name = stringValue(args, 'name');
    if (!name) return Promise.resolve(usageError(io, 'students', 'give --name NAME'));
    const endpoint = stringValue(args, 'endpoint');
    const model = stringValue(args, 'model');
    const provider = stringValue(args, 'provider') ?? (endpoint || model ? 'openai-compatible' : undefined);
    if (provider !== undefined && provider !== 'openai' && provider !== 'openai-compatible')
      throw new UserError(`unknown provider "${provider}"`, { where: '--provider', next: 'Use openai-compatible or openai' });
    if (endpoint && !model)
      throw new UserError('an endpoint needs the model it serves', { where: '--model', next: 'Add --model NAME (the name the server knows it by)' });
    const trainedOn = stringValue(args, 'trained-on');
    withDb(args, io, (db) =>
      upsertStudent(db, {
        name,
        provider: (provider as 'openai' | 'openai-compatible' | undefined) ?? null,
        model: model ?? null,
        baseUrl: endpoint ?? null,
        trainedFrom: stringValue(args, 'trained-from') ?? null,
        trainedOn: trainedOn ? path.resolve(io.cwd, trainedOn) : null,
      }),
    );
    io.stdout(`registered student ${name}\n`);
    return Promise.resolve(0);
  },
};
