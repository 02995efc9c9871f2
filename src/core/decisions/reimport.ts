import { UserError, fileLine } from '../errors.ts';
import type { RecordPlace } from '../io/fields.ts';
import { requireObject, requireString } from '../io/fields.ts';
import { readJsonLines } from '../io/textFile.ts';
import type { Db } from '../store/db.ts';
import { nowIso } from '../store/db.ts';
import type { DecisionInput } from '../store/events.ts';
import { allCurationStates, recordBulkDecisions } from '../store/events.ts';
import { RECORD_FORMAT, RECORD_VERSION } from '../export/rows.ts';
import type { HumanDecision } from '../export/select.ts';
import type { OutputIdentity } from './identity.ts';
import { describeIdentity, resolveIdentity } from './identity.ts';

/** A record's decision, read back from a records file. */
interface ParsedRecord extends OutputIdentity {
  line: number;
  decision: HumanDecision;
  editedText: string | null;
  curator: string | null;
}

export interface ReimportIssue {
  line: number;
  message: string;
}

export interface ReimportResult {
  records: number;
  /** Decisions written (one event each, one batch: a single undo takes them all back). */
  applied: number;
  /** Records whose output already carries the same decision. */
  unchanged: number;
  /** Records without a human decision (exported because the committee accepted them): nothing to apply. */
  undecided: number;
  /** Records whose output is not in this project (or not uniquely): reported, never applied. */
  missing: ReimportIssue[];
  /** Records the event log cannot express without an undo (an edited output to plain accepted). */
  conflicts: ReimportIssue[];
  batch: string | null;
}

const DECISIONS: readonly HumanDecision[] = ['accepted', 'edited', 'rejected', 'undecided'];

function parseRecord(value: Record<string, unknown>, place: RecordPlace): ParsedRecord {
  const line = place.line ?? 0;
  if (value.format !== RECORD_FORMAT || value.version !== RECORD_VERSION) {
    throw new UserError(`not a curation record (expected "format": "${RECORD_FORMAT}", "version": ${RECORD_VERSION})`, {
      where: fileLine(place.file, line),
      next: 'Re-import a records file written by `mapd export --format records`',
    });
  }
  const provenance = requireObject(value, 'provenance', place);
  const problem = requireObject(provenance, 'problem', place);
  const output = requireObject(provenance, 'output', place);
  const human = requireObject(provenance, 'human', place);
  const student = provenance.student;
  const decision = requireString(human, 'decision', place) as HumanDecision;
  if (!DECISIONS.includes(decision))
    throw new UserError(`unknown decision "${decision}"`, {
      where: fileLine(place.file, line, 'provenance.human.decision'),
      next: `Use one of: ${DECISIONS.join(', ')}`,
    });
  const kind = requireString(output, 'kind', place);
  if (kind !== 'critique' && kind !== 'rationale')
    throw new UserError(`unknown output kind "${kind}"`, { where: fileLine(place.file, line, 'provenance.output.kind'), next: 'Use critique or rationale' });
  const sample = output.sample;
  if (typeof sample !== 'number' || !Number.isInteger(sample))
    throw new UserError('"sample" should be an integer', { where: fileLine(place.file, line, 'provenance.output.sample'), next: 'Fix the record' });
  const sourceId = problem.sourceId;
  const editedText = value.editedText;
  if (decision === 'edited' && (typeof editedText !== 'string' || editedText.trim() === '')) {
    throw new UserError('an edited record needs its edited text', { where: fileLine(place.file, line, 'editedText'), next: 'Fix the record' });
  }
  return {
    line,
    task: requireString(problem, 'task', place),
    split: requireString(problem, 'split', place),
    sourceId: typeof sourceId === 'number' ? String(sourceId) : requireString(problem, 'sourceId', place),
    kind,
    teacher: requireString(output, 'teacher', place),
    sample,
    student:
      student !== null && typeof student === 'object' && typeof (student as Record<string, unknown>).name === 'string'
        ? ((student as Record<string, unknown>).name as string)
        : null,
    decision,
    editedText: decision === 'edited' ? (editedText as string) : null,
    curator: typeof human.curator === 'string' && human.curator !== '' ? human.curator : null,
  };
}

/**
 * Re-applies the decisions of a records file to this project. Outputs are found by what names
 * them in any project — (task, split, source id) of the problem; kind, teacher, sample and, for
 * critiques, the student of the critiqued answer — never by database ids. A malformed line stops
 * the import with nothing written; every record is accounted for in the result.
 */
export function reimportRecords(db: Db, file: string, options: { curator?: string } = {}): ReimportResult {
  const { records } = readJsonLines(file);
  const parsed = records.map(({ line, value }) => parseRecord(value, { file, line }));
  const states = allCurationStates(db);

  const result: ReimportResult = { records: parsed.length, applied: 0, unchanged: 0, undecided: 0, missing: [], conflicts: [], batch: null };
  const decisions: Omit<DecisionInput, 'batch'>[] = [];
  const seen = new Map<number, number>();
  for (const record of parsed) {
    if (record.decision === 'undecided') {
      result.undecided++;
      continue;
    }
    const where = describeIdentity(record);
    const found = resolveIdentity(db, record);
    if ('missing' in found) {
      result.missing.push({ line: record.line, message: found.missing });
      continue;
    }
    const outputId = found.outputId;
    const earlier = seen.get(outputId);
    if (earlier !== undefined) {
      result.conflicts.push({ line: record.line, message: `${where}: the same output as line ${earlier}` });
      continue;
    }
    seen.set(outputId, record.line);
    const current = states.get(outputId);
    const currentDecision: HumanDecision =
      !current || current.decision === 'undecided'
        ? 'undecided'
        : current.decision === 'rejected'
          ? 'rejected'
          : current.editedText !== null
            ? 'edited'
            : 'accepted';
    if (currentDecision === record.decision && (record.decision !== 'edited' || current?.editedText === record.editedText)) {
      result.unchanged++;
      continue;
    }
    if (record.decision === 'accepted' && currentDecision === 'edited') {
      result.conflicts.push({ line: record.line, message: `${where}: edited here, plain accepted in the file (undo the edit first)` });
      continue;
    }
    const curator = options.curator ?? record.curator ?? 'reimport';
    decisions.push(
      record.decision === 'edited'
        ? { outputId, action: 'edit', text: record.editedText as string, curator }
        : { outputId, action: record.decision === 'accepted' ? 'accept' : 'reject', curator },
    );
  }
  if (decisions.length > 0) {
    result.batch = `reimport:${nowIso()}`;
    result.applied = recordBulkDecisions(db, decisions, result.batch).length;
  }
  return result;
}

/** One line for the CLI, the notification and the log: every record accounted for. */
export function describeReimport(result: ReimportResult, file: string): string {
  return (
    `${result.records} records from ${file}: ${result.applied} decisions applied, ${result.unchanged} already in force, ` +
    `${result.undecided} without a human decision, ${result.missing.length} not in this project, ${result.conflicts.length} conflicts`
  );
}
