import test from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_FILTER, parseHostMessage, parseWebviewMessage } from '../../../src/protocol/curation.ts';
import { CURATION_PAGE, contentSecurityPolicy, newNonce, webviewHtml } from '../../../src/vscode/webviewHtml.ts';

test('validated messages keep only the known fields (no smuggled keys, no prototype tricks)', () => {
  const raw = JSON.parse('{"type":"decide","requestId":3,"problemId":4,"outputId":5,"action":"accept","text":null,"extra":"x","__proto__":{"polluted":true}}');
  const parsed = parseWebviewMessage(raw);
  assert.deepEqual(parsed, { type: 'decide', requestId: 3, problemId: 4, outputId: 5, action: 'accept', text: null });
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const filter = parseWebviewMessage({ type: 'setFilter', requestId: 1, filter: { ...EMPTY_FILTER, search: 'x', sneaky: 1 }, from: null });
  assert.deepEqual(filter, { type: 'setFilter', requestId: 1, filter: { ...EMPTY_FILTER, search: 'x' }, from: null });
});

test('the truncated filter: parsed as a boolean, off when absent (filters saved before it), anything else refused', () => {
  const setFilter = (filter: unknown) => parseWebviewMessage({ type: 'setFilter', requestId: 1, filter, from: null });
  assert.deepEqual(setFilter({ ...EMPTY_FILTER, truncatedOnly: true }), {
    type: 'setFilter',
    requestId: 1,
    filter: { ...EMPTY_FILTER, truncatedOnly: true },
    from: null,
  });
  const { truncatedOnly: _absent, ...older } = EMPTY_FILTER;
  assert.deepEqual(setFilter(older), { type: 'setFilter', requestId: 1, filter: EMPTY_FILTER, from: null });
  assert.equal(setFilter({ ...EMPTY_FILTER, truncatedOnly: 'yes' }), undefined);
});

test('host messages the webview would render are checked deeply; commands only from the known set', () => {
  assert.deepEqual(parseHostMessage({ type: 'command', command: 'focusItem', index: 3 }), { type: 'command', command: 'focusItem', index: 3 });
  assert.equal(parseHostMessage({ type: 'command', command: 'focusItem', index: 10 }), undefined);
  assert.equal(parseHostMessage({ type: 'command', command: 'eval', index: null }), undefined);
  assert.equal(parseHostMessage({ type: 'notice', message: 42 }), undefined);
  const show = {
    type: 'show',
    requestId: null,
    mistake: null,
    position: { index: -1, matching: 0 },
    progress: { settled: 0, total: 0 },
    filter: EMPTY_FILTER,
    teachers: [],
    links: { previous: null, next: null, nextUndecided: null },
    neighbours: [],
    focusOutputId: null,
    blind: false,
    order: 'threshold',
  };
  assert.deepEqual(parseHostMessage(show), show);
  assert.equal(parseHostMessage({ ...show, links: { previous: 0, next: null, nextUndecided: null } }), undefined);
  assert.equal(parseHostMessage({ ...show, neighbours: [{ problemId: 1 }] }), undefined);
});

test('the panel page: a fresh nonce per render, a CSP with nothing remote, no inline code, attributes escaped', () => {
  const a = newNonce();
  const b = newNonce();
  assert.notEqual(a, b);
  assert.equal(Buffer.from(a, 'base64').length, 16);
  assert.equal(
    contentSecurityPolicy('https://x.vscode-cdn.net', a),
    `default-src 'none'; script-src 'nonce-${a}'; style-src https://x.vscode-cdn.net 'nonce-${a}'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net`,
  );
  const html = webviewHtml(
    { cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x/a.js?"onload="bad', styleUri: 'https://x/a.css', nonce: a },
    CURATION_PAGE,
  );
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, new RegExp(`<script nonce="${a.replace(/[+/=]/g, (c) => `\\${c}`)}" src="https://x/a\\.js\\?&quot;onload=&quot;bad"></script>`));
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|https?:\/\/(?!x)/);
});
