import type { CurationStats } from '../core/stats/curation.ts';
import type { GroupAgreement, TeamAgreement } from '../core/team/agreement.ts';
import { fixed as num, pct } from '../protocol/format.ts';

/** The curation statistics as aligned text, for `mapd stats` without --json. */
export function formatCurationStats(stats: CurationStats): string {
  const lines: string[] = ['', 'curation'];
  const teachers = stats.teachers;
  if (teachers.length > 0) {
    const width = Math.max(7, ...teachers.map((t) => t.teacher.length));
    lines.push(`${'teacher'.padEnd(width)}  outputs  peer-ok  accepted  edited  rejected  mean score    tokens      cost`);
    for (const t of teachers) {
      lines.push(
        `${t.teacher.padEnd(width)}  ${String(t.outputs).padStart(7)}  ${String(t.peerAccepted).padStart(7)}  ${String(t.humanAccepted).padStart(8)}  ${String(t.edited).padStart(6)}  ${String(t.rejected).padStart(8)}  ${num(t.meanPeerScore).padStart(10)}  ${String(t.tokensIn + t.tokensOut).padStart(8)}  ${t.cost.toFixed(4).padStart(8)}`,
      );
    }
  }
  const truncated = teachers.filter((t) => t.truncated > 0);
  if (truncated.length > 0)
    lines.push(
      `truncated         ${truncated.map((t) => `${t.teacher} ${t.truncated} of ${t.outputs}`).join(', ')} outputs cut at max tokens (left out of exports unless --include-truncated)`,
    );
  const s = stats.studentCalls;
  if (s.calls > 0) lines.push(`student calls     ${s.calls} (exam), ${s.tokensIn + s.tokensOut} tokens, $${s.cost.toFixed(4)}`);
  const hp = stats.humanVsPeer;
  lines.push('', `human vs peer     ${hp.agreements} of ${hp.items} decided items agree (${pct(hp.share)}), Cohen's kappa ${num(hp.kappa, 3)}`);
  for (const r of stats.reviewers)
    lines.push(
      `  reviewer ${r.reviewer}: agrees with the human on ${r.agreement.agreements} of ${r.scored} (${pct(r.agreement.share)}), kappa ${num(r.agreement.kappa, 3)}${r.unparseable ? `, ${r.unparseable} unparseable` : ''}`,
    );
  const c = stats.export.consistency;
  lines.push(
    `export            ${stats.export.counts.rationaleExamples} rationale + ${stats.export.counts.feedbackExamples} feedback examples; ${c.excludedInconsistent} accepted rationales left out for a wrong answer (${pct(c.consistentShare)} consistent)`,
  );
  const time = stats.time;
  lines.push(
    `curation time     median ${num(time.medianSeconds, 1)} s per decision over ${time.decisions} decisions (gaps over ${time.idleCutoffSeconds / 60} min are breaks)`,
  );
  if (stats.team) lines.push(...formatTeam(stats.team));
  return `${lines.join('\n')}\n`;
}

function groupLine(label: string, group: GroupAgreement): string[] {
  return [
    `  ${label}: ${group.items} items decided by two or more, Krippendorff's alpha ${num(group.alpha, 3)}`,
    ...group.pairs.map((p) => `    ${p.curators[0]} & ${p.curators[1]}: ${p.agreements} of ${p.items} both decided agree, Cohen's kappa ${num(p.kappa, 3)}`),
  ];
}

/** The team's agreement (accept / edit / reject as three categories), overall, per kind, per teacher. */
export function formatTeam(team: TeamAgreement): string[] {
  return [
    '',
    `team              ${team.curators.length} curators (${team.curators.map((c) => `${c} ${team.decided[c] ?? 0} decided`).join(', ')}); ${team.disagreements} items they disagree on, ${team.adjudicated} adjudicated`,
    ...(team.assignment
      ? [
          `  assignment (team.json, ${team.assignment.overlap} curators per mistake): ${team.assignment.curators.map((c) => `${c.curator} ${c.decided} of ${c.assigned} assigned decided`).join(', ')}`,
        ]
      : []),
    ...groupLine('all', team.overall),
    ...Object.entries(team.byKind).flatMap(([kind, group]) => groupLine(kind, group)),
    ...Object.entries(team.byTeacher).flatMap(([teacher, group]) => groupLine(teacher, group)),
  ];
}
