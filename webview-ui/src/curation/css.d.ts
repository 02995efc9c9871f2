// esbuild bundles imported CSS to dist/webview/<app>.css; TypeScript only needs to know the import is fine.
declare module '*.css';
