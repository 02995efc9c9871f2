import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import esbuild from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { openStore } from '../../src/core/store/db.ts';
import { insertOutput, insertReview } from '../../src/core/store/outputs.ts';
import { recordDecision } from '../../src/core/store/events.ts';
import type { DecisionTelemetry } from '../../src/core/store/events.ts';
import { insertProblems, listProblems } from '../../src/core/store/problems.ts';
import { curationStats } from '../../src/core/stats/curation.ts';
import { studentStats } from '../../src/core/stats/students.ts';
import { upsertStudentAnswer } from '../../src/core/store/answers.ts';
import { upsertStudent } from '../../src/core/store/students.ts';
import type { StatsHostMessage } from '../../src/protocol/stats.ts';
import { STATS_PAGE, webviewHtml } from '../../src/vscode/webviewHtml.ts';
import { seedSvampRelease } from '../unit/export/seed.ts';
import { applyScript } from '../unit/export/script.ts';
import { ROOT, ORIGIN } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const XSS = '<img src=x onerror="window.__pwned=1">';

let context: BrowserContext;
let bundle: { js: string; css: string };
let profile: string;
let work: string;
let statsMessage: StatsHostMessage;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-stats-webview-'));
  await esbuild.build({
    entryPoints: [{ in: path.join(ROOT, 'webview-ui/src/stats/main.ts'), out: 'stats' }],
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    outdir: work,
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
  bundle = { js: fs.readFileSync(path.join(work, 'stats.js'), 'utf8'), css: fs.readFileSync(path.join(work, 'stats.css'), 'utf8') };
  // The paper's SVAMP data with the scripted decisions, plus a teacher whose name is markup.
  const db = openStore(path.join(work, 'c.db'));
  seedSvampRelease(db);
  applyScript(db);
  const hostile = insertOutput(db, { problemId: 1, kind: 'rationale', teacher: XSS, text: 'The answer is 145.', source: 'test' }).id;
  insertReview(db, { outputId: hostile, reviewer: XSS, rawText: null, score: 4 });
  recordDecision(db, { outputId: hostile, action: 'accept', curator: XSS });
  // A teacher with one output and no peer review yet.
  insertOutput(db, { problemId: 1, kind: 'rationale', teacher: 'unreviewed', text: 'The answer is 145.', source: 'test' });
  // A second round: a student trained from the release's, right on the 3 problems it answered
  // (no wrong answer of its own, so the export's mistakes stay the release's 387).
  upsertStudent(db, { name: 'llama-r1', provider: null, model: null, baseUrl: null, trainedFrom: 'Llama-2-7b-chat', trainedOn: null });
  for (const id of [1, 2, 3]) upsertStudentAnswer(db, { problemId: id, student: 'llama-r1', rawOutput: 'x', extractedAnswer: null, correct: true });
  statsMessage = { type: 'stats', stats: curationStats(db), students: studentStats(db), project: 'svamp-demo', at: new Date().toISOString() };
  db.close();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1000, height: 900 } });
});

after(async () => {
  await context?.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

async function openView(): Promise<{ page: Page; posted: unknown[]; errors: string[]; post(message: unknown): Promise<void> }> {
  const page = await context.newPage();
  const posted: unknown[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === '/')
      return route.fulfill({
        contentType: 'text/html',
        body: webviewHtml(
          { cspSource: ORIGIN, scriptUri: `${ORIGIN}/stats.js`, styleUri: `${ORIGIN}/stats.css`, nonce: 'c3RhdHNub25jZTEyMzQ1Ng==' },
          STATS_PAGE,
        ),
      });
    if (url.pathname === '/stats.js') return route.fulfill({ contentType: 'text/javascript', body: bundle.js });
    if (url.pathname === '/stats.css') return route.fulfill({ contentType: 'text/css', body: bundle.css });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.exposeFunction('__toHost', (message: unknown) => posted.push(message));
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => (w.__toHost as (m: unknown) => void)(m), getState: () => undefined, setState: () => undefined });
  });
  await page.goto(`${ORIGIN}/`);
  return { page, posted, errors, post: (message) => page.evaluate((m) => window.postMessage(m, '*'), message) };
}

test('the statistics view draws the SVAMP statistics: totals, per-teacher charts, agreement, consistency, time', async () => {
  const view = await openView();
  await view.page.waitForFunction(() => true);
  assert.deepEqual(view.posted, [{ type: 'ready' }]);
  await view.post(statsMessage);
  await view.page.waitForSelector('#app[data-state="stats"]');
  const text = await view.page.locator('#app').innerText();
  const { stats } = statsMessage as Extract<StatsHostMessage, { type: 'stats' }>;
  assert.match(text, /MAPD Curation Statistics/);
  assert.match(text, new RegExp(`${stats.humanVsPeer.agreements} of ${stats.humanVsPeer.items} decided items agree`));
  assert.match(text, /Cohen's κ -?\d\.\d{3}/);
  assert.match(text, /256 rationale \+ 194 feedback examples for 387 mistakes/);
  assert.match(text, /median \d+(\.\d)? s per decision/);
  // One bar row per teacher in the decisions chart; a table row per teacher.
  const teacherRows = await view.page.locator('section[aria-label="Teachers"] table tbody tr').count();
  assert.equal(teacherRows, stats.teachers.length);
  assert.ok((await view.page.locator('svg.chart rect.bar').count()) >= stats.teachers.length * 3);
  assert.equal(await view.page.locator('svg.confusion rect.cell').count(), 4);
  // The charts have text alternatives.
  for (const label of await view.page.locator('svg.chart').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? '')))
    assert.ok(label.length > 10);
  // Students: accuracy per student and split with a Wilson whisker, round 1 trained from the base.
  const students = view.page.locator('section[aria-label="Students"]');
  assert.equal(await students.locator('table tbody tr').count(), 2);
  assert.match(await students.innerText(), /llama-r1\s+1\s+Llama-2-7b-chat\s+svamp\/train\s+3\s+100\.0 %\s+43\.9 % – 100\.0 %/);
  assert.match(await students.innerText(), /Llama-2-7b-chat\s+0\s+–\s+svamp\/train\s+387\s+0\.0 %/);
  assert.equal(await students.locator('svg.interval-chart line.whisker').count(), 2 * 3);
  // A name that is markup is shown as text and never runs.
  assert.ok(text.includes(XSS));
  assert.equal(await view.page.locator('#app img').count(), 0);
  assert.equal(await view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('counts read in the right number, and a teacher with no peer scores shows no share instead of 0.0 %', async () => {
  const view = await openView();
  await view.post(statsMessage);
  await view.page.waitForSelector('#app[data-state="stats"]');
  const notes = await view.page.locator('svg.chart text.note').allTextContents();
  assert.ok(notes.includes('1 output'), `one output is "1 output": ${notes.join(' | ')}`);
  assert.ok(!notes.some((n) => /^1 outputs$/.test(n)));
  assert.ok(notes.includes('– · no peer scores yet'), 'no share for a teacher nobody reviewed');
  assert.ok(!notes.some((n) => n.startsWith('0.0 %')), 'never 0.0 % for want of reviews');
  await view.page.close();
});

test('malformed host messages are ignored; buttons ask the host; empty and error states are shown', async () => {
  const view = await openView();
  await view.post(statsMessage);
  await view.page.waitForSelector('#app[data-state="stats"]');
  for (const bad of [
    null,
    'stats',
    { type: 'stats' },
    { type: 'stats', stats: { totals: {} }, project: 'x', at: 'y' },
    { type: 'error', message: 42 },
    { type: 'nope' },
  ])
    await view.post(bad);
  assert.equal(await view.page.getAttribute('#app', 'data-state'), 'stats');
  await view.page.click('#refresh');
  await view.page.click('#export');
  assert.deepEqual(view.posted.slice(1), [{ type: 'refresh' }, { type: 'export' }]);
  await view.post({ type: 'empty', message: 'No curation project in this workspace.' });
  await view.page.waitForSelector('#app[data-state="empty"]');
  assert.match(await view.page.locator('#app').innerText(), /No curation project/);
  await view.post({ type: 'error', message: `bad ${XSS}` });
  await view.page.waitForSelector('#app [role="alert"]');
  assert.equal(await view.page.locator('#app img').count(), 0);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test("the Curators section: each pair's kappa, the team's alpha per kind and teacher, progress per curator; names as text", async () => {
  const view = await openView();
  const { stats } = statsMessage as Extract<StatsHostMessage, { type: 'stats' }>;
  const group = { items: 150, alpha: 0.399, pairs: [{ curators: ['ana', XSS] as [string, string], items: 150, agreements: 104, kappa: 0.406 }] };
  const team = {
    curators: ['ana', XSS],
    decided: { ana: 250, [XSS]: 250 },
    overall: group,
    byTeacher: { 'gpt-3.5-turbo': { ...group, items: 50 } },
    byKind: { rationale: group },
    disagreements: 46,
    adjudicated: 1,
    assignment: { overlap: 2, curators: [{ curator: 'ana', assigned: 258, decided: 250 }] },
  };
  await view.post({ ...statsMessage, stats: { ...stats, team } });
  await view.page.waitForSelector('section[aria-label="Curators"]');
  const text = await view.page.locator('section[aria-label="Curators"]').innerText();
  assert.match(text, /2 curators; 46 items they disagree on, 1 adjudicated/);
  assert.match(text, /all items\s+150\s+0\.399/);
  assert.match(text, /gpt-3\.5-turbo\s+50\s+0\.399/);
  assert.match(text, /rationale\s+ana & <img src=x onerror="window\.__pwned=1">\s+150\s+104\s+0\.406/);
  assert.match(text, /ana\s+250\s+258\s+250/);
  assert.equal(await view.page.locator('#app img').count(), 0);
  // Without synced team decisions there is no such section.
  await view.post(statsMessage);
  await view.page.waitForFunction(() => document.querySelector('section[aria-label="Curators"]') === null);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

/**
 * A small project whose every figure is worked out by hand below: seven decided outputs of two
 * teachers, decided by two curators, blind (verdict_shown 0), with the verdict shown (1), and from
 * the CLI (not recorded); timed from first display; one small edit and one rewrite; one output
 * truncated at the token limit.
 */
function scriptedProject(file: string): StatsHostMessage {
  const db = openStore(file);
  try {
    insertProblems(db, 'svamp', 'train', 'scripted.json', [{ sourceId: 's1', question: 'How many fruits are there?', goldAnswer: '15' }]);
    const problemId = (listProblems(db)[0] as { id: number }).id;
    const answerId = upsertStudentAnswer(db, { problemId, student: 'llama', rawOutput: '12 + 3 = 14', extractedAnswer: '14', correct: false });
    const outputs = [
      // [teacher, kind, peer scores, curator, action, visibility, ms, text, edited]
      ['gpt', 'critique', [5, 5], 'ana', 'accept', false, 4000], // blind: both accept
      ['gemini', 'critique', [1, 1], 'ana', 'accept', false, 6000], // blind: the human accepts what the peers reject
      ['gpt', 'critique', [2, 2], 'ben', 'reject', false, 10_000], // blind: both reject
      ['gemini', 'rationale', [4, 4], 'ana', 'edit', true, 8000], // shown: a small edit (accepts)
      ['gpt', 'rationale', [5, 4], 'ben', 'accept', true, 5000], // shown: both accept
      ['gemini', 'rationale', [1, 2], 'ben', 'reject', null, null], // the CLI: not recorded, not timed
      ['gpt', 'rationale', [1, 1], 'ben', 'edit', true, 20_000], // shown: a rewrite the peers reject
    ] as const;
    const texts: Record<number, [string, string]> = {
      3: ['The answer is 12 apples and 3 pears.', 'The answer is 15 apples and 3 pears.'],
      6: ['aaaa bbbb', 'cccc dddd eeee'],
    };
    outputs.forEach(([teacher, kind, scores, curator, action, verdictShown, decisionMs], i) => {
      const [text, edited] = texts[i] ?? [`${teacher} ${kind} ${i}`, ''];
      const outputId = insertOutput(db, {
        problemId,
        kind,
        teacher,
        // A slot per sample: the same teacher's second critique is another sample, not a duplicate.
        sample: i,
        studentAnswerId: kind === 'critique' ? answerId : null,
        text,
        source: 'test',
        truncated: i === 1,
      }).id;
      for (const [r, score] of scores.entries()) insertReview(db, { outputId, reviewer: `peer-${r}`, rawText: `[${score}]`, score });
      const telemetry: DecisionTelemetry | undefined = verdictShown === null ? undefined : { verdictShown, decisionMs };
      if (action === 'edit') recordDecision(db, { outputId, action, text: edited, curator, telemetry });
      else recordDecision(db, { outputId, action, curator, telemetry });
    });
    return { type: 'stats', stats: curationStats(db), students: studentStats(db), project: 'scripted', at: new Date().toISOString() };
  } finally {
    db.close();
  }
}

/** A table's body rows as cell texts: the table in `section` whose header row starts with `headers`. */
async function tableRows(page: Page, section: string, headers: readonly string[]): Promise<string[][]> {
  const tables = await page.locator(`section[aria-label="${section}"] table`).evaluateAll((nodes) =>
    nodes.map((t) => ({
      head: [...t.querySelectorAll('thead th')].map((c) => c.textContent ?? ''),
      rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent ?? '')),
    })),
  );
  const found = tables.filter((t) => headers.every((h, i) => t.head[i] === h));
  assert.equal(found.length, 1, `one table in ${section} headed ${headers.join(', ')}: ${JSON.stringify(tables.map((t) => t.head))}`);
  return found[0]!.rows;
}

test('blind or not, and decision telemetry: the sections read the figures of scripted blind, shown and CLI decisions', async () => {
  const message = scriptedProject(path.join(work, 'scripted.db'));
  const view = await openView();
  await view.post(message);
  await view.page.waitForSelector('#app[data-state="stats"]');
  const text = await view.page.locator('#app').innerText();
  // Human (accept / edit = accept) against the peers (mean > 3) on all seven: 5 agree; κ = (35/49 − 23/49) / (1 − 23/49) = 12/26.
  assert.match(text, /5 of 7 decided items agree \(71\.4 %\); Cohen's κ 0\.462/);
  // Blind: TT, TF, FF → κ = (2/3 − 4/9) / (5/9) = 0.4. Shown: TT, TT, TF → the human accepts all, κ = 0.
  // Not recorded: one FF → κ undefined (one verdict for everything).
  assert.deepEqual(await tableRows(view.page, 'Human and committee', ['decided', 'items', 'agree', 'share', 'kappa']), [
    ['blind (verdict hidden)', '3', '2', '66.7 %', '0.400'],
    ['verdict shown', '3', '2', '66.7 %', '0.000'],
    ['not recorded', '1', '1', '100.0 %', '–'],
  ]);
  const telemetryHead = [
    'decisions',
    'timed',
    'median s',
    'per hour',
    'edits',
    'median chars changed',
    'median words changed',
    'median share of words',
    'rewrites',
  ];
  // gemini: 6 s, 8 s and one untimed → median 7.0, 2 per 14 s = 514/h; the edit changed "2" → "5" (2 chars), "12" → "15" (2 words, 1 of 8).
  // gpt: 4, 5, 10, 20 s → median 7.5, 4 per 39 s = 369/h; the rewrite: 8 + 13 chars (one space kept), 2 + 3 words, 3 of 2 = 150 %.
  assert.deepEqual(await tableRows(view.page, 'Curation time', ['teacher', ...telemetryHead]), [
    ['gemini', '3', '2', '7.0', '514', '1', '2', '2', '12.5 %', '0'],
    ['gpt', '4', '4', '7.5', '369', '1', '21', '5', '150.0 %', '1'],
  ]);
  // ana: 4, 6, 8 s → 6.0, 600/h, the small edit; ben: 10, 5, 20 s and one untimed → 10.0, 3 per 35 s = 309/h, the rewrite.
  assert.deepEqual(await tableRows(view.page, 'Curation time', ['curator', ...telemetryHead]), [
    ['ana', '3', '3', '6.0', '600', '1', '2', '2', '12.5 %', '0'],
    ['ben', '4', '3', '10.0', '309', '1', '21', '5', '150.0 %', '1'],
  ]);
  // The teacher table counts outputs cut at the token limit (gemini's blind-accepted critique).
  const teachers = await tableRows(view.page, 'Teachers', [
    'teacher',
    'outputs',
    'peer-accepted',
    'accepted',
    'edited',
    'rejected',
    'mean peer score',
    'truncated',
  ]);
  assert.deepEqual(
    teachers.map((row) => row.slice(0, 8)),
    [
      ['gemini', '3', '1', '1', '1', '1', '2.17', '1'],
      ['gpt', '4', '2', '2', '1', '1', '3.13', '0'],
    ],
  );
  assert.deepEqual(view.errors, []);
  await view.page.close();
});
