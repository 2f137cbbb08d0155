/**
 * Every channel and event name, as plain values with no dependency, so the
 * sandboxed preload and the renderer's WebSocket client can build the API object
 * without bundling zod. `contract.ts` is checked against these lists with
 * `satisfies`, so a name cannot exist in one place and not the other.
 */
export const CHANNELS = [
  'bot:start',
  'bot:stop',
  'bot:status',
  'bot:pause',
  'bot:resume',
  'bot:updateConfig',
  'market:sources',
  'market:history',
  'strategies:list',
  'journal:orders',
  'journal:fills',
  'journal:positions',
  'journal:equity',
  'settings:get',
  'settings:set',
  'logs:tail',
  'bot:closePosition',
  'bot:forceEntry',
  'bot:resetPaperAccount',
  'journal:runs',
  'journal:trades',
  'market:recent',
  'market:range',
  'secrets:status',
  'secrets:set',
  'secrets:delete',
  'secrets:test',
  'bot:liveStatus',
  'bot:armLive',
  'bot:disarmLive',
  'backtest:run',
  'backtest:cancel',
  'backtest:list',
  'backtest:get',
  'journal:riskEvents',
] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const EVENTS = [
  'bot:status',
  'bot:tick',
  'market:candle',
  'strategy:signal',
  'order',
  'fill',
  'equity',
  'log',
  'error',
  'risk',
  'backtest:progress',
] as const;
export type EventName = (typeof EVENTS)[number];

/** 'bot:start' → ['bot', 'start'] */
export function splitChannel(name: ChannelName): [string, string] {
  const i = name.indexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}

/**
 * Desktop-only channels and events: the Electron main process serves them over IPC
 * (which bot the window controls, the saved remote bots). They are kept out of
 * CHANNELS/EVENTS on purpose: those are what every host implements and what
 * `botdesk serve` routes over WebSocket, and a remote client must never be able
 * to make a server dial other machines or handle tokens. contract.ts describes
 * them in `desktopContract`.
 */
export const DESKTOP_CHANNELS = [
  'remote:list',
  'remote:add',
  'remote:remove',
  'remote:select',
] as const;
export type DesktopChannelName = (typeof DESKTOP_CHANNELS)[number];

export const DESKTOP_EVENTS = ['remote:state'] as const;
export type DesktopEventName = (typeof DESKTOP_EVENTS)[number];
