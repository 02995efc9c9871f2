// The OpenAI fine-tuning jobs protocol, as the fake server speaks it (routes under /v1/fine_tuning):
// create, list, retrieve, events, cancel. A job moves one status per poll of retrieve —
// validating_files → queued → running → succeeded (or failed) — with an event per step.
import type http from 'node:http';

export interface FineTuneOptions {
  /** How a job ends. */
  outcome?: 'succeed' | 'fail';
  /** Polls of retrieve a job takes from validating_files to its end (at least 1). */
  pollsToFinish?: number;
}

interface Job {
  id: string;
  model: string;
  training_file: string;
  suffix: string | null;
  hyperparameters: Record<string, unknown>;
  status: string;
  fine_tuned_model: string | null;
  error: { code: string; message: string; param: string | null } | null;
  created_at: number;
  polls: number;
  events: { id: string; object: 'fine_tuning.job.event'; created_at: number; level: string; message: string; type: 'message' }[];
}

export interface FineTuneState {
  jobs: Map<string, Job>;
  /** Requests by route, for assertions: create, retrieve, events, cancel, list. */
  calls: Map<string, number>;
}

type Send = (res: http.ServerResponse, status: number, body: unknown) => void;
type SendError = (res: http.ServerResponse, status: number, type: string, message: string) => void;

export function createFineTuneState(): FineTuneState {
  return { jobs: new Map(), calls: new Map() };
}

let counter = 0;
const nextId = (prefix: string): string => `${prefix}${(++counter).toString(36).padStart(6, '0')}`;
const now = (): number => Math.floor(Date.now() / 1000);

function view(job: Job): Record<string, unknown> {
  return {
    id: job.id,
    object: 'fine_tuning.job',
    model: job.model,
    training_file: job.training_file,
    validation_file: null,
    status: job.status,
    fine_tuned_model: job.fine_tuned_model,
    error: job.error,
    created_at: job.created_at,
    finished_at: ['succeeded', 'failed', 'cancelled'].includes(job.status) ? now() : null,
    hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto', ...job.hyperparameters },
    organization_id: 'org-local',
    result_files: [],
    seed: 42,
    trained_tokens: job.status === 'succeeded' ? 12345 : null,
    estimated_finish: null,
    integrations: null,
    method: { type: 'supervised', supervised: { hyperparameters: job.hyperparameters } },
    metadata: null,
  };
}

function addEvent(job: Job, level: string, message: string): void {
  job.events.push({ id: nextId('ftevent-'), object: 'fine_tuning.job.event', created_at: now() + job.events.length, level, message, type: 'message' });
}

const STEPS = ['validating_files', 'queued', 'running'];

/** Handles a /v1/fine_tuning request; false when the path is not one of its routes. */
export function routeFineTuning(
  state: FineTuneState,
  options: FineTuneOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  body: () => Record<string, unknown>,
  files: ReadonlyMap<string, unknown>,
  send: Send,
  sendError: SendError,
): boolean {
  const count = (route: string): void => void state.calls.set(route, (state.calls.get(route) ?? 0) + 1);
  if (path === '/v1/fine_tuning/jobs' && req.method === 'POST') {
    count('create');
    const b = body();
    if (typeof b.training_file !== 'string' || !files.has(b.training_file)) {
      sendError(res, 400, 'invalid_request_error', `invalid training_file: ${String(b.training_file)}`);
      return true;
    }
    const method = b.method as { supervised?: { hyperparameters?: Record<string, unknown> } } | undefined;
    const job: Job = {
      id: nextId('ftjob-'),
      model: String(b.model),
      training_file: b.training_file,
      suffix: typeof b.suffix === 'string' ? b.suffix : null,
      hyperparameters: method?.supervised?.hyperparameters ?? {},
      status: 'validating_files',
      fine_tuned_model: null,
      error: null,
      created_at: now(),
      polls: 0,
      events: [],
    };
    addEvent(job, 'info', `Validating training file: ${job.training_file}`);
    state.jobs.set(job.id, job);
    send(res, 200, view(job));
    return true;
  }
  if (path === '/v1/fine_tuning/jobs' && req.method === 'GET') {
    count('list');
    send(res, 200, { object: 'list', data: [...state.jobs.values()].reverse().map(view), has_more: false });
    return true;
  }
  const match = /^\/v1\/fine_tuning\/jobs\/([^/]+)(\/events|\/cancel)?$/.exec(path);
  if (!match) return false;
  const job = state.jobs.get(match[1] as string);
  if (!job) {
    sendError(res, 404, 'invalid_request_error', `No such fine-tuning job: ${match[1]}`);
    return true;
  }
  if (match[2] === '/events' && req.method === 'GET') {
    count('events');
    send(res, 200, { object: 'list', data: [...job.events].reverse(), has_more: false });
    return true;
  }
  if (match[2] === '/cancel' && req.method === 'POST') {
    count('cancel');
    if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      job.status = 'cancelled';
      addEvent(job, 'info', 'Fine-tuning job cancelled');
    }
    send(res, 200, view(job));
    return true;
  }
  if (!match[2] && req.method === 'GET') {
    count('retrieve');
    if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      job.polls += 1;
      const finish = Math.max(1, options.pollsToFinish ?? 3);
      if (job.polls >= finish) {
        if ((options.outcome ?? 'succeed') === 'succeed') {
          job.status = 'succeeded';
          job.fine_tuned_model = `ft:${job.model}:local:${job.suffix ?? 'mapd'}:${job.id.slice(-6)}`;
          addEvent(job, 'info', 'The job has successfully completed');
        } else {
          job.status = 'failed';
          job.error = { code: 'invalid_training_file', message: 'The training file has 3 examples; at least 10 are required.', param: 'training_file' };
          addEvent(job, 'error', job.error.message);
        }
      } else {
        job.status = STEPS[Math.min(STEPS.length - 1, Math.floor((job.polls * STEPS.length) / finish))] as string;
        addEvent(job, 'info', `Step ${job.polls}/${finish}: ${job.status}`);
      }
    }
    send(res, 200, view(job));
    return true;
  }
  return false;
}
