import './stats.css';
import type { StatsWebviewMessage } from '../../../src/protocol/stats.ts';
import { startApp } from './app.ts';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) startApp(root, { post: (message: StatsWebviewMessage) => api.postMessage(message) });
