/**
 * The tray adapter against stand-ins for Electron's Tray, Menu and nativeImage (the
 * Electron binary is not available to unit tests): icon files per state, tooltip,
 * menu items wired to the actions, and no rebuild when nothing changed.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { botStatus } from '../renderer/fixtures.ts';

interface MenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

const calls = { image: [] as string[], tooltip: [] as string[], menus: [] as MenuItem[][] };

vi.mock('electron', () => ({
  nativeImage: { createFromPath: (path: string) => ({ path }) },
  Menu: { buildFromTemplate: (items: MenuItem[]) => items },
  Tray: class {
    constructor(image: { path: string }) {
      calls.image.push(image.path);
    }
    on() {}
    setImage(image: { path: string }) {
      calls.image.push(image.path);
    }
    setToolTip(text: string) {
      calls.tooltip.push(text);
    }
    setContextMenu(menu: MenuItem[]) {
      calls.menus.push(menu);
    }
    destroy() {}
  },
}));

const { createAppTray } = await import('../../../src/main/tray.ts');

describe('tray', () => {
  it('shows the state icon, the tooltip and a menu whose items run the actions', () => {
    const ran: string[] = [];
    const action = (name: string) => () => ran.push(name);
    const tray = createAppTray({
      start: action('start'),
      stop: action('stop'),
      pause: action('pause'),
      resume: action('resume'),
      open: action('open'),
      quit: action('quit'),
    });
    expect(calls.image.at(-1)).toMatch(/tray-idle(-32)?\.png$/);

    tray.update(botStatus({ state: 'running', equity: 10_100 }));
    expect(calls.image.at(-1)).toMatch(/tray-running(-32)?\.png$/);
    expect(existsSync(calls.image.at(-1)!)).toBe(true);
    expect(calls.tooltip.at(-1)).toContain('PnL +100.00 (+1.00%)');
    const menu = calls.menus.at(-1)!;
    expect(menu[0]).toMatchObject({
      label: 'Running · PAPER · SIMULATED · equity 10,100.00 USDT',
      enabled: false,
    });
    const item = (label: string) => menu.find((m) => m.label === label)!;
    expect(item('Start bot').enabled).toBe(false);
    item('Stop bot').click!();
    item('Pause entries').click!();
    item('Open BotDesk').click!();
    item('Quit BotDesk').click!();
    expect(ran).toEqual(['stop', 'pause', 'open', 'quit']);

    const menusBefore = calls.menus.length;
    const imagesBefore = calls.image.length;
    tray.update(botStatus({ state: 'running', equity: 10_100, ticks: 99 }));
    expect(calls.menus.length).toBe(menusBefore);
    expect(calls.image.length).toBe(imagesBefore);

    tray.update(
      botStatus({
        state: 'running',
        equity: 9_000,
        riskBlock: { rule: 'kill-switch', reason: 'kill switch engaged', since: 1 },
      }),
    );
    expect(calls.image.at(-1)).toMatch(/tray-blocked(-32)?\.png$/);
    expect(existsSync(calls.image.at(-1)!)).toBe(true);
    expect(calls.tooltip.at(-1)).toContain('entries blocked: kill switch');

    tray.update(
      botStatus({ state: 'error', error: { code: 'MARKET_ERROR', message: 'feed lost' } }),
    );
    expect(calls.image.at(-1)).toMatch(/tray-error(-32)?\.png$/);
    expect(calls.menus.at(-1)!.map((m) => m.label)).toContain('Error: feed lost');
  });
});
