/**
 * A small in-memory host for transport tests: the real dispatcher over handlers
 * that keep settings and a status in memory and count calls, plus a real bus.
 */
import type { ApiHandlers } from '../../../src/core/api/contract.ts';
import { createDispatcher, type Dispatch } from '../../../src/core/api/dispatcher.ts';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { Settings } from '../../../src/core/api/schemas.ts';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { botStatus } from '../renderer/fixtures.ts';

export interface FakeHost {
  handlers: ApiHandlers;
  dispatch: Dispatch;
  bus: EventBus;
  calls: Map<string, number>;
  settings(): Settings;
}

export function createFakeHost(): FakeHost {
  const bus = new EventBus();
  const calls = new Map<string, number>();
  let settings = Settings.parse({});
  let status = botStatus({ rev: 0 });
  const count = (channel: string) => calls.set(channel, (calls.get(channel) ?? 0) + 1);
  const notBuilt = async (): Promise<never> => {
    throw new BotDeskError('NOT_IMPLEMENTED', 'not part of the fake host');
  };
  const handlers: ApiHandlers = {
    'bot:start': async () => {
      count('bot:start');
      status = botStatus({ rev: status.rev + 1, state: 'running' });
      bus.emit('bot:status', status);
      return status;
    },
    'bot:stop': async ({ reason }) => {
      count('bot:stop');
      status = botStatus({ rev: status.rev + 1, state: 'stopped', warnings: [reason] });
      return status;
    },
    'bot:status': async () => status,
    'bot:pause': notBuilt,
    'bot:resume': notBuilt,
    'bot:updateConfig': notBuilt,
    'market:sources': notBuilt,
    'market:history': notBuilt,
    'strategies:list': notBuilt,
    'journal:orders': notBuilt,
    'journal:fills': notBuilt,
    'journal:positions': notBuilt,
    'journal:equity': notBuilt,
    'bot:closePosition': notBuilt,
    'bot:forceEntry': notBuilt,
    'bot:resetPaperAccount': notBuilt,
    'journal:runs': notBuilt,
    'journal:trades': notBuilt,
    'journal:riskEvents': notBuilt,
    'market:range': notBuilt,
    'market:recent': notBuilt,
    'settings:get': async () => settings,
    'settings:set': async (patch) => {
      count('settings:set');
      settings = Settings.parse({
        ...settings,
        bot: { ...settings.bot, ...patch.bot },
        ui: { ...settings.ui, ...patch.ui },
        resumeOnLaunch: { ...settings.resumeOnLaunch, ...patch.resumeOnLaunch },
      });
      return settings;
    },
    'logs:tail': async () => [],
    'secrets:status': notBuilt,
    'secrets:set': notBuilt,
    'secrets:delete': notBuilt,
    'secrets:test': notBuilt,
    'bot:liveStatus': notBuilt,
    'bot:armLive': notBuilt,
    'bot:disarmLive': notBuilt,
    'backtest:run': async () => {
      throw new Error('not in this test');
    },
    'backtest:cancel': async () => ({ cancelled: 0 }),
    'backtest:list': async () => [],
    'backtest:get': async () => {
      throw new Error('not in this test');
    },
  };
  return { handlers, dispatch: createDispatcher(handlers), bus, calls, settings: () => settings };
}
