/**
 * Which bot the desktop app controls: this machine's (the in-process core) or a
 * remote `botdesk serve` (a RemoteLink). The main process holds the connection
 * and the token; the window, the tray and the IPC transport see only `handlers`
 * and `bus`, which always lead to the selected bot, so the renderer never learns
 * a token and never talks to the network itself. Electron-free (tested without
 * it); index.ts wires it to IPC, the window and the tray.
 */
import { Mutex } from 'async-mutex';
import { CHANNELS, EVENTS, type DesktopChannelName, type EventName } from '../core/api/channels.ts';
import {
  INSECURE_WS_MESSAGE,
  type ApiHandlers,
  type BotTarget,
  type DesktopChannelOutput,
  type desktopContract,
} from '../core/api/contract.ts';
import { BotDeskError } from '../core/api/errors.ts';
import { isInsecureRemoteUrl } from '../core/api/loopback.ts';
import { EventBus } from '../core/bot/event-bus.ts';
import { normalizeFingerprint } from '../core/transport/tls-identity.ts';
import type { z } from 'zod';
import { LOCAL_BOT_ID, type BotListStore, type SavedBot } from './bot-list-store.ts';
import { createRemoteLink, type RemoteLink, type RemoteLinkOptions } from './remote-link.ts';

export type DesktopHandlers = {
  [C in DesktopChannelName]: (
    input: z.output<(typeof desktopContract)[C]['input']>,
  ) => Promise<DesktopChannelOutput<C>>;
};

export interface BotConnectionsOptions {
  local: { handlers: ApiHandlers; bus: EventBus };
  store: BotListStore;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** The selected bot changed or reconnected: the window reloads its state, the tray follows. */
  onSelected?(target: BotTarget): void;
  /** The selected bot's connection state changed (the `remote:state` event). */
  onState?(target: BotTarget): void;
  /** Timeouts and backoff of remote links (tests shorten them). */
  link?: Pick<RemoteLinkOptions, 'connectTimeoutMs' | 'callTimeoutMs' | 'retryMs' | 'keepAliveMs'>;
}

export interface BotConnections {
  /** The contract, answered by the selected bot. */
  readonly handlers: ApiHandlers;
  /** The selected bot's events. */
  readonly bus: EventBus;
  readonly desktopHandlers: DesktopHandlers;
  selected(): BotTarget;
  /** At launch: reconnect to the bot selected last time (this machine if that fails). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export const LOCAL_BOT_NAME = 'This computer';

export function createBotConnections(opts: BotConnectionsOptions): BotConnections {
  const { store, local } = opts;
  const bus = new EventBus();
  const mutex = new Mutex();
  let selectedId = LOCAL_BOT_ID;
  let link: RemoteLink | null = null;
  let unpipeLocal: (() => void) | null = null;

  const emit = (event: EventName, payload: unknown) =>
    bus.emit(event, payload as Parameters<EventBus['emit']>[1]);

  const pipeLocal = () => {
    const offs = EVENTS.map((event) => local.bus.on(event, (payload) => emit(event, payload)));
    unpipeLocal = () => {
      for (const off of offs) off();
      unpipeLocal = null;
    };
  };

  const targetOf = (id: string): BotTarget => {
    if (id === LOCAL_BOT_ID) {
      return {
        id,
        name: LOCAL_BOT_NAME,
        kind: 'local',
        url: null,
        fingerprint: null,
        selected: selectedId === id,
        state: 'local',
        message: null,
        insecure: false,
      };
    }
    const saved = store.get(id);
    if (!saved) throw new BotDeskError('NOT_FOUND', `no bot with id '${id}'`);
    const live =
      selectedId === id && link ? link.state() : { state: 'disconnected' as const, message: null };
    return {
      id,
      name: saved.name,
      kind: 'remote',
      url: saved.url,
      fingerprint: saved.fingerprint,
      selected: selectedId === id,
      state: live.state,
      message: live.message,
      insecure: isInsecureRemoteUrl(saved.url),
    };
  };
  const list = (): BotTarget[] => [
    targetOf(LOCAL_BOT_ID),
    ...store.bots().map((b) => targetOf(b.id)),
  ];

  const openLink = async (saved: SavedBot): Promise<RemoteLink> => {
    if (isInsecureRemoteUrl(saved.url)) {
      // A list saved before the acknowledgement existed: nothing is sent until the user gives it.
      if (!saved.insecure)
        throw new BotDeskError(
          'FORBIDDEN',
          `${saved.name} is a ws:// address of another machine, never acknowledged as insecure (the token and all traffic would travel unencrypted): remove the bot and add it again with a wss:// address, or acknowledge it`,
          { reason: 'insecure-not-acknowledged' },
        );
      opts.log(
        'warn',
        `connecting to ${saved.name} over plain ws://: the token and all traffic travel unencrypted`,
      );
    }
    let ready = false;
    const next: RemoteLink = createRemoteLink({
      name: saved.name,
      url: saved.url,
      token: store.tokenOf(saved.id),
      fingerprint: saved.fingerprint,
      onPin: (fingerprint) => store.pin(saved.id, fingerprint),
      onState: (state) => {
        if (!ready || link !== next) return;
        opts.onState?.(targetOf(saved.id));
        // After a reconnection the window's projections missed events: it reloads them.
        if (state === 'connected') opts.onSelected?.(targetOf(saved.id));
      },
      onEvent: (event, payload) => {
        if (link === next) emit(event, payload);
      },
      log: (level, message) => opts.log(level, `remote ${message}`),
      ...opts.link,
    });
    try {
      await next.open();
    } catch (err) {
      await next.close();
      throw err;
    }
    ready = true;
    return next;
  };

  /** Make `id` the selected bot; the caller holds the mutex. */
  const switchTo = async (id: string): Promise<BotTarget> => {
    if (id === selectedId && (id === LOCAL_BOT_ID || link?.state().state === 'connected'))
      return targetOf(id);
    let next: RemoteLink | null = null;
    if (id !== LOCAL_BOT_ID) {
      const saved = store.get(id);
      if (!saved) throw new BotDeskError('NOT_FOUND', `no bot with id '${id}'`);
      next = await openLink(saved); // a failure leaves the selection as it was
    }
    const previous = link;
    link = next;
    selectedId = id;
    unpipeLocal?.();
    if (id === LOCAL_BOT_ID) pipeLocal();
    await previous?.close();
    store.setSelected(id);
    const target = targetOf(id);
    opts.log('info', `now controlling ${target.name}${target.url ? ` (${target.url})` : ''}`);
    opts.onState?.(target);
    opts.onSelected?.(target);
    return target;
  };

  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      (input: unknown) =>
        link
          ? link.call(channel, input)
          : (local.handlers[channel] as (input: unknown) => Promise<unknown>)(input),
    ]),
  ) as unknown as ApiHandlers;

  const desktopHandlers: DesktopHandlers = {
    'remote:list': async () => list(),
    'remote:add': async (input) => {
      let fingerprint: string | null = null;
      if (input.fingerprint !== undefined) {
        fingerprint = normalizeFingerprint(input.fingerprint);
        if (fingerprint === null)
          throw new BotDeskError(
            'INVALID_INPUT',
            'the fingerprint must be a SHA-256 fingerprint (64 hex digits, colons optional), as `botdesk serve` prints it',
          );
        if (new URL(input.url).protocol !== 'wss:')
          throw new BotDeskError('INVALID_INPUT', 'a fingerprint needs a wss:// (TLS) address');
      }
      // The contract checks this too; here so no caller can skip it.
      const insecure = isInsecureRemoteUrl(input.url);
      if (insecure && input.insecure !== true)
        throw new BotDeskError('INVALID_INPUT', INSECURE_WS_MESSAGE, {
          reason: 'insecure-not-acknowledged',
        });
      const saved = store.add({
        name: input.name,
        url: input.url,
        token: input.token,
        fingerprint,
        insecure,
      });
      return targetOf(saved.id);
    },
    'remote:remove': (input) =>
      mutex.runExclusive(async () => {
        if (input.id === LOCAL_BOT_ID)
          throw new BotDeskError('INVALID_INPUT', 'this computer cannot be removed from the list');
        if (!store.get(input.id))
          throw new BotDeskError('NOT_FOUND', `no bot with id '${input.id}'`);
        if (selectedId === input.id) await switchTo(LOCAL_BOT_ID);
        store.remove(input.id);
        return list();
      }),
    'remote:select': (input) => mutex.runExclusive(() => switchTo(input.id)),
  };

  pipeLocal();
  if (store.notice) opts.log('warn', store.notice);

  return {
    handlers,
    bus,
    desktopHandlers,
    selected: () => targetOf(selectedId),
    async restore() {
      const wanted = store.selected();
      if (wanted === LOCAL_BOT_ID || !store.get(wanted)) return;
      await mutex.runExclusive(async () => {
        try {
          await switchTo(wanted);
        } catch (err) {
          opts.log(
            'warn',
            `could not reconnect to the bot selected last time (${store.get(wanted)?.name}): ${err instanceof Error ? err.message : String(err)}; controlling this computer`,
          );
          store.setSelected(LOCAL_BOT_ID);
        }
      });
    },
    async close() {
      unpipeLocal?.();
      const open = link;
      link = null;
      await open?.close();
    },
  };
}
