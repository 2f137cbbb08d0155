/**
 * What the tray shows for a bot status — menu entries, icon, tooltip — as pure
 * functions, so every state is unit-tested without Electron. tray.ts turns the
 * entries into an Electron Menu and wires the actions to the core's handlers.
 */
import type { BotStatus } from '../core/api/schemas.ts';
import { DESKTOP_WORDS, type DesktopWords } from './desktop-words.ts';

const EN = DESKTOP_WORDS.en;

export type TrayAction = 'start' | 'stop' | 'pause' | 'resume' | 'open' | 'quit';

export type TrayMenuEntry =
  | { kind: 'status'; label: string }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { kind: 'separator' };

/** `blocked`: running, but a risk rule (daily loss, max positions, kill switch) refuses every entry. */
export type TrayIconState = 'idle' | 'running' | 'paused' | 'error' | 'blocked';

const moneyFormats = new Map<string, { money: Intl.NumberFormat; signed: Intl.NumberFormat }>();
function formats(locale: string) {
  let f = moneyFormats.get(locale);
  if (!f) {
    const two = { minimumFractionDigits: 2, maximumFractionDigits: 2 } as const;
    f = {
      money: new Intl.NumberFormat(locale, two),
      signed: new Intl.NumberFormat(locale, { ...two, signDisplay: 'exceptZero' }),
    };
    moneyFormats.set(locale, f);
  }
  return f;
}

function quoteCurrency(status: BotStatus): string {
  const symbol = status.config?.symbols[0];
  return symbol?.split('/')[1] ?? '';
}

function equityText(status: BotStatus, w: DesktopWords): string | null {
  if (status.equity === null) return null;
  const quote = quoteCurrency(status);
  return w.equity(`${formats(w.locale).money.format(status.equity)}${quote ? ` ${quote}` : ''}`);
}

function pnlText(status: BotStatus, w: DesktopWords): string | null {
  if (status.equity === null || !status.config) return null;
  const start = status.config.startingBalance;
  const pnl = status.equity - start;
  const { signed } = formats(w.locale);
  return w.pnl(signed.format(pnl), signed.format((pnl / start) * 100));
}

function stateText(status: BotStatus, w: DesktopWords): string {
  if (status.state !== 'running') return w.state[status.state];
  if (status.entriesPaused) return w.runningPaused;
  if (status.riskBlock) return w.runningBlocked(w.rule(status.riskBlock.rule));
  return w.state.running;
}

/** "Running · PAPER · SIMULATED · equity 10,234.50 USDT" */
export function trayStatusLine(
  status: BotStatus | null,
  target: string | null = null,
  w: DesktopWords = EN,
): string {
  if (!status) return target === null ? w.starting : w.notConnected;
  const state = stateText(status, w);
  return [state, w.mode[status.mode], w.data[status.dataLabel], equityText(status, w)]
    .filter(Boolean)
    .join(' · ');
}

/** `target` names the remote bot the tray controls (null: this computer's bot). */
export function trayMenu(
  status: BotStatus | null,
  target: string | null = null,
  w: DesktopWords = EN,
): TrayMenuEntry[] {
  const state = status?.state;
  const canStart = state === 'idle' || state === 'stopped' || state === 'error';
  const canStop = state === 'starting' || state === 'running';
  const running = state === 'running';
  const paused = status?.entriesPaused ?? false;
  const entries: TrayMenuEntry[] = [];
  if (target !== null) entries.push({ kind: 'status', label: w.remoteBot(target) });
  entries.push({ kind: 'status', label: trayStatusLine(status, target, w) });
  if (status?.error && state === 'error')
    entries.push({ kind: 'status', label: w.error(status.error.message) });
  if (status?.riskBlock && running)
    entries.push({ kind: 'status', label: w.refused(status.riskBlock.reason) });
  entries.push(
    { kind: 'separator' },
    { kind: 'action', action: 'start', label: w.menu.start, enabled: canStart },
    { kind: 'action', action: 'stop', label: w.menu.stop, enabled: canStop },
    paused
      ? { kind: 'action', action: 'resume', label: w.menu.resume, enabled: running }
      : { kind: 'action', action: 'pause', label: w.menu.pause, enabled: running },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: w.menu.open, enabled: true },
    { kind: 'action', action: 'quit', label: w.menu.quit, enabled: true },
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
export function trayTooltip(
  status: BotStatus | null,
  target: string | null = null,
  w: DesktopWords = EN,
): string {
  const pnl = status ? pnlText(status, w) : null;
  const where = target === null ? '' : `${target}: `;
  return `BotDesk — ${where}${trayStatusLine(status, target, w)}${pnl ? ` · ${pnl}` : ''}`;
}
