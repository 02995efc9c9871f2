import type { MistakeFilter, StatusFilter } from '../../../src/protocol/curation.ts';
import { STATUS_FILTERS } from '../../../src/protocol/curation.ts';
import { el } from '../shared/dom.ts';
import type { Shell } from './shell.ts';

type Fields = Shell['filters'];

const SEARCH_DEBOUNCE_MS = 250;
const SEARCH_MAX = 500;

/** The filter as the fields hold it now. */
export function readFilter(f: Fields): MistakeFilter {
  const number = (input: HTMLInputElement): number | null => (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber);
  const status = f.status.value as StatusFilter;
  return {
    status: STATUS_FILTERS.includes(status) ? status : 'all',
    teacher: f.teacher.value === '' ? null : f.teacher.value,
    scoreMin: number(f.scoreMin),
    scoreMax: number(f.scoreMax),
    mismatchOnly: f.mismatch.checked,
    wrongStepOnly: f.wrongStep.checked,
    truncatedOnly: f.truncated.checked,
    search: f.search.value.slice(0, SEARCH_MAX),
    curatorsDisagree: f.disagree.checked,
    myQueue: f.myQueue.checked,
  };
}

/** Shows the host's filter in the fields, leaving alone the field the user is typing in. */
export function showFilter(f: Fields, filter: MistakeFilter, teachers: readonly string[]): void {
  const known = new Set(Array.from(f.teacher.options, (o) => o.value));
  if (teachers.some((t) => !known.has(t)) || known.size !== teachers.length + 1) {
    f.teacher.replaceChildren(el('option', { value: '' }, 'Any teacher'), ...teachers.map((t) => el('option', { value: t }, t)));
  }
  if (document.activeElement !== f.status) f.status.value = filter.status;
  if (document.activeElement !== f.teacher) f.teacher.value = filter.teacher ?? '';
  if (document.activeElement !== f.scoreMin) f.scoreMin.value = filter.scoreMin === null ? '' : String(filter.scoreMin);
  if (document.activeElement !== f.scoreMax) f.scoreMax.value = filter.scoreMax === null ? '' : String(filter.scoreMax);
  f.mismatch.checked = filter.mismatchOnly;
  f.wrongStep.checked = filter.wrongStepOnly;
  f.truncated.checked = filter.truncatedOnly;
  f.disagree.checked = filter.curatorsDisagree;
  f.myQueue.checked = filter.myQueue;
  if (document.activeElement !== f.search) f.search.value = filter.search;
}

/** Calls `apply` with the fields' filter whenever it differs from `current()`: on change, submit, and typing in search (debounced). */
export function wireFilters(f: Fields, current: () => MistakeFilter, apply: (filter: MistakeFilter) => void): void {
  const changed = (): void => {
    const next = readFilter(f);
    if (JSON.stringify(next) !== JSON.stringify(current())) apply(next);
  };
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  f.form.addEventListener('submit', (event) => {
    event.preventDefault();
    changed();
  });
  f.form.addEventListener('change', changed);
  f.search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(changed, SEARCH_DEBOUNCE_MS);
  });
}
