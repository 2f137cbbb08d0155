/**
 * The desktop window is this machine's user at the keyboard: a replay file they type or
 * pick in it is a file they chose. Handlers wrapped here (the Electron IPC transport's)
 * register the replay file named in a request with the gate before running it. The
 * WebSocket transport gets the plain handlers, so a remote client can name only files in
 * `imports/` — and a file a remote client saved into the settings stays refused when the
 * desktop user then presses Start, since only files named in the window's own requests
 * are registered.
 */
import type { ApiHandlers } from '../api/contract.ts';
import type { ReplayFileGate } from '../market/replay-files.ts';

export function withLocalReplayFiles(handlers: ApiHandlers, gate: ReplayFileGate): ApiHandlers {
  const allow = (file: string | undefined) => {
    if (file !== undefined) gate.allow(file);
  };
  return {
    ...handlers,
    'bot:start': async (input) => {
      allow(input.config?.market?.file);
      return handlers['bot:start'](input);
    },
    'bot:updateConfig': async (input) => {
      allow(input.config.market?.file);
      return handlers['bot:updateConfig'](input);
    },
    'settings:set': async (input) => {
      allow(input.bot?.market?.file);
      return handlers['settings:set'](input);
    },
  };
}
