import fs from 'node:fs';
import path from 'node:path';
import { importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FakeServer, FakeServerOptions } from '../../servers/fakeServer.ts';
import { releaseResponder } from '../../servers/releaseResponder.ts';
import { sharedData } from '../helpers.ts';

/** The paper's 387 SVAMP mistakes of Llama-2-7b-chat and three local teachers answering with the paper's texts. */
export const FALSE_FILE = sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_false_round0.json');
export const STUDENT = 'Llama-2-7b-chat-hf';
/** A distinctive fake key: any trace of it in a database, log or export is a leak. */
export const LEAK_KEY = 'sk-mapd-LEAKCHECK-7f3a9c21e5b84d06';

export function importMistakes(db: Db): number {
  return importTeacherOutputsFile(db, FALSE_FILE).answers;
}

export const responder = releaseResponder(
  sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_feedback_round0.json'),
  sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json'),
);

export interface Teachers {
  servers: FakeServer[];
  config: { teachers: Record<string, unknown>[]; review?: Record<string, unknown> };
  close(): Promise<void>;
}

/** Two OpenAI-protocol teachers and one Anthropic-protocol teacher, each on its own server (fault seeds 11, 22, 33 plus options.seed). */
export async function startTeachers(options: Omit<FakeServerOptions, 'protocol'> = {}, teacherExtras: Record<string, unknown> = {}): Promise<Teachers> {
  const common = { apiKey: LEAK_KEY, responder, ...options };
  const seed = options.seed ?? 0;
  const servers = [
    await startFakeServer({ protocol: 'openai', ...common, seed: seed + 11 }),
    await startFakeServer({ protocol: 'openai', ...common, seed: seed + 22 }),
    await startFakeServer({ protocol: 'anthropic', ...common, seed: seed + 33 }),
  ];
  const [a, b, c] = servers as [FakeServer, FakeServer, FakeServer];
  const extras = { concurrency: 8, timeoutMs: 2000, maxRetries: 2, apiKeyEnv: 'MAPD_TEST_KEY', ...teacherExtras };
  return {
    servers,
    config: {
      teachers: [
        { id: 'gpt', provider: 'openai', model: 'gpt-3.5-turbo', baseUrl: a.baseUrl, price: { input: 0.5, output: 1.5 }, ...extras },
        { id: 'gemini', provider: 'openai-compatible', model: 'gemini-1.0-pro', baseUrl: b.baseUrl, price: { input: 0.125, output: 0.375 }, ...extras },
        { id: 'mixtral', provider: 'anthropic', model: 'mixtral-8x7b', baseUrl: c.baseUrl, price: { input: 0.24, output: 0.24 }, ...extras },
      ],
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

export function writeConfig(dir: string, config: unknown): string {
  const file = path.join(dir, 'teachers.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** The job's results as comparable rows: outputs and reviews by content, not by ids. */
export function snapshot(db: Db): { outputs: unknown[]; reviews: unknown[] } {
  const outputs = db
    .prepare(
      `SELECT p.source_id, o.kind, o.teacher, o.sample, o.text, o.extracted_answer, o.correct, c.status AS call_status
      FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id LEFT JOIN calls c ON c.id = o.call_id ORDER BY 1, 2, 3, 4`,
    )
    .all();
  const reviews = db
    .prepare(
      `SELECT p.source_id, o.kind, o.teacher, r.reviewer, r.raw_text, r.score
      FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id JOIN problems p ON p.id = o.problem_id ORDER BY 1, 2, 3, 4`,
    )
    .all();
  return { outputs, reviews };
}
