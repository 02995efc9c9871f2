/**
 * Every arithmetic step of a text, recomputed. A step is an equation whose left side is an
 * arithmetic expression of written numbers ("40 x 2 = 70", "100 - 50 - 30 - 15 = 5",
 * "\frac{48}{2} = 24", "25% of 80 = 20", "$1,240 / 4 = $310") and whose right side is a number;
 * a chain "a + b = c + d = e" is checked link by link. Precision comes first: anything that is
 * not plainly arithmetic on numbers (a variable, a unit between terms, "approximately", a
 * remainder) is not a step, and a stated result counts as right when it is the computed value
 * rounded to the digits it shows. The curation panel underlines a wrong step with the right value
 * and marks the student's first wrong one; `docs/curation.md` gives the measured precision.
 */

export interface Step {
  /** Offsets of the whole equation in the text it was found in (after LaTeX was read). */
  start: number;
  end: number;
  /** The expression as written, and its value. */
  expression: string;
  computed: number;
  /** The result as written, and its value. */
  statedText: string;
  stated: number;
  ok: boolean;
}

// A number as people write it: $1,240.50, 25%, -3, .5, 1 000 is not one (too ambiguous).
const NUMBER = String.raw`-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?|-?\$?\.\d+%?`;
// "x" multiplies only with spaces around it ("0.2 x 50"): "3x-5" is algebra.
const OPERATOR = String.raw`[+\-–−*/×÷]|(?<=\s)[xX](?=\s)|\bof\b`;
const TERM = String.raw`\(*\s*(?:${NUMBER})\s*\)*`;
/** expression = result (= result …): two or more terms joined by operators, then "= number". */
// The result ends the number (no digit, comma-digit or decimal after it: "$59,616." is 59616),
// and is no first term of a longer expression, nor "3 remainder 1".
const EQUATION = new RegExp(
  String.raw`(?<![\w.$,])(${TERM}(?:\s*(?:${OPERATOR})\s*${TERM})+)\s*=\s*(${NUMBER})(?![\w]|,\d|\.\d|\s*(?:${OPERATOR})|\s+\d|\s*(?:remainder|rem)\b|\s+and\s+\(?\d+\s*\/)`,
  'g',
);
/** What may stand just before a step: a clause boundary, not the tail of an expression we did not read. */
const BAD_LEAD = /(?:[\d+\-–−*/×÷(,.]|\b(?:of|x|X)|\d\s+)\s*$/;
/** "12 x 1 and 1/4 = 15": the fraction is half of a mixed number. */
const MIXED_NUMBER_TAIL = /\d\s+and\s*$/;
/** "3 / 1/4": a division by a written fraction, which people mean as 3 / (1/4). */
const DIVIDED_BY_FRACTION = /\/\s*\d+\s*\/\s*\d/;
/** Units that scale a result by 100: "= 50 cents" for 0.5 dollars, "= 30 percent". */
const HUNDREDTHS_AFTER = /^\s*(?:%|percent\b|cents?\b)/;

/** LaTeX inside math, read as plain arithmetic: \frac{a}{b}, \times, \cdot, \div, \left( \right), {,}. */
export function readLatex(text: string): string {
  // Math delimiters are not money: $$…$$, \(…\), \[…\], and a $…$ span holding a LaTeX command.
  let out = text.replace(/\$\$|\\[()[\]]/g, ' ').replace(/(?<!\\)\$([^$\n]*\\[a-zA-Z][^$\n]*)\$/g, ' $1 ');
  for (let i = 0; i < 3; i++) out = out.replace(/\\d?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '($1)/($2)');
  return out
    .replace(/\\(?:times|cdot|ast)\b/g, '×')
    .replace(/\\div\b/g, '÷')
    .replace(/\\(?:left|right)\s*([()[\]])/g, '$1')
    .replace(/\{,\}/g, ',')
    .replace(/\\[,;!: ]/g, ' ')
    .replace(/\\\$/g, '$')
    .replace(/\\%/g, '%');
}

interface Token {
  kind: 'num' | 'op' | '(' | ')';
  value: number;
  op: string;
}

function numberValue(text: string): number {
  const percent = text.endsWith('%');
  const value = Number(text.replace(/[$,%]/g, ''));
  return percent ? value / 100 : value;
}

function tokenize(expression: string): Token[] | undefined {
  const tokens: Token[] = [];
  const re = new RegExp(String.raw`\s*(?:(${NUMBER})|(${OPERATOR})|([()]))`, 'y');
  let at = 0;
  while (at < expression.length) {
    re.lastIndex = at;
    const m = re.exec(expression);
    if (!m) return expression.slice(at).trim() === '' ? tokens : undefined;
    at = re.lastIndex;
    if (m[1] !== undefined) {
      // "5 -3" after a number is a subtraction, not a negative number.
      const prev = tokens[tokens.length - 1];
      if (m[1].startsWith('-') && prev && (prev.kind === 'num' || prev.kind === ')')) {
        tokens.push({ kind: 'op', value: 0, op: '-' }, { kind: 'num', value: numberValue(m[1].slice(1)), op: '' });
      } else tokens.push({ kind: 'num', value: numberValue(m[1]), op: '' });
    } else if (m[2] !== undefined) {
      const op = m[2].toLowerCase();
      tokens.push({ kind: 'op', value: 0, op: op === 'x' || op === '×' || op === 'of' ? '*' : op === '÷' ? '/' : op === '–' || op === '−' ? '-' : op });
    } else tokens.push({ kind: m[3] as '(' | ')', value: 0, op: '' });
  }
  return tokens;
}

/** Recursive descent over + - and * / with parentheses; undefined when it does not parse. */
function evaluate(tokens: readonly Token[]): number | undefined {
  let i = 0;
  const primary = (): number | undefined => {
    const t = tokens[i];
    if (!t) return undefined;
    if (t.kind === 'num') {
      i++;
      return t.value;
    }
    if (t.kind === '(') {
      i++;
      const v = sum();
      if (tokens[i]?.kind !== ')') return undefined;
      i++;
      return v;
    }
    return undefined;
  };
  const product = (): number | undefined => {
    let v = primary();
    while (v !== undefined && tokens[i]?.kind === 'op' && (tokens[i]?.op === '*' || tokens[i]?.op === '/')) {
      const op = tokens[i++]?.op;
      const r = primary();
      if (r === undefined) return undefined;
      v = op === '*' ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number | undefined => {
    let v = product();
    while (v !== undefined && tokens[i]?.kind === 'op' && (tokens[i]?.op === '+' || tokens[i]?.op === '-')) {
      const op = tokens[i++]?.op;
      const r = product();
      if (r === undefined) return undefined;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const value = sum();
  return i === tokens.length && value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Decimals a stated number shows (its precision), percent digits counted as two more. */
function shownDecimals(text: string): number {
  const digits = /\.(\d+)/.exec(text)?.[1]?.length ?? 0;
  return text.endsWith('%') ? digits + 2 : digits;
}

/** The stated result is the computed value, or it rounded to the digits the result shows. */
export function agrees(computed: number, stated: number, statedText: string): boolean {
  if (!Number.isFinite(computed)) return false;
  if (Math.abs(computed - stated) <= 1e-9 * Math.max(1, Math.abs(computed))) return true;
  if (Number.isInteger(computed)) return false;
  const scale = 10 ** shownDecimals(statedText);
  return Math.abs(Math.round(computed * scale) - Math.round(stated * scale)) === 0;
}

/** Every step of the text, in order; `ok` false marks a wrong one. */
export function checkSteps(raw: string): Step[] {
  const text = readLatex(raw);
  const steps: Step[] = [];
  for (const m of text.matchAll(EQUATION)) {
    const expression = (m[1] as string).trim();
    const statedText = m[2] as string;
    const lead = text.slice(Math.max(0, m.index - 12), m.index);
    if (BAD_LEAD.test(lead) || (MIXED_NUMBER_TAIL.test(lead) && /^\d+\s*\//.test(expression))) continue;
    // Clock times and codes (0900 - 0130) are not quantities.
    if (/(?:^|[^\d.])0\d/.test(`${expression} ${statedText}`)) continue;
    if (DIVIDED_BY_FRACTION.test(expression)) continue;
    const tokens = tokenize(expression);
    if (!tokens || !tokens.some((t) => t.kind === 'op')) continue;
    const computed = evaluate(tokens);
    if (computed === undefined) continue;
    const stated = numberValue(statedText);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 10);
    // Percent is read both ways: "100 - 50 = 50%" (points) and "1/2 = 50%" (a fraction) are both right.
    const percentish = expression.includes('%') || statedText.endsWith('%') || HUNDREDTHS_AFTER.test(after);
    const ok =
      agrees(computed, stated, statedText) ||
      (percentish &&
        (agrees(computed * 100, stated, statedText) ||
          agrees(computed, stated / 100, statedText) ||
          agrees(computed / 100, stated, statedText) ||
          agrees(computed * 100, stated * 100, statedText)));
    steps.push({ start: m.index, end: m.index + m[0].length, expression, computed, statedText, stated, ok });
  }
  return steps;
}

/** The first step whose stated result is wrong, or undefined. */
export function firstWrongStep(text: string): Step | undefined {
  return checkSteps(text).find((s) => !s.ok);
}
