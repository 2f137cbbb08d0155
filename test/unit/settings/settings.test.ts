import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { Settings } from '../../../src/core/api/schemas.ts';
import { applySettingsPatch, migrateSettings } from '../../../src/core/settings/schema.ts';
import { createConfSettingsStore } from '../../../src/core/settings/store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'botdesk-settings-'));
  dirs.push(d);
  return d;
}

describe('settings schema', () => {
  it('migrates an unversioned document to schemaVersion 1, keeping its values', () => {
    const { settings, steps } = migrateSettings({ ui: { theme: 'light', closeToTray: false } });
    expect(steps).toEqual([0, 1]);
    expect(settings.schemaVersion).toBe(1);
    expect(settings.ui).toEqual({
      theme: 'light',
      closeToTray: false,
      language: 'system',
      notifications: { fills: true, killSwitch: true, riskBlocks: true, errors: true },
    });
  });

  it('refuses a document from a newer version or of the wrong shape', () => {
    expect(() => migrateSettings({ schemaVersion: 9 })).toThrow(/newer BotDesk/);
    expect(() => migrateSettings([1, 2])).toThrow(BotDeskError);
    expect(() => migrateSettings({ schemaVersion: 1, bot: { timeframe: '7m' } })).toThrow(
      /bot\.timeframe/,
    );
  });

  it('a patch merges over the current settings without resetting other fields', () => {
    const base = applySettingsPatch(Settings.parse({}), { bot: { symbols: ['SOL/USDT'] } });
    const next = applySettingsPatch(base, { bot: { timeframe: '5m' }, ui: { theme: 'light' } });
    expect(next.bot.symbols).toEqual(['SOL/USDT']);
    expect(next.bot.timeframe).toBe('5m');
    expect(next.ui).toMatchObject({ theme: 'light', closeToTray: true, language: 'system' });
  });

  it('a patch of one notification switch or the language keeps the others', () => {
    const base = Settings.parse({});
    const next = applySettingsPatch(base, {
      ui: { language: 'sv', notifications: { fills: false } },
    });
    expect(next.ui.language).toBe('sv');
    expect(next.ui.notifications).toEqual({
      fills: false,
      killSwitch: true,
      riskBlocks: true,
      errors: true,
    });
    const again = applySettingsPatch(next, { ui: { notifications: { errors: false } } });
    expect(again.ui.notifications).toMatchObject({ fills: false, errors: false });
    expect(() => applySettingsPatch(base, { ui: { language: 'de' } })).toThrow(/ui\.language/);
    expect(() => applySettingsPatch(base, { ui: { notifications: { sms: true } } })).toThrow(
      BotDeskError,
    );
  });

  it('an invalid patch throws INVALID_INPUT naming the field', () => {
    const base = Settings.parse({});
    for (const bad of [
      { bot: { timeframe: '7m' } },
      { ui: { theme: 'pink' } },
      { nope: 1 },
      { bot: { symbols: [] } },
    ]) {
      const err = (() => {
        try {
          applySettingsPatch(base, bad);
        } catch (e) {
          return e as BotDeskError;
        }
      })();
      expect(err?.code, JSON.stringify(bad)).toBe('INVALID_INPUT');
    }
  });
});

describe('conf settings store', () => {
  it('creates settings.json with defaults and persists patches across instances', () => {
    const d = dir();
    const a = createConfSettingsStore(d);
    expect(a.path).toBe(join(d, 'settings.json'));
    expect(a.get()).toEqual(Settings.parse({}));
    expect(a.notice).toBeNull();
    a.set({ bot: { timeframe: '15m' }, resumeOnLaunch: { paper: false } });
    const b = createConfSettingsStore(d);
    expect(b.get().bot.timeframe).toBe('15m');
    expect(b.get().resumeOnLaunch).toEqual({ paper: false, live: false });
  });

  it('bad input changes nothing, in memory or on disk', () => {
    const d = dir();
    const s = createConfSettingsStore(d);
    const before = readFileSync(s.path, 'utf8');
    expect(() => s.set({ bot: { warmupCandles: -1 } })).toThrow(BotDeskError);
    expect(s.get()).toEqual(Settings.parse({}));
    expect(readFileSync(s.path, 'utf8')).toBe(before);
  });

  it('moves a corrupt file aside with a clear notice and starts from defaults', () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), '{ "bot": { "timeframe": ');
    const s = createConfSettingsStore(d);
    expect(s.get()).toEqual(Settings.parse({}));
    expect(s.notice).toMatch(/could not be read .* moved to .*settings\.corrupt-\d+\.json/);
    const aside = readdirSync(d).filter((f) => f.startsWith('settings.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(d, aside[0]!), 'utf8')).toBe('{ "bot": { "timeframe": ');
    expect(JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8')).schemaVersion).toBe(1);
  });

  it('migrates an old file on open and rewrites it', () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ ui: { theme: 'light' } }));
    const s = createConfSettingsStore(d);
    expect(s.get().ui.theme).toBe('light');
    expect(JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8')).schemaVersion).toBe(1);
    expect(existsSync(join(d, 'settings.json'))).toBe(true);
  });
});
