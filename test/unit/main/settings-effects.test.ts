import { describe, expect, it } from 'vitest';
import { Settings } from '../../../src/core/api/schemas.ts';
import { applySettingsPatch } from '../../../src/core/settings/schema.ts';
import type { SettingsStore } from '../../../src/core/settings/store.ts';
import { desktopLanguage, DESKTOP_WORDS } from '../../../src/main/desktop-words.ts';
import { observeSettings } from '../../../src/main/settings-effects.ts';
import { trayMenu, trayTooltip } from '../../../src/main/tray-menu.ts';
import { NotifyPolicy } from '../../../src/main/notify-policy.ts';
import { botStatus, fill } from '../renderer/fixtures.ts';

function memoryStore(): SettingsStore {
  let current = Settings.parse({});
  return {
    path: '/nowhere/settings.json',
    notice: null,
    get: () => current,
    set: (patch) => (current = applySettingsPatch(current, patch)),
  };
}

describe('settings seen by main', () => {
  it('reports each saved change, and nothing for a refused one', () => {
    const seen: string[] = [];
    const store = observeSettings(memoryStore(), (s) =>
      seen.push(`${s.ui.theme}/${s.ui.language}`),
    );
    store.set({ ui: { theme: 'light' } });
    store.set({ ui: { language: 'sv' } });
    expect(() => store.set({ ui: { theme: 'pink' as 'light' } })).toThrow();
    expect(seen).toEqual(['light/system', 'light/sv']);
    expect(store.get().ui.theme).toBe('light');
    expect(store.path).toBe('/nowhere/settings.json');
  });
});

describe('tray and notifications in Swedish', () => {
  it("follows the setting, or the system's locale for 'system'", () => {
    expect(desktopLanguage('sv', 'en-US')).toBe('sv');
    expect(desktopLanguage('en', 'sv-SE')).toBe('en');
    expect(desktopLanguage('system', 'sv-SE')).toBe('sv');
    expect(desktopLanguage('system', 'de-DE')).toBe('en');
  });

  it('writes the tray in Swedish with Swedish numbers', () => {
    const sv = DESKTOP_WORDS.sv;
    const status = botStatus({
      state: 'running',
      equity: 9_750,
      riskBlock: { rule: 'daily-loss', reason: 'dagsförlust 5 %', since: 1 },
    });
    expect(trayTooltip(status, null, sv).replace(/\s/g, ' ')).toBe(
      'BotDesk — Körs (nya köp spärrade: daglig förlust) · PAPPER · SIMULERAD · kontovärde 9 750,00 USDT · resultat −250,00 (−2,50 %)',
    );
    const labels = trayMenu(status, null, sv).map((e) => ('label' in e ? e.label : '—'));
    expect(labels).toEqual(
      expect.arrayContaining(['Starta boten', 'Stoppa boten', 'Pausa nya köp', 'Avsluta BotDesk']),
    );
  });

  it('writes notifications in the language read at each event', () => {
    let words = DESKTOP_WORDS.en;
    const settings = { fills: true, killSwitch: true, riskBlocks: true, errors: true };
    const p = new NotifyPolicy({ settings: () => settings, words: () => words });
    expect(
      p.observe({ type: 'fill', fill: fill({ amount: 0.5, price: 1234.5 }) }, 0)[0]?.title,
    ).toBe('Bought 0.5 BTC');
    words = DESKTOP_WORDS.sv;
    p.observe({ type: 'fill', fill: fill({ id: 'f2', side: 'sell' }) }, 1);
    p.observe({ type: 'fill', fill: fill({ id: 'f3', side: 'sell' }) }, 2);
    expect(p.due(10_000)).toEqual([
      { kind: 'fills', title: '2 avslut till', body: 'BTC/USDT: 2 försäljningar' },
    ]);
    const status = botStatus({
      state: 'running',
      riskBlock: { rule: 'kill-switch', reason: 'nödstopp aktiverat', since: 1 },
    });
    expect(p.observe({ type: 'status', status }, 3)).toEqual([
      { kind: 'killSwitch', title: 'Nödstopp: nya köp stoppade', body: 'nödstopp aktiverat' },
    ]);
    expect(p.observe({ type: 'status', status: botStatus({ state: 'running' }) }, 4)).toEqual([
      {
        kind: 'killSwitch',
        title: 'Nya köp tillåts igen',
        body: 'Nödstoppet spärrar inte längre nya köp.',
      },
    ]);
    const fillNote = new NotifyPolicy({ settings: () => settings, words: () => words }).observe(
      { type: 'fill', fill: fill({ amount: 0.25, price: 43_210.5 }) },
      0,
    );
    expect(fillNote[0]).toEqual({
      kind: 'fills',
      title: 'Köpte 0,25 BTC',
      body: 'BTC/USDT till 43210,5 USDT · avgift 0,01 USDT',
    });
  });
});
