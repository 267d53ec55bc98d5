import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { APP_CSP_META } from './electron/main/security/content-security-policy.ts';

/** Production pages carry the CSP as a meta tag too (the dev server's inline bootstrap can't). */
function cspMetaTag(): Plugin {
  return {
    name: 'passdesk:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: APP_CSP_META },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // The built-in backend's hashing threads load this file by itself, found next to
          // index.js (see electron/backend/crypto/hash-pool.ts).
          'hash-worker': resolve(import.meta.dirname, 'electron/backend/crypto/hash-worker.ts'),
          // The built-in backend's own thread, found the same way (electron/backend/thread).
          'backend-thread-entry': resolve(
            import.meta.dirname,
            'electron/backend/thread/backend-thread-entry.ts',
          ),
        },
        // Code both entries share goes beside them, not into chunks/: the modules that find the
        // workers by their own import.meta.url (hashWorkerUrl, backendThreadUrl) must sit in
        // out/main, next to the worker files.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    // The sandboxed preload is one file with no dependency but `electron`: it builds window.api
    // from the generated channel map (shared/ipc/channels.ts), with no zod and no schemas
    // (test/unit/ipc/channels.test.ts bundles it with this config and checks).
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react(), cspMetaTag()],
    build: {
      // electron-vite leaves every build unminified. The pages are minified (JS with Oxc, CSS
      // with Lightning CSS; `npm run bench:bundle` checks the gzip sizes). Main and preload stay
      // readable: they load from disk, the preload is a few KB, and main's stack traces in the
      // logs must stay legible. No source maps by default: the standalone backend serves this
      // folder's assets to the public (/reset/assets/*). `electron-vite build --sourcemap`
      // writes linked maps for debugging; electron-builder leaves *.map out of the package.
      minify: true,
      // One chunk, mostly AG Grid, read from disk: the size that counts is bench:bundle's.
      chunkSizeWarningLimit: 1000,
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'renderer/index.html'),
          // The end user's reset page, served by the provisioning backend at /reset/<token>.
          reset: resolve(import.meta.dirname, 'renderer/reset.html'),
        },
      },
    },
  },
});
