/**
 * Screenshots of the curation panel in VS Code's light, dark and high-contrast themes, for docs/.
 * Renders the built webview in Chromium with the theme's --vscode-* variables and body class set
 * the way VS Code sets them, on a small synthetic project (no dataset text is copied anywhere).
 * Usage: node scripts/screenshots-ui.ts [out-dir=docs/screenshots]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/core/store/db.ts';
import type { Db } from '../src/core/store/db.ts';
import { insertProblems, listProblems } from '../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../src/core/store/outputs.ts';
import { recordDecision } from '../src/core/store/events.ts';
import { launchBrowser, openPanel, ROOT } from '../test/webview/harness.ts';
import { applyTheme, THEMES } from '../test/webview/themes.ts';

/** A small project in the shape of the paper's data, written for the screenshots. */
function seed(db: Db): void {
  insertProblems(db, 'svamp', 'train', 'screenshots', [
    {
      sourceId: 'demo-1',
      question: 'Maya has 48 stickers. She gives 1/4 of them to her brother and then buys 9 more. How many stickers does she have now?',
      goldAnswer: '45',
    },
    { sourceId: 'demo-2', question: 'A train travels 60 km in the first hour and 75 km in the second. How far does it travel in total?', goldAnswer: '135' },
  ]);
  for (const problem of listProblems(db)) {
    const answer = upsertStudentAnswer(db, {
      problemId: problem.id,
      student: 'Llama-2-7b-chat',
      rawOutput:
        problem.sourceId === 'demo-1'
          ? 'Maya gives away 48 / 4 = 12 stickers.\nThen she has 48 - 12 = 36.\nShe buys 9 more, so 36 - 9 = 27.\nThe answer is 27.'
          : 'The answer is 125.',
      extractedAnswer: problem.sourceId === 'demo-1' ? '27' : '125',
      correct: false,
    });
    const outputs: [string, 'critique' | 'rationale', string, [number, number]][] = [
      [
        'gpt-3.5-turbo',
        'critique',
        'The first two steps are right: 48 / 4 = 12 and 48 - 12 = 36. The mistake is in the last step: buying 9 more stickers adds to the total, so it should be 36 + 9 = 45, not 36 - 9.',
        [5, 5],
      ],
      ['gemini-1.0-pro', 'critique', '**Mistake:** the student subtracted the 9 new stickers instead of adding them.\n\n**Correct:** 36 + 9 = 45.', [4, 5]],
      ['mixtral-8x7b-instruct', 'critique', 'You should have divided 48 by 1/4, which gives 192 stickers.', [1, 2]],
      [
        'gpt-3.5-turbo',
        'rationale',
        'Maya gives 1/4 of 48 stickers away: 48 / 4 = 12.\nShe has 48 - 12 = 36 left.\nShe buys 9 more: 36 + 9 = 45.\nThe answer is 45.',
        [5, 4],
      ],
      ['gemini-1.0-pro', 'rationale', '48 x 1/4 = 12 given away, 36 left, 36 + 9 = 45. The answer is 45.', [4, 4]],
      ['mixtral-8x7b-instruct', 'rationale', 'She gives away 12 and buys 9, so 48 - 12 - 9 = 27. The answer is 27.', [2, 1]],
    ];
    const teachers = outputs.map((o) => o[0]);
    for (const [teacher, kind, text, scores] of outputs) {
      const extracted = kind === 'rationale' ? (text.match(/answer is (\d+)/)?.[1] ?? null) : null;
      const output = insertOutput(db, {
        problemId: problem.id,
        kind,
        teacher,
        studentAnswerId: kind === 'critique' ? answer : null,
        text,
        extractedAnswer: extracted,
        correct: kind === 'rationale' ? extracted === problem.goldAnswer : null,
        source: 'screenshots',
      });
      const reviewers = [...new Set(teachers)].filter((r) => r !== teacher);
      reviewers.forEach((reviewer, i) => {
        const score = scores[i] ?? 3;
        insertReview(db, {
          outputId: output.id,
          reviewer,
          rawText: `The ${kind} is ${score >= 4 ? 'correct and clear' : 'wrong in its last step'}. Score: [${score}]`,
          score,
        });
      });
    }
  }
  const ids = db
    .prepare("SELECT o.id, o.kind, o.teacher FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id WHERE p.source_id = 'demo-1' ORDER BY o.id")
    .all() as { id: number; kind: string; teacher: string }[];
  const find = (kind: string, teacher: string): number => {
    const found = ids.find((o) => o.kind === kind && o.teacher === teacher);
    if (!found) throw new Error(`no ${kind} by ${teacher} in the screenshot project`);
    return found.id;
  };
  recordDecision(db, { outputId: find('critique', 'gpt-3.5-turbo'), action: 'accept', curator: 'screenshots' });
  recordDecision(db, { outputId: find('critique', 'mixtral-8x7b-instruct'), action: 'reject', curator: 'screenshots' });
  recordDecision(db, {
    outputId: find('rationale', 'gpt-3.5-turbo'),
    action: 'edit',
    text: 'Maya gives 1/4 of her 48 stickers away: 48 / 4 = 12.\nShe keeps 48 - 12 = 36.\nBuying 9 more gives 36 + 9 = 45.\nThe answer is 45.',
    curator: 'screenshots',
  });
}

/** One mistake whose teacher rationale is Markdown with LaTeX and a wrong step (for docs/curation.md). */
function seedLatex(db: Db): void {
  insertProblems(db, 'svamp', 'train', 'screenshots', [
    {
      sourceId: 'demo-tex',
      question: 'A baker fills 48 muffins into boxes of 2 and sells the boxes at $3 each. How much money does she make?',
      goldAnswer: '72',
    },
  ]);
  const problem = listProblems(db)[0];
  if (!problem) throw new Error('the LaTeX screenshot problem was not stored');
  const answer = upsertStudentAnswer(db, {
    problemId: problem.id,
    student: 'Llama-2-7b-chat',
    rawOutput: 'She fills 48 / 2 = 24 boxes. She makes 24 x 3 = 62 dollars.\nThe answer is 62.',
    extractedAnswer: '62',
    correct: false,
  });
  const rationale = [
    '### Step 1: boxes',
    'The muffins fill $\\frac{48}{2} = 24$ boxes.',
    '',
    '### Step 2: money',
    '1. boxes: 24',
    '2. dollars per box: **$3** each, so the money is',
    '',
    '$$24 \\times 3 = 82$$',
    '',
    'So the baker makes *72 dollars*. The answer is 72.',
  ].join('\n');
  const outputs: [string, 'critique' | 'rationale', string][] = [
    ['gpt-4o', 'rationale', rationale],
    ['gemini-1.5-pro', 'critique', '**Mistake 1:** the student multiplied wrongly: 24 x 3 = 72, not 62.'],
  ];
  for (const [teacher, kind, text] of outputs) {
    const output = insertOutput(db, {
      problemId: problem.id,
      kind,
      teacher,
      studentAnswerId: kind === 'critique' ? answer : null,
      text,
      extractedAnswer: kind === 'rationale' ? '72' : null,
      correct: kind === 'rationale' ? true : null,
      source: 'screenshots',
    });
    insertReview(db, { outputId: output.id, reviewer: teacher === 'gpt-4o' ? 'gemini-1.5-pro' : 'gpt-4o', rawText: 'Correct and clear. Score: [5]', score: 5 });
  }
}

const outDir = path.resolve(ROOT, process.argv[2] ?? 'docs/screenshots');
fs.mkdirSync(outDir, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-shots-'));
const browser = await launchBrowser();
try {
  const db = openStore(path.join(work, 'curation.db'));
  seed(db);
  const firstProblem = listProblems(db)[0]?.id ?? null;
  for (const [name, theme] of Object.entries(THEMES)) {
    const panel = await openPanel(browser, {
      db,
      state: { problemId: firstProblem, focus: 3 },
      beforeLoad: (page) => applyTheme(page, theme),
    });
    await panel.page.setViewportSize({ width: 1000, height: 900 });
    await panel.page.keyboard.press('r');
    await panel.settle();
    // A viewport as tall as the page (rather than fullPage) keeps the sticky header at the top.
    const height = await panel.page.evaluate(() => document.documentElement.scrollHeight);
    await panel.page.setViewportSize({ width: 1000, height });
    await panel.settle();
    const file = path.join(outDir, `curation-${name}.png`);
    await panel.page.screenshot({ path: file });
    console.log(`wrote ${path.relative(ROOT, file)}`);
    await panel.close();
  }
  db.close();

  // A rendered LaTeX rationale with its wrong step marked, in light, dark and high contrast.
  const texDb = openStore(path.join(work, 'latex.db'));
  seedLatex(texDb);
  for (const name of ['light', 'dark', 'high-contrast'] as const) {
    const theme = THEMES[name];
    if (!theme) throw new Error(`no theme ${name}`);
    const panel = await openPanel(browser, { db: texDb, beforeLoad: (page) => applyTheme(page, theme) });
    await panel.page.setViewportSize({ width: 900, height: 1000 });
    await panel.settle();
    const card = panel.page.locator('.item.rationale').first();
    // The hover title shows where the mouse rests: on the marked formula.
    await card.locator('.step-wrong').first().hover();
    const file = path.join(outDir, `latex-step-${name}.png`);
    await panel.page.locator('#mistake').screenshot({ path: file });
    console.log(`wrote ${path.relative(ROOT, file)}`);
    await panel.close();
  }
  texDb.close();
} finally {
  await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
}
