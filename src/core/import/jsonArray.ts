/**
 * The 1-based line on which each top-level element of a JSON array starts, so errors about the
 * records of a JSON-array file can name file:line like those of a JSON Lines file. Assumes the
 * text is valid JSON (the caller parsed it first).
 */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++; // backslash: the next character is escaped (never a newline in valid JSON)
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (depth === 1 && expectElement && c !== 93) {
      lines.push(line);
      expectElement = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth === 1 && c === 91) expectElement = true;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (c === 44 && depth === 1) expectElement = true;
  }
  return lines;
}
