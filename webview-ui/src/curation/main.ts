import './curation.css';
import { startApp } from './app.ts';
import { loadState, post, saveState } from './vscodeApi.ts';

const root = document.getElementById('app');
if (root) startApp(root, { post, load: loadState, save: saveState });
