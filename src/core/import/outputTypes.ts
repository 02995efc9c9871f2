import type { LineIssue } from '../io/textFile.ts';
import type { ImportProgress } from './problems.ts';

export interface ImportOutputsOptions {
  skipBad?: boolean;
  onProgress?: ImportProgress;
}

/** What an outputs import added: every count is of rows new to the project (a re-import adds 0). */
export interface ImportOutputsResult {
  format: 'generic' | 'mapd-release';
  problems: number;
  answers: number;
  outputs: number;
  reviews: number;
  skipped: LineIssue[];
  /** Things the user should know that are not errors (e.g. a fallback that was taken). */
  notes: string[];
}
