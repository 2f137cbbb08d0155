/**
 * The transport-independent server side of the contract: validate the payload,
 * run the handler, answer with an envelope. Both the Electron IPC transport and
 * the WebSocket server are thin wrappers around this.
 */
import { contract } from './contract.ts';
import type { ApiHandlers, ChannelDef } from './contract.ts';
import { CHANNELS, type ChannelName } from './channels.ts';
import { toErrorInfo, type Envelope } from './errors.ts';
import { plainDataProblem } from './plain-data.ts';

export type Dispatch = (channel: string, payload: unknown) => Promise<Envelope<unknown>>;

export function isChannel(name: unknown): name is ChannelName {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}

export function createDispatcher(handlers: ApiHandlers): Dispatch {
  return createDispatcherFor(contract, handlers, isChannel);
}

/**
 * The same for another set of channel definitions (the desktop-only channels of
 * `desktopContract`): unknown channel → NOT_FOUND, invalid payload → INVALID_INPUT.
 */
export function createDispatcherFor<C extends string>(
  defs: Record<C, ChannelDef>,
  handlers: Record<C, (input: never) => Promise<unknown>>,
  known: (name: unknown) => name is C,
): Dispatch {
  return async (channel, payload) => {
    if (!known(channel)) {
      return {
        ok: false,
        error: { code: 'NOT_FOUND', message: `unknown channel '${String(channel)}'` },
      };
    }
    const notPlain = plainDataProblem(payload);
    if (notPlain !== null) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: `${channel}: ${notPlain}` } };
    }
    const parsed = defs[channel].input.safeParse(payload ?? undefined);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `${channel}: ${parsed.error.issues
            .map((i) => `${i.path.length ? i.path.join('.') : 'payload'}: ${i.message}`)
            .join('; ')}`,
          details: parsed.error.issues.map((i) => ({
            path: i.path.map(String),
            message: i.message,
          })),
        },
      };
    }
    try {
      const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
      return { ok: true, data: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  };
}
