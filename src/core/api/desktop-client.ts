/**
 * The desktop-only API (`window.botdeskDesktop`): which bot the app controls and
 * the saved remote bots. Generated from DESKTOP_CHANNELS like the main API, with
 * the same bridge treatment (failures cross as plain ErrorInfo and come back as
 * BotDeskError). Dependency-free at runtime: the sandboxed preload bundles it.
 */
import {
  DESKTOP_CHANNELS,
  DESKTOP_EVENTS,
  type DesktopChannelName,
  type DesktopEventName,
} from './channels.ts';
import type { BotTarget, DesktopChannelInput, DesktopChannelOutput } from './contract.ts';
import { envelopeFromBridge } from './bridge.ts';
import { toErrorInfo, unwrap, type Envelope } from './errors.ts';

type Verb<C extends string> = C extends `remote:${infer V}` ? V : never;

export type DesktopApi = {
  remote: {
    [C in DesktopChannelName as Verb<C>]: (
      input?: DesktopChannelInput<C>,
    ) => Promise<DesktopChannelOutput<C>>;
  };
  /** The selected bot or its connection changed; returns the unsubscribe function. */
  onRemoteState(listener: (target: BotTarget) => void): () => void;
};

export interface DesktopTransport {
  invoke(channel: DesktopChannelName, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(event: DesktopEventName, listener: (payload: unknown) => void): () => void;
}

type Call = (input?: unknown) => Promise<unknown>;

const verbOf = (channel: DesktopChannelName) => channel.slice(channel.indexOf(':') + 1);

function build(
  call: (channel: DesktopChannelName) => Call,
  subscribe: DesktopTransport['subscribe'],
): DesktopApi {
  const remote: Record<string, Call> = {};
  for (const channel of DESKTOP_CHANNELS) remote[verbOf(channel)] = call(channel);
  const [stateEvent] = DESKTOP_EVENTS;
  return {
    remote,
    onRemoteState: (listener: (target: BotTarget) => void) =>
      subscribe(stateEvent, (payload) => listener(payload as BotTarget)),
  } as unknown as DesktopApi;
}

export function createDesktopClient(transport: DesktopTransport): DesktopApi {
  return build(
    (channel) => async (input) => unwrap(await transport.invoke(channel, input)),
    (event, listener) => transport.subscribe(event, listener),
  );
}

function callOf(api: DesktopApi, channel: DesktopChannelName): Call {
  return (api.remote as unknown as Record<string, Call>)[verbOf(channel)]!;
}

/** The preload side: a failed call rejects with the plain ErrorInfo (the bridge keeps objects whole). */
export function desktopToBridge(api: DesktopApi): DesktopApi {
  return build(
    (channel) => (input) =>
      callOf(api, channel)(input).catch((err: unknown) => Promise.reject(toErrorInfo(err))),
    (_event, listener) => api.onRemoteState(listener),
  );
}

/** The renderer side: failures re-thrown as BotDeskError of this realm. */
export function desktopFromBridge(bridge: DesktopApi): DesktopApi {
  return createDesktopClient({
    invoke: (channel, payload) => envelopeFromBridge(callOf(bridge, channel)(payload)),
    subscribe: (_event, listener) => bridge.onRemoteState(listener),
  });
}
