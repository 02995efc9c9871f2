import * as vscode from 'vscode';
import { describeError } from '../../core/errors.ts';
import type { Services } from '../services.ts';
import type { ProblemNode, ProblemTreeProvider } from './problemTree.ts';
import { createProblemTreeProvider } from './problemTree.ts';

export const PROBLEMS_VIEW = 'mapd.problems';

/** What the view shows at the top, for the test hook and the integration suite. */
export interface TreeSnapshot {
  labels: string[];
  /** The first few problems of each top node (through its page ranges). */
  children: Record<string, { label: string; description: string; problemId: number | undefined }[]>;
  /** Problem ids selected in the view. */
  selected: number[];
  visible: boolean;
}

/**
 * The Problems view, its refresh on data changes, and the selection kept in sync with the
 * curation panel: choosing a problem here selects it everywhere (origin 'tree'); a problem
 * chosen elsewhere is revealed and selected here when the view is visible.
 */
export function registerProblemView(services: Services): {
  disposables: vscode.Disposable[];
  provider: ProblemTreeProvider;
  snapshot: (childLimit: number) => Promise<TreeSnapshot>;
} {
  const provider = createProblemTreeProvider(services);
  const view = vscode.window.createTreeView(PROBLEMS_VIEW, { treeDataProvider: provider, showCollapseAll: true });

  const updateDescription = (): void => {
    const counts = provider.counts();
    const total = counts ? counts.mistakes + counts.correct + counts.unanswered : 0;
    const student = services.student();
    view.description = total > 0 ? `${total.toLocaleString('en-US')} problems${student ? ` · ${student}'s answers` : ''}` : undefined;
  };
  // A burst of writes (an import, decisions by keyboard) redraws the view once; the cached
  // counts are dropped at once, so a read right after a write is never stale.
  let redraw: ReturnType<typeof setTimeout> | undefined;
  const refresh = (): void => {
    provider.invalidate();
    clearTimeout(redraw);
    redraw = setTimeout(() => {
      provider.refresh();
      // The counts are read lazily by the view; read them now so the description matches.
      void Promise.resolve(provider.getChildren()).then(updateDescription);
    }, 50);
  };

  const reveal = (problemId: number | undefined): void => {
    if (problemId === undefined || !view.visible) return;
    if (view.selection[0]?.kind === 'problem' && view.selection[0].row.id === problemId) return;
    try {
      const node = provider.nodeFor(problemId);
      if (!node) return;
      view
        .reveal(node, { select: true, focus: false, expand: false })
        .then(undefined, (error: unknown) => services.log.warn(`problems view: cannot reveal problem ${problemId}: ${describeError(error)}`));
    } catch (error) {
      services.log.warn(`problems view: cannot reveal problem ${problemId}: ${describeError(error)}`);
    }
  };

  const snapshot = async (childLimit: number): Promise<TreeSnapshot> => {
    const top = (await provider.getChildren()) ?? [];
    const labelOf = async (node: ProblemNode): Promise<TreeSnapshot['children'][string][number]> => {
      const item = await provider.getTreeItem(node);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      return { label, description: typeof item.description === 'string' ? item.description : '', problemId: node.kind === 'problem' ? node.row.id : undefined };
    };
    // The first problems under a node, through its page ranges.
    const firstProblems = async (node: ProblemNode, limit: number): Promise<ProblemNode[]> => {
      const found: ProblemNode[] = [];
      for (const child of (await provider.getChildren(node)) ?? []) {
        if (found.length >= limit) break;
        if (child.kind === 'range') found.push(...(await firstProblems(child, limit - found.length)));
        else found.push(child);
      }
      return found;
    };
    const labels: string[] = [];
    const children: TreeSnapshot['children'] = {};
    for (const node of top) {
      const { label } = await labelOf(node);
      labels.push(label);
      children[label] = await Promise.all((await firstProblems(node, childLimit)).map(labelOf));
    }
    const selected = view.selection.flatMap((node) => (node.kind === 'problem' ? [node.row.id] : []));
    return { labels, children, selected, visible: view.visible };
  };

  const disposables: vscode.Disposable[] = [
    view,
    provider,
    { dispose: () => clearTimeout(redraw) },
    services.onDidChangeData(refresh),
    services.onDidChangeStudent(refresh),
    vscode.workspace.onDidChangeWorkspaceFolders(refresh),
    view.onDidChangeSelection((event) => {
      const node = event.selection[0];
      if (node?.kind === 'problem') services.selectProblem(node.row.id, 'tree');
    }),
    services.onDidSelectProblem(({ problemId, origin }) => {
      if (origin !== 'tree') reveal(problemId);
    }),
    view.onDidChangeVisibility((event) => {
      if (event.visible) reveal(services.selectedProblem());
    }),
  ];
  refresh();
  return { disposables, provider, snapshot };
}
