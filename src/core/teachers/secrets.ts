/**
 * Keys must never reach the database, a log, an export or a message. SDK errors can echo a key
 * (or part of it) from a server's error body, so every text that leaves a client passes here.
 */
const KEY_PATTERNS: readonly [RegExp, string][] = [
  // OpenAI, Anthropic (sk-ant-…), DeepSeek and most compatible servers; "*" covers echoed masks.
  [/\bsk-[A-Za-z0-9_\-*.]{6,}/g, '[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9_\-.=+/*]{8,}/gi, '$1 [redacted]'],
  [/\b(x-api-key|api[_-]?key|authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]{6,}/gi, '$1$2[redacted]'],
];

export const REDACTED = '[redacted]';

export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    // Servers often echo a key's head and tail ("sk-abc***xyz"); the tail goes too.
    if (secret.length >= 16) out = out.split(secret.slice(-6)).join(REDACTED);
  }
  for (const [pattern, replacement] of KEY_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
