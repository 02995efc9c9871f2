import type { Db } from '../store/db.ts';
import { curationStats } from '../stats/curation.ts';
import { mistakeIdBySourceId, widestDisagreementFirst } from './agentSql.ts';
import type { MistakeSummary } from './mistakeIndex.ts';
import { loadMistake } from './mistakeIndex.ts';
import { matchingIds } from './mistakeQueries.ts';
import { summaryView } from './mistakeView.ts';
import type { MistakeFilter, MistakeView, StatusFilter } from './view.ts';
import { EMPTY_FILTER, STATUS_FILTERS } from './view.ts';

/**
 * What a chat agent may read of a project, as plain data (the language model tools in
 * src/vscode/tools/ turn it into JSON text). Read-only: nothing here writes. Model and dataset
 * text is passed as data inside JSON strings, never as instructions.
 */

/** The mistake as the panel shows it, with the figures an agent needs to reason about it. */
export interface MistakeReport {
  problemId: number;
  sourceId: string;
  question: string;
  goldAnswer: string;
  student: { name: string; answer: string; extracted: string | null };
  settled: boolean;
  items: {
    outputId: number;
    kind: 'critique' | 'rationale';
    teacher: string;
    rank: number;
    peerScore: number | null;
    peerAccepted: boolean;
    reviewerSpread: number;
    decision: string;
    reachesGold: boolean | null;
    text: string;
    editedText: string | null;
  }[];
}

export function mistakeReport(view: MistakeView): MistakeReport {
  return {
    problemId: view.problemId,
    sourceId: view.sourceId,
    question: view.question,
    goldAnswer: view.goldAnswer,
    student: { name: view.student?.name ?? '', answer: view.student?.rawOutput ?? '', extracted: view.student?.extractedAnswer ?? null },
    settled: view.settled,
    items: [...view.critiques, ...view.rationales].map((i) => ({
      outputId: i.outputId,
      kind: i.kind,
      teacher: i.teacher,
      rank: i.rank,
      peerScore: i.verdict.score,
      peerAccepted: i.verdict.accepted,
      reviewerSpread: i.verdict.spread,
      decision: i.decision,
      reachesGold: (i.editedGrade ?? i.teacherGrade)?.reachesGold ?? null,
      text: i.text,
      editedText: i.editedText,
    })),
  };
}

/** One mistake by problem id or source id, for the chosen student (null: first wrong answers). */
export function findMistake(db: Db, student: string | null, ref: { problemId?: number; sourceId?: string }): MistakeReport | undefined {
  const id = ref.problemId ?? (ref.sourceId === undefined ? undefined : mistakeIdBySourceId(db, student, ref.sourceId));
  const summary = id === undefined ? undefined : loadMistake(db, id, student);
  return summary ? mistakeReport(summaryView(db, summary)) : undefined;
}

export interface MistakeQuery {
  status?: StatusFilter;
  teacher?: string;
  minScore?: number;
  maxScore?: number;
  /** Only mistakes with a rationale whose answer differs from gold. */
  mismatch?: boolean;
  text?: string;
  /** problem (the panel's order) or disagreement (reviewers' score spread, widest first). */
  order?: 'problem' | 'disagreement';
  limit?: number;
}

export interface MistakeListing {
  matching: number;
  shown: { problemId: number; sourceId: string; settled: boolean; maxSpread: number; items: number; undecided: number }[];
}

/**
 * Mistakes matching a filter, in an order, at most `limit` (default 20, at most 200): the panel's
 * query for the matching ids (mistakeQueries.ts), the order by disagreement in SQL, and only the
 * mistakes shown read in full.
 */
export function queryMistakes(db: Db, student: string | null, query: MistakeQuery): MistakeListing {
  const filter: MistakeFilter = {
    ...EMPTY_FILTER,
    status: query.status && STATUS_FILTERS.includes(query.status) ? query.status : 'all',
    teacher: query.teacher ?? null,
    scoreMin: query.minScore ?? null,
    scoreMax: query.maxScore ?? null,
    mismatchOnly: query.mismatch === true,
    search: query.text ?? '',
  };
  const ids = matchingIds(db, { student, filter });
  const limit = Math.min(200, Math.max(1, Math.floor(query.limit ?? 20)));
  const shownIds = query.order === 'disagreement' ? widestDisagreementFirst(db, student, ids, limit) : ids.slice(0, limit);
  const shown = shownIds.flatMap((id) => {
    const summary = loadMistake(db, id, student);
    return summary ? [listedMistake(summary)] : [];
  });
  return { matching: ids.length, shown };
}

/** A mistake as a listing shows it: its curation state and its widest reviewer disagreement. */
export function listedMistake(summary: MistakeSummary): MistakeListing['shown'][number] {
  const items = [...summary.critiques, ...summary.rationales];
  return {
    problemId: summary.problemId,
    sourceId: summary.problem.sourceId,
    settled: summary.settled,
    maxSpread: Math.max(0, ...items.map((i) => i.verdict.spread)),
    items: items.length,
    undecided: items.filter((i) => i.decision === 'undecided').length,
  };
}

/** The project's curation figures per teacher, and the human-vs-committee agreement. */
export function projectSummary(db: Db) {
  const stats = curationStats(db);
  return {
    totals: stats.totals,
    teachers: stats.teachers.map((t) => ({
      teacher: t.teacher,
      outputs: t.outputs,
      peerAccepted: t.peerAccepted,
      humanAccepted: t.humanAccepted,
      edited: t.edited,
      rejected: t.rejected,
      undecided: t.undecided,
      meanPeerScore: t.meanPeerScore,
      cost: t.cost,
    })),
    humanVsPeer: { items: stats.humanVsPeer.items, share: stats.humanVsPeer.share, kappa: stats.humanVsPeer.kappa },
  };
}
