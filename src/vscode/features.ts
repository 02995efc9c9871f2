import type { Feature } from './services.ts';
import { curationFeature } from './curation/index.ts';
import { decisionsFeature } from './decisions/index.ts';
import { exportFeature } from './export/index.ts';
import { onboardingFeature } from './onboarding.ts';
import { projectFeature } from './project/index.ts';
import { statsFeature } from './stats/index.ts';
import { studentsFeature } from './students/index.ts';
import { teachersFeature } from './teachers/index.ts';
import { toolsFeature } from './tools/index.ts';

/** Every feature of the extension, in activation order. Each is the index.ts of its folder under src/vscode/. */
export const FEATURES: Feature[] = [
  projectFeature,
  curationFeature,
  teachersFeature,
  exportFeature,
  decisionsFeature,
  statsFeature,
  studentsFeature,
  toolsFeature,
  onboardingFeature,
];
