import type { AnswerType } from './types.ts';

/**
 * Pulling a final answer out of a model's free text, and comparing answers. Models write answers
 * in many ways ("The answer is 18.", "#### 18", "\boxed{18}", "**Answer: 18 apples**", "Yes.",
 * "(B) populated areas"); explicit answer markers win over the loose fallbacks (the last number,
 * a lone letter line). Every regex here is compiled once and is linear: no nested quantifiers,
 * bounded spans, so a 10 MiB output costs milliseconds.
 */

// ---------------------------------------------------------------------------------------------
// Numbers

const numberFormat = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 15 });

/** A number as a plain decimal string: no exponent, no trailing zeros, float noise rounded off. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = numberFormat.format(value);
  return text === '-0' ? '0' : text;
}

export interface NumberToken {
  value: number;
  /** Offsets of the token in the scanned text. */
  start: number;
  end: number;
}

// A number as written in prose: optional sign and currency, digits with thousands commas or plain,
// decimals, an attached fraction ("3/4") and percent. The lookbehind keeps "x5" and "1.2.3" apart.
const NUMBER_TOKEN = /(?<![\w.])([-−])?([$€£]\s?)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:\/(\d+(?:\.\d+)?)(?![\d/]))?(\s?%)?/g;

/** Every number in the text, in order. Mixed numbers ("1 1/2") are read as one. */
export function findNumbers(text: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  scanNumbers(text, (token, isFraction) => {
    const previous = tokens[tokens.length - 1];
    if (isFraction && previous !== undefined && isMixedNumber(previous, token, text)) {
      previous.value = previous.value + Math.sign(previous.value || 1) * token.value;
      previous.end = token.end;
    } else {
      tokens.push(token);
    }
  });
  return tokens;
}

function scanNumbers(text: string, onToken: (token: NumberToken, isFraction: boolean) => void): void {
  NUMBER_TOKEN.lastIndex = 0;
  for (let match = NUMBER_TOKEN.exec(text); match !== null; match = NUMBER_TOKEN.exec(text)) {
    const token = tokenFromMatch(match, text);
    if (token !== undefined) onToken(token, match[4] !== undefined);
  }
}

/** The last number of the text, keeping only the last two tokens (a mixed number spans two). */
function lastNumberIn(text: string): number | undefined {
  let last: NumberToken | undefined;
  scanNumbers(text, (token, isFraction) => {
    if (isFraction && last !== undefined && isMixedNumber(last, token, text)) {
      last = { value: last.value + Math.sign(last.value || 1) * token.value, start: last.start, end: token.end };
    } else {
      last = token;
    }
  });
  return last?.value;
}

function tokenFromMatch(match: RegExpExecArray, text: string): NumberToken | undefined {
  const digits = (match[3] as string).replace(/,/g, '');
  let value = Number(digits);
  if (match[4] !== undefined) {
    const denominator = Number(match[4]);
    if (denominator === 0) return undefined;
    value = value / denominator;
  }
  if (!Number.isFinite(value)) return undefined;
  if (match[1] !== undefined && signIsNegation(text, match.index)) value = -value;
  return { value, start: match.index, end: match.index + match[0].length };
}

/** A minus sign right after a word or a closing bracket is subtraction ("5-3"), not a sign. */
function signIsNegation(text: string, signAt: number): boolean {
  const before = text.charAt(signAt - 1);
  return !/[\w)\]]/.test(before);
}

function isMixedNumber(whole: NumberToken, fraction: NumberToken, text: string): boolean {
  return (
    Number.isInteger(whole.value) && fraction.start === whole.end + 1 && text.charAt(whole.end) === ' ' && Math.abs(fraction.value) < 1 && fraction.value > 0
  );
}

/** The last number in the text; scans from the end so a huge text with an answer at the end is cheap. */
export function lastNumber(text: string): number | undefined {
  let window = 4096;
  for (;;) {
    let start = Math.max(0, text.length - window);
    // Start at a whitespace boundary so that no number is cut in two; a window without any
    // whitespace is not prose, and is scanned whole.
    if (start > 0) {
      const space = text.slice(start).search(/\s/);
      start = space === -1 ? 0 : start + space;
    }
    const last = lastNumberIn(start === 0 ? text : text.slice(start));
    if (last !== undefined || start === 0) return last;
    window *= 16;
  }
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};
const NUMBER_WORD =
  /^[\s*_"'(]*(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b/i;

const STRICT_NUMBER = /^([-−])?[$€£]?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:\s?\/\s?(\d+(?:\.\d+)?))?\s?(?:%|percent)?$/i;

/**
 * A whole string read as one number ("1,080", "145.0", "-3", "$1,234.50", "3/4", "25%"), as
 * datasets write gold answers; null when it is anything else.
 */
export function parseNumber(text: string): number | null {
  const trimmed = stripDecoration(text).replace(/^\+/, '');
  if (trimmed.length > 64) return null;
  const match = STRICT_NUMBER.exec(trimmed);
  if (!match) return null;
  let value = Number((match[2] as string).replace(/,/g, ''));
  if (match[3] !== undefined) {
    const denominator = Number(match[3]);
    if (denominator === 0) return null;
    value /= denominator;
  }
  if (match[1] !== undefined) value = -value;
  return Number.isFinite(value) ? value : null;
}

/**
 * Whole numbers are equal only when they are the same number; others within 1e-6 relative (and
 * 1e-9 absolute, near zero), which absorbs binary-float noise such as 0.30000000000000004. The
 * relative tolerance alone took 1363294 for 1363293: off by one above a million passed.
 */
export function numbersEqual(a: number, b: number): boolean {
  if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
  return Math.abs(a - b) <= Math.max(1e-9, 1e-6 * Math.max(Math.abs(a), Math.abs(b)));
}

// ---------------------------------------------------------------------------------------------
// Where a model states its answer

/** LaTeX a model wraps numbers in, rewritten as plain text. Bounded groups keep it linear. */
function plainLatex(text: string): string {
  if (!text.includes('\\') && !text.includes('{,}')) return text;
  return text
    .replace(/\{,\}/g, ',')
    .replace(/\\[dt]?frac\{\s{0,3}(-?\d{1,20}(?:\.\d{1,20})?)\s{0,3}\}\{\s{0,3}(\d{1,20}(?:\.\d{1,20})?)\s{0,3}\}/g, '$1/$2')
    .replace(/\\(?:text|textbf|mathrm|mathbf|emph)\{([^{}\n]{0,200})\}/g, ' $1 ')
    .replace(/\\(?:left|right)\b|\\[,;!]|\\quad\b/g, ' ')
    .replace(/\\(?:times|cdot)\b/g, ' x ')
    .replace(/\\([$%])/g, '$1');
}

const EDGE_DECORATION = new Set(['*', '_', '`', '"', "'", '“', '”', '‘', '’', ' ', '\t', '\n', '\r']);
const TRAILING_PUNCTUATION = new Set(['.', '!', ';', ',']);

/**
 * Markdown emphasis, quotes and trailing sentence punctuation around an answer. Written as loops:
 * an end-anchored regex like /[*\s]+$/ is quadratic on a long run of spaces.
 */
function stripDecoration(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE_DECORATION.has(text.charAt(start))) start++;
  while (end > start && EDGE_DECORATION.has(text.charAt(end - 1))) end--;
  while (end > start && TRAILING_PUNCTUATION.has(text.charAt(end - 1))) end--;
  while (end > start && EDGE_DECORATION.has(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** The contents of the last \boxed{…} (balanced braces), if any. */
export function lastBoxed(text: string): string | undefined {
  const at = text.lastIndexOf('\\boxed');
  if (at === -1) return undefined;
  let i = at + '\\boxed'.length;
  while (text.charAt(i) === ' ') i++;
  if (text.charAt(i) !== '{') return undefined;
  let depth = 0;
  const limit = Math.min(text.length, i + 1000);
  for (let j = i; j < limit; j++) {
    const c = text.charAt(j);
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(i + 1, j);
    }
  }
  return undefined;
}

// "The answer is", "Answer:", "Final answer:", "the correct answer would be", "answer to the
// question is", "the best option is", with Markdown emphasis around it. Plain "answer" needs a
// connector or a line break after it, so "answer in 3 steps" is not a marker.
const ANSWER_MARKER =
  /\b(?:final\s+answer|answer(?:\s+to\s+(?:the|this)\s+(?:question|problem))?|(?:correct|right|best)\s+(?:option|choice))\b[*_]{0,3}(?:[ \t]*(?:is|was|would\s+be|should\s+be|will\s+be|=|:|：|[-–—](?=[ \t]))|[ \t]*[*_]{0,3}\r?\n)[*_ \t]{0,6}:?/gi;
const CHOICE_MARKER = /\b(?:I(?:\s+would|\s+will|['’]d|['’]ll)?\s+(?:choose|pick|select|go\s+with)|my\s+(?:choice|pick)\s+is)\b[ \t:]*/gi;
const HASH_MARKER = /####/g;
const SPAN_LIMIT = 300;
/** Only the latest markers of each kind matter; a bound keeps a text full of them cheap. */
const MARKERS_KEPT = 16;

export interface AnswerSpan {
  text: string;
  /** Where the span starts in the scanned text. */
  start: number;
}

/** End offsets of the last `keep` matches of a global pattern, latest first. */
function lastMatchEnds(pattern: RegExp, text: string, keep: number, accept?: (match: RegExpExecArray) => boolean): number[] {
  const ends: number[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (accept && !accept(match)) continue;
    ends.push(match.index + match[0].length);
    if (ends.length > keep) ends.shift();
  }
  return ends.reverse();
}

/**
 * The stretches of text right after each explicit answer marker, the strongest and latest first:
 * \boxed{…}, then "####", then "final answer", then other answer phrases. A span runs to the end
 * of its line (or, when the marker ends a line, the next non-blank line), at most 300 chars.
 */
export function answerSpans(rawText: string): AnswerSpan[] {
  const text = plainLatex(rawText);
  const spans: AnswerSpan[] = [];
  const boxed = lastBoxed(text);
  if (boxed !== undefined) spans.push({ text: plainLatex(boxed), start: text.lastIndexOf('\\boxed') });
  for (const end of lastMatchEnds(HASH_MARKER, text, MARKERS_KEPT)) spans.push(spanAfter(text, end));
  for (const end of lastMatchEnds(ANSWER_MARKER, text, MARKERS_KEPT, (m) => /^final/i.test(m[0]))) spans.push(spanAfter(text, end));
  const others = [...lastMatchEnds(ANSWER_MARKER, text, MARKERS_KEPT, (m) => !/^final/i.test(m[0])), ...lastMatchEnds(CHOICE_MARKER, text, MARKERS_KEPT)].sort(
    (x, y) => y - x,
  );
  for (const end of others) spans.push(spanAfter(text, end));
  return spans;
}

const WORKING_STEP = /^[*_#\s]*(?:step\s*\d|\d+[.)]\s|first\b|let(?:'s|\s+us)\b|we\s)/i;

function lineEnd(text: string, from: number): number {
  const end = text.slice(from, from + SPAN_LIMIT).indexOf('\n');
  return end === -1 ? Math.min(text.length, from + SPAN_LIMIT) : from + end;
}

function spanAfter(text: string, from: number): AnswerSpan {
  let start = from;
  let end = lineEnd(text, start);
  if (text.slice(start, end).replace(/[*_:\s]/g, '') === '') {
    // The marker ends its line: the answer is on the next non-blank line.
    const next = text.slice(end, end + SPAN_LIMIT).search(/\S/);
    if (next !== -1) {
      start = end + next;
      end = lineEnd(text, start);
      // "My answer:" followed by the working, step by step, states no answer on that line.
      if (WORKING_STEP.test(text.slice(start, end))) return { text: '', start };
    }
  }
  return { text: text.slice(start, end), start };
}

// ---------------------------------------------------------------------------------------------
// Number answers

// Words after which a span states its result: "46 yesterday and 66 today, so she baked 20".
const CONCLUSION_WORD = /\b(?:so|therefore|thus|hence|which\s+means|that\s+means|in\s+total|in\s+all|altogether|total\s+of)\b|=/gi;
const NEGATED_BEFORE = /(?:\bnot|n't|\binstead\s+of|\brather\s+than)\s*[$€£]?\s*$/i;

/**
 * The number an answer span states: the first number after the span's last "=" or conclusion
 * word when one follows the first number, else the first; a number right after "not" is skipped.
 */
function numberInSpan(span: string): number | undefined {
  const tokens = findNumbers(span);
  if (tokens.length === 0) {
    const word = NUMBER_WORD.exec(span);
    return word ? NUMBER_WORDS[(word[1] as string).toLowerCase()] : undefined;
  }
  const stated = tokens.filter((t) => !NEGATED_BEFORE.test(span.slice(Math.max(0, t.start - 20), t.start)));
  const candidates = stated.length > 0 ? stated : tokens;
  const firstAt = (candidates[0] as NumberToken).start;
  // The latest conclusion word that a number follows.
  let concluded: NumberToken | undefined;
  CONCLUSION_WORD.lastIndex = 0;
  for (let anchor = CONCLUSION_WORD.exec(span); anchor !== null; anchor = CONCLUSION_WORD.exec(span)) {
    if (anchor.index <= firstAt) continue;
    const end = anchor.index + anchor[0].length;
    concluded = candidates.find((t) => t.start >= end) ?? concluded;
  }
  return (concluded ?? (candidates[0] as NumberToken)).value;
}

/** The final number a model states, as a canonical decimal string, or null. */
export function extractNumber(text: string): string | null {
  for (const span of answerSpans(text)) {
    const value = numberInSpan(span.text);
    if (value !== undefined) return formatNumber(value);
  }
  const last = lastNumber(plainLatex(text));
  return last === undefined ? null : formatNumber(last);
}

// ---------------------------------------------------------------------------------------------
// Yes / no answers

const YES_NO_WORD = /\b(yes|no|true|false)\b/i;
// "Yes or no", "True/False": the question's words, not an answer.
const YES_NO_PROMPT = /\b(?:yes|true)\s*(?:or|\/)\s*(?:no|false)\b|\b(?:no|false)\s*(?:or|\/)\s*(?:yes|true)\b/gi;
const LEADING_YES_NO =
  /^[\s*_#>"'“(]{0,12}(?:A[ \t]*:[ \t]*)?(yes|no|true|false)\b(?:[ \t]{0,3}(?:[*_"'”)]{1,3}[ \t]{0,3})?(?:[.,!:;\n]|$)|[ \t]+(?:it|this|that|they|he|she|there|because|I|we|you)\b)/i;
const CONCLUSION_YES_NO =
  /\b(?:so|thus|therefore|hence|in\s+conclusion|in\s+short|in\s+summary|overall|to\s+conclude|my\s+verdict\s+is|verdict:)[,:]?[ \t]+(?:the\s+answer\s+is[ \t:]+)?[*_"'“]{0,3}(yes|no|true|false)\b/gi;
const STATEMENT_IS = /\b(?:the\s+statement|the\s+claim|this|that)\s+is\s+[*_]{0,2}(true|false)\b/gi;
const LONE_YES_NO_LINE = /^[ \t*_#>"'“(]{0,12}(yes|no|true|false)[ \t*_"'”).!]{0,6}$/gim;

/** "yes"/"true" → "yes", "no"/"false" → "no"; anything else null. */
export function normaliseYesNo(word: string): 'yes' | 'no' | null {
  const lower = stripDecoration(word).toLowerCase();
  if (lower === 'yes' || lower === 'true') return 'yes';
  if (lower === 'no' || lower === 'false') return 'no';
  return null;
}

/** A yes/no in the first sentence of an answer span ("No, because…", "definitely yes"). */
function yesNoInSpan(span: string): 'yes' | 'no' | null {
  const sentence = span.split(/[.!?](?:\s|$)/, 1)[0] ?? '';
  const match = YES_NO_WORD.exec(sentence.slice(0, 80));
  if (!match) return null;
  if (/\bnot\s+$/i.test(sentence.slice(0, match.index))) return normaliseYesNo(match[1] as string) === 'yes' ? 'no' : 'yes';
  return normaliseYesNo(match[1] as string);
}

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | undefined {
  pattern.lastIndex = 0;
  let last: RegExpExecArray | undefined;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    last = match;
    if (match[0].length === 0) pattern.lastIndex++;
  }
  return last;
}

/** The yes/no verdict a model states ("yes" or "no"), or null when it states none. */
export function extractYesNo(rawText: string): 'yes' | 'no' | null {
  const text = rawText.replace(YES_NO_PROMPT, ' ');
  for (const span of answerSpans(text)) {
    const verdict = yesNoInSpan(span.text);
    if (verdict) return verdict;
  }
  const leading = LEADING_YES_NO.exec(text);
  if (leading) return normaliseYesNo(leading[1] as string);
  const conclusion = lastMatch(CONCLUSION_YES_NO, text) ?? lastMatch(STATEMENT_IS, text);
  if (conclusion) return normaliseYesNo(conclusion[1] as string);
  const lone = lastMatch(LONE_YES_NO_LINE, text);
  if (lone) return normaliseYesNo(lone[1] as string);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Multiple-choice answers

const LETTERS = 'ABCDEFGHIJ';

/** The letter of the n-th option (0 → "A"). */
export function optionLetter(index: number): string {
  const letter = LETTERS.charAt(index);
  if (letter === '') throw new RangeError(`no option letter for index ${index}`);
  return letter;
}

// A letter at the start of an answer span: "B", "(B)", "B.", "Option B", "choice (c)", "**C**".
const SPAN_LETTER = /^[\s*_"'“]{0,6}((?:option|choice|letter)\s*)?([([])?[ \t]?([A-Ja-j])(?![A-Za-z0-9])([)\]])?([ \t]*)(.?)/i;
// "Option D is correct", "(B) is the right answer", "D is the best choice".
const LETTER_IS_CORRECT =
  /(?:\b(?:option|choice)\s*)?[([]?\b([A-J])\b[)\]]?[*_]{0,2}[ \t]+is[ \t]+(?:the[ \t]+)?(?:correct|right|best|most\s+(?:likely|appropriate|accurate)|answer)\b/g;
const LETTER_AT_START = /^[\s*_#>]{0,12}[([]?([A-J])(?:[)\].:]|[ \t]*$|[ \t]+[-–—])/;
const LONE_LETTER_LINE = /^[ \t*_#>"'“([]{0,8}(?:(?:option|choice|answer)[ \t]{0,3}(?::[ \t]{0,3})?)?[([]?([A-J])[)\]]?[ \t*_"'”.!]{0,6}$/gim;

function letterAllowed(letter: string, optionCount: number): boolean {
  const index = LETTERS.indexOf(letter);
  return index !== -1 && index < optionCount;
}

/** The option letter at the start of an answer span, or the option whose text the span states. */
function optionInSpan(span: string, options: readonly string[] | undefined, optionCount: number): string | null {
  // "not A but C", "not (B), it is (D)": the stated choice comes after the rejected one.
  const cleaned = span.replace(/^[\s*_"'“]*not\s+(?:option\s+)?\(?[A-Ja-j]\)?\s*(?:,|but|;)\s*(?:it\s+is\s+|it's\s+)?/i, '');
  const match = SPAN_LETTER.exec(cleaned);
  if (match) {
    const [, prefix, opener, raw = '', closer, gap, next] = match;
    const letter = raw.toUpperCase();
    // "A" and lower-case letters are also words ("a good…"): accept them only when set off as a label.
    const setOff =
      prefix !== undefined ||
      opener !== undefined ||
      closer !== undefined ||
      next === '' ||
      /[.:,)*\]—–-]/.test(next ?? '') ||
      (raw !== 'A' && raw === letter && gap !== '');
    if (setOff && letterAllowed(letter, optionCount)) return letter;
  }
  return options ? optionByText(span, options) : null;
}

function normaliseForMatch(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

/** The option whose text the passage contains (the longest, when several do). */
export function optionByText(passage: string, options: readonly string[]): string | null {
  const haystack = normaliseForMatch(passage);
  let best: { letter: string; length: number } | undefined;
  options.forEach((option, index) => {
    const needle = normaliseForMatch(option);
    if (needle.trim() === '' || !haystack.includes(needle)) return;
    if (!best || needle.length > best.length) best = { letter: optionLetter(index), length: needle.length };
  });
  return best ? best.letter : null;
}

/** The option letter ("A".."E") a model chooses, or null when it chooses none. */
export function extractOption(rawText: string, options?: readonly string[]): string | null {
  const optionCount = options && options.length > 0 ? options.length : 5;
  const text = plainLatex(rawText);
  for (const span of answerSpans(text)) {
    const letter = optionInSpan(span.text, options, optionCount);
    if (letter) return letter;
  }
  const correct = lastMatch(LETTER_IS_CORRECT, text);
  if (correct && letterAllowed(correct[1] as string, optionCount)) return correct[1] as string;
  const leading = LETTER_AT_START.exec(text);
  if (leading && letterAllowed(leading[1] as string, optionCount)) return leading[1] as string;
  const lone = lastMatch(LONE_LETTER_LINE, text);
  if (lone && letterAllowed(lone[1] as string, optionCount)) return lone[1] as string;
  if (options) {
    const trimmed = text.trimEnd();
    const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
    if (lastLine.length <= 400) return optionByText(lastLine, options);
  }
  return null;
}

/** A gold option as a letter: "b", "B", "(B)" → "B"; null when it is none of the options. */
export function normaliseOption(answer: string, options?: readonly string[]): string | null {
  const trimmed = stripDecoration(answer)
    .replace(/^\(|\)$/g, '')
    .trim();
  const optionCount = options && options.length > 0 ? options.length : 5;
  if (/^[A-Ja-j]$/.test(trimmed) && letterAllowed(trimmed.toUpperCase(), optionCount)) return trimmed.toUpperCase();
  if (options) {
    const wanted = normaliseForMatch(trimmed);
    const index = options.findIndex((option) => normaliseForMatch(option) === wanted);
    if (index !== -1) return optionLetter(index);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Free-text answers

/** The answer text a model states: after a marker, else its last non-blank line; trimmed. */
export function extractText(text: string): string | null {
  for (const span of answerSpans(text)) {
    const answer = stripDecoration(span.text);
    if (answer !== '') return answer;
  }
  const lines = text.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const answer = stripDecoration(lines[i] as string);
    if (answer !== '') return answer.slice(0, 1000);
  }
  return null;
}

/** Text compared loosely: case, spacing, Markdown, surrounding punctuation and articles ignored. */
export function normaliseText(text: string): string {
  return stripDecoration(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^(?:the|a|an) /, '');
}

// ---------------------------------------------------------------------------------------------
// Extraction and grading by answer type

export type AnswerKind = AnswerType;

/** The canonical answer a model's text states for an answer type, or null. */
export function extractAnswerAs(kind: AnswerKind, text: string, problem?: { options?: string[] }): string | null {
  switch (kind) {
    case 'number':
      return extractNumber(text);
    case 'yesno':
      return extractYesNo(text);
    case 'option':
      return extractOption(text, problem?.options);
    case 'text':
      return extractText(text);
  }
}

/**
 * A gold answer in canonical form (numbers as plain decimals, "yes"/"no", option letters, trimmed
 * text), or null when it cannot be read as that type.
 */
export function canonicalAnswer(kind: AnswerKind, answer: string, options?: readonly string[]): string | null {
  switch (kind) {
    case 'number': {
      const value = parseNumber(answer);
      return value === null ? null : formatNumber(value);
    }
    case 'yesno':
      return normaliseYesNo(answer);
    case 'option':
      return normaliseOption(answer, options);
    case 'text': {
      const text = answer.trim();
      return text === '' ? null : text;
    }
  }
}

/** Whether an extracted answer matches gold; an answer that could not be extracted is wrong. */
export function isCorrectAs(kind: AnswerKind, extracted: string | null, gold: string, problem?: { options?: string[] }): boolean {
  if (extracted === null) return false;
  switch (kind) {
    case 'number': {
      const a = parseNumber(extracted);
      const b = parseNumber(gold);
      return a !== null && b !== null && numbersEqual(a, b);
    }
    case 'yesno': {
      const a = normaliseYesNo(extracted);
      return a !== null && a === normaliseYesNo(gold);
    }
    case 'option': {
      const a = normaliseOption(extracted, problem?.options);
      return a !== null && a === normaliseOption(gold, problem?.options);
    }
    case 'text':
      return textsMatch(extracted, gold);
  }
}

/** Loose text equality; numbers compare as numbers and yes/no as verdicts when gold is one. */
function textsMatch(extracted: string, gold: string): boolean {
  if (normaliseText(extracted) === normaliseText(gold)) return true;
  const goldNumber = parseNumber(gold);
  if (goldNumber !== null) {
    const stated = parseNumber(extracted) ?? findNumbers(extracted.slice(0, 1000))[0]?.value;
    return stated !== undefined && numbersEqual(stated, goldNumber);
  }
  const goldVerdict = normaliseYesNo(gold);
  if (goldVerdict !== null) return extractYesNo(extracted.slice(0, 1000)) === goldVerdict;
  return false;
}
