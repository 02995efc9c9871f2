import katex from 'katex';
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';
import { el, textEl } from '../shared/dom.ts';

/**
 * Math in model text: `$…$`, `\(…\)` inline and `$$…$$`, `\[…\]` displayed, as markdown-it tokens
 * (math_inline, math_block) whose content is the TeX source. A `$` opens only when a non-space
 * follows it and closes only when a non-space precedes it and no digit follows ("$5 and $10" is
 * money, not math), as in Pandoc.
 */
export function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  let open: string;
  let close: string;
  if (src.startsWith('\\(', start)) [open, close] = ['\\(', '\\)'];
  else if (src.startsWith('\\[', start)) [open, close] = ['\\[', '\\]'];
  else if (src.startsWith('$$', start)) [open, close] = ['$$', '$$'];
  else if (src[start] === '$') [open, close] = ['$', '$'];
  else return false;
  const from = start + open.length;
  let end = -1;
  if (open === '$') {
    if (from >= src.length || /\s/.test(src[from] as string)) return false;
    for (let at = src.indexOf('$', from); at >= 0; at = src.indexOf('$', at + 1)) {
      if (src[at - 1] === '\\') continue;
      // Not a closer: after a space, before a digit ("$5 and $10"), or half of a $$.
      if (/\s/.test(src[at - 1] as string) || /[\d$]/.test(src[at + 1] ?? '') || src[at - 1] === '$') continue;
      end = at;
      break;
    }
  } else {
    end = src.indexOf(close, from);
  }
  if (end < 0 || end === from) return false;
  if (!silent) {
    const token = state.push(open === '$' || open === '\\(' ? 'math_inline' : 'math_display', 'math', 0);
    token.content = src.slice(from, end);
    token.markup = open;
  }
  state.pos = end + close.length;
  return true;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (line: number): string => state.src.slice((state.bMarks[line] as number) + (state.tShift[line] as number), state.eMarks[line]);
  const first = lineText(startLine);
  const open = first.startsWith('$$') ? '$$' : first.startsWith('\\[') ? '\\[' : null;
  if (open === null) return false;
  const close = open === '$$' ? '$$' : '\\]';
  let content = first.slice(2);
  let line = startLine;
  let closed = content.trimEnd().endsWith(close);
  if (closed) content = content.trimEnd().slice(0, -2);
  while (!closed && ++line < endLine) {
    const text = lineText(line);
    if (text.trimEnd().endsWith(close)) {
      content += `\n${text.trimEnd().slice(0, -2)}`;
      closed = true;
    } else content += `\n${text}`;
  }
  if (!closed || content.trim() === '') return false;
  if (silent) return true;
  const token = state.push('math_block', 'math', 0);
  token.content = content;
  token.markup = open;
  token.map = [startLine, line + 1];
  token.block = true;
  state.line = line + 1;
  return true;
}

/**
 * TeX typeset by KaTeX as MathML, built as DOM nodes (KaTeX's toNode: createElementNS and
 * setAttribute, never markup). trust: false refuses \href, \url, \htmlClass, \includegraphics
 * and the like; a formula KaTeX cannot read is shown as its source text.
 */
export function typeset(tex: string, display: boolean): HTMLElement {
  const holder = el(display ? 'div' : 'span', { class: display ? 'math math-display' : 'math' });
  try {
    katex.render(tex, holder, { output: 'mathml', displayMode: display, trust: false, throwOnError: true, strict: 'ignore', maxExpand: 500, maxSize: 20 });
  } catch {
    return textEl(display ? 'div' : 'span', display ? `$$${tex}$$` : `$${tex}$`, { class: 'math math-error', title: 'Not readable as TeX: shown as written' });
  }
  // Kept for the step marks: which formula this is, as written (an attribute holds text, never markup).
  holder.dataset.tex = tex;
  return holder;
}
