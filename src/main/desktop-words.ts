/**
 * The words of the tray and the desktop notifications, in English and Swedish, chosen
 * by the same `ui.language` setting as the window ('system': the OS locale).
 */
import type { BotStateName, UiLanguage } from '../core/api/schemas.ts';
import { BOT_STATE_LABEL } from '../core/api/status-text.ts';

export type DesktopLanguage = 'en' | 'sv';

export interface DesktopWords {
  /** Numbers in the tooltip and notifications. */
  locale: string;
  starting: string;
  notConnected: string;
  remoteBot: (name: string) => string;
  state: Record<BotStateName, string>;
  mode: { paper: string; live: string };
  data: { SIMULATED: string; REPLAY: string; EXCHANGE: string };
  runningPaused: string;
  runningBlocked: (rule: string) => string;
  /** Short rule names (tray) and long ones (notifications). */
  rule: (rule: string) => string;
  ruleLong: (rule: string) => string;
  equity: (amount: string) => string;
  pnl: (amount: string, pct: string) => string;
  error: (message: string) => string;
  refused: (reason: string) => string;
  menu: {
    start: string;
    stop: string;
    pause: string;
    resume: string;
    open: string;
    quit: string;
  };
  bought: (amount: string, base: string) => string;
  sold: (amount: string, base: string) => string;
  fillBody: (
    symbol: string,
    price: string,
    quote: string,
    fee: string,
    feeCurrency: string,
  ) => string;
  moreFills: (n: number) => string;
  buys: (n: number) => string;
  sells: (n: number) => string;
  killSwitch: string;
  blocked: (rule: string) => string;
  allowed: string;
  allowedBody: (rule: string) => string;
  stoppedWithError: string;
  stoppedWithErrorBody: string;
  errorTitle: string;
}

const EN_RULE: Record<string, [string, string]> = {
  'daily-loss': ['daily loss', 'daily loss limit'],
  'max-positions': ['max positions', 'maximum open positions'],
  'kill-switch': ['kill switch', 'kill switch'],
  drawdown: ['drawdown', 'drawdown limit'],
};
const SV_RULE: Record<string, [string, string]> = {
  'daily-loss': ['daglig förlust', 'gränsen för daglig förlust'],
  'max-positions': ['max antal positioner', 'max antal öppna positioner'],
  'kill-switch': ['nödstopp', 'nödstoppet'],
  drawdown: ['nedgång', 'gränsen för nedgång'],
};
const ruleWord = (table: Record<string, [string, string]>, long: 0 | 1) => (rule: string) =>
  table[rule]?.[long] ?? rule.replace(/-/g, ' ');

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const DESKTOP_WORDS: Record<DesktopLanguage, DesktopWords> = {
  en: {
    locale: 'en-US',
    starting: 'BotDesk is starting…',
    notConnected: 'Not connected',
    remoteBot: (name) => `Remote bot: ${name}`,
    state: BOT_STATE_LABEL,
    mode: { paper: 'PAPER', live: 'LIVE' },
    data: { SIMULATED: 'SIMULATED', REPLAY: 'REPLAY', EXCHANGE: 'EXCHANGE' },
    runningPaused: 'Running (entries paused)',
    runningBlocked: (rule) => `Running (entries blocked: ${rule})`,
    rule: ruleWord(EN_RULE, 0),
    ruleLong: ruleWord(EN_RULE, 1),
    equity: (amount) => `equity ${amount}`,
    pnl: (amount, pct) => `PnL ${amount} (${pct}%)`,
    error: (message) => `Error: ${message}`,
    refused: (reason) => `Entries refused: ${reason}`,
    menu: {
      start: 'Start bot',
      stop: 'Stop bot',
      pause: 'Pause entries',
      resume: 'Resume entries',
      open: 'Open BotDesk',
      quit: 'Quit BotDesk',
    },
    bought: (amount, base) => `Bought ${amount} ${base}`,
    sold: (amount, base) => `Sold ${amount} ${base}`,
    fillBody: (symbol, price, quote, fee, cur) =>
      `${symbol} at ${price} ${quote} · fee ${fee} ${cur}`,
    moreFills: (n) => `${n} more ${n === 1 ? 'fill' : 'fills'}`,
    buys: (n) => `${n} ${n === 1 ? 'buy' : 'buys'}`,
    sells: (n) => `${n} ${n === 1 ? 'sell' : 'sells'}`,
    killSwitch: 'Kill switch: new entries stopped',
    blocked: (rule) => `Entries blocked: ${rule}`,
    allowed: 'Entries allowed again',
    allowedBody: (rule) => `The ${rule} no longer blocks new entries.`,
    stoppedWithError: 'The bot stopped with an error',
    stoppedWithErrorBody: 'the bot stopped with an error',
    errorTitle: 'BotDesk error',
  },
  sv: {
    locale: 'sv-SE',
    starting: 'BotDesk startar…',
    notConnected: 'Inte ansluten',
    remoteBot: (name) => `Fjärrbot: ${name}`,
    state: {
      idle: 'Vilande',
      starting: 'Startar…',
      running: 'Körs',
      stopping: 'Stoppar…',
      stopped: 'Stoppad',
      error: 'Fel',
    },
    mode: { paper: 'PAPPER', live: 'SKARP' },
    data: { SIMULATED: 'SIMULERAD', REPLAY: 'UPPSPELAD', EXCHANGE: 'BÖRS' },
    runningPaused: 'Körs (nya köp pausade)',
    runningBlocked: (rule) => `Körs (nya köp spärrade: ${rule})`,
    rule: ruleWord(SV_RULE, 0),
    ruleLong: ruleWord(SV_RULE, 1),
    equity: (amount) => `kontovärde ${amount}`,
    pnl: (amount, pct) => `resultat ${amount} (${pct} %)`,
    error: (message) => `Fel: ${message}`,
    refused: (reason) => `Nya köp nekas: ${reason}`,
    menu: {
      start: 'Starta boten',
      stop: 'Stoppa boten',
      pause: 'Pausa nya köp',
      resume: 'Återuppta nya köp',
      open: 'Öppna BotDesk',
      quit: 'Avsluta BotDesk',
    },
    bought: (amount, base) => `Köpte ${amount} ${base}`,
    sold: (amount, base) => `Sålde ${amount} ${base}`,
    fillBody: (symbol, price, quote, fee, cur) =>
      `${symbol} till ${price} ${quote} · avgift ${fee} ${cur}`,
    moreFills: (n) => `${n} avslut till`,
    buys: (n) => `${n} köp`,
    sells: (n) => `${n} ${n === 1 ? 'försäljning' : 'försäljningar'}`,
    killSwitch: 'Nödstopp: nya köp stoppade',
    blocked: (rule) => `Nya köp spärrade: ${rule}`,
    allowed: 'Nya köp tillåts igen',
    allowedBody: (rule) => `${capital(rule)} spärrar inte längre nya köp.`,
    stoppedWithError: 'Boten stoppades av ett fel',
    stoppedWithErrorBody: 'boten stoppades av ett fel',
    errorTitle: 'Fel i BotDesk',
  },
};

/** 'sv' or 'en' as chosen; 'system' follows the OS locale (Swedish when it is Swedish). */
export function desktopLanguage(setting: UiLanguage, systemLocale: string): DesktopLanguage {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('sv') ? 'sv' : 'en';
}
