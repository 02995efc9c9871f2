import type { Grade, ItemView, MistakeView, StepMark, TeamItemDecision } from '../../../src/protocol/curation.ts';
import { score } from '../../../src/protocol/format.ts';
import { el, textEl } from '../shared/dom.ts';
import { renderDiff } from './diffView.ts';
import { renderMarkdown } from './markdown.ts';
import { markSteps, wrapMatches } from './marks.ts';

export interface RenderOptions {
  focus: number;
  showReviews: boolean;
  /** Model and dataset text as written (Markdown and TeX source), not rendered (key m). */
  showSource: boolean;
  /** Items whose decision the host has not confirmed yet. */
  pending: ReadonlySet<number>;
}

/**
 * Untrusted text as the panel shows it: rendered Markdown with typeset math (markdown.ts), or
 * with `source` the text as written; either way its wrong steps underlined.
 */
function richText(text: string, className: string, source: boolean, steps: readonly StepMark[] = [], firstLabel = false): HTMLElement {
  const block = source ? textEl('div', text, { class: `${className} source` }) : renderMarkdown(text, className);
  if (steps.length > 0) markSteps(block, steps, firstLabel);
  return block;
}

/** "1 wrong step": the badge of a critique or rationale whose text has wrong arithmetic, like an answer mismatch. */
function stepBadge(item: ItemView): HTMLElement | null {
  const count = item.wrongSteps.length;
  if (count === 0) return null;
  const first = item.wrongSteps[0] as StepMark;
  const what = `${count} wrong arithmetic step${count === 1 ? '' : 's'}`;
  return textEl('span', `⚠ ${what}`, {
    class: 'answer warning step-badge',
    role: 'note',
    title: `${what}; the first: ${first.text}, right value ${first.right}`,
    'data-warning': 'wrong-step',
  });
}

/** "truncated": the teacher stopped at its token limit, so the text may end mid-sentence (issue 10's finish reason). */
function truncatedMark(item: ItemView): HTMLElement | null {
  if (!item.truncated) return null;
  const what = 'Truncated: the teacher stopped at its token limit; the text may end mid-sentence';
  return textEl('span', '✂ truncated', { class: 'answer warning truncated-mark', role: 'note', title: what, 'aria-label': what, 'data-warning': 'truncated' });
}

const DECISION_LABEL = { undecided: 'undecided', accepted: 'accepted', rejected: 'rejected' } as const;

function decisionBadge(item: ItemView, pending: boolean): HTMLElement {
  const label = item.editedText !== null && item.decision === 'accepted' ? 'edited' : DECISION_LABEL[item.decision];
  return textEl('span', pending ? `${label}…` : label, { class: `badge decision ${label}${pending ? ' pending' : ''}`, 'data-decision': label });
}

/** The answer-key check of a rationale: its answer, and a warning when it misses the gold answer. */
function answerCheck(item: ItemView, gold: string): HTMLElement | null {
  if (item.kind !== 'rationale') return null;
  const edited = item.editedText !== null;
  const grade: Grade | null = edited ? item.editedGrade : item.teacherGrade;
  if (grade === null) return edited ? textEl('span', 'edited: re-grading…', { class: 'answer muted' }) : null;
  const answer = grade.extracted ?? 'no answer found';
  if (grade.reachesGold) return textEl('span', `answer ${answer} ✓`, { class: 'answer ok', title: 'The answer matches the gold answer' });
  const what = edited ? 'The edited rationale no longer reaches the gold answer' : 'The rationale does not reach the gold answer';
  return textEl('span', `⚠ answer ${answer} ≠ gold ${gold}`, {
    class: 'answer warning',
    role: 'note',
    title: what,
    'aria-label': `${what}: answer ${answer}, gold ${gold}`,
    'data-warning': 'answer-mismatch',
  });
}

function reviewsBlock(item: ItemView, showText: boolean, source: boolean): HTMLElement {
  const list = el('ul', { class: 'reviews', 'aria-label': `Peer reviews of ${item.kind} ${item.rank}` });
  if (item.reviews.length === 0) list.appendChild(el('li', { class: 'muted' }, 'No peer reviews yet.'));
  for (const review of item.reviews) {
    const row = el(
      'li',
      { class: 'review' },
      textEl('span', review.reviewer, { class: 'reviewer' }),
      ' ',
      textEl('span', score(review.score), { class: 'review-score', title: review.score === null ? 'No valid score in this review' : 'Score' }),
    );
    if (showText)
      row.appendChild(
        review.rawText === null
          ? el('div', { class: 'review-text muted' }, 'No review text stored (score only).')
          : richText(review.rawText, 'review-text', source),
      );
    list.appendChild(row);
  }
  return list;
}

/** The card's own controls, for the mouse; each names its key (the keybinding's default). */
export const CARD_ACTIONS = [
  { action: 'accept', text: 'Accept', key: 'a' },
  { action: 'reject', text: 'Reject', key: 'x' },
  { action: 'edit', text: 'Edit', key: 'e' },
] as const;

function cardActions(label: string): HTMLElement {
  return el(
    'div',
    { class: 'item-actions', role: 'group', 'aria-label': `Decide on ${label}` },
    ...CARD_ACTIONS.map(({ action, text, key }) =>
      el(
        'button',
        { type: 'button', class: `action ${action}`, 'data-action': action, title: `${text} ${label} (${key})`, 'aria-keyshortcuts': key.toUpperCase() },
        text,
        ' ',
        el('kbd', { class: 'action-key' }, key),
      ),
    ),
  );
}

function itemCard(item: ItemView, number: number, gold: string, options: RenderOptions): HTMLElement {
  const focused = number - 1 === options.focus;
  const label = `${item.kind === 'critique' ? 'Critique' : 'Rationale'} ${item.rank} by ${item.teacher}`;
  const verdict = item.verdict;
  // Blind mode: an undecided item arrives without verdict, rank or reviews (core/curation/blind.ts); none is painted.
  const peer = item.blinded
    ? [
        textEl('span', 'peer verdict hidden until you decide', {
          class: 'muted blinded',
          'data-blinded': 'true',
          title: 'Blind mode (b): peer scores, ranks and reviews appear once you have decided',
        }),
      ]
    : [
        textEl('span', `#${item.rank}`, { class: 'rank' }),
        null,
        textEl('span', `peer ${score(verdict.score)}`, {
          class: `score ${verdict.accepted ? 'peer-accepted' : 'peer-rejected'}`,
          title: `${verdict.validScores} valid score${verdict.validScores === 1 ? '' : 's'}, spread ${score(verdict.spread)}; peers ${verdict.accepted ? 'accept' : 'reject'}`,
        }),
      ];
  const head = el(
    'div',
    { class: 'item-head' },
    number <= 9 ? textEl('kbd', String(number), { class: 'key', title: `Press ${number} to focus` }) : null,
    peer[0],
    textEl('span', item.teacher, { class: 'teacher' }),
    peer[2],
    decisionBadge(item, options.pending.has(item.outputId)),
    answerCheck(item, gold),
    stepBadge(item),
    truncatedMark(item),
    cardActions(label),
  );
  // An edit shows as a word diff of the source (what the editor edits), in either view.
  const body = item.editedText !== null ? renderDiff(item.text, item.editedText) : richText(item.text, 'text', options.showSource, item.wrongSteps);
  return el(
    'section',
    {
      class: `item ${item.kind}${focused ? ' focused' : ''}`,
      'data-output-id': String(item.outputId),
      'data-index': String(number - 1),
      tabindex: '-1',
      'aria-label': label,
      'aria-current': focused ? 'true' : undefined,
    },
    head,
    item.blinded ? null : reviewsBlock(item, options.showReviews, options.showSource),
    body,
    item.team ? teamBlock(item.team) : null,
  );
}

/** The adjudication view only: every curator's decision (and edit) on the item, side by side, as text. */
function teamBlock(team: readonly TeamItemDecision[]): HTMLElement {
  return el(
    'div',
    { class: 'team', 'aria-label': "The curators' decisions", 'data-team': 'true' },
    team.length === 0 ? textEl('span', 'no curator decided it', { class: 'muted' }) : null,
    ...team.map((d) =>
      el(
        'div',
        { class: `team-decision ${d.decision}`, 'data-curator': d.curator },
        textEl('span', `${d.role === 'adjudicator' ? 'adjudicated by ' : ''}${d.curator}: ${d.decision}`, { class: 'team-who' }),
        d.text === null ? null : textEl('pre', d.text, { class: 'team-text' }),
      ),
    ),
  );
}

function problemBlock(view: MistakeView, source: boolean): HTMLElement {
  const block = el('section', { class: 'problem', 'aria-label': 'Problem' });
  block.appendChild(
    el('div', { class: 'meta muted' }, textEl('span', view.sourceId, { class: 'source-id' }), ` · ${view.task} / ${view.split} · problem ${view.problemId}`),
  );
  if (view.context !== null) block.appendChild(richText(view.context, 'context text', source));
  block.appendChild(richText(view.question, 'question text', source));
  if (view.options !== null) {
    const list = el('ol', { class: 'options', type: 'A' });
    for (const option of view.options) list.appendChild(textEl('li', option));
    block.appendChild(list);
  }
  block.appendChild(el('div', { class: 'gold' }, el('span', { class: 'label' }, 'Gold answer'), textEl('strong', view.goldAnswer, { class: 'gold-answer' })));
  if (view.student) {
    block.appendChild(
      el(
        'details',
        { class: 'student', open: true },
        el(
          'summary',
          {},
          el('span', { class: 'label' }, 'Student '),
          textEl('span', view.student.name, { class: 'student-name' }),
          ' answered ',
          textEl('mark', view.student.extractedAnswer ?? 'nothing extractable', {
            class: 'student-answer',
            title: "The answer extracted from the student's output",
          }),
          view.student.gradedCorrect
            ? textEl('span', 'graded correct here; imported as a mistake', {
                class: 'graded-correct',
                role: 'note',
                'data-note': 'graded-correct',
                title: "This task's extractor finds the gold answer in the student's output; the imported data marks the answer wrong",
              })
            : null,
        ),
        markedOutput(view.student.rawOutput, view.student.extractedAnswer, view.studentWrongSteps, source),
      ),
    );
  }
  return block;
}

/** The student's output with the last occurrence of the extracted answer marked, and its wrong steps (the first labelled). */
function markedOutput(raw: string, extracted: string | null, steps: readonly StepMark[], source: boolean): HTMLElement {
  const block = richText(raw, 'text student-output', source, steps, true);
  if (extracted !== null && extracted !== '') {
    const pattern = new RegExp(extracted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
    wrapMatches(block, pattern, (text) => textEl('mark', text, { class: 'extracted' }), 'last');
  }
  return block;
}

function group(title: string, items: ItemView[], offset: number, gold: string, options: RenderOptions): HTMLElement {
  const section = el('section', { class: 'group', 'aria-label': title }, el('h2', {}, title, textEl('span', ` ${items.length}`, { class: 'count muted' })));
  if (items.length === 0) section.appendChild(el('p', { class: 'muted' }, 'None yet.'));
  items.forEach((item, i) => section.appendChild(itemCard(item, offset + i + 1, gold, options)));
  return section;
}

/** Replaces the mistake area with one mistake, built off-document and swapped in at once. */
export function renderMistake(container: HTMLElement, view: MistakeView, options: RenderOptions): void {
  const fragment = document.createDocumentFragment();
  fragment.appendChild(problemBlock(view, options.showSource));
  fragment.appendChild(group('Critiques', view.critiques, 0, view.goldAnswer, options));
  fragment.appendChild(group('Rationales', view.rationales, view.critiques.length, view.goldAnswer, options));
  container.replaceChildren(fragment);
  container.setAttribute('data-problem-id', String(view.problemId));
  container.setAttribute('aria-label', `Mistake ${view.sourceId}`);
}
