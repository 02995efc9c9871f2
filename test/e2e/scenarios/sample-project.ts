// The shipped demo sample, filled by the CLI before the workbench opens (as `npm run demo` does):
// the activity bar's MAPD Curator view lists 8 mistakes and 12 correct answers, and the first
// mistake opens in the curation panel.
import { spawnSync } from 'node:child_process';
import { checkWorkbench } from '../check-workbench.ts';
import type { ScenarioContext } from '../lib/scenario.ts';
import { viewRows } from '../lib/workbench.ts';

export function prepare({ workspaceDir, repoRoot }: { workspaceDir: string; repoRoot: string }): void {
  const result = spawnSync('bash', ['scripts/demo-project.sh', workspaceDir], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/demo-project.sh failed:\n${result.stdout}\n${result.stderr}`);
}

export default async function sampleProject({ page, serverUrl, workspaceDir, screenshot }: ScenarioContext): Promise<void> {
  await checkWorkbench(page, { serverUrl, folder: workspaceDir, navigate: false, mistakes: 8, openFirstMistake: true });
  await viewRows(page, 'Problems')
    .filter({ hasText: /^\s*Correct \(12\)/ })
    .waitFor({ timeout: 10_000 });
  await screenshot('sample-project');
}
