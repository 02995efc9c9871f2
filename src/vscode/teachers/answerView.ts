import * as vscode from 'vscode';

/**
 * Teacher answers shown as read-only documents (a virtual scheme, so the editor offers no save
 * and the text is never written anywhere by accident).
 */
export const ANSWER_SCHEME = 'mapd-answer';

/** An answer shown while it arrives: the document opens with the first text and grows with the rest. */
export interface LiveAnswer {
  update(textSoFar: string): void;
  /** The whole answer (or a cached one, shown at once); resolves with the document. */
  finish(text: string): Promise<vscode.TextDocument>;
}

export function registerAnswerView(): {
  disposable: vscode.Disposable;
  show(title: string, text: string): Promise<vscode.TextDocument>;
  live(title: string): LiveAnswer;
} {
  const answers = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let counter = 0;
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => answers.get(uri.path) ?? '' };
  const registration = vscode.workspace.registerTextDocumentContentProvider(ANSWER_SCHEME, provider);
  const open = async (name: string): Promise<vscode.TextDocument> => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: ANSWER_SCHEME, path: name }));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return doc;
  };
  const nameFor = (title: string): string => {
    counter++;
    return `/${counter} ${title.replace(/[\\/:*?"<>|]/g, '-')}.md`;
  };
  return {
    disposable: vscode.Disposable.from(registration, changed),
    async show(title, text) {
      const name = nameFor(title);
      answers.set(name, text);
      return open(name);
    },
    live(title) {
      const name = nameFor(title);
      const uri = vscode.Uri.from({ scheme: ANSWER_SCHEME, path: name });
      let opened: Promise<vscode.TextDocument> | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Redraws at most every 100 ms: a fast stream would otherwise re-render the editor per token.
      const redraw = (): void => {
        timer ??= setTimeout(() => {
          timer = undefined;
          changed.fire(uri);
        }, 100);
      };
      return {
        update(textSoFar) {
          answers.set(name, textSoFar);
          if (!opened) opened = open(name);
          else redraw();
        },
        async finish(text) {
          clearTimeout(timer);
          timer = undefined;
          answers.set(name, text);
          if (!opened) return open(name);
          changed.fire(uri);
          return opened;
        },
      };
    },
  };
}
