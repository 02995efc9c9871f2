import { el, svg } from '../shared/dom.ts';

/** One coloured part of a bar; the colour is a CSS class bound to a --vscode-charts-* variable. */
export interface Segment {
  label: string;
  value: number;
  tone: 'accept' | 'edit' | 'reject' | 'undecided' | 'peer' | 'warn';
}

export interface BarRow {
  label: string;
  segments: Segment[];
  /** Text at the bar's end (e.g. a share). */
  note?: string;
}

const ROW = 26;
const LABEL = 170;
const NOTE = 120;
const WIDTH = 640;

/**
 * Horizontal stacked bars, one row per label, scaled to `max` (default: the largest row total).
 * Each segment has a <title> so hovering names it; the chart has a text summary for readers.
 */
export function stackedBars(rows: readonly BarRow[], summary: string, max?: number): SVGSVGElement {
  const scale = max ?? Math.max(1, ...rows.map((r) => r.segments.reduce((n, seg) => n + seg.value, 0)));
  const barWidth = WIDTH - LABEL - NOTE;
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${WIDTH} ${rows.length * ROW + 4}`, width: '100%', role: 'img', 'aria-label': summary });
  rows.forEach((row, i) => {
    const y = i * ROW + 2;
    chart.appendChild(svg('text', { x: 0, y: y + ROW / 2 + 4, class: 'label' }, row.label));
    let x = LABEL;
    for (const seg of row.segments) {
      if (seg.value <= 0) continue;
      const w = (seg.value / scale) * barWidth;
      chart.appendChild(
        svg('rect', { x, y: y + 4, width: Math.max(w, 1), height: ROW - 8, class: `bar ${seg.tone}` }, svg('title', {}, `${seg.label}: ${seg.value}`)),
      );
      x += w;
    }
    if (row.note) chart.appendChild(svg('text', { x: x + 6, y: y + ROW / 2 + 4, class: 'note' }, row.note));
  });
  return chart;
}

/** A legend of the tones a chart uses. */
export function legend(items: readonly { label: string; tone: Segment['tone'] }[]): HTMLElement {
  return el('div', { class: 'legend' }, ...items.map((item) => el('span', { class: 'key' }, el('span', { class: `swatch ${item.tone}` }), item.label)));
}

/** The 2×2 table of two raters' verdicts as four shaded cells. */
export function confusion(
  cells: { bothAccept: number; bothReject: number; firstOnly: number; secondOnly: number },
  first: string,
  second: string,
): SVGSVGElement {
  const total = Math.max(1, cells.bothAccept + cells.bothReject + cells.firstOnly + cells.secondOnly);
  const size = 90;
  const chart = svg('svg', {
    class: 'chart confusion',
    viewBox: `0 0 ${120 + 2 * size} ${40 + 2 * size}`,
    width: `${120 + 2 * size}`,
    role: 'img',
    'aria-label': `${first} and ${second}: both accept ${cells.bothAccept}, both reject ${cells.bothReject}, only ${first} accepts ${cells.firstOnly}, only ${second} accepts ${cells.secondOnly}`,
  });
  chart.appendChild(svg('text', { x: 120 + size / 2, y: 14, class: 'axis', 'text-anchor': 'middle' }, `${second}: accept`));
  chart.appendChild(svg('text', { x: 120 + size * 1.5, y: 14, class: 'axis', 'text-anchor': 'middle' }, 'reject'));
  chart.appendChild(svg('text', { x: 112, y: 30 + size / 2, class: 'axis', 'text-anchor': 'end' }, `${first}: accept`));
  chart.appendChild(svg('text', { x: 112, y: 30 + size * 1.5, class: 'axis', 'text-anchor': 'end' }, 'reject'));
  const cell = (col: number, row: number, value: number, agree: boolean): void => {
    const x = 120 + col * size;
    const y = 22 + row * size;
    chart.appendChild(
      svg('rect', {
        x,
        y,
        width: size - 4,
        height: size - 4,
        class: `cell ${agree ? 'agree' : 'disagree'}`,
        'fill-opacity': (0.15 + 0.85 * (value / total)).toFixed(2),
      }),
    );
    chart.appendChild(svg('text', { x: x + size / 2 - 2, y: y + size / 2 + 4, class: 'count', 'text-anchor': 'middle' }, String(value)));
  };
  cell(0, 0, cells.bothAccept, true);
  cell(1, 0, cells.firstOnly, false);
  cell(0, 1, cells.secondOnly, false);
  cell(1, 1, cells.bothReject, true);
  return chart;
}

/** A proportion per row as a bar, with its confidence interval as a whisker over it (0–100 %). */
export function intervalBars(rows: readonly { label: string; value: number; low: number; high: number; note: string }[], summary: string): SVGSVGElement {
  const barWidth = WIDTH - LABEL - NOTE;
  const chart = svg('svg', { class: 'interval-chart', viewBox: `0 0 ${WIDTH} ${rows.length * ROW + 4}`, width: '100%', role: 'img', 'aria-label': summary });
  rows.forEach((row, i) => {
    const y = i * ROW + 2;
    const mid = y + ROW / 2;
    chart.appendChild(svg('text', { x: 0, y: mid + 4, class: 'label' }, row.label));
    chart.appendChild(
      svg('rect', { x: LABEL, y: y + 6, width: Math.max(row.value * barWidth, 1), height: ROW - 12, class: 'bar accept' }, svg('title', {}, row.note)),
    );
    const [x1, x2] = [LABEL + row.low * barWidth, LABEL + row.high * barWidth];
    chart.appendChild(svg('line', { x1, x2, y1: mid, y2: mid, class: 'whisker' }));
    for (const x of [x1, x2]) chart.appendChild(svg('line', { x1: x, x2: x, y1: mid - 5, y2: mid + 5, class: 'whisker' }));
    chart.appendChild(svg('text', { x: LABEL + barWidth + 6, y: mid + 4, class: 'note' }, row.note));
  });
  return chart;
}
