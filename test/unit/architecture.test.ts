/**
 * Layer boundaries, checked on the real import statements of every source file
 * (static, re-export, dynamic import() and require()): src/core and src/headless
 * never reach Electron or the app layers; the renderer reaches other layers only
 * through the contract (src/core/api), and the contract only through itself, so
 * nothing of the engine can leak into the browser bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(m?[jt]s|tsx|jsx)$/;

interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  text: string;
}

function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function inside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(`${folder}/`);
}

/** The repository-relative target of a relative specifier, or null for packages. */
function target(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

const APP_LAYERS = ['src/main', 'src/preload', 'src/renderer'];
/** Code layers the renderer must not reach into (assets such as resources/ are fine). */
const NON_RENDERER_CODE = ['src/main', 'src/preload', 'src/headless', 'src/core'];
const isElectron = (specifier: string) =>
  specifier === 'electron' || specifier.startsWith('electron/');

function findViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const { file, text } of files) {
    for (const specifier of importsOf(text)) {
      const to = target(file, specifier);
      const say = (why: string) => violations.push(`${file}: '${specifier}' — ${why}`);
      if (inside(file, 'src/core') || inside(file, 'src/headless')) {
        if (isElectron(specifier)) say('core and headless must stay Electron-free');
        else if (to && APP_LAYERS.some((layer) => inside(to, layer)))
          say('core and headless may not import app layers');
      }
      if (inside(file, 'src/core/api') && to && !inside(to, 'src/core/api')) {
        say('the contract imports only itself (the renderer bundles it)');
      }
      if (inside(file, 'src/renderer')) {
        if (isElectron(specifier)) say('the renderer is sandboxed: no Electron');
        else if (
          to &&
          NON_RENDERER_CODE.some((layer) => inside(to, layer)) &&
          !inside(to, 'src/core/api')
        ) {
          say('the renderer may import only the contract (src/core/api) from other layers');
        }
      }
    }
  }
  return violations;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('architecture', () => {
  it('the scanner catches violations in a synthetic sample (and passes clean code)', () => {
    const sample: SourceFile[] = [
      { file: 'src/core/bot/bad.ts', text: "import { app } from 'electron';" },
      { file: 'src/core/bot/bad2.ts', text: "export { x } from '../../main/windows.ts';" },
      { file: 'src/headless/bad.ts', text: "const e = await import('electron/main');" },
      { file: 'src/headless/bad2.ts', text: "const r = require('../renderer/src/App.tsx');" },
      {
        file: 'src/renderer/src/bad.tsx',
        text: "import { BotManager } from '../../core/bot/manager.ts';",
      },
      {
        file: 'src/renderer/src/bad2.tsx',
        text: "import type { X } from '../../main/ipc.ts';\nconst el = <div />;",
      },
      { file: 'src/renderer/src/bad3.ts', text: "import { ipcRenderer } from 'electron';" },
      { file: 'src/core/api/bad.ts', text: "import { EventBus } from '../bot/event-bus.ts';" },
      {
        file: 'src/core/bot/ok.ts',
        text: "import { z } from 'zod';\nimport { x } from '../api/contract.ts';",
      },
      {
        file: 'src/renderer/src/ok.tsx',
        text: "import { connectWs } from '../../core/api/ws-client.ts';\nimport React from 'react';\nimport icon from '../../../resources/icon.png';",
      },
      {
        file: 'src/main/ok.ts',
        text: "import { app } from 'electron';\nimport { y } from '../core/bot/manager.ts';",
      },
      {
        file: 'src/core/bot/comment.ts',
        text: "// import 'electron'\nconst s = \"require('electron')\";",
      },
    ];
    const found = findViolations(sample);
    const files = found.map((v) => v.split(':')[0]);
    expect(files.sort()).toEqual(
      [
        'src/core/api/bad.ts',
        'src/core/bot/bad.ts',
        'src/core/bot/bad2.ts',
        'src/headless/bad.ts',
        'src/headless/bad2.ts',
        'src/renderer/src/bad.tsx',
        'src/renderer/src/bad2.tsx',
        'src/renderer/src/bad3.ts',
      ].sort(),
    );
  });

  it('no source file crosses a layer boundary', () => {
    const files = walk(path.join(ROOT, 'src')).map((full) => ({
      file: path.relative(ROOT, full).split(path.sep).join('/'),
      text: readFileSync(full, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(10);
    expect(findViolations(files)).toEqual([]);
  });
});
