import type { WebviewPage } from '../webviewHtml.ts';

export const CURATION_PAGE: WebviewPage = { bundle: 'curation', title: 'MAPD Curation', body: '<div id="app"></div>' };
