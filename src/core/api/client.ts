/**
 * The client side of the contract, shared by the preload (over ipcRenderer) and
 * the renderer's WebSocket client: `api.bot.start(payload)` → envelope → value,
 * or a thrown BotDeskError. Dependency-free at runtime (types only from zod).
 */
import { CHANNELS, EVENTS, splitChannel, type ChannelName, type EventName } from './channels.ts';
import type { ChannelInput, ChannelOutput, EventPayload } from './contract.ts';
import { unwrap, type Envelope } from './errors.ts';

type Area<C extends string> = C extends `${infer A}:${string}` ? A : never;
type Verb<C extends string> = C extends `${string}:${infer V}` ? V : never;

export type BotDeskApi = {
  [A in Area<ChannelName>]: {
    [C in Extract<ChannelName, `${A}:${string}`> as Verb<C>]: (
      input?: ChannelInput<C>,
    ) => Promise<ChannelOutput<C>>;
  };
} & {
  /** Subscribe to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export interface ClientTransport {
  invoke(channel: ChannelName, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function createApiClient(transport: ClientTransport): BotDeskApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of CHANNELS) {
    const [area, verb] = splitChannel(channel);
    api[area] ??= {};
    api[area][verb] = async (input?: unknown) => unwrap(await transport.invoke(channel, input));
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event '${event}'`);
    return transport.subscribe(event, listener);
  };
  return Object.assign(api, { on }) as unknown as BotDeskApi;
}
