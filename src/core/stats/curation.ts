import type { CuratedKind } from '../model.ts';
import type { Db } from '../store/db.ts';
import { listEvents } from '../store/events.ts';
import { problemBundles } from '../export/bundles.ts';
import type { ExportCounts, ExportOptions } from '../export/export.ts';
import { emptyCounts, tally } from '../export/export.ts';
import { humanDecision, selectBundle, selectionOptions } from '../export/select.ts';
import type { Agreement } from './agreement.ts';
import { agreement } from './agreement.ts';
import type { CurationTiming, DecisionRecord, DecisionTelemetry } from './timing.ts';
import { DEFAULT_IDLE_CUTOFF_MS, curationTiming, decisionTelemetry } from './timing.ts';
import { ACTIVE_DECISIONS } from '../store/events.ts';
import { editSize } from '../curation/editSize.ts';
import type { TeamAgreement } from '../team/agreement.ts';
import { teamAgreement } from '../team/agreement.ts';
import { hasTeamData } from '../team/teamStore.ts';

/** What curation did, per teacher: what it produced, what the committee and the human made of it, what it cost. */
export interface TeacherStats {
  teacher: string;
  outputs: number;
  critiques: number;
  rationales: number;
  /** Accepted by the peer rule (the paper's: mean of valid scores > 3). */
  peerAccepted: number;
  /** Accepted by a human as written. */
  humanAccepted: number;
  /** Accepted by a human after an edit. */
  edited: number;
  rejected: number;
  undecided: number;
  /** Mean of the valid peer scores its outputs received; null without any. */
  meanPeerScore: number | null;
  /** Its outputs cut at the token limit (their call's finish reason was length / max_tokens). */
  truncated: number;
  /** Calls attributed to it (its own outputs and the reviews it wrote), with their tokens and cost. */
  calls: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface ReviewerStats {
  reviewer: string;
  /** Human-decided outputs it gave a valid score. */
  scored: number;
  /** Its reviews whose score could not be parsed. */
  unparseable: number;
  /** Its verdict (score > threshold) against the human's. */
  agreement: Agreement;
}

export interface ConsistencyStats {
  /** Rationale examples in the export under the given options. */
  exportedRationales: number;
  /** Of those, answer-inconsistent (only with keepInconsistent). */
  exportedInconsistent: number;
  /** Accepted rationales left out because their answer differs from gold. */
  excludedInconsistent: number;
  /** Share of the accepted rationales (exported or excluded for their answer) whose answer matches gold. */
  consistentShare: number | null;
}

export interface CurationStats {
  rule: { aggregation: string; threshold: number };
  totals: { outputs: number; decided: number; humanAccepted: number; edited: number; rejected: number; undecided: number; peerAccepted: number };
  teachers: TeacherStats[];
  /** Human verdict (accepted or edited = accept) against the peer verdict, over decided outputs with at least one review. */
  humanVsPeer: Agreement & {
    byKind: Record<'critique' | 'rationale', Agreement>;
    /** Split by whether the peer verdict was on screen at the decision: blind mode, shown, or not recorded (bulk, CLI, older events). */
    byVisibility: Record<'blind' | 'shown' | 'unrecorded', Agreement>;
  };
  reviewers: ReviewerStats[];
  export: { counts: ExportCounts; consistency: ConsistencyStats };
  time: CurationTiming;
  /** Per decision: seconds from first display, decisions per hour, edit sizes; per teacher and per curator. */
  telemetry: DecisionTelemetry;
  /** The student's exam calls (purpose 'exam'): the student's, never a teacher's. */
  studentCalls: CallTotals;
  /** Calls nobody is named for. */
  unattributedCalls: CallTotals;
  /** Agreement between the team's curators (synced decision files); null when no team decisions were synced. */
  team: TeamAgreement | null;
}

export interface StatsOptions {
  /** Export options the consistency figures describe (the selection rule comes from here too). */
  export?: ExportOptions;
  idleCutoffMs?: number;
}

export interface CallTotals {
  calls: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

interface Accumulator extends TeacherStats {
  scoreSum: number;
  scoreCount: number;
}

function newTeacher(teacher: string): Accumulator {
  return {
    teacher,
    outputs: 0,
    critiques: 0,
    rationales: 0,
    peerAccepted: 0,
    humanAccepted: 0,
    edited: 0,
    rejected: 0,
    undecided: 0,
    meanPeerScore: null,
    truncated: 0,
    calls: 0,
    tokensIn: 0,
    tokensOut: 0,
    cost: 0,
    scoreSum: 0,
    scoreCount: 0,
  };
}

/** The curation statistics of a project, in one pass over its outputs plus one over its calls and events. */
export function curationStats(db: Db, options: StatsOptions = {}): CurationStats {
  const selection = selectionOptions(options.export);
  const { threshold } = selection.rule;
  const teachers = new Map<string, Accumulator>();
  const teacher = (name: string): Accumulator => {
    let acc = teachers.get(name);
    if (!acc) teachers.set(name, (acc = newTeacher(name)));
    return acc;
  };
  const humanPeer: [boolean, boolean][] = [];
  const humanPeerByKind: Record<'critique' | 'rationale', [boolean, boolean][]> = { critique: [], rationale: [] };
  const reviewerPairs = new Map<string, { pairs: [boolean, boolean][]; unparseable: number }>();
  const reviewer = (name: string) => {
    let r = reviewerPairs.get(name);
    if (!r) reviewerPairs.set(name, (r = { pairs: [], unparseable: 0 }));
    return r;
  };
  const counts = emptyCounts();
  const visibility = verdictVisibility(db);
  const humanPeerByVisibility: Record<'blind' | 'shown' | 'unrecorded', [boolean, boolean][]> = { blind: [], shown: [], unrecorded: [] };

  for (const bundle of problemBundles(db, { rule: selection.rule })) {
    tally(counts, selectBundle(bundle, selection));
    for (const curated of bundle.outputs) {
      const acc = teacher(curated.output.teacher);
      acc.outputs++;
      if (curated.output.truncated) acc.truncated++;
      if (curated.output.kind === 'critique') acc.critiques++;
      else acc.rationales++;
      if (curated.verdict.accepted) acc.peerAccepted++;
      const human = humanDecision(curated);
      if (human === 'accepted') acc.humanAccepted++;
      else if (human === 'edited') acc.edited++;
      else if (human === 'rejected') acc.rejected++;
      else acc.undecided++;
      for (const review of curated.reviews) {
        if (review.score !== null) {
          acc.scoreSum += review.score;
          acc.scoreCount++;
        }
        if (human !== 'undecided') {
          if (review.score === null) reviewer(review.reviewer).unparseable++;
          else reviewer(review.reviewer).pairs.push([human !== 'rejected', review.score > threshold]);
        } else if (review.score === null) reviewer(review.reviewer).unparseable++;
      }
      if (human !== 'undecided' && curated.reviews.length > 0) {
        const pair: [boolean, boolean] = [human !== 'rejected', curated.verdict.accepted];
        humanPeer.push(pair);
        humanPeerByKind[curated.output.kind as CuratedKind].push(pair);
        const shown = visibility.get(curated.output.id);
        humanPeerByVisibility[shown === undefined || shown === null ? 'unrecorded' : shown ? 'shown' : 'blind'].push(pair);
      }
    }
  }

  const { student, unattributed } = addCallCosts(db, teacher);
  const teacherList = [...teachers.values()]
    .sort((a, b) => (a.teacher < b.teacher ? -1 : a.teacher > b.teacher ? 1 : 0))
    .map(({ scoreSum, scoreCount, ...stats }) => ({ ...stats, meanPeerScore: scoreCount > 0 ? scoreSum / scoreCount : null }));
  const totals = teacherList.reduce(
    (t, s) => ({
      outputs: t.outputs + s.outputs,
      decided: t.decided + s.humanAccepted + s.edited + s.rejected,
      humanAccepted: t.humanAccepted + s.humanAccepted,
      edited: t.edited + s.edited,
      rejected: t.rejected + s.rejected,
      undecided: t.undecided + s.undecided,
      peerAccepted: t.peerAccepted + s.peerAccepted,
    }),
    { outputs: 0, decided: 0, humanAccepted: 0, edited: 0, rejected: 0, undecided: 0, peerAccepted: 0 },
  );
  const consideredRationales = counts.rationaleExamples + counts.excludedInconsistent;
  return {
    rule: { aggregation: selection.rule.aggregation, threshold },
    totals,
    teachers: teacherList,
    humanVsPeer: {
      ...agreement(humanPeer),
      byKind: { critique: agreement(humanPeerByKind.critique), rationale: agreement(humanPeerByKind.rationale) },
      byVisibility: {
        blind: agreement(humanPeerByVisibility.blind),
        shown: agreement(humanPeerByVisibility.shown),
        unrecorded: agreement(humanPeerByVisibility.unrecorded),
      },
    },
    reviewers: [...reviewerPairs]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, r]) => ({ reviewer: name, scored: r.pairs.length, unparseable: r.unparseable, agreement: agreement(r.pairs) })),
    export: {
      counts,
      consistency: {
        exportedRationales: counts.rationaleExamples,
        exportedInconsistent: counts.keptInconsistent,
        excludedInconsistent: counts.excludedInconsistent,
        consistentShare:
          consideredRationales > 0 ? (consideredRationales - counts.excludedInconsistent - counts.keptInconsistent) / consideredRationales : null,
      },
    },
    time: curationTiming(listEvents(db), options.idleCutoffMs ?? DEFAULT_IDLE_CUTOFF_MS),
    telemetry: decisionTelemetry(decisionRecords(db), options.idleCutoffMs ?? DEFAULT_IDLE_CUTOFF_MS),
    studentCalls: student,
    unattributedCalls: unattributed,
    team: hasTeamData(db) ? teamAgreement(db) : null,
  };
}

/** For each output with a decision in force: whether its peer verdict was on screen then (null: not recorded). */
function verdictVisibility(db: Db): Map<number, boolean | null> {
  const rows = db.prepare(`${ACTIVE_DECISIONS} ORDER BY e.id`).all() as { output_id: number; verdict_shown: number | null }[];
  const shown = new Map<number, boolean | null>();
  for (const row of rows) shown.set(row.output_id, row.verdict_shown === null ? null : row.verdict_shown === 1);
  return shown;
}

/** Every decision ever taken (undone ones too: their time was spent), with its teacher and, for edits, the edit's size. */
function decisionRecords(db: Db): DecisionRecord[] {
  const rows = db
    .prepare(
      `SELECT e.curator, e.action, e.text, e.decision_ms, o.teacher, o.text AS original
      FROM curation_events e JOIN teacher_outputs o ON o.id = e.output_id WHERE e.action <> 'undo' ORDER BY e.id`,
    )
    .all() as { curator: string; action: 'accept' | 'reject' | 'edit'; text: string | null; decision_ms: number | null; teacher: string; original: string }[];
  return rows.map((row) => {
    const size = row.action === 'edit' && row.text !== null ? editSize(row.original, row.text) : null;
    return {
      curator: row.curator,
      teacher: row.teacher,
      action: row.action,
      decisionMs: row.decision_ms,
      edit: size ? { charsChanged: size.charsChanged, wordsChanged: size.wordsChanged, wordShare: size.wordShare } : null,
    };
  });
}

/**
 * Attributes every call to one owner: the student for exam calls; else the teacher the ledger
 * names, else the teacher of the output it produced, else the reviewer of the review it
 * produced. Each call counts once.
 */
function addCallCosts(db: Db, teacher: (name: string) => Accumulator): { student: CallTotals; unattributed: CallTotals } {
  // Summed in SQL, one row per owner; COALESCE stops at the first non-null, so the lookups run
  // only for calls the ledger did not name a teacher for.
  const rows = db
    .prepare(
      `SELECT COALESCE(c.teacher,
          (SELECT o.teacher FROM teacher_outputs o WHERE o.call_id = c.id LIMIT 1),
          (SELECT r.reviewer FROM peer_reviews r WHERE r.call_id = c.id LIMIT 1)) AS name,
        c.purpose IS 'exam' AS student,
        COUNT(*) AS calls, COALESCE(SUM(c.tokens_in), 0) AS tokensIn, COALESCE(SUM(c.tokens_out), 0) AS tokensOut, COALESCE(SUM(c.cost), 0) AS cost
      FROM calls c GROUP BY name, student`,
    )
    .all() as { name: string | null; student: number; calls: number; tokensIn: number; tokensOut: number; cost: number }[];
  const unattributed = { calls: 0, tokensIn: 0, tokensOut: 0, cost: 0 };
  const student = { calls: 0, tokensIn: 0, tokensOut: 0, cost: 0 };
  for (const row of rows) {
    const target = row.student === 1 ? student : row.name === null ? unattributed : teacher(row.name);
    target.calls += row.calls;
    target.tokensIn += row.tokensIn;
    target.tokensOut += row.tokensOut;
    target.cost += row.cost;
  }
  return { student, unattributed };
}
