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
        },
      },
    },
  },
  preload: {
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
