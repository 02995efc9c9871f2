import './stats.css';
import type { StatsWebviewMessage } from '../../../src/protocol/stats.ts';
import { vscodeApi } from '../shared/vscodeApi.ts';
import { startApp } from './app.ts';

const api = vscodeApi();
const root = document.getElementById('app');
if (root) startApp(root, { post: (message: StatsWebviewMessage) => api.postMessage(message) });
