import type { WebviewPage } from '../webviewHtml.ts';

/** The statistics arrive as a message and are drawn as text and SVG shapes. */
export const STATS_PAGE: WebviewPage = { bundle: 'stats', title: 'MAPD Statistics', body: '<main id="app" aria-live="polite"><p>Loading statistics…</p></main>' };
