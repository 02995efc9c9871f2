import type { Db } from '../../../src/core/store/db.ts';
import { importProblemsFile } from '../../../src/core/import/index.ts';
import { writeFile } from '../helpers.ts';

/** A small SVAMP-format split of our own: ids chal-1..chal-3, gold 5, 24, 70. */
export const SVAMP_RECORDS = [
  {
    ID: 'chal-1',
    Body: 'Ann has 3 pens. She buys 2 more.',
    Question: 'How many pens does she have?',
    Equation: '( 3.0 + 2.0 )',
    Answer: 5.0,
    Type: 'Addition',
  },
  { ID: 'chal-2', Body: 'A box holds 12 eggs.', Question: 'How many eggs are in 2 boxes?', Equation: '( 12.0 * 2.0 )', Answer: 24.0, Type: 'Multiplication' },
  {
    ID: 'chal-3',
    Body: 'Tom reads 10 pages a day.',
    Question: 'How many pages does he read in 7 days?',
    Equation: '( 10.0 * 7.0 )',
    Answer: 70.0,
    Type: 'Multiplication',
  },
];

/** Writes the fixture split as <dir>/<split>.json and imports it. */
export function importSvampFixture(db: Db, dir: string, split = 'train'): string {
  const file = writeFile(dir, `${split}.json`, JSON.stringify(SVAMP_RECORDS, null, 2));
  importProblemsFile(db, file, { task: 'svamp' });
  return file;
}

export const jsonl = (rows: readonly unknown[]): string => `${rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
