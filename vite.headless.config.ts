/**
 * The headless build: out/headless/cli.js (the `botdesk` bin: shebang, executable)
 * and out/headless/compute-worker.js (forked next to it by the compute pool).
 * Node 24, ESM, every dependency external: node_modules is present at runtime.
 */
import { chmod } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

const root = import.meta.dirname;
const outDir = resolve(root, 'out/headless');
const dependencies = Object.keys(pkg.dependencies);

function isExternal(id: string): boolean {
  if (id.startsWith('node:') || builtinModules.includes(id)) return true;
  return dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));
}

/** The bin must be executable after every build. */
function executableCli(): Plugin {
  return {
    name: 'botdesk-executable-cli',
    apply: 'build',
    async writeBundle() {
      await chmod(resolve(outDir, 'cli.js'), 0o755);
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [executableCli()],
  build: {
    ssr: true,
    target: 'node24',
    outDir,
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      input: {
        cli: resolve(root, 'src/headless/cli.ts'),
        'compute-worker': resolve(root, 'src/core/compute/worker-entry.ts'),
      },
      external: isExternal,
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
