/**
 * electron-vite build of the desktop app, in the layout of electron-vite's
 * react-ts template: src/main → out/main (ESM, plus the compute worker bundle),
 * src/preload → out/preload (CJS: sandboxed preloads cannot be ES modules; every
 * dependency bundled in), src/renderer → out/renderer (relative base, so the same
 * files load from file:// in Electron and over HTTP from `botdesk serve --ui`).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from './src/main/security-policy.ts';

const root = import.meta.dirname;

/** The dev server's HMR needs inline script and style; built pages keep the strict policy. */
const devServerCsp: Plugin = {
  name: 'botdesk:dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace(CONTENT_SECURITY_POLICY, contentSecurityPolicy({ devServer: true })),
};

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          // forked by the utility-process host next to index.js (see resolveWorkerEntry)
          'compute-worker': resolve(root, 'src/core/compute/worker-entry.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [react(), devServerCsp],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // served over the network by `botdesk serve --ui` too: ship it small
      minify: true,
      rolldownOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
});
