/**
 * The words for a bot's state, shared by every surface that shows it (tray,
 * dashboard) so they say the same thing. Dependency-free for the renderer.
 */
import type { BotStateName } from './schemas.ts';

export const BOT_STATE_LABEL: Record<BotStateName, string> = {
  idle: 'Idle',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  stopped: 'Stopped',
  error: 'Error',
};
