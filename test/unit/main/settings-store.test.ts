/**
 * The desktop settings store on a real file. electron-store needs a running Electron
 * for its defaults, so it is stood in by `conf`, the library it extends, with the same
 * options (electron-store's `name` is conf's `configName`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf {
      constructor(opts: { name: string } & Record<string, unknown>) {
        const { name, ...rest } = opts;
        super({ ...rest, configName: name, projectName: 'botdesk-test' });
      }
    },
  };
});

const { createElectronSettingsStore } = await import('../../../src/main/settings-store.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = () =>
  JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('electron settings store', () => {
  it('starts from defaults, writes settings.json and reads it back', () => {
    const store = createElectronSettingsStore(dir);
    expect(store.path).toBe(join(dir, 'settings.json'));
    expect(store.get().ui.closeToTray).toBe(true);
    store.set({ ui: { closeToTray: false }, bot: { symbols: ['SOL/USDT'] } });
    expect(onDisk()).toMatchObject({
      schemaVersion: 1,
      ui: { closeToTray: false },
      bot: { symbols: ['SOL/USDT'] },
    });
    const reopened = createElectronSettingsStore(dir);
    expect(reopened.get().bot.symbols).toEqual(['SOL/USDT']);
    expect(reopened.notice).toBeNull();
  });

  it('refuses an invalid patch and changes nothing, in memory or on disk', () => {
    const store = createElectronSettingsStore(dir);
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    expect(() => store.set({ bot: { symbols: ['nope'] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(store.get().bot.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
  });

  it('moves a corrupt file aside, says so, and uses defaults', () => {
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    const store = createElectronSettingsStore(dir);
    expect(store.notice).toMatch(/could not be read/);
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{ not json');
    expect(onDisk()).toMatchObject({ schemaVersion: 1 });
  });

  it('migrates a document written before settings had a version', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ui: { closeToTray: false } }));
    const store = createElectronSettingsStore(dir);
    expect(store.get().ui.closeToTray).toBe(false);
    expect(onDisk().schemaVersion).toBe(1);
    expect(existsSync(join(dir, 'settings.json'))).toBe(true);
  });
});
