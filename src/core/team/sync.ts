import fs from 'node:fs';
import path from 'node:path';
import type { OutputIdentity } from '../decisions/identity.ts';
import { identityOf } from '../decisions/identity.ts';
import type { LineIssue } from '../io/textFile.ts';
import { splitLines } from '../io/textFile.ts';
import { isUserError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { listEvents } from '../store/events.ts';
import type { TeamEvent } from './eventLine.ts';
import { curatorFileName, parseTeamEvent, teamEventId, teamEventLine } from './eventLine.ts';
import { addTeamEvents, rebuildTeamDecisions, resolvePendingTeamEvents } from './teamStore.ts';
import { readTeamConfig, rebuildAssignments } from './assignment.ts';

/** The team's folder beside the database: `.mapd/decisions` for `.mapd/curation.db`. */
export function decisionsFolder(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'decisions');
}

/** A curator's decision file in the team's folder. */
export function decisionFile(folder: string, curator: string): string {
  return path.join(folder, curatorFileName(curator));
}

/**
 * What git should leave out of `.mapd`: the database and its WAL files are each curator's own
 * (rebuilt from the committed files by a sync); decisions/ and team.json are shared.
 */
const gitignore = (db: string): string => `# MAPD Curator: the database is local to each curator; commit decisions/ (mapd sync writes and reads them).
${db}
${db}-*
`;

/** Writes `.gitignore` beside the database (the database and its WAL files ignored) unless there is one already. */
export function ensureGitignore(dbFile: string): void {
  const file = path.join(path.dirname(path.resolve(dbFile)), '.gitignore');
  if (!fs.existsSync(file)) fs.writeFileSync(file, gitignore(path.basename(dbFile)));
}

/**
 * The local curator's events (accept, reject, edit, undo on critiques and rationales) as team
 * events, in the order they were taken. An undo names the hash of the event it took back.
 */
export function localTeamEvents(db: Db, curator: string): TeamEvent[] {
  const identities = new Map<number, OutputIdentity | undefined>();
  const identity = (outputId: number): OutputIdentity | undefined => {
    if (!identities.has(outputId)) identities.set(outputId, identityOf(db, outputId));
    return identities.get(outputId);
  };
  const hashes = new Map<number, string>();
  const taken = new Set<string>();
  const events: TeamEvent[] = [];
  for (const event of listEvents(db)) {
    const output = identity(event.outputId);
    if (!output) continue; // ad-hoc answers never train and are not shared
    const undoes = event.undoesEventId === null ? null : (hashes.get(event.undoesEventId) ?? null);
    if (event.action === 'undo' && undoes === null) continue;
    const content = { curator: event.curator, role: 'curator' as const, action: event.action, output, text: event.text, undoes, at: event.at };
    let id = teamEventId(content);
    // The same decision again in the same millisecond (a script's undo and redo) would hash as the
    // first one: the later event is written 1 ms later, which keeps its order and its meaning.
    while (taken.has(id)) {
      content.at = new Date(Date.parse(content.at) + 1).toISOString();
      id = teamEventId(content);
    }
    taken.add(id);
    hashes.set(event.id, id);
    if (event.curator === curator) events.push({ id, ...content });
  }
  return events;
}

export interface FileRead {
  file: string;
  events: number;
  /** Events not in the team table before. */
  added: number;
}

export interface SyncResult {
  curator: string;
  /** The local curator's file and how many events were appended to it. */
  file: string;
  appended: number;
  files: FileRead[];
  /** Lines that are not events (named file:line); every other line was read. */
  bad: LineIssue[];
  /** Team events whose output is not in this project (import it, then sync again). */
  unresolved: number;
  /** Curators with decisions in force, and the outputs any of them decided. */
  curators: number;
  decidedOutputs: number;
  /** With .mapd/team.json: the mistakes assigned to the local curator ("my queue"); null without one. */
  assigned: number | null;
}

/** Reads one decision file: its events, and its bad lines as issues. */
export function readDecisionFile(file: string): { events: TeamEvent[]; bad: LineIssue[] } {
  const events: TeamEvent[] = [];
  const bad: LineIssue[] = [];
  const own = path.basename(file);
  for (const { line, text } of splitLines(fs.readFileSync(file, 'utf8'))) {
    if (text.trim() === '') continue;
    try {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        bad.push({ file, line, message: `not valid JSON (${(error as Error).message.split('\n')[0] ?? ''})` });
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        bad.push({ file, line, message: 'expected a JSON object' });
        continue;
      }
      const event = parseTeamEvent(value as Record<string, unknown>, { file, line });
      if (curatorFileName(event.curator) !== own)
        bad.push({ file, line, message: `an event of "${event.curator}", whose file is ${curatorFileName(event.curator)}` });
      else events.push(event);
    } catch (error) {
      if (!isUserError(error)) throw error;
      bad.push({ file, line, message: error.what });
    }
  }
  return { events, bad };
}

/** Appends the events the file does not hold yet (by id), one line each; returns how many. */
export function appendNewEvents(file: string, events: readonly TeamEvent[]): number {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const held = new Set<string>();
  for (const { text } of splitLines(existing)) {
    const match = /^\{"id":"([0-9a-f]+)"/.exec(text.trim());
    if (match) held.add(match[1] as string);
  }
  const fresh = events.filter((e) => !held.has(e.id));
  if (fresh.length === 0) return 0;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const separator = existing !== '' && !existing.endsWith('\n') ? '\n' : '';
  fs.appendFileSync(file, separator + fresh.map((e) => `${teamEventLine(e)}\n`).join(''));
  return fresh.length;
}

/**
 * Sync: the local curator's new events go to their own file (append only: nobody else writes it,
 * so git never conflicts), then every curator's file is read into the team table. Idempotent and
 * order-free: events are keyed by content, and the team's decisions are derived from the set.
 */
export function syncDecisions(db: Db, options: { dbFile: string; curator: string }): SyncResult {
  const folder = decisionsFolder(options.dbFile);
  const own = decisionFile(folder, options.curator);
  ensureGitignore(options.dbFile);
  const appended = appendNewEvents(own, localTeamEvents(db, options.curator));
  const files: FileRead[] = [];
  const bad: LineIssue[] = [];
  const names = fs.existsSync(folder)
    ? fs
        .readdirSync(folder)
        .filter((n) => n.endsWith('.jsonl'))
        .sort()
    : [];
  for (const name of names) {
    const file = path.join(folder, name);
    const read = readDecisionFile(file);
    bad.push(...read.bad);
    files.push({ file, events: read.events.length, added: addTeamEvents(db, read.events) });
  }
  const unresolved = resolvePendingTeamEvents(db);
  rebuildTeamDecisions(db);
  const config = readTeamConfig(options.dbFile);
  const assigned = rebuildAssignments(db, config, options.curator);
  const counts = db
    .prepare(`SELECT COUNT(DISTINCT curator) AS curators, COUNT(DISTINCT output_id) AS outputs FROM team_decisions WHERE role = 'curator'`)
    .get() as {
    curators: number;
    outputs: number;
  };
  return {
    curator: options.curator,
    file: own,
    appended,
    files,
    bad,
    unresolved,
    curators: counts.curators,
    decidedOutputs: counts.outputs,
    assigned: config ? assigned : null,
  };
}

/** One line for the CLI, the notification and the log. */
export function describeSync(result: SyncResult, shown: (file: string) => string = (f) => f): string {
  const read = result.files.reduce((n, f) => n + f.events, 0);
  const added = result.files.reduce((n, f) => n + f.added, 0);
  const parts = [
    `${result.appended} new events of ${result.curator} written to ${shown(result.file)}`,
    `${read} events read from ${result.files.length} files (${added} new)`,
    `${result.curators} curators, ${result.decidedOutputs} outputs decided`,
  ];
  if (result.assigned !== null) parts.push(`${result.assigned} mistakes assigned to ${result.curator} (team.json)`);
  if (result.unresolved > 0) parts.push(`${result.unresolved} events name outputs not in this project`);
  if (result.bad.length > 0) parts.push(`${result.bad.length} bad lines (first: ${shown(result.bad[0]?.file ?? '')}:${result.bad[0]?.line ?? 0})`);
  return parts.join('; ');
}
