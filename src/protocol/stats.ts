/**
 * The message protocol between the statistics panel's host and its webview. Plain TypeScript (no
 * vscode, no DOM), shared by both sides and the tests. The host validates every webview message
 * with parseStatsWebviewMessage; the webview validates every host message with parseStatsHostMessage.
 * Both return a fresh object of known fields only, or undefined for anything malformed.
 */
import type { CurationStats } from '../core/stats/curation.ts';
import type { StudentStats } from '../core/stats/students.ts';

export type { StudentStats } from '../core/stats/students.ts';

export const STATS_VIEW_TYPE = 'mapd.statistics';

/** What the panel draws: the curation statistics as the core computes them. */
export type StatsView = CurationStats;

export type StatsHostMessage =
  /** students: per student (round) and split, accuracy with its Wilson interval (issue: did curation help?). */
  | { type: 'stats'; stats: StatsView; students: StudentStats[]; project: string; at: string }
  | { type: 'empty'; message: string }
  | { type: 'error'; message: string };

export type StatsWebviewMessage = { type: 'ready' } | { type: 'refresh' } | { type: 'export' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export function parseStatsWebviewMessage(value: unknown): StatsWebviewMessage | undefined {
  if (!isObj(value)) return undefined;
  if (value.type === 'ready' || value.type === 'refresh' || value.type === 'export') return { type: value.type };
  return undefined;
}

function hasNumbers(value: unknown, fields: readonly string[], nullable: readonly string[] = []): value is Obj {
  return isObj(value) && fields.every((f) => isNum(value[f])) && nullable.every((f) => isNumOrNull(value[f]));
}

const AGREEMENT_NUMBERS = ['items', 'agreements', 'bothAccept', 'bothReject', 'firstOnlyAccepts', 'secondOnlyAccepts'];
const AGREEMENT_NULLABLE = ['share', 'kappa'];
const TEACHER_NUMBERS = [
  'outputs',
  'critiques',
  'rationales',
  'peerAccepted',
  'humanAccepted',
  'edited',
  'rejected',
  'undecided',
  'truncated',
  'calls',
  'tokensIn',
  'tokensOut',
  'cost',
];

const TELEMETRY_NUMBERS = ['decisions', 'timed', 'edits', 'rewrites'];
const TELEMETRY_NULLABLE = ['medianSeconds', 'decisionsPerHour', 'medianCharsChanged', 'medianWordsChanged', 'medianWordShare'];
const isTelemetryGroup = (value: unknown): boolean => hasNumbers(value, TELEMETRY_NUMBERS, TELEMETRY_NULLABLE) && isStr(value.name);

/** Checks the parts of the statistics the webview reads; the rest is passed through untouched. */
function isStatsView(value: unknown): value is StatsView {
  if (!isObj(value)) return false;
  const { totals, teachers, humanVsPeer, reviewers, time } = value;
  const exported = value.export;
  if (!hasNumbers(totals, ['outputs', 'decided', 'humanAccepted', 'edited', 'rejected', 'undecided', 'peerAccepted'])) return false;
  if (!Array.isArray(teachers) || !teachers.every((t) => hasNumbers(t, TEACHER_NUMBERS, ['meanPeerScore']) && isStr(t.teacher))) return false;
  if (!hasNumbers(humanVsPeer, AGREEMENT_NUMBERS, AGREEMENT_NULLABLE)) return false;
  if (
    !Array.isArray(reviewers) ||
    !reviewers.every(
      (r) => isObj(r) && isStr(r.reviewer) && isNum(r.scored) && isNum(r.unparseable) && hasNumbers(r.agreement, AGREEMENT_NUMBERS, AGREEMENT_NULLABLE),
    )
  )
    return false;
  if (!isObj(exported) || !hasNumbers(exported.consistency, ['exportedRationales', 'exportedInconsistent', 'excludedInconsistent'], ['consistentShare']))
    return false;
  if (!hasNumbers(exported.counts, ['rationaleExamples', 'feedbackExamples', 'mistakes', 'mistakesWithBoth'])) return false;
  if (!hasNumbers(time, ['idleCutoffSeconds', 'decisions', 'activeSeconds'], ['medianSeconds'])) return false;
  const curators = (time as Obj).curators;
  if (
    !Array.isArray(curators) ||
    !curators.every((c) => hasNumbers(c, ['decisions', 'gaps', 'breaks', 'activeSeconds'], ['medianSeconds']) && isStr(c.curator))
  )
    return false;
  const byVisibility = (humanVsPeer as Obj).byVisibility;
  if (!isObj(byVisibility) || !['blind', 'shown', 'unrecorded'].every((k) => hasNumbers(byVisibility[k], AGREEMENT_NUMBERS, AGREEMENT_NULLABLE))) return false;
  const telemetry = value.telemetry;
  if (!isObj(telemetry) || !isTelemetryGroup(telemetry.overall)) return false;
  if (![telemetry.byTeacher, telemetry.byCurator].every((groups) => Array.isArray(groups) && groups.every(isTelemetryGroup))) return false;
  return value.team === null || isTeamAgreement(value.team);
}

const isGroupAgreement = (value: unknown): boolean =>
  hasNumbers(value, ['items'], ['alpha']) &&
  Array.isArray(value.pairs) &&
  value.pairs.every(
    (p) => hasNumbers(p, ['items', 'agreements'], ['kappa']) && Array.isArray(p.curators) && p.curators.length === 2 && p.curators.every(isStr),
  );
const isGroups = (value: unknown): boolean => isObj(value) && Object.values(value).every(isGroupAgreement);

/** The team's agreement (null without synced team decisions). */
function isTeamAgreement(value: unknown): boolean {
  if (!hasNumbers(value, ['disagreements', 'adjudicated'])) return false;
  const decided = value.decided;
  return (
    Array.isArray(value.curators) &&
    value.curators.every(isStr) &&
    isObj(decided) &&
    Object.values(decided).every(isNum) &&
    isGroupAgreement(value.overall) &&
    isGroups(value.byTeacher) &&
    isGroups(value.byKind) &&
    (value.assignment === null ||
      (hasNumbers(value.assignment, ['overlap']) &&
        Array.isArray(value.assignment.curators) &&
        value.assignment.curators.every((c) => hasNumbers(c, ['assigned', 'decided']) && isStr(c.curator))))
  );
}

function isStudents(value: unknown): value is StudentStats[] {
  return (
    Array.isArray(value) &&
    value.every(
      (s) =>
        isObj(s) &&
        isStr(s.student) &&
        isNum(s.round) &&
        (s.trainedFrom === null || isStr(s.trainedFrom)) &&
        Array.isArray(s.splits) &&
        s.splits.every(
          (sp) =>
            hasNumbers(sp, ['answers', 'correct', 'accuracy', 'mistakes', 'mistakesWithDecisions']) &&
            isStr(sp.task) &&
            isStr(sp.split) &&
            (sp.interval === null || hasNumbers(sp.interval, ['low', 'high'])),
        ),
    )
  );
}

export function parseStatsHostMessage(value: unknown): StatsHostMessage | undefined {
  if (!isObj(value)) return undefined;
  switch (value.type) {
    case 'stats':
      return isStatsView(value.stats) && isStudents(value.students) && isStr(value.project) && isStr(value.at)
        ? { type: 'stats', stats: value.stats, students: value.students, project: value.project, at: value.at }
        : undefined;
    case 'empty':
    case 'error':
      return isStr(value.message) ? { type: value.type, message: value.message } : undefined;
    default:
      return undefined;
  }
}
