import * as vscode from 'vscode';
import fs from 'node:fs';
import type { Feature } from './services.ts';

const WALKTHROUGH = 'gettingStarted';
const SHOWN_KEY = 'mapd.walkthroughShown';

/**
 * Where a newcomer starts. In a workspace without a project, the first activation ever opens the
 * "Get Started with MAPD Curator" walkthrough (package.json contributes.walkthroughs), unless the
 * user turned walkthroughs off (workbench.welcomePage.walkthroughs.openOnInstall). In a workspace
 * whose settings ask for it (`mapd.openPanelOnStartup`, as the demo's do), the curation panel
 * opens on the first undecided mistake.
 */
export const onboardingFeature: Feature = (services) => {
  const { context } = services;
  const file = services.dbPath();
  const hasProject = file !== undefined && fs.existsSync(file);
  const settings = vscode.workspace.getConfiguration();
  if (hasProject && settings.get<boolean>('mapd.openPanelOnStartup') === true) {
    void vscode.commands.executeCommand('mapd.openCuration');
  } else if (
    !hasProject &&
    file !== undefined &&
    !context.globalState.get<boolean>(SHOWN_KEY) &&
    settings.get<boolean>('workbench.welcomePage.walkthroughs.openOnInstall') !== false
  ) {
    void context.globalState.update(SHOWN_KEY, true);
    // After the workbench's own start-up editors (a first launch opens VS Code's walkthrough too).
    const timer = setTimeout(() => {
      void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH}`, false);
      services.log.info('opened the Get Started walkthrough (first activation without a project)');
    }, 2000);
    return [{ dispose: () => clearTimeout(timer) }];
  }
  return [];
};
