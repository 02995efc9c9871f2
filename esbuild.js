// Bundles the extension host code, the CLI (both Node, CommonJS) and the webview (browser).
// better-sqlite3 stays external: its native binding is loaded from node_modules at run time.
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // Error classes are told apart by name (SDK errors); minified names would break that.
  keepNames: true,
  external: ['vscode', 'better-sqlite3'],
  logLevel: 'warning',
};

/** Extra entry points registered by feature folders (e.g. the in-host test suite). */
const extraNodeEntries = [];
if (fs.existsSync(path.join(__dirname, 'test/e2e/suite/index.ts'))) {
  extraNodeEntries.push({ in: 'test/e2e/suite/index.ts', out: 'test/suite' });
}

const builds = [
  {
    ...nodeCommon,
    entryPoints: [
      { in: 'src/extension.ts', out: 'extension' },
      { in: 'src/cli.ts', out: 'cli' },
      { in: 'src/core/import/worker.ts', out: 'importWorker' },
      { in: 'src/core/curation/orderFillWorker.ts', out: 'orderFillWorker' },
      ...extraNodeEntries,
    ],
    outdir: 'dist',
  },
];
// Each webview app is webview-ui/src/<name>/main.ts, bundled to dist/webview/<name>.js.
const webviewDir = path.join(__dirname, 'webview-ui/src');
const webviewEntries = fs.existsSync(webviewDir)
  ? fs
      .readdirSync(webviewDir)
      .filter((name) => fs.existsSync(path.join(webviewDir, name, 'main.ts')))
      .map((name) => ({ in: `webview-ui/src/${name}/main.ts`, out: name }))
  : [];
if (webviewEntries.length > 0) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
}

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('esbuild: watching');
    return;
  }
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`esbuild: built dist/ in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
