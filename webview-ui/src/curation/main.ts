import './curation.css';
import { vscodeApi } from '../shared/vscodeApi.ts';
import { startApp } from './app.ts';
import { readSavedState } from './state.ts';

const api = vscodeApi();
const root = document.getElementById('app');
if (root)
  startApp(root, {
    post: (message) => api.postMessage(message),
    load: () => readSavedState(api.getState()),
    save: (state) => api.setState({ problemId: state.problemId, focus: state.focus }),
  });
