import type { Db } from '../../src/core/store/db.ts';
import { inTransaction } from '../../src/core/store/db.ts';
import { insertProblems } from '../../src/core/store/problems.ts';

/**
 * The UI benchmarks' synthetic project: `problems` SVAMP-like problems, every one a mistake of the
 * student "llama", with a critique and a rationale from each of 3 teachers, each scored by the two
 * others (6 outputs and 12 reviews per mistake).
 */
const TEACHERS = ['gemini', 'gpt', 'mixtral'];

/** A rationale as current math teachers write it: Markdown structure and TeX in nearly every line. */
function richRationale(i: number, gold: string): string {
  return [
    `### Step 1: items per crate`,
    `Each crate holds $\\frac{${2 * (i % 13)}}{2} = ${i % 13}$ items, and there are **${i % 7} crates**:`,
    '',
    `$$${i % 7} \\times ${i % 13} = ${(i % 7) * (i % 13)}$$`,
    '',
    '| quantity | value |',
    '| --- | --- |',
    `| already there | ${i} |`,
    `| bought | $${i % 7} \\cdot ${i % 13}$ |`,
    '',
    `1. Add: ${i} + ${(i % 7) * (i % 13)} = ${gold}`,
    `2. Check with a *second* method: \\(${i} + ${i % 7} \\times ${i % 13}\\) gives the same.`,
    '',
    `> A slip elsewhere: 40 x 2 = 70 would be wrong.`,
    '',
    `The answer is $\\boxed{${gold}}$.`,
  ].join('\n');
}

/** Problems seeded per transaction: the seed holds one chunk's texts at a time, not the whole project's (1M problems: 1 GB of strings). */
const CHUNK = 10_000;

/** `rich`: critiques and rationales in Markdown with TeX, as current teachers write them (the rendering benchmark). */
export function seed(db: Db, problems: number, rich = false): void {
  for (let from = 0; from < problems; from += CHUNK) seedChunk(db, from, Math.min(problems, from + CHUNK), rich);
}

function seedChunk(db: Db, from: number, to: number, rich: boolean): void {
  const words = 'apples oranges trains baskets marbles students pages coins boxes cookies'.split(' ');
  const before = db.prepare('SELECT COALESCE(MAX(id), 0) FROM problems').pluck().get() as number;
  insertProblems(
    db,
    'svamp',
    'train',
    'synthetic',
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return {
        sourceId: `syn-${i}`,
        question:
          `A shop has ${i} ${words[i % 10]} and buys ${i % 7} more crates of ${words[(i + 3) % 10]} with ${i % 13} each. How many ${words[i % 10]} are there now? `.repeat(
            2,
          ),
        goldAnswer: String(i + (i % 7) * (i % 13)),
      };
    }),
  );
  const rows = db.prepare('SELECT id, gold_answer FROM problems WHERE id > ? ORDER BY id').all(before) as { id: number; gold_answer: string }[];
  inTransaction(db, () => {
    const answer = db.prepare(
      "INSERT INTO student_answers (problem_id, student, raw_output, extracted_answer, correct, created_at) VALUES (?, 'llama', ?, ?, 0, 'now') RETURNING id",
    );
    const output = db.prepare(
      "INSERT INTO teacher_outputs (problem_id, kind, teacher, student_answer_id, text, source, created_at) VALUES (?, ?, ?, ?, ?, 'bench', 'now') RETURNING id",
    );
    const review = db.prepare("INSERT INTO peer_reviews (output_id, reviewer, raw_text, score, created_at) VALUES (?, ?, ?, ?, 'now')");
    for (const p of rows) {
      const a = (answer.get(p.id, `Let me think step by step. The total is ${Number(p.gold_answer) + 1}.`, String(Number(p.gold_answer) + 1)) as { id: number })
        .id;
      TEACHERS.forEach((teacher, t) => {
        const critiqueText = rich
          ? `**Mistake 1:** the student added one too many at the last step.\n\n- Check $${p.gold_answer} + 1 \\neq ${p.gold_answer}$\n- ${'Check each multiplication before adding. '.repeat(3)}\n\n**Mistake 2:** none.`
          : `The student added one too many at the last step. ${'Check each multiplication before adding. '.repeat(6)}`;
        const rationaleText = rich
          ? richRationale(p.id, p.gold_answer)
          : `${'First multiply the crates by the items in each crate, then add the items already there. '.repeat(5)}The answer is ${p.gold_answer}.`;
        const critique = (output.get(p.id, 'critique', teacher, a, critiqueText) as { id: number }).id;
        const rationale = (output.get(p.id, 'rationale', teacher, null, rationaleText) as { id: number }).id;
        for (const reviewer of TEACHERS.filter((r) => r !== teacher)) {
          const score = 2 + ((p.id + t) % 4);
          review.run(critique, reviewer, `The feedback is mostly right. Score: ${score}`, score);
          review.run(rationale, reviewer, `Correct reasoning. Score: ${score}`, score);
        }
      });
    }
  });
}
