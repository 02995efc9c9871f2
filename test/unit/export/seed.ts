import type { Db } from '../../../src/core/store/db.ts';
import { importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import { sharedData } from '../helpers.ts';

export { TEACHERS } from './script.ts';
export const STUDENT = 'Llama-2-7b-chat';

/**
 * Fills a project with the paper's SVAMP release through the project's own importer (each
 * rationale's two scores come from the other two teachers). The project it makes: 387 problems and mistakes, 3 × 387 critiques, 3 × 387 rationales, 6 × 387 reviews. */
export function seedSvampRelease(db: Db): { problems: number } {
  const feedback = importTeacherOutputsFile(db, sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_feedback_round0.json'));
  importTeacherOutputsFile(db, sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json'));
  return { problems: feedback.problems };
}
