/**
 * The renderer's only link to main: feeds the stores from an initial snapshot plus
 * pushed events (feed.ts), and turns button presses into contract calls (commands.ts).
 * Works the same over Electron IPC (window.botdesk) and WebSocket (ws-client).
 */
export { createAppStores, type AppStores } from './app-stores.ts';
export { createCommands, type Commands } from './commands.ts';
export { describeError } from './describe-error.ts';
export { attachFeed, HISTORY_CANDLES, selectSymbol } from './feed.ts';
