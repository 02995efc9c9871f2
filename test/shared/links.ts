// What counts as a live link in the places our messages appear, and the untrusted values tests
// feed through them. Shared by the unit tests (CLI, core) and the in-host suite (notifications).

/**
 * VS Code's own pattern for links in a notification's message and progress line
 * (LINK_REGEX in vs/base/common/linkedText.ts, used by parseLinkedText): the oracle for
 * "this message would show a clickable link". Copied, not imported: VS Code does not export it.
 */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/** Links VS Code would make live in this notification text. */
export function notificationLinks(text: string): string[] {
  return [...text.matchAll(NOTIFICATION_LINK)].map((m) => m[0]);
}

/** Terminal control codes (OSC 8 hyperlinks, CSI sequences): C0 but tab and newline, DEL, C1. */
// eslint-disable-next-line no-control-regex
export const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Values an imported file, a model or a server could carry: each tries to become a live link. */
export const LINK_PAYLOADS: readonly string[] = [
  '[open the docs](command:workbench.action.quickOpen?%22%3EDeveloper%3A%20Reload%20Window%22)',
  '[settings](command:workbench.action.openSettings)',
  '[passwd](file:///etc/passwd)',
  '[site](https://example.com/x "a title")',
  '[[nested](command:a)](command:b)',
  'see https://example.com/raw and command:workbench.action.openSettings and file:///etc/passwd',
  '\u001b]8;;https://example.com\u001b\\click me\u001b]8;;\u001b\\',
  '\u009b31mred\u001b[0m \u202eevil',
];

/** The words of a payload a user must still be able to read (its link labels, its text). */
export const PAYLOAD_WORDS = ['open the docs', 'settings', 'passwd', 'site', 'nested', 'raw', 'click me'];
