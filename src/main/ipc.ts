/**
 * The Electron IPC transport, generated from the contract: one ipcMain.handle per
 * channel in CHANNELS, all through the shared dispatcher (validation, envelopes),
 * after checking the call comes from our own window's main frame. Bus events are
 * forwarded to the window (bot:status coalesced to ≤ 10 Hz).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  CHANNELS,
  DESKTOP_CHANNELS,
  type DesktopChannelName,
  type DesktopEventName,
} from '../core/api/channels.ts';
import { desktopContract, type ApiHandlers } from '../core/api/contract.ts';
import { createDispatcher, createDispatcherFor, type Dispatch } from '../core/api/dispatcher.ts';
import type { Envelope } from '../core/api/errors.ts';
import type { EventBus } from '../core/bot/event-bus.ts';
import { forwardEvents } from '../core/transport/forward-events.ts';
import type { DesktopHandlers } from './bot-connections.ts';
import { ipcDesktopEventChannel, ipcEventChannel } from './ipc-protocol.ts';
import { isTrustedSender, type IpcSender, type TrustedWindow } from './security-policy.ts';

export interface IpcOptions {
  handlers: ApiHandlers;
  bus: EventBus;
  getWindow: () => BrowserWindow | null;
  appUrl: string;
  /** The desktop-only channels (remote:*), served over IPC only. */
  desktop?: DesktopHandlers;
}

/** Call it to remove the handlers and stop forwarding events. */
export type IpcTransport = (() => void) & {
  /** Push a desktop-only event (remote:state) to the window. */
  sendDesktopEvent(event: DesktopEventName, payload: unknown): void;
};

function isDesktopChannel(name: unknown): name is DesktopChannelName {
  return typeof name === 'string' && (DESKTOP_CHANNELS as readonly string[]).includes(name);
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

export function registerIpc(opts: IpcOptions): IpcTransport {
  const handle = (channel: string, dispatch: Dispatch) =>
    ipcMain.handle(channel, (event, payload: unknown) =>
      isTrustedSender(senderOf(event), trustedWindowOf(opts.getWindow()), opts.appUrl)
        ? dispatch(channel, payload)
        : FORBIDDEN,
    );
  const dispatch = createDispatcher(opts.handlers);
  for (const channel of CHANNELS) handle(channel, dispatch);
  const desktop = opts.desktop;
  if (desktop) {
    const dispatchDesktop = createDispatcherFor(desktopContract, desktop, isDesktopChannel);
    for (const channel of DESKTOP_CHANNELS) handle(channel, dispatchDesktop);
  }
  const stopForwarding = forwardEvents(opts.bus, (event, payload) => {
    const win = opts.getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(ipcEventChannel(event), payload);
  });
  const dispose = () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
    if (desktop) for (const channel of DESKTOP_CHANNELS) ipcMain.removeHandler(channel);
    stopForwarding();
  };
  return Object.assign(dispose, {
    sendDesktopEvent(event: DesktopEventName, payload: unknown) {
      const win = opts.getWindow();
      if (win && !win.isDestroyed()) win.webContents.send(ipcDesktopEventChannel(event), payload);
    },
  });
}
