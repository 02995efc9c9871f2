/**
 * Versioned schema. PRAGMA user_version holds the applied version; each entry brings the schema
 * from its index to index + 1. Append only: never edit a migration that has shipped.
 */
/*
 * The curation panel's derived state (migration 9 -> 10), as SQL pieces the triggers repeat per
 * write. Frozen with the migration that uses them: a later change is a new migration.
 */
/** Output X's decision in force: the last accept, reject or edit no undo names (events.ts, ACTIVE_DECISIONS). */
const decisionOf = (x: string, action: string): string => `(SELECT e.id FROM curation_events e WHERE e.output_id = ${x} AND e.action ${action}
    AND NOT EXISTS (SELECT 1 FROM curation_events u WHERE u.action = 'undo' AND u.undoes_event_id = e.id) ORDER BY e.id DESC LIMIT 1)`;
/** Refreshes output X's decision columns from its events. */
const refreshDecision = (x: string): string => `UPDATE output_state SET
      decision = (SELECT action FROM curation_events WHERE id = ${decisionOf(x, "<> 'undo'")}),
      edit_event_id = ${decisionOf(x, "= 'edit'")}
    WHERE output_id = ${x};`;
/** Refreshes output X's peer-score columns: the mean of the valid scores and their number (ranking.ts, PAPER_RULE). */
const refreshScores = (x: string): string => `UPDATE output_state SET
      peer_mean = (SELECT AVG(r.score) FROM peer_reviews r WHERE r.output_id = ${x} AND r.score IS NOT NULL),
      peer_valid = (SELECT COUNT(r.score) FROM peer_reviews r WHERE r.output_id = ${x})
    WHERE output_id = ${x};`;
/** (Re)creates output X's row when it is a curated output (critique or rationale), with its decision and scores. */
const insertOutputState = (x: string): string => `INSERT OR REPLACE INTO output_state (output_id, problem_id, kind, teacher, student_answer_id)
      SELECT id, problem_id, kind, teacher, student_answer_id FROM teacher_outputs WHERE id = ${x} AND kind IN ('critique', 'rationale');
    ${refreshDecision(x)}
    ${refreshScores(x)}`;
/**
 * Recomputes whether the mistakes of problem P are settled (items.ts, mistakeSettled): at least one
 * shown item, and per kind an accepted item (accept or edit) or no undecided one. A mistake shows
 * every rationale and the critiques of its own answer or of none in particular (mistakeIndex.ts).
 */
const refreshSettled = (p: string): string => `UPDATE mistake_state SET settled = COALESCE((SELECT COUNT(*) > 0
      AND (SUM(s.kind = 'critique' AND s.decision IS NULL) = 0 OR SUM(s.kind = 'critique' AND s.decision IN ('accept', 'edit')) > 0)
      AND (SUM(s.kind = 'rationale' AND s.decision IS NULL) = 0 OR SUM(s.kind = 'rationale' AND s.decision IN ('accept', 'edit')) > 0)
      FROM output_state s WHERE s.problem_id = mistake_state.problem_id
        AND (s.kind = 'rationale' OR s.student_answer_id IS NULL OR s.student_answer_id = mistake_state.id)), 0)
    WHERE problem_id = ${p};`;
/** Moves mistake_totals by `sign` for mistake_state row R (new or old): its student's scope, and the first mistakes' when it is one. */
const countMistake = (r: string, sign: '+' | '-'): string => `INSERT INTO mistake_totals (scope, mistakes, settled)
      SELECT v.scope, 0, 0 FROM (SELECT 'student:' || ${r}.student AS scope UNION ALL SELECT '' WHERE ${r}.first = 1) v
      WHERE NOT EXISTS (SELECT 1 FROM mistake_totals t WHERE t.scope = v.scope);
    UPDATE mistake_totals SET mistakes = mistakes ${sign} 1, settled = settled ${sign} ${r}.settled
      WHERE scope = 'student:' || ${r}.student OR (scope = '' AND ${r}.first = 1);`;
/** Recomputes which wrong answer of problem P is its first mistake (the lowest answer id; mistakeIndex.ts, FIRST_MISTAKES_SQL). */
const refreshFirst = (p: string): string => `UPDATE mistake_state SET first = (id = (SELECT MIN(f.id) FROM mistake_state f WHERE f.problem_id = ${p}))
    WHERE problem_id = ${p};`;

export const MIGRATIONS: readonly string[] = [
  // 0 -> 1: the whole first schema.
  `
  CREATE TABLE problems (
    id             INTEGER PRIMARY KEY,
    task           TEXT NOT NULL,
    split          TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    question       TEXT NOT NULL,
    context        TEXT,
    options        TEXT,            -- JSON array of option texts, in label order (A, B, ...)
    gold_answer    TEXT NOT NULL,
    gold_rationale TEXT,
    source_file    TEXT,
    source_line    INTEGER,
    created_at     TEXT NOT NULL,
    UNIQUE (task, split, source_id)
  );

  CREATE TABLE calls (
    id          INTEGER PRIMARY KEY,
    request_key TEXT NOT NULL,      -- sha256 of the request's content (never a key)
    provider    TEXT NOT NULL,
    model       TEXT NOT NULL,
    teacher     TEXT,
    purpose     TEXT,               -- exam | critique | rationale | review | adhoc
    request     TEXT NOT NULL,      -- JSON of the request, without any secret
    response    TEXT,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'error')),
    error       TEXT,
    tokens_in   INTEGER,
    tokens_out  INTEGER,
    cost        REAL,
    latency_ms  INTEGER,
    batch_id    TEXT,
    created_at  TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX calls_by_key ON calls (request_key);
  CREATE UNIQUE INDEX calls_one_answer_per_key ON calls (request_key) WHERE status = 'ok';

  CREATE TABLE batches (
    id           TEXT PRIMARY KEY,  -- the provider's batch id
    provider     TEXT NOT NULL,
    teacher      TEXT NOT NULL,
    status       TEXT NOT NULL,
    request_keys TEXT NOT NULL,     -- JSON array of the ledger keys it answers
    submitted_at TEXT NOT NULL,
    checked_at   TEXT,
    finished_at  TEXT
  );

  CREATE TABLE student_answers (
    id               INTEGER PRIMARY KEY,
    problem_id       INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    student          TEXT NOT NULL,
    raw_output       TEXT NOT NULL,
    extracted_answer TEXT,
    correct          INTEGER NOT NULL CHECK (correct IN (0, 1)),
    call_id          INTEGER REFERENCES calls (id),
    created_at       TEXT NOT NULL,
    UNIQUE (problem_id, student)
  );
  CREATE INDEX student_answers_wrong ON student_answers (correct, problem_id);

  CREATE TABLE teacher_outputs (
    id                INTEGER PRIMARY KEY,
    problem_id        INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('critique', 'rationale', 'adhoc')),
    teacher           TEXT NOT NULL,
    sample            INTEGER NOT NULL DEFAULT 0,
    student_answer_id INTEGER REFERENCES student_answers (id) ON DELETE CASCADE,
    text              TEXT NOT NULL,
    extracted_answer  TEXT,
    correct           INTEGER CHECK (correct IN (0, 1)),
    call_id           INTEGER REFERENCES calls (id),
    source            TEXT NOT NULL,  -- 'api', 'import:<file>', 'ask'
    created_at        TEXT NOT NULL
  );
  CREATE UNIQUE INDEX teacher_outputs_one_per_slot
    ON teacher_outputs (problem_id, kind, teacher, sample, COALESCE(student_answer_id, 0))
    WHERE kind <> 'adhoc';
  CREATE INDEX teacher_outputs_by_problem ON teacher_outputs (problem_id, kind);

  CREATE TABLE peer_reviews (
    id         INTEGER PRIMARY KEY,
    output_id  INTEGER NOT NULL REFERENCES teacher_outputs (id) ON DELETE CASCADE,
    reviewer   TEXT NOT NULL,
    raw_text   TEXT,              -- null when only the score was imported
    score      REAL,              -- parsed score, null when unparseable
    call_id    INTEGER REFERENCES calls (id),
    created_at TEXT NOT NULL,
    UNIQUE (output_id, reviewer)
  );

  -- Append-only: the current decision on an output derives from its events.
  CREATE TABLE curation_events (
    id              INTEGER PRIMARY KEY,
    output_id       INTEGER NOT NULL REFERENCES teacher_outputs (id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'undo')),
    text            TEXT,           -- the new text, for edit
    undoes_event_id INTEGER REFERENCES curation_events (id),
    batch           TEXT,           -- events of one bulk action share it and are undone together
    curator         TEXT NOT NULL,
    at              TEXT NOT NULL
  );
  CREATE INDEX curation_events_by_output ON curation_events (output_id, id);
  CREATE INDEX curation_events_by_undone ON curation_events (undoes_event_id) WHERE undoes_event_id IS NOT NULL;
  CREATE TRIGGER curation_events_append_only_update BEFORE UPDATE ON curation_events
    BEGIN SELECT RAISE(ABORT, 'curation events are append-only'); END;
  CREATE TRIGGER curation_events_append_only_delete BEFORE DELETE ON curation_events
    WHEN (SELECT COUNT(*) FROM teacher_outputs WHERE id = OLD.output_id) > 0
    BEGIN SELECT RAISE(ABORT, 'curation events are append-only'); END;
  `,
  // 1 -> 2: imports resolve rows by source id alone (task and split optional): index it.
  `
  CREATE INDEX problems_by_source_id ON problems (source_id);
  `,
  // 2 -> 3: students as things of their own (an endpoint, what they were trained from), and the
  // fine-tuning jobs that make new ones. Answers keep naming their student by name.
  `
  CREATE TABLE students (
    name         TEXT PRIMARY KEY,
    provider     TEXT CHECK (provider IN ('openai', 'openai-compatible')),
    model        TEXT,
    base_url     TEXT,
    trained_from TEXT,             -- the base student's name
    trained_on   TEXT,             -- the export file it was trained on
    finetune_job TEXT,             -- the provider's job id, when we started it
    created_at   TEXT NOT NULL
  );
  CREATE TABLE finetune_jobs (
    id              INTEGER PRIMARY KEY,
    provider_job_id TEXT UNIQUE,   -- null until the provider accepted the job
    base_student    TEXT NOT NULL,
    base_model      TEXT NOT NULL,
    base_url        TEXT,
    training_path   TEXT NOT NULL,
    training_sha256 TEXT NOT NULL,
    file_id         TEXT,          -- the uploaded training file
    suffix          TEXT,
    hyperparameters TEXT NOT NULL, -- JSON; {} = the provider's defaults
    new_student     TEXT NOT NULL, -- registered under this name on success
    status          TEXT NOT NULL, -- uploading | validating_files | queued | running | succeeded | failed | cancelled
    fine_tuned_model TEXT,
    error           TEXT,
    events_seen     INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  `,
  // 3 -> 4: calls that tell the truth. The teacher joins the request's identity: the content
  // key stays what it was (so every stored answer keeps its key) and the one-answer rule is per
  // (key, teacher), where every row already names its teacher. Each call keeps why it stopped
  // (finish reason), the provider's request id (out of the error text, so failures group by
  // cause), and the run that sent it (summaries are sums over a run's rows). An output cut at
  // the token limit is marked truncated; older outputs have no finish reason, so none is.
  `
  DROP INDEX calls_one_answer_per_key;
  CREATE UNIQUE INDEX calls_one_answer_per_key_and_teacher ON calls (request_key, COALESCE(teacher, '')) WHERE status = 'ok';
  ALTER TABLE calls ADD COLUMN finish_reason TEXT;
  ALTER TABLE calls ADD COLUMN request_id TEXT;
  ALTER TABLE calls ADD COLUMN run_id TEXT;
  CREATE INDEX calls_by_run ON calls (run_id) WHERE run_id IS NOT NULL;
  ALTER TABLE teacher_outputs ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1));
  `,
  // 4 -> 5: the curation panel reads SQLite rather than a copy of the project (issue 11): one
  // student's wrong answers by index, and full-text search (FTS5, external content: the texts are
  // not stored twice) over questions, student outputs, teacher texts and curators' edits, kept in sync by triggers
  // so writes from any process (CLI, import, another window) are searchable at once.
  `
  CREATE INDEX student_answers_wrong_by_student ON student_answers (student, correct, problem_id);
  -- The teacher filter's choices: a skip over this index, a few seeks per teacher.
  CREATE INDEX teacher_outputs_by_teacher ON teacher_outputs (teacher, kind);

  CREATE VIRTUAL TABLE problems_fts USING fts5(question, context, options, source_id, content='problems', content_rowid='id');
  CREATE TRIGGER problems_fts_insert AFTER INSERT ON problems BEGIN
    INSERT INTO problems_fts (rowid, question, context, options, source_id) VALUES (new.id, new.question, new.context, new.options, new.source_id);
  END;
  CREATE TRIGGER problems_fts_delete AFTER DELETE ON problems BEGIN
    INSERT INTO problems_fts (problems_fts, rowid, question, context, options, source_id) VALUES ('delete', old.id, old.question, old.context, old.options, old.source_id);
  END;
  CREATE TRIGGER problems_fts_update AFTER UPDATE OF question, context, options, source_id ON problems BEGIN
    INSERT INTO problems_fts (problems_fts, rowid, question, context, options, source_id) VALUES ('delete', old.id, old.question, old.context, old.options, old.source_id);
    INSERT INTO problems_fts (rowid, question, context, options, source_id) VALUES (new.id, new.question, new.context, new.options, new.source_id);
  END;
  INSERT INTO problems_fts (problems_fts) VALUES ('rebuild');

  CREATE VIRTUAL TABLE answers_fts USING fts5(raw_output, content='student_answers', content_rowid='id');
  CREATE TRIGGER answers_fts_insert AFTER INSERT ON student_answers BEGIN
    INSERT INTO answers_fts (rowid, raw_output) VALUES (new.id, new.raw_output);
  END;
  CREATE TRIGGER answers_fts_delete AFTER DELETE ON student_answers BEGIN
    INSERT INTO answers_fts (answers_fts, rowid, raw_output) VALUES ('delete', old.id, old.raw_output);
  END;
  CREATE TRIGGER answers_fts_update AFTER UPDATE OF raw_output ON student_answers BEGIN
    INSERT INTO answers_fts (answers_fts, rowid, raw_output) VALUES ('delete', old.id, old.raw_output);
    INSERT INTO answers_fts (rowid, raw_output) VALUES (new.id, new.raw_output);
  END;
  INSERT INTO answers_fts (answers_fts) VALUES ('rebuild');

  CREATE VIRTUAL TABLE outputs_fts USING fts5(text, content='teacher_outputs', content_rowid='id');
  CREATE TRIGGER outputs_fts_insert AFTER INSERT ON teacher_outputs BEGIN
    INSERT INTO outputs_fts (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER outputs_fts_delete AFTER DELETE ON teacher_outputs BEGIN
    INSERT INTO outputs_fts (outputs_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  CREATE TRIGGER outputs_fts_update AFTER UPDATE OF text ON teacher_outputs BEGIN
    INSERT INTO outputs_fts (outputs_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO outputs_fts (rowid, text) VALUES (new.id, new.text);
  END;
  INSERT INTO outputs_fts (outputs_fts) VALUES ('rebuild');

  -- The curators' edited texts: events are append-only, so rows only come (and go with their output).
  CREATE VIRTUAL TABLE edits_fts USING fts5(text, content='curation_events', content_rowid='id');
  CREATE TRIGGER edits_fts_insert AFTER INSERT ON curation_events WHEN new.action = 'edit' BEGIN
    INSERT INTO edits_fts (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER edits_fts_delete AFTER DELETE ON curation_events WHEN old.action = 'edit' BEGIN
    INSERT INTO edits_fts (edits_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  INSERT INTO edits_fts (rowid, text) SELECT id, text FROM curation_events WHERE action = 'edit';
  `,
  // 5 -> 6: decision telemetry on each event: whether the peer verdict was on screen when it was
  // taken (blind mode; null: not recorded, e.g. the CLI or events from before), and how long the
  // item had been displayed (ms since it was first shown in the panel; null: not measured).
  `
  ALTER TABLE curation_events ADD COLUMN verdict_shown INTEGER;
  ALTER TABLE curation_events ADD COLUMN decision_ms INTEGER;
  `,
  // 6 -> 7: several curators on one project (issue 16). team_events holds every curator's events
  // as read from the committed decision files (.mapd/decisions/<curator>.jsonl), keyed by their
  // content hash so reading a file twice, or files in any order, gives the same rows; outputs are
  // named by identity (as in the files) and resolved to this project's output when it has it.
  // team_decisions is derived from team_events (rebuilt by each sync): each curator's decision in
  // force per output, and adjudicators' decisions (role 'adjudicator') that settle an item.
  // team_assignments splits the queue (team.json). The local curator's working log (curation_events) is untouched.
  `
  CREATE TABLE team_events (
    id         TEXT PRIMARY KEY,  -- content hash (src/core/team/eventLine.ts), as in the file
    curator    TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('curator', 'adjudicator')),
    action     TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'undo')),
    task       TEXT NOT NULL,
    split      TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    teacher    TEXT NOT NULL,
    sample     INTEGER NOT NULL,
    student    TEXT,
    output_id  INTEGER REFERENCES teacher_outputs (id) ON DELETE SET NULL,  -- null: not in this project (yet)
    text       TEXT,
    undoes     TEXT,              -- the id of the event an undo takes back
    at         TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX team_events_unresolved ON team_events (task, split, source_id) WHERE output_id IS NULL;
  CREATE INDEX team_events_by_output ON team_events (output_id) WHERE output_id IS NOT NULL;
  CREATE INDEX team_events_by_undone ON team_events (undoes) WHERE undoes IS NOT NULL;
  CREATE TABLE team_decisions (
    output_id  INTEGER NOT NULL REFERENCES teacher_outputs (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('curator', 'adjudicator')),
    curator    TEXT NOT NULL,
    decision   TEXT NOT NULL CHECK (decision IN ('accepted', 'edited', 'rejected')),
    text       TEXT,              -- the edited text in force, for edited
    at         TEXT NOT NULL,     -- the last event in force
    PRIMARY KEY (output_id, role, curator)
  ) WITHOUT ROWID;
  -- Who curates which mistake (.mapd/team.json: curators and overlap N), derived at each sync:
  -- N curators per problem by hashing its identity, so nobody coordinates; mine = the local curator's.
  CREATE TABLE team_assignments (
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    curator    TEXT NOT NULL,
    mine       INTEGER NOT NULL CHECK (mine IN (0, 1)),
    PRIMARY KEY (problem_id, curator)
  ) WITHOUT ROWID;
  CREATE INDEX team_assignments_mine ON team_assignments (problem_id) WHERE mine = 1;
  `,
  // 7 -> 8: the problems tree at 1M problems (issue 11). A narrow index of the ids, so skipping or
  // counting problems in id order never reads their rows (the table's own b-tree holds every
  // question inline). Tallies kept by triggers on student_answers, so the groups' counts are read,
  // not counted: per student, answers and wrong answers (a student answers a problem once); over
  // all students, problems answered and problems with a wrong answer, and a version that every
  // change of an answer bumps (the tree keeps what it derived from the answers while it holds).
  // "Other answers of the problem" exclude the row itself by its current id (new.id).
  `
  CREATE INDEX problems_by_id ON problems (id);

  CREATE TABLE student_tallies (
    student  TEXT PRIMARY KEY,
    answered INTEGER NOT NULL,
    wrong    INTEGER NOT NULL
  );
  CREATE TABLE answer_tallies (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    answered INTEGER NOT NULL,
    mistakes INTEGER NOT NULL,
    version  INTEGER NOT NULL
  );
  INSERT INTO student_tallies (student, answered, wrong) SELECT student, COUNT(*), SUM(correct = 0) FROM student_answers GROUP BY student;
  INSERT INTO answer_tallies (id, answered, mistakes, version)
    VALUES (1, (SELECT COUNT(DISTINCT problem_id) FROM student_answers), (SELECT COUNT(DISTINCT problem_id) FROM student_answers WHERE correct = 0), 0);

  CREATE TRIGGER answer_tallies_insert AFTER INSERT ON student_answers BEGIN
    INSERT INTO student_tallies (student, answered, wrong) VALUES (new.student, 1, new.correct = 0)
      ON CONFLICT (student) DO UPDATE SET answered = answered + 1, wrong = wrong + excluded.wrong;
    UPDATE answer_tallies SET version = version + 1,
      answered = answered + NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = new.problem_id AND a.id <> new.id),
      mistakes = mistakes + (new.correct = 0 AND NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.correct = 0 AND a.problem_id = new.problem_id AND a.id <> new.id));
  END;
  CREATE TRIGGER answer_tallies_delete AFTER DELETE ON student_answers BEGIN
    UPDATE student_tallies SET answered = answered - 1, wrong = wrong - (old.correct = 0) WHERE student = old.student;
    UPDATE answer_tallies SET version = version + 1,
      answered = answered - NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = old.problem_id),
      mistakes = mistakes - (old.correct = 0 AND NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.correct = 0 AND a.problem_id = old.problem_id));
  END;
  -- An update counts as the old row leaving and the new one coming.
  CREATE TRIGGER answer_tallies_update AFTER UPDATE OF problem_id, student, correct ON student_answers BEGIN
    UPDATE student_tallies SET answered = answered - 1, wrong = wrong - (old.correct = 0) WHERE student = old.student;
    INSERT INTO student_tallies (student, answered, wrong) VALUES (new.student, 1, new.correct = 0)
      ON CONFLICT (student) DO UPDATE SET answered = answered + 1, wrong = wrong + excluded.wrong;
    UPDATE answer_tallies SET version = version + 1,
      answered = answered - NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = old.problem_id AND a.id <> new.id),
      mistakes = mistakes - (old.correct = 0 AND NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.correct = 0 AND a.problem_id = old.problem_id AND a.id <> new.id));
    UPDATE answer_tallies SET
      answered = answered + NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = new.problem_id AND a.id <> new.id),
      mistakes = mistakes + (new.correct = 0 AND NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.correct = 0 AND a.problem_id = new.problem_id AND a.id <> new.id));
  END;
  `,
  // 8 -> 9: the queue's order keys (issue 12; core/curation/orderKeys.ts): one row per mistake (a
  // wrong student answer), a sort column per order, each indexed with the problem id so an order is
  // an ORDER BY over an index. The keys are computed in JS (grading, the step checker), so triggers
  // only mark the problems whose answers, outputs or reviews were written (by any connection) stale;
  // the panel refreshes stale keys before an ordered query. Every existing mistake starts stale.
  `
  CREATE TABLE mistake_order_keys (
    answer_id       INTEGER PRIMARY KEY REFERENCES student_answers (id) ON DELETE CASCADE,
    problem_id      INTEGER NOT NULL,
    by_disagreement REAL NOT NULL,    -- minus the largest peer-score spread; 1e9: no output with two valid scores
    by_threshold    REAL NOT NULL,    -- smallest |mean score - threshold|; 1e9: nothing scored
    by_answers      INTEGER NOT NULL, -- minus the distinct final answers of the rationales
    by_wrong_steps  INTEGER NOT NULL  -- minus the outputs with a wrong arithmetic step
  );
  CREATE INDEX mistake_order_by_disagreement ON mistake_order_keys (by_disagreement, problem_id);
  CREATE INDEX mistake_order_by_threshold ON mistake_order_keys (by_threshold, problem_id);
  CREATE INDEX mistake_order_by_answers ON mistake_order_keys (by_answers, problem_id);
  CREATE INDEX mistake_order_by_wrong_steps ON mistake_order_keys (by_wrong_steps, problem_id);
  CREATE INDEX mistake_order_keys_by_problem ON mistake_order_keys (problem_id);
  -- Problems whose mistakes' keys are to be recomputed: one row per problem (the triggers stay one insert each).
  CREATE TABLE mistake_order_stale (problem_id INTEGER PRIMARY KEY);

  -- Not INSERT OR IGNORE: an outer statement's conflict clause (an upsert of an answer) would override the trigger's.
  CREATE TRIGGER mistake_order_answer_insert AFTER INSERT ON student_answers WHEN new.correct = 0 BEGIN
    INSERT INTO mistake_order_stale (problem_id) SELECT new.problem_id WHERE NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = new.problem_id);
  END;
  CREATE TRIGGER mistake_order_answer_update AFTER UPDATE OF correct, raw_output, problem_id ON student_answers BEGIN
    INSERT INTO mistake_order_stale (problem_id)
      SELECT v.id FROM (SELECT old.problem_id AS id UNION SELECT new.problem_id) v WHERE NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = v.id);
  END;
  CREATE TRIGGER mistake_order_output_insert AFTER INSERT ON teacher_outputs WHEN new.kind <> 'adhoc' BEGIN
    INSERT INTO mistake_order_stale (problem_id) SELECT new.problem_id WHERE NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = new.problem_id);
  END;
  CREATE TRIGGER mistake_order_output_update AFTER UPDATE ON teacher_outputs BEGIN
    INSERT INTO mistake_order_stale (problem_id)
      SELECT v.id FROM (SELECT old.problem_id AS id UNION SELECT new.problem_id) v WHERE NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = v.id);
  END;
  CREATE TRIGGER mistake_order_output_delete AFTER DELETE ON teacher_outputs WHEN old.kind <> 'adhoc' BEGIN
    INSERT INTO mistake_order_stale (problem_id) SELECT old.problem_id WHERE NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = old.problem_id);
  END;
  CREATE TRIGGER mistake_order_review_insert AFTER INSERT ON peer_reviews BEGIN
    INSERT INTO mistake_order_stale (problem_id) SELECT o.problem_id FROM teacher_outputs o WHERE o.id = new.output_id AND NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = o.problem_id);
  END;
  CREATE TRIGGER mistake_order_review_update AFTER UPDATE ON peer_reviews BEGIN
    INSERT INTO mistake_order_stale (problem_id)
      SELECT DISTINCT o.problem_id FROM teacher_outputs o WHERE o.id IN (old.output_id, new.output_id) AND NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = o.problem_id);
  END;
  CREATE TRIGGER mistake_order_review_delete AFTER DELETE ON peer_reviews BEGIN
    INSERT INTO mistake_order_stale (problem_id) SELECT o.problem_id FROM teacher_outputs o WHERE o.id = old.output_id AND NOT EXISTS (SELECT 1 FROM mistake_order_stale s WHERE s.problem_id = o.problem_id);
  END;
  INSERT INTO mistake_order_stale (problem_id) SELECT DISTINCT problem_id FROM student_answers WHERE correct = 0;
  `,
  // 9 -> 10: the panel's filters and counts as indexed lookups at 1M problems (issue 11). Per curated
  // output: its decision in force, the edit in force, the peer-score mean and valid count; per wrong
  // answer: whether it is its problem's first mistake and whether it is settled. Derived from
  // events, reviews, outputs and answers, and kept exact by triggers, so writes from any
  // connection (the CLI, an import, a second window) and undo are reflected at once.
  `
  -- Clustered by problem: a filter reads a mistake's few outputs as one contiguous range.
  CREATE TABLE output_state (
    problem_id        INTEGER NOT NULL,
    output_id         INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    teacher           TEXT NOT NULL,
    student_answer_id INTEGER,
    decision          TEXT,          -- the last decision in force: accept | reject | edit; null: undecided
    edit_event_id     INTEGER,       -- the edit in force (its text is the current text); null: none
    peer_mean         REAL,          -- mean of the valid peer scores; null: none
    peer_valid        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (problem_id, output_id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX output_state_by_output ON output_state (output_id);
  CREATE INDEX output_state_decided ON output_state (decision, problem_id) WHERE decision IS NOT NULL;

  CREATE TABLE mistake_state (
    id         INTEGER PRIMARY KEY,    -- the wrong student answer's id
    problem_id INTEGER NOT NULL,
    student    TEXT NOT NULL,
    first      INTEGER NOT NULL,       -- 1: its problem's first wrong answer (the mistake listed when no student is chosen)
    settled    INTEGER NOT NULL
  );
  CREATE INDEX mistake_state_by_problem ON mistake_state (problem_id);
  CREATE INDEX mistake_state_first ON mistake_state (problem_id, settled) WHERE first = 1;
  CREATE INDEX mistake_state_by_student ON mistake_state (student, problem_id, settled);
  -- The next unsettled mistake as a range over an index, and "N of M settled" as a count over it.
  CREATE INDEX mistake_state_first_settled ON mistake_state (settled, problem_id) WHERE first = 1;
  CREATE INDEX mistake_state_by_student_settled ON mistake_state (student, settled, problem_id);

  INSERT INTO output_state (output_id, problem_id, kind, teacher, student_answer_id, peer_mean, peer_valid)
    SELECT o.id, o.problem_id, o.kind, o.teacher, o.student_answer_id, r.mean, COALESCE(r.valid, 0)
    FROM teacher_outputs o LEFT JOIN (SELECT output_id, AVG(score) AS mean, COUNT(score) AS valid FROM peer_reviews GROUP BY output_id) r ON r.output_id = o.id
    WHERE o.kind IN ('critique', 'rationale');
  UPDATE output_state SET
      decision = (SELECT action FROM curation_events WHERE id = ${decisionOf('output_state.output_id', "<> 'undo'")}),
      edit_event_id = ${decisionOf('output_state.output_id', "= 'edit'")}
    WHERE output_id IN (SELECT output_id FROM curation_events);
  INSERT INTO mistake_state (id, problem_id, student, first, settled)
    SELECT a.id, a.problem_id, a.student, a.id = (SELECT MIN(b.id) FROM student_answers b WHERE b.correct = 0 AND b.problem_id = a.problem_id), 0
    FROM student_answers a WHERE a.correct = 0;
  ${refreshSettled('mistake_state.problem_id')}
  -- "M mistakes, N settled" per scope ('': the first mistakes; 'student:<name>': a student's), kept by the triggers on mistake_state.
  CREATE TABLE mistake_totals (
    scope    TEXT PRIMARY KEY,
    mistakes INTEGER NOT NULL,
    settled  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO mistake_totals (scope, mistakes, settled) SELECT '', COUNT(*), COALESCE(SUM(settled), 0) FROM mistake_state WHERE first = 1;
  INSERT INTO mistake_totals (scope, mistakes, settled) SELECT 'student:' || student, COUNT(*), SUM(settled) FROM mistake_state GROUP BY student;
  -- No conflict clauses: an outer statement's (an upsert of an answer) would override a trigger's.
  CREATE TRIGGER mistake_totals_insert AFTER INSERT ON mistake_state BEGIN
    ${countMistake('new', '+')}
  END;
  CREATE TRIGGER mistake_totals_delete AFTER DELETE ON mistake_state BEGIN
    ${countMistake('old', '-')}
  END;
  CREATE TRIGGER mistake_totals_update AFTER UPDATE OF student, first, settled ON mistake_state BEGIN
    ${countMistake('old', '-')}
    ${countMistake('new', '+')}
  END;

  CREATE TRIGGER output_state_insert AFTER INSERT ON teacher_outputs WHEN new.kind IN ('critique', 'rationale') BEGIN
    ${insertOutputState('new.id')}
    ${refreshSettled('new.problem_id')}
  END;
  CREATE TRIGGER output_state_update AFTER UPDATE OF problem_id, kind, teacher, student_answer_id ON teacher_outputs BEGIN
    DELETE FROM output_state WHERE output_id = old.id;
    ${insertOutputState('new.id')}
    ${refreshSettled('old.problem_id')}
    ${refreshSettled('new.problem_id')}
  END;
  CREATE TRIGGER output_state_delete AFTER DELETE ON teacher_outputs BEGIN
    DELETE FROM output_state WHERE output_id = old.id;
    ${refreshSettled('old.problem_id')}
  END;
  -- A decision or an undo: the decided output (and the undone event's, should it name another) and its problem's mistakes.
  CREATE TRIGGER output_state_decision AFTER INSERT ON curation_events BEGIN
    ${refreshDecision('new.output_id')}
    ${refreshDecision('(SELECT output_id FROM curation_events WHERE id = new.undoes_event_id)')}
    ${refreshSettled('(SELECT problem_id FROM output_state WHERE output_id = new.output_id)')}
    ${refreshSettled('(SELECT o.problem_id FROM curation_events e JOIN output_state o ON o.output_id = e.output_id WHERE e.id = new.undoes_event_id)')}
  END;
  CREATE TRIGGER output_state_review_insert AFTER INSERT ON peer_reviews BEGIN
    ${refreshScores('new.output_id')}
  END;
  CREATE TRIGGER output_state_review_update AFTER UPDATE OF output_id, score ON peer_reviews BEGIN
    ${refreshScores('old.output_id')}
    ${refreshScores('new.output_id')}
  END;
  CREATE TRIGGER output_state_review_delete AFTER DELETE ON peer_reviews BEGIN
    ${refreshScores('old.output_id')}
  END;

  CREATE TRIGGER mistake_state_insert AFTER INSERT ON student_answers WHEN new.correct = 0 BEGIN
    INSERT INTO mistake_state (id, problem_id, student, first, settled) VALUES (new.id, new.problem_id, new.student, 0, 0);
    ${refreshFirst('new.problem_id')}
    ${refreshSettled('new.problem_id')}
  END;
  CREATE TRIGGER mistake_state_update AFTER UPDATE OF problem_id, student, correct ON student_answers BEGIN
    DELETE FROM mistake_state WHERE id = old.id;
    INSERT INTO mistake_state (id, problem_id, student, first, settled) SELECT new.id, new.problem_id, new.student, 0, 0 WHERE new.correct = 0;
    ${refreshFirst('old.problem_id')}
    ${refreshFirst('new.problem_id')}
    ${refreshSettled('new.problem_id')}
  END;
  CREATE TRIGGER mistake_state_delete AFTER DELETE ON student_answers WHEN old.correct = 0 BEGIN
    DELETE FROM mistake_state WHERE id = old.id;
    ${refreshFirst('old.problem_id')}
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
