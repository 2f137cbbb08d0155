/**
 * Who may do what over the WebSocket: a connection is authenticated by the token
 * it offered, and that token gives it a role. `control` may call every channel;
 * `watch` (the read-only token) may only read — status, history, journals,
 * settings, logs — and subscribe to events. The read list is an allow-list, so a
 * channel added later is control-only until someone decides otherwise.
 */
import type { ChannelName } from '../api/channels.ts';
import { tokensEqual } from './auth.ts';

export type Role = 'control' | 'watch';

export const WATCH_CHANNELS: ReadonlySet<string> = new Set<ChannelName>([
  'bot:status',
  'market:sources',
  'market:history',
  'strategies:list',
  'journal:orders',
  'journal:fills',
  'journal:positions',
  'journal:equity',
  'settings:get',
  'logs:tail',
  'backtest:list',
  'backtest:get',
  'bot:liveStatus',
  'journal:runs',
  'journal:trades',
  'market:recent',
  'market:range',
  'journal:riskEvents',
]);

export function roleMayCall(role: Role, channel: string): boolean {
  return role === 'control' || WATCH_CHANNELS.has(channel);
}

export interface ServerTokens {
  /** Full control. */
  token: string;
  /** Watch only; absent = no read-only access. */
  readToken?: string | undefined;
}

/** The role a presented token grants, or null (compared in constant time against each). */
export function roleOfToken(given: string, tokens: ServerTokens): Role | null {
  // Both comparisons always run, so timing does not tell which token was close.
  const control = tokensEqual(given, tokens.token);
  const watch = tokens.readToken !== undefined && tokensEqual(given, tokens.readToken);
  if (control) return 'control';
  return watch ? 'watch' : null;
}
