import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.tools/**', '.cache/**', '.demo/**', 'test-results/**', '.venv/**', '.venv-trl/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false }, globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core and the CLI never import vscode.' }] }],
    },
  },
  {
    // Every VS Code notification goes through src/vscode/common/notify.ts, which makes the
    // message inert (no command:/file:/https: link can come from data); hovers stay plain text.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(showErrorMessage|showWarningMessage|showInformationMessage|withProgress)$/]',
          message:
            'Use showError/showWarning/showInfo/withNotificationProgress from src/vscode/common/notify.ts: messages repeat untrusted text, which must not form links.',
        },
        {
          selector: 'MemberExpression[property.name="MarkdownString"], Identifier[name="MarkdownString"]',
          message: 'No MarkdownString: hovers and tooltips are plain strings, so untrusted text cannot become a link.',
        },
      ],
    },
  },
  {
    // The domain does not depend on the webview's wire format: the protocol imports core's view types, not the other way.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core and the CLI never import vscode.' }],
          patterns: [{ regex: '(^|/)protocol/', message: 'src/core never imports src/protocol: view types live in src/core/curation/view.ts.' }],
        },
      ],
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The webview talks to the host only through src/protocol (its own code and npm packages aside).
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(\\.\\./)+src/(?!protocol/)', message: 'webview-ui imports only src/protocol/** from src.' }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Untrusted text is rendered with textContent, never as HTML.' },
        { property: 'outerHTML', message: 'Untrusted text is rendered with textContent, never as HTML.' },
        { property: 'insertAdjacentHTML', message: 'Untrusted text is rendered with textContent, never as HTML.' },
      ],
    },
  },
  { files: ['test/**/*.ts', 'benchmarks/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
