import type * as vscode from 'vscode';
import type { Services } from './services.ts';
import { teachersFeature } from './teachers/index.ts';
import { registerCurationPanel } from './curation/panel.ts';
import { projectFeature } from './project/index.ts';
import { exportFeature } from './export/index.ts';
import { studentsFeature } from './students/index.ts';
import { toolsFeature } from './tools/index.ts';
import { onboardingFeature } from './onboarding.ts';

/** A feature registers its commands, views and panels; extension.ts activates each in turn. */
export type Feature = (services: Services) => vscode.Disposable[];

/** Every feature of the extension. Each lives in its own folder under src/vscode/. */
export const FEATURES: Feature[] = [projectFeature, registerCurationPanel, teachersFeature, exportFeature, studentsFeature, toolsFeature, onboardingFeature];
