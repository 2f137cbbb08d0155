/**
 * The process's one BotManager, for transports, the tray and quit handling. Kept apart from
 * the manager so this module-level singleton is not mixed with the class (manager.ts
 * re-exports both functions: importers are unchanged).
 */
import { BotDeskError } from '../api/errors.ts';
import type { BotManager } from './manager.ts';

let processManager: BotManager | null = null;

/** Register the process's one BotManager (done by createCoreHost); a second live one is refused. */
export function registerBotManager(manager: BotManager | null): void {
  if (manager && processManager && processManager !== manager) {
    throw new BotDeskError('INVALID_STATE', 'this process already has a BotManager');
  }
  processManager = manager;
}

/** The process's BotManager, for transports, the tray and quit handling. */
export function getBotManager(): BotManager {
  if (!processManager)
    throw new BotDeskError('INVALID_STATE', 'no BotManager yet: create the core host first');
  return processManager;
}
