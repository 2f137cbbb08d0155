/**
 * The Electron IPC transport, generated from the contract: one ipcMain.handle per
 * channel in CHANNELS, all through the shared dispatcher (validation, envelopes),
 * after checking the call comes from our own window's main frame. Bus events are
 * forwarded to the window (bot:status coalesced to ≤ 10 Hz).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../core/api/channels.ts';
import type { ApiHandlers } from '../core/api/contract.ts';
import { createDispatcher } from '../core/api/dispatcher.ts';
import type { Envelope } from '../core/api/errors.ts';
import type { EventBus } from '../core/bot/event-bus.ts';
import { forwardEvents } from '../core/transport/forward-events.ts';
import { ipcEventChannel } from './ipc-protocol.ts';
import { isTrustedSender, type IpcSender, type TrustedWindow } from './security-policy.ts';

export interface IpcOptions {
  handlers: ApiHandlers;
  bus: EventBus;
  getWindow: () => BrowserWindow | null;
  appUrl: string;
}

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frame: frame
      ? { processId: frame.processId, routingId: frame.routingId, url: frame.url }
      : null,
  };
}

function trustedWindowOf(win: BrowserWindow | null): TrustedWindow | null {
  if (!win || win.isDestroyed()) return null;
  const { mainFrame } = win.webContents;
  return {
    webContentsId: win.webContents.id,
    mainFrame: { processId: mainFrame.processId, routingId: mainFrame.routingId },
  };
}

const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'IPC calls are accepted only from the BotDesk window' },
};

/** Returns the function that removes the handlers and stops forwarding events. */
export function registerIpc(opts: IpcOptions): () => void {
  const dispatch = createDispatcher(opts.handlers);
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      isTrustedSender(senderOf(event), trustedWindowOf(opts.getWindow()), opts.appUrl)
        ? dispatch(channel, payload)
        : FORBIDDEN,
    );
  }
  const stopForwarding = forwardEvents(opts.bus, (event, payload) => {
    const win = opts.getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(ipcEventChannel(event), payload);
  });
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
    stopForwarding();
  };
}
