import type { StatsHostMessage, StatsView, StatsWebviewMessage, StudentStats } from '../../../src/protocol/stats.ts';
import { parseStatsHostMessage } from '../../../src/protocol/stats.ts';
import { confusion, intervalBars, legend, stackedBars } from './charts.ts';
import { fixed, int, NO_VALUE, pct, plural } from '../../../src/protocol/format.ts';
import { el } from '../shared/dom.ts';

export interface Host {
  post(message: StatsWebviewMessage): void;
}

function section(title: string, ...body: (Node | null)[]): HTMLElement {
  return el('section', { 'aria-label': title }, el('h2', {}, title), ...body);
}

function table(head: readonly string[], rows: readonly (readonly string[])[], numericFrom = 1): HTMLTableElement {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...head.map((label, i) => el('th', { scope: 'col', class: i >= numericFrom ? 'num' : undefined }, label)))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el('tr', {}, ...row.map((cell, i) => (i === 0 ? el('th', { scope: 'row' }, cell) : el('td', { class: i >= numericFrom ? 'num' : undefined }, cell)))),
      ),
    ),
  );
}

function teachersSection(stats: StatsView): HTMLElement {
  const teachers = stats.teachers;
  if (teachers.length === 0) return section('Teachers', el('p', { class: 'muted' }, 'No teacher outputs yet.'));
  const decisions = stackedBars(
    teachers.map((t) => ({
      label: t.teacher,
      segments: [
        { label: 'accepted', value: t.humanAccepted, tone: 'accept' },
        { label: 'edited', value: t.edited, tone: 'edit' },
        { label: 'rejected', value: t.rejected, tone: 'reject' },
        { label: 'undecided', value: t.undecided, tone: 'undecided' },
      ],
      note: plural(t.outputs, 'output'),
    })),
    `Human decisions per teacher: ${teachers.map((t) => `${t.teacher} ${t.humanAccepted} accepted, ${t.edited} edited, ${t.rejected} rejected, ${t.undecided} undecided`).join('; ')}`,
  );
  const peer = stackedBars(
    teachers.map((t) => ({
      label: t.teacher,
      segments: [{ label: 'peer-accepted', value: t.peerAccepted, tone: 'peer' }],
      // A teacher whose outputs have no valid peer score yet has no share to show, not 0.0 %.
      note:
        t.meanPeerScore === null
          ? `${NO_VALUE} · no peer scores yet`
          : `${pct(t.outputs ? t.peerAccepted / t.outputs : null)} · mean ${fixed(t.meanPeerScore)}`,
    })),
    `Peer-accepted outputs per teacher: ${teachers.map((t) => `${t.teacher} ${t.peerAccepted} of ${t.outputs}`).join('; ')}`,
    Math.max(1, ...teachers.map((t) => t.outputs)),
  );
  return section(
    'Teachers',
    el('h3', {}, 'Human decisions'),
    legend([
      { label: 'accepted', tone: 'accept' },
      { label: 'edited', tone: 'edit' },
      { label: 'rejected', tone: 'reject' },
      { label: 'undecided', tone: 'undecided' },
    ]),
    decisions,
    el('h3', {}, `Committee verdicts (${stats.rule.aggregation} of valid scores > ${stats.rule.threshold})`),
    peer,
    table(
      ['teacher', 'outputs', 'peer-accepted', 'accepted', 'edited', 'rejected', 'mean peer score', 'truncated', 'calls', 'tokens in', 'tokens out', 'cost'],
      teachers.map((t) => [
        t.teacher,
        int(t.outputs),
        int(t.peerAccepted),
        int(t.humanAccepted),
        int(t.edited),
        int(t.rejected),
        fixed(t.meanPeerScore),
        int(t.truncated),
        int(t.calls),
        int(t.tokensIn),
        int(t.tokensOut),
        `$${t.cost.toFixed(4)}`,
      ]),
    ),
  );
}

function agreementSection(stats: StatsView): HTMLElement {
  const hp = stats.humanVsPeer;
  const summary =
    hp.items === 0
      ? el('p', { class: 'muted' }, 'No decided item has peer reviews yet.')
      : el('p', { class: 'figure' }, `${int(hp.agreements)} of ${int(hp.items)} decided items agree (${pct(hp.share)}); Cohen's κ ${fixed(hp.kappa, 3)}`);
  const reviewers = stats.reviewers.filter((r) => r.scored > 0);
  return section(
    'Human and committee',
    summary,
    hp.items === 0
      ? null
      : confusion(
          { bothAccept: hp.bothAccept, bothReject: hp.bothReject, firstOnly: hp.firstOnlyAccepts, secondOnly: hp.secondOnlyAccepts },
          'human',
          'committee',
        ),
    el('h3', {}, "Blind or not: did the human see the committee's verdict when deciding?"),
    table(
      ['decided', 'items', 'agree', 'share', 'kappa'],
      (
        [
          ['blind (verdict hidden)', hp.byVisibility.blind],
          ['verdict shown', hp.byVisibility.shown],
          ['not recorded', hp.byVisibility.unrecorded],
        ] as const
      ).map(([label, a]) => [label, int(a.items), int(a.agreements), pct(a.share), fixed(a.kappa, 3)]),
    ),
    el('h3', {}, 'Each reviewer against the human (score > threshold = accept)'),
    reviewers.length === 0
      ? el('p', { class: 'muted' }, 'No reviewer has scored a decided item yet.')
      : stackedBars(
          reviewers.map((r) => ({
            label: r.reviewer,
            segments: [
              { label: 'agrees', value: r.agreement.agreements, tone: 'accept' },
              { label: 'disagrees', value: r.agreement.items - r.agreement.agreements, tone: 'reject' },
            ],
            note: `${pct(r.agreement.share)} · κ ${fixed(r.agreement.kappa, 2)}`,
          })),
          `Reviewer agreement with the human: ${reviewers.map((r) => `${r.reviewer} ${pct(r.agreement.share)}`).join('; ')}`,
        ),
    table(
      ['reviewer', 'scored', 'agrees', 'share', 'kappa', 'unparseable'],
      stats.reviewers.map((r) => [
        r.reviewer,
        int(r.scored),
        int(r.agreement.agreements),
        pct(r.agreement.share),
        fixed(r.agreement.kappa, 3),
        int(r.unparseable),
      ]),
    ),
  );
}

function exportSection(stats: StatsView): HTMLElement {
  const c = stats.export.consistency;
  const counts = stats.export.counts;
  return section(
    'Training set (default export)',
    el(
      'p',
      { class: 'figure' },
      `${int(counts.rationaleExamples)} rationale + ${plural(counts.feedbackExamples, 'feedback example')} for ${plural(counts.mistakes, 'mistake')} (${int(counts.mistakesWithBoth)} with both)`,
    ),
    stackedBars(
      [
        {
          label: 'accepted rationales',
          segments: [
            { label: 'answer matches gold', value: c.exportedRationales - c.exportedInconsistent, tone: 'accept' },
            { label: 'kept, answer differs', value: c.exportedInconsistent, tone: 'warn' },
            { label: 'left out, answer differs', value: c.excludedInconsistent, tone: 'reject' },
          ],
          note: `${pct(c.consistentShare)} consistent`,
        },
      ],
      `Answer consistency: ${c.exportedRationales} exported rationales, ${c.excludedInconsistent} left out because their answer differs from gold`,
    ),
    legend([
      { label: 'answer matches gold', tone: 'accept' },
      { label: 'left out: answer differs from gold', tone: 'reject' },
    ]),
  );
}

function timeSection(stats: StatsView): HTMLElement {
  const t = stats.time;
  return section(
    'Curation time',
    el(
      'p',
      { class: 'figure' },
      t.medianSeconds === null ? 'Not enough decisions yet.' : `median ${fixed(t.medianSeconds, 1)} s per decision over ${plural(t.decisions, 'decision')}`,
    ),
    el(
      'p',
      { class: 'muted' },
      `The gap between a curator's consecutive decisions; gaps over ${t.idleCutoffSeconds / 60} minutes count as breaks, a bulk action as one decision.`,
    ),
    t.curators.length === 0
      ? null
      : table(
          ['curator', 'decisions', 'median s', 'active min', 'breaks'],
          t.curators.map((c) => [c.curator, int(c.decisions), fixed(c.medianSeconds, 1), fixed(c.activeSeconds / 60, 1), int(c.breaks)]),
        ),
    el('h3', {}, 'From first display to decision, and edit sizes'),
    el(
      'p',
      { class: 'muted' },
      "Seconds from an item's first display in the panel to its decision (capped at the break cutoff); edits against the teacher's original: characters and words changed, share of its words replaced; a rewrite replaces more than half.",
    ),
    telemetryTable('teacher', stats.telemetry.byTeacher),
    telemetryTable('curator', stats.telemetry.byCurator),
  );
}

function telemetryTable(who: string, groups: StatsView['telemetry']['byTeacher']): HTMLElement | null {
  if (groups.length === 0) return null;
  return table(
    [who, 'decisions', 'timed', 'median s', 'per hour', 'edits', 'median chars changed', 'median words changed', 'median share of words', 'rewrites'],
    groups.map((g) => [
      g.name,
      int(g.decisions),
      int(g.timed),
      fixed(g.medianSeconds, 1),
      fixed(g.decisionsPerHour, 0),
      int(g.edits),
      fixed(g.medianCharsChanged, 0),
      fixed(g.medianWordsChanged, 0),
      pct(g.medianWordShare),
      int(g.rewrites),
    ]),
  );
}

/** Per student (round) and split: accuracy with its 95 % Wilson interval — did curation help? */
function studentsSection(students: readonly StudentStats[]): HTMLElement | null {
  const rows = students.flatMap((s) =>
    s.splits.map((sp) => ({
      label: `${s.student}${s.round > 0 ? ` (round ${s.round})` : ''} · ${sp.split}`,
      value: sp.accuracy,
      low: sp.interval?.low ?? sp.accuracy,
      high: sp.interval?.high ?? sp.accuracy,
      note: `${pct(sp.accuracy)} of ${int(sp.answers)}`,
    })),
  );
  if (rows.length === 0) return null;
  return section(
    'Students',
    intervalBars(rows, `Accuracy per student and split, with 95 % Wilson intervals: ${rows.map((r) => `${r.label} ${r.note}`).join('; ')}`),
    table(
      ['student', 'round', 'trained from', 'split', 'answers', 'accuracy', '95 % interval', 'mistakes', 'with decisions'],
      students.flatMap((s) =>
        s.splits.map((sp) => [
          s.student,
          int(s.round),
          s.trainedFrom ?? '–',
          `${sp.task}/${sp.split}`,
          int(sp.answers),
          pct(sp.accuracy),
          sp.interval ? `${pct(sp.interval.low)} – ${pct(sp.interval.high)}` : '–',
          int(sp.mistakes),
          int(sp.mistakesWithDecisions),
        ]),
      ),
      4,
    ),
    el(
      'p',
      { class: 'muted' },
      "Whether two students differ beyond chance on the same problems: MAPD: Compare Students… (McNemar's exact test on the problems that flipped).",
    ),
  );
}

/** Agreement between the team's curators (accept, edit and reject as three categories); none until decisions are synced. */
function teamSection(stats: StatsView): HTMLElement | null {
  const team = stats.team;
  if (!team) return null;
  const groups: [string, NonNullable<StatsView['team']>['overall']][] = [
    ['all items', team.overall],
    ...Object.entries(team.byKind),
    ...Object.entries(team.byTeacher),
  ];
  return section(
    'Curators',
    el(
      'p',
      {},
      `${plural(team.curators.length, 'curator')}; ${plural(team.disagreements, 'item')} they disagree on, ${int(team.adjudicated)} adjudicated. An edit counts as its own category (neither accept nor reject); two edits agree whatever their texts.`,
    ),
    table(
      ['curator', 'items decided', 'mistakes assigned (team.json)', 'of those decided'],
      [...new Set([...team.curators, ...(team.assignment?.curators.map((c) => c.curator) ?? [])])].sort().map((c) => {
        const assigned = team.assignment?.curators.find((a) => a.curator === c);
        return [c, int(team.decided[c] ?? 0), assigned ? int(assigned.assigned) : '–', assigned ? int(assigned.decided) : '–'];
      }),
    ),
    table(
      ['items', 'decided by two or more', "Krippendorff's alpha"],
      groups.map(([label, g]) => [label, int(g.items), fixed(g.alpha, 3)]),
    ),
    table(
      ['items', 'pair', 'both decided', 'agree', "Cohen's kappa"],
      groups.flatMap(([label, g]) => g.pairs.map((p) => [label, `${p.curators[0]} & ${p.curators[1]}`, int(p.items), int(p.agreements), fixed(p.kappa, 3)])),
      2,
    ),
  );
}

function totalsSection(stats: StatsView): HTMLElement {
  const t = stats.totals;
  const card = (label: string, value: number) => el('div', { class: 'card' }, el('div', { class: 'value' }, int(value)), el('div', { class: 'muted' }, label));
  return el(
    'div',
    { class: 'cards', role: 'group', 'aria-label': 'Totals' },
    card('outputs', t.outputs),
    card('decided', t.decided),
    card('accepted', t.humanAccepted),
    card('edited', t.edited),
    card('rejected', t.rejected),
    card('undecided', t.undecided),
    card('peer-accepted', t.peerAccepted),
  );
}

export function render(root: HTMLElement, message: StatsHostMessage, host: Host): void {
  const refresh = el('button', { type: 'button', id: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => host.post({ type: 'refresh' }));
  const exportButton = el('button', { type: 'button', id: 'export', class: 'secondary' }, 'Export Training Set…');
  exportButton.addEventListener('click', () => host.post({ type: 'export' }));
  const header = el('header', { class: 'head' }, el('h1', {}, 'MAPD Curation Statistics'), refresh, exportButton);
  const body: Node[] = [header];
  if (message.type === 'stats') {
    header.appendChild(el('span', { class: 'muted' }, `${message.project} · ${new Date(message.at).toLocaleTimeString()}`));
    body.push(
      totalsSection(message.stats),
      teachersSection(message.stats),
      agreementSection(message.stats),
      exportSection(message.stats),
      timeSection(message.stats),
    );
    const team = teamSection(message.stats);
    if (team) body.push(team);
    const students = studentsSection(message.students);
    if (students) body.push(students);
  } else {
    body.push(el('p', { class: message.type === 'error' ? 'error' : 'muted', role: message.type === 'error' ? 'alert' : undefined }, message.message));
  }
  root.replaceChildren(...body);
  root.setAttribute('data-state', message.type);
}

/** Wires the app: every host message is validated before it is drawn; malformed ones are ignored. */
export function startApp(root: HTMLElement, host: Host): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseStatsHostMessage(event.data);
    if (message) render(root, message, host);
  });
  host.post({ type: 'ready' });
}
