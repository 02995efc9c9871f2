import * as vscode from 'vscode';
import { describeError } from '../../core/errors.ts';
import type { Db } from '../../core/store/db.ts';
import type { GroupCounts, ProblemGroup, ProblemRowSummary } from '../../core/store/problemTree.ts';
import {
  PROBLEM_GROUPS,
  groupCountBetween,
  groupCounts,
  groupPageFrom,
  groupsVersion,
  pageStarts,
  problemGroup,
  problemQuestion,
} from '../../core/store/problemTree.ts';
import { lowerBound } from '../../core/curation/sortedIds.ts';
import type { MistakeProgress } from '../../core/curation/progress.ts';
import { mistakeProgress, progressMark } from '../../core/curation/progress.ts';
import type { Services } from '../services.ts';

/**
 * The Problems view: Mistakes / Correct / Unanswered, each listing its problems. A group larger
 * than a page is split into ranges of PAGE_SIZE, built only when expanded; each range knows its
 * first problem id and reads its page from there (keyset, no OFFSET), so a 1M-problem project
 * costs a few indexed queries. Every node has a stable id, so expansion and selection
 * survive a refresh and TreeView.reveal finds a problem by id.
 */
export type ProblemNode =
  | { kind: 'group'; id: string; group: ProblemGroup; count: number }
  /** first: the id of the range's first problem (its page is read from there). */
  | { kind: 'range'; id: string; group: ProblemGroup; start: number; end: number; first: number }
  /** progress: for a mistake, where its curation stands (README, Glossary); undefined in the other groups. */
  | { kind: 'problem'; id: string; group: ProblemGroup; row: ProblemRowSummary; progress: MistakeProgress | undefined }
  | { kind: 'message'; id: string; text: string; detail: string };

export const PAGE_SIZE = 500;

const GROUP_TITLES: Record<ProblemGroup, string> = { mistakes: 'Mistakes', correct: 'Correct', unanswered: 'Unanswered' };
const GROUP_ICONS: Record<ProblemGroup, vscode.ThemeIcon> = {
  mistakes: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  correct: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  unanswered: new vscode.ThemeIcon('circle-outline'),
};

export interface ProblemTreeProvider extends vscode.TreeDataProvider<ProblemNode> {
  getParent(node: ProblemNode): ProblemNode | undefined;
  /** Drops cached nodes and counts, so the next read sees the database as it is now. */
  invalidate(): void;
  /** Invalidates and tells the view to ask again. */
  refresh(): void;
  /** The node of a problem, for reveal; undefined when it is not in the project. */
  nodeFor(problemId: number): ProblemNode | undefined;
  /** The counts behind the top nodes, from the last read. */
  counts(): GroupCounts | undefined;
  dispose(): void;
}

export function groupLabel(group: ProblemGroup, count: number): string {
  return `${GROUP_TITLES[group]} (${count.toLocaleString('en-US')})`;
}

/**
 * A row's label: what fits in any sidebar, since the tree cuts a row at the view's edge — the id,
 * the answers and, for a mistake, its curation mark ("chal-636: 19 ≠ 186 · 3 of 6 decided").
 * The question follows as the description, as much of it as the view is wide (the tooltip has it all).
 */
export function problemLabel(group: ProblemGroup, row: ProblemRowSummary, progress?: MistakeProgress): string {
  const id = `${row.sourceId}: `;
  if (group === 'unanswered') return `${id}gold ${row.goldAnswer}`;
  const answer = row.studentAnswer ?? 'no answer';
  if (group !== 'mistakes') return `${id}${answer} ✓`;
  const mark = progressMark(progress);
  return `${id}${answer} ≠ ${row.goldAnswer}${mark ? ` · ${mark}` : ''}`;
}

const SETTLED_ICON = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
const STARTED_ICON = new vscode.ThemeIcon('circle-large-filled', new vscode.ThemeColor('descriptionForeground'));
const OPEN_ICON = new vscode.ThemeIcon('circle-large-outline');

export function createProblemTreeProvider(services: Services): ProblemTreeProvider {
  const changed = new vscode.EventEmitter<ProblemNode | undefined>();
  let nodes = new Map<string, ProblemNode>();
  let cachedCounts: GroupCounts | undefined;
  /**
   * Per group, the first problem id of each range (one index-only pass when the group is
   * expanded), kept across refreshes while the groups' version holds: a decision redraws the
   * view but changes no group, so it costs no pass.
   */
  let rangeStarts = new Map<ProblemGroup, number[]>();
  let rangeStartsVersion: string | undefined;
  let currentVersion: string | undefined;

  /** One object per node id, so the view and reveal see the same element. */
  const intern = <T extends ProblemNode>(node: T): T => {
    const known = nodes.get(node.id);
    if (known) return known as T;
    nodes.set(node.id, node);
    return node;
  };
  // An empty group has its own id: the view remembers expansion by id, and a group that fills
  // up should open as a new one would (Mistakes expanded), not stay as the empty one was.
  const groupNode = (group: ProblemGroup, count: number) =>
    intern({ kind: 'group', id: count === 0 ? `group:${group}:empty` : `group:${group}`, group, count });
  const starts = (db: Db, group: ProblemGroup): number[] => {
    currentVersion ??= `${services.student() ?? ''}:${groupsVersion(db)}`;
    if (currentVersion !== rangeStartsVersion) {
      rangeStarts = new Map();
      rangeStartsVersion = currentVersion;
    }
    let known = rangeStarts.get(group);
    if (!known) rangeStarts.set(group, (known = pageStarts(db, group, PAGE_SIZE, services.student())));
    return known;
  };
  /** The range holding position `start` of the group; undefined past the group's end (the data changed since the counts). */
  const rangeNode = (db: Db, group: ProblemGroup, start: number, count: number): ProblemNode | undefined => {
    const first = starts(db, group)[start / PAGE_SIZE];
    if (first === undefined) return undefined;
    return intern({ kind: 'range', id: `range:${group}:${start}`, group, start, end: Math.min(start + PAGE_SIZE, count), first });
  };
  const problemNode = (group: ProblemGroup, row: ProblemRowSummary, progress: MistakeProgress | undefined) =>
    intern({ kind: 'problem', id: `problem:${row.id}`, group, row, progress });
  /** Tree rows of a page; a mistake's row carries its curation progress (one query per page). */
  const problemNodes = (db: Db, group: ProblemGroup, rows: readonly ProblemRowSummary[]): ProblemNode[] => {
    const progress =
      group === 'mistakes'
        ? mistakeProgress(
            db,
            rows.map((r) => r.id),
            services.student(),
          )
        : undefined;
    return rows.map((row) => problemNode(group, row, progress?.get(row.id)));
  };

  const counts = (db: Db): GroupCounts => (cachedCounts ??= groupCounts(db, services.student()));

  const rootChildren = (): ProblemNode[] => {
    let db: Db | undefined;
    try {
      db = services.db();
    } catch (error) {
      services.log.error(`problems view: ${describeError(error)}`);
      return [intern({ kind: 'message', id: 'message:error', text: 'Cannot open the curation project', detail: describeError(error) })];
    }
    // No project, or one without problems: the view's welcome content takes over.
    if (!db) return [];
    const current = counts(db);
    if (current.mistakes + current.correct + current.unanswered === 0) return [];
    return PROBLEM_GROUPS.map((group) => groupNode(group, current[group]));
  };

  /** A problem's group and position, counted from the start of its range (at most a page of index entries), not of the group. */
  const placeOf = (db: Db, problemId: number): { group: ProblemGroup; index: number } | undefined => {
    const group = problemGroup(db, problemId, services.student());
    if (!group) return undefined;
    const known = starts(db, group);
    const range = Math.max(0, lowerBound(known, problemId + 1) - 1);
    return { group, index: range * PAGE_SIZE + groupCountBetween(db, group, known[range] ?? 0, problemId, services.student()) };
  };

  const page = (group: ProblemGroup, fromId: number, limit: number): ProblemNode[] => {
    const db = services.db();
    if (!db) return [];
    return problemNodes(db, group, groupPageFrom(db, group, fromId, limit, services.student()));
  };

  const provider: ProblemTreeProvider = {
    onDidChangeTreeData: changed.event,

    getChildren(node) {
      if (!node) return rootChildren();
      if (node.kind === 'group') {
        if (node.count <= PAGE_SIZE) return page(node.group, 0, node.count);
        const db = services.db();
        if (!db) return [];
        const ranges: ProblemNode[] = [];
        for (let start = 0; start < node.count; start += PAGE_SIZE) {
          const range = rangeNode(db, node.group, start, node.count);
          if (range) ranges.push(range);
        }
        return ranges;
      }
      if (node.kind === 'range') return page(node.group, node.first, node.end - node.start);
      return [];
    },

    getTreeItem(node) {
      switch (node.kind) {
        case 'group': {
          const state =
            node.count === 0
              ? vscode.TreeItemCollapsibleState.None
              : node.group === 'mistakes'
                ? vscode.TreeItemCollapsibleState.Expanded
                : vscode.TreeItemCollapsibleState.Collapsed;
          const item = new vscode.TreeItem(groupLabel(node.group, node.count), state);
          item.id = node.id;
          item.iconPath = GROUP_ICONS[node.group];
          item.contextValue = `mapd.group.${node.group}`;
          return item;
        }
        case 'range': {
          const item = new vscode.TreeItem(
            `${(node.start + 1).toLocaleString('en-US')}–${node.end.toLocaleString('en-US')}`,
            vscode.TreeItemCollapsibleState.Collapsed,
          );
          item.id = node.id;
          item.contextValue = 'mapd.range';
          return item;
        }
        case 'problem': {
          const item = new vscode.TreeItem(problemLabel(node.group, node.row, node.progress), vscode.TreeItemCollapsibleState.None);
          item.id = node.id;
          item.description = node.row.questionExcerpt;
          if (node.group === 'mistakes') item.iconPath = node.progress?.settled ? SETTLED_ICON : progressMark(node.progress) ? STARTED_ICON : OPEN_ICON;
          item.contextValue = 'mapd.problem';
          item.command = { command: 'mapd.openCuration', title: 'Open in Curation', arguments: [node.row.id] };
          return item;
        }
        case 'message': {
          const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
          item.id = node.id;
          item.description = node.detail;
          item.tooltip = node.detail;
          item.iconPath = new vscode.ThemeIcon('warning');
          item.command = { command: 'mapd.showLog', title: 'Show Log' };
          return item;
        }
      }
    },

    // The full question is read only when a tooltip is about to show; dataset text is plain text here.
    resolveTreeItem(item, node) {
      if (node.kind !== 'problem' || item.tooltip !== undefined) return item;
      const db = services.db();
      const full = db && problemQuestion(db, node.row.id);
      if (!full) return item;
      const { row } = node;
      const answer = row.answered ? (row.studentAnswer ?? 'no answer extracted') : 'not answered yet';
      const parts = [`${row.task}/${row.split} · ${row.sourceId}`, ''];
      if (full.context) parts.push(full.context, '');
      parts.push(full.question, '', `Gold: ${row.goldAnswer}`, `Student: ${answer}`);
      if (node.group === 'mistakes') {
        const p = node.progress;
        parts.push(`Curation: ${p?.settled ? 'settled' : 'not settled'}, ${p?.decidedOutputs ?? 0} of ${p?.outputs ?? 0} outputs decided`);
      }
      item.tooltip = parts.join('\n');
      return item;
    },

    getParent(node) {
      if (node.kind === 'group' || node.kind === 'message') return undefined;
      const db = services.db();
      if (!db) return undefined;
      const count = counts(db)[node.group];
      const group = groupNode(node.group, count);
      if (node.kind === 'range' || count <= PAGE_SIZE) return group;
      const place = placeOf(db, node.row.id);
      if (!place) return group;
      return rangeNode(db, node.group, Math.floor(place.index / PAGE_SIZE) * PAGE_SIZE, count) ?? group;
    },

    invalidate() {
      nodes = new Map();
      cachedCounts = undefined;
      currentVersion = undefined;
    },

    refresh() {
      provider.invalidate();
      changed.fire(undefined);
    },

    nodeFor(problemId) {
      const known = nodes.get(`problem:${problemId}`);
      if (known) return known;
      const db = services.db();
      const place = db && placeOf(db, problemId);
      if (!db || !place) return undefined;
      return problemNodes(db, place.group, groupPageFrom(db, place.group, problemId, 1, services.student()))[0];
    },

    counts: () => cachedCounts,
    dispose: () => changed.dispose(),
  };
  return provider;
}
