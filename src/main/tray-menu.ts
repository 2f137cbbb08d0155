/**
 * What the tray shows for a bot status — menu entries, icon, tooltip — as pure
 * functions, so every state is unit-tested without Electron. tray.ts turns the
 * entries into an Electron Menu and wires the actions to the core's handlers.
 */
import type { BotStatus } from '../core/api/schemas.ts';
import { BOT_STATE_LABEL } from '../core/api/status-text.ts';

export type TrayAction = 'start' | 'stop' | 'pause' | 'resume' | 'open' | 'quit';

export type TrayMenuEntry =
  | { kind: 'status'; label: string }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { kind: 'separator' };

/** `blocked`: running, but a risk rule (daily loss, max positions, kill switch) refuses every entry. */
export type TrayIconState = 'idle' | 'running' | 'paused' | 'error' | 'blocked';

const money = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const signedMoney = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});

function quoteCurrency(status: BotStatus): string {
  const symbol = status.config?.symbols[0];
  return symbol?.split('/')[1] ?? '';
}

function equityText(status: BotStatus): string | null {
  if (status.equity === null) return null;
  const quote = quoteCurrency(status);
  return `equity ${money.format(status.equity)}${quote ? ` ${quote}` : ''}`;
}

function pnlText(status: BotStatus): string | null {
  if (status.equity === null || !status.config) return null;
  const start = status.config.startingBalance;
  const pnl = status.equity - start;
  return `PnL ${signedMoney.format(pnl)} (${signedMoney.format((pnl / start) * 100)}%)`;
}

function stateText(status: BotStatus): string {
  if (status.state !== 'running') return BOT_STATE_LABEL[status.state];
  if (status.entriesPaused) return 'Running (entries paused)';
  if (status.riskBlock)
    return `Running (entries blocked: ${status.riskBlock.rule.replace(/-/g, ' ')})`;
  return BOT_STATE_LABEL.running;
}

/** "Running · PAPER · SIMULATED · equity 10,234.50 USDT" */
export function trayStatusLine(status: BotStatus | null): string {
  if (!status) return 'BotDesk is starting…';
  const state = stateText(status);
  return [state, status.mode.toUpperCase(), status.dataLabel, equityText(status)]
    .filter(Boolean)
    .join(' · ');
}

export function trayMenu(status: BotStatus | null): TrayMenuEntry[] {
  const state = status?.state;
  const canStart = state === 'idle' || state === 'stopped' || state === 'error';
  const canStop = state === 'starting' || state === 'running';
  const running = state === 'running';
  const paused = status?.entriesPaused ?? false;
  const entries: TrayMenuEntry[] = [{ kind: 'status', label: trayStatusLine(status) }];
  if (status?.error && state === 'error')
    entries.push({ kind: 'status', label: `Error: ${status.error.message}` });
  if (status?.riskBlock && running)
    entries.push({ kind: 'status', label: `Entries refused: ${status.riskBlock.reason}` });
  entries.push(
    { kind: 'separator' },
    { kind: 'action', action: 'start', label: 'Start bot', enabled: canStart },
    { kind: 'action', action: 'stop', label: 'Stop bot', enabled: canStop },
    paused
      ? { kind: 'action', action: 'resume', label: 'Resume entries', enabled: running }
      : { kind: 'action', action: 'pause', label: 'Pause entries', enabled: running },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: 'Open BotDesk', enabled: true },
    { kind: 'action', action: 'quit', label: 'Quit BotDesk', enabled: true },
  );
  return entries;
}

export function trayIconState(status: BotStatus | null): TrayIconState {
  switch (status?.state) {
    case 'error':
      return 'error';
    case 'starting':
    case 'running':
    case 'stopping':
      // a pause the user chose says more than the block it may hide
      if (status.entriesPaused) return 'paused';
      return status.state === 'running' && status.riskBlock ? 'blocked' : 'running';
    default:
      return 'idle';
  }
}

/** "BotDesk — Running · PAPER · SIMULATED · equity 10,234.50 USDT · PnL +234.50 (+2.35%)" */
export function trayTooltip(status: BotStatus | null): string {
  const pnl = status ? pnlText(status) : null;
  return `BotDesk — ${trayStatusLine(status)}${pnl ? ` · ${pnl}` : ''}`;
}
