import { describe, expect, it } from 'vitest';
import { BOT_STATES, type BotStatus } from '../../../src/core/api/schemas.ts';
import {
  trayIconState,
  trayMenu,
  trayStatusLine,
  trayTooltip,
  type TrayMenuEntry,
} from '../../../src/main/tray-menu.ts';
import { botStatus } from '../renderer/fixtures.ts';

function enabled(entries: TrayMenuEntry[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const e of entries) if (e.kind === 'action') out[e.action] = e.enabled;
  return out;
}

describe('tray menu', () => {
  const expected: Record<BotStatus['state'], { start: boolean; stop: boolean; pause: boolean }> = {
    idle: { start: true, stop: false, pause: false },
    starting: { start: false, stop: true, pause: false },
    running: { start: false, stop: true, pause: true },
    stopping: { start: false, stop: false, pause: false },
    stopped: { start: true, stop: false, pause: false },
    error: { start: true, stop: false, pause: false },
  };

  it.each(BOT_STATES)('enables the right entries while %s', (state) => {
    const menu = enabled(trayMenu(botStatus({ state })));
    expect(menu).toEqual({ ...expected[state], open: true, quit: true });
  });

  it('offers Resume instead of Pause while entries are paused', () => {
    const entries = trayMenu(botStatus({ state: 'running', entriesPaused: true }));
    expect(enabled(entries)).toEqual({
      start: false,
      stop: true,
      resume: true,
      open: true,
      quit: true,
    });
    expect(entries.find((e) => e.kind === 'action' && e.action === 'resume')).toMatchObject({
      label: 'Resume entries',
    });
  });

  it('starts with a status line: state, mode, data label and equity', () => {
    const [first] = trayMenu(botStatus({ state: 'running', equity: 10234.5 }));
    expect(first).toEqual({
      kind: 'status',
      label: 'Running · PAPER · SIMULATED · equity 10,234.50 USDT',
    });
  });

  it('says LIVE and EXCHANGE without ambiguity', () => {
    expect(
      trayStatusLine(botStatus({ state: 'running', mode: 'live', dataLabel: 'EXCHANGE' })),
    ).toBe('Running · LIVE · EXCHANGE');
  });

  it('shows the error of a bot in error', () => {
    const entries = trayMenu(
      botStatus({ state: 'error', error: { code: 'MARKET_ERROR', message: 'feed lost' } }),
    );
    expect(entries[1]).toEqual({ kind: 'status', label: 'Error: feed lost' });
  });

  it('has nothing to start or stop before the core is up', () => {
    const entries = trayMenu(null);
    expect(entries[0]).toEqual({ kind: 'status', label: 'BotDesk is starting…' });
    expect(enabled(entries)).toEqual({
      start: false,
      stop: false,
      pause: false,
      open: true,
      quit: true,
    });
  });

  it('ends with Open and Quit after a separator', () => {
    const kinds = trayMenu(botStatus())
      .slice(-3)
      .map((e) => (e.kind === 'action' ? e.action : e.kind));
    expect(kinds).toEqual(['separator', 'open', 'quit']);
  });
});

describe('tray icon and tooltip', () => {
  it.each([
    ['idle', false, 'idle'],
    ['stopped', false, 'idle'],
    ['starting', false, 'running'],
    ['running', false, 'running'],
    ['running', true, 'paused'],
    ['stopping', false, 'running'],
    ['error', false, 'error'],
  ] as const)('%s (entries paused: %s) → %s icon', (state, entriesPaused, icon) => {
    expect(trayIconState(botStatus({ state, entriesPaused }))).toBe(icon);
  });

  it('uses the idle icon before the first status', () => {
    expect(trayIconState(null)).toBe('idle');
  });

  it('shows PnL against the starting balance in the tooltip', () => {
    expect(trayTooltip(botStatus({ state: 'running', equity: 9_750 }))).toBe(
      'BotDesk — Running · PAPER · SIMULATED · equity 9,750.00 USDT · PnL -250.00 (-2.50%)',
    );
    expect(trayTooltip(botStatus({ state: 'idle' }))).toBe('BotDesk — Idle · PAPER · SIMULATED');
  });

  const block = { rule: 'daily-loss', reason: 'daily loss limit of 5% reached', since: 1 };

  it('shows a risk-blocked bot with its own icon, the rule in the tooltip and the reason in the menu', () => {
    const status = botStatus({ state: 'running', equity: 9_400, riskBlock: block });
    expect(trayIconState(status)).toBe('blocked');
    expect(trayTooltip(status)).toBe(
      'BotDesk — Running (entries blocked: daily loss) · PAPER · SIMULATED · equity 9,400.00 USDT · PnL -600.00 (-6.00%)',
    );
    expect(trayMenu(status)[1]).toEqual({
      kind: 'status',
      label: 'Entries refused: daily loss limit of 5% reached',
    });
  });

  it('a pause the user chose wins over a risk block; a stopped bot is idle, not blocked', () => {
    expect(
      trayIconState(botStatus({ state: 'running', entriesPaused: true, riskBlock: block })),
    ).toBe('paused');
    expect(trayIconState(botStatus({ state: 'stopped', riskBlock: block }))).toBe('idle');
    expect(trayMenu(botStatus({ state: 'stopped', riskBlock: block }))[1]).toEqual({
      kind: 'separator',
    });
  });
});

describe('tray menu for a remote bot', () => {
  it('names the remote bot it controls, in the menu and the tooltip', () => {
    const status = botStatus({ state: 'running' });
    const entries = trayMenu(status, 'vps');
    expect(entries[0]).toEqual({ kind: 'status', label: 'Remote bot: vps' });
    expect(trayTooltip(status, 'vps')).toMatch(/^BotDesk — vps: Running/);
    expect(trayMenu(status)[0]).toEqual({ kind: 'status', label: trayStatusLine(status) });
  });

  it('says "Not connected" rather than "starting" while the remote bot is unreachable', () => {
    expect(trayStatusLine(null, 'vps')).toBe('Not connected');
    expect(enabled(trayMenu(null, 'vps'))).toMatchObject({ start: false, stop: false });
  });
});
