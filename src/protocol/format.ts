/**
 * How numbers read wherever a person sees them: the webviews and the CLI's text output share
 * these, so a share or a score is written the same in the panel, the statistics and the terminal.
 */
export const NO_VALUE = '–';

/** A share in [0, 1] as a percentage with one decimal. */
export const pct = (share: number | null): string => (share === null ? NO_VALUE : `${(share * 100).toFixed(1)} %`);

/** A number with a fixed count of decimals. */
export const fixed = (value: number | null, digits = 2): string => (value === null ? NO_VALUE : value.toFixed(digits));

/** A count with thousands separators. */
export const int = (value: number): string => value.toLocaleString('en-US');

/** A peer score: integers as they are, otherwise up to two decimals (2.5, 3.33). */
export const score = (value: number | null): string =>
  value === null ? NO_VALUE : Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');

/** "1 output", "2 outputs": a count with its noun in the right number. */
export const plural = (count: number, noun: string, nouns = `${noun}s`): string => `${int(count)} ${count === 1 ? noun : nouns}`;
