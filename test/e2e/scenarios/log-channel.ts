// The palette runs "MAPD: Show Log" and the Output panel shows the "MAPD Curator" log channel
// with the activation line.
import type { ScenarioContext } from '../lib/scenario.ts';
import { runCommand, showOutputChannel } from '../lib/workbench.ts';

export default async function logChannel({ page }: ScenarioContext): Promise<void> {
  await runCommand(page, 'MAPD: Show Log');
  const output = await showOutputChannel(page, 'MAPD Curator');
  await output.filter({ hasText: 'MAPD Curator activated' }).waitFor({ timeout: 20_000 });
}
