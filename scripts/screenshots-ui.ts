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

const FONT = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '13px',
};

/** A subset of VS Code's default Light Modern, Dark Modern and High Contrast colours. */
const THEMES: Record<string, { bodyClass: string; kind: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    kind: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b', '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171', '--vscode-focusBorder': '#005fb8', '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8', '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc', '--vscode-button-border': '#0000001a',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece',
      '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b', '--vscode-panel-border': '#e5e5e5', '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-textBlockQuote-border': '#e5e5e5', '--vscode-textCodeBlock-background': '#f8f8f8', '--vscode-testing-iconPassed': '#388a34',
      '--vscode-testing-iconFailed': '#f14c4c', '--vscode-editorWarning-foreground': '#bf8803', '--vscode-errorForeground': '#f85149',
      '--vscode-diffEditor-insertedTextBackground': '#9ccc2c40', '--vscode-diffEditor-removedTextBackground': '#ff000033',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055', '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-notificationsInfoIcon-foreground': '#1a85ff',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    kind: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc', '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-focusBorder': '#0078d4', '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1', '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#3c3c3c', '--vscode-button-border': '#ffffff12',
      '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c',
      '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc', '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8', '--vscode-panel-border': '#2b2b2b', '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-textBlockQuote-border': '#616161', '--vscode-textCodeBlock-background': '#2b2b2b', '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c', '--vscode-editorWarning-foreground': '#cca700', '--vscode-errorForeground': '#f85149',
      '--vscode-diffEditor-insertedTextBackground': '#9ccc2c33', '--vscode-diffEditor-removedTextBackground': '#ff000033',
      '--vscode-editor-findMatchHighlightBackground': '#9e6a03', '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-editorWidget-background': '#202020', '--vscode-notificationsInfoIcon-foreground': '#3794ff',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    kind: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff', '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000',
      '--vscode-descriptionForeground': '#ffffff', '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryForeground': '#ffffff', '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df', '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff', '--vscode-panel-border': '#6fc3df',
      '--vscode-textBlockQuote-background': '#000000', '--vscode-textBlockQuote-border': '#ffffff', '--vscode-textCodeBlock-background': '#000000',
      '--vscode-testing-iconPassed': '#73c991', '--vscode-testing-iconFailed': '#f48771', '--vscode-editorWarning-foreground': '#ffd370',
      '--vscode-errorForeground': '#f48771', '--vscode-diffEditor-insertedTextBorder': '#33ff2e', '--vscode-diffEditor-removedTextBorder': '#ff008f',
      '--vscode-editor-findMatchHighlightBorder': '#f38518', '--vscode-editorWidget-background': '#0c141f',
    },
  },
};

/** A small project in the shape of the paper's data, written for the screenshots. */
function seed(db: Db): void {
  insertProblems(db, 'svamp', 'train', 'screenshots', [
    { sourceId: 'demo-1', question: 'Maya has 48 stickers. She gives 1/4 of them to her brother and then buys 9 more. How many stickers does she have now?', goldAnswer: '45' },
    { sourceId: 'demo-2', question: 'A train travels 60 km in the first hour and 75 km in the second. How far does it travel in total?', goldAnswer: '135' },
  ]);
  for (const problem of listProblems(db)) {
    const answer = upsertStudentAnswer(db, {
      problemId: problem.id,
      student: 'Llama-2-7b-chat',
      rawOutput: problem.sourceId === 'demo-1' ? 'Maya gives away 48 / 4 = 12 stickers.\nThen she has 48 - 12 = 36.\nShe buys 9 more, so 36 - 9 = 27.\nThe answer is 27.' : 'The answer is 125.',
      extractedAnswer: problem.sourceId === 'demo-1' ? '27' : '125',
      correct: false,
    });
    const outputs: [string, 'critique' | 'rationale', string, [number, number]][] = [
      ['gpt-3.5-turbo', 'critique', 'The first two steps are right: 48 / 4 = 12 and 48 - 12 = 36. The mistake is in the last step: buying 9 more stickers adds to the total, so it should be 36 + 9 = 45, not 36 - 9.', [5, 5]],
      ['gemini-1.0-pro', 'critique', '**Mistake:** the student subtracted the 9 new stickers instead of adding them.\n\n**Correct:** 36 + 9 = 45.', [4, 5]],
      ['mixtral-8x7b-instruct', 'critique', 'You should have divided 48 by 1/4, which gives 192 stickers.', [1, 2]],
      ['gpt-3.5-turbo', 'rationale', 'Maya gives 1/4 of 48 stickers away: 48 / 4 = 12.\nShe has 48 - 12 = 36 left.\nShe buys 9 more: 36 + 9 = 45.\nThe answer is 45.', [5, 4]],
      ['gemini-1.0-pro', 'rationale', '48 x 1/4 = 12 given away, 36 left, 36 + 9 = 45. The answer is 45.', [4, 4]],
      ['mixtral-8x7b-instruct', 'rationale', 'She gives away 12 and buys 9, so 48 - 12 - 9 = 27. The answer is 27.', [2, 1]],
    ];
    const teachers = outputs.map((o) => o[0]);
    for (const [teacher, kind, text, scores] of outputs) {
      const extracted = kind === 'rationale' ? (text.match(/answer is (\d+)/)?.[1] ?? null) : null;
      const output = insertOutput(db, { problemId: problem.id, kind, teacher, studentAnswerId: kind === 'critique' ? answer : null, text, extractedAnswer: extracted, correct: kind === 'rationale' ? extracted === problem.goldAnswer : null, source: 'screenshots' });
      const reviewers = [...new Set(teachers)].filter((r) => r !== teacher);
      reviewers.forEach((reviewer, i) => {
        const score = scores[i] ?? 3;
        insertReview(db, { outputId: output.id, reviewer, rawText: `The ${kind} is ${score >= 4 ? 'correct and clear' : 'wrong in its last step'}. Score: [${score}]`, score });
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
      beforeLoad: (page) =>
        page.addInitScript((t) => {
          // Set once the document exists, as VS Code does on the webview's html element.
          document.addEventListener('DOMContentLoaded', () => {
            for (const [key, value] of Object.entries(t.vars)) document.documentElement.style.setProperty(key, value);
            document.body.classList.add(t.bodyClass);
            document.body.dataset.vscodeThemeKind = t.kind;
          });
        }, { vars: { ...FONT, ...theme.vars }, bodyClass: theme.bodyClass, kind: theme.kind }),
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
} finally {
  await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
}
