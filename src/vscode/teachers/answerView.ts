import * as vscode from 'vscode';

/**
 * Teacher answers shown as read-only documents (a virtual scheme, so the editor offers no save
 * and the text is never written anywhere by accident).
 */
export const ANSWER_SCHEME = 'mapd-answer';

export function registerAnswerView(): { disposable: vscode.Disposable; show(title: string, text: string): Promise<vscode.TextDocument> } {
  const answers = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let counter = 0;
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => answers.get(uri.path) ?? '' };
  const registration = vscode.workspace.registerTextDocumentContentProvider(ANSWER_SCHEME, provider);
  return {
    disposable: vscode.Disposable.from(registration, changed),
    async show(title, text) {
      counter++;
      const name = `/${counter} ${title.replace(/[\\/:*?"<>|]/g, '-')}.md`;
      answers.set(name, text);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: ANSWER_SCHEME, path: name }));
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      return doc;
    },
  };
}
