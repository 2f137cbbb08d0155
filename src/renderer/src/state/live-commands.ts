/**
 * Live-trading buttons → contract calls: keys stored, removed, checked; live armed and
 * disarmed. The keys typed go straight to main in the call and are not kept anywhere here:
 * the store only ever holds main's masked answer.
 */
import type { BotDeskApi } from '../../../core/api/client.ts';
import type { AppStores } from './app-stores.ts';
import { describeError } from './describe-error.ts';
import type { LiveAction } from './live-store.ts';

export interface KeysInput {
  exchange: string;
  apiKey: string;
  secret: string;
  password: string;
}

export function createLiveCommands(getApi: () => BotDeskApi | null, stores: AppStores) {
  const { live } = stores;
  /** Runs `call`, landing its answer via `done` or its failure as a readable refusal. */
  const act = async <T>(
    action: LiveAction,
    call: (api: BotDeskApi) => Promise<T>,
    done: (value: T) => void,
  ): Promise<boolean> => {
    const api = getApi();
    if (!api) return false;
    live.getState().started(action);
    try {
      done(await call(api));
      return true;
    } catch (err) {
      live.getState().failed(action, describeError(err));
      return false;
    }
  };
  const onSecrets = live.getState().secretsLoaded;
  const onArming = live.getState().armingLoaded;

  return {
    /** Where `exchange`'s keys come from (masked) and whether live trading is armed. */
    async loadLive(exchange: string): Promise<void> {
      await act('load', (api) => api.secrets.status({ exchange }), onSecrets);
      await act('load', (api) => api.bot.liveStatus(), onArming);
    },
    /** Store keys; true when main took them. The caller clears its fields either way. */
    saveKeys(input: KeysInput): Promise<boolean> {
      const { exchange, apiKey, secret } = input;
      const password = input.password === '' ? {} : { password: input.password };
      return act(
        'save',
        (api) => api.secrets.set({ exchange, apiKey, secret, ...password }),
        onSecrets,
      );
    },
    deleteKeys: (exchange: string) =>
      act('delete', (api) => api.secrets.delete({ exchange }), onSecrets),
    testConnection: (exchange: string, sandbox: boolean) =>
      act('test', (api) => api.secrets.test({ exchange, sandbox }), live.getState().checked),
    armLive: (exchange: string, confirm: string, sandbox: boolean) =>
      act(
        'arm',
        (api) => api.bot.armLive({ exchange, confirm: confirm.trim(), sandbox }),
        onArming,
      ),
    disarmLive: () => act('disarm', (api) => api.bot.disarmLive(), onArming),
  };
}
