/**
 * Crossing Electron's contextBridge without losing the error envelope. The bridge
 * copies only the message of a thrown Error (its class, `code` and `details` are
 * lost) but copies plain objects whole. So the preload exposes an API whose calls
 * reject with the plain ErrorInfo (`toBridge`), and the renderer turns that back
 * into a BotDeskError of its own realm (`fromBridge`), code and details included.
 * Both are generated from CHANNELS; dependency-free, the sandboxed preload bundles it.
 */
import { CHANNELS, splitChannel, type ChannelName } from './channels.ts';
import { createApiClient, type BotDeskApi } from './client.ts';
import { isErrorCode, toErrorInfo, type Envelope, type ErrorInfo } from './errors.ts';

type Call = (input?: unknown) => Promise<unknown>;

function callOf(api: BotDeskApi, channel: ChannelName): Call {
  const [area, verb] = splitChannel(channel);
  return (api as unknown as Record<string, Record<string, Call>>)[area]![verb]!;
}

/** The preload side: same API, but a failed call rejects with a plain ErrorInfo object. */
export function toBridge(api: BotDeskApi): BotDeskApi {
  const bridged: Record<string, Record<string, Call>> = {};
  for (const channel of CHANNELS) {
    const [area, verb] = splitChannel(channel);
    const call = callOf(api, channel);
    bridged[area] ??= {};
    bridged[area][verb] = (input) =>
      call(input).catch((err: unknown) => Promise.reject(toErrorInfo(err)));
  }
  return Object.assign(bridged, { on: api.on }) as unknown as BotDeskApi;
}

/** What crossed the bridge as a rejection → ErrorInfo (an Error copied by the bridge keeps only its message). */
export function errorInfoFromBridge(reason: unknown): ErrorInfo {
  if (typeof reason === 'object' && reason !== null && !(reason instanceof Error)) {
    const { code, message, details } = reason as Partial<ErrorInfo>;
    if (typeof message === 'string') {
      if (!isErrorCode(code)) return { code: 'INTERNAL', message };
      return details === undefined ? { code, message } : { code, message, details };
    }
  }
  return toErrorInfo(reason);
}

/** A call that crossed the bridge, back as an envelope (for a client to re-throw in this realm). */
export function envelopeFromBridge(call: Promise<unknown>): Promise<Envelope<unknown>> {
  return call.then(
    (data) => ({ ok: true, data }),
    (reason: unknown) => ({ ok: false, error: errorInfoFromBridge(reason) }),
  );
}

/** The renderer side: `window.botdesk` with failures re-thrown as BotDeskError. */
export function fromBridge(bridge: BotDeskApi): BotDeskApi {
  return createApiClient({
    invoke: (channel, payload) => envelopeFromBridge(callOf(bridge, channel)(payload)),
    subscribe: (event, listener) => bridge.on(event, listener),
  });
}
