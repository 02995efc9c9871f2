import type { StepMark } from '../../../src/protocol/curation.ts';
import { readLatex } from '../../../src/protocol/curation.ts';
import { el } from '../shared/dom.ts';

/** The text nodes under `root`, outside typeset math, in document order. */
function textNodes(root: HTMLElement): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('.math') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/** Wraps each match of `pattern` in the text under `root` (or only the last) in the element `wrap` makes; text stays text. */
export function wrapMatches(root: HTMLElement, pattern: RegExp, wrap: (text: string) => HTMLElement, only: 'all' | 'last' = 'all'): number {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  let hits = [...textNodes(root)].flatMap((node) => [...node.data.matchAll(global)].map((m) => ({ node, at: m.index, text: m[0] })));
  if (only === 'last') hits = hits.slice(-1);
  // Right to left, so earlier offsets in the same node stay valid.
  for (const { node, at, text } of hits.reverse()) {
    const tail = node.splitText(at);
    tail.data = tail.data.slice(text.length);
    tail.before(wrap(text));
  }
  return hits.length;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The step's equation, matched across any spacing (the text shown may space it differently). */
const stepPattern = (step: StepMark): RegExp =>
  new RegExp(
    step.text
      .split(/\s+/)
      .filter((w) => w !== '')
      .map(escape)
      .join('\\s*'),
    'g',
  );
const squash = (text: string): string => text.replace(/\s+/g, '');

function describe(step: StepMark, first: boolean): string {
  return `${first ? 'First wrong step: ' : 'Wrong step: '}${step.text.replace(/=\s*\S+$/, '')}= ${step.right}, not ${step.stated}`;
}

/**
 * Underlines the wrong steps in rendered or source text; the title gives the right value. A step
 * read from TeX is marked on the typeset formula that holds it (found by reading the formula's TeX
 * the way the checker does). With `firstLabel`, the first step is labelled "first wrong step".
 */
export function markSteps(root: HTMLElement, steps: readonly StepMark[], firstLabel = false): void {
  steps.forEach((step, i) => {
    const first = firstLabel && i === 0;
    const attrs = { class: `step-wrong${first ? ' first-wrong' : ''}`, title: describe(step, first), 'data-step': first ? 'first-wrong' : 'wrong' };
    const label = (): HTMLElement | null => (first ? el('span', { class: 'badge step-first', 'aria-hidden': 'true' }, 'first wrong step') : null);
    if (wrapMatches(root, stepPattern(step), (text) => el('span', attrs, text, label())) > 0) return;
    const target = squash(step.text);
    for (const math of root.querySelectorAll<HTMLElement>('.math[data-tex]')) {
      if (math.classList.contains('step-wrong') || !squash(readLatex(math.dataset.tex ?? '')).includes(target)) continue;
      math.classList.add(...attrs.class.split(' '));
      math.title = attrs.title;
      math.dataset.step = attrs['data-step'];
      const badge = label();
      if (badge) math.after(badge);
      break;
    }
  });
}
