/**
 * Projection of main's live-trading state: the exchange's keys as main reports them
 * (masked: the key itself never comes back, and what the user typed is never kept here),
 * the last connection check, whether live trading is armed; plus what is in flight and
 * the last refusal, in words.
 */
import { createStore } from 'zustand/vanilla';
import type { ChannelOutput } from '../../../core/api/contract.ts';

export type SecretStatus = ChannelOutput<'secrets:status'>;
export type ConnectionCheck = ChannelOutput<'secrets:test'>;
export type LiveArming = ChannelOutput<'bot:liveStatus'>;
export type LiveAction = 'load' | 'save' | 'delete' | 'test' | 'arm' | 'disarm';

export interface LiveState {
  secrets: SecretStatus | null;
  check: ConnectionCheck | null;
  arming: LiveArming | null;
  pending: LiveAction | null;
  /** The last refusal or failure, readable; `action` says which button it answers. */
  error: { action: LiveAction; message: string } | null;
}

export interface LiveActions {
  started(action: LiveAction): void;
  failed(action: LiveAction, message: string): void;
  secretsLoaded(status: SecretStatus): void;
  checked(check: ConnectionCheck): void;
  armingLoaded(arming: LiveArming): void;
}

export function createLiveStore() {
  return createStore<LiveState & LiveActions>()((set) => ({
    secrets: null,
    check: null,
    arming: null,
    pending: null,
    error: null,
    started: (pending) => set({ pending, error: null }),
    failed: (action, message) => set({ pending: null, error: { action, message } }),
    // other keys: the last check said nothing about them
    secretsLoaded: (secrets) =>
      set((s) => ({
        secrets,
        pending: null,
        check: s.check && s.secrets?.apiKey === secrets.apiKey ? s.check : null,
      })),
    checked: (check) => set({ check, pending: null }),
    armingLoaded: (arming) => set({ arming, pending: null }),
  }));
}

export type LiveStore = ReturnType<typeof createLiveStore>;

/** The header's words for the armed state: null when live trading is not armed. */
export function armedLabel(arming: LiveArming | null): string | null {
  if (!arming?.armed) return null;
  const where = arming.exchange ?? 'exchange';
  return arming.sandbox ? `LIVE ARMED · ${where} TESTNET` : `LIVE ARMED · ${where} REAL FUNDS`;
}

/** Arming asks the user to type the exchange's name: whether what they typed matches. */
export function confirmMatches(exchange: string, typed: string): boolean {
  return exchange !== '' && typed.trim().toLowerCase() === exchange.toLowerCase();
}
