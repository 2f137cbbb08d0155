/**
 * The sandboxed preload: exposes `window.botdesk`, the typed API generated from
 * the contract over ipcRenderer, and `window.botdeskDesktop`, the desktop-only
 * bot list (remote:*) — and nothing else (never ipcRenderer itself).
 * Bundled to a dependency-free CommonJS file (sandboxed preloads cannot be ESM).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { toBridge } from '../core/api/bridge.ts';
import { createApiClient, type BotDeskApi } from '../core/api/client.ts';
import {
  createDesktopClient,
  desktopToBridge,
  type DesktopApi,
} from '../core/api/desktop-client.ts';
import type { Envelope } from '../core/api/errors.ts';
import { ipcDesktopEventChannel, ipcEventChannel } from '../main/ipc-protocol.ts';

function listen(channel: string, listener: (payload: unknown) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const api = createApiClient({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>,
  subscribe: (event, listener) => listen(ipcEventChannel(event), listener),
}) satisfies BotDeskApi;

const desktop = createDesktopClient({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>,
  subscribe: (event, listener) => listen(ipcDesktopEventChannel(event), listener),
}) satisfies DesktopApi;

// Failures reject with the plain ErrorInfo: the bridge would strip an Error's code and details.
contextBridge.exposeInMainWorld('botdesk', toBridge(api));
contextBridge.exposeInMainWorld('botdeskDesktop', desktopToBridge(desktop));
