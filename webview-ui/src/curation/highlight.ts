import { el } from '../shared/dom.ts';

/** The search's words as the host matches them: whitespace-separated, case-insensitive. */
export function searchWords(search: string): string[] {
  return [
    ...new Set(
      search
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w !== ''),
    ),
  ];
}

const SKIP = new Set(['MARK', 'TEXTAREA', 'BUTTON', 'KBD']);

/**
 * Marks every occurrence of the search words in the text under `root`: text nodes are split and
 * each hit is put in a <mark class="hit"> holding a text node, so no text ever becomes markup.
 */
export function highlightWords(root: HTMLElement, words: readonly string[]): void {
  if (words.length === 0) return;
  const escaped = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(escaped.join('|'), 'gi');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement && !SKIP.has(node.parentElement.tagName) && node.parentElement.closest('.item-head, .edit-box') === null
        ? NodeFilter.FILTER_ACCEPT
        : NodeFilter.FILTER_REJECT,
  });
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  for (const node of nodes) {
    const text = node.data;
    pattern.lastIndex = 0;
    if (!pattern.test(text)) continue;
    pattern.lastIndex = 0;
    const parts: Node[] = [];
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      if (start > at) parts.push(document.createTextNode(text.slice(at, start)));
      parts.push(el('mark', { class: 'hit' }, match[0]));
      at = start + match[0].length;
    }
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    node.replaceWith(...parts);
  }
}
