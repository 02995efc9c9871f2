/**
 * The only way this webview builds DOM: elements with attributes and text children set through
 * textContent, so dataset and model text can never become markup.
 */
export type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** An element holding untrusted text, as text. */
export function textEl<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, attrs: Record<string, string | boolean | undefined> = {}): HTMLElementTagNameMap[K] {
  const node = el(tag, attrs);
  node.textContent = text;
  return node;
}

/** Elements whose keys belong to the user's typing, never to panel actions. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'button');
}
