import type { Page } from 'playwright-core';

/**
 * VS Code's theme variables for the webview tests and the screenshots: the one copy of the colour
 * tables, so the contrast test measures the themes the screenshots show.
 */
export interface Theme {
  /** Classes VS Code puts on the webview's body (high-contrast light has both). */
  bodyClass: string;
  kind: string;
  vars: Record<string, string>;
}

export const FONT = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '13px',
};

/** A subset of VS Code's default Light Modern, Dark Modern, High Contrast (dark) and High Contrast Light colours. */
export const THEMES: Record<string, Theme> = {
  light: {
    bodyClass: 'vscode-light',
    kind: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-button-border': '#0000001a',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-textBlockQuote-border': '#e5e5e5',
      '--vscode-textCodeBlock-background': '#f8f8f8',
      '--vscode-testing-iconPassed': '#388a34',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-errorForeground': '#f85149',
      '--vscode-diffEditor-insertedTextBackground': '#9ccc2c40',
      '--vscode-diffEditor-removedTextBackground': '#ff000033',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-notificationsInfoIcon-foreground': '#1a85ff',
      '--vscode-list-warningForeground': '#855f00',
      '--vscode-list-errorForeground': '#b01011',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    kind: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-button-border': '#ffffff12',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-textBlockQuote-border': '#616161',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-errorForeground': '#f85149',
      '--vscode-diffEditor-insertedTextBackground': '#9ccc2c33',
      '--vscode-diffEditor-removedTextBackground': '#ff000033',
      '--vscode-editor-findMatchHighlightBackground': '#9e6a03',
      '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-notificationsInfoIcon-foreground': '#3794ff',
      '--vscode-list-warningForeground': '#cca700',
      '--vscode-list-errorForeground': '#f88070',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    kind: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-focusBorder': '#f38518',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-textBlockQuote-background': '#000000',
      '--vscode-textBlockQuote-border': '#ffffff',
      '--vscode-textCodeBlock-background': '#000000',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f48771',
      '--vscode-editorWarning-foreground': '#ffd370',
      '--vscode-errorForeground': '#f48771',
      '--vscode-diffEditor-insertedTextBorder': '#33ff2e',
      '--vscode-diffEditor-removedTextBorder': '#ff008f',
      '--vscode-editor-findMatchHighlightBorder': '#f38518',
      '--vscode-editorWidget-background': '#0c141f',
    },
  },
  'high-contrast-light': {
    bodyClass: 'vscode-high-contrast vscode-high-contrast-light',
    kind: 'vscode-high-contrast-light',
    vars: {
      '--vscode-foreground': '#292929',
      '--vscode-editor-foreground': '#292929',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#292929',
      '--vscode-focusBorder': '#0f4a85',
      '--vscode-contrastBorder': '#0f4a85',
      '--vscode-button-background': '#0f4a85',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#0f4a85',
      '--vscode-button-secondaryForeground': '#292929',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#292929',
      '--vscode-input-border': '#0f4a85',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#292929',
      '--vscode-badge-background': '#0f4a85',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-panel-border': '#0f4a85',
      '--vscode-textBlockQuote-background': '#f2f2f2',
      '--vscode-textBlockQuote-border': '#292929',
      '--vscode-textCodeBlock-background': '#f2f2f2',
      '--vscode-testing-iconPassed': '#388a34',
      '--vscode-testing-iconFailed': '#b5200d',
      '--vscode-editorWarning-foreground': '#895503',
      '--vscode-errorForeground': '#b5200d',
      '--vscode-diffEditor-insertedTextBorder': '#374e06',
      '--vscode-diffEditor-removedTextBorder': '#ad0707',
      '--vscode-editor-findMatchHighlightBorder': '#0f4a85',
      '--vscode-editorWidget-background': '#ffffff',
    },
  },
};

/** Sets a theme's variables and body classes once the document exists, as VS Code does on the webview's html element. */
export function applyTheme(page: Page, theme: Theme): Promise<unknown> {
  return page.addInitScript(
    (t) => {
      document.addEventListener('DOMContentLoaded', () => {
        for (const [key, value] of Object.entries(t.vars)) document.documentElement.style.setProperty(key, value);
        document.body.classList.add(...t.bodyClass.split(' '));
        document.body.dataset.vscodeThemeKind = t.kind;
      });
    },
    { vars: { ...FONT, ...theme.vars }, bodyClass: theme.bodyClass, kind: theme.kind },
  );
}
