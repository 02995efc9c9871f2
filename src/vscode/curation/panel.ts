import * as vscode from 'vscode';
import type { Services } from '../services.ts';
import type { HostMessage, MistakeOrder, PanelCommand } from '../../protocol/curation.ts';
import { CURATION_VIEW_TYPE, MISTAKE_ORDERS } from '../../protocol/curation.ts';
import { describeError } from '../../core/errors.ts';
import type { CurationSession } from './session.ts';
import { createCurationSession } from './session.ts';
import { fillOrderKeysInWorker } from '../../core/curation/orderFill.ts';
import { hostWebview } from '../webviewHost.ts';
import { CURATION_PAGE } from '../webviewHtml.ts';

/**
 * How often a visible panel asks SQLite whether another connection wrote (PRAGMA data_version: one
 * cheap read): writes from the CLI, an import or a second window show within a second.
 */
const POLL_MS = 500;

/** Set while the edit box or a filter field has focus, so the single-key bindings stand aside. */
const EDITING_CONTEXT = 'mapd.curation.editing';

/** Where the queue's order is kept (workspaceState). */
const ORDER_KEY = 'mapd.curation.order';
const parseOrder = (value: unknown): MistakeOrder => ((MISTAKE_ORDERS as readonly unknown[]).includes(value) ? (value as MistakeOrder) : 'problem');

/** Commands that relay a key to the panel; package.json binds each to its key. */
export const RELAYED_COMMANDS: readonly [string, PanelCommand][] = [
  ['mapd.curation.accept', 'accept'],
  ['mapd.curation.reject', 'reject'],
  ['mapd.curation.edit', 'edit'],
  ['mapd.curation.undo', 'undo'],
  ['mapd.curation.next', 'next'],
  ['mapd.curation.previous', 'previous'],
  ['mapd.curation.nextUndecided', 'nextUndecided'],
  ['mapd.curation.toggleReviews', 'toggleReviews'],
  ['mapd.curation.toggleSource', 'toggleSource'],
  ['mapd.curation.toggleBlind', 'toggleBlind'],
  ['mapd.curation.nextOrder', 'nextOrder'],
  ['mapd.curation.previousOrder', 'previousOrder'],
  ['mapd.curation.search', 'search'],
  ['mapd.curation.bulkAccept', 'bulkAccept'],
];

interface OpenPanel {
  panel: vscode.WebviewPanel;
  session: CurationSession | undefined;
  /** Creates the session once the project exists (the panel may open before it does). */
  start(): CurationSession | undefined;
}

function problemIdArg(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'object' && value !== null && 'id' in value) return problemIdArg((value as { id: unknown }).id);
  return undefined;
}

function itemIndexArg(value: unknown): number | undefined {
  const raw = typeof value === 'object' && value !== null && 'index' in value ? (value as { index: unknown }).index : value;
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 1 && raw <= 9 ? raw : undefined;
}

/**
 * The "MAPD Curation" webview panel: one per window. The webview renders; the session (session.ts,
 * no vscode) validates every message and writes every decision to the store before it answers.
 * Keys reach the panel as VS Code keybindings whose commands this file posts to the webview
 * (the key path: src/protocol/curation.ts, header).
 */
export function registerCurationPanel(services: Services): vscode.Disposable[] {
  const { context } = services;
  let open: OpenPanel | undefined;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;

  const setEditing = (active: boolean): void => {
    void vscode.commands.executeCommand('setContext', EDITING_CONTEXT, active);
  };

  const attach = (panel: vscode.WebviewPanel, initialProblem: number | null): void => {
    hostWebview(panel, context.extensionUri, CURATION_PAGE);
    const entry: OpenPanel = { panel, session: undefined, start: () => sessionFor() };
    open = entry;

    const sessionFor = (): CurationSession | undefined => {
      if (entry.session) return entry.session;
      let db;
      try {
        db = services.db();
      } catch (error) {
        void panel.webview.postMessage({ type: 'error', requestId: null, message: describeError(error) });
        return undefined;
      }
      if (!db) {
        void panel.webview.postMessage({
          type: 'error',
          requestId: null,
          message: 'No curation project in this workspace. Run "MAPD: New Curation Project", then import problems, answers and teacher outputs.',
        });
        return undefined;
      }
      entry.session = createCurationSession(db, {
        curator: () => services.curator(),
        student: () => services.student(),
        blind: () => vscode.workspace.getConfiguration('mapd.curation').get<boolean>('blind') === true,
        dbFile: () => services.dbPath(),
        // The queue's order survives a reload: kept per workspace (an unknown value, e.g. from a newer version, is problem order).
        order: () => parseOrder(services.context.workspaceState.get<unknown>(ORDER_KEY)),
        // A large fill of the order keys (a migrated or freshly imported project) runs in a worker on the project's file.
        fillOrderKeys: (hooks) => {
          const file = services.dbPath();
          return file === undefined ? Promise.reject(new Error('the project has no database file')) : fillOrderKeysInWorker(file, hooks);
        },
        hooks: {
          post: (message) => void panel.webview.postMessage(message),
          // The toolbar toggle and key b keep the setting, so blind mode survives a reload (workspace when one is open).
          onBlind: (blind) =>
            void vscode.workspace
              .getConfiguration('mapd.curation')
              .update('blind', blind, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global),
          onOrder: (order) => void services.context.workspaceState.update(ORDER_KEY, order),
          onShow: (problemId) => {
            if (problemId !== null) services.selectProblem(problemId, 'panel');
          },
          onWrite: () => services.dataChanged('panel'),
          onEditing: setEditing,
          onChooseStudent: (student) => services.setStudent(student),
          log: (message) => services.log.warn(message),
        },
      });
      entry.session.start(initialProblem);
      return entry.session;
    };

    const poll = setInterval(() => {
      if (!panel.visible || !entry.session) return;
      if (entry.session.poll()) services.dataChanged('panel');
    }, POLL_MS);
    const subscriptions: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((raw: unknown) => sessionFor()?.handle(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.active) setEditing(false);
      }),
    ];
    panel.onDidDispose(() => {
      clearInterval(poll);
      entry.session?.dispose();
      for (const s of subscriptions) s.dispose();
      setEditing(false);
      if (open === entry) open = undefined;
    });
  };

  /** A key's command goes straight to the webview, which decides what it means there (step 3 of the key path). */
  const relay = (command: PanelCommand, index: number | null): void => {
    if (!open?.session) return;
    const message: HostMessage = { type: 'command', command, index };
    void open.panel.webview.postMessage(message);
  };

  const openPanel = (problemId?: number): void => {
    if (open) {
      open.panel.reveal(undefined, false);
      if (problemId !== undefined) open.session?.show(problemId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(CURATION_VIEW_TYPE, 'MAPD Curation', vscode.ViewColumn.Active, { retainContextWhenHidden: false });
    attach(panel, problemId ?? null);
  };

  /**
   * A chat agent's suggestion (src/vscode/tools/): the panel opens on the mistake with the item
   * focused and the suggestion as a notice; only the curator's own key decides.
   */
  const suggest = async (arg: unknown): Promise<boolean> => {
    const s = arg as { problemId?: unknown; outputId?: unknown; message?: unknown } | undefined;
    if (!s || typeof s.problemId !== 'number' || typeof s.outputId !== 'number' || typeof s.message !== 'string') return false;
    const wasOpen = open !== undefined;
    openPanel(s.problemId);
    const session = open?.start();
    if (!session) return false;
    if (wasOpen) session.show(s.problemId, s.outputId);
    session.notice(s.message);
    return true;
  };

  return [
    vscode.commands.registerCommand('mapd.openCuration', (arg?: unknown) => openPanel(problemIdArg(arg))),
    vscode.commands.registerCommand('mapd.curation.showSuggestion', suggest),
    ...RELAYED_COMMANDS.map(([id, command]) => vscode.commands.registerCommand(id, () => relay(command, null))),
    vscode.commands.registerCommand('mapd.curation.focusItem', (arg?: unknown) => {
      const index = itemIndexArg(arg);
      if (index !== undefined) relay('focusItem', index);
    }),
    vscode.window.registerWebviewPanelSerializer(CURATION_VIEW_TYPE, {
      // The webview's saved state (where the user was) comes back with its ready message.
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => attach(panel, null),
    }),
    services.onDidSelectProblem(({ problemId, origin }) => {
      if (origin !== 'panel' && problemId !== undefined && open?.session && open.session.currentProblem() !== problemId) open.session.show(problemId);
    }),
    services.onDidChangeStudent(() => open?.session?.reload()),
    services.onDidChangeData(({ origin }) => {
      // The panel's own writes are already in its index.
      if (origin === 'panel' || !open) return;
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => {
        if (!open) return;
        // A panel opened before the project existed starts once it does.
        if (open.session) open.session.reload();
        else open.start()?.show(null);
      }, 150);
    }),
    { dispose: () => clearTimeout(reloadTimer) },
  ];
}
