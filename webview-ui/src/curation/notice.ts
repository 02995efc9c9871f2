const NOTICE_MS = 5000;

export type Notify = (message: string, level?: 'info' | 'error') => void;

/** The panel's one message line: a status or an alert that hides itself after a few seconds. */
export function createNotice(element: HTMLElement): Notify {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (message, level = 'info') => {
    element.textContent = message;
    element.className = `notice ${level}`;
    element.setAttribute('role', level === 'error' ? 'alert' : 'status');
    element.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => (element.hidden = true), NOTICE_MS);
  };
}
