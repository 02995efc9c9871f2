import type { Page } from 'playwright-core';

/** What a scenario (test/e2e/scenarios/<name>.ts) receives. */
export interface ScenarioContext {
  /** The workbench, loaded with the extension and workspaceDir open. */
  page: Page;
  /** A fresh folder per scenario, open in the workbench. */
  workspaceDir: string;
  serverUrl: string;
  repoRoot: string;
  /** Saves a PNG under test-results/e2e/scenarios/<scenario>/<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
}

/** A scenario module: a default export, and optionally prepare() run before the workbench opens. */
export interface Scenario {
  default: (context: ScenarioContext) => Promise<void>;
  prepare?: (context: { workspaceDir: string; repoRoot: string }) => Promise<void> | void;
}
