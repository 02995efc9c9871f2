import type { Db } from './db.ts';
import { cachedStatement, nowIso } from './db.ts';

/** A fine-tuning job we started, as far as we know it: enough to resume watching it after a restart. */
export interface FinetuneJob {
  id: number;
  providerJobId: string | null;
  baseStudent: string;
  baseModel: string;
  baseUrl: string | null;
  trainingPath: string;
  trainingSha256: string;
  fileId: string | null;
  suffix: string | null;
  hyperparameters: Record<string, number | string>;
  newStudent: string;
  status: string;
  fineTunedModel: string | null;
  error: string | null;
  eventsSeen: number;
}

/** Statuses after which a job changes no more. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

interface JobRow {
  id: number;
  provider_job_id: string | null;
  base_student: string;
  base_model: string;
  base_url: string | null;
  training_path: string;
  training_sha256: string;
  file_id: string | null;
  suffix: string | null;
  hyperparameters: string;
  new_student: string;
  status: string;
  fine_tuned_model: string | null;
  error: string | null;
  events_seen: number;
}

function fromRow(r: JobRow): FinetuneJob {
  return {
    id: r.id,
    providerJobId: r.provider_job_id,
    baseStudent: r.base_student,
    baseModel: r.base_model,
    baseUrl: r.base_url,
    trainingPath: r.training_path,
    trainingSha256: r.training_sha256,
    fileId: r.file_id,
    suffix: r.suffix,
    hyperparameters: JSON.parse(r.hyperparameters) as FinetuneJob['hyperparameters'],
    newStudent: r.new_student,
    status: r.status,
    fineTunedModel: r.fine_tuned_model,
    error: r.error,
    eventsSeen: r.events_seen,
  };
}

export type NewFinetuneJob = Pick<
  FinetuneJob,
  'baseStudent' | 'baseModel' | 'baseUrl' | 'trainingPath' | 'trainingSha256' | 'suffix' | 'hyperparameters' | 'newStudent'
>;

export function insertFinetuneJob(db: Db, job: NewFinetuneJob): FinetuneJob {
  const now = nowIso();
  const row = cachedStatement(
    db,
    `INSERT INTO finetune_jobs (base_student, base_model, base_url, training_path, training_sha256, suffix, hyperparameters, new_student, status, created_at, updated_at)
      VALUES (@baseStudent, @baseModel, @baseUrl, @trainingPath, @trainingSha256, @suffix, @hyperparameters, @newStudent, 'uploading', @now, @now) RETURNING *`,
  ).get({ ...job, hyperparameters: JSON.stringify(job.hyperparameters), now }) as JobRow;
  return fromRow(row);
}

export type FinetuneJobUpdate = Partial<Pick<FinetuneJob, 'providerJobId' | 'fileId' | 'status' | 'fineTunedModel' | 'error' | 'eventsSeen'>>;

export function updateFinetuneJob(db: Db, id: number, update: FinetuneJobUpdate): FinetuneJob {
  const row = cachedStatement(
    db,
    `UPDATE finetune_jobs SET
        provider_job_id = COALESCE(@providerJobId, provider_job_id), file_id = COALESCE(@fileId, file_id), status = COALESCE(@status, status),
        fine_tuned_model = COALESCE(@fineTunedModel, fine_tuned_model), error = COALESCE(@error, error), events_seen = COALESCE(@eventsSeen, events_seen),
        updated_at = @now
      WHERE id = @id RETURNING *`,
  ).get({
    id,
    providerJobId: update.providerJobId ?? null,
    fileId: update.fileId ?? null,
    status: update.status ?? null,
    fineTunedModel: update.fineTunedModel ?? null,
    error: update.error ?? null,
    eventsSeen: update.eventsSeen ?? null,
    now: nowIso(),
  }) as JobRow;
  return fromRow(row);
}

export function listFinetuneJobs(db: Db, options: { unfinished?: boolean } = {}): FinetuneJob[] {
  const rows = cachedStatement(db, 'SELECT * FROM finetune_jobs ORDER BY id').all() as JobRow[];
  return rows.map(fromRow).filter((j) => !options.unfinished || !FINISHED_STATUSES.has(j.status));
}

/** The job already started for this training file and target name, if any (so a rerun resumes it). */
export function findFinetuneJob(db: Db, trainingSha256: string, newStudent: string): FinetuneJob | undefined {
  const row = cachedStatement(db, 'SELECT * FROM finetune_jobs WHERE training_sha256 = ? AND new_student = ? ORDER BY id DESC LIMIT 1').get(
    trainingSha256,
    newStudent,
  ) as JobRow | undefined;
  return row && fromRow(row);
}
