import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { el } from '../shared/dom.ts';
import { mathPlugin, typeset } from './math.ts';

/**
 * Model and dataset text as Markdown with math, built as DOM from markdown-it's tokens: each
 * token type maps to an element of a fixed list, text becomes text nodes, and no attribute comes
 * from the text except an inert link's title. Raw HTML stays text (html: false); links are spans
 * with no href (the address is their title); images show their alt text; nothing is fetched.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).use(mathPlugin);
md.validateLink = () => true; // every link is rendered inert below, so none needs refusing

/** `*_open` token types and the element each opens; anything else adds no element. */
const BLOCKS: Record<string, keyof HTMLElementTagNameMap> = {
  paragraph_open: 'p',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  blockquote_open: 'blockquote',
  table_open: 'table',
  thead_open: 'thead',
  tbody_open: 'tbody',
  tr_open: 'tr',
  th_open: 'th',
  td_open: 'td',
  strong_open: 'strong',
  em_open: 'em',
  s_open: 's',
};
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function opened(token: Token): HTMLElement | null {
  if (token.type === 'heading_open')
    return HEADINGS.has(token.tag) ? el('div', { class: `md-heading md-${token.tag}`, role: 'heading', 'aria-level': token.tag.slice(1) }) : el('div');
  if (token.type === 'link_open') return el('span', { class: 'md-link', title: token.attrGet('href') ?? '' });
  if (token.type === 'ordered_list_open') {
    const start = Number(token.attrGet('start') ?? '1');
    return el('ol', Number.isSafeInteger(start) && start !== 1 ? { start } : {});
  }
  const tag = BLOCKS[token.type];
  return tag ? el(tag) : null;
}

function leaf(token: Token): Node | null {
  switch (token.type) {
    case 'text':
    case 'html_inline':
    case 'html_block':
      return document.createTextNode(token.content);
    // Model outputs put one step per line: a single newline stays a line break (as breaks: true would).
    case 'softbreak':
      return el('br');
    case 'hardbreak':
      return el('br');
    case 'code_inline':
      return el('code', {}, token.content);
    case 'code_block':
    case 'fence':
      return el('pre', {}, el('code', {}, token.content));
    case 'hr':
      return el('hr');
    case 'image':
      return el('span', { class: 'md-image muted', title: token.attrGet('src') ?? '' }, `[image: ${token.content}]`);
    case 'math_inline':
      return typeset(token.content, false);
    case 'math_display':
    case 'math_block':
      return typeset(token.content, true);
    default:
      return null;
  }
}

function build(tokens: readonly Token[], root: HTMLElement): void {
  const stack: Node[] = [root];
  const top = (): Node => stack[stack.length - 1] as Node;
  for (const token of tokens) {
    if (token.type === 'inline') {
      build(token.children ?? [], top() as HTMLElement);
      continue;
    }
    if (token.nesting === 1) {
      // A tight list's paragraphs are hidden: their text goes straight into the item.
      const element = token.hidden ? null : opened(token);
      // An element we do not build still needs a frame, so its close pops the right one.
      const frame = element ?? document.createDocumentFragment();
      stack.push(frame);
      continue;
    }
    if (token.nesting === -1) {
      if (stack.length > 1) {
        const frame = stack.pop() as Node;
        top().appendChild(frame);
      }
      continue;
    }
    const node = leaf(token);
    if (node) top().appendChild(node);
  }
  while (stack.length > 1) {
    const frame = stack.pop() as Node;
    top().appendChild(frame);
  }
}

/**
 * Rendered texts by source, least recently used first. Parsing and typesetting cost a few ms per
 * text; a clone costs far less, so the neighbours the host prefetched are rendered ahead
 * (warmMarkdown) and j / k / n paint clones. The templates never enter the document.
 */
const rendered = new Map<string, HTMLElement>();
const RENDERED_LIMIT = 600;

function template(source: string): HTMLElement {
  let root = rendered.get(source);
  if (root) rendered.delete(source);
  else {
    root = el('div');
    build(md.parse(source, {}), root);
  }
  rendered.set(source, root);
  if (rendered.size > RENDERED_LIMIT) rendered.delete(rendered.keys().next().value as string);
  return root;
}

/** Untrusted text rendered as Markdown with math, in a new `div.md` with the given class. */
export function renderMarkdown(source: string, className: string): HTMLElement {
  const root = template(source).cloneNode(true) as HTMLElement;
  root.className = `${className} md`;
  return root;
}

/** Renders texts ahead of their paint (the prefetched neighbours), so showing them is a clone. */
export function warmMarkdown(sources: Iterable<string>): void {
  for (const source of sources) if (!rendered.has(source)) template(source);
}
