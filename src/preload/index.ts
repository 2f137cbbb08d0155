/**
 * The sandboxed preload: exposes `window.botdesk`, the typed API generated from
 * the contract over ipcRenderer — and nothing else (never ipcRenderer itself).
 * Bundled to a dependency-free CommonJS file (sandboxed preloads cannot be ESM).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { toBridge } from '../core/api/bridge.ts';
import { createApiClient, type BotDeskApi } from '../core/api/client.ts';
import type { Envelope } from '../core/api/errors.ts';
import { ipcEventChannel } from '../main/ipc-protocol.ts';

const api = createApiClient({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>,
  subscribe(event, listener) {
    const channel = ipcEventChannel(event);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
}) satisfies BotDeskApi;

// Failures reject with the plain ErrorInfo: the bridge would strip an Error's code and details.
contextBridge.exposeInMainWorld('botdesk', toBridge(api));
