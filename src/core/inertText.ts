/**
 * Text from outside (dataset values, model output, endpoint error bodies, file names) reaches the
 * user inside our messages: a VS Code notification, a progress line, a terminal. Each of those
 * sinks gives some character sequences a meaning of their own:
 *
 * - VS Code notifications (and their progress lines) turn `[label](command:…)`, `[label](file:…)`
 *   and `[label](https://…)` into live links (`parseLinkedText`, vs/base/common/linkedText.ts);
 *   clicking one runs the command with the file author's arguments.
 * - Terminals act on control sequences: OSC 8 hyperlinks (`ESC ] 8 ;; url ESC \`), cursor moves
 *   and title changes (CSI, OSC), in C0 and C1 form.
 *
 * `inertText` is the one place that defuses both, applied to a whole message at its sink (see
 * src/vscode/common/notify.ts and the CLI's io in src/cli/main.ts): our own messages never carry
 * links or control codes, so nothing of ours is lost, and the data stays readable as it was
 * written — a user fixing a bad line must see its value.
 */

// C0 controls but tab and newline, DEL, and the C1 range (U+009B is a one-byte CSI in some terminals).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// The link form's hinge: VS Code's pattern needs `]` directly followed by `(`.
const LINK_HINGE = /\]\(/g;
// Bidirectional overrides can make a shown value read differently from what it is (Trojan Source).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** The text with control characters and bidirectional overrides shown as escapes (`\x1b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `terminalSafe`, and `](` split so that no link can form: what every message to the user gets. */
export function inertText(text: string): string {
  return terminalSafe(text).replace(LINK_HINGE, '] (');
}
