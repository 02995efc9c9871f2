import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** ../shared/data beside the repository (or MAPD_SHARED_DATA), when present. */
export function sharedDataDir(): string | undefined {
  const dir = process.env.MAPD_SHARED_DATA ?? path.resolve(REPO_ROOT, '../shared/data');
  return fs.existsSync(dir) ? dir : undefined;
}

/** Where failures leave screenshots, logs and results. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
